"""`gkml export`: one official-layout workbook per catalog, written by the Excel builder.

The layout (two header rows with merges, √ columns, ■/□ channel list, merged 序号/一级事项 blocks,
附加信息 columns and the hidden gkml sheet) is compiler.builders.excel's; `gkml import` reads it
back into the same catalog.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from ..cli import run_check
from ..reporters import REPORTERS, Report
from ..sources import UsageError


def workbook_name(catalog_file: str, region: str | None) -> str:
    """<region>-<file stem>.xlsx for a catalog file such as catalogs/341321/social-assistance.yaml."""
    stem = Path(catalog_file).stem
    return f"{region}-{stem}.xlsx" if region else f"{stem}.xlsx"


def export_catalogs(paths: list[str], out: Path, force: bool, lang: str = "zh") -> list[str]:
    """Write every catalog under paths to out/<region>-<name>.xlsx; returns the files written."""
    from .. import __version__
    from ..builders.excel import write_catalogs_workbook

    result = run_check(tuple(paths), lang, False, True, 0)
    mine = {c.file for c in result.project.catalogs}
    errors = [d for d in result.diagnostics if d.severity.value == "error" and d.file in mine]
    if errors:
        report = Report(tuple(d for d in result.diagnostics if d.file in mine), len(result.files), len(result.project.catalogs),
                        sum(len(c.items) for c in result.project.catalogs), False, __version__)
        click.echo(REPORTERS["text"]().render(report, lang), err=True, nl=False)
        raise UsageError("目录有错误,未导出;请先修正上面的错误。" if lang != "en"
                         else "the catalogs have errors; nothing exported.")
    registry = result.project.registry
    planned: list[tuple[Path, object]] = []
    names: set[str] = set()
    for catalog in result.project.catalogs:
        name = workbook_name(catalog.file, catalog.region)
        stem, number = name[:-5], 2
        while name in names:
            name = f"{stem}-{number}.xlsx"
            number += 1
        names.add(name)
        planned.append((out / name, catalog))
    if not force:
        clashes = [str(p) for p, _ in planned if p.exists()]
        if clashes:
            raise UsageError("工作簿已存在(加 --force 覆盖):" + "、".join(clashes))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path, catalog in planned:
        area = registry.area(catalog.area)
        sheet = area.name if area else (catalog.area or "目录")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent)
        os.close(fd)
        try:
            write_catalogs_workbook(tmp, [(sheet, catalog)], registry=registry)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(path.as_posix())
    return written
