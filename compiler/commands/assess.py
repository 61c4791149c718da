"""`gkml assess`: the scorecard the provincial disclosure office circulates (docs/assess.md)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import __version__
from .. import config as project_config
from ..assess import compute
from ..assess_config import of as assess_settings
from ..assess_dates import Dates
from ..assess_render import RENDERERS, render_explain
from ..atomic import write_bytes
from ..diagnostics import ordered
from ..reporters import REPORTERS, Report
from ..sources import UsageError
from .common import (
    EXIT_CATALOG,
    EXIT_OK,
    config_file,
    emit,
    guarded,
    lang_option,
    output_option,
    run_check,
    with_cache_options,
)

FORMATS = sorted([*RENDERERS, "xlsx"])


@click.command("assess")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="输出格式 (output format):xlsx 每个层级一张工作表,须同时给出 --output。")
@click.option("--explain", metavar="REGION", help="列出某个地区(代码或名称)及其部门每个数字背后的诊断(代码、文件:行)。")
@click.option("--since", metavar="REV", help="与 git 修订版本 REV 比较,统计没有登记在 changes 中的调整(GK901)。")
@lang_option
@output_option
@with_cache_options
@guarded
def assess(paths, fmt, explain, since, lang, output, no_cache, jobs):
    """评估记分卡:每个地区、每个部门的领域覆盖、事项、上级事项落实、弱化、占位主体、失效依据、
    未登记调整、最近调整日期、得分与排名和报送状态(权重和截止日期见 gkml.yaml 的 assess:)。

    配置有错误时不评估(退出码 1,列出配置的问题);目录有错误不影响评估,计入得分。
    """
    en = lang == "en"
    if fmt == "xlsx" and not output:
        raise UsageError("--format xlsx 需要用 --output 指定工作簿文件,如 --output 记分卡.xlsx。",
                         "--format xlsx needs --output FILE, e.g. --output scorecard.xlsx.", option="--format")
    if fmt == "xlsx" and explain is not None:
        raise UsageError("--explain 的结果是文字,请用 --format text、markdown 或 json。",
                         "--explain writes text: use --format text, markdown or json.", option="--explain")
    config = project_config.load(config_file(), Path("."))
    problems = [d for d in config.diagnostics if d.severity.value == "error"]
    if problems:
        # a scorecard with the default weights in place of the wrong ones would mislead: refuse
        report = Report(tuple(ordered(problems)), 1, 0, 0, False, __version__)
        click.echo(REPORTERS["text"]().render(report, lang), err=True, nl=False)
        click.echo(("gkml: the configuration has errors; no scorecard was made." if en
                    else "gkml: 配置文件有错误,未生成记分卡。"), err=True)
        sys.exit(EXIT_CATALOG)
    result = run_check(tuple(paths), lang, False, no_cache, jobs)
    diagnostics = list(result.diagnostics)
    if since:
        from ..history.run import since_for_paths
        diagnostics += since_for_paths(since, tuple(paths))
    scorecard = scorecard_of(result, diagnostics, config, since or "")
    if explain is not None and not scorecard.find(explain):
        raise UsageError(f"记分卡中没有地区“{explain}”;请写地区代码或名称,如 341321 或 砀山县。",
                         f"no region '{explain}' in the scorecard; give a region code or name, e.g. 341321.",
                         option="--explain")
    if fmt == "xlsx":
        from ..assess_xlsx import workbook
        write_bytes(Path(output), workbook(scorecard, lang))
    elif explain and fmt == "json":
        emit(RENDERERS["json"](scorecard, lang, explain), output)
    elif explain:
        emit(render_explain(scorecard, explain, lang, markdown=fmt == "markdown"), output)
    else:
        emit(RENDERERS[fmt](scorecard, lang), output)
    sys.exit(EXIT_OK)


def scorecard_of(result, diagnostics, config: project_config.Config, since: str = ""):
    """The scorecard of a check result (diagnostics: its own, plus any --since findings)."""
    dates = Dates({f.source.name: f.dates for f in result.files})
    return compute(result.project, diagnostics, assess_settings(config.assess), dates, since)


COMMANDS = [assess]
