"""Finding catalog tables in a cell grid: header rows, column meanings, section titles (pure).

A grid (one sheet or one document table) may hold several tables, each under a section title
such as (一)重大建设项目领域基层政务公开标准目录; the header has one or two rows (公开事项 over
一级事项/二级事项, 公开对象 over 全社会/特定群体, …).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from . import headers as H
from .channels import channel_label
from .grid import Grid
from .text import label_key, tidy


@dataclass(frozen=True)
class Column:
    """What one column of a table holds."""

    index: int
    label: str                       # display label: 公开时限, 公开对象/全社会, or the unknown header text
    role: str                        # a YAML field, "seq", or "raw" (kind "raw": an unknown column)
    kind: str                        # "text" | "tick" | "raw" | "seq"
    ticks: tuple[str, ...] = ()      # tick columns: the value(s) a tick means
    header: tuple[int, int] = (0, 0) # the header cell naming it
    unlabelled: bool = False         # a column without any header text


@dataclass
class Table:
    """One catalog table found in a grid."""

    grid: Grid
    columns: list[Column]
    header_rows: tuple[int, ...]
    titles: list[tuple[str, tuple[int, int] | None]] = field(default_factory=list)  # text, cell
    rows: list[int] = field(default_factory=list)          # data rows, 0-based
    note_rows: list[int] = field(default_factory=list)     # footnote rows kept as catalog notes
    skipped: list[int] = field(default_factory=list)       # repeated header rows
    header_notes: list[tuple[str, tuple[int, int], dict]] = field(default_factory=list)  # (code, cell, args)
    continued_from: Table | None = None
    header_keys: tuple[str, ...] = ()                      # the first header row, for spotting repeats


def _row_cells(grid: Grid, row: int) -> list[tuple[int, str]]:
    """(col, text) of the cells written in row (merge origins only)."""
    return [(c, t) for c, t in enumerate(grid.cells[row]) if t is not None and t.strip()]


def _roles(grid: Grid, row: int) -> set[str]:
    roles = set()
    for _, text in _row_cells(grid, row):
        role = H.top_role(text) or H.matter_sub(text)
        if role:
            roles.add(role)
        elif H.sub_role(text):
            roles.add("tick")
    return roles


def is_header(grid: Grid, row: int) -> bool:
    """A row naming at least three known columns, one of them a matter and one an element."""
    roles = _roles(grid, row)
    known = sum(1 for _, text in _row_cells(grid, row) if H.is_label(text))
    return known >= 3 and bool(roles & H.MATTER_ROLES) and bool(roles & H.ELEMENT_ROLES)


_SECTION = re.compile(r"^([(（][一二三四五六七八九十0-9]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分|附件)")
_NOTE = re.compile(r"^(注|备注|说明|填表说明|附注)\s*[::0-9一1]")


def _single_text(grid: Grid, row: int) -> tuple[int, str] | None:
    cells = _row_cells(grid, row)
    return cells[0] if len(cells) == 1 else None


def is_title(grid: Grid, row: int, in_table: bool) -> bool:
    """A row with one text only: a title before a table, or a section title or footnote inside it."""
    single = _single_text(grid, row)
    if single is None or H.is_label(single[1]):
        return False
    if not in_table:
        return True
    col, text = single
    wide = grid.span(row, col) >= max(3, grid.width // 2)
    return wide or bool(_SECTION.match(text.strip())) or bool(_NOTE.match(text.strip()))


def is_note(text: str) -> bool:
    """A footnote such as 注:■为必选渠道 (kept in the catalog notes)."""
    return bool(_NOTE.match(text.strip()))


def _is_sub_header(grid: Grid, row: int) -> bool:
    """The second header row: every cell written in it is a label, one at least a sub-column label."""
    cells = _row_cells(grid, row)
    subs = [t for _, t in cells if H.matter_sub(t) or H.sub_role(t) or channel_label(t)]
    return bool(subs) and all(H.is_label(t) for _, t in cells)


def read_header(grid: Grid, row: int) -> tuple[list[Column], tuple[int, ...], list]:
    """Columns of the header starting at row (one or two rows)."""
    width = grid.width
    below = row + 1
    two = below < grid.height and _is_sub_header(grid, below)
    rows = (row, below) if two else (row,)
    columns: list[Column] = []
    notes: list = []
    used: set[str] = set()
    for c in range(width):
        top_origin = grid.origin(row, c)
        top = grid.text(*top_origin)
        sub = None
        sub_cell = None
        if two:
            o = grid.origin(below, c)
            if o[0] == below:
                sub, sub_cell = grid.text(*o), o
                if o != (below, c):  # a sub label merged across columns applies to the first one only
                    sub = None if o[1] != c else sub
        column = _column(c, top, sub, top_origin, sub_cell)
        if column.kind not in ("raw", "tick") and column.role in used:
            column = Column(c, column.label, "raw", "raw", (), column.header)   # a second 公开内容: kept as is
        if column.kind not in ("raw", "tick"):
            used.add(column.role)
        for text, cell in ((top, top_origin), (sub, sub_cell)):
            if text and cell and cell[1] == c and label_key(text) != text.strip() and tidy(text, False) != text:
                notes.append(("GK813", cell, {"found": text, "value": label_key(text)}))
        if column.kind == "raw" and not column.unlabelled:
            notes.append(("GK820", column.header, {"found": column.label}))   # unlabelled ones: when they hold data
        elif column.kind == "tick":
            said = label.split("/")[-1] if (label := column.label) else ""
            if tuple(label_key(said).split("、")) != column.ticks and (said, ) != column.ticks:
                notes.append(("GK801", column.header, {"column": "表头", "found": said, "value": "、".join(column.ticks)}))
        columns.append(column)
    return columns, rows, notes


def _column(c: int, top: str | None, sub: str | None, top_cell, sub_cell) -> Column | None:
    top_key, sub_key = label_key(top), label_key(sub)
    role = H.top_role(top)
    if not top_key and not sub_key:
        return Column(c, f"第{c + 1}列", "raw", "raw", (), top_cell, unlabelled=True)
    label = "/".join(p for p in (tidy(top or "", False), tidy(sub or "", False)) if p)
    if role == "matter*":
        # no sub label: 公开事项 merged across two or three columns holds 一级 / 二级 / 三级 in turn
        by_offset = ("matter", "sub_matter", "third_matter")
        offset = c - top_cell[1]
        field_ = H.matter_sub(sub) if sub_key else (by_offset[offset] if offset < 3 else None)
        if field_:
            return Column(c, H.TITLES[field_], field_, "text", (), sub_cell or top_cell)
        return Column(c, label, "raw", "raw", (), sub_cell or top_cell)
    if role == "channels" and sub_key:
        # 公开渠道和载体 over 政府网站 / 政务服务中心 / …: one √ column per channel
        name = channel_label(sub)
        if name:
            return Column(c, label, "channels", "tick", (name,), sub_cell)
        return Column(c, label, "raw", "raw", (), sub_cell)
    if role in ("audience", "method", "levels"):
        if not sub_key:
            return Column(c, H.TITLES[role], role, "text", (), top_cell)
        ticks = H.sub_role(sub)
        if ticks and ticks[0] == role:
            return Column(c, label, role, "tick", ticks[1], sub_cell)
        return Column(c, label, "raw", "raw", (), sub_cell)
    if role == "extra*" or (role is None and sub_key and H.top_role(sub)):
        # 附加信息 over 事项编号 / 过程 / …: the sub label names the field
        inner = H.top_role(sub)
        if inner and not inner.endswith("*"):
            return Column(c, tidy(sub or "", False), inner, "text", (), sub_cell)
        return Column(c, label, "raw", "raw", (), sub_cell or top_cell)
    if role == "seq":
        return Column(c, "序号", "seq", "seq", (), top_cell)
    if role is not None:
        return Column(c, H.TITLES.get(role, label), role, "text", (), top_cell)
    # unknown or missing top label: a tick label on its own (县级 / 主动 in a one-row header)
    for text, cell in ((sub, sub_cell), (top, top_cell)):
        ticks = H.sub_role(text)
        if ticks:
            return Column(c, label, ticks[0], "tick", ticks[1], cell)
        matter = H.matter_sub(text)
        if matter:
            return Column(c, H.TITLES[matter], matter, "text", (), cell)
    return Column(c, label, "raw", "raw", (), sub_cell if sub_key else top_cell)


def _keys(grid: Grid, row: int) -> tuple[str, ...]:
    return tuple(label_key(t) for _, t in _row_cells(grid, row))


def find_tables(grid: Grid, previous: Table | None = None) -> list[Table]:
    """Every catalog table of a grid, in order; previous continues a table split across documents tables."""
    tables: list[Table] = []
    current: Table | None = None
    reuse: Table | None = None     # the header a section without a header of its own goes on with
    pending: list[tuple[str, tuple[int, int] | None]] = [(t, None) for t in grid.titles if t.strip()]
    row = 0
    while row < grid.height:
        cells = _row_cells(grid, row)
        if not cells:
            row += 1
            continue
        if current is not None and current.header_keys and _keys(grid, row) == current.header_keys:
            # a header repeated on every page of a document table
            height = 2 if row + 1 < grid.height and _is_sub_header(grid, row + 1) else 1
            current.skipped.extend(range(row, row + height))
            row += height
            continue
        if is_header(grid, row):
            columns, rows, notes = read_header(grid, row)
            current = Table(grid, columns, rows, titles=pending, header_notes=notes, header_keys=_keys(grid, row))
            tables.append(current)
            reuse = current
            pending = []
            row += len(rows)
            continue
        if is_title(grid, row, current is not None):
            col, text = cells[0]
            if current is not None and is_note(text):
                current.note_rows.append(row)
            elif current is not None and not current.rows and current.header_rows:
                current.titles.append((text, (row, col)))   # a subtitle between header and data
            else:
                if current is not None:
                    reuse = current
                current = None
                pending.append((text, (row, col)))
            row += 1
            continue
        if current is None:
            base = reuse or previous
            if base is None:
                # text before any header (附件2, 编制单位:…) is a title line
                pending.append(("".join(t for _, t in cells), (row, cells[0][0])))
                row += 1
                continue
            current = Table(grid, base.columns, (), titles=pending, continued_from=base if reuse is None else None,
                            header_keys=base.header_keys)
            tables.append(current)
            pending = []
        current.rows.append(row)
        row += 1
    if pending and tables:
        # trailing lines after the last table (落款, 日期): notes of that table
        last = tables[-1]
        for text, cell in pending:
            if cell is not None:
                last.note_rows.append(cell[0])
    return [t for t in tables if t.rows or t.note_rows or t.header_rows]


def read_metadata(grid: Grid) -> dict[str, dict[str, tuple[object, str]]] | None:
    """A metadata sheet → {sheet name or "*": {field: (value, where)}}; None when the grid is not one.

    Two layouts: gkml export's hidden sheet `gkml` (A1 gkml-xlsx, a header row, then one row of
    JSON values per catalog sheet), and a hand-written key/value sheet 目录信息 (applies to all)."""
    if label_key(grid.name) not in H.META_SHEETS:
        return None
    if grid.text(0, 0) == "gkml-xlsx" and grid.height > 1:
        names = [grid.text(1, c) for c in range(grid.width)]
        found: dict[str, dict[str, tuple[object, str]]] = {}
        for row in range(2, grid.height):
            entry = {name: (grid.text(row, c), (row, c)) for c, name in enumerate(names) if name}
            sheet = entry.get("sheet", (None, None))[0]
            if not sheet:
                continue
            values: dict[str, tuple[object, str]] = {}
            for key in ("region", "level", "area", "department", "version", "effective", "expires", "standard", "notes"):
                text, cell = entry.get(key, (None, None))
                if text is None:
                    continue
                try:
                    value = json.loads(text)
                except ValueError:
                    value = text
                if value is not None:
                    values[key] = (value, grid.where(*cell))
            found[sheet] = values
        return found
    pairs: dict[str, tuple[object, str]] = {}
    for row in range(grid.height):
        cells = _row_cells(grid, row)
        if len(cells) < 2:
            continue
        key = H.META_KEYS.get(label_key(cells[0][1]))
        if key:
            pairs[key] = (tidy(cells[1][1], key == "notes"), grid.where(row, cells[1][0]))
    return {"*": pairs}
