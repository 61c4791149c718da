"""The metadata block of a published catalog, as on top of every document a portal publishes (seed 002).

索引号, 发布机构, 成文日期, 发布日期, 有效性, 生效时间, 废止时间: the portal page, the JSON data and
the workbook's title area show the same block, made here.

索引号 is `<organisation code>/<year>-<serial>`: the compiling unit's organisation code
(统一社会信用代码) from the registry's units (`code`, when the registry gives one; the part is left
out when it does not), the year of 生效时间, and the catalog's number among that unit's catalogs
of that year in publication order (site order: level, region, area). Only model fields decide it,
so every page's number is known when the build plans, and it never changes when another file's
wording does.
"""
from __future__ import annotations

from typing import NamedTuple

from .. import fields, validity
from .common import Site


class Entry(NamedTuple):
    """One line of the block: its Chinese label, its JSON key, its value ('' when not given)."""

    label: str
    key: str
    value: str


def _title(key: str) -> str:
    return fields.CATALOG_BY_KEY[key].title


def organisation_code(site: Site, unit: str | None, region: str | None = None) -> str:
    """The registry's organisation code of a unit named by its full name, an alias or a former
    name ('' when the registry has none: the 索引号 is then year-serial alone)."""
    entry = site.registry.unit(unit, region)
    return entry.code if entry is not None else ""


def index_numbers(site: Site) -> list[str]:
    """索引号 of every page of site.pages ('' for a catalog without 生效时间), computed once per site."""
    if site.numbers is not None:
        return site.numbers
    counts: dict[tuple[str, str], int] = {}
    out = []
    for page in site.pages:
        catalog = page.catalog
        year = (catalog.effective or "")[:4]
        if not year.isdigit():
            out.append("")
            continue
        serial = counts[(catalog.department or "", year)] = counts.get((catalog.department or "", year), 0) + 1
        code = organisation_code(site, catalog.department, catalog.region)
        out.append(f"{code + '/' if code else ''}{year}-{serial:05d}")
    site.numbers = out
    return out


def block(header: dict, department: str | None, index_number: str, today: str) -> list[Entry]:
    """The block of a catalog from its header mapping (raw data), its 编制单位, 索引号 and the run date."""
    state = validity.catalog_status(header, today or validity.run_date())
    return [
        Entry("索引号", "index_number", index_number),
        Entry(_title("publisher"), "publisher", str(header.get("publisher") or department or "")),
        Entry(_title("written"), "written", validity.day(header.get("written")) or ""),
        Entry(_title("published"), "published", validity.day(header.get("published")) or ""),
        Entry("有效性", "validity", state.status),
        Entry(_title("effective"), "effective", state.effective or ""),
        Entry(_title("expires"), "expires", state.expires or "暂无"),
    ]


def as_json(entries: list[Entry]) -> dict:
    """The block as gkml's JSON data carries it (key -> value, None for what is not given)."""
    return {e.key: (e.value or None) if e.value != "暂无" else None for e in entries}


def as_line(entries: list[Entry]) -> str:
    """The block on one line (the workbook's title area): label:value pairs that have a value."""
    return "  ".join(f"{e.label}:{e.value}" for e in entries if e.value)


def workbook_line(header: dict, index_number: str, today: str) -> str:
    """What the workbook's title area adds to its 编制单位/版本 line: 索引号, 有效性 and the dates the catalog gives."""
    entries = block(header, None, index_number, today)
    given = {"index_number", "validity"} | {key for key in ("publisher", "written", "published", "expires")
                                            if header.get(key)}
    return as_line([e for e in entries if e.key in given])
