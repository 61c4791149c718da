"""The dates a catalog carries for the scorecard: its submission and its last change, with their lines.

Read from the catalog itself, never from git: the `changes` record's dates (history/declared.py
reads the record) and the header's `effective`. The per-file stage reads them while the file's
data and positions are at hand (pipeline.check_bytes), so a cached check carries them and
`gkml assess` reads no file again (at full scale that re-read was 100 s and 4 GB).
"""
from __future__ import annotations

from dataclasses import dataclass

from .history.declared import record
from .loader import locate
from .model import Catalog


@dataclass(frozen=True)
class Known:
    """A catalog's dates, each with the 1-based line it is written on (None when it has none).

    first: when it was submitted (its first change record's date, else `effective`);
    last: its last change (its last change record's date, else `effective`)."""

    first: tuple[str, int] | None
    last: tuple[str, int] | None


def read(catalog: Catalog) -> Known:
    """The dates written in a catalog (a compact catalog's data is loaded, then dropped again)."""
    compact = catalog.is_compact
    if compact:
        catalog.reload()
    dated = []
    for n, entry in enumerate(record(catalog.data)):
        value = entry.get("date")
        if isinstance(value, str) and len(value) == 10:
            dated.append((value, locate(catalog.positions, ("changes", n, "date"))[0] + 1))
    effective = None
    if catalog.effective:
        effective = (catalog.effective, locate(catalog.positions, ("effective",))[0] + 1)
    if compact:
        catalog.compact()
    first = dated[0] if dated else effective
    last = max(dated) if dated else effective
    return Known(first, last)
