"""Time limits (公开时限) as written in real catalogs, turned into comparable working days.

The regulation's default is 20 working days from when the information is formed or changed
(条例 art. 26); catalogs write it many ways (信息形成或者变更之日起20个工作日内, 自该信息形成或者变更之日起
20个工作日内予以公开, 信息形成20个工作日内公开, 20工作日 …). A lower level may shorten a limit, never
lengthen it, so the vertical rules compare the numbers this module extracts.

Calendar days (3日内, 7天内) are converted at 5 working days per 7 calendar days: a lower item
giving 3 working days where the upper one gives 3 calendar days is longer, as it should be.
Minimum periods (公示期不少于3日, 征求意见期限不少于30日) are durations, not deadlines, and are ignored.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# kinds of limits
DAYS = "days"            # a number of (working) days: comparable
IMMEDIATE = "immediate"  # 实时, 即时, 当日: 0 working days
PROMPT = "prompt"        # 及时, 第一时间: promptly, no number
DATE = "date"            # a calendar deadline: 每年1月31日前
LASTING = "lasting"      # 长期, 常年: a duration, not a deadline

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = "[零〇一二两三四五六七八九十百]+"
_NUMBER = rf"(\d+(?:\.\d+)?|{_CN_NUMBER})"

# "N 个工作日", "N工作日", "N 日/天", "N 个月", "N 周/星期", "N 小时"; 内/前/以内 optional
_AMOUNT = re.compile(_NUMBER + r"\s*(?:个)?\s*(工作日|工作天|日|天|月|周|星期|小时)")
_MINIMUM = re.compile(r"(不少于|不得少于|至少|不低于|期满|期限为?|公示期为?|公示时间为?|为期)\s*$")
_DATE = re.compile(r"(每年|次年|年度|当年|每季度?末?)?.{0,4}\d{1,2}\s*月\s*\d{1,2}\s*日\s*(前|之前|以前)")
_MONTH_BEFORE = re.compile(r"\d\s*月\s*$")
_IMMEDIATE = ("实时", "即时", "当日", "当天", "随时")
_PROMPT = ("及时", "第一时间", "尽快", "立即")
_LASTING = ("长期", "常年", "长年", "永久")

CALENDAR_TO_WORKING = 5 / 7


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """A parsed time limit: its kind and, when comparable, its length in working days."""

    text: str
    kind: str | None               # None: not understood
    working_days: float | None     # None unless kind is DAYS or IMMEDIATE


def _cn_int(text: str) -> int | None:
    """Value of a Chinese numeral up to the hundreds (二十, 十五, 三十, 一百二十)."""
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _number(text: str) -> float | None:
    if text[0].isdigit():
        return float(text)
    value = _cn_int(text)
    return None if value is None else float(value)


def _to_working_days(amount: float, unit: str) -> float:
    if unit in ("工作日", "工作天"):
        return amount
    if unit in ("日", "天"):
        return amount * CALENDAR_TO_WORKING
    if unit == "月":
        return amount * 30 * CALENDAR_TO_WORKING
    if unit in ("周", "星期"):
        return amount * 5
    return amount / 24 * CALENDAR_TO_WORKING  # 小时


def parse(text: str | None) -> TimeLimit:
    """Parse a written time limit; never raises (kind None when the phrasing is not understood)."""
    if not isinstance(text, str):
        return TimeLimit("", None, None)
    plain = unicodedata.normalize("NFKC", text).strip()
    if not plain:
        return TimeLimit(text, None, None)
    # The first deadline that is not a minimum period decides: "自收到评标报告之日起3日内公示，公示期不少于3日"
    # is 3 days, and "拟定后及时公布，征求意见期限不少于30日" is prompt, not 30 days.
    for match in _AMOUNT.finditer(plain):
        before = plain[: match.start()]
        if _MINIMUM.search(before):
            continue
        if match.group(2) == "日" and _MONTH_BEFORE.search(before):
            continue  # "1月31日" is a date, not 31 days
        if match.group(2) == "月" and "个" not in match.group(0):
            continue  # "1月" is a month of the year; a duration is written "1个月"
        amount = _number(match.group(1))
        if amount is None:
            continue
        # something earlier in the text (及时, 实时) already set the pace
        earlier = _keyword_kind(before)
        if earlier is not None:
            return TimeLimit(text, earlier, 0.0 if earlier == IMMEDIATE else None)
        return TimeLimit(text, DAYS, _to_working_days(amount, match.group(2)))
    if _DATE.search(plain):
        return TimeLimit(text, DATE, None)
    kind = _keyword_kind(plain)
    if kind is not None:
        return TimeLimit(text, kind, 0.0 if kind == IMMEDIATE else None)
    return TimeLimit(text, None, None)


def _keyword_kind(text: str) -> str | None:
    """The earliest qualitative keyword in text (实时 → immediate, 及时 → prompt, 长期 → lasting)."""
    best: tuple[int, str] | None = None
    for words, kind in ((_IMMEDIATE, IMMEDIATE), (_PROMPT, PROMPT), (_LASTING, LASTING)):
        for word in words:
            at = text.find(word)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, kind)
    return best[1] if best else None


def working_days(text: str | None) -> float | None:
    """Working days of a time limit (0 for 实时公开), or None when it is not a comparable number."""
    return parse(text).working_days


def longer(lower: str | None, upper: str | None) -> bool | None:
    """Whether the lower limit is longer than the upper one; None when they cannot be compared."""
    a, b = parse(lower), parse(upper)
    if a.working_days is None or b.working_days is None:
        return None
    return a.working_days > b.working_days + 1e-9


def describe(limit: TimeLimit, lang: str = "zh") -> str:
    """Short description of a parsed limit, for messages ("20 个工作日")."""
    if limit.kind == DAYS and limit.working_days is not None:
        days = limit.working_days
        shown = f"{days:g}" if days == int(days) else f"{days:.1f}"
        return f"{shown} working days" if lang == "en" else f"{shown} 个工作日"
    names = {IMMEDIATE: ("实时", "immediately"), PROMPT: ("及时", "promptly"), DATE: ("固定日期前", "by a fixed date"),
             LASTING: ("长期", "lasting")}
    zh, en = names.get(limit.kind or "", ("无法识别", "not understood"))
    return en if lang == "en" else zh
