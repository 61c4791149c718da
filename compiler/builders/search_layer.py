"""The search index's layers: texts numbered by hash slot, their docs and every gram's postings (compiler/builders/search.py).

A layer is computed fresh from every page, or updated from the previous build's state
(IndexState) by reading only the pages that changed.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise
from typing import Iterator

import numpy as np

from .common import Page
from .search_codec import SLOTS, decode_array, encode_runs, fold, run_starts


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


def values_of(items) -> list[str | None]:
    """The searched field values of every item, flat, in FIELDS order."""
    # field_values of every item, flat (a comprehension: 200,000 matters a province)
    return [value for i in items for value in (i.matter, i.sub_matter, i.third_matter, i.content,
                                               i.responsible_unit, "\n".join(i.basis))]


def laid_out(per_page: list[list], starts: np.ndarray, width: int) -> list:
    """Each page's list (width entries a matter) at its matter numbers (starts: bases()), None at the numbers no matter has."""
    out: list = []
    for entries, end in zip(per_page, starts[1:].tolist()):
        out += entries
        out += [None] * (end * width - len(out))
    return out


@dataclass
class Layer:
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
    def fresh(cls, pages: list[Page], starts: np.ndarray) -> "Layer":
        """Everything computed from the matters (starts: bases())."""
        values = laid_out([values_of(page.catalog.items) for page in pages], starts, SLOTS)
        distinct = list(dict.fromkeys(values))   # at C speed: 1.2 million values a province
        distinct = [text for text in distinct if text]
        hashes = np.fromiter(map(_hash, distinct), np.uint64, len(distinct))
        slots = _slots(hashes, distinct)
        ids: dict[str | None, int] = dict(zip(distinct, slots.tolist()))
        ids[""] = ids[None] = -1
        text_of_doc = np.fromiter(map(ids.__getitem__, values), np.int64, len(values))
        # a value a doc (their 公开依据 joined afresh per matter) and the ids: not needed past here,
        # and kept through gram_texts they were ~40 MiB of its peak at county scale (tracemalloc)
        del values, ids
        texts, by_hash = _by_number(distinct, hashes, slots)
        width = text_width(distinct)
        del distinct
        keys, positions, pair_gram, pair_text = gram_texts(texts, width)
        docs = TextDocs(text_of_doc, len(texts))
        doc_texts, doc_counts = gram_docs(docs, pair_gram, pair_text, len(keys))
        return cls(texts, by_hash, text_of_doc, encode_runs(docs.flat, docs.start), width, keys, positions,
                   doc_texts, doc_counts)

    @classmethod
    def update(cls, previous: IndexState, pages: list[Page], starts: np.ndarray, changed: list[int]) -> "Layer | None":
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
            values = values_of(pages[n].catalog.items)
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
        if table_bits(len(alive)) != table_bits(sum(1 for t in previous.texts if t)):
            return None   # the table grew or shrank: every number moves
        width = text_width(alive_texts)
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
            runs = run_starts(owner)
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
                doc_texts.append(encode_runs(docs, ONE_RUN)[0])
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
                at = encode_runs(found, ONE_RUN)[0]
            positions.append(at)
            kept.append(key)
        return cls(new_texts, new_hashes, text_of_doc, doc_lists, width, np.asarray(kept, np.int64), positions, doc_texts,
                   doc_counts)


def _hash(text: str) -> int:
    """A text's 64-bit hash (the same in every run, unlike hash())."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def table_bits(texts: int) -> int:
    """The size (bits) of the hash table numbering this many texts."""
    # about 1.5 numbers a text: probing stays short, and few numbers go unused
    return max(4, (texts + texts // 2).bit_length())


def _slots(hashes: np.ndarray, texts: list[str]) -> np.ndarray:
    """Each text's number: a slot in a table of 2^table_bits slots, found by its hash and linear probing.

    A function of the set of texts alone, in which adding or removing a text moves only the
    few texts probed past it; numbering by first use would move every later text instead, and
    with it every position and most index files.
    """
    bits = table_bits(len(texts))
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


def text_width(texts: list[str]) -> int:
    """The positions each text gets (a power of two above the longest)."""
    # a bigram's position is text × width + place in text; a power of two, so that it seldom
    # changes (when it does, every position does)
    return 1 << max(map(len, texts), default=0).bit_length()


def _grams_of(texts: list[str], text: int, memo: dict[int, set[int]]) -> set[int]:
    """The keys of every gram of a text (none for -1), as gram_texts finds them."""
    if text < 0:
        return set()
    if text not in memo:
        folded = fold(texts[text])
        keys = {ord(c) << _LOW for c in folded if c != "\n"}
        keys.update(key for key, _ in _bigrams(folded))
        memo[text] = keys
    return memo[text]


def _bigrams(folded: str) -> Iterator[tuple[int, int]]:
    """Every bigram of a folded text as (key, place in the text), as gram_texts finds them (none spans a line break)."""
    for place, (a, b) in enumerate(pairwise(folded)):
        if a != "\n" and b != "\n":
            yield (ord(a) << _LOW) | (ord(b) + 1), place


ONE_RUN = np.zeros(1, np.int64)


class TextDocs:
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


def gram_text(key: int) -> str:
    """The gram (one or two characters) a key stands for."""
    return chr(key >> _LOW) + (chr((key & _MASK) - 1) if key & _MASK else "")


def gram_texts(texts: list[str], width: int) -> tuple[np.ndarray, list[str | None], np.ndarray, np.ndarray]:
    """Every gram's key in order, its encoded positions (None for a character), and every (gram, text) pair sorted.

    Vectorised over all texts at once (about a million characters for a province): a loop per
    character or per gram would be most of an edit build.
    """
    # every array here has one number a character (1.5 million at county scale, 12 MB each in
    # int64): each is dropped as soon as it is used (tracemalloc peak 231 → 146 MiB at county scale)
    folded = [fold(t) for t in texts]
    lengths = np.fromiter(map(len, folded), np.int64, len(folded))
    codes = np.frombuffer("".join(folded).encode("utf-32-le", "surrogatepass"), np.uint32).astype(np.int64)
    del folded
    text_of = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    starts = np.zeros(len(lengths), np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    real = codes != 10   # a line break joins two 公开依据: no gram holds one

    # characters: every (character, text) pair, sorted (np.unique hashes: slower than a sort here)
    pairs = codes[real] << 32
    pairs |= text_of[real]
    pairs.sort()
    pairs = pairs[run_starts(pairs)]
    char_keys, char_texts = (pairs >> 32) << _LOW, pairs & 0xFFFFFFFF
    del pairs

    # bigrams: every occurrence by key, then position (a stable sort: positions already increase)
    follows = np.zeros(len(codes), bool)
    follows[:-1] = real[:-1] & real[1:]
    del real
    filled = lengths > 0
    follows[starts[filled] + lengths[filled] - 1] = False   # a text's last character starts no bigram
    first = np.flatnonzero(follows)
    del follows
    keys = codes[first] << _LOW
    keys |= codes[first + 1] + 1
    del codes
    # a bigram's position: its text × width + its place in the text
    owner = text_of[first]
    del text_of
    bigram_at = owner * width
    bigram_at += first
    bigram_at -= starts[owner]
    del owner, first
    order = np.argsort(keys, kind="stable")
    bigram_keys, bigram_at = keys[order], bigram_at[order]
    del keys, order
    bigram_runs = run_starts(bigram_keys)
    bigram_positions = encode_runs(bigram_at, bigram_runs)
    bigram_texts = bigram_at // width
    del bigram_at
    distinct = run_starts(bigram_keys, bigram_texts)

    # every gram in string order: a character sorts before the bigrams it starts
    all_keys = np.sort(np.concatenate((char_keys[run_starts(char_keys)], bigram_keys[bigram_runs])))
    pair_keys = np.concatenate((char_keys, bigram_keys[distinct]))
    pair_texts = np.concatenate((char_texts, bigram_texts[distinct]))
    order = np.argsort(pair_keys, kind="stable")   # by gram, then text (both parts were in text order)
    at_of = dict(zip(bigram_keys[bigram_runs].tolist(), bigram_positions))
    positions = [at_of.get(key) for key in all_keys.tolist()]
    return all_keys, positions, np.searchsorted(all_keys, pair_keys[order]), pair_texts[order]


_MASK = (1 << _LOW) - 1
BATCH = 1 << 18   # numbers merged and encoded at once: small enough to stay in the CPU's cache



def gram_docs(docs: TextDocs, gram_of: np.ndarray, text_of: np.ndarray, grams: int) -> tuple[list[str], list[int]]:
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


