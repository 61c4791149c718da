"""Rules on one catalog's items: vocabulary synonyms, legal basis, channels, levels, header."""
from __future__ import annotations

import re
from datetime import date

from .. import vocabulary
from ..citations import explicit_id
from ..diagnostics import make
from ..model import Catalog
from . import file_rule

_VOCAB_KEYS = (("audience", "audience"), ("method", "method"))
_LIST_VOCAB_KEYS = (("channels", "channel"), ("optional_channels", "channel"), ("levels", "level"))


@file_rule("GK301")
def synonyms(catalog: Catalog):
    """Vocabulary synonyms, with their canonical value."""
    # the vocabularies looked up once per catalog, not five times per matter (this rule was a
    # tenth of the per-file stage's Python time)
    single = [(key, name, vocabulary.get(name)) for key, name in _VOCAB_KEYS]
    many = [(key, name, vocabulary.get(name)) for key, name in _LIST_VOCAB_KEYS]
    for item in catalog.items:
        raw = item.data
        for key, name, vocab in single:
            value = raw.get(key)
            if isinstance(value, str) and value in vocab.synonyms:
                yield make("GK301", catalog.file, item.mark(key), item.key_path(key), item.id, value=value,
                           canonical=vocab.synonyms[value], title=vocab.title, title_en=name)
        for key, name, vocab in many:
            values = raw.get(key)
            if not isinstance(values, list):
                continue
            for index, value in enumerate(values):
                if isinstance(value, str) and value in vocab.synonyms:
                    yield make("GK301", catalog.file, item.mark(key, index), item.key_path(key, index), item.id,
                               value=value, canonical=vocab.synonyms[value], title=vocab.title, title_en=name)


# Phrases found in real catalogs that cite no identifiable document.
_VAGUE = re.compile(r"^(相关|有关|各地|其他|上级|国家|省|市|县)?.{0,6}(政策|法律|法规|文件|规定|要求)(文件|法规文件|规定)?(等)?$")
_VAGUE_WORDS = ("相关政策", "有关规定", "相关规定", "相关法律法规", "配套政策", "相关文件", "有关文件", "上级文件")


def _vague(text: str) -> bool:
    bare = text.strip()
    if "《" in bare:
        return False
    return any(w in bare for w in _VAGUE_WORDS) or bool(_VAGUE.match(bare))


@file_rule("GK302", "GK304")
def legal_basis(catalog: Catalog):
    """A vague legal basis; a basis without 《》 title marks."""
    for item in catalog.items:
        values = item.data.get("basis")
        if not isinstance(values, list):
            continue
        for index, value in enumerate(values):
            # a title in 《》 is neither vague nor untitled: most bases, answered by one test
            if not isinstance(value, str) or "《" in value or not value.strip():
                continue
            if _vague(value):
                yield make("GK302", catalog.file, item.mark("basis", index), item.key_path("basis", index), item.id, value=value)
            elif "《" not in value and "<<" not in value and not explicit_id(value):  # doc:ID names a library entry
                yield make("GK304", catalog.file, item.mark("basis", index), item.key_path("basis", index), item.id, value=value)


@file_rule("GK306", "GK308")
def channels(catalog: Catalog):
    """A channel listed twice, or in both channels (■) and optional_channels (□)."""
    for item in catalog.items:
        seen: set[str] = set()
        for index, value in enumerate(item.channels):
            if value in seen:
                yield make("GK306", catalog.file, item.mark("channels", index), item.key_path("channels", index), item.id, value=value)
            seen.add(value)
        optional: set[str] = set()
        for index, value in enumerate(item.optional_channels):
            if value in seen:
                yield make("GK308", catalog.file, item.mark("optional_channels", index),
                           item.key_path("optional_channels", index), item.id, value=value)
            elif value in optional:
                yield make("GK306", catalog.file, item.mark("optional_channels", index),
                           item.key_path("optional_channels", index), item.id, value=value)
            optional.add(value)


@file_rule("GK307")
def standard_levels(catalog: Catalog):
    """Items of a standard catalog state their levels."""
    if not catalog.standard:
        return
    for item in catalog.items:
        if "levels" not in item.data:
            yield make("GK307", catalog.file, item.mark(), item.key_path("levels"), item.id)


_CODE_SHAPE = re.compile(r"^[0-9]{6}([0-9]{3}|[0-9]{6})?$")


def code_level(code: str) -> str | None:
    """The level a GB/T 2260 code has by its shape (None when not a code)."""
    if not _CODE_SHAPE.match(code):
        return None
    if len(code) > 6:
        return "township"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


@file_rule("GK305")
def header_level(catalog: Catalog):
    """The catalog's level matches the shape of its region code (GB/T 2260)."""
    if catalog.region is None or catalog.level not in vocabulary.LEVEL_ORDER:
        return
    expected = code_level(catalog.region)
    if expected is None or expected == catalog.level:
        return
    # a city without counties may publish township catalogs; a directly-administered county is county-shaped
    yield make("GK305", catalog.file, catalog.mark("level"), ("level",), None, level=catalog.level,
               region=catalog.region, expected=vocabulary.LEVEL_NAMES[expected] + "代码", expected_en=f"a {expected} code")


def _day(value: object) -> date | None:
    """A YYYY-MM-DD text as a date; None when absent or not a real day (GK205 says so)."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


@file_rule("GK309")
def validity_dates(catalog: Catalog):
    """A catalog's expires date comes after its effective date."""
    effective, expires = _day(catalog.data.get("effective")), _day(catalog.data.get("expires"))
    if effective is not None and expires is not None and expires <= effective:
        yield make("GK309", catalog.file, catalog.mark("expires"), ("expires",), None,
                   effective=effective.isoformat(), expires=expires.isoformat())


RULES = [synonyms, legal_basis, channels, standard_levels, header_level, validity_dates]
