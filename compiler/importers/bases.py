"""Imported bases resolved against the document library: the unknown and the ended, for the review.

The same resolution as `gkml validate` (compiler/citations.py, cached per string) and the same
grouping key as `gkml basis --unknown` (the normalised title), so the review names a basis the
way the later checks and the library do. Pure: the registry is already loaded.
"""
from __future__ import annotations

from ..citations import title_key
from ..index import closest, did_you_mean
from ..registry import Registry
from ..rules.bases import ended_args, ended_on, latest
from .assemble import ImportedCatalog
from .notes import Note, note

UNKNOWN, ENDED = "GK830", "GK831"


def basis_notes(file: str, catalog: ImportedCatalog, registry: Registry, today: str) -> list[Note]:
    """A GK830 note for each basis citation the library does not know, a GK831 for each one it
    records as repealed or expired on the catalog's effective date or the import date."""
    library = registry.library()
    if not library.documents:
        return []   # a project without a library is not checked against one (as GK715)
    data = catalog.data
    effective = data.get("effective") if isinstance(data.get("effective"), str) else None
    on = max(effective or today, today)
    found: list[Note] = []
    for item in data.get("items") or []:
        basis = item.get("basis")
        if not isinstance(basis, list):
            continue
        source = item.get("source") or {}
        place = _place(source)
        for text in basis:
            if not isinstance(text, str):
                continue
            for r in library.resolve(text):
                found.extend(_note(r, library, on, file, place, item.get("id")))
    return [Note(n.code, n.file, n.place, n.args, n.item, catalog.name) for n in found]


def _note(r, library, on: str, file: str, place: str, item: str | None) -> list[Note]:
    """The review note of one resolution, if it is unknown or ended."""
    if r.unknown:
        wanted = r.citation.title or r.citation.id
        return [note(UNKNOWN, file, place, item, value=r.citation.text, title=title_key(wanted or r.citation.text),
                     closest=closest(wanted, library.titles), **did_you_mean(wanted, library.titles))]
    doc = r.document
    date = ended_on(doc, on) if doc is not None else None
    if date is None:
        return []
    return [note(ENDED, file, place, item, value=r.citation.text, **ended_args(doc, date, latest(library.documents, doc)))]


def _place(source: dict) -> str:
    """Sheet!cell of an item's 公开依据 cell (its row's first cell when the basis has none)."""
    sheet = source.get("sheet") or (f"表{source['table']}" if "table" in source else "")
    cells = source.get("cells") or {}
    ref = cells.get("basis") or (f"A{source['row']}" if source.get("row") else "")
    ref = str(ref).split(",")[0]
    return f"{sheet}!{ref}" if sheet and ref else ref
