"""The command line: a thin click layer that builds Options and calls the pipeline."""
from __future__ import annotations

import importlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import NoReturn

import click

from . import __version__
from .codes import CODES
from .commands.usage import usage_text
from .commands.common import (
    Lifetime,
    emit,
    failed,
    format_option,
    guarded,
    lang_option,
    output_option,
    report_of,
    run_check,
    strict_option,
    with_cache_options,
)
from .reporters import REPORTERS
from .sources import UsageError

EXIT_PIPE = 128 + 13  # a shell's status for a process killed by SIGPIPE

# The commands of each module of compiler.commands (its COMMANDS), loaded when one of them runs:
# `gkml validate` importing the scorecard, the builders and the importers cost 0.18 s of a 1 s
# warm re-check at full scale (python -X importtime). tests/test_cli_commands.py checks the table.
FAMILIES = {
    "assess": ("assess",), "basis": ("basis",), "build": ("build",), "coverage": ("coverage",),
    "diff": ("diff",), "fix": ("fix",), "imports": ("import", "export"), "init": ("init",),
    "settings": ("config", "cache"),
}
FAMILY_OF = {name: family for family, names in FAMILIES.items() for name in names}


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

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *FAMILY_OF})

    def get_command(self, ctx, name):
        if name in FAMILY_OF and name not in self.commands:
            family = importlib.import_module(f"{__package__}.commands.{FAMILY_OF[name]}")
            for command in family.COMMANDS:
                self.add_command(command)
        return super().get_command(ctx, name)

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
            fmt, output, lang = _requested(ctx.meta.get("gkml.args", ()), ("--format",), ("--output", "-o"), ("--lang",))
            # what click does (usage line, then the error), in the reader's language; then the
            # failure document of the format asked for
            if exc.ctx is not None:
                click.echo(exc.ctx.get_usage(), err=True)
            message = usage_text(exc, lang or "zh")
            click.echo(("Error: " if lang == "en" else "错误:") + message, err=True)
            failed(message, fmt, output, shown=True)


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
@click.option("--since", metavar="REV", help="与 git 修订版本 REV 比较:检查每项调整都已登记在 changes 中。")
@with_cache_options
@guarded
def validate(paths, fmt, lang, output, strict, since, no_cache, jobs):
    """校验目录(默认 catalogs/):格式、必填要素、词表、跨目录规则。只给出文件时,连同整个目录集一起检查,只报告这些文件。"""
    started = time.perf_counter()
    result = run_check(tuple(paths), lang, strict, no_cache, jobs, need_model=False, whole_set=True)
    if since:
        from .history.run import since_for_paths
        from .diagnostics import ordered
        found = since_for_paths(since, tuple(paths))
        result.diagnostics = ordered([*result.diagnostics, *found])
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
        sev = entry.severity if lang == "en" else {"error": "错误", "warning": "警告"}.get(entry.severity, "提示")
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
    try:
        main(standalone_mode=True, obj=Lifetime(hard_exit=True))
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

