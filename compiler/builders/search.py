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
* records (r/): what a result shows, 64 matters a file with the texts they use, loaded only for
  the results on screen.

Files are JavaScript that hand their data to a global callback (``gkmlIndex(name, data)``),
because they are loaded with <script> tags: fetch() is refused on file:// by Chromium, while a
script tag works on file:// and over http alike, from any sub-path.
"""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from itertools import pairwise
from typing import Container

import numpy as np

from .. import vocabulary
from ..vocabulary import LEVEL_NAMES, LEVEL_ORDER
from .common import Page, Site, marks_of

VERSION = 3
FIELDS = ("matter", "sub_matter", "third_matter", "content", "responsible_unit", "basis")
SLOTS = len(FIELDS)          # doc = matter number × SLOTS + field
UNIT_SLOT = FIELDS.index("responsible_unit")
MAX_GRAM_FILES = 512         # the other grams share at most this many files, picked by hash,
GRAM_FILE_SIZE = 24000       # of about this many characters each (fewer files for small sets)
OWN_FILE_FROM = 8192         # a gram whose postings are longer (characters) gets files of its own
DOC_CHUNK = 8000             # characters of postings per d/<n>.js
RECORDS = 64                 # matters per r/<n>.js

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


def encode_runs(numbers: np.ndarray, starts: np.ndarray) -> list[str]:
    """encode() of each run of an int64 array (run k = numbers[starts[k]:starts[k + 1]], strictly increasing).

    Vectorised over the whole array: a province's index encodes tens of millions of numbers in
    tens of thousands of runs, and a Python loop per number or per run would dominate the build.
    """
    if len(starts) == 0:
        return []
    size = len(numbers)
    values = np.empty(size, np.int64)
    if size:
        values[0] = numbers[0]
        np.subtract(numbers[1:], numbers[:-1], out=values[1:])
        values[1:] -= 1
        first = starts[starts < size]
        values[first] = numbers[first]   # a run starts with its first number, not a gap
    digits = np.ones(size, np.int64)
    rest = values >> 5
    while rest.any():
        digits += rest > 0
        rest >>= 5
    ends = np.zeros(size + 1, np.int64)
    np.cumsum(digits, out=ends[1:])
    out = np.empty(int(ends[-1]), np.uint8)
    out[ends[1:] - 1] = _END_CODES[values & 31]
    k = 1
    while True:
        more = np.flatnonzero(digits > k)
        if not len(more):
            break
        out[ends[more + 1] - 1 - k] = _CONT_CODES[(values[more] >> (5 * k)) & 31]
        k += 1
    text = out.tobytes().decode("ascii")
    bounds = ends[np.append(starts, size)].tolist()
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


def _runs(*columns: np.ndarray) -> np.ndarray:
    """Where each run of equal rows starts in sorted columns (of one length)."""
    if not len(columns[0]):
        return np.zeros(0, np.int64)
    change = np.zeros(len(columns[0]), bool)
    change[0] = True
    for column in columns:
        change[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(change)


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


def record_spans(site: Site) -> list[list[tuple[Page, int, int, int]]]:
    """What each r/<n>.js holds: (page, its place in its region, first item, end item) spans, RECORDS matters a file."""
    files: list[list[tuple[Page, int, int, int]]] = []
    spans: list[tuple[Page, int, int, int]] = []
    room = RECORDS
    for region in site.regions:
        for p, page in enumerate(region.pages):
            lo, count = 0, len(page.catalog.items)
            while lo < count:
                hi = min(count, lo + room)
                spans.append((page, p, lo, hi))
                room -= hi - lo
                lo = hi
                if not room:
                    files.append(spans)
                    spans, room = [], RECORDS
    if spans:
        files.append(spans)
    return files


def record_files(site: Site, wanted: Container[int] | None = None) -> list[tuple[str, str]]:
    """The r/ files (all, or those numbered in wanted): what a result shows, with the texts it uses (one round trip)."""
    audiences, methods = _numbered("audience"), _numbered("method")
    out = []
    for n, spans in enumerate(record_spans(site)):
        if wanted is not None and n not in wanted:
            continue
        local: dict[str, int] = {}   # texts numbered in order of first use in the file
        rows = [[item.id or "", [local.setdefault(v, len(local)) if v else -1 for v in field_values(item)], p,
                 audiences.get(item.audience, -1), methods.get(item.method, -1)]
                for page, p, lo, hi in spans for item in page.catalog.items[lo:hi]]
        out.append((f"search/r/{n}.js", _call(f"r/{n}", [list(local), rows])))
    return out


def index_files(site: Site) -> list[tuple[str, str]]:
    """Every file of the index but r/ (record_files), manifest first."""
    channels = list(vocabulary.get("channel").canonical)
    audiences, methods = _numbered("audience"), _numbered("method")
    area_index = {name: n for n, (name, _) in enumerate(site.areas)}

    # every searched field value, matter by matter (a value's place in this list is its doc
    # number), and what the filters look at; comprehensions, not a loop: 200,000 matters
    values: list[str | None] = []
    looks: list[tuple] = []
    regions = []
    number = 0
    for region in site.regions:
        start = number
        pages = []
        for page in region.pages:
            items = page.catalog.items
            pages.append([page.slug, area_index.get(page.area_name, -1), len(items)])
            values += [value for i in items for value in (i.matter, i.sub_matter, i.third_matter, i.content,
                                                          i.responsible_unit, "\n".join(i.basis))]
            looks += [(i.channels, i.optional_channels, i.audience, i.method) for i in items]
            number += len(items)
        units = sorted({i.responsible_unit for p in region.pages for i in p.catalog.items if i.responsible_unit})
        regions.append({"code": region.code, "name": region.name, "level": region.level,
                        "parent": region.parent, "start": start, "count": number - start,
                        "pages": pages, "units": units})
    total = number
    filters = _filters(looks, audiences, methods)

    texts, text_of_doc = _number_texts(values)
    docs = _TextDocs(text_of_doc, len(texts))
    width = max(map(len, texts), default=0) + 1   # a bigram's position: text × width + place in text
    grams, positions, gram_docs = _grams(texts, docs, width)

    out: list[tuple[str, str]] = []
    small: list[tuple[str, object, int]] = []
    own: dict[str, list[int]] = {}
    for gram, at, (doc_text, doc_count) in zip(grams, positions, gram_docs):
        entry: object = [at, doc_text] if at is not None else doc_text
        size = len(doc_text) + (len(at) if at is not None else 0)
        if size > OWN_FILE_FROM:
            # big grams get files of their own, listed in the manifest with their number of docs:
            # a bigram's positions in g/p<n>.js and docs in g/d<n>.js, so a word loads only the
            # docs it needs; a character's docs in g/d<n>.js
            n = len(own)
            own[gram] = [n, doc_count]
            if at is not None:
                out.append((f"search/g/p{n}.js", _call(f"g/p{n}", at)))
            out.append((f"search/g/d{n}.js", _call(f"g/d{n}", doc_text)))
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

    doc_lists = encode_runs(docs.flat, docs.start)
    doc_starts = _chunks(doc_lists, DOC_CHUNK, len)
    for n, (lo, hi) in enumerate(zip(doc_starts, doc_starts[1:] + [len(doc_lists)])):
        out.append((f"search/d/{n}.js", _call(f"d/{n}", doc_lists[lo:hi])))
    for name in sorted(filters):
        numbers = filters[name]
        # a value most matters have is stored as its complement, so every filter file stays small
        if len(numbers) * 2 > total:
            rest = np.ones(total, bool)
            rest[numbers] = False
            data = [1, encode_runs(np.flatnonzero(rest), _ONE_RUN)[0]]
        else:
            data = [0, encode_runs(numbers, _ONE_RUN)[0]]
        out.append((f"search/f/{name}.js", _call(f"f/{name}", data)))

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


_ONE_RUN = np.zeros(1, np.int64)


def _number_texts(values: list[str | None]) -> tuple[list[str], np.ndarray]:
    """The distinct non-empty values in order of first use, and each value's text number (-1: empty)."""
    distinct = dict.fromkeys(values)   # in order of first use, at C speed (1.2 million values a province)
    distinct.pop("", None)
    distinct.pop(None, None)
    ids: dict[str | None, int] = {value: n for n, value in enumerate(distinct)}
    ids[""] = ids[None] = -1
    return list(distinct), np.fromiter(map(ids.__getitem__, values), np.int64, len(values))


class _TextDocs:
    """The docs of every text in one flat array: text t's are flat[start[t]:start[t] + count[t]], increasing."""

    def __init__(self, text_of_doc: np.ndarray, texts: int):
        present = np.flatnonzero(text_of_doc >= 0)
        owner = text_of_doc[present]
        self.flat = present[np.argsort(owner, kind="stable")]
        self.count = np.bincount(owner, minlength=texts).astype(np.int64)
        self.start = np.zeros(texts, np.int64)
        np.cumsum(self.count[:-1], out=self.start[1:])

    def expand(self, texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The docs of each of texts, one text after another, and how many each has."""
        count = self.count[texts]
        shift = np.repeat(self.start[texts] - (np.cumsum(count) - count), count)
        return self.flat[np.arange(len(shift), dtype=np.int64) + shift], count


_LOW = 22   # a gram's key: first code point << _LOW | second code point + 1 (0 for a single character)


def _grams(texts: list[str], docs: _TextDocs, width: int) -> tuple[list[str], list[str | None], list[tuple[str, int]]]:
    """Every gram in string order, with its encoded positions (None for a character) and its encoded docs and their number.

    Vectorised over all texts at once (about a million characters for a province): a loop per
    character or per gram would be most of an edit build.
    """
    folded = [fold(t) for t in texts]
    lengths = np.fromiter(map(len, folded), np.int64, len(folded))
    codes = np.frombuffer("".join(folded).encode("utf-32-le", "surrogatepass"), np.uint32).astype(np.int64)
    text_of = np.repeat(np.arange(len(folded), dtype=np.int64), lengths)
    starts = np.zeros(len(folded), np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    at = text_of * width + (np.arange(len(codes), dtype=np.int64) - starts[text_of])
    real = codes != 10   # a line break joins two 公开依据: no gram holds one

    # characters: every (character, text) pair, sorted (np.unique hashes: slower than a sort here)
    pairs = np.sort((codes[real] << 32) | text_of[real])
    pairs = pairs[_runs(pairs)]
    char_keys, char_texts = (pairs >> 32) << _LOW, pairs & 0xFFFFFFFF

    # bigrams: every occurrence by key, then position (a stable sort: positions already increase)
    follows = np.zeros(len(codes), bool)
    follows[:-1] = real[:-1] & real[1:]
    filled = lengths > 0
    follows[starts[filled] + lengths[filled] - 1] = False   # a text's last character starts no bigram
    first = np.flatnonzero(follows)
    keys = (codes[first] << _LOW) | (codes[first + 1] + 1)
    order = np.argsort(keys, kind="stable")
    bigram_keys, bigram_at = keys[order], at[first][order]
    bigram_runs = _runs(bigram_keys)
    bigram_positions = encode_runs(bigram_at, bigram_runs)
    bigram_texts = bigram_at // width
    distinct = _runs(bigram_keys, bigram_texts)

    # every gram in string order: a character sorts before the bigrams it starts
    all_keys = np.sort(np.concatenate((char_keys[_runs(char_keys)], bigram_keys[bigram_runs])))
    pair_keys = np.concatenate((char_keys, bigram_keys[distinct]))
    pair_texts = np.concatenate((char_texts, bigram_texts[distinct]))
    order = np.argsort(pair_keys, kind="stable")   # by gram, then text (both parts were in text order)
    doc_texts, doc_counts = _gram_docs(docs, np.searchsorted(all_keys, pair_keys[order]), pair_texts[order],
                                       len(all_keys))

    at_of = dict(zip(bigram_keys[bigram_runs].tolist(), bigram_positions))
    grams = [chr(key >> _LOW) + (chr((key & _MASK) - 1) if key & _MASK else "") for key in all_keys.tolist()]
    positions = [at_of.get(key) for key in all_keys.tolist()]
    return grams, positions, list(zip(doc_texts, doc_counts))


_MASK = (1 << _LOW) - 1
BATCH = 1 << 18   # numbers merged and encoded at once: small enough to stay in the CPU's cache


def _gram_docs(docs: _TextDocs, gram_of: np.ndarray, text_of: np.ndarray, grams: int) -> tuple[list[str], list[int]]:
    """For each gram, its docs (the docs of its texts, merged) encoded, and their number.

    gram_of and text_of list every (gram, text) pair, sorted by gram. A gram's docs are a merge
    of its texts' (no doc has two texts); done for a batch of grams at a time by one sort of
    gram × span + doc, rather than one gram at a time (tens of thousands of small numpy calls).
    """
    per_gram = np.zeros(grams, np.int64)
    np.add.at(per_gram, gram_of, docs.count[text_of])
    first_pair = np.searchsorted(gram_of, np.arange(grams + 1, dtype=np.int64))
    span = int(docs.flat.max(initial=-1)) + 1
    encoded: list[str] = []
    # batches end where the running total passes a multiple of BATCH (a big gram is a batch alone)
    ends = np.flatnonzero(np.diff(np.cumsum(per_gram) // BATCH, append=-1)) + 1
    lo = 0
    for hi in ends.tolist():
        found, count = docs.expand(text_of[first_pair[lo]:first_pair[hi]])
        base = np.arange(hi - lo, dtype=np.int64) * span
        merged = np.repeat(base[gram_of[first_pair[lo]:first_pair[hi]] - lo], count) + found
        merged.sort()
        runs = np.searchsorted(merged, base)
        merged -= np.repeat(base, per_gram[lo:hi])
        encoded += encode_runs(merged, runs)
        lo = hi
    return encoded, per_gram.tolist()


def _numbered(vocab: str) -> dict[str, int]:
    """A vocabulary's canonical values by their number in the index (template order)."""
    return {name: n for n, name in enumerate(vocabulary.get(vocab).canonical)}


def _filters(looks: list[tuple], audiences: dict[str, int], methods: dict[str, int]) -> dict[str, np.ndarray]:
    """The matters of each filter (c<n>: a channel, a<n>: an audience, m<n>: a method), from each
    matter's (channels, optional channels, audience, method)."""
    # a province has 200,000 matters but a few hundred distinct combinations: name those once
    kinds = {look: n for n, look in enumerate(dict.fromkeys(looks))}
    kind_of = np.fromiter(map(kinds.__getitem__, looks), np.int64, len(looks))
    kinds_with: defaultdict[str, list[int]] = defaultdict(list)
    for (channels, optional, audience, method), n in kinds.items():
        names = list(_channel_filters(channels, optional))
        if audiences.get(audience, -1) >= 0:
            names.append(f"a{audiences[audience]}")
        if methods.get(method, -1) >= 0:
            names.append(f"m{methods[method]}")
        for name in names:
            kinds_with[name].append(n)
    return {name: np.flatnonzero(np.isin(kind_of, with_name)) for name, with_name in kinds_with.items()}


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
