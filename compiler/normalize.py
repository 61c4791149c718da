"""Text normalisation for matching matters and unit names written by different people.

Catalogs are typed by hand in Word and Excel: full- and half-width forms (（） vs ()), stray
spaces, different punctuation (、 ， ; /), traditional characters (保障標準, from Hong Kong or Taiwan
input methods and old documents) and common short forms (低保 for 最低生活保障) must not hide a
duplicate, nor make two names of one unit look different.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from .simplified import SIMPLIFIED, TRADITIONAL

# Unicode punctuation, symbols and whitespace; letters, digits and CJK stay.
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)

# Short forms of matter names seen in real catalogs → the form used in the national standards.
# Only unambiguous ones: a wrong synonym would invent duplicates.
MATTER_SYNONYMS: dict[str, str] = {
    "低保": "最低生活保障",
    "城乡低保": "城乡最低生活保障",
    "特困供养": "特困人员救助供养",
    "特困人员供养": "特困人员救助供养",
    "五保供养": "特困人员救助供养",
    "服务指南": "办事指南",
    "办事服务指南": "办事指南",
    "政策法规文件": "政策文件",
    "政策文件及解读": "政策文件和解读",
    "招投标": "招标投标",
    "政府采购信息": "政府采购",
}


# Characters that show nothing: whitespace of every width (tab, U+3000 ideographic space, NBSP),
# controls, and the invisible format characters pasted from Word and web pages (zero-width space
# U+200B, joiners, bidi marks, U+FEFF, soft hyphen, fillers, variation selectors). A text made
# only of these is as good as empty: the element it fills is missing. Inclusive code point ranges,
# in the Basic Multilingual Plane only: editors run the schema's pattern as a JavaScript regular
# expression, where a character class of surrogate pairs is an error.
BLANK_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0020), (0x007F, 0x00A0), (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C),
    (0x115F, 0x1160), (0x1680, 0x1680), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x2000, 0x200F),
    (0x2028, 0x202F), (0x205F, 0x206F), (0x2800, 0x2800), (0x3000, 0x3000), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFFB),
)


def nonblank_pattern() -> str:
    """A regular expression that finds a visible character; the schema's nonblank pattern is this one."""
    def part(low: int, high: int) -> str:
        return chr(low) if low == high else f"{chr(low)}-{chr(high)}"
    return "[^" + "".join(part(low, high) for low, high in BLANK_RANGES) + "]"


BLANKS = "".join(chr(c) for low, high in BLANK_RANGES for c in range(low, high + 1))


def is_blank(text: str) -> bool:
    """Whether text shows nothing once whitespace and invisible characters are removed."""
    return _visible().search(text) is None


@lru_cache(maxsize=1)
def _visible() -> re.Pattern:
    return re.compile(nonblank_pattern())


# How people separate several values typed into one cell: 政府网站、两微一端;政务服务中心.
LIST_SEPARATORS = "、,,;;|\n"
_OPENING, _CLOSING = "《(([〔【{", "》))]〕】}"


def split_list(text: str) -> list[str]:
    """The values of a text that should have been a list, split at separators outside brackets."""
    # a 、 inside 《…》 or (…) belongs to a title; values are stripped, blank ones dropped
    parts, current, depth = [], [], 0
    for char in text:
        if char in _OPENING:
            depth += 1
        elif char in _CLOSING and depth:
            depth -= 1
        elif char in LIST_SEPARATORS and not depth:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [p.strip(BLANKS) for p in parts if not is_blank(p)]


# str.translate costs ~5 µs a name, so it runs only on text that may hold a traditional character:
# text outside GB 2312 (the simplified character set, encoded in C), or with one of the few
# traditional characters GB 2312 also has (tests/test_normalize.py checks this list is complete)
_GB2312 = codecs.getencoder("gb2312")
TRADITIONAL_IN_GB2312 = "乾吒夥後徵拚捱摺於榘菸薹袷醣麴麽"
_IN_GB2312 = re.compile(f"[{TRADITIONAL_IN_GB2312}]")


def fold(text: str) -> str:
    """NFKC (（） = ()) with traditional characters as simplified (保障標準 = 保障标准): one form per name."""
    text = unicodedata.normalize("NFKC", text)
    try:
        _GB2312(text)
    except UnicodeEncodeError:
        return text.translate(_to_simplified())
    return text.translate(_to_simplified()) if _IN_GB2312.search(text) else text


@lru_cache(maxsize=1)
def _to_simplified() -> dict:
    # built on first use (~2 ms): most runs never meet a traditional character
    return str.maketrans(TRADITIONAL, SIMPLIFIED)


@lru_cache(maxsize=1 << 16)
def plain(text: str | None) -> str:
    """Folded (width, traditional → simplified), without whitespace or punctuation."""
    if not text:
        return ""
    return _DROP.sub("", fold(text))


def matter_part(text: str | None) -> str:
    """One level of a matter name, comparable: plain text with known short forms expanded."""
    value = plain(text)
    return _SYNONYMS_PLAIN.get(value, value)


def matter_key(matter: str | None, sub_matter: str | None, third_matter: str | None = None) -> tuple[str, str, str]:
    """The key two items share when they describe the same matter (一级, 二级, 三级)."""
    return (matter_part(matter), matter_part(sub_matter), matter_part(third_matter))


# Short forms inside unit names (住建局 = 住房和城乡建设局, 卫健委 = 卫生健康委员会): applied to both the
# registry's names and the written one, so an unregistered short form still finds its unit.
UNIT_SHORT_FORMS: dict[str, str] = {
    "人社局": "人力资源和社会保障局",
    "人力资源社会保障": "人力资源和社会保障",
    "住建局": "住房和城乡建设局",
    "住房城乡建设": "住房和城乡建设",
    "卫健委": "卫生健康委员会",
    "卫生健康委": "卫生健康委员会",
    "市场监管局": "市场监督管理局",
    "发改委": "发展和改革委员会",
    "发展改革委": "发展和改革委员会",
    "教体局": "教育体育局",
    "自然资源规划局": "自然资源和规划局",
    "医保局": "医疗保障局",
    "应急局": "应急管理局",
    "文旅局": "文化和旅游局",
    "退役军人局": "退役军人事务局",
    "扶贫办": "扶贫开发办公室",
    # townships (DOMAIN §8): 砀城镇政府 = 砀城镇人民政府, 某某街道办 = 某某街道办事处
    "镇政府": "镇人民政府",
    "乡政府": "乡人民政府",
    "街道办": "街道办事处",
    "社会事务办": "社会事务办公室",
}


def expanded_unit_name(text: str | None) -> str:
    """A unit name with its short forms written out, for a last-resort match."""
    value = plain(text)
    for short, full in _UNIT_SHORT_PLAIN:
        if short in value and full not in value:
            value = value.replace(short, full)
    return value


def unit_name(text: str | None) -> str:
    """A unit name comparable across width and spacing variants (（国资委） = (国资委))."""
    return plain(text)


# whole names only: expanding inside longer names (服务指南 in 公共服务指南) would invent duplicates
_SYNONYMS_PLAIN = {plain(k): plain(v) for k, v in MATTER_SYNONYMS.items()}

_UNIT_SHORT_PLAIN = sorted(((plain(k), plain(v)) for k, v in UNIT_SHORT_FORMS.items()), key=lambda kv: -len(kv[0]))
