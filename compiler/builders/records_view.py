"""What a catalog page shows over time and of its bases, for its partials (validity.html,
changes.html, basis.html): the validity on the run date, the change record newest first, each
citation linked to its document page and, once ended, its successor. Read from the files only."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import fields
from ..rules.bases import current, ended_on
from ..validity import catalog_status
from .common import Page, Site

TYPES = ("增加", "取消", "变更")


def document_path(doc_id: str) -> str:
    """Where a document's page lives, from the site root."""
    return f"documents/{doc_id}.html"


def _title(key: str) -> str:
    field = fields.ITEM_BY_KEY.get(key) or fields.CATALOG_BY_KEY.get(key)
    return field.title if field else key


def _shown(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def _entry_filter(catalog):
    """Which entries of the record a catalog shows: a section of a file (whose one record is in the
    file's header) those of its own items, and the first section those of no section (cancelled)."""
    whole = catalog.whole
    if whole is None:
        return lambda item_id: True
    own = {item.id for item in catalog.items if item.id}
    elsewhere = {item.id for item in whole.items if item.id} - own
    first = catalog.section == 0
    return lambda item_id: item_id in own or (first and item_id not in elsewhere)


def change_record(page: Page) -> list[dict]:
    """The catalog's declared changes, newest first: version, date, basis and entries (type, id,
    the item's title where it still exists, reason, and each field with its old and new value where recorded)."""
    record = page.catalog.data.get("changes")
    if not isinstance(record, list):
        return []
    titles = {item.id: item.title for item in page.catalog.items if item.id}
    mine = _entry_filter(page.catalog)
    out = []
    for change in record:
        if not isinstance(change, dict):
            continue
        entries = []
        for entry in change.get("entries") or ():
            if not isinstance(entry, dict) or not mine(str(entry.get("id") or "")):
                continue
            values = {v.get("field"): v for v in entry.get("values") or () if isinstance(v, dict)}
            names = [str(f) for f in entry.get("fields") or ()] or [str(k) for k in values if k]
            shown = [{"field": name, "title": _title(name),
                      "old": _shown(values[name].get("old")) if name in values else None,
                      "new": _shown(values[name].get("new")) if name in values else None} for name in names]
            item_id = str(entry.get("id") or "")
            entries.append({"type": str(entry.get("type") or ""), "id": item_id, "was": str(entry.get("was") or ""),
                            "title": titles.get(item_id, ""), "reason": str(entry.get("reason") or ""),
                            "basis": str(entry.get("basis") or ""), "fields": shown})
        if entries or not change.get("entries"):
            out.append({"version": str(change.get("version") or ""), "date": str(change.get("date") or ""),
                        "basis": str(change.get("basis") or ""), "entries": entries})
    out.sort(key=lambda c: c["date"], reverse=True)   # newest first; the file keeps them oldest first
    return out


@dataclass(frozen=True, slots=True)
class Reference:
    """One citation of a basis as the catalog page shows it: its document, and whether it has ended."""

    text: str
    href: str | None          # the document's page, from the site root
    status: str               # the library's status ("" when unresolved)
    ended: str | None         # the date it stopped being in force by the run date ("" when undated)
    successor: str | None     # the text in force, as cited (《title》(文号))
    successor_href: str | None


def references(project, text: str, today: str) -> list[Reference]:
    """The citations of one basis string resolved against the library, judged on today."""
    out = []
    for r in project.bases_of(text):
        doc = r.document
        if doc is None:
            out.append(Reference(r.citation.text, None, "", None, None, None))
            continue
        ended = ended_on(doc, today or "9999-12-31")
        now = current(project, doc)
        changed = now is not doc
        out.append(Reference(r.citation.text, document_path(doc.id), doc.status,
                             ended if ended is None else (ended if ended[:1].isdigit() else ""),
                             now.cited() if changed else None, document_path(now.id) if changed else None))
    return out


def template_globals(project, site: Site) -> dict:
    """The functions the catalog page's partials call (validity.html, changes.html, basis.html)."""
    today = project.today
    return {"catalog_validity": lambda catalog: catalog_status(catalog, today),
            "catalog_changes": lambda page: change_record(page),
            "basis_refs": lambda text: references(project, text, today)}


def basis_cell(env, shared: bool):
    """basis_cell(item, root): the 公开依据 cell of a matter, partials/basis.html rendered with item and
    root; when shared (the packaged partial, which reads only item.basis), once per distinct basis.

    Matters cite the same laws over and over (3,701 distinct bases for 69,633 matters in the tenth
    tree): rendering each once, with auto_reload off (theme.py), took 5.3% off the user CPU of a
    tenth-scale cold build (`-j 1`, farm-bench A/B, medians of 4)."""
    template = env.get_template("partials/basis.html")
    done: dict[tuple, Markup] = {}

    def cell(item, root: str) -> Markup:
        if not shared:
            return Markup(template.render(item=item, root=root))
        key = (root, item.basis)
        html = done.get(key)
        if html is None:
            html = done[key] = Markup(template.render(item=item, root=root))
        return html
    return cell
