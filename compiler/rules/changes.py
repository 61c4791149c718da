"""Catalogs over time: the change record (`changes`) checked on its own, without git (issue 19,
Deliver 3), and a catalog's validity (Deliver 4, compiler/validity.py)."""
from __future__ import annotations

from ..diagnostics import make
from ..history.declared import shape
from ..model import Catalog, Project
from ..validity import catalog_status, day
from . import file_rule, project_rule


@file_rule("GK904", "GK905", "GK906")
def change_record(catalog: Catalog):
    """The changes record runs oldest first, each version once, reasons given, ids that exist or existed."""
    # a file of sections has one record, in its header: checked once (with its first section), over every section's items
    if catalog.section in (None, 0) and "changes" in catalog.data:
        yield from shape(catalog, catalog.whole.items if catalog.whole is not None else catalog.items)


@file_rule("GK908", "GK909")
def repeal_record(catalog: Catalog):
    """A repealed catalog was in force first (repealed after effective) and says why."""
    repealed = day(catalog.repealed)
    if repealed is None:
        return
    effective = day(catalog.effective)
    if effective is not None and repealed <= effective:
        yield make("GK908", catalog.file, catalog.mark("repealed"), ("repealed",), None,
                   repealed=repealed, effective=effective)
    if not (catalog.repeal_reason or "").strip():
        yield make("GK909", catalog.file, catalog.mark("repealed"), ("repealed",), None, repealed=repealed)


@project_rule("GK907", reach="catalog")
def in_force_on_run_date(project: Project):
    """A catalog not yet in force, expired or repealed on the run date is shown as such (warning)."""
    if not project.today:
        return
    for catalog in project.catalogs:
        state = catalog_status(catalog, project.today)
        if state.in_force:
            continue
        key = {"未生效": "effective", "已失效": "expires", "已废止": "repealed"}[state.status]
        yield make("GK907", catalog.file, catalog.mark(key), (key,), None, today=state.on, label=state.label,
                   label_en=state.label_en)


RULES = [change_record, repeal_record, in_force_on_run_date]
