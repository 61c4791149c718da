"""The scorecard as a workbook to print and send: one sheet per level, a title, Chinese headings
repeated on every printed page, one page wide; every text cell written as text (a name starting
with = + - @ is never a formula, as builders/excel.py writes catalogs)."""
from __future__ import annotations

import io

import xlsxwriter

from . import index as idx
from .assess import Scorecard
from .assess_render import COLUMNS, cell, formula, title
from .builders.common import build_moment
from .builders.excel import FONT

NUMBERS = {"rank", "areas_covered", "areas_required", "matters", "upper_implemented", "upper_required", "weakened",
           "placeholders", "invalid_citations", "undeclared", "score"}
HEAD_ROW = 1


def sheet_name(level: str) -> str:
    """省级, 市级, 县级, 乡级 (the level's code when it has no Chinese name)."""
    return idx.level_name(level)


def workbook(scorecard: Scorecard, lang: str = "zh") -> bytes:
    """The .xlsx file's bytes (deterministic: fixed creation time from SOURCE_DATE_EPOCH)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": "政务公开事项目录评估记分卡", "author": "gkml", "created": build_moment().replace(tzinfo=None)})
    base = {"font_name": FONT, "font_size": 10, "border": 1, "valign": "vcenter", "text_wrap": True}
    fmt_title = wb.add_format({"font_name": FONT, "font_size": 16, "bold": True, "align": "center", "valign": "vcenter"})
    fmt_head = wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#F2F2F2"})
    fmt_text = wb.add_format(base)
    fmt_number = wb.add_format({**base, "align": "center"})
    fmt_note = wb.add_format({"font_name": FONT, "font_size": 9, "text_wrap": True, "valign": "top"})
    en = lang == "en"
    for level in scorecard.levels() or ["county"]:
        ws = wb.add_worksheet(sheet_name(level))
        rows = scorecard.at(level)
        for n, column in enumerate(COLUMNS):
            ws.set_column(n, n, column.width)
        ws.set_row(0, 30)
        ws.merge_range(0, 0, 0, len(COLUMNS) - 1, title(scorecard, level, lang), fmt_title)
        for n, column in enumerate(COLUMNS):
            ws.write_string(HEAD_ROW, n, column.en if en else column.zh, fmt_head)
        for r, row in enumerate(rows, HEAD_ROW + 1):
            for n, column in enumerate(COLUMNS):
                value = column.value(row)
                if column.key in NUMBERS and isinstance(value, (int, float)):
                    ws.write_number(r, n, value, fmt_number)
                else:
                    ws.write_string(r, n, cell(column, row, lang), fmt_text)
        last = HEAD_ROW + len(rows)
        ws.merge_range(last + 2, 0, last + 2, len(COLUMNS) - 1, formula(scorecard, lang), fmt_note)
        ws.set_row(last + 2, 30)
        ws.freeze_panes(HEAD_ROW + 1, 4)
        ws.set_landscape()
        ws.set_paper(9)                       # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.repeat_rows(HEAD_ROW, HEAD_ROW)    # the headings on every printed page
        ws.print_area(0, 0, last + 2, len(COLUMNS) - 1)
        ws.fit_to_pages(1, 0)                 # one page wide
        ws.set_footer("&C第 &P 页,共 &N 页")
    wb.close()
    return out.getvalue()
