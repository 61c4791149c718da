"""The catalog's change record (`changes`) checked on its own, without git (issue 19, Deliver 3)."""
from __future__ import annotations

from ..history.declared import shape
from ..model import Catalog
from . import file_rule


@file_rule("GK904", "GK905", "GK906")
def change_record(catalog: Catalog):
    """The changes record runs oldest first, each version once, reasons given, ids that exist or existed."""
    if "changes" in catalog.data:
        yield from shape(catalog)


RULES = [change_record]
