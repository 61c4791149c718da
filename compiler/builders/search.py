"""The one-stop search index: an inverted index over character bigrams, split into small .js files.

A search must answer in well under 100 ms over a whole province (≈200,000 matters) without
downloading it, and every result must really contain what was typed. The index is built for
Chinese substring search (docs/data.md, "Search index"):

* texts: every distinct field value (一级/二级/三级事项, 公开内容, 公开主体, 公开依据 joined by
  line breaks), numbered by their slot in a hash table (_slots), so that an edit renumbers only
  the few texts next to the ones it adds or removes. A province's catalogs repeat the same
  wording thousands of times, so the distinct texts are a small fraction of the whole (1.5 M
  characters instead of 22 M for the generated province).
* matters: numbered in result order, each catalog in a run of numbers with room to grow
  (capacity), so that adding or removing a matter seldom moves any other matter's number.
* docs: one per field of a matter, numbered matter × 6 + field, so a match never spans two fields.
* grams (g/): for each bigram, where it occurs in the texts (text × width + position) and which
  docs contain it; for each single character, which docs contain it. Small grams share files
  picked by hash; big ones have files of their own, listed in the manifest. A query loads only
  the files of its own grams.
* docs of texts (d/): used to take out the docs of texts that have a word's bigrams but not the
  word itself. Intersecting bigram postings alone would promise
  results that are not there; the positions make every result exact.
* filters (f/): the matters disclosed through a channel, to an audience or by a method.
* records (r/): what a result shows, 64 matter numbers a file with the texts they use, loaded
  only for the results on screen.

A build keeps what it computed (IndexState, in the cache) and the next one updates it: after a
one-file edit only the grams of the changed texts get new postings, and only their files change.

Files are JavaScript that hand their data to a global callback (``gkmlIndex(name, data)``),
because they are loaded with <script> tags: fetch() is refused on file:// by Chromium, while a
script tag works on file:// and over http alike, from any sub-path.
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Container, Iterator

import numpy as np

from .. import vocabulary
from ..cache import digest
from ..vocabulary import LEVEL_NAMES, LEVEL_ORDER
from .common import Page, Site, marks_of
from .outputs import Batch, Context, Group, Job, key_of

VERSION = 4
FIELDS = ("matter", "sub_matter", "third_matter", "content", "responsible_unit", "basis")
SLOTS = len(FIELDS)          # doc = matter number × SLOTS + field
UNIT_SLOT = FIELDS.index("responsible_unit")
MAX_GRAM_FILES = 512         # the other grams share at most this many files, picked by hash,
GRAM_FILE_SIZE = 24000       # of about this many characters each (fewer files for small sets)
OWN_FILE_FROM = 8192         # a gram whose postings are longer (characters) gets files of its own
DOC_TEXTS = 256              # texts per d/<n>.js (by number)
RECORDS = 64                 # matter numbers per r/<n>.js
MIN_CAPACITY = 16            # matter numbers of a catalog with few matters (capacity)

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


_DIGITS = np.zeros(128, np.int64)
_DIGITS[np.frombuffer(ALPHABET.encode("ascii"), np.uint8)] = np.arange(64)


def decode_array(text: str) -> np.ndarray:
    """decode(), vectorised: a postings string as an int64 array."""
    digits = _DIGITS[np.frombuffer(text.encode("ascii"), np.uint8)]
    ends = np.flatnonzero(digits >= 32)
    if not len(ends):
        return np.zeros(0, np.int64)
    starts = np.concatenate((np.zeros(1, np.int64), ends[:-1] + 1))
    lengths = ends - starts + 1
    values = np.zeros(len(ends), np.int64)
    for k in range(int(lengths.max())):   # most significant digit first
        longer = np.flatnonzero(lengths > k)
        values[longer] = (values[longer] << 5) | (digits[starts[longer] + k] & 31)
    return np.cumsum(values + 1) - 1   # the first number, then each gap minus one


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


def _call_postings(name: str, data: str | list[str]) -> str:
    """_call for a postings string or a list of them, byte for byte, without JSON's escaping pass.

    Postings are made of ALPHABET (letters, digits, - and _), which JSON leaves as they are;
    an index holds tens of megabytes of them.
    """
    text = f'"{data}"' if isinstance(data, str) else "[" + ",".join([f'"{x}"' for x in data]) + "]"
    return f"gkmlIndex({_js(name)},{text});\n"


def field_values(item) -> list[str]:
    """The searched fields of a matter, in FIELDS order ('' when empty); 公开依据 joined by line breaks."""
    return [item.matter or "", item.sub_matter or "", item.third_matter or "", item.content or "",
            item.responsible_unit or "", "\n".join(item.basis)]


def files(site: Site) -> list[tuple[str, str]]:
    """Every file of the index as (path relative to the site root, text), in a fixed order."""
    return index_files(site) + record_files(site)


def capacity(count: int) -> int:
    """How many matter numbers a catalog of count matters holds: 16, 24, 32, 48, 64, 96, … (the least ≥ count).

    The room to grow means that adding or removing a matter moves no other catalog's numbers,
    unless the catalog crosses one of these steps (one such edit in 8 for a catalog of about 20
    matters, one in 32 for about 100), so the index is updated rather than computed again. The
    generated province has 1.21 numbers a matter. A function of count alone, so that every
    build numbers the same way.
    """
    size = MIN_CAPACITY
    while size < count:
        size = size * 3 // 2 if size & (size - 1) == 0 else size // 3 * 4   # 2^k → 3·2^(k-1) → 2^(k+1)
    return size


def bases(counts: list[int]) -> np.ndarray:
    """The first matter number of each catalog (in index order), and after them the end of the numbers."""
    starts = np.zeros(len(counts) + 1, np.int64)
    np.cumsum([capacity(count) for count in counts], out=starts[1:])
    return starts


def record_spans(site: Site) -> list[tuple[int, list[tuple[Page, int, int, int, int]]]]:
    """What each r/<n>.js holds, for the files holding any matter: (n, [(page, its place in its region, first item, end item, first row)]).

    File n holds matter numbers RECORDS × n onwards, one row a number.
    """
    files: defaultdict[int, list[tuple[Page, int, int, int, int]]] = defaultdict(list)
    pages = [(page, p) for region in site.regions for p, page in enumerate(region.pages)]
    starts = bases([len(page.catalog.items) for page, _ in pages]).tolist()
    for (page, p), start in zip(pages, starts):
        lo, count = 0, len(page.catalog.items)
        while lo < count:
            n, row = divmod(start + lo, RECORDS)
            hi = min(count, lo + RECORDS - row)
            files[n].append((page, p, lo, hi, row))
            lo = hi
    return sorted(files.items())


def record_files(site: Site, wanted: Container[int] | None = None) -> list[tuple[str, str]]:
    """The r/ files (all, or those numbered in wanted): what a result shows, with the texts it uses (one round trip)."""
    audiences, methods = _numbered("audience"), _numbered("method")
    out = []
    for n, spans in record_spans(site):
        if wanted is not None and n not in wanted:
            continue
        local: dict[str, int] = {}   # texts numbered in order of first use in the file
        rows: list[object] = []
        for page, p, lo, hi, row in spans:
            rows += [0] * (row - len(rows))   # numbers no matter has
            rows += [[item.id or "", [local.setdefault(v, len(local)) if v else -1 for v in field_values(item)], p,
                      audiences.get(item.audience, -1), methods.get(item.method, -1)]
                     for item in page.catalog.items[lo:hi]]
        out.append((f"search/r/{n}.js", _call(f"r/{n}", [list(local), rows])))
    return out


@dataclass
class IndexState:
    """What one index computation leaves for the next: enough to redo only what an edit changes.

    Kept in gkml's signed cache by the build (one per output folder). It is checked against the
    catalogs before any use (context and per-page keys), so a stale or foreign state is only a
    miss: the index is then computed from scratch, with the same bytes.
    """

    context: str                     # everything but the pages that the index depends on
    pages: list[tuple[str, int]]     # per page in index order: its key and number of matters
    texts: list[str]                 # by text number ('' where no text has the number)
    hashes: np.ndarray               # by text number: the text's hash (_hash)
    text_of_doc: np.ndarray          # per doc: its text (-1: empty, or a number no matter has)
    doc_lists: list[str]             # by text number: its docs, encoded
    width: int
    gram_keys: np.ndarray            # every gram's key (_LOW), increasing
    gram_positions: list[str | None] # per gram: its positions, encoded (None for a character)
    gram_docs: list[str]             # per gram: its docs, encoded
    gram_counts: list[int]           # per gram: how many docs
    kinds: dict[tuple, int]          # filter looks (channels, optional channels, audience, method) by number
    kind_of: np.ndarray              # per matter number: its look's number (-1: no matter has the number)
    units: list[list[str]]           # per page: the responsible units of its matters


def index_files(site: Site) -> list[tuple[str, str]]:
    """Every file of the index but r/ (record_files), manifest first."""
    return build_index(site)[0]


def build_index(site: Site, keys: tuple[str, list[str]] | None = None,
                previous: IndexState | None = None) -> tuple[list[tuple[str, str]], IndexState | None]:
    """index_files, and the state for the next build when keys (context, one key per page) are given.

    With a previous state under the same context and the same pages, each still within its run
    of matter numbers (capacity), only the pages whose key changed are read again, and only the grams whose docs
    changed are merged again: after a one-file edit that is a tenth of the work. The files are
    the same bytes either way (tests/test_search_update.py, tests/test_build_incremental.py).
    """
    channels = list(vocabulary.get("channel").canonical)
    audiences, methods = _numbered("audience"), _numbered("method")
    area_index = {name: n for n, (name, _) in enumerate(site.areas)}

    pages = site.pages   # region by region, as the regions list them
    counts = [len(page.catalog.items) for page in pages]
    starts = bases(counts)
    changed = _changed_pages(keys, previous, counts)
    if changed is None:
        page_units = [_units(page.catalog.items) for page in pages]
    else:
        page_units = list(previous.units)
        for n in changed:
            page_units[n] = _units(pages[n].catalog.items)
    regions = []
    first = 0   # the region's first page
    for region in site.regions:
        end = first + len(region.pages)
        listed = [[page.slug, area_index.get(page.area_name, -1), count, capacity(count)]
                  for page, count in zip(region.pages, counts[first:end])]
        regions.append({"code": region.code, "name": region.name, "level": region.level,
                        "parent": region.parent, "start": int(starts[first]), "count": sum(counts[first:end]),
                        "pages": listed, "units": sorted(set().union(*page_units[first:end]))})
        first = end
    total = sum(counts)

    layer = _Layer.update(previous, pages, starts, changed) if changed is not None else None
    if layer is None:
        layer = _Layer.fresh(pages, starts)
        kinds, kind_of = _kinds(_laid_out([_looks(page.catalog.items) for page in pages], starts, 1))
    else:
        kinds, kind_of = _update_kinds(previous, pages, starts, changed)
    texts, width = layer.texts, layer.width
    filters = _filters(kinds, kind_of, audiences, methods)
    grams = [_gram_text(key) for key in layer.gram_keys.tolist()]
    positions, doc_texts, doc_counts = layer.gram_positions, layer.gram_docs, layer.gram_counts

    out: list[tuple[str, str]] = []
    small: list[tuple[str, object, int]] = []
    own: dict[str, list[int]] = {}
    for gram, at, doc_text, doc_count in zip(grams, positions, doc_texts, doc_counts):
        entry: object = [at, doc_text] if at is not None else doc_text
        size = len(doc_text) + (len(at) if at is not None else 0)
        if size > OWN_FILE_FROM:
            # big grams get files of their own, listed in the manifest with their number of docs:
            # a bigram's positions in g/p<n>.js and docs in g/d<n>.js, so a word loads only the
            # docs it needs; a character's docs in g/d<n>.js
            n = len(own)
            own[gram] = [n, doc_count]
            if at is not None:
                out.append((f"search/g/p{n}.js", _call_postings(f"g/p{n}", at)))
            out.append((f"search/g/d{n}.js", _call_postings(f"g/d{n}", doc_text)))
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

    doc_lists = layer.doc_lists
    # fixed runs of text numbers, so that an edit changes only the files of the texts it changed
    doc_starts = list(range(0, len(doc_lists), DOC_TEXTS))
    for n, (lo, hi) in enumerate(zip(doc_starts, doc_starts[1:] + [len(doc_lists)])):
        out.append((f"search/d/{n}.js", _call_postings(f"d/{n}", doc_lists[lo:hi])))
    for name in sorted(filters):
        numbers = filters[name]
        # a value most matters have is stored as its complement, so every filter file stays small
        if len(numbers) * 2 > total:
            rest = kind_of >= 0   # the matters, without the numbers no matter has
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
    state = None
    if keys is not None:
        state = IndexState(keys[0], list(zip(keys[1], counts)), texts, layer.hashes, layer.text_of_doc, doc_lists,
                           width, layer.gram_keys, positions, doc_texts, doc_counts, kinds, kind_of, page_units)
    return out, state


def _values(items) -> list[str | None]:
    # field_values of every item, flat (a comprehension: 200,000 matters a province)
    return [value for i in items for value in (i.matter, i.sub_matter, i.third_matter, i.content,
                                               i.responsible_unit, "\n".join(i.basis))]


def _units(items) -> list[str]:
    return sorted({i.responsible_unit for i in items if i.responsible_unit})


def _looks(items) -> list[tuple]:
    return [(i.channels, i.optional_channels, i.audience, i.method) for i in items]


MAX_CHANGED = 8   # pages changed since the previous state beyond which it is not worth updating


def pages_behind(site: Site, keys: tuple[str, list[str]], previous: IndexState | None) -> int | None:
    """How many pages changed since previous was computed; None when it cannot be updated to site."""
    changed = _changed_pages(keys, previous, [len(page.catalog.items) for page in site.pages])
    return None if changed is None else len(changed)


def _changed_pages(keys: tuple[str, list[str]] | None, previous: IndexState | None, counts: list[int]) -> list[int] | None:
    """The pages to read again when previous can be updated (same context, pages and capacities), else None."""
    if keys is None or previous is None or previous.context != keys[0] or len(previous.pages) != len(counts):
        return None
    changed = []
    for n, ((key, count), new_key, new_count) in enumerate(zip(previous.pages, keys[1], counts)):
        if capacity(count) != capacity(new_count):
            return None   # every later doc number moves: most postings change
        if key != new_key:
            changed.append(n)
            if len(changed) > MAX_CHANGED:
                return None
    return changed


@dataclass
class _Layer:
    """The texts, each doc's text, and every gram with its encoded positions and docs (IndexState's fields of the same names)."""

    texts: list[str]
    hashes: np.ndarray
    text_of_doc: np.ndarray
    doc_lists: list[str]
    width: int
    gram_keys: np.ndarray
    gram_positions: list[str | None]
    gram_docs: list[str]
    gram_counts: list[int]

    @classmethod
    def fresh(cls, pages: list[Page], starts: np.ndarray) -> "_Layer":
        """Everything computed from the matters (starts: bases())."""
        values = _laid_out([_values(page.catalog.items) for page in pages], starts, SLOTS)
        distinct = list(dict.fromkeys(values))   # at C speed: 1.2 million values a province
        distinct = [text for text in distinct if text]
        hashes = np.fromiter(map(_hash, distinct), np.uint64, len(distinct))
        slots = _slots(hashes, distinct)
        ids: dict[str | None, int] = dict(zip(distinct, slots.tolist()))
        ids[""] = ids[None] = -1
        text_of_doc = np.fromiter(map(ids.__getitem__, values), np.int64, len(values))
        texts, by_hash = _by_number(distinct, hashes, slots)
        width = _width(distinct)
        keys, positions, pair_gram, pair_text = _gram_texts(texts, width)
        docs = _TextDocs(text_of_doc, len(texts))
        doc_texts, doc_counts = _gram_docs(docs, pair_gram, pair_text, len(keys))
        return cls(texts, by_hash, text_of_doc, encode_runs(docs.flat, docs.start), width, keys, positions,
                   doc_texts, doc_counts)

    @classmethod
    def update(cls, previous: IndexState, pages: list[Page], starts: np.ndarray, changed: list[int]) -> "_Layer | None":
        """previous after the changed pages are read again (None when too much moved: compute it fresh).

        Texts keep their numbers (_slots), so only the grams of the texts that came, went or
        moved get new positions, and only the grams whose docs changed get new docs.
        """
        texts = list(previous.texts)
        old_count = len(texts)
        ids = {text: n for n, text in enumerate(texts) if text}
        text_of_doc = previous.text_of_doc.copy()
        grams_of: dict[int, set[int]] = {}
        removed: defaultdict[int, list[int]] = defaultdict(list)    # gram -> docs that no longer have it
        added: defaultdict[int, list[int]] = defaultdict(list)      # gram -> docs that have it now
        listed: set[int] = set()                                     # texts whose docs changed

        def number(value: str | None) -> int:
            if not value:
                return -1
            n = ids.get(value)
            if n is None:
                n = ids[value] = len(texts)
                texts.append(value)
            return n

        for n in changed:
            lo, hi = int(starts[n]) * SLOTS, int(starts[n + 1]) * SLOTS
            new = np.full(hi - lo, -1, np.int64)
            values = _values(pages[n].catalog.items)
            new[:len(values)] = np.fromiter(map(number, values), np.int64, len(values))
            old = text_of_doc[lo:hi].copy()
            moved = np.flatnonzero(old != new)
            for doc, a, b in zip((moved + lo).tolist(), old[moved].tolist(), new[moved].tolist()):
                # a doc is in the docs of exactly the grams of its text
                before, after = _grams_of(texts, a, grams_of), _grams_of(texts, b, grams_of)
                for gram in before - after:
                    removed[gram].append(doc)
                for gram in after - before:
                    added[gram].append(doc)
            listed.update(old[moved].tolist())
            listed.update(new[moved].tolist())
            text_of_doc[lo:hi] = new

        # the texts now: numbered again (most keep their number), and the width again
        hashes = np.concatenate((previous.hashes, np.fromiter(map(_hash, texts[old_count:]), np.uint64)))
        alive = np.flatnonzero(np.bincount(text_of_doc[text_of_doc >= 0], minlength=len(texts)) > 0)
        alive_texts = [texts[t] for t in alive.tolist()]
        if _table_bits(len(alive)) != _table_bits(sum(1 for t in previous.texts if t)):
            return None   # the table grew or shrank: every number moves
        width = _width(alive_texts)
        if width != previous.width:
            return None   # every position moves
        slots = _slots(hashes[alive], alive_texts)
        renumber = np.full(len(texts) + 1, -1, np.int64)   # the last slot keeps an empty doc (-1) empty
        renumber[alive] = slots
        text_of_doc = renumber[text_of_doc]
        new_texts, new_hashes = _by_number(alive_texts, hashes[alive], slots)

        # docs of texts: listed again for the texts whose docs changed, moved with the others
        doc_lists = [""] * len(new_texts)
        for t, n in zip(alive.tolist(), slots.tolist()):
            if t < old_count and t not in listed:
                doc_lists[n] = previous.doc_lists[t]
        again = renumber[sorted(listed)] if listed else np.zeros(0, np.int64)
        again = again[again >= 0]
        if len(again):
            found = np.flatnonzero(np.isin(text_of_doc, again))   # in doc order
            owner = text_of_doc[found]
            order = np.argsort(owner, kind="stable")
            found, owner = found[order], owner[order]
            runs = _runs(owner)
            for n, docs_text in zip(owner[runs].tolist(), encode_runs(found, runs)):
                doc_lists[n] = docs_text

        # positions: take out those of the texts that went or moved, put in those that came or moved
        old_ids = np.arange(old_count, dtype=np.int64)
        gone = np.flatnonzero(renumber[:old_count] != old_ids)
        gone = gone[[bool(previous.texts[t]) for t in gone.tolist()]] if len(gone) else gone
        came = np.flatnonzero(renumber[:len(texts)] >= 0)
        came = came[(came >= old_count) | np.isin(came, gone)]
        out_at: set[int] = set()
        for t in gone.tolist():
            out_at |= {k for k in _grams_of(previous.texts, t, {}) if k & _MASK}
        in_at: defaultdict[int, list[int]] = defaultdict(list)
        for t in came.tolist():
            base = int(renumber[t]) * width
            for key, place in _bigrams(fold(texts[t])):
                in_at[key].append(base + place)

        # the grams now, and which need new postings
        redo = set(removed) | set(added) | out_at | set(in_at)
        old_index = {key: g for g, key in enumerate(previous.gram_keys.tolist())}
        keys = sorted(set(old_index) | redo)
        gone_array = np.sort(gone)
        positions, doc_texts, doc_counts, kept = [], [], [], []
        for key in keys:
            g = old_index.get(key)
            if key not in redo:
                positions.append(previous.gram_positions[g])
                doc_texts.append(previous.gram_docs[g])
                doc_counts.append(previous.gram_counts[g])
                kept.append(key)
                continue
            if key in removed or key in added:
                docs = decode_array(previous.gram_docs[g]) if g is not None else np.zeros(0, np.int64)
                if key in removed:
                    docs = docs[~np.isin(docs, removed[key])]
                if key in added:
                    docs = np.sort(np.concatenate((docs, np.asarray(added[key], np.int64))))
                if not len(docs):
                    continue   # no text has the gram any more
                doc_texts.append(encode_runs(docs, _ONE_RUN)[0])
                doc_counts.append(len(docs))
            else:   # only positions move: a text holding it was numbered again
                doc_texts.append(previous.gram_docs[g])
                doc_counts.append(previous.gram_counts[g])
            at = previous.gram_positions[g] if g is not None else None
            if key & _MASK and (key in out_at or key in in_at):
                found = decode_array(at or "")
                if key in out_at:
                    found = found[~np.isin(found // width, gone_array)]
                if key in in_at:
                    found = np.sort(np.concatenate((found, np.asarray(in_at[key], np.int64))))
                at = encode_runs(found, _ONE_RUN)[0]
            positions.append(at)
            kept.append(key)
        return cls(new_texts, new_hashes, text_of_doc, doc_lists, width, np.asarray(kept, np.int64), positions, doc_texts,
                   doc_counts)


def _hash(text: str) -> int:
    """A text's 64-bit hash (the same in every run, unlike hash())."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def _table_bits(texts: int) -> int:
    # about 1.5 numbers a text: probing stays short, and few numbers go unused
    return max(4, (texts + texts // 2).bit_length())


def _slots(hashes: np.ndarray, texts: list[str]) -> np.ndarray:
    """Each text's number: a slot in a table of 2^_table_bits slots, found by its hash and linear probing.

    A function of the set of texts alone, in which adding or removing a text moves only the
    few texts probed past it; numbering by first use would move every later text instead, and
    with it every position and most index files.
    """
    bits = _table_bits(len(texts))
    order = np.argsort(hashes, kind="stable")
    ordered = hashes[order]
    if len(ordered) > 1 and bool((ordered[1:] == ordered[:-1]).any()):   # equal hashes: by text
        order = np.array(sorted(range(len(texts)), key=lambda t: (int(hashes[t]), texts[t])), np.int64)
        ordered = hashes[order]
    home = (ordered >> np.uint64(64 - bits)).astype(np.int64)   # in hash order, so homes increase
    rank = np.arange(len(order), dtype=np.int64)
    slots = np.empty(len(order), np.int64)
    slots[order] = rank + np.maximum.accumulate(home - rank) if len(order) else rank
    return slots


def _by_number(texts: list[str], hashes: np.ndarray, slots: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The texts and their hashes by number, '' and 0 where no text has the number."""
    size = int(slots.max()) + 1 if len(slots) else 0
    by_number = [""] * size
    for text, slot in zip(texts, slots.tolist()):
        by_number[slot] = text
    by_hash = np.zeros(size, np.uint64)
    by_hash[slots] = hashes
    return by_number, by_hash


def _width(texts: list[str]) -> int:
    # a bigram's position is text × width + place in text; a power of two, so that it seldom
    # changes (when it does, every position does)
    return 1 << max(map(len, texts), default=0).bit_length()


def _grams_of(texts: list[str], text: int, memo: dict[int, set[int]]) -> set[int]:
    """The keys of every gram of a text (none for -1), as _gram_texts finds them."""
    if text < 0:
        return set()
    if text not in memo:
        folded = fold(texts[text])
        keys = {ord(c) << _LOW for c in folded if c != "\n"}
        keys.update(key for key, _ in _bigrams(folded))
        memo[text] = keys
    return memo[text]


def _bigrams(folded: str) -> Iterator[tuple[int, int]]:
    """Every bigram of a folded text as (key, place in the text), as _gram_texts finds them (none spans a line break)."""
    for place, (a, b) in enumerate(pairwise(folded)):
        if a != "\n" and b != "\n":
            yield (ord(a) << _LOW) | (ord(b) + 1), place


def _update_kinds(previous: IndexState, pages: list[Page], starts: np.ndarray,
                  changed: list[int]) -> tuple[dict[tuple, int], np.ndarray]:
    """previous's filter looks after the changed pages are read again."""
    kinds = dict(previous.kinds)
    kind_of = previous.kind_of.copy()
    for n in changed:
        looks = [kinds.setdefault(look, len(kinds)) for look in _looks(pages[n].catalog.items)]
        lo = int(starts[n])
        kind_of[lo:starts[n + 1]] = -1
        kind_of[lo:lo + len(looks)] = looks
    return kinds, kind_of


_ONE_RUN = np.zeros(1, np.int64)


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


def _gram_text(key: int) -> str:
    return chr(key >> _LOW) + (chr((key & _MASK) - 1) if key & _MASK else "")


def _gram_texts(texts: list[str], width: int) -> tuple[np.ndarray, list[str | None], np.ndarray, np.ndarray]:
    """Every gram's key in order, its encoded positions (None for a character), and every (gram, text) pair sorted.

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
    at_of = dict(zip(bigram_keys[bigram_runs].tolist(), bigram_positions))
    positions = [at_of.get(key) for key in all_keys.tolist()]
    return all_keys, positions, np.searchsorted(all_keys, pair_keys[order]), pair_texts[order]


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


def _kinds(looks: list[tuple | None]) -> tuple[dict[tuple, int], np.ndarray]:
    """The distinct looks (channels, optional channels, audience, method) numbered, and each matter number's (-1: None)."""
    # a province has 200,000 matters but a few hundred distinct combinations: name those once
    kinds = {look: n for n, look in enumerate(look for look in dict.fromkeys(looks) if look is not None)}
    number = {**kinds, None: -1}
    return kinds, np.fromiter(map(number.__getitem__, looks), np.int64, len(looks))


def _laid_out(per_page: list[list], starts: np.ndarray, width: int) -> list:
    """Each page's list (width entries a matter) at its matter numbers (starts: bases()), None at the numbers no matter has."""
    out: list = []
    for entries, end in zip(per_page, starts[1:].tolist()):
        out += entries
        out += [None] * (end * width - len(out))
    return out


def _filters(kinds: dict[tuple, int], kind_of: np.ndarray, audiences: dict[str, int],
             methods: dict[str, int]) -> dict[str, np.ndarray]:
    """The matters of each filter (c<n>: a channel, a<n>: an audience, m<n>: a method), from each matter's look."""
    used = set(np.unique(kind_of).tolist())   # an update's state may still name looks no matter has
    kinds_with: defaultdict[str, list[int]] = defaultdict(list)
    for (channels, optional, audience, method), n in kinds.items():
        if n not in used:
            continue
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


# ---------------------------------------------------------------------------------------------
# What the build writes (compiler/builders/outputs.py)

ROOTS = ("site",)
FOLDER = "site/search/"
RECORD_FOLDER = "site/search/r/"   # the index's records: outputs of their own
KEEP_BEHIND = 4    # the index's state is written again when more catalogs than this changed since


def outputs(ctx: Context) -> list[Group | Batch]:
    """The index (one group: computed as a whole, each file then keyed by its bytes) and its records."""
    site = ctx.site
    # what lets the next build update the index rather than compute it again (IndexState):
    # a page whose key is unchanged has the same matters, field for field
    keys = (key_of(ctx.base, "search state", ctx.registry), [key_of(state) for state in ctx.pages])
    cache = ctx.cache
    name = digest("search index state", str(ctx.target)) if cache is not None else ""
    kept = cache is not None and cache.has("search", name)
    # the state (tens of MB to read and verify) is read while the build plans (not unpickled:
    # that would hold the interpreter lock the plan needs)
    prefetched = ctx.prefetch(cache.read, "search", name) if kept else None

    def index(job: Job) -> list[tuple[str, str]]:
        with _collector_off():   # millions of new lists and strings, none in a cycle: nothing to collect
            if cache is None:
                files = index_files(site)
            else:
                previous = cache.loads(prefetched.result() if prefetched else None)
                previous = previous if isinstance(previous, IndexState) else None
                files, state = build_index(site, keys, previous)
                # a state a few catalogs behind is as good a start for the next build (it reads
                # those catalogs again, a few ms each) and spares writing tens of MB after each edit
                behind = pages_behind(site, keys, previous)
                if behind is None or behind > KEEP_BEHIND:
                    ctx.background(cache.put, "search", name, state)
                del previous
        return [(f"site/{rel}", text) for rel, text in files]

    def records(job: Job, wanted: set[str]) -> list[tuple[str, str]]:
        numbers = {int(rel[len(RECORD_FOLDER):-3]) for rel in wanted}
        return [(f"site/{rel}", text) for rel, text in record_files(site, numbers)]

    # the index's key covers every catalog: once computed, each file is keyed by its own bytes,
    # so an edit rewrites only the files whose text changed; a reusable index is computed again
    # once if the cache has no state of it, so that the next edit can update it
    group = Group(FOLDER, (ctx.everything, list(site.areas), ctx.pages), index, redo=cache is not None and not kept)
    # records are keyed one by one: each shows a fixed run of matter numbers, and each catalog has
    # room to grow (capacity), so an edit renders only the records of its catalog
    batch = Batch(RECORD_FOLDER, [(f"{RECORD_FOLDER}{n}.js", (ctx.registry, [(ctx.state(q), place, lo, hi, row)
                                                                            for q, place, lo, hi, row in spans]))
                                  for n, spans in record_spans(site)], records)
    return [group, batch]


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
