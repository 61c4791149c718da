"""统一社会信用代码 (GB 32100-2015): the 18-character code of a registered unit, and its check.

Layout: 1 登记管理部门代码, 1 机构类别代码 (11 for a 机关, 12 for a 事业单位 …), 6 登记管理机关
行政区划码 (GB/T 2260 digits), 9 主体标识码 (the GB 11714 organisation code) and 1 校验码. Every
character is a digit or an upper-case letter other than I, O, Z, S and V (31 characters, valued
0-30 in that order); the 校验码 is C18 = 31 - (Σ Ci·Wi mod 31), Wi = 3^(i-1) mod 31, with 31
written as 0 (GB 32100-2015). The organisation code's own GB 11714 check digit (position 17) is
not checked separately: 31 is prime and no weight is 0 mod 31, so any one mistyped character
already breaks the 校验码. Pure: no I/O.
"""
from __future__ import annotations

from typing import NamedTuple

CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
LENGTH = 18
# letters the code leaves out because they pass for digits: the usual slip
_DIGIT_LIKE = {letter: (f",多半是数字 {digit} 之误", f", most likely the digit {digit}")
               for letter, digit in (("O", "0"), ("I", "1"), ("Z", "2"), ("S", "5"))}


class Problem(NamedTuple):
    """What is wrong with a code (Chinese, English) and the 1-based character it starts at."""

    zh: str
    en: str
    position: int   # 0 when the problem is the whole code (its length)


def check_character(first17: str) -> str:
    """The 校验码 of the first 17 characters of a code (all of them in CHARACTERS)."""
    total = sum(CHARACTERS.index(ch) * weight for ch, weight in zip(first17, WEIGHTS))
    return CHARACTERS[(31 - total % 31) % 31]


def problem(code: str) -> Problem | None:
    """The first problem of a 统一社会信用代码 (length, a character, the region part, the 校验码), None when valid."""
    if len(code) != LENGTH:
        return Problem(f"长度为 {len(code)} 位,统一社会信用代码是 18 位", f"has {len(code)} characters; a unified "
                       "social credit code has 18", 0)
    for n, ch in enumerate(code, 1):
        if ch not in CHARACTERS:
            what = "小写字母" if ch.isascii() and ch.islower() else "不使用的字符" + _DIGIT_LIKE.get(ch, ("", ""))[0]
            what_en = ("a lower-case letter" if ch.isascii() and ch.islower()
                       else "a character the code never uses" + _DIGIT_LIKE.get(ch, ("", ""))[1])
            return Problem(f"第 {n} 位“{ch}”是{what}(只用数字和除 I、O、Z、S、V 以外的大写字母)",
                           f"character {n} '{ch}' is {what_en} (digits and upper-case letters but I, O, Z, S, V only)", n)
    for n in range(3, 9):
        if not code[n - 1].isdigit():
            return Problem(f"第 3—8 位是行政区划码,应为数字,第 {n} 位是“{code[n - 1]}”",
                           f"characters 3-8 are the region code and must be digits; character {n} is '{code[n - 1]}'", n)
    expected = check_character(code[:17])
    if code[17] != expected:
        return Problem(f"校验码(第 18 位)是“{code[17]}”,按前 17 位计算应为“{expected}”",
                       f"the check character (the 18th) is '{code[17]}'; the first 17 give '{expected}'", 18)
    return None
