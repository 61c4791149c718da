"""The command line: a thin click layer that builds Options and calls the pipeline."""
from __future__ import annotations

import functools
import gc
import os
import signal
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .atomic import write_text
from .codes import CODES
from .pipeline import Options, Result, check
from .reporters import REPORTERS, Report
from .sources import UsageError

EXIT_OK, EXIT_CATALOG, EXIT_USAGE = 0, 1, 2


def today() -> str:
    """ISO date of the run; SOURCE_DATE_EPOCH makes it reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.date().isoformat()


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


EXIT_PIPE = 128 + 13  # a shell's status for a process killed by SIGPIPE


def closed_pipe() -> NoReturn:
    """The reader of our output has gone (gkml rules | head -1): stop quietly, as cat or grep do."""
    try:  # nothing more may reach the closed pipe, not even the final flush
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(EXIT_PIPE)


class Group(click.Group):
    """The gkml command group: a closed stdout ends any command quietly; a command-line error
    with --format json or sarif also writes that format's failure document."""

    def make_context(self, info_name, args, parent=None, **extra):
        context = super().make_context(info_name, args, parent, **extra)
        context.meta["gkml.args"] = tuple(args)
        return context

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            closed_pipe()
        except click.UsageError as exc:
            exc.show()  # what click does, then the failure document of the format asked for
            fmt, output = _requested(ctx.meta.get("gkml.args", ()), ("--format",), ("--output", "-o"))
            failed(exc.format_message(), fmt, output, shown=True)


def _requested(args: tuple[str, ...], *names: tuple[str, ...]) -> list[str | None]:
    """The values given to each option (by any of its names) on a command line not yet parsed."""
    found: list[str | None] = [None] * len(names)
    for i, arg in enumerate(args):
        for n, aliases in enumerate(names):
            for alias in aliases:
                if arg == alias and i + 1 < len(args):
                    found[n] = args[i + 1]
                elif arg.startswith(alias + "=") and alias.startswith("--"):
                    found[n] = arg[len(alias) + 1:]
    return found


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


def run_check(paths: tuple[str, ...], lang: str, strict: bool, no_cache: bool, jobs: int,
              need_model: bool = True, whole_set: bool = False) -> Result:
    """Build Options from CLI values and run the pipeline (need_model=False lets a cache answer)."""
    options = Options(paths=paths or ("catalogs",), lang=lang, strict=strict, jobs=jobs, cache=not no_cache,
                      config=config_file(), whole_set=whole_set)
    if not _EXITING_HARD:
        return check(options, today(), need_model=need_model)
    # the result lives until entry()'s os._exit: it is never freed object by object, and the
    # collector never scans it (turned back on as check() returns, it would first walk the
    # millions of objects of a province model, a third of a second, to find nothing)
    gc.disable()
    result = check(options, today(), need_model=need_model)
    _KEPT.append(result)
    gc.freeze()
    gc.enable()
    return result


_EXITING_HARD = False   # set by entry(): the process ends with os._exit once the command is done
_KEPT: list[Result] = []


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
cache_options = [
    config_option,
    click.option("--no-cache", is_flag=True, help="不使用缓存。"),
    click.option("--jobs", "-j", type=click.IntRange(0, 64), default=0, help="并行进程数(0 为自动)。"),
]


def with_cache_options(fn):
    for option in reversed(cache_options):
        fn = option(fn)
    return fn


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gkml")
def main() -> None:
    """gkml(公开目录):政务公开事项目录的校验器和编译器。"""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@format_option
@lang_option
@output_option
@strict_option
@with_cache_options
@guarded
def validate(paths, fmt, lang, output, strict, no_cache, jobs):
    """校验目录(默认 catalogs/):格式、必填要素、词表、跨目录规则。只给出文件时,连同整个目录集一起检查,只报告这些文件。"""
    started = time.perf_counter()
    result = run_check(tuple(paths), lang, strict, no_cache, jobs, need_model=False, whole_set=True)
    if output and Path(output).resolve() in {f.source.path.resolve() for f in result.files if not f.source.problem}:
        raise UsageError(f"--output 指向了被检查的文件 {output},不会覆盖它;请换一个报告文件名。",
                         f"--output names the checked file {output}; it is not overwritten: choose another report name.",
                         option="--output")
    emit(REPORTERS[fmt]().render(report_of(result, strict), lang), output)
    if fmt == "text" and os.environ.get("GKML_TIMING"):
        click.echo(f"({time.perf_counter() - started:.2f} s)", err=True)
    sys.exit(result.exit_code(strict))


@main.command("rules")
@lang_option
def rules_command(lang):
    """列出所有诊断代码及其含义。"""
    from .rules import all_rules
    producers = {code: r.name for r in all_rules() for code in r.codes}
    for code in sorted(CODES):
        entry = CODES[code]
        sev = entry.severity if lang == "en" else ("错误" if entry.severity == "error" else "警告")
        title = entry.message_en if lang == "en" else entry.message_zh
        click.echo(f"{code}  {sev:<7}  {entry.name:<24} {_plain(title)}  ({producers.get(code, 'loader/schema')})")


def _plain(template: str) -> str:
    import re
    return re.sub(r"\{[a-z_]+\}", "…", template)


@main.command()
@click.argument("code")
@lang_option
@guarded
def explain(code, lang):
    """说明一个诊断代码:检查什么、为什么、反例和正例。"""
    code = code.upper()
    if code not in CODES:
        raise UsageError(f"未知的代码 {code};用 gkml rules 查看全部代码。", f"unknown code {code}; `gkml rules` lists every code.")
    from .explain import explanation
    click.echo(explanation(code, lang), nl=False)


@main.command()
@click.option("--kind", type=click.Choice(["catalog", "registry"]), default="catalog", show_default=True)
def schema(kind):
    """输出目录(或登记表)的 JSON Schema。"""
    from .resources import schema_text
    click.echo(schema_text(kind), nl=False)


def entry() -> None:
    """Console-script entry: run gkml, then leave without tearing down the heap.

    A province check holds millions of objects; freeing them one by one at interpreter exit
    costs up to a second and achieves nothing. Output is flushed and caches are written before.
    """
    global _EXITING_HARD
    _EXITING_HARD = True
    try:
        main(standalone_mode=True)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            code = EXIT_PIPE
        if code == EXIT_PIPE and hasattr(signal, "SIGPIPE"):
            # end as a C filter does on a closed pipe: killed by SIGPIPE (Python ignores it)
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGPIPE)
        os._exit(code)


def _load_commands() -> None:
    # Further command families, each a module of compiler.commands exposing COMMANDS.
    import importlib
    import pkgutil
    from . import commands
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_load_commands()
