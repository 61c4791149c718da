"""The dates of each catalog the scorecard shows: its submission date and its last change (dated.py).

The check reads them with each file (FileResult.dates), so a cached check answers without
reading a file; a catalog without them (a result made elsewhere) is read here.
"""
from __future__ import annotations

from typing import Mapping

from .dated import Known, read
from .model import Catalog


class Dates:
    """Each catalog's Known dates, from its file's check result where it has them."""

    def __init__(self, known: Mapping[str, Known | None]):
        self.known = dict(known)

    def of(self, catalog: Catalog) -> Known:
        """catalog's dates (one per file: the sections of a file share its record)."""
        found = self.known.get(catalog.file)
        if found is None:
            found = self.known[catalog.file] = read(catalog)
        return found
