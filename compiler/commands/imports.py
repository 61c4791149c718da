"""`gkml import` (Excel / Word tables → catalog YAML) and `gkml export` (catalog → official workbook)."""
from __future__ import annotations

import os
import sys
import tempfile
import unicodedata
from pathlib import Path

import click

from .. import __version__
from ..atomic import write_text
from ..diagnostics import ordered
from ..pipeline import Options, check
from ..reporters import REPORTERS, Report
from ..sources import UsageError, discover
from ..vocabulary import LEVEL_NAMES, LEVELS
from .common import (
    EXIT_CATALOG,
    EXIT_OK,
    EXIT_USAGE,
    format_option,
    guarded,
    lang_option,
    run_check,
    today,
)

# --level accepts a level by its key or its Chinese name (the level table: vocabulary.py)
LEVEL_CHOICES = [*LEVELS, *(LEVEL_NAMES[level] for level in LEVELS)]


def _option(name: str, value: str | None) -> str | None:
    """An option's value, stripped; a usage error when it could not be a region code, area or unit name."""
    from ..importers.paths import region_problem, shown_value
    if value is None:
        return None
    value = value.strip()
    if not value or any(unicodedata.category(ch).startswith("C") for ch in value) or len(value) > 200:
        raise UsageError(f"--{name} 的值“{shown_value(value)}”无效:不能为空、不能含控制字符(如 NUL、换行),不超过 200 个字符。")
    if name == "region" and (problem := region_problem(value)) is not None:
        raise UsageError(f"--region 的值“{shown_value(value)}”不是地区代码:{problem}。例如 --region 341321。")
    return value


def _check_report(report: Path, files, outputs) -> None:
    """The review report may not replace an input table or a catalog the import writes."""
    real = os.path.realpath(report)
    for path in [*(Path(f) for f in files), *(p.path for p in outputs)]:
        if os.path.realpath(path) == real:
            raise UsageError(f"--report 指向了 {path},不会覆盖它;请换一个核对清单文件名。")


def _write_all(outputs, force: bool) -> None:
    """Write every catalog or none: all texts go to temporary files beside their targets first
    (a full disk or a read-only folder fails there), then each is moved into place."""
    staged: list[tuple[str, Path]] = []
    try:
        for planned in outputs:
            planned.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{planned.path.name}.", suffix=".tmp", dir=planned.path.parent)
            staged.append((tmp, planned.path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(planned.text.encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
        placed: list[Path] = []
        for tmp, target in staged:
            if force:
                os.replace(tmp, target)
                continue
            try:
                os.link(tmp, target)    # never replaces a file that appeared since the check
            except FileExistsError:
                for new in placed:      # this run created them: take them back, so nothing is half done
                    new.unlink()
                raise UsageError(f"输出文件已存在:{target}") from None
            placed.append(target)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)


def _refused(refusals, lang: str) -> None:
    en = lang == "en"
    for refusal in refusals:
        click.echo(f"{refusal.file}: {'error' if en else '错误'} {refusal.code}  {refusal.message(lang)}", err=True)
        click.echo(f"        {'fix: ' if en else '修改建议:'}{refusal.hint(lang)}", err=True)
    click.echo("nothing was written." if en else "未写入任何文件。", err=True)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--region", help="地区代码(GB/T 2260),如 341321;默认从标题、工作表名或文件名识别。")
@click.option("--level", type=click.Choice(LEVEL_CHOICES), help="目录层级;默认取自登记表或地区代码。")
@click.option("--area", help="重点领域;默认从分节标题、工作表名或文件名识别。")
@click.option("--department", help="编制单位;默认取自表头说明或最常见的公开主体。")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="catalogs", show_default=True,
              help="输出目录:每个表格写成 <地区代码>/<领域>.yaml。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件。")
@click.option("--report", "report_file", type=click.Path(dir_okay=False),
              help="把核对清单另存为文件(.json 为 JSON,其他为 Markdown)。")
@format_option
@lang_option
@guarded
def import_command(files, region, level, area, department, out_dir, force, report_file, fmt, lang):
    """导入 Excel(.xlsx)或 Word(.docx)中的目录表格,每个表格写成一个目录 YAML 并立即校验。"""
    from ..importers.assemble import Settings
    from ..importers.report import render_json, render_markdown, render_text
    from ..importers.run import load_registry, plan, with_cells

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out 不是目录:{out_dir}")
    region, area, department = (_option(name, value) for name, value in
                                (("region", region), ("area", area), ("department", department)))
    settings = Settings(region, level, area, department, today())
    result = plan(list(files), out, settings, load_registry(out))
    if result.refused:
        _refused(result.refused, lang)
        sys.exit(EXIT_USAGE)
    # every check before the first write: an import writes all of its files or none
    clashes = {p.path for p in result.outputs if p.path.exists()}
    if clashes and not force:
        from ..importers.notes import ImportRefused
        _refused([ImportRefused("GK858", p.shown, path=p.shown) for p in result.outputs if p.path in clashes], lang)
        sys.exit(EXIT_USAGE)
    if report_file:
        _check_report(Path(report_file), files, result.outputs)
    _write_all(result.outputs, force)
    outputs = [(p.catalog.label, p.shown, len(p.catalog.data["items"])) for p in result.outputs]
    # the review goes to stderr when stdout carries a machine-readable validation report
    click.echo(render_text(result.notes, outputs, lang), nl=False, err=fmt != "text")
    if report_file:
        render = render_json if report_file.lower().endswith(".json") else render_markdown
        write_text(Path(report_file), render(result.notes, outputs, lang))
    # validate what was written, in the context of its project (registry and neighbouring catalogs)
    checked = check(Options(paths=(str(out),), lang=lang), today())
    written = {p.shown for p in result.outputs}
    mine = [d for d in checked.diagnostics if d.file in written]
    mine = with_cells(mine, result.outputs)
    catalogs = [f.catalog for f in checked.files if f.source.name in written and f.catalog is not None]
    report = Report(tuple(ordered(mine)), len(written), len(catalogs), sum(len(c.items) for c in catalogs),
                    False, __version__)
    if fmt == "text":
        click.echo("")
    click.echo(REPORTERS[fmt]().render(report, lang), nl=False)
    sys.exit(EXIT_CATALOG if any(d.severity.value == "error" for d in mine) else EXIT_OK)


@click.command("export")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="excel", show_default=True,
              help="输出目录:每个目录写成一个 .xlsx 工作簿。")
@click.option("--force", is_flag=True, help="覆盖已存在的工作簿。")
@lang_option
@guarded
def export_command(paths, out_dir, force, lang):
    """把目录导出为国家模板格式的 Excel 工作簿(每个目录一个工作簿),可再用 gkml import 导入。"""
    from ..importers.export import plan_workbooks, write_workbooks

    named = {s.name: s for s in discover(list(paths))}
    result = run_check(tuple(paths), lang, False, True, 0)
    # every finding of a file the user named counts, whether or not it became a catalog (a file
    # that does not parse has no catalog, and its errors must still stop the export)
    mine = [d for d in result.diagnostics if d.file in named]
    if any(d.severity.value == "error" for d in mine):
        catalogs = [c for c in result.project.catalogs if c.file in named]
        report = Report(tuple(mine), len(named), len(catalogs), sum(len(c.items) for c in catalogs), False, __version__)
        click.echo(REPORTERS["text"]().render(report, lang), err=True, nl=False)
        raise UsageError("目录有错误,未导出;请先修正上面的错误。", "the catalogs have errors; nothing exported.")
    catalogs = [c for c in result.project.catalogs if c.file in named]
    if not catalogs:
        registries = [n for n, s in named.items() if s.kind == "registry"]
        if registries:
            raise UsageError(f"{'、'.join(registries)} 是登记表文件,不是目录;未导出。请给出目录文件或目录所在的文件夹。",
                             f"{', '.join(registries)} is a registry file, not a catalog; nothing exported.")
        raise UsageError(f"在 {' '.join(paths)} 中没有找到目录文件(.yaml);未导出。",
                         f"no catalog file (.yaml) found in {' '.join(paths)}; nothing exported.")
    planned = plan_workbooks(catalogs, Path(out_dir))
    clashes = [str(w.path) for w in planned if w.path.exists()]
    if clashes and not force:
        raise UsageError("工作簿已存在(加 --force 覆盖):" + "、".join(clashes),
                         "workbooks exist (--force overwrites them): " + ", ".join(clashes))
    for name in write_workbooks(planned, result.project.registry):
        click.echo(name)
    sys.exit(EXIT_OK)


COMMANDS = [import_command, export_command]
