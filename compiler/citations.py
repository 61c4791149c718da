"""Citations of legal bases resolved to the document library: parsing and normalising, no I/O.

A basis is written as people write it: 《title》(文号), with a type tag 【行政法规】 before it and an
article 第二十条第二款 after it, brackets 〔〕 () [] 【】 in full or half width, 国令 for 国务院令, with
or without 《》; `doc:ID` names a library entry explicitly. Each distinct string is parsed and
resolved once (Library keeps a cache by string), so a province of 200,000 items costs one
lookup per distinct citation.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# type tags as written -> the library types they allow (【规章】 covers both kinds of 规章)
TAG_TYPES = {
    "法律": ("法律",), "行政法规": ("行政法规",), "法规": ("行政法规", "地方性法规"), "地方性法规": ("地方性法规",),
    "规章": ("部门规章", "地方政府规章"), "部门规章": ("部门规章",), "地方政府规章": ("地方政府规章",),
    "规范性文件": ("规范性文件",), "其他": ("其他",),
}
TYPES = ("法律", "行政法规", "地方性法规", "部门规章", "地方政府规章", "规范性文件", "其他")
STATUSES = ("有效", "已修改", "已废止", "失效", "尚未生效", "未知")

# after NFKC (which already turns full-width （）［］ and digits into ASCII): brackets, quotes, dashes
_FOLDS = tuple({**{c: "(" for c in "〔[【〖"}, **{c: ")" for c in "〕]】〗"},
                "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "〈": "<", "〉": ">",
                "—": "-", "–": "-", "―": "-", "~": "-", "～": "-", "·": "", "・": ""}.items())
_SPACE = re.compile(r"\s+")
_ID = re.compile(r"^\s*doc\s*[:：]\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*$")
_TAG = re.compile(r"^\s*[【\[［]\s*([^】\]］]{1,8}?)\s*[】\]］]\s*")
_TITLED = re.compile(r"《([^《》]+)》")
_NUMERAL = "一二三四五六七八九十百千零〇两0-9０-９"
_ARTICLE = re.compile(rf"第[{_NUMERAL}]+条(?:之[{_NUMERAL}]+)?(?:第[{_NUMERAL}]+款)?(?:第[{_NUMERAL}]+项)?(?:第[{_NUMERAL}]+目)?")
_STATE_ORDER = re.compile(r"^(?:中华人民共和国)?(?:国务院|国)令第?([0-9]+)号$")
_YEAR = re.compile(r"\(([0-9]{4})\)")


@dataclass(frozen=True, slots=True)
class Citation:
    """One citation parsed from a basis string: the keys it is looked up by and what was written."""

    text: str           # the citation's own text (a part of the basis string)
    title: str          # as written, without 《》 ("" when none could be found)
    number: str         # 文号 as written ("" when none)
    tag: str            # type tag as written (行政法规), "" when none
    article: str        # 第二十条第二款, "" when none
    id: str = ""        # explicit doc:ID
    titled: bool = True  # written with 《》


def fold(text: str) -> str:
    """Width, quotes, dashes, brackets and spacing folded away: the form two spellings share."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    for old, new in _FOLDS:  # str.replace of the few present beats translate's per-character lookups
        if old in text:
            text = text.replace(old, new)
    return _SPACE.sub("", text) if " " in text or not text.isprintable() else text


def title_key(title: str) -> str:
    """The lookup key of a title (also without the 中华人民共和国 every national law may omit)."""
    key = fold(title).strip("《》<>\"'")
    return key


def short_title_key(title: str) -> str:
    """The title key without a leading 中华人民共和国."""
    key = title_key(title)
    return key[len("中华人民共和国"):] if key.startswith("中华人民共和国") and len(key) > 7 else key


def number_key(number: str) -> str:
    """The lookup key of a 文号: brackets around the year as 〔〕, 国令 as 国务院令."""
    key = fold(number).strip("()")
    key = _YEAR.sub(r"〔\1〕", key)
    order = _STATE_ORDER.match(key)
    return f"国务院令第{order.group(1)}号" if order else key


def _groups(folded: str):
    """(start, end, inside) of each top-level bracketed group of folded text."""
    depth, start = 0, 0
    for i, ch in enumerate(folded):
        if ch == "(":
            start = i if depth == 0 else start
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                yield start, i + 1, folded[start + 1:i]


def _number(folded: str, last: bool = False) -> tuple[str, str]:
    """(文号, the rest): the first (or last) top-level bracketed group holding 号 or 令."""
    groups = [g for g in _groups(folded) if "号" in g[2] or "令" in g[2]]
    if not groups:
        return "", folded
    start, end, inside = groups[-1] if last else groups[0]
    return inside, folded[:start] + folded[end:]


def _tag(text: str) -> str:
    """The type tag written at the start of text (行政法规), "" when none or not a type."""
    match = _TAG.search(text)
    return fold(match.group(1)) if match and fold(match.group(1)) in TAG_TYPES else ""


def _tag_before(text: str, begin: int, end: int) -> tuple[str, int]:
    """(type tag, characters it takes) written just before text[end] (a 《title》), ("", 0) when none."""
    head = text[begin:end]
    bare = head.rstrip()
    if not bare or bare[-1] not in "】]］":
        return "", 0
    opening = max(bare.rfind("【"), bare.rfind("["), bare.rfind("［"))
    tag = fold(bare[opening + 1:-1]) if opening >= 0 else ""
    return (tag, len(head) - opening) if tag in TAG_TYPES else ("", 0)


def _article(folded: str) -> tuple[str, str]:
    """(article, the rest) of folded text."""
    match = _ARTICLE.search(folded)
    return (match.group(0), folded[:match.start()] + folded[match.end():]) if match else ("", folded)


def explicit_id(text: str) -> str:
    """The library id of an explicit citation (doc:ID), "" for any other text."""
    match = _ID.match(text)
    return match.group(1) if match else ""


def parse(text: str) -> tuple[Citation, ...]:
    """The citations in one basis string (several when it names several 《》 titles)."""
    explicit = _ID.match(text)
    if explicit:
        return (Citation(text, "", "", "", "", id=explicit.group(1)),)
    matches = list(_TITLED.finditer(text))
    if not matches:
        if not text.strip():
            return ()
        tag = _tag(text)
        body = _TAG.sub("", text, count=1) if tag else text
        article, rest = _article(fold(body))
        number, title = _number(rest, last=True)  # a title may hold "(2019-2021年)": the 文号 comes last
        return (Citation(text.strip(), title.strip("\"'"), number, tag, article, titled=False),)
    # each citation runs from its tag (or 《) to the next one's start
    tags = [_tag_before(text, matches[n - 1].end() if n else 0, m.start()) for n, m in enumerate(matches)]
    starts = [m.start() - taken for (_, taken), m in zip(tags, matches)]
    found = []
    for n, match in enumerate(matches):
        end = starts[n + 1] if n + 1 < len(matches) else len(text)
        article, rest = _article(fold(text[match.end():end]))
        number, _ = _number(rest)
        tag = tags[n][0]
        found.append(Citation(text[starts[n]:end].strip(" 、,,;;"), match.group(1), number, tag, article))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Resolution:
    """A citation and the library entry it resolves to, with how well it matched.

    match is one of: id, exact (title and 文号), title (no 文号 written), number-differs (title
    matches, 文号 does not), title-differs (文号 matches one document, title does not), none.
    """

    citation: Citation
    document: object | None  # compiler.registry.Document
    match: str

    @property
    def unknown(self) -> bool:
        """Names a document (《》, 文号 or doc:ID) yet resolves to none; a bare phrase is GK302/GK304's."""
        c = self.citation
        return self.document is None and bool(c.id or c.titled or c.number)


class Library:
    """The documents of the registry indexed by id, title and 文号, resolving citations with a cache."""

    def __init__(self, documents: dict) -> None:
        self.documents = documents
        self.by_title: dict[str, list] = {}
        self.by_number: dict[str, list] = {}
        for doc in documents.values():
            for title in (doc.title, *doc.aliases):
                for key in {title_key(title), short_title_key(title)}:
                    self.by_title.setdefault(key, []).append(doc)
            if doc.number:
                self.by_number.setdefault(number_key(doc.number), []).append(doc)
        self.titles = sorted({doc.title for doc in documents.values()})
        self._cache: dict[str, tuple[Resolution, ...]] = {}
        self._sweep: tuple = (None, None, None, ())

    def resolve(self, text: str) -> tuple[Resolution, ...]:
        """The resolutions of every citation in one basis string (cached by the string)."""
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = tuple(self.resolve_one(c) for c in parse(text))
        return found

    def resolve_one(self, citation: Citation) -> Resolution:
        """The library entry one parsed citation names, and how it matched."""
        if citation.id:
            doc = self.documents.get(citation.id)
            return Resolution(citation, doc, "id" if doc else "none")
        titled = self.by_title.get(title_key(citation.title)) or self.by_title.get(short_title_key(citation.title)) or []
        numbered = self.by_number.get(number_key(citation.number), []) if citation.number else []
        for doc in titled:
            if doc in numbered:
                return Resolution(citation, doc, "exact")
        if titled:
            current = next((d for d in titled if d.status == "有效"), titled[0])
            return Resolution(citation, current, "number-differs" if citation.number else "title")
        if len(numbered) == 1:
            return Resolution(citation, numbered[0], "title-differs")
        return Resolution(citation, None, "none")

    def sweep(self, project, keep) -> tuple:
        """(catalog, item, index, resolution) of every citation in project that keep accepts, in file
        order; computed once per project and predicate (a rule family shares one pass)."""
        shape = (len(project.catalogs), sum(len(c.items) for c in project.catalogs))
        last_project, last_keep, last_shape, rows = self._sweep
        if last_project is project and last_keep is keep and last_shape == shape:
            return rows
        resolve = self.resolve
        texts = set().union(*[item.basis for catalog in project.catalogs for item in catalog.items])
        kept = {text: hits for text in texts if (hits := tuple(r for r in resolve(text) if keep(r)))}
        found = []
        if kept:
            notable = kept.keys()
            for catalog in project.catalogs:
                for item in catalog.items:
                    if notable.isdisjoint(item.basis):  # in C: most items cite nothing notable
                        continue
                    for n, text in enumerate(item.basis):
                        found.extend((catalog, item, n, r) for r in kept.get(text, ()))
        rows = tuple(found)
        self._sweep = (project, keep, shape, rows)
        return rows
