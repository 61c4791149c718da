"""Catalogs → one official-layout workbook each, written by the Excel builder (`gkml export`'s library part).

The layout (two header rows with merges, √ columns, ■/□ channel list, merged 序号/一级事项 blocks,
附加信息 columns and the hidden gkml sheet) is compiler.builders.excel's; `gkml import` reads it
back into the same catalog. Checking the input and reporting is the command's
(compiler/commands/imports.py); this module only names and writes workbooks.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import NamedTuple

from ..model import Catalog
from ..registry import Registry


class Workbook(NamedTuple):
    """One workbook to write: where, and the catalogs it holds (a file of sections: one sheet per area)."""

    path: Path
    catalogs: tuple[Catalog, ...]


def workbook_name(catalog_file: str, region: str | None) -> str:
    """<region>-<file stem>.xlsx for a catalog file such as catalogs/341321/social-assistance.yaml."""
    stem = Path(catalog_file).stem
    return f"{region}-{stem}.xlsx" if region else f"{stem}.xlsx"


def plan_workbooks(catalogs: list[Catalog], out: Path) -> list[Workbook]:
    """One workbook per catalog file under out, each name once (a clash gets -2, -3 …); the
    sections of one file (a township's areas) are the sheets of one workbook, as published."""
    planned: list[Workbook] = []
    names: set[str] = set()
    files: dict[str, list[Catalog]] = {}
    for catalog in catalogs:
        files.setdefault(catalog.file if catalog.section is not None else catalog.name, []).append(catalog)
    for group in files.values():
        catalog = group[0]
        name = workbook_name(catalog.file, catalog.region)
        stem, number = name[:-5], 2
        while name in names:
            name = f"{stem}-{number}.xlsx"
            number += 1
        names.add(name)
        planned.append(Workbook(out / name, tuple(group)))
    return planned


def write_workbooks(planned: list[Workbook], registry: Registry) -> list[str]:
    """Write every planned workbook atomically (a temporary file renamed into place); returns their paths."""
    from ..builders.excel import write_catalogs_workbook

    written = []
    for path, catalogs in planned:
        path.parent.mkdir(parents=True, exist_ok=True)
        sheets = []
        for catalog in catalogs:
            area = registry.area(catalog.area)
            sheets.append((area.name if area else (catalog.area or "目录"), catalog))
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".xlsx", dir=path.parent)
        os.close(fd)
        try:
            write_catalogs_workbook(tmp, sheets, registry=registry)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(path.as_posix())
    return written
