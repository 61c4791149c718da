"""The scorecard as text, Markdown and JSON, and `--explain`'s findings behind each figure.

The columns are listed once (COLUMNS); the workbook (assess_xlsx.py) and the staff page read the
same table, so every format shows the same figures under the same headings.
"""
from __future__ import annotations

import json
import unicodedata
from typing import Callable, NamedTuple

from . import index as idx
from .assess import DEPARTMENT, LATE, MISSING, ON_TIME, REGION, Fact, Row, Scorecard
from .assess_config import WEIGHTS, number


class Column(NamedTuple):
    """One scorecard column: its JSON key, headings and value (a number, a text or None for —)."""

    key: str
    zh: str
    en: str
    value: Callable[[Row], object]
    width: float = 8


STATUS = {ON_TIME: ("按时", "on time"), LATE: ("逾期", "late"), MISSING: ("缺失", "missing"), "": ("—", "-")}
KIND = {REGION: ("地区", "region"), DEPARTMENT: ("部门", "department")}

COLUMNS = (
    Column("rank", "排名", "rank", lambda r: r.rank, 5),
    Column("kind", "类型", "kind", lambda r: r.kind, 5),
    Column("code", "地区代码", "code", lambda r: r.code, 10),
    Column("name", "名称", "name", lambda r: r.name, 22),
    Column("areas_covered", "已编制领域", "areas covered", lambda r: r.areas_covered),
    Column("areas_required", "应编制领域", "areas required", lambda r: r.areas_required),
    Column("matters", "事项数", "matters", lambda r: r.matters, 7),
    Column("upper_implemented", "已落实上级事项", "upper implemented", lambda r: r.upper_implemented, 9),
    Column("upper_required", "应落实上级事项", "upper required", lambda r: r.upper_required, 9),
    Column("weakened", "弱化上级要求", "weakened", lambda r: r.weakened, 8),
    Column("placeholders", "占位公开主体", "placeholders", lambda r: r.placeholders, 8),
    Column("invalid_citations", "失效或未知依据", "invalid citations", lambda r: r.invalid_citations, 9),
    Column("undeclared", "未登记调整", "undeclared changes", lambda r: r.undeclared, 8),
    Column("last_change", "最近调整", "last change", lambda r: r.last_change, 11),
    Column("submitted", "报送日期", "submitted", lambda r: r.submitted, 11),
    Column("due", "截止日期", "due", lambda r: r.due, 11),
    Column("status", "报送状态", "status", lambda r: r.status, 8),
    Column("score", "得分", "score", lambda r: r.score, 7),
)

FIGURES = {  # --explain's headings, in the scorecard's order
    "areas": ("应编制领域", "required areas"), "matters": ("事项", "matters"),
    "upper": ("未落实的上级事项", "upper items not implemented"), "weakened": ("弱化上级要求", "weakened items"),
    "placeholders": ("占位公开主体", "placeholders"), "citations": ("失效或未知依据", "invalid or unknown citations"),
    "undeclared": ("未登记调整", "undeclared changes"), "dates": ("日期", "dates"),
}


def cell(column: Column, row: Row, lang: str) -> str:
    """A value as shown in text, Markdown, the workbook and the page ("—" for not assessed)."""
    en = lang == "en"
    value = column.value(row)
    if column.key == "kind":
        return KIND[row.kind][en]
    if column.key == "status":
        return STATUS.get(row.status, (row.status, row.status))[en]
    if value is None or value == "":
        return "—" if not en else "-"
    if isinstance(value, float):
        return number(value)
    return str(value)


def title(scorecard: Scorecard, level: str, lang: str = "zh") -> str:
    """The heading of one level's table."""
    if lang == "en":
        return f"Disclosure catalog assessment: {level} level"
    return f"政务公开事项目录评估记分卡({idx.level_name(level)})"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(_width(line[n]) for line in [header, *body]) for n in range(len(header))]
    lines = ["  ".join(t + " " * (widths[n] - _width(t)) for n, t in enumerate(line)).rstrip() for line in [header, *body]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def formula(scorecard: Scorecard, lang: str = "zh") -> str:
    """The scoring rule with this run's weights, as the scorecard prints it under its tables."""
    w = {k: number(v) for k, v in scorecard.settings.weights.items()}
    if lang == "en":
        return ("score = 100 - " + " - ".join(f"{w[k]} x {k}" for k in WEIGHTS) + ", not below 0"
                + ("" if scorecard.since else "; undeclared changes only with --since REV"))
    names = {"missing_area": "缺少的应编制领域", "upper_missing": "未落实的上级事项", "weakened": "弱化上级要求的事项",
             "placeholder": "占位公开主体", "invalid_citation": "失效或未知依据", "undeclared_change": "未登记调整",
             "late": "逾期(逾期为 1,否则为 0)"}
    return ("得分 = 100 − " + " − ".join(f"{w[k]}×{names[k]}" for k in WEIGHTS) + ",最低 0 分"
            + ("" if scorecard.since else ";未登记调整只在 --since REV 时评估"))


def render_text(scorecard: Scorecard, lang: str = "zh") -> str:
    """Fixed-width tables, one per level (Chinese characters count double)."""
    en = lang == "en"
    out: list[str] = []
    for level in scorecard.levels():
        rows = scorecard.at(level)
        out += [title(scorecard, level, lang), ""]
        out += _table([c.en if en else c.zh for c in COLUMNS], [[cell(c, r, lang) for c in COLUMNS] for r in rows])
        out.append("")
    if not scorecard.rows:
        out += ["no region to assess" if en else "没有可评估的地区", ""]
    out.append(formula(scorecard, lang))
    return "\n".join(out) + "\n"


def render_markdown(scorecard: Scorecard, lang: str = "zh") -> str:
    """One Markdown table per level."""
    en = lang == "en"

    def esc(text: str) -> str:
        return text.replace("|", "\\|")
    out = ["# " + ("Disclosure catalog assessment" if en else "政务公开事项目录评估记分卡"), ""]
    for level in scorecard.levels():
        out += [f"## {title(scorecard, level, lang)}", "",
                "| " + " | ".join(c.en if en else c.zh for c in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
        out += ["| " + " | ".join(esc(cell(c, r, lang)) for c in COLUMNS) + " |" for r in scorecard.at(level)]
        out.append("")
    out.append(formula(scorecard, lang))
    return "\n".join(out) + "\n"


def row_data(row: Row) -> dict:
    """A row as JSON values (numbers as numbers, null for not assessed)."""
    data = {c.key: c.value(row) for c in COLUMNS}
    data["level"] = row.level
    data["parent"] = row.parent
    data["catalogs"] = row.catalogs
    data["deductions"] = row.deductions
    return data


def fact_data(fact: Fact, lang: str = "zh") -> dict:
    """One piece of evidence as JSON."""
    d = fact.diagnostic
    text = d.message(lang) if d is not None else (fact.text_en if lang == "en" else fact.text)
    return {"figure": fact.figure, "code": fact.code, "file": fact.file, "line": fact.line, "message": text}


def render_json(scorecard: Scorecard, lang: str = "zh", explain: str = "") -> str:
    """The scorecard as JSON (Chinese as written); with explain, the findings behind each row."""
    rows = scorecard.find(explain) if explain else scorecard.rows
    levels = [lv for lv in scorecard.levels() if any(r.level == lv for r in rows)]
    data = {
        "version": 1,
        "weights": scorecard.settings.weights,
        "due": scorecard.settings.written_due(),
        "since": scorecard.since or None,
        "formula": formula(scorecard, lang),
        "levels": [{"level": lv, "name": idx.level_name(lv, lang),
                    "rows": [dict(row_data(r), **({"findings": [fact_data(f, lang) for f in r.facts]} if explain else {}))
                             for r in rows if r.level == lv]} for lv in levels],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_explain(scorecard: Scorecard, wanted: str, lang: str = "zh", markdown: bool = False) -> str:
    """Each row of a region (its own and its departments'), each figure with the findings behind it."""
    en = lang == "en"
    out: list[str] = []
    for row in scorecard.find(wanted):
        head = f"{cell(COLUMNS[1], row, lang)} {row.name} ({row.code}): " + (
            f"score {cell(COLUMNS[-1], row, lang)}, rank {row.rank}" if en else f"得分 {cell(COLUMNS[-1], row, lang)},排名 {row.rank}")
        out += [("## " if markdown else "") + head, ""]
        for column in COLUMNS[4:]:
            out.append(("- " if markdown else "  ") + f"{column.en if en else column.zh}: {cell(column, row, lang)}")
        for figure, (zh, english) in FIGURES.items():
            facts = [f for f in row.facts if f.figure == figure]
            if not facts:
                continue
            out += ["", ("### " if markdown else "  ") + (english if en else zh) + f" ({len(facts)})"]
            for fact in facts:
                item = fact_data(fact, lang)
                code = f"{fact.code} " if fact.code else ""
                out.append(("- " if markdown else "    ") + f"{code}{fact.file}:{fact.line}  {item['message']}")
        deductions = [f"{number(scorecard.settings.weights[k])}×{n} ({k})" for k, n in row.deductions.items() if n]
        out += ["", ("" if markdown else "  ") + ("deductions: " if en else "扣分:") + ("; ".join(deductions) or ("none" if en else "无")), ""]
    return "\n".join(out) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}
