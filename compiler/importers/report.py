"""The review report of an import: every normalisation and everything not mapped, with its cell."""
from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby

from ..printable import printable
from .notes import Note

_KIND = {"GK82": ("未能映射(原文保存在 raw)", "not mapped (kept in raw)"),
         "GK83": ("公开依据与文件库核对", "legal bases checked against the document library")}
UNKNOWN, ENDED = "GK830", "GK831"


def _section(code: str, en: bool) -> str:
    if code[:4] in _KIND:
        return _KIND[code[:4]][1 if en else 0]
    return "Normalised" if en else "已规范化"


def _sorted(notes: list[Note]) -> list[Note]:
    return sorted(set(notes), key=Note.sort_key)


@dataclass(frozen=True)
class BasisGroup:
    """One basis of the review's library section: what it is, the cells citing it, the suggestion."""

    title: str                  # normalised title (unknown) or the library's 《title》(文号) (ended)
    message: str                # ended: how and when, and the successor; unknown: ""
    closest: str                # unknown: the closest library title ("" when none); ended: the successor
    notes: tuple[Note, ...]


def basis_groups(notes: list[Note], lang: str = "zh") -> tuple[list[BasisGroup], list[BasisGroup]]:
    """(unknown, ended): the bases the library does not know, by normalised title, most cited first,
    and those it records as repealed or expired, each with the cells that cite it."""
    unknown: dict[str, list[Note]] = {}
    ended: dict[str, list[Note]] = {}
    for n in _sorted(notes):
        args = dict(n.args)
        if n.code == UNKNOWN:
            unknown.setdefault(args["title"], []).append(n)
        elif n.code == ENDED:
            ended.setdefault(args["cited"], []).append(n)

    def grouped(groups: dict[str, list[Note]], ended: bool) -> list[BasisGroup]:
        out = []
        for key, group in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            args = dict(group[0].args)
            out.append(BasisGroup(key, group[0].message(lang) if ended else "",
                                  args["replacement"] if ended else args["closest"], tuple(group)))
        return out
    return grouped(unknown, False), grouped(ended, True)


def _cells(group: BasisGroup, files: int, en: bool = False) -> str:
    """The cells of a group: Sheet1!E4(item id), with the file when the import read several."""
    shown = []
    for n in group.notes:
        where = (f"{n.file} " if files > 1 else "") + n.place
        shown.append(where + ((f" ({n.item})" if en else f"({n.item})") if n.item else ""))
    return (", " if en else "、").join(shown)


def _basis_lines(notes: list[Note], en: bool) -> list[str]:
    """The text report's library section: unknown bases by normalised title, then ended ones."""
    unknown, ended = basis_groups(notes, "en" if en else "zh")
    files = len({n.file for n in notes})
    lines = []
    if unknown:
        lines += ["", "Bases not in the document library (by normalised title, most cited first)" if en
                  else "文件库中没有的公开依据(按规范化名称,引用最多的在前)"]
        for g in unknown:
            hint = (f"; did you mean 《{g.closest}》?" if en else f";是不是《{g.closest}》?") if g.closest else ""
            count = f"{len(g.notes)} citation(s): " if en else f"{len(g.notes)} 处:"
            lines.append(printable(f"  {g.title}  {count}{_cells(g, files, en)}{hint}"))
    if ended:
        lines += ["", "Bases the library records as repealed or expired" if en else "文件库记载为已废止或失效的公开依据"]
        for g in ended:
            lines.append(printable(f"  {_one_line(g.message)}{': ' if en else ':'}{_cells(g, files, en)}"))
    return lines


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
    lines += _basis_lines(notes, en)
    unmapped = sum(1 for n in notes if n.code.startswith("GK82"))
    bases = sum(1 for n in notes if n.code.startswith("GK83"))
    unknown = sum(1 for n in notes if n.code == UNKNOWN)
    lines.append("")
    if en:
        lines.append(f"{len(notes) - unmapped - bases} normalisations, {unmapped} not mapped")
        if bases:
            lines[-1] += f", {unknown} bases not in the library, {bases - unknown} repealed or expired"
    else:
        lines.append(f"规范化 {len(notes) - unmapped - bases} 处,未能映射 {unmapped} 处")
        if bases:
            lines[-1] += f",文件库中没有的依据 {unknown} 处,已废止或失效的依据 {bases - unknown} 处"
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
    for section, group in groupby(sorted(notes, key=lambda n: (n.code[:4] in _KIND, n.code[:4], n.sort_key())),
                                  key=lambda n: _section(n.code, en)):
        out += ["", "## " + section, ""]
        out.append("| " + ("cell | code | what | item | file" if en else "单元格 | 代码 | 说明 | 事项 | 文件") + " |")
        out.append("|---|---|---|---|---|")
        for n in group:
            out.append(f"| {_md(n.place or n.file)} | {n.code} | {_md(n.message(lang))} | {_md(n.item or '')} | {_md(n.output)} |")
    unknown, ended = basis_groups(notes, lang)
    files = len({n.file for n in notes})
    out += _md_table("Bases not in the document library" if en else "文件库中没有的公开依据",
                     ("normalised title", "citations", "cells", "did you mean") if en else
                     ("规范化名称", "引用次数", "单元格", "文件库中最接近的名称"),
                     [(g.title, str(len(g.notes)), _cells(g, files, en), g.closest) for g in unknown])
    out += _md_table("Bases repealed or expired" if en else "已废止或失效的公开依据",
                     ("basis", "what", "successor", "cells") if en else ("依据", "说明", "继任文件", "单元格"),
                     [(g.title, g.message, g.closest, _cells(g, files, en)) for g in ended])
    return "\n".join(out) + "\n"


def _md_table(title: str, heads: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A section of the Markdown report (nothing when it has no rows)."""
    if not rows:
        return []
    out = ["", "## " + title, "", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    return out + ["| " + " | ".join(_md(cell) for cell in row) + " |" for row in rows]


def _md(text: str) -> str:
    """A table cell: unsafe characters escaped, no pipe, line break or tag to break the table."""
    return printable(text, keep="\n").replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|").replace("\n", "↵")


def render_json(notes: list[Note], outputs: list[tuple[str, str, int]], lang: str = "zh") -> str:
    """JSON report for tools: outputs and notes with code, name, cell, item and message."""
    doc = {
        "outputs": [{"source": label, "file": output, "items": items} for label, output, items in outputs],
        "notes": [{"code": n.code, "name": n.name, "file": n.file, "cell": n.place, "item": n.item,
                   "output": n.output, "mapped": not n.code.startswith("GK82"),
                   "message": n.message(lang), "args": dict(n.args)} for n in _sorted(notes)],
    }
    unknown, ended = basis_groups(notes, lang)

    def cited_by(g: BasisGroup) -> list[dict]:
        return [{"file": n.file, "cell": n.place, "item": n.item, "output": n.output, "citation": dict(n.args).get("value", "")}
                for n in g.notes]
    doc["bases"] = {
        "unknown": [{"title": g.title, "count": len(g.notes), "did_you_mean": g.closest, "cited_by": cited_by(g)}
                    for g in unknown],
        "ended": [{"document": g.title, "message": g.message, "successor": g.closest, "count": len(g.notes),
                   "cited_by": cited_by(g)} for g in ended],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
