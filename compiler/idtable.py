"""The id → file table of the scope tables, kept in shards that load when one of their ids is asked for.

A province with its townships uses 700,000 item ids. Stored whole, the table cost 0.54 s to read
and 0.50 s to write on every re-check after adding a matter (27 MB, at full scale); an edit reads
the ids of the catalogs it touches and writes the shards that changed. The cache entries of the
shards are named by their content (runstate.py), so a shard no edit touched is never written again.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Callable

SHARDS = 1024


def shard_of(key: str) -> int:
    """The shard of an id: the ids of one catalog share a stem (340100-12-001, -002 …) and a shard."""
    # so an edit of one catalog reads and writes one or two shards instead of one per id
    stem = key.rpartition("-")[0] or key
    return zlib.crc32(stem.encode("utf-8", "surrogatepass")) % SHARDS


class Sharded(Mapping):
    """A str → str table in SHARDS dicts; a shard not yet loaded is fetched on first use."""

    def __init__(self, shards: list, fetch: Callable[[int], dict] | None = None, names: list | None = None):
        self.shards = shards                      # dict per shard, None where not yet fetched
        self.fetch = fetch                        # shard number -> dict (LookupError when it is gone)
        self.names = names or [None] * SHARDS     # each shard's stored name; None: not stored as it is

    @classmethod
    def of(cls, table: Mapping[str, str]) -> "Sharded":
        """The sharded copy of a plain table (nothing stored yet)."""
        shards: list[dict] = [{} for _ in range(SHARDS)]
        for key, value in table.items():
            shards[shard_of(key)][key] = value
        return cls(shards)

    def shard(self, number: int) -> dict:
        """One shard, fetched when first asked for."""
        found = self.shards[number]
        if found is None:
            if self.fetch is None:
                raise LookupError(number)
            found = self.shards[number] = self.fetch(number)
        return found

    def __getitem__(self, key: str) -> str:
        return self.shard(shard_of(key))[key]

    def get(self, key: str, default=None):
        return self.shard(shard_of(key)).get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.shard(shard_of(key))

    def __iter__(self) -> Iterator[str]:
        for number in range(SHARDS):
            yield from self.shard(number)

    def __len__(self) -> int:
        return sum(len(self.shard(number)) for number in range(SHARDS))

    def updated(self, removed: Iterable[str], added: Mapping[str, str]) -> "Sharded":
        """A copy with the removed ids dropped, then the added ones set; untouched shards are shared."""
        shards, names = list(self.shards), list(self.names)
        copied: set[int] = set()

        def writable(number: int) -> dict:
            if number not in copied:
                shards[number] = dict(self.shard(number))
                names[number] = None
                copied.add(number)
            return shards[number]

        for key in removed:
            writable(shard_of(key)).pop(key, None)
        for key, value in added.items():
            writable(shard_of(key))[key] = value
        return Sharded(shards, self.fetch, names)

    def __reduce__(self):
        # pickled whole (a test, a worker): every shard loaded, none tied to a cache
        return (Sharded, ([self.shard(n) for n in range(SHARDS)],))
