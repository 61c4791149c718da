"""The import as a whole: read every file, build every catalog, plan the writes (nothing written here)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, related
from ..limits import MAX_BYTES, MAX_NODES, CatalogTooLarge, check_size
from ..loader import parse
from ..registry import Registry, build_registry
from ..sources import discover, display, find_registry
from .assemble import IdPool, ImportedCatalog, Settings, import_grids
from .bases import basis_notes
from .grid import parse_ref
from .notes import ImportRefused, Note
from .paths import escape
from .readers import read_file
from .yamlout import schema_ref, to_yaml


@dataclass
class Planned:
    """One catalog to write: where, what text, and where it came from."""

    catalog: ImportedCatalog
    path: Path
    shown: str
    text: str


@dataclass
class Plan:
    """Everything an import run will write and report."""

    outputs: list[Planned] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    refused: list[ImportRefused] = field(default_factory=list)


def load_registry(out: Path) -> Registry:
    """The registry of the project the output folder belongs to (or of the current folder)."""
    folders = find_registry([str(out)]) or find_registry(["."])
    if not folders and Path("catalogs/registry").is_dir():
        folders = [Path("catalogs/registry")]
    parsed = []
    for folder in folders:
        for source in discover([str(folder)]):
            try:
                parsed.append(parse(source.read_bytes(), source.name))
            except OSError:
                continue
    return build_registry([p for p in parsed if p.data is not None])


@dataclass(frozen=True)
class Limits:
    """The size one written catalog may have: the loader's own limits unless a test asks for less."""

    nodes: int = MAX_NODES
    bytes: int = MAX_BYTES


def plan(files: list[str], out: Path, settings: Settings, registry: Registry, limits: Limits | None = None) -> Plan:
    """Read and convert every file; refusals are collected so that every bad file is reported."""
    limits = limits or Limits()
    result = Plan()
    used_ids = IdPool()
    used_names: set[str] = set()
    base = Path.cwd().resolve()
    for given in files:
        path = Path(given)
        shown = display(path, base) if path.exists() else given
        try:
            if not path.is_file():
                raise ImportRefused("GK849", shown)
            grids = read_file(path, shown)
            catalogs, notes = import_grids(shown, grids, registry, settings, used_ids, used_names)
            for catalog in catalogs:
                catalog.notes.extend(basis_notes(shown, catalog, registry, settings.today))
            planned = [_planned(shown, catalog, out, base, limits) for catalog in catalogs]
        except ImportRefused as refusal:
            result.refused.append(refusal)
            continue
        result.notes.extend(notes)
        for one in planned:
            result.outputs.append(one)
            result.notes.extend(one.catalog.notes)
    return result


def _planned(file: str, catalog: ImportedCatalog, out: Path, base: Path, limits: Limits) -> Planned:
    """One catalog's target (checked to stay inside out) and text (checked to fit the loader's limits)."""
    target = out / catalog.name
    why = escape(out, target)
    if why is not None:
        raise ImportRefused("GK861", file, path=target.as_posix(), why=why[0], why_en=why[1],
                            fix="删除或改正 --out 中指向别处的符号链接,或换一个 --out 目录。",
                            fix_en="remove or correct the symlink inside --out that points elsewhere, or choose another --out folder.")
    try:
        check_size(catalog.data, limits.nodes, limits.bytes)
        text = to_yaml(catalog.data, schema_ref(target), limits.bytes)
    except CatalogTooLarge as large:
        raise _too_large(file, catalog, large) from None
    return Planned(catalog, target, display(target, base), text)


def _too_large(file: str, catalog: ImportedCatalog, large: CatalogTooLarge) -> ImportRefused:
    """GK862: how large, the limit, and into how many parts of how many rows to split the table."""
    items = len(catalog.data.get("items") or [])
    rows = max(1, items * large.limit // large.size * 9 // 10)   # a tenth to spare: rows differ in size
    parts = -(-items // rows)
    if large.what == "nodes":
        size, limit = f"{items} 个事项共 {large.size:,} 个 YAML 节点", f"{large.limit:,} 个节点"
        size_en, limit_en = f"{items} matters, {large.size:,} YAML nodes", f"{large.limit:,} nodes"
    else:
        size, limit = f"{items} 个事项共 {_mb(large.size)}", _mb(large.limit)
        size_en, limit_en = f"{items} matters, {_mb(large.size)}", _mb(large.limit)
    return ImportRefused("GK862", file, table=catalog.label, size=size, limit=limit, size_en=size_en,
                         limit_en=limit_en, parts=parts, rows=rows)


def _mb(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{size / 1024:.0f} KB"


def with_cells(diagnostics: list[Diagnostic], outputs: list[Planned]) -> list[Diagnostic]:
    """Findings on imported items, each also naming the table cell it came from (表1!C12)."""
    by_file = {p.shown: p.catalog.data for p in outputs}
    out = []
    for d in diagnostics:
        data = by_file.get(d.file)
        extra = _cell_of(data, d.path) if data is not None else None
        if extra is not None:
            file, sheet, ref = extra
            row, col = parse_ref(ref)
            d = dataclasses.replace(d, related=d.related + (
                related(file, (row, col), (), d.item, f"原表格单元格 {sheet}!{ref}", f"table cell {sheet}!{ref}"),))
        out.append(d)
    return out


def _cell_of(data: dict, pointer: str) -> tuple[str, str, str] | None:
    parts = pointer.split("/")[1:]
    if len(parts) < 2 or parts[0] != "items" or not parts[1].isdigit():
        return None
    items = data.get("items") or []
    index = int(parts[1])
    if index >= len(items):
        return None
    source = items[index].get("source") or {}
    cells = source.get("cells") or {}
    key = parts[2] if len(parts) > 2 else None
    ref = cells.get(key) if key else None
    if ref is None:
        ref = f"A{source.get('row')}" if source.get("row") else None
    if not ref:
        return None
    ref = str(ref).split(",")[0]
    sheet = source.get("sheet") or (f"表{source['table']}" if "table" in source else "")
    return str(source.get("file", "")), sheet, ref
