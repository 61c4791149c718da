"""The search index updated from the previous build's state (search.IndexState) is the index computed
from scratch, file for file, over random edits of the matters' fields: new wording, wording that
another catalog already has (so a text's first use moves), emptied fields, changed filters, and
matters added or removed (within the catalog's room to grow, or past it)."""
from __future__ import annotations

import copy
import functools
import json
import pickle

import numpy as np
from conftest import DEFAULT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.builders import search, search_layer
from compiler.builders.common import gather
from compiler.pipeline import Options, check

TEXT_FIELDS = ("matter", "sub_matter", "third_matter", "content", "responsible_unit")


@functools.lru_cache(maxsize=1)
def _site():
    result = check(Options(paths=(str(DEFAULT),), cache=False))
    return gather(result.project.catalogs, result.project.registry)


def site_copy():
    """A private copy of the default catalogs' site (the edits change its matters in place)."""
    return copy.deepcopy(_site())


def _pools():
    site = _site()
    items = [i for page in site.pages for i in page.catalog.items]
    texts = sorted({getattr(i, f) or "" for i in items for f in TEXT_FIELDS} | {b for i in items for b in i.basis})
    looks = sorted({(i.channels, i.optional_channels, i.audience, i.method) for i in items}, key=repr)
    return texts, looks


# wording: from the catalogs themselves (first uses move), or new, with ASCII letters (folded) and
# line breaks (which no gram spans)
wording = st.one_of(st.sampled_from(_pools()[0]), st.text(alphabet="公开信息政府招生AaBb\n:", max_size=8))
edit = st.tuples(st.integers(min_value=0), st.integers(min_value=0),
                 st.sampled_from(TEXT_FIELDS + ("basis", "look", "add", "remove")), wording,
                 st.lists(wording, max_size=3), st.integers(min_value=0))


def apply(site, edits) -> set[int]:
    """Make the edits; the numbers of the pages they changed."""
    looks = _pools()[1]
    changed = set()
    for page_at, item_at, name, text, basis, look_at in edits:
        n = page_at % len(site.pages)
        items = site.pages[n].catalog.items
        if not items:
            continue
        at = item_at % len(items)
        item = items[at]
        if name == "add":   # a new matter like another, with other wording
            items.insert(at, copy.copy(item))
            items[at].id, items[at].matter = f"{item.id}-added-{len(items)}", text or None
        elif name == "remove":
            del items[at]
        elif name == "basis":
            item.basis = tuple(basis)
        elif name == "look":
            item.channels, item.optional_channels, item.audience, item.method = looks[look_at % len(looks)]
        else:
            setattr(item, name, text or None)
        changed.add(n)
    return changed


def keys_after(keys: tuple[str, list[str]], changed: set[int], round_: int) -> tuple[str, list[str]]:
    return keys[0], [f"{key}/{round_}" if n in changed else key for n, key in enumerate(keys[1])]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(edit, min_size=1, max_size=6), min_size=1, max_size=3))
def test_updated_index_equals_index_from_scratch(rounds):
    site = site_copy()
    keys = ("context", [f"page {n}" for n in range(len(site.pages))])
    files, state = search.build_index(site, keys)
    for round_, edits in enumerate(rounds):
        changed = apply(site, edits)
        keys = keys_after(keys, changed, round_)
        counts = [len(page.catalog.items) for page in site.pages]
        # a catalog that outgrew its numbers (or shrank to fewer) moves every later matter
        moved = any(search.capacity(count) != search.capacity(old) for (_, old), count in zip(state.pages, counts))
        assert search._changed_pages(keys, state, counts) == (None if moved else sorted(changed))
        # otherwise the update is taken unless the table of texts or the width had to change
        now = {v for page in site.pages for v in search_layer.values_of(page.catalog.items) if v}
        before = [text for text in state.texts if text]
        refused = (search_layer.table_bits(len(now)) != search_layer.table_bits(len(before))
                   or search_layer.text_width(list(now)) != state.width)
        if not moved:
            updated = search_layer.Layer.update(state, site.pages, search.bases(counts), sorted(changed))
            assert (updated is None) == refused
        files, state = search.build_index(site, keys, state)
        fresh_files, fresh = search.build_index(site, keys)
        assert files == fresh_files
        assert state.texts == fresh.texts and state.pages == fresh.pages
        assert np.array_equal(state.text_of_doc, fresh.text_of_doc)
        assert np.array_equal(state.hashes, fresh.hashes) and state.width == fresh.width
        assert np.array_equal(state.gram_keys, fresh.gram_keys)
        assert state.gram_positions == fresh.gram_positions and state.doc_lists == fresh.doc_lists
        assert state.units == fresh.units
        assert state.gram_docs == fresh.gram_docs and state.gram_counts == fresh.gram_counts


def test_a_state_that_does_not_fit_is_not_used():
    site = site_copy()
    keys = ("context", [f"page {n}" for n in range(len(site.pages))])
    _, state = search.build_index(site, keys)
    counts = [len(page.catalog.items) for page in site.pages]
    assert search._changed_pages(keys, state, counts) == []
    assert search._changed_pages(("other context", keys[1]), state, counts) is None
    assert search._changed_pages((keys[0], keys[1][:-1]), state, counts[:-1]) is None
    grown = [search.capacity(counts[0]) + 1] + counts[1:]
    assert search._changed_pages(keys_after(keys, {0}, 0), state, grown) is None   # doc numbers move
    many = keys_after(keys, set(range(search.MAX_CHANGED + 1)), 0)
    assert search._changed_pages(many, state, counts) is None
    # a page that lost a matter is read again, with the same files
    del site.pages[0].catalog.items[-1]
    keys = keys_after(keys, {0}, 1)
    assert search.build_index(site, keys, state)[0] == search.build_index(site, keys)[0]


def test_a_catalog_has_room_to_grow():
    assert [search.capacity(n) for n in (0, 1, 16, 17, 24, 25, 33, 48, 49, 65, 97, 1000)] == \
        [16, 16, 16, 24, 24, 32, 48, 48, 64, 96, 128, 1024]
    assert all(search.capacity(n) >= n and search.capacity(n) < max(2 * n, 17) for n in range(3000))
    site = site_copy()
    keys = ("context", [f"page {n}" for n in range(len(site.pages))])
    files, state = search.build_index(site, keys)
    items = site.pages[3].catalog.items
    assert len(items) < search.capacity(len(items))
    # a matter added: the update is taken, only that catalog's numbers change, and no later matter moves
    added = copy.copy(items[0])
    added.id, added.matter = "added-matter", "新增的公开事项"
    items.append(added)
    keys = keys_after(keys, {3}, 0)
    assert search._changed_pages(keys, state, [len(p.catalog.items) for p in site.pages]) == [3]
    updated, _ = search.build_index(site, keys, state)
    assert updated == search.build_index(site, keys)[0]
    before, after = _manifest(files), _manifest(updated)
    assert before["total"] + 1 == after["total"]
    assert _runs_of(before) == _runs_of(after)   # every catalog keeps its run of numbers


def _manifest(files) -> dict:
    name, text = files[0]
    assert name == "search/manifest.js"
    return json.loads(text[len("window.gkmlManifest("):-len(");\n")])


def _runs_of(manifest: dict) -> list[tuple[int, int]]:
    """(first number, how many numbers) of every catalog in the manifest."""
    out = []
    for region in manifest["regions"]:
        at = region["start"]
        for page in region["pages"]:
            out.append((at, page[3]))
            at += page[3]
    return out


def test_the_index_files_are_made_one_at_a_time_as_the_build_asks():
    # held all at once, the files' text was a second copy of every posting in the build's main process
    site = site_copy()
    keys = ("context", [f"page {n}" for n in range(len(site.pages))])
    files, state = search.stream_index(site, keys)
    assert iter(files) is files   # a generator, not a list
    first = next(files)
    assert first[0] == "search/manifest.js"
    listed, listed_state = search.build_index(site, keys)
    assert [first, *files] == listed
    assert pickle.dumps(state) == pickle.dumps(listed_state)
