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
* records (r/ and k/): what a result shows, loaded only for the results on screen. Each matter's
  record is in two files: r/ holds a run of matter numbers (the results of one region), k/ a few
  rows of the catalogs of one level and area (the same matter in the regions side by side); the
  browser loads the fewest files that hold the page.

A build keeps what it computed (IndexState, in the cache) and the next one updates it: after a
one-file edit only the grams of the changed texts get new postings, and only their files change.

Files are JavaScript that hand their data to a global callback (``gkmlIndex(name, data)``),
because they are loaded with <script> tags: fetch() is refused on file:// by Chromium, while a
script tag works on file:// and over http alike, from any sub-path.
"""
from __future__ import annotations

import contextlib
import gc
from collections import defaultdict
from functools import lru_cache
from typing import Container, Iterator

import numpy as np

from .. import vocabulary
from ..cache import digest
from ..vocabulary import LEVEL_NAMES, LEVEL_ORDER
from .common import Page, Site, marks_of
from .outputs import Batch, Context, Group, Job, key_of
# the codec is part of this module's interface (decode, encode and fold are what search.js mirrors)
from .search_codec import (ALPHABET, FIELDS, SLOTS, UNIT_SLOT, bases, call, call_postings, capacity, decode,  # noqa: F401
                           decode_array, encode, encode_runs, fold, fold_pairs, gram_file, js)
from .search_layer import ONE_RUN, IndexState, Layer, gram_text, laid_out

VERSION = 5
MAX_GRAM_FILES = 512         # the other grams share at most this many files, picked by hash,
GRAM_FILE_SIZE = 24000       # of about this many characters each (fewer files for small sets)
OWN_FILE_FROM = 8192         # a gram whose postings are longer (characters) gets files of its own
DOC_TEXTS = 256              # texts per d/<n>.js (by number)
# A first page scattered over 20 record files took 50-60 ms of a 110 ms query on file://, where
# each file costs ~2.5 ms whatever its size (benchmarks/RESULTS.md). Each matter's record is in
# two layouts and the browser picks the fewer files: of the benchmark's first pages, at county
# scale, the most files any needs went from 20 to 5.
RECORDS = 256                # matter numbers per r/<n>.js: a region's results scattered over its catalogs (12 → 5 files)
COLUMN_ROWS = 8              # k/ files: these item rows of
COLUMN_CATALOGS = 16         # this many catalogs of one level and area (one matter in 20 counties: 20 → 5 files)


def field_values(item) -> list[str]:
    """The searched fields of a matter, in FIELDS order ('' when empty); 公开依据 joined by line breaks."""
    return [item.matter or "", item.sub_matter or "", item.third_matter or "", item.content or "",
            item.responsible_unit or "", "\n".join(item.basis)]


def files(site: Site) -> list[tuple[str, str]]:
    """Every file of the index as (path relative to the site root, text), in a fixed order."""
    return index_files(site) + record_files(site) + column_files(site)


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


def column_spans(site: Site) -> list[tuple[str, list[tuple[Page, int, int, int, int]]]]:
    """What each k/<level>-<area>-<block>-<rows>.js holds, as record_spans: (name, [(page, its place in its region, first item, end item, first row)]).

    The catalogs of one level and area (area -1 for none, written 0), in index order, go by
    blocks of COLUMN_CATALOGS; file (block, b) holds items COLUMN_ROWS × b onwards of each, the
    k-th catalog of the block at rows COLUMN_ROWS × k onwards. The browser finds a matter's row
    from the manifest alone (search.js, homes).
    """
    levels = _levels(site)
    area_index = {name: n for n, (name, _) in enumerate(site.areas)}
    ranks: defaultdict[tuple[int, int], int] = defaultdict(int)
    files: defaultdict[tuple[int, int, int, int], list[tuple[Page, int, int, int, int]]] = defaultdict(list)
    for region in site.regions:
        for p, page in enumerate(region.pages):
            group = (levels.index(region.level), area_index.get(page.area_name, -1) + 1)
            block, k = divmod(ranks[group], COLUMN_CATALOGS)
            ranks[group] += 1
            for b in range(-(-len(page.catalog.items) // COLUMN_ROWS)):
                lo = b * COLUMN_ROWS
                files[(*group, block, b)].append((page, p, lo, min(len(page.catalog.items), lo + COLUMN_ROWS), k * COLUMN_ROWS))
    return [("-".join(map(str, key)), spans) for key, spans in sorted(files.items())]


def record_files(site: Site, wanted: Container[int] | None = None) -> list[tuple[str, str]]:
    """The r/ files (all, or those numbered in wanted): what a result shows, with the texts it uses (one round trip)."""
    return [(f"search/r/{n}.js", _records(f"r/{n}", spans)) for n, spans in record_spans(site)
            if wanted is None or n in wanted]


def column_files(site: Site, wanted: Container[str] | None = None) -> list[tuple[str, str]]:
    """The k/ files (all, or those named in wanted): the same records as r/, laid out by catalog rows (column_spans)."""
    return [(f"search/k/{name}.js", _records(f"k/{name}", spans)) for name, spans in column_spans(site)
            if wanted is None or name in wanted]


def _records(name: str, spans: list[tuple[Page, int, int, int, int]]) -> str:
    audiences, methods = _numbered("audience"), _numbered("method")
    local: dict[str, int] = {}   # texts numbered in order of first use in the file
    rows: list[object] = []
    for page, p, lo, hi, row in spans:
        rows += [0] * (row - len(rows))   # numbers (rows) no matter has
        rows += [[item.id or "", [local.setdefault(v, len(local)) if v else -1 for v in field_values(item)], p,
                  audiences.get(item.audience, -1), methods.get(item.method, -1)]
                 for item in page.catalog.items[lo:hi]]
    return call(name, [list(local), rows])


def _levels(site: Site) -> list[str]:
    """The levels of the site's regions, province first (the manifest's levels)."""
    return sorted({r.level for r in site.regions}, key=lambda lv: LEVEL_ORDER.get(lv, 9))


def index_files(site: Site) -> list[tuple[str, str]]:
    """Every file of the index but the records (record_files, column_files), manifest first."""
    return build_index(site)[0]


def build_index(site: Site, keys: tuple[str, list[str]] | None = None,
                previous: IndexState | None = None) -> tuple[list[tuple[str, str]], IndexState | None]:
    """index_files, and the state for the next build when keys (context, one key per page) are given (stream_index, listed)."""
    files, state = stream_index(site, keys, previous)
    return list(files), state


def stream_index(site: Site, keys: tuple[str, list[str]] | None = None,
                 previous: IndexState | None = None) -> tuple[Iterator[tuple[str, str]], IndexState | None]:
    """The files of index_files, each made when it is asked for, and the state for the next build when keys (context, one key per page) are given.

    With a previous state under the same context and the same pages, each still within its run
    of matter numbers (capacity), only the pages whose key changed are read again, and only the grams whose docs
    changed are merged again: after a one-file edit that is a tenth of the work. The files are
    the same bytes either way (tests/test_search_update.py, tests/test_build_incremental.py).
    The texts of the files are made one at a time as the build writes them: held all at once they
    were a second copy of the postings, which the build held with the rest.
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

    layer = Layer.update(previous, pages, starts, changed) if changed is not None else None
    if layer is None:
        layer = Layer.fresh(pages, starts)
        kinds, kind_of = _kinds(laid_out([_looks(page.catalog.items) for page in pages], starts, 1))
    else:
        kinds, kind_of = _update_kinds(previous, pages, starts, changed)
    texts, width = layer.texts, layer.width
    filters = _filters(kinds, kind_of, audiences, methods)
    grams = [gram_text(key) for key in layer.gram_keys.tolist()]
    positions, doc_texts, doc_counts = layer.gram_positions, layer.gram_docs, layer.gram_counts

    small: list[tuple[str, object, int]] = []
    own: dict[str, list[int]] = {}
    big: list[tuple[int, str | None, str]] = []   # (file number, positions, docs) of the big grams
    for gram, at, doc_text, doc_count in zip(grams, positions, doc_texts, doc_counts):
        entry: object = [at, doc_text] if at is not None else doc_text
        size = len(doc_text) + (len(at) if at is not None else 0)
        if size > OWN_FILE_FROM:
            # big grams get files of their own, listed in the manifest with their number of docs:
            # a bigram's positions in g/p<n>.js and docs in g/d<n>.js, so a word loads only the
            # docs it needs; a character's docs in g/d<n>.js
            own[gram] = [len(own), doc_count]
            big.append((len(big), at, doc_text))
        else:
            small.append((gram, entry, size))
    # the other grams share files picked by hash, about GRAM_FILE_SIZE characters each
    count = 1
    while count < MAX_GRAM_FILES and count * GRAM_FILE_SIZE < sum(size for _, _, size in small):
        count *= 2
    shards: list[dict[str, object]] = [{} for _ in range(count)]
    for gram, entry, _ in small:
        shards[gram_file(gram, count)][gram] = entry
    doc_lists = layer.doc_lists
    # fixed runs of text numbers, so that an edit changes only the files of the texts it changed
    doc_starts = list(range(0, len(doc_lists), DOC_TEXTS))
    filter_data = {}
    for name in sorted(filters):
        numbers = filters[name]
        # a value most matters have is stored as its complement, so every filter file stays small
        if len(numbers) * 2 > total:
            rest = kind_of >= 0   # the matters, without the numbers no matter has
            rest[numbers] = False
            filter_data[name] = [1, encode_runs(np.flatnonzero(rest), ONE_RUN)[0]]
        else:
            filter_data[name] = [0, encode_runs(numbers, ONE_RUN)[0]]

    levels = _levels(site)
    manifest = {
        "version": VERSION, "total": total, "fields": list(FIELDS), "slots": SLOTS, "unitSlot": UNIT_SLOT,
        "width": width, "gramFiles": count, "records": RECORDS, "columns": [COLUMN_ROWS, COLUMN_CATALOGS], "alphabet": ALPHABET, "own": own,
        "docs": doc_starts, "filters": sorted(filters),
        "levels": [[lv, LEVEL_NAMES.get(lv, lv)] for lv in levels],
        "areas": [[name, slug] for name, slug in site.areas],
        "channels": channels, "audiences": list(audiences), "methods": list(methods),
        "regions": regions,
        # what the browser needs to fold a query and widen it (search-words.js): small, so in the manifest
        # one string, not a set per text: the sets, all made at once, were the index's peak (+167 MiB
        # of tracemalloc at county scale)
        "fold": fold_pairs(set("".join(texts))), "thesaurus": thesaurus(site),
    }
    state = None
    if keys is not None:
        state = IndexState(keys[0], list(zip(keys[1], counts)), texts, layer.hashes, layer.text_of_doc, doc_lists,
                           width, layer.gram_keys, positions, doc_texts, doc_counts, kinds, kind_of, page_units)

    def made() -> Iterator[tuple[str, str]]:
        yield "search/manifest.js", f"window.gkmlManifest({js(manifest)});\n"
        for n, at, doc_text in big:
            if at is not None:
                yield f"search/g/p{n}.js", call_postings(f"g/p{n}", at)
            yield f"search/g/d{n}.js", call_postings(f"g/d{n}", doc_text)
        for n, shard in enumerate(shards):
            yield f"search/g/{n}.js", call(f"g/{n}", shard)
        for n, (lo, hi) in enumerate(zip(doc_starts, doc_starts[1:] + [len(doc_lists)])):
            yield f"search/d/{n}.js", call_postings(f"d/{n}", doc_lists[lo:hi])
        for name, data in filter_data.items():
            yield f"search/f/{name}.js", call(f"f/{name}", data)
        # the matter names, for did-you-mean after a miss (loaded only then)
        yield "search/v.js", call("v", names(site))

    return made(), state


def thesaurus(site: Site) -> list[list[list[str]]]:
    """The registry's thesaurus as [[term, words…], [related…]], folded, in term order (deterministic)."""
    out = []
    for term in sorted(site.registry.thesaurus):
        entry = site.registry.thesaurus[term]
        same = list(dict.fromkeys(fold(w) for w in (entry.term, *entry.words) if w.strip()))
        related = [w for w in dict.fromkeys(fold(w) for w in entry.related if w.strip()) if w not in same]
        out.append([same, related])
    return out


def names(site: Site) -> list[str]:
    """Every distinct 一级, 二级 and 三级 matter name, sorted."""
    return sorted({name for page in site.pages for item in page.catalog.items
                   for name in (item.matter, item.sub_matter, item.third_matter) if name})


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


def _numbered(vocab: str) -> dict[str, int]:
    """A vocabulary's canonical values by their number in the index (template order)."""
    return {name: n for n, name in enumerate(vocabulary.get(vocab).canonical)}


def _kinds(looks: list[tuple | None]) -> tuple[dict[tuple, int], np.ndarray]:
    """The distinct looks (channels, optional channels, audience, method) numbered, and each matter number's (-1: None)."""
    # a province has 200,000 matters but a few hundred distinct combinations: name those once
    kinds = {look: n for n, look in enumerate(look for look in dict.fromkeys(looks) if look is not None)}
    number = {**kinds, None: -1}
    return kinds, np.fromiter(map(number.__getitem__, looks), np.int64, len(looks))


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
COLUMN_FOLDER = "site/search/k/"   # the same records by catalog rows
KEEP_BEHIND = 4    # the index's state is written again when more catalogs than this changed since


def outputs(ctx: Context) -> list[Group | Batch]:
    """The index (one group: computed as a whole, each file then keyed by its bytes) and its records."""
    site = ctx.site
    # what lets the next build update the index rather than compute it again (IndexState):
    # a page whose key is unchanged has the same matters, field for field
    keys = (key_of(ctx.base, "search state", ctx.registry), [key_of(state) for state in ctx.pages])
    cache = ctx.cache
    name = digest("search index state", str(ctx.target)) if cache is not None else ""
    # the state's context is kept beside it: one made under another (another gkml, template,
    # registry or build epoch) cannot be updated, and read anyway it (230 MB at province scale) was
    # held while the workers were forked, which took the largest process of such a build past
    # 2 GB (issue 22, benchmarks/RESULTS.md)
    kept = cache is not None and cache.get("search", f"{name}.context") == keys[0] and cache.has("search", name)
    # the state (tens of MB to read and verify) is read while the build plans (not unpickled:
    # that would hold the interpreter lock the plan needs)
    prefetched = ctx.prefetch(cache.read, "search", name) if kept else None

    def index(job: Job) -> Iterator[tuple[str, str]]:
        with _collector_off():   # millions of new lists and strings, none in a cycle: nothing to collect
            if cache is None:
                files, _ = stream_index(site)
            else:
                previous = cache.loads(prefetched.take() if prefetched else None)
                previous = previous if isinstance(previous, IndexState) else None
                behind = pages_behind(site, keys, previous)
                if behind is None:
                    previous = None   # it cannot be updated: freed before the new one is made
                files, state = stream_index(site, keys, previous)
                # a state a few catalogs behind is as good a start for the next build (it reads
                # those catalogs again, a few ms each) and spares writing tens of MB after each edit
                if behind is None or behind > KEEP_BEHIND:
                    ctx.background(_keep, cache, name, state)
                del previous
        # each file's text made as the build writes it (build._group), never all of them at once
        return ((f"site/{rel}", text) for rel, text in files)

    def records(job: Job, wanted: set[str]) -> list[tuple[str, str]]:
        numbers = {int(rel[len(RECORD_FOLDER):-3]) for rel in wanted}
        return [(f"site/{rel}", text) for rel, text in record_files(site, numbers)]

    def columns(job: Job, wanted: set[str]) -> list[tuple[str, str]]:
        names = {rel[len(COLUMN_FOLDER):-3] for rel in wanted}
        return [(f"site/{rel}", text) for rel, text in column_files(site, names)]

    # the index's key covers every catalog: once computed, each file is keyed by its own bytes,
    # so an edit rewrites only the files whose text changed; a reusable index is computed again
    # once if the cache has no state of it, so that the next edit can update it
    group = Group(FOLDER, (ctx.everything, list(site.areas), ctx.pages), index, redo=cache is not None and not kept)
    # records are keyed one by one: each shows a fixed run of matter numbers, and each catalog has
    # room to grow (capacity), so an edit renders only the records of its catalog
    batch = Batch(RECORD_FOLDER, [(f"{RECORD_FOLDER}{n}.js", (ctx.registry, [(ctx.state(q), place, lo, hi, row)
                                                                            for q, place, lo, hi, row in spans]))
                                  for n, spans in record_spans(site)], records)
    by_rows = Batch(COLUMN_FOLDER, [(f"{COLUMN_FOLDER}{name}.js", (ctx.registry, [(ctx.state(q), place, lo, hi, row)
                                                                               for q, place, lo, hi, row in spans]))
                                    for name, spans in column_spans(site)], columns)
    return [group, batch, by_rows]


def _keep(cache, name: str, state: IndexState) -> None:
    """Store the index's state for the next build, and its context beside it (what outputs reads first)."""
    cache.put("search", name, state)
    cache.put("search", f"{name}.context", state.context)


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
