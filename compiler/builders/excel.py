"""Official-layout Excel workbooks (XlsxWriter), and the exact inverse reader (openpyxl).

Layout of a catalog sheet (documented in docs/data.md, "Excel workbooks"):

    row 1   title, merged over the official columns        (e.g. 砀山县义务教育领域政务公开事项目录)
    row 2   metadata line: 编制单位 / 版本 / 生效日期 / 层级
    row 3   header, upper row: 序号 | 公开事项 (merged) | 公开内容(要素) | … | 公开对象 | 公开方式 | 公开层级 | 附加信息
    row 4   header, lower row: 一级事项 二级事项 [三级事项] | 全社会 特定群体 | 主动 依申请 | 县级 乡级 … | 事项编号 …
    row 5…  one row per item; 序号 and 一级事项 merged over each block of consecutive items with the same 一级事项

Official columns come first and are the print area; the 附加信息 columns to their right carry every
other item field (id, implements, …) so that a workbook can be read back into exactly the same
catalog. A hidden sheet named ``gkml`` records, per catalog sheet, the catalog's own fields and the
field key of every column; ``read_catalog_workbook`` uses it to invert ``write_catalogs_workbook``.

Text cells are always strings (inline, or shared when escaping is needed), so a cell starting with
= + - @ stays text, never a formula.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from .. import fields, vocabulary
from ..model import Catalog, Item
from ..vocabulary import LEVEL_NAMES
from .common import build_moment, catalog_blocks, channel_marks, level_columns, source_epoch, text_of
from .sheetlayout import FONT_SIZE, lines, row_height
from .xlsxbook import ZIP_LEVEL, Workbook

FONT = "宋体"          # SimSun: the font of official tables; every Chinese Windows/WPS has it
# where 宋体 is missing, charset 134 (GB2312) and family 3 (as Chinese Excel writes 宋体) make
# Excel and WPS take another Simplified Chinese face rather than any face with the glyphs
FONT_HINTS = {"font_name": FONT, "font_charset": 134, "font_family": 3}
META_SHEET = "gkml"    # the hidden sheet that makes a workbook readable back
LAYOUT_VERSION = 1
TITLE_ROW, META_ROW, HEAD_ROW, SUB_ROW, FIRST_ROW = 0, 1, 2, 3, 4
PAGE_FOOTER = "&C第 &P 页,共 &N 页"   # every printed page of every sheet


@dataclass(frozen=True, slots=True)
class Column:
    """One sheet column: field key, upper header (group), lower header, width in characters."""

    key: str          # item field, or field:value for a √ column ("audience:全社会"), or "no"
    group: str        # upper header row text; equal neighbours are merged
    label: str        # lower header row text ('' when the group spans both rows)
    width: float
    center: bool = False
    official: bool = True


# The columns come from the field table (compiler/fields.py): the template's, then the 附加信息 ones.
LIST_FIELDS = fields.LIST_ITEM_KEYS
JSON_FIELDS = fields.RECORD_ITEM_KEYS       # records, written as JSON text
CATALOG_FIELDS = fields.CATALOG_KEYS        # the gkml sheet's catalog columns
TICK_WIDTH = 5.5


def catalog_columns(catalog: Catalog) -> list[Column]:
    """Every column of a catalog sheet, official first, then the 附加信息 columns."""
    cols = [Column("no", "序号", "", 5, center=True)]
    for f in fields.OFFICIAL_COLUMNS:
        sheet = f.sheet
        if sheet.sparse and not any(map(_value(f), catalog.items)):
            continue
        if sheet.ticks:
            # a list shows the values its items use (公开层级), a single choice all of them
            values = level_columns([catalog]) if f.many else vocabulary.get(f.vocabulary).canonical
            cols += [Column(f"{f.key}:{v}", sheet.heading, v, TICK_WIDTH, center=True) for v in values]
        elif sheet.group:
            cols.append(Column(f.key, sheet.group, sheet.heading, sheet.width))
        else:
            cols.append(Column(f.key, sheet.heading, "", sheet.width))
    cols += [Column(f.key, "附加信息", f.sheet.heading, f.sheet.width, official=False) for f in fields.EXTRA_COLUMNS]
    return cols


def _value(field: fields.Field):
    """item -> the field's value: the model's, or as written for a field the model does not carry."""
    key = field.key
    return attrgetter(key) if field.model else (lambda item: item.data.get(key))


def _getter(key: str):
    """A function giving the cell text of one column for an item."""
    if key == "channels":      # ■ chosen and □ optional channels, in one cell
        return lambda item: "\n".join(f"{mark}{name}" for mark, name in channel_marks(item))
    if ":" in key:
        name, value = key.split(":", 1)
        of = _value(fields.ITEM_BY_KEY[name])
        if name in LIST_FIELDS:
            return lambda item: "√" if value in of(item) else ""
        return lambda item: "√" if of(item) == value else ""
    of = _value(fields.ITEM_BY_KEY[key])
    if key in JSON_FIELDS:
        def as_json(item: Item) -> str:
            value = of(item)
            return json.dumps(value, ensure_ascii=False, sort_keys=True) if value is not None else ""
        return as_json
    if key in LIST_FIELDS:
        return lambda item: "\n".join(text_of(v) for v in of(item) or ())
    if fields.ITEM_BY_KEY[key].model:
        return lambda item: text_of(getattr(item, key))
    return lambda item: text_of(item.data.get(key))


def catalog_rows(catalog: Catalog, columns: list[Column] | None = None) -> list[list[str]]:
    """The cell texts of every item row (序号 is the block number, as text)."""
    columns = columns or catalog_columns(catalog)
    number = {}
    for n, (first, last) in enumerate(catalog_blocks(catalog), 1):
        for i in range(first, last + 1):
            number[i] = str(n)
    getters = [None if c.key == "no" else _getter(c.key) for c in columns]
    return [[number[n] if get is None else get(item) for get in getters] for n, item in enumerate(catalog.items)]


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(wanted: list[str], taken: set[str] | None = None) -> list[str]:
    """Valid, unique Excel sheet names (≤31 characters, no []:*?/\\), in order."""
    seen = {t.lower() for t in (taken or set())}
    out = []
    for name in wanted:
        base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "Sheet"
        candidate, n = base[:31], 1
        while candidate.lower() in seen:
            n += 1
            suffix = f"({n})"
            candidate = base[:31 - len(suffix)] + suffix
        seen.add(candidate.lower())
        out.append(candidate)
    return out


FORMAT_NAMES = ("title", "meta", "head", "extra_head", "text", "center", "block", "extra", "link")


class _Formats:
    def __init__(self, wb: xlsxwriter.Workbook):
        base = {**FONT_HINTS, "font_size": FONT_SIZE, "border": 1, "text_wrap": True, "valign": "top"}
        self.title = wb.add_format({**FONT_HINTS, "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"})
        self.meta = wb.add_format({**FONT_HINTS, "font_size": FONT_SIZE, "align": "left", "valign": "vcenter"})
        self.head = wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#F2F2F2"})
        self.extra_head = wb.add_format({**base, "bold": True, "align": "center", "valign": "vcenter",
                                         "bg_color": "#E7EEF7", "font_color": "#44546A"})
        self.text = wb.add_format(base)
        self.center = wb.add_format({**base, "align": "center", "valign": "vcenter"})
        self.block = wb.add_format({**base, "valign": "vcenter"})
        self.extra = wb.add_format({**base, "font_color": "#44546A"})
        self.link = wb.add_format({**FONT_HINTS, "font_size": FONT_SIZE, "border": 1, "font_color": "#0563C1", "underline": 1})
        # style indexes fixed in creation order, before any cell uses them: prepared sheet text
        # (SheetBody) refers to them by number, and must mean the same styles in every workbook
        self.xf = {name: getattr(self, name)._get_xf_index() for name in FORMAT_NAMES}


def canonical_xf() -> dict[str, int]:
    """The style index of every format name, as every workbook written here numbers them."""
    wb = xlsxwriter.Workbook(None, {"in_memory": True})
    try:
        return _Formats(wb).xf
    finally:
        wb.fileclosed = True   # never written: nothing to close


def _region_name(registry, code: str | None) -> str:
    region = registry.regions.get(code or "") if registry is not None else None
    return region.name if region else (code or "")


def _area_name(registry, name: str | None) -> str:
    area = registry.area(name) if registry is not None else None
    return area.name if area else (name or "")


class SheetBody(NamedTuple):
    """The prepared XML of a catalog sheet's cells: the same text in every workbook that holds the catalog."""

    dimension: str
    data: str
    merges: str
    shared: tuple[str, ...] = ()   # texts of the shared-string placeholders in data, by number
    fields: tuple[str, ...] = ()   # the catalog's own CATALOG_FIELDS as JSON text, for the gkml sheet


class _CatalogSheet(Worksheet):
    """A worksheet whose dimension, cells and merges are written from a prepared SheetBody.

    XlsxWriter still writes everything around them (columns, panes, print setup, defined names);
    only the per-cell part, 90 % of the work at province scale, is ours: inline strings and fixed
    style indexes make it independent of the workbook, so one catalog's text serves both the
    region and the area workbook.
    """

    body: SheetBody
    data: str

    def use(self, body: SheetBody) -> None:
        """Take a prepared body; its rare shared-string cells get this workbook's string indexes."""
        self.body = body
        data = body.data
        if body.shared:
            index = [self.str_table._get_shared_string_index(text) for text in body.shared]
            data = _SHARED_MARK.sub(lambda m: str(index[int(m.group(1))]), data)
        self.data = data

    def _write_dimension(self) -> None:
        self.fh.write(f'<dimension ref="{self.body.dimension}"/>')

    def _write_sheet_data(self) -> None:
        self.fh.write(self.data)

    def _write_merge_cells(self) -> None:
        self.fh.write(self.body.merges)


_ESCAPED_ESCAPE = re.compile("_x[0-9a-fA-F]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_XML_SPECIAL = re.compile("[&<>]")
_SHARED_MARK = re.compile("\x00([0-9]+)\x00")    # \x00 cannot occur in XML text, so it cannot collide


_SPECIAL = re.compile(r"[\x00-\x08\x0b-\x1f&<>]|_x[0-9a-fA-F]{4}_|^\s|\s$")


def _inline(ref: str, style: int, text: str, shared: list[str]) -> str:
    """One text cell: an inline string, or (for text Excel would unescape) a shared-string placeholder."""
    if _SPECIAL.search(text) is None:      # the common case: nothing to escape
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{text}</t></is></c>'
    if "_x" in text and _ESCAPED_ESCAPE.search(text) or _CONTROL.search(text):
        # text with control characters or literal _xHHHH_ goes through the shared-string table,
        # whose escaping every reader (Excel, LibreOffice, openpyxl) undoes; inline strings'
        # escapes are not undone by openpyxl, so `gkml import` would read them back changed
        shared.append(text)
        return f'<c r="{ref}" s="{style}" t="s"><v>\x00{len(shared) - 1}\x00</v></c>'
    if _XML_SPECIAL.search(text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


def sheet_body(catalog: Catalog, title: str, columns: list[Column], xf: dict[str, int], info: str = "") -> SheetBody:
    """The cells, dimension and merges of a catalog sheet as XML text (xf: style index per format name;
    info: the metadata block's line, builders/metadata.py)."""
    letters = [xl_col_to_name(k) for k in range(len(columns))]
    official = [c for c in columns if c.official]
    last_official = len(official) - 1
    merges: list[tuple[int, int, int, int]] = []
    out: list[str] = []
    shared: list[str] = []

    def merge(r1: int, c1: int, r2: int, c2: int, text: str, style: int) -> None:
        merges.append((r1, c1, r2, c2))
        for r in range(r1, r2 + 1):
            for k in range(c1, c2 + 1):
                if (r, k) != (r1, c1):
                    head_cells.setdefault(r, {})[k] = f'<c r="{letters[k]}{r + 1}" s="{style}"/>'
        head_cells.setdefault(r1, {})[c1] = _inline(f"{letters[c1]}{r1 + 1}", style, text, shared)

    head_cells: dict[int, dict[int, str]] = {}
    merge(TITLE_ROW, 0, TITLE_ROW, last_official, title, xf["title"])
    meta = "  ".join(part for part in (
        f"编制单位:{catalog.department or ''}", f"版本:{catalog.version or ''}",
        f"生效日期:{catalog.effective}" if catalog.effective else "",
        f"层级:{LEVEL_NAMES.get(catalog.level or '', catalog.level or '')}", info) if part)
    merge(META_ROW, 0, META_ROW, last_official, meta, xf["meta"])
    # two header rows: a group spanning both rows when it has no sub-columns, else merged across its subs
    head_lines = {HEAD_ROW: 1, SUB_ROW: 1}
    n = 0
    while n < len(columns):
        col = columns[n]
        head = xf["head"] if col.official else xf["extra_head"]
        end = n
        while end + 1 < len(columns) and columns[end + 1].group == col.group and col.label and columns[end + 1].label:
            end += 1
        if not col.label:
            merge(HEAD_ROW, n, SUB_ROW, n, col.group, head)
            # a header over both rows: what the two rows cannot hold goes to the lower one
            head_lines[SUB_ROW] = max(head_lines[SUB_ROW], lines(col.group, col.width) - head_lines[HEAD_ROW])
        else:
            if end > n:
                merge(HEAD_ROW, n, HEAD_ROW, end, col.group, head)
            else:
                head_cells.setdefault(HEAD_ROW, {})[n] = _inline(f"{letters[n]}{HEAD_ROW + 1}", head, col.group, shared)
            head_lines[HEAD_ROW] = max(head_lines[HEAD_ROW], lines(col.group, sum(c.width for c in columns[n:end + 1])))
            for k in range(n, end + 1):
                head_cells.setdefault(SUB_ROW, {})[k] = _inline(f"{letters[k]}{SUB_ROW + 1}", head, columns[k].label, shared)
                head_lines[SUB_ROW] = max(head_lines[SUB_ROW], lines(columns[k].label, columns[k].width))
        n = end + 1
    for r in sorted(head_cells):
        height = ' ht="30" customHeight="1"' if r == TITLE_ROW else ""
        if r in head_lines:
            height = f' ht="{row_height(head_lines[r])}" customHeight="1"'
        row = head_cells[r]
        out.append(f'<row r="{r + 1}"{height}>' + "".join(row[k] for k in sorted(row)) + "</row>")

    rows = catalog_rows(catalog, columns)
    merged = [k for k, c in enumerate(columns) if c.key in ("no", "matter")]
    starts_block: set[int] = set()   # rows that start a block of the same 一级事项
    for first, last in catalog_blocks(catalog):
        if last > first:
            for k in merged:
                merges.append((FIRST_ROW + first, k, FIRST_ROW + last, k))
        starts_block.add(first)
    styles = [xf["center"] if c.center else (xf["text"] if c.official else xf["extra"]) for c in columns]
    merged_styles = {k: xf["center"] if columns[k].center else xf["block"] for k in merged}
    widths = [c.width for c in columns]
    measured = [k for k, c in enumerate(columns) if c.official and k not in merged]
    for r, row in enumerate(rows):
        number = FIRST_ROW + r + 1
        cells = []
        first = r in starts_block
        for k, value in enumerate(row):
            ref = f"{letters[k]}{number}"
            if k in merged_styles:
                style = merged_styles[k]
                if not first:
                    cells.append(f'<c r="{ref}" s="{style}"/>')
                elif columns[k].key == "no":
                    cells.append(f'<c r="{ref}" s="{style}"><v>{int(value)}</v></c>')
                else:
                    cells.append(_inline(ref, style, value, shared))
            elif value:
                cells.append(_inline(ref, styles[k], value, shared))
            elif columns[k].official:      # empty official cells still need their borders; extras stay empty
                cells.append(f'<c r="{ref}" s="{styles[k]}"/>')
        # explicit row heights: LibreOffice (and Excel for merged cells) do not grow rows for wrapped text
        height = row_height(max((lines(row[k], widths[k]) for k in measured), default=1))
        out.append(f'<row r="{number}" ht="{height}" customHeight="1">' + "".join(cells) + "</row>")
    last_row = FIRST_ROW + len(rows)
    dimension = f"A1:{letters[len(columns) - 1]}{max(last_row, SUB_ROW + 1)}"
    merge_text = "".join(f'<mergeCell ref="{letters[c1]}{r1 + 1}:{letters[c2]}{r2 + 1}"/>' for r1, c1, r2, c2 in merges)
    return SheetBody(dimension, "<sheetData>" + "".join(out) + "</sheetData>",
                     f'<mergeCells count="{len(merges)}">{merge_text}</mergeCells>' if merges else "", tuple(shared),
                     tuple(_json_scalar(catalog.data.get(k)) for k in CATALOG_FIELDS))


def _setup_catalog_sheet(ws, catalog: Catalog, columns: list[Column]) -> None:
    """Everything of a catalog sheet that is not a cell: widths, panes, print setup."""
    last_official = sum(1 for c in columns if c.official) - 1
    for n, col in enumerate(columns):
        ws.set_column(n, n, col.width)
    last_row = FIRST_ROW + max(len(catalog.items), 1) - 1
    ws.freeze_panes(FIRST_ROW, 0)
    ws.set_landscape()
    ws.set_paper(9)                       # A4
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.repeat_rows(HEAD_ROW, SUB_ROW)     # the two header rows on every printed page
    ws.print_area(TITLE_ROW, 0, last_row, last_official)
    ws.fit_to_pages(1, 0)                 # one page wide, as many pages tall as needed
    ws.set_footer(PAGE_FOOTER)
    ws.hide_gridlines(0)


def catalog_sheet_title(catalog: Catalog, registry) -> str:
    """Row 1 of a catalog sheet."""
    return f"{_region_name(registry, catalog.region)}{_area_name(registry, catalog.area)}领域政务公开事项目录"


def write_catalogs_workbook(path: Path | str, sheets: list[tuple[str, Catalog | list[Catalog]]], *,
                            registry=None, summary: str | None = None, bodies=None) -> list[str]:
    """Write catalogs to an official-layout workbook, one catalog per sheet; returns the sheet names.

    sheets: (wanted sheet name, catalog) pairs (a one-element list of catalogs is accepted too).
    registry (optional) gives region and area names for titles; summary, when given, is the
    title of a first 汇总 sheet listing every catalog sheet with its item count. bodies (optional)
    replaces sheet_body, e.g. with a memo shared by several workbooks.
    """
    pairs = []
    for name, cats in sheets:
        if isinstance(cats, list):
            if len(cats) != 1:
                raise ValueError("one catalog per sheet")
            cats = cats[0]
        pairs.append((name, cats))
    names = sheet_names([n for n, _ in pairs], {META_SHEET, "汇总"} if summary else {META_SHEET})
    wb = Workbook(str(path), {"in_memory": True, "constant_memory": False, "strings_to_numbers": False,
                               "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties(properties([c for _, c in pairs], summary or (names[0] if names else "")))
    wb.set_calc_mode("manual")
    fmt = _Formats(wb)
    if summary:
        _write_summary(wb.add_worksheet("汇总"), fmt, summary, list(zip(names, (c for _, c in pairs))), registry)
    meta_rows = []
    for name, catalog in zip(names, (c for _, c in pairs)):
        columns = catalog_columns(catalog)
        title = catalog_sheet_title(catalog, registry)
        ws = wb.add_worksheet(name, worksheet_class=_CatalogSheet)
        _setup_catalog_sheet(ws, catalog, columns)
        body = bodies(catalog, title, columns, fmt.xf) if bodies else sheet_body(catalog, title, columns, fmt.xf)
        ws.use(body)
        meta_rows.append([name, catalog.file] + list(body.fields)
                         + [str(HEAD_ROW + 1), str(FIRST_ROW + 1), json.dumps([c.key for c in columns], ensure_ascii=False)])
    meta = wb.add_worksheet(META_SHEET)
    header = ["sheet", "file", *CATALOG_FIELDS, "header_row", "first_row", "columns"]
    meta.write_string(0, 0, "gkml-xlsx")
    meta.write_string(0, 1, str(LAYOUT_VERSION))
    for k, text in enumerate(header):
        meta.write_string(1, k, text)
    for r, row in enumerate(meta_rows, 2):
        for k, text in enumerate(row):
            meta.write_string(r, k, text)
    meta.hide()
    if summary or pairs:
        wb.worksheets()[0].activate()
    wb.close()
    return names


def workbook_date(catalogs: list[Catalog]) -> datetime:
    """The workbook's created/modified moment: SOURCE_DATE_EPOCH, else its catalogs' latest 生效日期 (a fixed epoch without one)."""
    if source_epoch() is None:
        dates = sorted(c.effective for c in catalogs if isinstance(c.effective, str) and _ISO_DATE.fullmatch(c.effective))
        if dates:
            return datetime.fromisoformat(dates[-1])
    return build_moment().replace(tzinfo=None)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def properties(catalogs: list[Catalog], title: str) -> dict:
    """The file properties (文件属性) of a workbook: title, subject, author, dates, all from its catalogs."""
    units = sorted({c.department for c in catalogs if c.department})
    author = "、".join(units) if len(units) <= 3 else f"{units[0]}等 {len(units)} 个单位"
    areas = sorted({c.area for c in catalogs if c.area})
    moment = workbook_date(catalogs)
    return {"title": title, "subject": "政务公开事项目录(国家标准目录格式)", "author": author or "gkml",
            "category": "政务公开", "keywords": "、".join(["政务公开", *areas[:8]]),
            "created": moment, "modified": moment,
            "comments": "由 gkml 生成;隐藏的工作表 gkml 记录各工作表的字段,供读回(gkml import)使用。"}


def _json_scalar(value: object) -> str:
    """Catalog-level values as JSON text, so types (true, numbers, null) survive the round trip."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _write_summary(ws, fmt: _Formats, title: str, sheets: list[tuple[str, Catalog]], registry) -> None:
    heads = [("序号", 6), ("地区", 14), ("层级", 6), ("领域", 22), ("编制单位", 24), ("版本", 9),
             ("生效日期", 12), ("事项数", 8), ("工作表", 22)]
    for n, (_, width) in enumerate(heads):
        ws.set_column(n, n, width)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, len(heads) - 1, title, fmt.title)
    for n, (text, _) in enumerate(heads):
        ws.write_string(1, n, text, fmt.head)
    total = 0
    for r, (name, catalog) in enumerate(sheets, 2):
        values = [str(r - 1), _region_name(registry, catalog.region), LEVEL_NAMES.get(catalog.level or "", catalog.level or ""),
                  _area_name(registry, catalog.area), catalog.department or "", catalog.version or "", catalog.effective or ""]
        for k, text in enumerate(values):
            ws.write_string(r, k, text, fmt.center if k in (0, 2) else fmt.text)
        ws.write_number(r, 7, len(catalog.items), fmt.center)
        total += len(catalog.items)
        ws.write_url(r, 8, f"internal:'{name}'!A1", fmt.link, string=name)
    end = 2 + len(sheets)
    ws.write_string(end, 0, "合计", fmt.head)
    for k in range(1, len(heads)):
        ws.write_blank(end, k, None, fmt.head)
    ws.write_number(end, 7, total, fmt.head)
    ws.freeze_panes(2, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(1, 1)
    ws.fit_to_pages(1, 0)
    ws.set_footer(PAGE_FOOTER)


# ---------------------------------------------------------------------------------------------
# Reading back (the inverse of write_catalogs_workbook, for workbooks it wrote)

def read_catalog_workbook(path: Path | str) -> list[tuple[str, dict]]:
    """(sheet name, catalog data as in YAML) for every catalog sheet of a workbook written by gkml.

    Raises ValueError when the workbook has no gkml sheet (not written by gkml).
    """
    import openpyxl
    wb = openpyxl.load_workbook(str(path), data_only=False)
    try:
        if META_SHEET not in wb.sheetnames:
            raise ValueError("not a gkml workbook: no hidden sheet 'gkml'")
        meta = wb[META_SHEET]
        rows = [[c.value for c in row] for row in meta.iter_rows()]
        header = [h for h in rows[1] if h is not None]
        out = []
        for values in rows[2:]:
            entry = dict(zip(header, values))
            if not entry.get("sheet"):
                continue
            data = {}
            for key in CATALOG_FIELDS:
                value = json.loads(entry[key]) if entry.get(key) else None
                if value is not None:
                    data[key] = value
            data["items"] = _read_items(wb[entry["sheet"]], json.loads(entry["columns"]), int(entry["first_row"]))
            out.append((entry["sheet"], data))
        return out
    finally:
        wb.close()


def _read_items(ws, keys: list[str], first_row: int) -> list[dict]:
    # merged cells hold their value in the top-left cell only: spread 序号/一级事项 down their block
    spread: dict[tuple[int, int], object] = {}
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                spread[(r, c)] = value
    items = []
    for r in range(first_row, ws.max_row + 1):
        cells = {}
        for k, key in enumerate(keys, 1):
            value = spread.get((r, k), ws.cell(r, k).value)
            cells[key] = "" if value is None else str(value)
        if not any(v for k, v in cells.items() if k != "no"):
            continue
        items.append(_item_from_cells(cells))
    return items


def _item_from_cells(cells: dict[str, str]) -> dict:
    item: dict = {}
    ticks: dict[str, list[str]] = {}
    for key, text in cells.items():
        if ":" in key and text.strip() == "√":
            name, value = key.split(":", 1)
            ticks.setdefault(name, []).append(value)
    for key in fields.ITEM_KEYS:
        if key == "channels":
            lines = [line for line in cells.get("channels", "").split("\n") if line]
            chosen = [line[1:] for line in lines if line.startswith("■")]
            optional = [line[1:] for line in lines if line.startswith("□")]
            if chosen:
                item["channels"] = chosen
            if optional:
                item["optional_channels"] = optional
        elif key == "optional_channels":
            continue           # read with channels (□)
        elif ticks.get(key):
            item[key] = ticks[key] if key in LIST_FIELDS else ticks[key][0]
        elif key in cells and cells[key] != "":
            text = cells[key]
            if key in JSON_FIELDS:
                item[key] = json.loads(text)
            elif key in LIST_FIELDS:
                item[key] = text.split("\n")
            else:
                item[key] = text
    return item
