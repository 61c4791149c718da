"""Reading .xlsx and .docx files into cell grids (the importer's only file I/O).

Every file is inspected before a parser sees it (safety.check_package); a workbook is read in
openpyxl's streaming read-only mode with cached formula values (data_only), and merged ranges are
taken from the same pass over the sheet XML.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .grid import Grid, merged_map, parse_ref
from .notes import ImportRefused
from .safety import MAX_COLS, MAX_ROWS, check_package


def read_file(path: Path, shown: str) -> list[Grid]:
    """The grids of one .xlsx or .docx file; refused files raise ImportRefused."""
    kind = check_package(path, shown)
    try:
        if kind == "xlsx":
            return read_xlsx(path, shown)
        return read_docx(path, shown)
    except ImportRefused:
        raise
    except MemoryError:
        raise ImportRefused("GK853", shown, what="内存不足", what_en="out of memory") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure on a damaged file is GK851, never a traceback
        raise ImportRefused("GK851", shown, kind=".xlsx" if kind == "xlsx" else ".docx",
                            reason=f"{type(exc).__name__}: {str(exc)[:120]}") from None


def cell_text(value: object) -> str | None:
    """A cell value as text (numbers without a spurious .0, dates as ISO dates)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        return value.isoformat() if not isinstance(value, dt.timedelta) else str(value)
    return str(value)


def read_xlsx(path: Path, shown: str) -> list[Grid]:
    """Every worksheet of a workbook as a grid (hidden sheets included: nothing is skipped)."""
    import warnings

    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # openpyxl warns about unsupported extensions; not the user's concern
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    grids = []
    try:
        for index, sheet in enumerate(workbook.worksheets, 1):
            rows: list[list[str | None]] = []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with sheet._get_source() as source:
                    parser = WorkSheetParser(source, sheet._shared_strings, data_only=True, epoch=workbook.epoch,
                                             date_formats=workbook._date_formats,
                                             timedelta_formats=workbook._timedelta_formats)
                    for number, cells in parser.parse():
                        texts = {c["column"]: cell_text(c["value"]) for c in cells}
                        texts = {col: t for col, t in texts.items() if t is not None}
                        if not texts:
                            continue
                        if number > MAX_ROWS or max(texts) > MAX_COLS:
                            raise ImportRefused("GK856", shown, table=f"工作表“{sheet.title}”",
                                                size=f"第 {number} 行第 {max(texts)} 列有内容",
                                                limit=f"{MAX_ROWS} 行 × {MAX_COLS} 列")
                        while len(rows) < number:
                            rows.append([])
                        row = [None] * max(texts)
                        for col, text in texts.items():
                            row[col - 1] = text
                        rows[number - 1] = row
                    ranges = []
                    if parser.merged_cells is not None:
                        for merge in parser.merged_cells.mergeCell:
                            ref = str(merge.ref)
                            first, _, last = ref.partition(":")
                            r0, c0 = parse_ref(first)
                            r1, c1 = parse_ref(last or first)
                            if r1 - r0 > MAX_ROWS or c1 - c0 > MAX_COLS:
                                raise ImportRefused("GK856", shown, table=f"工作表“{sheet.title}”",
                                                    size=f"合并区域 {ref}", limit=f"{MAX_ROWS} 行 × {MAX_COLS} 列")
                            ranges.append((r0, c0, r1, c1))
            width = max((len(r) for r in rows), default=0)
            cells = [r + [None] * (width - len(r)) for r in rows]
            # a merge reaching past the last written row or column (a whole-column format) is cut there
            ranges = [(r0, c0, min(r1, len(cells) - 1), min(c1, width - 1)) for r0, c0, r1, c1 in ranges
                      if r0 < len(cells) and c0 < width]
            merged = merged_map(ranges)
            grids.append(Grid(shown, sheet.title, "sheet", index, cells, merged))
    finally:
        workbook.close()
    return grids


def read_docx(path: Path, shown: str) -> list[Grid]:
    """Every table of a Word document as a grid, with the paragraphs just before it as titles."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import _Cell

    document = docx.Document(str(path))
    body = document.element.body
    grids: list[Grid] = []
    paragraphs: list[str] = []
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t"))).strip()
            if text:
                paragraphs.append(text)
            continue
        if child.tag != qn("w:tbl"):
            continue
        trs = child.findall(qn("w:tr"))
        if len(trs) > MAX_ROWS:
            raise ImportRefused("GK856", shown, table=f"表{len(grids) + 1}", size=f"{len(trs)} 行",
                                limit=f"{MAX_ROWS} 行 × {MAX_COLS} 列")
        cells: list[list[str | None]] = []
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for r, tr in enumerate(trs):
            row: list[str | None] = []
            pr = tr.trPr
            col = 0
            if pr is not None and pr.find(qn("w:gridBefore")) is not None:
                col = int(pr.find(qn("w:gridBefore")).get(qn("w:val"), "0") or 0)
                row.extend([None] * col)
            for tc in tr.findall(qn("w:tc")):
                span = max(1, tc.grid_span)
                if col + span > MAX_COLS:
                    raise ImportRefused("GK856", shown, table=f"表{len(grids) + 1}", size=f"{col + span} 列",
                                        limit=f"{MAX_ROWS} 行 × {MAX_COLS} 列")
                continued = tc.vMerge == "continue"
                if continued and r > 0:
                    origin = merged.get((r - 1, col), (r - 1, col))
                    for c in range(col, col + span):
                        merged[(r, c)] = origin if c == col else merged.get((r - 1, c), (r - 1, c))
                    row.extend([None] * span)
                else:
                    text = _Cell(tc, None).text
                    row.append(text if text.strip() else None)
                    for c in range(col + 1, col + span):
                        merged[(r, c)] = (r, col)
                        row.append(None)
                col += span
            cells.append(row)
        width = max((len(r) for r in cells), default=0)
        cells = [r + [None] * (width - len(r)) for r in cells]
        grids.append(Grid(shown, f"表{len(grids) + 1}", "table", len(grids) + 1, cells, merged, paragraphs[-3:]))
        paragraphs = []
    return grids
