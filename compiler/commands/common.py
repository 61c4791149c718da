"""What every command shares: exit codes, the error guard, the common options, running a check."""
from __future__ import annotations

import functools
import gc
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import click

from .. import __version__
from .. import config as project_config
from ..atomic import write_text
from ..pipeline import Options, Result, check
from ..reporters import REPORTERS, Report
from ..sources import UsageError
from ..validity import day, run_date

EXIT_OK, EXIT_CATALOG, EXIT_USAGE = 0, 1, 2


def today() -> str:
    """ISO date of the run (validity.run_date: --today, the config's today, SOURCE_DATE_EPOCH, the real date)."""
    ctx = click.get_current_context(silent=True)
    option = ctx.meta.get("gkml.today") if ctx is not None else None
    configured = None
    if option is None and ctx is not None:
        try:
            configured = project_config.load(config_file(), Path.cwd()).today or None
        except UsageError:
            configured = None  # the check reports the missing --config itself
    return run_date(option, configured)


def guarded(fn):
    """Turn usage problems and unexpected failures into a clear message (in --lang) and exit code 2;
    with --format json or sarif, also a document saying so (on stdout, or --output)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang") or "zh"
        en = lang == "en"
        try:
            return fn(*args, **kwargs)
        except UsageError as exc:
            output = None if exc.option == "--output" else kwargs.get("output")
            failed(exc.text(lang), kwargs.get("fmt"), output)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, BrokenPipeError):
            raise
        except KeyboardInterrupt:
            click.echo("gkml: 已中断 (interrupted)", err=True)
            sys.exit(130)
        except OSError as exc:
            failed(("I/O error: " if en else "文件操作失败 (I/O error): ") + str(exc), kwargs.get("fmt"), kwargs.get("output"))
        except Exception as exc:  # a bug in gkml: still no traceback for the user
            if os.environ.get("GKML_DEBUG"):
                raise
            failed((f"internal error: {type(exc).__name__}: {exc}\nset GKML_DEBUG=1 to see the details." if en else
                    f"内部错误 (internal error): {type(exc).__name__}: {exc}\n设置环境变量 GKML_DEBUG=1 可查看详细信息。"),
                   kwargs.get("fmt"), kwargs.get("output"))
    return wrapper


def failed(message: str, fmt: str | None, output: str | None, shown: bool = False) -> NoReturn:
    """End a run that could not be done: the message on stderr (unless shown already), the
    format's failure document (JSON, SARIF) where CI reads the report, exit code 2."""
    if not shown:
        click.echo(f"gkml: {message}", err=True)
    reporter = REPORTERS.get(fmt or "")
    document = reporter().failure(message, __version__, EXIT_USAGE) if reporter else None
    if document is not None:
        try:
            emit(document, output)
        except OSError:  # --output cannot be written: the document goes to stdout instead
            emit(document, None)
    sys.exit(EXIT_USAGE)


def report_of(result: Result, strict: bool = False) -> Report:
    """The reporters' view of a result."""
    files, catalogs, items = result.totals()
    return Report(tuple(result.diagnostics), files, catalogs, items, strict, __version__, tuple(result.suppressed))


def emit(text: str, output: str | None) -> None:
    """Print, or write atomically to --output."""
    if output:
        write_text(Path(output), text)
    else:
        click.echo(text, nl=False)


@dataclass
class Lifetime:
    """How the process ends, handed to the command group as click's context object by cli.entry().

    With hard_exit the process leaves with os._exit once the command is done, and the results a
    command checked are kept here until then: never freed object by object (a province check
    holds millions of objects), and frozen out of the collector's sight.
    """

    hard_exit: bool = False
    kept: list = field(default_factory=list)


def run_check(paths: tuple[str, ...], lang: str, strict: bool, no_cache: bool, jobs: int,
              need_model: bool = True, whole_set: bool = False) -> Result:
    """Build Options from CLI values and run the pipeline (need_model=False lets a cache answer)."""
    options = Options(paths=paths or ("catalogs",), lang=lang, strict=strict, jobs=jobs, cache=not no_cache,
                      config=config_file(), whole_set=whole_set)
    context = click.get_current_context(silent=True)
    lifetime = context.find_object(Lifetime) if context is not None else None
    if lifetime is None or not lifetime.hard_exit:
        return check(options, today(), need_model=need_model)
    # the result lives until entry()'s os._exit: it is never freed object by object, and the
    # collector never scans it (turned back on as check() returns, it would first walk the
    # millions of objects of a province model, a third of a second, to find nothing)
    gc.disable()
    result = check(options, today(), need_model=need_model)
    lifetime.kept.append(result)
    gc.freeze()
    gc.enable()
    return result


format_option = click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
                             help="输出格式 (output format)。")
lang_option = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                           help="消息语言 (message language)。")
output_option = click.option("--output", "-o", type=click.Path(dir_okay=False), help="写入文件而不是标准输出。")
strict_option = click.option("--strict", is_flag=True, help="有警告也以退出码 1 结束。")


def _remember_config(ctx: click.Context, _param, value: str | None) -> None:
    if value is not None:
        ctx.meta["gkml.config"] = value


def config_file() -> str | None:
    """The --config FILE of the running command (None: gkml.yaml is looked for upward)."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get("gkml.config") if ctx is not None else None


config_option = click.option("--config", type=click.Path(dir_okay=False), expose_value=False, callback=_remember_config,
                             help="项目配置文件(默认在当前目录或上级目录中查找 gkml.yaml)。")


def _remember_today(ctx: click.Context, _param, value: str | None) -> None:
    if value is not None:
        if day(value) is None:
            raise click.BadParameter(f"{value} 不是有效日期,写作 YYYY-MM-DD (not a real YYYY-MM-DD date)。")
        ctx.meta["gkml.today"] = day(value)


today_option = click.option("--today", metavar="YYYY-MM-DD", expose_value=False, callback=_remember_today,
                            help="按此日期判断目录有效性(默认配置中的 today,否则当天;构建结果随日期而变)。")
cache_options = [
    config_option,
    today_option,
    click.option("--no-cache", is_flag=True, help="不使用缓存。"),
    click.option("--jobs", "-j", type=click.IntRange(0, 64), default=0, help="并行进程数(0 为自动)。"),
]


def with_cache_options(fn):
    """Add --config, --today, --no-cache and --jobs to a command."""
    for option in reversed(cache_options):
        fn = option(fn)
    return fn
