"""Plain text, grouped by file, with a summary of counts (the default)."""
from __future__ import annotations

from itertools import groupby

from . import Report, Reporter, count


class TextReporter(Reporter):
    name = "text"
    help = "按文件分组的文字报告(默认)"

    def render(self, report: Report, lang: str = "zh") -> str:
        en = lang == "en"
        report = report.printable()  # a value cannot rewrite the reader's terminal
        lines: list[str] = []
        for file, group in groupby(report.diagnostics, key=lambda d: d.file):
            lines.append(file)
            for d in group:
                sev = d.severity.value if en else d.severity.zh
                item = f"  [{d.item}]" if d.item else ""
                lines.append(f"  {d.line}:{d.column}  {sev} {d.code}  {d.message(lang)}{item}")
                hint = d.hint(lang)
                if hint:
                    lines.append(f"        {'fix' if en else '修改建议'}: {hint}" if en else f"        修改建议:{hint}")
                for r in d.related:
                    note = (r.note_en or r.note) if en else r.note
                    lines.append(f"        {'see' if en else '相关位置'}: {r.file}:{r.line}:{r.column}  {note}" if en
                                 else f"        相关位置:{r.file}:{r.line}:{r.column}  {note}")
            lines.append("")
        c = report.counts
        if en:
            lines.append(f"checked {count(report.files, 'file')}, {count(report.catalogs, 'catalog')}, "
                         f"{count(report.items, 'matter')}: {count(c['error'], 'error')}, {count(c['warning'], 'warning')}"
                         + (f", {len(report.suppressed)} suppressed" if report.suppressed else ""))
        else:
            lines.append(f"共检查 {report.files} 个文件、{report.catalogs} 个目录、{report.items} 个事项:"
                         f"{c['error']} 个错误,{c['warning']} 个警告"
                         + (f",{len(report.suppressed)} 个已抑制" if report.suppressed else ""))
        return "\n".join(lines) + "\n"
