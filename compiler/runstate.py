"""The run state: what the last cached check saw and found, as named records the cache keeps.

The pipeline (compiler/pipeline.py) reads it at the start of a cached check to answer without
redoing what did not change, and saves it at the end; the scope tables (compiler/scope.py) are
saved beside it in an entry of their own.
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, replace
from typing import Callable, NamedTuple

from . import index, scope
from .diagnostics import Diagnostic
from .idtable import SHARDS, Sharded
from .registry import Registry


class Stat(NamedTuple):
    """A file as the last run found it on disk: what stat said, and its content's digest."""

    size: int
    mtime_ns: int
    ino: int
    ctime_ns: int
    digest: str

    @classmethod
    def of(cls, st: os.stat_result, content_digest: str) -> "Stat":
        """The record of a file stat'ed as st with this content digest."""
        return cls(st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns, content_digest)

    def same_file(self, st: os.stat_result) -> bool:
        """Whether st says the file was not touched since (size, times and inode all equal)."""
        return (self.size == st.st_size and self.mtime_ns == st.st_mtime_ns and self.ino == st.st_ino
                and self.ctime_ns == st.st_ctime_ns)


class Seen(NamedTuple):
    """What the last run found in one file."""

    digest: str                        # of the file's bytes
    semantic: str                      # semantic_digest: what project rules can see of it
    diagnostics: tuple[Diagnostic, ...]  # its file-local findings
    catalogs: int                      # 1 when it is a catalog, else 0
    items: int
    directives: tuple = ()             # its suppression comments (compiler/suppress.py)


class Scoped(NamedTuple):
    """The project findings of a run, and the tables (scope.Tables) to save with them (None: keep the saved ones)."""

    project: tuple[Diagnostic, ...]
    tables: scope.Tables | None


class TablesEntry(NamedTuple):
    """The "scope" cache entry: the tables, and the token that ties them to one saved RunState.

    The heads and each shard of the id table are entries of their own ("tables" space), named by
    their content and written only when they change (idtable.py); the entry holds their names."""

    token: str
    heads: str                 # the name of the heads' entry
    first: tuple[str, ...]     # the name of each id shard's entry
    later: dict
    links: dict
    dangling: dict
    suggest: dict
    irregular: frozenset = frozenset()


class Heads(dict):
    """The heads read from the cache, with the name of their entry (saved again only when they change)."""

    stored: str | None = None


SPACE = "tables"


def stored_tables(cache, token: str, tables: scope.Tables) -> TablesEntry | None:
    """The entry that saves tables, storing what changed of its heads and id shards (None: not stored)."""
    heads = getattr(tables.heads, "stored", None) or cache.put_named(SPACE, _packed(tables.heads))
    first = tables.first if isinstance(tables.first, Sharded) else Sharded.of(tables.first)
    names = [name or cache.put_named(SPACE, first.shard(n)) for n, name in enumerate(first.names)]
    if heads is None or None in names:
        return None
    return TablesEntry(token, heads, tuple(names), dict(tables.later), dict(tables.links), dict(tables.dangling),
                       dict(tables.suggest), frozenset(tables.irregular))


def _packed(heads: dict) -> tuple:
    """The heads as (names, rows of plain tuples), each distinct string once: the pickle keeps one
    copy of a region code, level or unit shared by many catalogs (3.5 MB -> 2.3 MB at full scale)."""
    pool: dict = {}

    def one(value):
        return pool.setdefault(value, value) if isinstance(value, str) else value

    return tuple(heads), tuple((tuple(map(one, head.header)), one(head.area_key)) for head in heads.values())


_new_head = functools.partial(tuple.__new__, scope.Head)


def loaded_tables(cache, entry: TablesEntry) -> scope.Tables | None:
    """The tables an entry saved (their id shards read when first used); None when the heads are gone."""
    stored = cache.get(SPACE, entry.heads)
    if not (isinstance(stored, tuple) and len(stored) == 2) or len(entry.first) != SHARDS:
        return None
    names, rows = stored
    heads = Heads(zip(names, map(_new_head, rows)))
    heads.stored = entry.heads

    def fetch(number: int) -> dict:
        shard = cache.get(SPACE, entry.first[number])
        if not isinstance(shard, dict):
            raise LookupError(number)   # pruned or corrupt: the caller runs everything
        return shard

    first = Sharded([None] * SHARDS, fetch, list(entry.first))
    return scope.Tables(heads, first, entry.later, entry.links, entry.dangling, entry.suggest, entry.irregular)


@dataclass
class RunState:
    """What the last cached run saw and found, to answer the next run without redoing it."""

    saved_ns: int
    stat: dict[str, Stat]
    files: dict[str, Seen]
    project: tuple        # project-rule diagnostics
    tables: str = ""      # token of the TablesEntry saved beside this state ("scope" entry)

    def __reduce__(self):
        # the records as plain rows, rebuilt by tuple.__new__ (C) rather than each record's own
        # Python-level __new__: 3,664 files pickle in 3.3 ms instead of 13 ms (in 3.6 ms instead
        # of 4.8 ms back), against 2.0 ms (2.3 ms) for plain tuples; the warm re-check is 0.2 s
        return (_restore_state, (self.saved_ns, tuple(self.stat), tuple(map(tuple, self.stat.values())),
                                 tuple(self.files), tuple(map(tuple, self.files.values())), self.project, self.tables))


_new_stat = functools.partial(tuple.__new__, Stat)
_new_seen = functools.partial(tuple.__new__, Seen)


def _restore_state(saved_ns: int, stat_names: tuple, stat_rows: tuple, file_names: tuple, file_rows: tuple,
                   project: tuple, tables: str) -> RunState:
    return RunState(saved_ns, dict(zip(stat_names, map(_new_stat, stat_rows))),
                    dict(zip(file_names, map(_new_seen, file_rows))), project, tables)


def cached_registry(cache, key: str, build: Callable[[], Registry | None]) -> Registry | None:
    """The registry stored under key, else build()'s (None: cannot be built), stored with its index
    tables for the next run. A scoped re-run at full scale reads it in about 0.06 s, where reading
    the registry files' results, building it and its tables took 0.24 s (session 33)."""
    found = cache.get(REGISTRY, key)
    if isinstance(found, Registry):
        return found
    registry = build()
    if registry is not None:
        index.registry_lookups(registry)
        cache.put(REGISTRY, key, replace(registry, resolver=None))   # the citation cache stays out
    return registry


REGISTRY = "registry"
