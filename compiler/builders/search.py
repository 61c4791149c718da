"""The one-stop search index: an inverted index over characters and bigrams, split into small .js files.

A search must answer in well under 100 ms over a whole province (≈200,000 matters) without
downloading it, and every result must really contain what was typed. The index is built for
Chinese substring search (docs/data.md, "Search index"):

* matters are numbered page by page: matter = page number × stride + item, with a stride (a
  multiple of RECORDS) that leaves room in every page, so an edit renumbers only its own page;
* docs: one per field of a matter, numbered matter × 6 + field, so a match never spans two fields;
* texts: every distinct field value (一级/二级/三级事项, 公开内容, 公开主体, 公开依据 joined by
  line breaks), numbered by the first doc that holds it. A province repeats the same wording
  thousands of times, so the distinct texts are a small fraction of the whole;
* grams (g/): for each bigram, where it occurs in the texts (text × width + position) and which
  docs contain it; for each single character, which docs contain it. Small grams share files
  picked by hash; big ones have files of their own, listed in the manifest. A query loads only
  the files of its own grams;
* docs of texts (d/): used to take out the docs of texts that have a word's bigrams but not the
  word itself. Intersecting bigram postings alone would promise results that are not there; the
  positions make every result exact;
* filters (f/): the matters disclosed through a channel, to an audience or by a method;
* records (r/): what a result shows, RECORDS matters a file with the texts they use, loaded only
  for the results on screen.

Built in parts so that a rebuild after an edit redoes only what the edit changed. Every postings
list is the concatenation, in region order, of one segment per region (its numbers fall in the
region's own range), and a segment depends on that region's catalogs alone (RegionPart); where
bigrams occur depends on the texts a region is the first to use (PositionPart). The build caches
both and rewrites only the files whose segments changed; the bytes are those of a fresh build.

Files are JavaScript that hand their data to a global callback (``gkmlIndex(name, data)``),
because they are loaded with <script> tags: fetch() is refused on file:// by Chromium, while a
script tag works on file:// and over http alike, from any sub-path.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice, pairwise
from operator import sub
from typing import Callable, Iterable, Iterator

from .. import vocabulary
from ..vocabulary import LEVEL_NAMES, LEVEL_ORDER
from .common import Page, Site, channel_marks

VERSION = 3
FIELDS = ("matter", "sub_matter", "third_matter", "content", "responsible_unit", "basis")
SLOTS = len(FIELDS)          # doc = matter number × SLOTS + field
UNIT_SLOT = FIELDS.index("responsible_unit")
MAX_GRAM_FILES = 512         # the other grams share at most this many files, picked by hash,
GRAM_FILE_SIZE = 24000       # of about this many characters each (fewer files for small sets)
OWN_FILE_FROM = 8192         # a gram whose postings are longer (characters) gets files of its own
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


# _STEP[d] is the digits of the gap d - 1 between consecutive numbers, for d up to 2^15: the
# postings of a province are tens of millions of gaps, and a table lookup in map() runs in C
_STEP = [""] + [_number(n) for n in range(1 << 15)]


def _gaps(numbers: list[int]) -> str:
    try:
        return "".join(map(_STEP.__getitem__, map(sub, islice(numbers, 1, None), numbers)))
    except IndexError:   # a gap beyond the table
        short, number = _SHORT, _number
        return "".join([short[g] if g < 1024 else number(g) for g in [b - a - 1 for a, b in pairwise(numbers)]])


def encode(numbers: list[int]) -> str:
    """A strictly increasing list as a postings string: the first number, then each gap minus one."""
    return _number(numbers[0]) + _gaps(numbers) if numbers else ""


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


# A segment is a postings list cut to one region: (first, last, count, gaps after the first).
# Segments of consecutive regions join into the postings of the whole list (join) byte for byte.
Segment = tuple[int, int, int, str]


def segment(numbers: list[int]) -> Segment:
    """The segment of a strictly increasing, non-empty list."""
    if len(numbers) == 1:    # most texts of a region occur once
        return numbers[0], numbers[0], 1, ""
    return numbers[0], numbers[-1], len(numbers), _gaps(numbers)


def join(segments: Iterable[Segment]) -> str:
    """The postings string of segments in increasing order: equal to encode() of their numbers."""
    out: list[str] = []
    last = -1
    for first, end, _, gaps in segments:
        out.append(_number(first - last - 1 if out else first))
        out.append(gaps)
        last = end
    return "".join(out)


def fold(text: str) -> str:
    """Search folding: ASCII letters to lower case (the same rule as search.js), nothing else."""
    return text.translate(_LOWER)


_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


@lru_cache(maxsize=None)
def gram_file(gram: str, count: int) -> int:
    """Which of count g/<n>.js holds a gram (the same hash as search.js: over code points, base 31)."""
    h = 0
    for ch in gram:
        h = (h * 31 + ord(ch)) % count
    return h


def own_name(gram: str) -> str:
    """The file-name part of a big gram's own files: its code points in hex."""
    return "-".join(f"{ord(ch):x}" for ch in gram)


def _js(value: object) -> str:
    # JSON is valid JavaScript; escaping < > & keeps a file inert even if pasted into HTML
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _call(name: str, data: object) -> str:
    return f"gkmlIndex({_js(name)},{_js(data)});\n"


def _digest(*parts: object) -> bytes:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=12).digest()


def field_values(item) -> list[str]:
    """The searched fields of a matter, in FIELDS order ('' when empty); 公开依据 joined by line breaks."""
    return [item.matter or "", item.sub_matter or "", item.third_matter or "", item.content or "",
            item.responsible_unit or "", "\n".join(item.basis)]


def _power(base: int, need: int, cap: int | None = None) -> int:
    """The smallest base × 2^k ≥ need (at most cap): sizes that change only when a set doubles."""
    value = base
    while value < need and (cap is None or value < cap):
        value *= 2
    return value if cap is None else min(value, cap)


# ---------------------------------------------------------------------------------------------
# Layout: numbering that an edit of one catalog does not shift


@dataclass(frozen=True)
class Layout:
    """Matter numbering: page n's matters are n × stride + item; regions own consecutive pages."""

    stride: int
    first_page: tuple[int, ...]          # per region: number of its first page
    total: int


def layout(site: Site) -> Layout:
    """The numbering of a site (pure, cheap)."""
    most = max((len(p.catalog.items) for p in site.pages), default=0)
    first, n = [], 0
    for region in site.regions:
        first.append(n)
        n += len(region.pages)
    return Layout(_power(RECORDS, most), tuple(first), site.total_items)


def record_files(site: Site, lay: Layout, number: int) -> list[tuple[str, str]]:
    """The r/ files of page `number` (site.pages order): what a result shows."""
    page = site.pages[number]
    region = site.region(page.code)
    p = next(i for i, q in enumerate(region.pages) if q is page)
    audiences = list(vocabulary.get("audience").canonical)
    methods = list(vocabulary.get("method").canonical)
    out = []
    items = page.catalog.items
    base = number * lay.stride
    for start in range(0, len(items), RECORDS):
        local: dict[str, int] = {}
        rows = []
        for item in items[start:start + RECORDS]:
            slots = [local.setdefault(v, len(local)) if v else -1 for v in field_values(item)]
            rows.append([item.id or "", slots, p,
                         audiences.index(item.audience) if item.audience in audiences else -1,
                         methods.index(item.method) if item.method in methods else -1])
        n = (base + start) // RECORDS
        out.append((f"search/r/{n}.js", _call(f"r/{n}", [list(local), rows])))
    return out


def record_paths(lay: Layout, number: int, items: int) -> list[str]:
    """The r/ file names of page `number` with this many items."""
    base = number * lay.stride
    return [f"search/r/{(base + start) // RECORDS}.js" for start in range(0, items, RECORDS)]


# ---------------------------------------------------------------------------------------------
# Per region: docs of every gram, texts, filters (depends on the region's catalogs alone)


def _filter_names() -> list[str]:
    return ([f"c{n}" for n in range(len(vocabulary.get("channel").canonical))]
            + [f"a{n}" for n in range(len(vocabulary.get("audience").canonical))]
            + [f"m{n}" for n in range(len(vocabulary.get("method").canonical))])


def _buckets(segs: dict[str, Segment]) -> dict[int, bytes]:
    """Per shared-file bucket (gram_file with MAX_GRAM_FILES): a digest of its grams' segments."""
    acc: dict[int, list] = {}
    for gram in sorted(segs):
        acc.setdefault(gram_file(gram, MAX_GRAM_FILES), []).append(gram)
    return {b: _segments_digest((g, segs[g]) for g in grams) for b, grams in acc.items()}


def _segments_digest(pairs: Iterable[tuple[object, Segment | None]]) -> bytes:
    """A digest of labelled segments (None for a part without that gram)."""
    h = hashlib.blake2b(digest_size=12)
    for label, seg in pairs:
        if seg is None:
            h.update(f"{label}|-\0".encode("utf-8", "surrogatepass"))
        else:
            h.update(f"{label}|{seg[0]},{seg[1]},{seg[2]},".encode("utf-8", "surrogatepass"))
            h.update(seg[3].encode("ascii"))
            h.update(b"\0")
    return h.digest()


def region_part(pages: list[tuple[int, Page]], stride: int) -> dict:
    """The segments one region contributes to every list: pages are (page number, page) in order.

    A plain dict of builtins (cached as a pickle): texts → docs segment, grams → docs segment with
    a digest each and per file bucket, filters → (with, without) segments, units, longest text.
    """
    channel_order = vocabulary.get("channel").order
    n_channels = len(vocabulary.get("channel").canonical)
    audiences = list(vocabulary.get("audience").canonical)
    methods = list(vocabulary.get("method").canonical)
    names = _filter_names()
    texts: dict[str, list[int]] = {}
    having: dict[str, list[int]] = {name: [] for name in names}
    valid: list[int] = []
    units: set[str] = set()
    for number, page in pages:
        base = number * stride
        for i, item in enumerate(page.catalog.items):
            m = base + i
            valid.append(m)
            doc = m * SLOTS
            for slot, value in enumerate(field_values(item)):
                if value:
                    texts.setdefault(value, []).append(doc + slot)
            if item.responsible_unit:
                units.add(item.responsible_unit)
            # channel filter: every channel the matter is disclosed through, ■ or □ (其他:… counts as 其他)
            for c in sorted({channel_order(c) for _, c in channel_marks(item)}):
                if 0 <= c < n_channels:
                    having[f"c{c}"].append(m)
            if item.audience in audiences:
                having[f"a{audiences.index(item.audience)}"].append(m)
            if item.method in methods:
                having[f"m{methods.index(item.method)}"].append(m)
    gram_lists: defaultdict[str, list[list[int]]] = defaultdict(list)
    for text, docs in texts.items():
        for gram in grams_of(text):
            gram_lists[gram].append(docs)
    grams = {g: segment(lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists)))
             for g, lists in gram_lists.items()}
    filters = {}
    for name, numbers in having.items():
        present = set(numbers)
        without = [m for m in valid if m not in present]
        filters[name] = (segment(numbers) if numbers else None, segment(without) if without else None)
    return {"texts": {text_id(t): segment(d) for t, d in texts.items()}, "grams": grams,
            "buckets": _buckets(grams), "filters": filters, "count": len(valid),
            "units": sorted(units), "longest": max(map(len, texts), default=0)}


@lru_cache(maxsize=1 << 17)
def grams_of(text: str) -> tuple[str, ...]:
    """The distinct characters and bigrams of a folded text, none with a line break (regions share most texts)."""
    folded = fold(text)
    grams = {folded[pos:pos + 2] for pos in range(len(folded) - 1)}
    grams.update(folded)
    if "\n" in folded:
        grams = {g for g in grams if "\n" not in g}
    return tuple(grams)


def text_id(text: str) -> bytes:
    """A text's identity in the cached parts (the parts hold no text, only what joins them)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def region_texts(pages: list[tuple[int, Page]]) -> dict[bytes, str]:
    """The texts of a region's catalogs by their text_id."""
    out: dict[str, None] = {}
    for _, page in pages:
        for item in page.catalog.items:
            for value in field_values(item):
                if value:
                    out[value] = None
    return {text_id(t): t for t in out}


def position_part(owned: list[tuple[int, str]], width: int) -> dict:
    """Where bigrams occur (text × width + offset) in the texts a region is the first to use (owned: (text number, text))."""
    at: dict[str, list[int]] = {}
    for tid, text in owned:
        folded = fold(text)
        base = tid * width
        for pos in range(len(folded) - 1):
            pair = folded[pos:pos + 2]
            if "\n" not in pair:
                at.setdefault(pair, []).append(base + pos)
    grams = {g: segment(v) for g, v in at.items()}
    return {"grams": grams, "buckets": _buckets(grams)}


def owned_texts(parts: list[dict]) -> list[list[tuple[int, bytes]]]:
    """Per region, the texts it is the first to use: (number = first doc, text_id), in number order."""
    seen: set[bytes] = set()
    out = []
    for part in parts:
        mine = [(seg[0], text) for text, seg in part["texts"].items() if text not in seen]
        seen.update(text for _, text in mine)
        mine.sort()
        out.append(mine)
    return out


def width_of(parts: list[dict]) -> int:
    """Positions are text × width + offset: a power of two above the longest text."""
    return _power(64, max((p["longest"] for p in parts), default=0) + 1)


def owned_key(owned: list[tuple[int, bytes]], width: int) -> str:
    """Cache key of a position part."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{VERSION}:{width}:{len(owned)}".encode())
    for tid, tid_text in owned:
        h.update(tid.to_bytes(8, "little"))
        h.update(tid_text)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# The whole index from the parts


Output = tuple[str, str, Callable[[], str]]     # path under the site, key, text when needed


def _lists(kind: list[dict], gram: str) -> Iterator[Segment]:
    for part in kind:
        seg = part["grams"].get(gram)
        if seg is not None:
            yield seg


def index_files(site: Site, lay: Layout, parts: list[dict], positions: list[dict]) -> Iterator[Output]:
    """Every file of the index except r/, each with a key that changes whenever its text would.

    parts and positions are per region (region_part, position_part). A file's text is rendered
    only when asked for, so a rebuild renders only the files whose key changed.
    """
    doc_total: dict[str, int] = {}
    size: dict[str, int] = {}
    for part in parts:
        for gram, seg in part["grams"].items():
            size[gram] = size.get(gram, 0) + len(seg[3]) + 2
            doc_total[gram] = doc_total.get(gram, 0) + seg[2]
    for part in positions:
        for gram, seg in part["grams"].items():
            size[gram] = size.get(gram, 0) + len(seg[3]) + 2
    own = sorted(g for g, n in size.items() if n > OWN_FILE_FROM)
    own_set = set(own)
    small = sum(n for g, n in size.items() if g not in own_set)
    count = _power(1, -(-small // GRAM_FILE_SIZE), MAX_GRAM_FILES)

    # big grams: a bigram's positions in g/p…, its docs (or a character's) in g/d…
    for gram in own:
        name = own_name(gram)
        if len(gram) == 2:
            key = _segments_digest((gram, p["grams"].get(gram)) for p in positions).hex()
            yield (f"search/g/p{name}.js", key,
                   lambda gram=gram, name=name: _call(f"g/p{name}", join(_lists(positions, gram))))
        key = _segments_digest((gram, p["grams"].get(gram)) for p in parts).hex()
        yield (f"search/g/d{name}.js", key,
               lambda gram=gram, name=name: _call(f"g/d{name}", join(_lists(parts, gram))))
    # the other grams share count files by hash; a file's key covers its buckets in every part
    own_key = _digest(own, count)
    in_file: dict[int, list[str]] = {}
    for gram in sorted(size):
        if gram not in own_set:
            in_file.setdefault(gram_file(gram, count), []).append(gram)
    for n in range(count):
        buckets = range(n, MAX_GRAM_FILES, count)
        key = _digest(own_key, n, [[p["buckets"].get(b) for b in buckets] for kind in (parts, positions) for p in kind])
        yield (f"search/g/{n}.js", key.hex(),
               lambda n=n: _call(f"g/{n}", {g: _shared(g, parts, positions) for g in in_file.get(n, ())}))

    # docs of texts: each text with its docs in every region, in the file of the page first using it
    segs: dict[bytes, list[Segment]] = {}
    for part in parts:
        for tid_text, seg in part["texts"].items():
            lst = segs.get(tid_text)
            if lst is None:
                segs[tid_text] = [seg]
            else:
                lst.append(seg)
    span = lay.stride * SLOTS
    chunks: dict[int, dict[int, str]] = {}
    for lst in segs.values():
        tid = lst[0][0]
        # most texts' docs are one segment: no join needed
        chunks.setdefault(tid // span, {})[tid] = _number(tid) + lst[0][3] if len(lst) == 1 else join(lst)
    for page in sorted(chunks):
        text = _call(f"d/{page}", dict(sorted(chunks[page].items())))
        yield f"search/d/{page}.js", _digest(text).hex(), lambda text=text: text

    total = lay.total
    filters = []
    for name in _filter_names():
        having = [p["filters"][name][0] for p in parts]
        count_with = sum(s[2] for s in having if s)
        if not count_with:
            continue
        filters.append(name)
        # a value most matters have is stored as its complement, so every filter file stays small
        if count_with * 2 > total:
            data = [1, join(s for p in parts if (s := p["filters"][name][1]))]
        else:
            data = [0, join(s for s in having if s)]
        text = _call(f"f/{name}", data)
        yield f"search/f/{name}.js", _digest(text).hex(), lambda text=text: text

    area_index = {name: n for n, (name, _) in enumerate(site.areas)}
    regions = []
    for region, first, part in zip(site.regions, lay.first_page, parts):
        regions.append({"code": region.code, "name": region.name, "level": region.level,
                        "parent": region.parent, "first": first,
                        "pages": [[q.slug, area_index.get(q.area_name, -1), len(q.catalog.items)] for q in region.pages],
                        "units": part["units"]})
    levels = sorted({r.level for r in site.regions}, key=lambda lv: LEVEL_ORDER.get(lv, 9))
    manifest = {
        "version": VERSION, "total": total, "fields": list(FIELDS), "slots": SLOTS, "unitSlot": UNIT_SLOT,
        "width": width_of(parts), "stride": lay.stride, "gramFiles": count, "records": RECORDS,
        "alphabet": ALPHABET, "own": {g: [own_name(g), doc_total.get(g, 0)] for g in own},
        "filters": filters,
        "levels": [[lv, LEVEL_NAMES.get(lv, lv)] for lv in levels],
        "areas": [[name, slug] for name, slug in site.areas],
        "channels": list(vocabulary.get("channel").canonical),
        "audiences": list(vocabulary.get("audience").canonical),
        "methods": list(vocabulary.get("method").canonical),
        "regions": regions,
    }
    text = f"window.gkmlManifest({_js(manifest)});\n"
    yield "search/manifest.js", _digest(text).hex(), lambda: text


def _shared(gram: str, parts: list[dict], positions: list[dict]) -> object:
    """A small gram's entry in its shared file: docs (a character), or [positions, docs] (a bigram)."""
    if len(gram) == 1:
        return join(_lists(parts, gram))
    return [join(_lists(positions, gram)), join(_lists(parts, gram))]


def region_pages(site: Site, lay: Layout) -> list[list[tuple[int, Page]]]:
    """Per region: (page number, page) of its catalogs."""
    return [[(first + k, page) for k, page in enumerate(region.pages)]
            for region, first in zip(site.regions, lay.first_page)]


def files(site: Site) -> list[tuple[str, str]]:
    """Every file of the index as (path relative to the site root, text), manifest first (no caching)."""
    lay = layout(site)
    pages = region_pages(site, lay)
    parts = [region_part(p, lay.stride) for p in pages]
    width = width_of(parts)
    positions = []
    for region, owned in zip(pages, owned_texts(parts)):
        texts = region_texts(region)
        positions.append(position_part([(tid, texts[t]) for tid, t in owned], width))
    out = [(rel, render()) for rel, _, render in index_files(site, lay, parts, positions)]
    for number in range(len(site.pages)):
        out.extend(record_files(site, lay, number))
    out.sort(key=lambda pair: (pair[0] != "search/manifest.js", pair[0]))
    return out
