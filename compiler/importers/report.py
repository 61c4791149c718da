"""The review report of an import: every normalisation and everything not mapped, with its cell."""
from __future__ import annotations

import json
from itertools import groupby

from ..printable import printable
from .notes import Note

_KIND = {"GK82": ("未能映射(原文保存在 raw)", "not mapped (kept in raw)")}


def _section(code: str, en: bool) -> str:
    if code.startswith("GK82"):
        return _KIND["GK82"][1 if en else 0]
    return "Normalised" if en else "已规范化"


def _sorted(notes: list[Note]) -> list[Note]:
    return sorted(set(notes), key=Note.sort_key)


def render_text(notes: list[Note], outputs: list[tuple[str, str, int]], lang: str = "zh") -> str:
    """Plain text report: what was written, then the notes grouped by source file."""
    en = lang == "en"
    lines = []
    for label, output, items in outputs:
        label, output = printable(label), printable(output)
        lines.append(f"{label} → {output} ({items} matters)" if en else f"{label} → {output}({items} 个事项)")
    notes = _sorted(notes)
    for file, group in groupby(notes, key=lambda n: n.file):
        lines.append("")
        lines.append(("Review " if en else "请核对 ") + printable(file))
        for n in group:
            where = printable(n.place or file)
            item = f"  [{printable(n.item)}]" if n.item else ""
            lines.append(f"  {where}  {n.code}  {printable(_one_line(n.message(lang)))}{item}")
    unmapped = sum(1 for n in notes if n.code.startswith("GK82"))
    lines.append("")
    if en:
        lines.append(f"{len(notes) - unmapped} normalisations, {unmapped} not mapped")
    else:
        lines.append(f"规范化 {len(notes) - unmapped} 处,未能映射 {unmapped} 处")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "↵")


def render_markdown(notes: list[Note], outputs: list[tuple[str, str, int]], lang: str = "zh") -> str:
    """Markdown report: one table per section, cells named as in Excel (表1!C12)."""
    en = lang == "en"
    out = ["# " + ("Import review" if en else "导入核对清单"), ""]
    out.append("| " + ("source | written to | matters" if en else "来源 | 写入文件 | 事项数") + " |")
    out.append("|---|---|---|")
    for label, output, items in outputs:
        out.append(f"| {_md(label)} | {_md(output)} | {items} |")
    notes = _sorted(notes)
    for section, group in groupby(sorted(notes, key=lambda n: (n.code.startswith("GK82"), n.sort_key())),
                                  key=lambda n: _section(n.code, en)):
        out += ["", "## " + section, ""]
        out.append("| " + ("cell | code | what | item | file" if en else "单元格 | 代码 | 说明 | 事项 | 文件") + " |")
        out.append("|---|---|---|---|---|")
        for n in group:
            out.append(f"| {_md(n.place or n.file)} | {n.code} | {_md(n.message(lang))} | {_md(n.item or '')} | {_md(n.output)} |")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "↵")


def render_json(notes: list[Note], outputs: list[tuple[str, str, int]], lang: str = "zh") -> str:
    """JSON report for tools: outputs and notes with code, name, cell, item and message."""
    doc = {
        "outputs": [{"source": label, "file": output, "items": items} for label, output, items in outputs],
        "notes": [{"code": n.code, "name": n.name, "file": n.file, "cell": n.place, "item": n.item,
                   "output": n.output, "mapped": not n.code.startswith("GK82"),
                   "message": n.message(lang), "args": dict(n.args)} for n in _sorted(notes)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
