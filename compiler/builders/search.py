"""The one-stop search index: an inverted index over character bigrams, split into small .js files.

A search must answer in well under 100 ms over a whole province (≈200,000 matters) without
downloading it, and every result must really contain what was typed. The index is built for
Chinese substring search (docs/data.md, "Search index"):

* texts: every distinct field value (一级/二级/三级事项, 公开内容, 公开主体, 公开依据 joined by
  line breaks), numbered in order of first use. A province's catalogs repeat the same wording
  thousands of times, so the distinct texts are a small fraction of the whole (1 M characters
  instead of 22 M for the generated province).
* docs: one per field of a matter, numbered matter × 6 + field, so a match never spans two fields.
* grams (g/): for each bigram, where it occurs in the texts (text × width + position) and which
  docs contain it; for each single character, which docs contain it. Small grams share files
  picked by hash; big ones have files of their own, listed in the manifest. A query loads only
  the files of its own grams.
* docs of texts (d/): used to take out the docs of texts that have a word's bigrams but not the
  word itself. Intersecting bigram postings alone would promise
  results that are not there; the positions make every result exact.
* filters (f/): the matters disclosed through a channel, to an audience or by a method.
* records (r/): what a result shows, 32 matters a file with the texts they use, loaded only for
  the results on screen.

Files are JavaScript that hand their data to a global callback (``gkmlIndex(name, data)``),
because they are loaded with <script> tags: fetch() is refused on file:// by Chromium, while a
script tag works on file:// and over http alike, from any sub-path.
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from itertools import chain, pairwise
from pathlib import Path

import numpy as np

from .. import vocabulary
from ..vocabulary import LEVEL_NAMES, LEVEL_ORDER
from .common import Site, marks_of

VERSION = 3
FIELDS = ("matter", "sub_matter", "third_matter", "content", "responsible_unit", "basis")
SLOTS = len(FIELDS)          # doc = matter number × SLOTS + field
UNIT_SLOT = FIELDS.index("responsible_unit")
MAX_GRAM_FILES = 512         # the other grams share at most this many files, picked by hash,
GRAM_FILE_SIZE = 24000       # of about this many characters each (fewer files for small sets)
OWN_FILE_FROM = 8192         # a gram whose postings are longer (characters) gets files of its own
DOC_CHUNK = 8000             # characters of postings per d/<n>.js
RECORDS = 32                 # matters per r/<n>.js

# postings are strings of base-32 digits, most significant first: a continuation digit is one of
# the first 32 characters, a final digit one of the last 32 (all plain ASCII, no JSON escapes)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUV" "WXYZabcdefghijklmnopqrstuvwxyz-_"
_CONT, _END = ALPHABET[:32], ALPHABET[32:]
_SHORT = [_END[n] if n < 32 else _CONT[n >> 5] + _END[n & 31] for n in range(1024)]


def _number(n: int) -> str:
    if n < 1024:
        return _SHORT[n]
    digits = [_END[n & 31]]
    n >>= 5
    while n:
        digits.append(_CONT[n & 31])
        n >>= 5
    return "".join(reversed(digits))


def encode(numbers: list[int]) -> str:
    """A strictly increasing list as a postings string: the first number, then each gap minus one."""
    if not numbers:
        return ""
    short, number = _SHORT, _number
    gaps = [b - a - 1 for a, b in pairwise(numbers)]
    return number(numbers[0]) + "".join([short[g] if g < 1024 else number(g) for g in gaps])


_END_CODES = np.frombuffer(_END.encode("ascii"), np.uint8)
_CONT_CODES = np.frombuffer(_CONT.encode("ascii"), np.uint8)


def encode_array(numbers: np.ndarray) -> str:
    """encode() of a strictly increasing int64 array, vectorised: a province has tens of millions of docs."""
    if len(numbers) == 0:
        return ""
    values = np.empty(len(numbers), np.int64)
    values[0] = numbers[0]
    np.subtract(numbers[1:], numbers[:-1], out=values[1:])
    values[1:] -= 1
    digits = np.ones(len(values), np.int64)
    rest = values >> 5
    while rest.any():
        digits += rest > 0
        rest >>= 5
    ends = np.cumsum(digits)
    out = np.empty(int(ends[-1]), np.uint8)
    out[ends - 1] = _END_CODES[values & 31]
    k = 1
    while True:
        more = np.flatnonzero(digits > k)
        if not len(more):
            break
        out[ends[more] - 1 - k] = _CONT_CODES[(values[more] >> (5 * k)) & 31]
        k += 1
    return out.tobytes().decode("ascii")


class Docs:
    """The docs of every text as one flat array (text t's docs are flat[start[t]:start[t] + count[t]])."""

    def __init__(self, text_docs: list[list[int]]):
        self.count = np.fromiter(map(len, text_docs), np.int64, len(text_docs))
        self.start = np.zeros(len(text_docs), np.int64)
        np.cumsum(self.count[:-1], out=self.start[1:])
        self.flat = np.fromiter(chain.from_iterable(text_docs), np.int64, int(self.count.sum()))

    def of(self, texts: np.ndarray) -> np.ndarray:
        """The docs of distinct texts, in increasing order (every doc has one text: no repeats)."""
        count = self.count[texts]
        shift = np.repeat(self.start[texts] - (np.cumsum(count) - count), count)
        docs = self.flat[np.arange(len(shift), dtype=np.int64) + shift]
        docs.sort()   # distinct numbers: any sort gives the same order, numpy's default is the fastest
        return docs


def decode(text: str) -> list[int]:
    """The inverse of encode (used by the tests; the browser has its own copy in search.js)."""
    out, value = [], 0
    for ch in text:
        digit = ALPHABET.index(ch)
        value = value * 32 + (digit & 31)
        if digit >= 32:
            out.append(value if not out else out[-1] + value + 1)
            value = 0
    return out


def fold(text: str) -> str:
    """Search folding: ASCII letters to lower case (the same rule as search.js), nothing else."""
    return text.translate(_LOWER)


_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def gram_file(gram: str, count: int) -> int:
    """Which of count g/<n>.js holds a gram (the same hash as search.js: over code points, base 31)."""
    h = 0
    for ch in gram:
        h = (h * 31 + ord(ch)) % count
    return h


def _js(value: object) -> str:
    # JSON is valid JavaScript; escaping < > & keeps a file inert even if pasted into HTML
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _call(name: str, data: object) -> str:
    return f"gkmlIndex({_js(name)},{_js(data)});\n"


def field_values(item) -> list[str]:
    """The searched fields of a matter, in FIELDS order ('' when empty); 公开依据 joined by line breaks."""
    return [item.matter or "", item.sub_matter or "", item.third_matter or "", item.content or "",
            item.responsible_unit or "", "\n".join(item.basis)]


def files(site: Site) -> list[tuple[str, str]]:
    """Every file of the index as (path relative to the site root, text), in a fixed order."""
    return index_files(site) + record_files(site)


def record_files(site: Site) -> list[tuple[str, str]]:
    """The r/ files: what a result shows, RECORDS matters a file with the texts they use (one round trip)."""
    audiences, methods = _numbered("audience"), _numbered("method")
    matters = [(item, p) for region in site.regions for p, page in enumerate(region.pages) for item in page.catalog.items]
    out = []
    for n in range(0, len(matters), RECORDS):
        local: dict[str, int] = {}   # texts numbered in order of first use in the file
        rows = [[item.id or "", [local.setdefault(v, len(local)) if v else -1 for v in field_values(item)], p,
                 audiences.get(item.audience, -1), methods.get(item.method, -1)]
                for item, p in matters[n:n + RECORDS]]
        out.append((f"search/r/{n // RECORDS}.js", _call(f"r/{n // RECORDS}", [list(local), rows])))
    return out


def index_files(site: Site) -> list[tuple[str, str]]:
    """Every file of the index but r/ (record_files), manifest first."""
    channels = list(vocabulary.get("channel").canonical)
    audiences, methods = _numbered("audience"), _numbered("method")
    area_index = {name: n for n, (name, _) in enumerate(site.areas)}

    text_ids: dict[str, int] = {}
    text_id = text_ids.get
    texts: list[str] = []
    text_docs: list[list[int]] = []
    filters: defaultdict[str, list[int]] = defaultdict(list)
    regions = []
    number = 0
    for region in site.regions:
        start = number
        pages = []
        for p, page in enumerate(region.pages):
            pages.append([page.slug, area_index.get(page.area_name, -1), len(page.catalog.items)])
            for item in page.catalog.items:
                # the hot loop of the index (200,000 matters × 6 fields): field_values inlined
                doc = number * SLOTS
                for value in (item.matter, item.sub_matter, item.third_matter, item.content,
                              item.responsible_unit, "\n".join(item.basis)):
                    if value:
                        tid = text_id(value)
                        if tid is None:
                            tid = text_ids[value] = len(texts)
                            texts.append(value)
                            text_docs.append([doc])
                        else:
                            text_docs[tid].append(doc)
                    doc += 1
                audience = audiences.get(item.audience, -1)
                method = methods.get(item.method, -1)
                for name in _channel_filters(item.channels, item.optional_channels):
                    filters[name].append(number)
                if audience >= 0:
                    filters[f"a{audience}"].append(number)
                if method >= 0:
                    filters[f"m{method}"].append(number)
                number += 1
        units = sorted({i.responsible_unit for p in region.pages for i in p.catalog.items if i.responsible_unit})
        regions.append({"code": region.code, "name": region.name, "level": region.level,
                        "parent": region.parent, "start": start, "count": number - start,
                        "pages": pages, "units": units})
    total = number

    # text-level grams: bigram -> text × L + position; character -> texts
    width = max((len(t) for t in texts), default=0) + 1
    bigram_at: dict[str, list[int]] = {}
    char_in: dict[str, list[int]] = {}
    for tid, text in enumerate(texts):
        folded = fold(text)
        base = tid * width
        for pos, ch in enumerate(folded):
            if ch == "\n":
                continue
            seen = char_in.setdefault(ch, [])
            if not seen or seen[-1] != tid:
                seen.append(tid)
            pair = folded[pos:pos + 2]
            if len(pair) == 2 and pair[1] != "\n":
                bigram_at.setdefault(pair, []).append(base + pos)

    out: list[tuple[str, str]] = []
    small: list[tuple[str, object, int]] = []
    own: dict[str, list[int]] = {}
    all_docs = Docs(text_docs)
    for gram in sorted(chain(bigram_at, char_in)):
        if len(gram) == 2:
            at = np.array(bigram_at[gram], np.int64)
            tids = at // width
            # at increases, so its texts come in order: keep the first of each run
            tids = tids[np.concatenate(([True], tids[1:] != tids[:-1]))]
            docs = all_docs.of(tids)
            entry: object = [encode_array(at), encode_array(docs)]
            size = len(entry[0]) + len(entry[1])
        else:
            docs = all_docs.of(np.array(char_in[gram], np.int64))
            entry = encode_array(docs)
            size = len(entry)
        if size > OWN_FILE_FROM:
            # big grams get files of their own, listed in the manifest with their number of docs:
            # a bigram's positions in g/p<n>.js and docs in g/d<n>.js, so a word loads only the
            # docs it needs; a character's docs in g/d<n>.js
            n = len(own)
            own[gram] = [n, len(docs)]
            if len(gram) == 2:
                out.append((f"search/g/p{n}.js", _call(f"g/p{n}", entry[0])))
                out.append((f"search/g/d{n}.js", _call(f"g/d{n}", entry[1])))
            else:
                out.append((f"search/g/d{n}.js", _call(f"g/d{n}", entry)))
        else:
            small.append((gram, entry, size))
    # the other grams share files picked by hash, about GRAM_FILE_SIZE characters each
    count = 1
    while count < MAX_GRAM_FILES and count * GRAM_FILE_SIZE < sum(size for _, _, size in small):
        count *= 2
    shards: list[dict[str, object]] = [{} for _ in range(count)]
    for gram, entry, _ in small:
        shards[gram_file(gram, count)][gram] = entry
    for n, shard in enumerate(shards):
        out.append((f"search/g/{n}.js", _call(f"g/{n}", shard)))

    doc_lists = [encode(d) for d in text_docs]
    doc_starts = _chunks(doc_lists, DOC_CHUNK, len)
    for n, (lo, hi) in enumerate(zip(doc_starts, doc_starts[1:] + [len(doc_lists)])):
        out.append((f"search/d/{n}.js", _call(f"d/{n}", doc_lists[lo:hi])))
    for name in sorted(filters):
        numbers = filters[name]
        # a value most matters have is stored as its complement, so every filter file stays small
        if len(numbers) * 2 > total:
            present = set(numbers)
            out.append((f"search/f/{name}.js", _call(f"f/{name}", [1, encode([n for n in range(total) if n not in present])])))
        else:
            out.append((f"search/f/{name}.js", _call(f"f/{name}", [0, encode(numbers)])))

    levels = sorted({r.level for r in site.regions}, key=lambda lv: LEVEL_ORDER.get(lv, 9))
    manifest = {
        "version": VERSION, "total": total, "fields": list(FIELDS), "slots": SLOTS, "unitSlot": UNIT_SLOT,
        "width": width, "gramFiles": count, "records": RECORDS, "alphabet": ALPHABET, "own": own,
        "docs": doc_starts, "filters": sorted(filters),
        "levels": [[lv, LEVEL_NAMES.get(lv, lv)] for lv in levels],
        "areas": [[name, slug] for name, slug in site.areas],
        "channels": channels, "audiences": list(audiences), "methods": list(methods),
        "regions": regions,
    }
    out.insert(0, ("search/manifest.js", f"window.gkmlManifest({_js(manifest)});\n"))
    return out


def _numbered(vocab: str) -> dict[str, int]:
    """A vocabulary's canonical values by their number in the index (template order)."""
    return {name: n for n, name in enumerate(vocabulary.get(vocab).canonical)}


@lru_cache(maxsize=4096)
def _channel_filters(channels: tuple[str, ...], optional: tuple[str, ...]) -> tuple[str, ...]:
    # every channel a matter is disclosed through, ■ or □ (其他:… counts as 其他); a province has
    # 200,000 matters but a few hundred channel combinations
    vocab = vocabulary.get("channel")
    count = len(vocab.canonical)
    marks = marks_of(channels, optional)
    return tuple(f"c{c}" for c in sorted({vocab.order(c) for _, c in marks}) if 0 <= c < count)


def _chunks(values: list, budget: int, size) -> list[int]:
    """Start indexes of consecutive chunks of values whose sizes add up to about budget each."""
    starts, used = [0], 0
    for n, value in enumerate(values):
        if used and used + size(value) > budget:
            starts.append(n)
            used = 0
        used += size(value)
    return starts if values else []


def write(site: Site, root: Path) -> int:
    """Write the index under root/search/ (root = the site folder); returns the number of files."""
    written = 0
    made: set[Path] = set()
    for rel, text in files(site):
        path = root / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, "utf-8")
        written += 1
    return written
