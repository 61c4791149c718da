"""The dates of each catalog the scorecard shows: its submission date and its last change.

Read from the catalog itself, never from git: the `changes` record's dates (history/declared.py
reads the record) and the header's `effective`. A cached check holds compact catalogs without
their raw data, so the dates are kept in the cache by file content (a warm assess reads no file).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cache import Cache, digest
from .history.declared import record
from .loader import locate
from .model import Catalog
from .pipeline import fingerprint

SPACE = "assess"


@dataclass(frozen=True)
class Known:
    """A catalog's dates, each with the 1-based line it is written on (None when it has none).

    first: when it was submitted (its first change record's date, else `effective`);
    last: its last change (its last change record's date, else `effective`)."""

    first: tuple[str, int] | None
    last: tuple[str, int] | None


def read(catalog: Catalog) -> Known:
    """The dates written in a catalog (loads a compact catalog's data and positions)."""
    if catalog.is_compact:
        catalog.reload()
    dated = []
    for n, entry in enumerate(record(catalog.data)):
        value = entry.get("date")
        if isinstance(value, str) and len(value) == 10:
            dated.append((value, locate(catalog.positions, ("changes", n, "date"))[0] + 1))
    effective = None
    if catalog.effective:
        effective = (catalog.effective, locate(catalog.positions, ("effective",))[0] + 1)
    first = dated[0] if dated else effective
    last = max(dated) if dated else effective
    return Known(first, last)


class Dates:
    """Each catalog's Known dates, from the cache when the file's bytes are unchanged."""

    def __init__(self, digests: dict[str, str], cache_dir: str | None = None, use_cache: bool = True):
        self.digests = digests
        self.cache = Cache(Path(cache_dir) if cache_dir else None) if use_cache else None
        self.key = digest("dates", fingerprint())
        stored = self.cache.get(SPACE, self.key) if self.cache is not None else None
        self.stored: dict = stored if isinstance(stored, dict) else {}
        self.fresh: dict = {}

    def of(self, catalog: Catalog) -> Known:
        """catalog's dates."""
        key = (catalog.file, self.digests.get(catalog.file, ""))
        known = self.stored.get(key) or self.fresh.get(key)
        if known is None:
            known = self.fresh[key] = read(catalog)
        return known

    def save(self) -> None:
        """Store the dates of this run's files (only when some were read)."""
        if self.cache is not None and self.fresh:
            current = set(self.digests.items())
            kept = {k: v for k, v in {**self.stored, **self.fresh}.items() if k in current}
            self.cache.put(SPACE, self.key, kept)
