"""Fixes for schema findings (compiler/schema.py): a did-you-mean key, a 、-separated string
where a list belongs, a vocabulary value or a code damaged only by width and spacing."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .. import resources, vocabulary
from . import Target, fix

_GUESS = re.compile(r"did you mean '(.+?)'\?$|rename '.+' to '(.+?)'\.?$")
# the separators authors type between list entries in one cell or line (defect 11)
LIST_SEPARATORS = re.compile(r"\s*[、,,;;]\s*")
_BLANKS = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def squeezed(text: str) -> str:
    """text in half-width forms without any whitespace (full-width, zero-width, tabs)."""
    return _BLANKS.sub("", unicodedata.normalize("NFKC", text))


@fix("GK202", "按“是不是”建议改正键名", "rename a key as its did-you-mean says")
def rename_key(target: Target) -> bool:
    """Rename the unknown key to the suggested one, in place: order and comments are kept."""
    match = _GUESS.search(target.args.get("suggestion_en", "")) or _GUESS.search(target.args.get("fix_en", ""))
    place = target.locate()
    if match is None or place is None or not isinstance(place[0], CommentedMap):
        return False
    mapping, old = place
    new = match[1] or match[2]
    if new in mapping:
        return False
    position = list(mapping).index(old)
    comment = mapping.ca.items.pop(old, None)
    value = mapping.pop(old)
    mapping.insert(position, new, value)
    if comment is not None:
        mapping.ca.items[new] = comment
    return True


@fix("GK203", "把用、分隔的一段文字改为列表", "split a 、-separated text into a list")
def split_list(target: Target) -> bool:
    """A text where a list belongs becomes a flow list of its 、,,;;-separated parts."""
    value = target.value()
    if not isinstance(value, str) or "列表" not in target.args.get("expected", ""):
        return False
    parts = [p for p in LIST_SEPARATORS.split(value.strip()) if p]
    if not parts:
        return False
    seq = CommentedSeq(parts)
    seq.fa.set_flow_style()
    return target.set(seq)


@fix("GK204", "去掉词表值中的多余空格和全角字符", "clean spaces and full-width forms out of a vocabulary value")
def vocabulary_value(target: Target) -> bool:
    """A value that is a canonical value (or a synonym) once spaces and full-width forms are gone."""
    value = target.value()
    if not isinstance(value, str):
        return False
    try:
        vocab = vocabulary.get(target.args.get("title_en", ""))
    except KeyError:
        return False
    clean = squeezed(value)
    wanted = {squeezed(c): c for c in vocab.canonical} | {squeezed(s): c for s, c in vocab.synonyms.items()}
    return clean in wanted and target.set(wanted[clean])


@lru_cache(maxsize=None)
def _patterns() -> dict[str, re.Pattern]:
    """key -> the pattern its values must match, from every properties block of the catalog schema."""
    found: dict[str, re.Pattern] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                if isinstance(sub, dict) and "pattern" in sub:
                    found.setdefault(key, re.compile(sub["pattern"]))
            for sub in node.values():
                walk(sub)
        elif isinstance(node, list):
            for sub in node:
                walk(sub)

    walk(resources.schema("catalog"))
    return found


@fix("GK205", "改正编号、代码和日期中的全角数字和空格", "fix full-width digits and spaces in ids, codes and dates")
def code_format(target: Target) -> bool:
    """An id, code or date that has the right format once full-width forms and spaces are gone."""
    value = target.value()
    pattern = _patterns().get(target.parts[-1] if target.parts else "")
    if not isinstance(value, str) or pattern is None:
        return False
    clean = squeezed(value).replace("—", "-").replace("－", "-")
    return bool(pattern.match(clean)) and target.set(clean)
