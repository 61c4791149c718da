"""Fixes for item content (compiler/rules/items.py): synonyms, repeated channels, and clean-ups
of every value (stray and full-width spaces, document numbers written with 〔〕)."""
from __future__ import annotations

import re

from . import Target, fix, tidy


@fix("GK301", "别称改为标准写法", "write the canonical value for a synonym")
def canonical(target: Target) -> bool:
    """The synonym the finding names becomes its canonical value."""
    value, wanted = target.value(), target.args.get("canonical")
    return isinstance(value, str) and bool(wanted) and value == target.args.get("value") and target.set(wanted)


@fix("GK306", "删除重复列出的渠道", "remove a channel listed twice")
def repeated_channel(target: Target) -> bool:
    """The later copy of a repeated channel is removed (the first keeps its place)."""
    place = target.locate()
    if place is None or not isinstance(place[0], list) or place[0][place[1]] != target.args.get("value"):
        return False
    seq, index = place
    if place[0][place[1]] not in seq[:index]:
        return False
    del seq[index]
    return True


_EDGE_SPACES = re.compile(r"^[\s\u3000\u200b\ufeff]+|[\s\u3000\u200b\ufeff]+$")


@tidy(("*",), "去掉值首尾的空格(含全角空格)", "strip spaces (full-width too) around values")
def edge_spaces(text: str) -> str:
    """One-line values lose leading and trailing spaces, full-width and zero-width ones included."""
    if "\n" in text:
        return text
    stripped = _EDGE_SPACES.sub("", text)
    return stripped or text   # a blank value is a missing element, reported as such: not hidden here


# 文号: 机关代字〔年份〕序号号 (GB/T 9704-2012 7.2.4: the year in 六角括号 〔〕, not [] () 【】)
_DOC_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff])\s*[\[【(（]\s*((?:19|20)[0-9]{2})\s*[\]】)）]\s*(?=[0-9]+\s*号)")


@tidy(("basis",), "文号的年份使用六角括号〔〕", "document numbers with the year in 〔〕")
def document_numbers(text: str) -> str:
    """皖政办[2020]12号, 皖政办(2020)12号, 皖政办【2020】12号 → 皖政办〔2020〕12号."""
    return _DOC_NUMBER.sub(lambda m: f"〔{m[1]}〕", text)
