"""The 目录调整情况表 as an Excel workbook: what offices send upward when catalogs change (DOMAIN §8)."""
from __future__ import annotations

import io
from datetime import datetime

import xlsxwriter

from .compare import Diff
from .render import shown_value

HEADER = ("序号", "地区", "领域", "事项", "调整类型", "调整内容", "调整理由", "依据")
WIDTHS = (6, 10, 18, 32, 10, 48, 30, 30)


def as_xlsx(diff: Diff) -> bytes:
    """The table's bytes (deterministic: fixed creation date), one row per item change, A4 landscape."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    wb.set_properties({"created": datetime(2000, 1, 1)})
    font = {"font_name": "宋体", "font_size": 10, "text_wrap": True, "valign": "vcenter", "border": 1}
    head = wb.add_format(dict(font, bold=True, align="center"))
    cell = wb.add_format(font)
    ws = wb.add_worksheet("目录调整情况表")
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(1, 1)
    title = wb.add_format({"font_name": "宋体", "font_size": 14, "bold": True, "align": "center"})
    ws.merge_range(0, 0, 0, len(HEADER) - 1, f"目录调整情况表({diff.old} → {diff.new})", title)
    for col, (name, width) in enumerate(zip(HEADER, WIDTHS)):
        ws.set_column(col, col, width)
        ws.write_string(1, col, name, head)
    for row, c in enumerate(diff.changes, 2):
        content = ";".join(f"{f.field}:{shown_value(f.old)} → {shown_value(f.new)}" for f in c.fields)
        values = (str(row - 1), diff.region(c.region), c.area or "",
                  f"{c.title}({c.id})", c.type, content, c.reason, c.basis)
        for col, value in enumerate(values):
            ws.write_string(row, col, value, cell)
    wb.close()
    return buffer.getvalue()
