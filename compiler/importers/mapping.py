"""Table rows → item dictionaries, with a note for every normalisation (pure).

Every written cell of a data row ends up in the item: as a field value, in `source` (序号), or
as its original text in `raw` (unknown columns, and cells whose text was cleaned or could not
be read); merged and blank 一级事项 cells inherit the value above, with a note.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from .. import fields, vocabulary
from . import channels as ch
from . import headers as H
from .detect import Column, Table
from .grid import column_letters
from .text import has_numbering, strip_numbering, tidy

# The official template's text columns: a row with none of them filled is a note under the table.
CORE = {f.key for f in fields.OFFICIAL_COLUMNS if not f.sheet.ticks}
TICK = "√"
TICKS = {"√", "✓", "✔", "☑", "✅", "●", "■", "是", "v", "V", "y", "Y", "1", "对", "有"}
NOT_TICKED = {"×", "✗", "✘", "否", "无", "/", "／", "-", "—", "－", "0", "空"}
ORDER = fields.ITEM_KEYS


@dataclass
class Row:
    """One imported row: the item (without its generated id) and the notes about it."""

    row: int                                   # 0-based grid row
    item: dict
    cells: dict[str, str]                      # field → A1 reference of the cell it came from
    seq: str | None = None
    raw: dict[str, str] = field(default_factory=dict)
    previous_source: dict | None = None        # 导入来源 of a workbook written by gkml export
    notes: list[tuple[str, tuple[int, int], dict]] = field(default_factory=list)   # (code, cell, args)


@dataclass
class Mapped:
    """A table's rows as items, plus its footnotes and table-level notes."""

    table: Table
    rows: list[Row]
    footnotes: list[str]
    notes: list[tuple[str, tuple[int, int], dict]]


_BASIS_SPLIT = re.compile(r"(?<=[》)）])\s*[、;;,,]?\s*(?=《)")


def split_basis(text: str) -> tuple[list[str], bool, list[str]]:
    """Entries of a 公开依据 cell: one per line, and several 《…》 on one line split apart.

    Returns (entries, split inside a line?, removed list numbers)."""
    entries: list[str] = []
    inline = False
    numbers: list[str] = []
    for line in text.split("\n"):
        parts = [p for p in _BASIS_SPLIT.split(line) if p.strip()]
        if len(parts) > 1:
            inline = True
        for part in parts:
            part = part.strip().rstrip("、;;,,").strip()
            if has_numbering(part):
                bare = strip_numbering(part)
                numbers.append(part[: len(part) - len(bare)].strip())
                part = bare
            if part:
                entries.append(part)
    return entries, inline, numbers


def split_list(text: str) -> list[str]:
    """Entries of a list cell such as 协同公开单位 (lines, or 、 ; , separated)."""
    return [p.strip() for p in re.split(r"[\n、;;,,]", text) if p.strip()]


def _tick(text: str, column: Column) -> tuple[str, ...] | str | None:
    """The values a tick cell ticks, "no" for an explicit no (×, 否), None when it cannot be read.

    A cell may name a value instead of ticking (依申请公开 written under 主动): that value counts."""
    bare = text.strip()
    if bare in TICKS:
        return column.ticks
    if bare in NOT_TICKED:
        return "no"
    value = H.sub_role(bare)
    if value and value[0] == column.role:
        return value[1]
    return None


def map_table(table: Table) -> Mapped:
    """Items of every data row of a table."""
    grid = table.grid
    data_rows = set(table.rows)
    out: list[Row] = []
    notes = [(code, cell, args) for code, cell, args in table.header_notes]
    for r in table.skipped:
        notes.append(("GK812", (r, 0), {}))
    previous: Row | None = None
    core = [c.index for c in table.columns if c.role in CORE]
    seq = {c.index for c in table.columns if c.kind == "seq"}
    note_rows = list(table.note_rows)
    for r in table.rows:
        written = [(c, t) for c, t in enumerate(grid.cells[r]) if t and t.strip() and grid.origin(r, c) == (r, c)]
        if core and not any(grid.text(r, c) for c in core) and any(c not in seq for c, _ in written):
            note_rows.append(r)   # 填报人:… 日期:… under the table: no matter, no element
            continue
        row = _map_row(table, r, data_rows, previous)
        if row is None:
            continue
        out.append(row)
        previous = row
    for column in table.columns:
        if column.unlabelled and any(column.label in row.raw for row in out):
            notes.append(("GK820", column.header, {"found": column.label}))
    footnotes = []
    for r in sorted(note_rows):
        cells = [(c, t) for c, t in enumerate(grid.cells[r]) if t and t.strip()]
        text = tidy("\n".join(t for _, t in cells))
        footnotes.append(text)
        notes.append(("GK811", (r, cells[0][0] if cells else 0), {"found": text}))
    return Mapped(table, out, footnotes, notes)


def _map_row(table: Table, r: int, data_rows: set[int], previous: Row | None) -> Row | None:
    grid = table.grid
    row = Row(r, {}, {})
    ticks: dict[str, list[tuple[tuple[str, ...], tuple[int, int], str]]] = {}
    own = False   # does the row write anything of its own (besides 序号)?
    for column in table.columns:
        c = column.index
        origin = grid.origin(r, c)
        text = grid.text(*origin)
        if text is None or not text.strip():
            continue
        inherited = origin != (r, c)
        if inherited:
            if origin[0] != r and origin[0] not in data_rows:
                continue          # merged down from a header or title row
            if origin[1] != c and column.kind != "tick":
                continue          # a text cell merged across into this column belongs to its first column
        elif column.kind != "seq":
            own = True
        ref = grid.ref(*origin)
        if column.kind == "seq":
            row.seq = tidy(text, False)
            continue
        if column.kind == "raw":
            if not inherited:
                row.raw[_raw_key(row.raw, column.label, c)] = text
            continue
        if inherited:
            why = ("合并单元格", "merged cell")
            row.notes.append(("GK803", (r, c), {"column": column.label, "why": why[0], "why_en": why[1],
                                                "value": tidy(text, False), "origin": grid.where(*origin)}))
        if column.kind == "tick":
            verdict = _tick(text, column)
            if isinstance(verdict, tuple):
                if text.strip() != TICK:
                    if verdict == column.ticks:
                        row.notes.append(("GK806", origin, {"column": column.label, "found": text.strip()}))
                    else:
                        row.notes.append(("GK801", origin, {"column": column.label, "found": text.strip(),
                                                            "value": "、".join(verdict)}))
                        if not inherited:
                            row.raw[_raw_key(row.raw, column.label, c)] = text
                ticks.setdefault(column.role, []).append((verdict, origin, column.label))
            elif verdict is None and not inherited:
                row.raw[_raw_key(row.raw, column.label, c)] = text
                row.notes.append(("GK821", origin, {"column": column.label, "found": text.strip()}))
            continue
        _text_field(row, column, text, origin, ref, inherited)
    if not own:
        return None     # nothing written in the row itself: a blank row inside merged blocks
    _apply_ticks(row, ticks, grid)
    _inherit_blank_matter(table, row, previous)
    if not row.item and not row.raw:
        return None
    return row


def _raw_key(raw: dict, label: str, col: int) -> str:
    return f"{label}({column_letters(col)})" if label in raw else label


def _json_field(row: Row, column: Column, text: str, origin) -> None:
    """导入来源 / 原始文本 columns of a gkml workbook: JSON of an earlier import's source and raw."""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if column.role == "source" and isinstance(value, dict):
        row.previous_source = value
        return
    if column.role == "raw" and isinstance(value, dict) and all(
            isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()):
        for key, old in value.items():
            row.raw.setdefault(key, old)
        return
    row.raw[_raw_key(row.raw, column.label, column.index)] = text
    row.notes.append(("GK821", origin, {"column": column.label, "found": text[:40]}))


def _text_field(row: Row, column: Column, text: str, origin, ref: str, inherited: bool) -> None:
    name = column.role
    label = column.label
    field_ = fields.ITEM_BY_KEY[name]
    if field_.kind == fields.RECORD:
        if not inherited:
            _json_field(row, column, text, origin)
        return
    listed = name in ("channels", "optional_channels", "levels", "co_units", "requirements")
    multiline = field_.lines or field_.many
    clean = tidy(text, multiline, words=not listed)
    if not clean:
        return
    if clean != text.strip() and not inherited:
        row.raw[_raw_key(row.raw, label, column.index)] = text
        row.notes.append(("GK802", origin, {"column": label, "found": text, "value": clean}))
    row.cells[name] = ref
    if name == "basis":
        entries, inline, numbers = split_basis(clean)
        if inline:
            row.notes.append(("GK807", origin, {"column": label, "count": len(entries)}))
        for number in numbers:
            row.notes.append(("GK808", origin, {"column": label, "found": number}))
        if (inline or numbers) and not inherited:
            row.raw.setdefault(label, text)
        if entries:
            row.item["basis"] = entries
        return
    if name in ("co_units", "requirements"):
        row.item[name] = split_list(clean)
        return
    if name in ("channels", "optional_channels"):
        found = ch.parse(clean)
        for code, args in found.notes:
            row.notes.append((code, origin, args))
        if found.changed and not inherited:
            row.raw.setdefault(label, text)
        if name == "channels":
            if found.used:
                row.item["channels"] = found.used
            if found.optional:
                row.item["optional_channels"] = found.optional
        else:
            values = found.used + found.optional
            if values:
                row.item["optional_channels"] = values
        return
    if name == "levels":
        _text_levels(row, clean, origin, label, text, inherited)
        return
    if name in ("audience", "method"):
        value = (H.audience_value if name == "audience" else H.method_value)(clean)
        if value is None:
            row.notes.append(("GK821", origin, {"column": label, "found": clean}))
            value = clean         # kept as written: the validator names the allowed values
        elif value != clean:
            row.notes.append(("GK801", origin, {"column": label, "found": clean, "value": value}))
            if not inherited:
                row.raw.setdefault(label, text)
        row.item[name] = value
        return
    if name == "stage":
        canonical = vocabulary.get("stage").canonical
        if clean not in canonical:
            hit = [s for s in canonical if s in clean]
            if len(hit) == 1 and len(clean) <= 6:
                row.notes.append(("GK801", origin, {"column": label, "found": clean, "value": hit[0]}))
                row.raw.setdefault(label, text)
                clean = hit[0]
    row.item[name] = clean


def _text_levels(row: Row, clean: str, origin, label: str, text: str, inherited: bool) -> None:
    found: list[str] = []
    for piece in re.split(r"[\n、,,;;/ ]", clean):
        if not piece.strip():
            continue
        levels = H.level_values(piece)
        if levels is None:
            row.notes.append(("GK821", origin, {"column": label, "found": piece}))
            row.raw.setdefault(label, text)
            continue
        if levels != (piece,):
            row.notes.append(("GK801", origin, {"column": label, "found": piece, "value": "、".join(levels)}))
            if not inherited:
                row.raw.setdefault(label, text)
        found.extend(v for v in levels if v not in found)
    if found:
        order = vocabulary.get("level").canonical
        row.item["levels"] = sorted(found, key=order.index)


def _apply_ticks(row: Row, ticks: dict, grid) -> None:
    for name, hits in ticks.items():
        refs = ",".join(dict.fromkeys(grid.ref(*origin) for _, origin, _ in hits))
        if name == "levels":
            order = vocabulary.get("level").canonical
            values = sorted({v for values, _, _ in hits for v in values}, key=order.index)
            row.item["levels"] = values
            row.cells["levels"] = refs
            continue
        values = list(dict.fromkeys(v for values, _, _ in hits for v in values))
        if name == "channels":
            row.item["channels"] = values + [v for v in row.item.get("channels", []) if v not in values]
            row.cells["channels"] = refs
            continue
        row.item[name] = values[0]
        row.cells[name] = grid.ref(*hits[0][1])
        if len(values) > 1:
            row.notes.append(("GK822", hits[0][1], {"column": H.TITLES[name], "found": "、".join(values),
                                                    "value": values[0]}))
            for _, origin, label in hits[1:]:
                row.raw.setdefault(label, grid.text(*origin))


def _inherit_blank_matter(table: Table, row: Row, previous: Row | None) -> None:
    """A blank 一级事项 under a filled one: the cell was merged before the table was copied."""
    if "matter" in row.item or previous is None or "matter" not in previous.item:
        return
    if not any(col.role == "matter" for col in table.columns):
        return
    if not (row.item.keys() - {"matter"}):
        return
    row.item["matter"] = previous.item["matter"]
    row.cells["matter"] = previous.cells.get("matter", "")
    column = next(col for col in table.columns if col.role == "matter")
    row.notes.append(("GK803", (row.row, column.index), {"column": column.label, "why": "空白", "why_en": "blank",
                                                          "value": row.item["matter"],
                                                          "origin": f"{table.grid.name}!{row.cells['matter']}"}))


def ordered_item(item: dict) -> dict:
    """The item's keys in the order of docs/format.md (and its source cells in the same order)."""
    out = {k: item[k] for k in ORDER if k in item} | {k: v for k, v in item.items() if k not in ORDER}
    cells = out.get("source", {}).get("cells")
    if isinstance(cells, dict):
        out["source"]["cells"] = {k: cells[k] for k in ORDER if k in cells} | {k: v for k, v in cells.items() if k not in ORDER}
    return out
