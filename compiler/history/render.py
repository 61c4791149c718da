"""A diff as text, JSON or Markdown (the JSON shape is the contract of issue 19)."""
from __future__ import annotations

import json

from .. import __version__
from ..printable import printable
from .compare import TYPE_EN, TYPES, Change, Diff


def shown_value(value: object) -> str:
    """A field value as the text reports show it ((无) when absent)."""
    if value is None:
        return "(无)"
    if isinstance(value, list):
        return "[" + ", ".join(shown_value(v) for v in value) + "]"
    return str(value)


def _value_en(value: object) -> str:
    return "(none)" if value is None else shown_value(value)


def to_data(diff: Diff, old_commit: str | None = None, new_commit: str | None = None) -> dict:
    """The JSON document: version, old, new, summary, changes, headers."""
    def change(c: Change) -> dict:
        return {"type": c.type, "id": c.id, "was": c.was, "region": c.region, "region_name": diff.names.get(c.region or ""),
                "area": c.area, "title": c.title, "file": c.file, "line": c.line,
                "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.fields],
                "declared": c.declared, "reason": c.reason, "basis": c.basis,
                "impact": [{"id": i.id, "region": i.region, "region_name": diff.names.get(i.region or ""), "file": i.file,
                            "line": i.line} for i in c.impact]}
    return {
        "version": __version__,
        "old": {"label": diff.old, "commit": old_commit},
        "new": {"label": diff.new, "commit": new_commit},
        "summary": diff.summary(),
        "changes": [change(c) for c in diff.changes],
        "headers": [{"type": h.type, "file": h.file, "line": h.line, "region": h.region,
                     "region_name": diff.names.get(h.region or ""), "area": h.area,
                     "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in h.fields]}
                    for h in diff.headers],
    }


def as_json(diff: Diff, old_commit: str | None = None, new_commit: str | None = None, lang: str = "zh") -> str:
    """JSON, Chinese unescaped."""
    return json.dumps(to_data(diff, old_commit, new_commit), ensure_ascii=False, indent=2) + "\n"


def _where(diff: Diff, change) -> str:
    """ · 砀山县(341321) · 社会救助与社会福利: the region (named) and area of a change."""
    return "".join(f" · {part}" for part in (diff.region(change.region), change.area) if part)


def _type(kind: str, lang: str) -> str:
    return TYPE_EN[kind] if lang == "en" else kind


def as_text(diff: Diff, old_commit: str | None = None, new_commit: str | None = None, lang: str = "zh") -> str:
    """One block per change, then the header changes and the counts."""
    en = lang == "en"
    show = _value_en if en else shown_value
    lines = []
    for c in diff.changes:
        state = ("declared" if c.declared else "not declared") if en else ("已登记" if c.declared else "未登记")
        renamed = (f" (renamed from {c.was})" if en else f"(原编号 {c.was})") if c.was else ""
        lines.append(f"{c.file}:{c.line}: {_type(c.type, lang)} {c.id}{renamed} {c.title}{_where(diff, c)} [{state}]")
        for f in c.fields:
            lines.append(f"    {f.field}: {show(f.old)} → {show(f.new)}")
        if c.reason:
            lines.append(f"    {'reason' if en else '理由'}: {c.reason}")
        for i in c.impact:
            lines.append(f"    {'implemented by' if en else '下级落实'}: {i.id} ({diff.region(i.region)}) {i.file}:{i.line}")
    for h in diff.headers:
        what = ("catalog " if en else "目录") + _type(h.type, lang)
        lines.append(f"{h.file}:{h.line}: {what}{_where(diff, h)}")
        for f in h.fields:
            lines.append(f"    {f.field}: {show(f.old)} → {show(f.new)}")
    counts = diff.summary()
    if en:
        lines.append(f"{diff.old or 'working tree'} → {diff.new or 'working tree'}: "
                     + ", ".join(f"{counts[t]} {TYPE_EN[t]}" for t in TYPES) + f", {len(diff.headers)} catalog header(s)")
    else:
        lines.append(f"{diff.old} → {diff.new}:" + "、".join(f"{t} {counts[t]} 项" for t in TYPES)
                     + f",目录头 {len(diff.headers)} 处")
    return "\n".join(printable(line) for line in lines) + "\n"   # a value cannot rewrite the terminal, nor hide


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def as_markdown(diff: Diff, old_commit: str | None = None, new_commit: str | None = None, lang: str = "zh") -> str:
    """The 目录调整情况表 as a Markdown table (序号, 地区, 领域, 事项, 调整类型, 调整内容, 调整理由, 下级影响)."""
    en = lang == "en"
    head = (["No.", "Region", "Area", "Matter", "Type", "What changed", "Reason", "Lower items"] if en else
            ["序号", "地区", "领域", "事项", "调整类型", "调整内容", "调整理由", "下级影响"])
    show = _value_en if en else shown_value
    lines = [f"## {'Catalog changes' if en else '目录调整情况'}: {diff.old} → {diff.new}", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for n, c in enumerate(diff.changes, 1):
        content = "; ".join(f"{f.field}: {show(f.old)} → {show(f.new)}" for f in c.fields)
        impact = ", ".join(f"{i.id} {diff.region(i.region)} ({i.file}:{i.line})" for i in c.impact)
        lines.append("| " + " | ".join(_cell(x) for x in (n, diff.region(c.region), c.area or "", f"{c.id} {c.title}",
                                                          _type(c.type, lang), content, c.reason, impact)) + " |")
    counts = diff.summary()
    lines += ["", ", ".join(f"{TYPE_EN[t]} {counts[t]}" for t in TYPES) if en else "、".join(f"{t} {counts[t]} 项" for t in TYPES)]
    return "\n".join(lines) + "\n"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(diff: Diff, old_commit: str | None = None, new_commit: str | None = None, lang: str = "zh") -> str:
    """GitHub Actions annotations on the changed lines: a warning when undeclared, else a notice."""
    en = lang == "en"
    show = _value_en if en else shown_value
    lines = []
    for c in diff.changes:
        kind = "notice" if c.declared else "warning"
        body = f"{_type(c.type, lang)} {c.id} {c.title}{_where(diff, c)}"
        body += "".join(f"\n{f.field}: {show(f.old)} → {show(f.new)}" for f in c.fields)
        body += "".join(f"\n{'implemented by' if en else '下级落实'} {i.id} {diff.region(i.region)} {i.file}:{i.line}"
                        for i in c.impact)
        if not c.declared:
            body += "\n" + ("not declared in the catalog's changes" if en else "未登记在目录的调整记录(changes)中")
        title = f"{'catalog change' if en else '目录调整'} {_type(c.type, lang)}"
        body, file = printable(body, keep="\r\n"), printable(c.file)   # as validate's github format
        lines.append(f"::{kind} file={_prop(file)},line={c.line},title={_prop(title)}::{_data(body)}")
    counts = diff.summary()
    lines.append("gkml diff: " + ", ".join(f"{counts[t]} {TYPE_EN[t]}" for t in TYPES))
    return "\n".join(lines) + "\n"


RENDERERS = {"text": as_text, "json": as_json, "markdown": as_markdown, "github": as_github}
