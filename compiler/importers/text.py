"""Cleaning cell text: whitespace left by line wrapping, scanning and copy-paste (pure functions)."""
from __future__ import annotations

import re
import unicodedata

# CJK ideographs (BMP and the supplementary planes), CJK punctuation and full-width forms.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
# A space after these characters usually separates two issuing bodies of one joint document
# (《财政部 农业部关于…》), so it is kept; elsewhere a space inside Chinese text is where a line
# was wrapped in the source (征收土 地信息) and is removed.
_KEEP_AFTER = "部局厅委院会行署办府室所站队处社团"
_INNER_SPACE = re.compile(rf"(?<=[{_CJK}])(?<![{_KEEP_AFTER}]) +(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ALL_SPACE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")


def tidy(text: str, multiline: bool = True, words: bool = True) -> str:
    """Cleaned cell text: trimmed lines, single spaces, no wrap spaces inside Chinese words.

    multiline=False also joins the lines (a name or a time limit has no line structure: a line
    break there is where the cell wrapped); words=False keeps spaces between Chinese words (in a
    list cell such as 公开渠道和载体 a space separates two entries)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if words:
            line = _INNER_SPACE.sub("", line)
        if line:
            lines.append(line)
    if multiline:
        return "\n".join(lines)
    out = ""
    for line in lines:
        if out and not (_CJK_CHAR.match(out[-1]) and _CJK_CHAR.match(line[0])):
            out += " "
        out += line
    return out


def label_key(text: str | None) -> str:
    """A header label reduced for matching: NFKC, no whitespace at all, no trailing colon or star."""
    if not text:
        return ""
    key = unicodedata.normalize("NFKC", text)
    key = _ALL_SPACE.sub("", key)
    return key.strip(":*※")


def plain(text: str) -> str:
    """Whitespace-free NFKC form of a value, for comparing vocabulary words."""
    return _ALL_SPACE.sub("", unicodedata.normalize("NFKC", text))


_NUMBERING = re.compile(r"^(?:[0-9]{1,3}[.、.．)]|[(（][0-9一二三四五六七八九十]{1,3}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}、)\s*")


def strip_numbering(text: str) -> str:
    """A list entry without its leading number (1. / 1、/ (1) / ① / 一、)."""
    return _NUMBERING.sub("", text, count=1)


def has_numbering(text: str) -> bool:
    """True when text starts with a list number."""
    return bool(_NUMBERING.match(text))
