"""The coverage matrix (regions × key areas) and the legal-floor gaps, computed from a check result.

Pure: takes the project and its diagnostics, returns plain data that `gkml coverage` renders.
"""
from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass, field

from . import index as idx
from .diagnostics import Diagnostic
from .model import Project

COVERED, MISSING, INCOMPLETE, NOT_REQUIRED = "covered", "missing", "incomplete", "not-required"


@dataclass(frozen=True)
class Row:
    """One region of the matrix."""

    code: str
    name: str
    level: str
    parent: str | None = None   # the registry's parent (a township's county)


@dataclass(frozen=True)
class Cell:
    """One region's state for one area."""

    region: str
    area: str
    status: str          # covered | missing | incomplete | not-required
    required: bool
    matters: int
    errors: int
    files: tuple[str, ...]


@dataclass(frozen=True)
class Gap:
    """A legal-floor requirement no item of a region cites."""

    region: str
    id: str
    article: str
    title: str


@dataclass(frozen=True)
class Stray:
    """A file with errors that no cell shows: it cannot be read, is no catalog, or names no region."""

    file: str
    errors: int


@dataclass
class Matrix:
    """Everything `gkml coverage` shows."""

    rows: list[Row]
    areas: list[str]
    cells: dict[tuple[str, str], Cell]
    gaps: list[Gap] = field(default_factory=list)
    legal: bool = False
    strays: list[Stray] = field(default_factory=list)

    @property
    def missing(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.status == MISSING]

    @property
    def incomplete(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.status == INCOMPLETE]

    def failed(self, strict: bool = False) -> bool:
        """Exit 1: a required catalog is missing, a catalog or another file has errors; with strict also legal gaps."""
        return bool(self.missing or self.incomplete or self.strays or (strict and self.gaps))


def compute(project: Project, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], legal: bool = False) -> Matrix:
    """The matrix for a checked project; legal adds the uncovered requirements per region."""
    index = idx.of(project)
    registry = project.registry
    errors_per_file: dict[str, int] = {}
    for d in diagnostics:
        if d.severity.value == "error":
            errors_per_file[d.file] = errors_per_file.get(d.file, 0) + 1
    codes = {code for code in registry.regions if index.in_scope(code)} | {c for c in index.catalogs_by_region if c}
    rows = []
    for code in sorted(codes, key=lambda c: _tree_key(index, c)):
        region = registry.regions.get(code)
        level = region.level if region else next((c.level or "" for c in index.catalogs_by_region.get(code, ())), "")
        rows.append(Row(code, region.name if region else code, level, region.parent if region else None))
    areas = list(registry.areas)
    for (code, area) in sorted(index.catalogs_by_cell):
        if area not in areas:
            areas.append(area)
    cells: dict[tuple[str, str], Cell] = {}
    for row in rows:
        region = registry.regions.get(row.code)
        wanted = {a.name for a in index.required_areas(region)} if region else set()
        for area_name in areas:
            required = area_name in wanted
            catalogs = index.catalogs_by_cell.get((row.code, area_name), [])
            files = tuple(sorted(c.file for c in catalogs))
            matters = sum(len(c.items) for c in catalogs)
            errors = sum(errors_per_file.get(f, 0) for f in files)
            if catalogs:
                status = INCOMPLETE if errors else COVERED
            else:
                status = MISSING if required else NOT_REQUIRED
            cells[(row.code, area_name)] = Cell(row.code, area_name, status, required, matters, errors, files)
    shown = {f for cell in cells.values() for f in cell.files}
    strays = [Stray(f, n) for f, n in sorted(errors_per_file.items()) if f not in shown]
    matrix = Matrix(rows, areas, cells, legal=legal, strays=strays)
    if legal:
        matrix.gaps = legal_gaps(project, rows)
    return matrix


def _tree_key(index: idx.Index, code: str) -> tuple:
    """Rows in registry tree order: each region under its parent, a county's townships right after it."""
    return (*reversed(index.ancestors(code)), code)


def townships_under(rows: list, registry) -> tuple[list, dict[str, list]]:
    """(rows that are no township's, {county code: its township rows}) of rows carrying .code, in order.

    The portal shows a county's townships folded under the county's row; a township whose
    county is not in the matrix stays a row of its own."""
    parent_of = {r.code: r.parent for r in registry.regions.values() if r.level == "township"}
    shown = {r.code for r in rows}
    kept, under = [], {}
    for row in rows:
        parent = parent_of.get(row.code)
        if parent is not None and parent in shown and parent not in parent_of:
            under.setdefault(parent, []).append(row)
        else:
            kept.append(row)
    return kept, under


def legal_gaps(project: Project, rows: list[Row]) -> list[Gap]:
    """Per region, the requirements applicable to its level that no item of the region cites."""
    index = idx.of(project)
    gaps: list[Gap] = []
    for row in rows:
        cited = {rid for item in index.items_by_region.get(row.code, ()) for rid in item.requirements}
        for requirement in project.registry.requirements.values():
            if requirement.levels and row.level not in requirement.levels:
                continue
            if requirement.id not in cited:
                gaps.append(Gap(row.code, requirement.id, requirement.article, requirement.title))
    return gaps


# --- rendering -------------------------------------------------------------------------------

_STATUS = {COVERED: ("{n} 项", "{n}"), MISSING: ("缺失", "missing"), INCOMPLETE: ("有错误·{n} 项", "errors·{n}"),
           NOT_REQUIRED: ("—", "-")}


def _cell_text(cell: Cell, lang: str) -> str:
    template = _STATUS[cell.status][1 if lang == "en" else 0]
    return template.format(n=cell.matters)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _row_label(row: Row, lang: str) -> str:
    indent = "  " if row.level == "township" else ""   # a township's row sits under its county's
    return indent + (f"{row.code} {row.name}" if lang == "en" else f"{row.code} {row.name}({idx.level_name(row.level)})")


def render_text(matrix: Matrix, lang: str = "zh") -> str:
    """A fixed-width table for terminals (Chinese characters count double)."""
    en = lang == "en"
    header = ["region" if en else "地区", *matrix.areas]
    body = [[_row_label(r, lang), *(_cell_text(matrix.cells[(r.code, a)], lang) for a in matrix.areas)] for r in matrix.rows]
    widths = [max(_width(line[n]) for line in [header, *body]) for n in range(len(header))]
    lines = ["  ".join(_pad(text, widths[n]) for n, text in enumerate(line)).rstrip() for line in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    problems = _problems(matrix, lang)
    if problems:
        lines += ["", *problems]
    if matrix.legal:
        title, sections = _legal(matrix, lang)
        lines += ["", title]
        for heading, entries in sections:
            lines.append(f"  {heading}")
            lines.extend(f"    {e}" for e in entries)
        if not sections:
            lines.append("  none" if en else "  无")
    lines += ["", _totals(matrix, lang)]
    return "\n".join(lines) + "\n"


def _names(matrix: Matrix) -> dict[str, str]:
    """Each row's name as a finding names it: a township with its county (砀山县砀城镇)."""
    plain = {r.code: r.name for r in matrix.rows}
    return {r.code: (plain[r.parent] + r.name if r.level == "township" and r.parent in plain else r.name)
            for r in matrix.rows}


def _problems(matrix: Matrix, lang: str) -> list[str]:
    """One line per missing catalog and per catalog with errors."""
    en, names, out = lang == "en", _names(matrix), []
    for cell in sorted(matrix.missing, key=lambda c: (c.region, c.area)):
        out.append(f"missing: {names[cell.region]} ({cell.region}) has no catalog for '{cell.area}'" if en
                   else f"缺失:{names[cell.region]}({cell.region})没有“{cell.area}”目录")
    for cell in sorted(matrix.incomplete, key=lambda c: (c.region, c.area)):
        out.append(f"errors: {names[cell.region]} ({cell.region}) '{cell.area}': {cell.errors} errors in {', '.join(cell.files)}"
                   if en else f"有错误:{names[cell.region]}({cell.region})“{cell.area}”:{', '.join(cell.files)} 中有 {cell.errors} 个错误")
    for stray in matrix.strays:
        out.append(f"errors: {stray.file}: {stray.errors} errors (the file cannot be read or placed in the matrix; "
                   "gkml validate shows them)" if en
                   else f"有错误:{stray.file} 中有 {stray.errors} 个错误(无法读取或无法归入矩阵;用 gkml validate 查看)")
    return out


def _legal(matrix: Matrix, lang: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """Title and per-region sections of the legal-floor gaps."""
    en, names = lang == "en", _names(matrix)
    title = ("legal floor (regulation arts. 20, 21): requirements no item cites" if en
             else "法定公开要求(条例第二十条、第二十一条):没有事项引用的要求")
    sections = []
    for code in sorted({g.region for g in matrix.gaps}):
        gaps = [g for g in matrix.gaps if g.region == code]
        heading = f"{names.get(code, code)} ({code}): {len(gaps)}" if en else f"{names.get(code, code)}({code}):{len(gaps)} 项"
        sections.append((heading, [f"{g.id}  {g.article}  {g.title}" for g in gaps]))
    return title, sections


def _totals(matrix: Matrix, lang: str) -> str:
    covered = sum(1 for c in matrix.cells.values() if c.status == COVERED)
    required = sum(1 for c in matrix.cells.values() if c.required)
    if lang == "en":
        strays = f", {len(matrix.strays)} other files with errors" if matrix.strays else ""
        return (f"{len(matrix.rows)} regions, {len(matrix.areas)} areas: {covered} catalogs clean, "
                f"{len(matrix.missing)} missing, {len(matrix.incomplete)} with errors{strays} ({required} required)")
    strays = f",另有 {len(matrix.strays)} 个文件有错误" if matrix.strays else ""
    return (f"共 {len(matrix.rows)} 个地区、{len(matrix.areas)} 个领域:{covered} 个目录无误,"
            f"{len(matrix.missing)} 个缺失,{len(matrix.incomplete)} 个有错误{strays}(应编制 {required} 个)")


def render_markdown(matrix: Matrix, lang: str = "zh") -> str:
    """A Markdown table (for reports and pull requests)."""
    en = lang == "en"

    def esc(text: str) -> str:
        return text.replace("|", "\\|")
    lines = ["# " + ("Coverage: regions × key areas" if en else "重点领域覆盖情况(地区 × 领域)"), "",
             "| " + " | ".join(esc(h) for h in ["region" if en else "地区", *matrix.areas]) + " |",
             "|" + "---|" * (len(matrix.areas) + 1)]
    for r in matrix.rows:
        cells = [_cell_text(matrix.cells[(r.code, a)], lang) for a in matrix.areas]
        lines.append("| " + " | ".join(esc(t) for t in [_row_label(r, lang), *cells]) + " |")
    problems = _problems(matrix, lang)
    if problems:
        lines += ["", *(f"- {p}" for p in problems)]
    if matrix.legal:
        title, sections = _legal(matrix, lang)
        lines += ["", f"## {title}"]
        for heading, entries in sections:
            lines += ["", f"### {heading}", "", *(f"- {esc(e)}" for e in entries)]
        if not sections:
            lines += ["", "none" if en else "无"]
    lines += ["", _totals(matrix, lang)]
    return "\n".join(lines) + "\n"


def render_json(matrix: Matrix, lang: str = "zh") -> str:
    """Machine-readable matrix: regions, areas, cells, missing, gaps, summary."""
    data = {
        "version": 1,
        "regions": [asdict(r) for r in matrix.rows],
        "areas": matrix.areas,
        "cells": [dict(asdict(c), files=list(c.files)) for c in matrix.cells.values()],
        "missing": [{"region": c.region, "area": c.area} for c in matrix.missing],
        "incomplete": [{"region": c.region, "area": c.area, "errors": c.errors} for c in matrix.incomplete],
        "strays": [asdict(s) for s in matrix.strays],
        "summary": {"regions": len(matrix.rows), "areas": len(matrix.areas),
                    "covered": sum(1 for c in matrix.cells.values() if c.status == COVERED),
                    "missing": len(matrix.missing), "incomplete": len(matrix.incomplete)},
    }
    if matrix.legal:
        data["legal"] = [asdict(g) for g in matrix.gaps]
        data["summary"]["legal_gaps"] = len(matrix.gaps)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
