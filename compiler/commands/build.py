"""`gkml build`: validate, then write the portal, the workbooks and the JSON data."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..reporters import REPORTERS
from .common import (EXIT_CATALOG, EXIT_USAGE, config_file, guarded, lang_option, report_of, run_check, strict_option,
                     with_cache_options)


def _progress(length: int):
    return click.progressbar(length=length, label="生成", file=sys.stderr, show_pos=True)


def _not_built(result, strict: bool, out: str, lang: str) -> str:
    """Why nothing was built: the errors, or with --strict the warnings that blocked it."""
    errors = sum(1 for d in result.diagnostics if d.severity.value == "error")
    warnings = sum(1 for d in result.diagnostics if d.severity.value == "warning")
    if lang == "en":
        why = f"{errors} error{'s' if errors != 1 else ''}" if errors else \
            f"{warnings} warning{'s' if warnings != 1 else ''} (--strict)"
        return f"gkml build: not built: {why}; {out} is unchanged."
    why = f"目录有 {errors} 个错误" if errors else f"--strict 下有 {warnings} 个警告"
    return f"gkml build:{why},未生成;{out} 保持不变。请先修改上面列出的问题。"


def builder_options(staff: bool) -> dict:
    """What the builders are given besides the check: the site: section of gkml.yaml, its logo's bytes, --staff."""
    from .. import config as project_config
    config = project_config.load(config_file(), Path.cwd())
    site = {k: v for k, v in config.site.items() if k != "logo"}
    logo = None
    if config.site.get("logo") and config.root is not None:
        path = (config.root / str(config.site["logo"])).resolve()
        # the check refused a logo outside the project (GK124): a build never reads one
        if path.is_relative_to(config.root.resolve()) and path.is_file():
            logo = ("logo" + path.suffix.lower(), path.read_bytes())
    return {"site": site, "logo": logo, "staff": staff}


def _waiting(out: str, lang: str) -> str:
    if lang == "en":
        return f"gkml build: another gkml build is writing {out}; waiting for it to finish…"
    return f"gkml build:另一个 gkml build 正在生成 {out},等它完成后再生成……"


@click.command("build")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--out", "out", default="build", show_default=True, type=click.Path(file_okay=False),
              help="输出目录;其中的 site/、excel/、data/ 每次整体替换。")
@lang_option
@strict_option
@click.option("--staff", is_flag=True, help="同时生成工作人员页面(site/staff/:警告、覆盖情况的内部信息、评估记分卡);公开页面不链接它们。")
@with_cache_options
@guarded
def build_command(paths, out, lang, strict, staff, no_cache, jobs):
    """校验目录(默认 catalogs/),无错误时生成门户网站(site/)、Excel 工作簿(excel/)和 JSON 数据(data/)。"""
    import jinja2
    from .. import config as project_config
    from ..build import build, template_place
    from ..builders import theme as themes
    started = time.perf_counter()
    result = run_check(tuple(paths), lang, strict, no_cache, jobs)
    if result.exit_code(strict) != 0:
        click.echo(REPORTERS["text"]().render(report_of(result, strict), lang), nl=False)
        click.echo(_not_built(result, strict, out, lang), err=True)
        sys.exit(EXIT_CATALOG)
    inputs = [Path(p) for p in (paths or ("catalogs",))]
    scorecard = None
    config = project_config.load(config_file(), Path.cwd())
    if staff:   # the scorecard (gkml assess) is one of the staff pages
        from .assess import scorecard_of
        scorecard = scorecard_of(result, result.diagnostics, config)
    # the project folder (gkml.yaml's, else the working directory) may hold templates/ over the packaged ones
    theme = themes.load(config.root or Path.cwd())
    try:
        stats = build(result, Path(out), inputs, _progress if sys.stderr.isatty() else None, jobs=jobs,
                      reuse=not no_cache, waiting=lambda: click.echo(_waiting(out, lang), err=True), scorecard=scorecard,
                      options=builder_options(staff), theme=theme)
    except jinja2.TemplateError as exc:
        click.echo(themes.error_message(exc, themes.place(template_place(exc)), out, lang), err=True)
        sys.exit(EXIT_USAGE)
    elapsed = time.perf_counter() - started
    if lang == "en":
        written = ", ".join(f"{count} {noun}" for _, noun, count in stats.counts)
        where = " (see site/staff/warnings.html)" if staff else " (gkml build --staff lists them in site/staff/)"
        click.echo(f"built {out}: {written}, {stats.items} matters, {stats.warnings} warnings{where} ({elapsed:.1f} s)",
                   err=True)
    else:
        written = "、".join(f"{count} {noun}" for noun, _, count in stats.counts)
        where = "见 site/staff/warnings.html" if staff else "gkml build --staff 时列在 site/staff/"
        click.echo(f"已生成 {out}:{written},共 {stats.items} 个公开事项,{stats.warnings} 个警告({where}),"
                   f"用时 {elapsed:.1f} 秒。", err=True)


COMMANDS = [build_command]
