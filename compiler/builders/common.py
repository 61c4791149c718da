"""What every builder shares: the set of catalogs in a stable order, their names, paths and links.

Built once from a check result (pure, no I/O), then read by the HTML, Excel, JSON and search
builders, so that a page, a workbook and a data file always agree on order and names.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import PurePosixPath

from .. import validity, vocabulary
from ..model import Catalog, Item
from ..registry import Registry
from ..vocabulary import LEVEL_NAMES, LEVEL_ORDER

DATA_FORMAT_VERSION = 1  # bump when the JSON data layout changes incompatibly (docs/data.md)


def source_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as an int, or None when it is not set (reproducible-builds.org)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(epoch) if epoch.isdigit() else None


def build_moment() -> datetime:
    """The moment written into file metadata: SOURCE_DATE_EPOCH, or a fixed epoch so builds repeat."""
    epoch = source_epoch()
    return datetime.fromtimestamp(epoch if epoch is not None else 315532800, timezone.utc)  # 1980-01-01


def text_of(value: object) -> str:
    """A scalar as text ('' for None), numbers without surprises."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def channel_marks(item: Item) -> list[tuple[str, str]]:
    """(mark, channel) pairs in template order: ■ for channels, □ for optional_channels."""
    return list(marks_of(item.channels, item.optional_channels))


@lru_cache(maxsize=4096)
def marks_of(channels: tuple[str, ...], optional: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """channel_marks of a matter with these channels and optional channels (cached)."""
    # a province has 200,000 matters but a few hundred channel combinations: sort each once
    order = vocabulary.get("channel").order
    pairs = [("■", c) for c in channels] + [("□", c) for c in optional]
    return tuple(sorted(pairs, key=lambda p: (order(p[1]), p[0] != "■")))


def level_columns(catalogs: list[Catalog]) -> list[str]:
    """公开层级 sub-columns: the levels the items use, in vocabulary order (the catalog's own level if none)."""
    canonical = vocabulary.get("level").canonical
    used = {lv for c in catalogs for i in c.items for lv in i.levels}
    if not used:
        used = {LEVEL_NAMES.get(c.level or "", "") for c in catalogs} - {""} or {"县级"}
    return [lv for lv in canonical if lv in used] + sorted(used - set(canonical))


def catalog_blocks(catalog: Catalog) -> list[tuple[int, int]]:
    """(first, last) item indexes of each block of consecutive items sharing one 一级事项."""
    blocks: list[tuple[int, int]] = []
    for n, item in enumerate(catalog.items):
        if blocks and catalog.items[blocks[-1][0]].matter == item.matter:
            blocks[-1] = (blocks[-1][0], n)
        else:
            blocks.append((n, n))
    return blocks


def _slug(text: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return slug or "catalog"


@dataclass(slots=True)
class Page:
    """One catalog as published: its catalog, names, and where its page and data file live."""

    catalog: Catalog
    region_name: str
    region_level: str          # province | city | county | township
    area_name: str             # canonical area name (or as written when unknown)
    area_slug: str
    slug: str                  # unique within the region: file stem of the catalog
    third: bool = False        # any item has a 三级事项

    @property
    def code(self) -> str:
        return self.catalog.region or "unknown"

    @property
    def html_path(self) -> str:
        return f"catalogs/{self.code}/{self.slug}.html"

    @property
    def data_path(self) -> str:
        return f"{self.code}/{self.slug}.json"

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.catalog.level or self.region_level, self.catalog.level or "")

    @property
    def title(self) -> str:
        return f"{self.region_name}{self.area_name}领域政务公开事项目录"


@dataclass(slots=True)
class RegionView:
    """A region with its catalogs (sorted by area order, then department)."""

    code: str
    name: str
    level: str
    parent: str | None
    pages: list[Page] = field(default_factory=list)

    @property
    def html_path(self) -> str:
        return f"regions/{self.code}.html"

    @property
    def items(self) -> int:
        return sum(len(p.catalog.items) for p in self.pages)

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, self.level)


@dataclass(slots=True)
class Site:
    """Everything the builders read, in publication order."""

    registry: Registry
    regions: list[RegionView]
    pages: list[Page]
    areas: list[tuple[str, str]]                     # (name, slug) in registry order, then unknown areas
    item_page: dict[str, Page] = field(default_factory=dict)      # item id -> page
    items_by_id: dict[str, Item] = field(default_factory=dict)
    lower: dict[str, list[Item]] = field(default_factory=dict)    # upper id -> items implementing it

    by_code: dict[str, RegionView] = field(default_factory=dict)
    numbers: list[str] | None = None   # 索引号 of each page (metadata.index_numbers): the pages, workbooks and JSON show them

    def region(self, code: str | None) -> RegionView | None:
        """The region view with this code (None when it has no catalog)."""
        if not self.by_code:
            self.by_code = {r.code: r for r in self.regions}
        return self.by_code.get(code or "")

    @property
    def total_items(self) -> int:
        return sum(len(p.catalog.items) for p in self.pages)


def gather(catalogs: list[Catalog], registry: Registry, today: str = "") -> Site:
    """The publication model of a validated project (pure); today, the run date, picks the page an
    item id links to when several catalogs hold it (the one in force: a successor, not its superseded copy)."""
    area_rank = {a.name: i for i, a in enumerate(registry.areas.values())}
    areas: list[tuple[str, str]] = [(a.name, a.slug or _slug(a.name)) for a in registry.areas.values()]
    known_areas = {name for name, _ in areas}
    regions: dict[str, RegionView] = {}
    pages: list[Page] = []
    used_slugs: set[tuple[str, str]] = set()
    for catalog in sorted(catalogs, key=lambda c: c.file):
        area = registry.area(catalog.area)
        area_name = area.name if area else (catalog.area or "未分类")
        area_slug = (area.slug if area and area.slug else _slug(area_name))
        if area_name not in known_areas:
            known_areas.add(area_name)
            areas.append((area_name, area_slug))
        code = catalog.region or "unknown"
        reg = registry.regions.get(code)
        view = regions.get(code)
        if view is None:
            view = regions[code] = RegionView(code, reg.name if reg else code,
                                              (reg.level if reg else catalog.level) or "", reg.parent if reg else None)
        # the file stem names the page (files are usually named after the area slug); keep it unique
        stem = _slug(PurePosixPath(catalog.file).stem)
        if catalog.section is not None:   # a file of sections: one page per area (docs/format.md)
            stem = f"{stem}-{area_slug}"
        slug, n = stem, 1
        while (code, slug) in used_slugs:
            n += 1
            slug = f"{stem}-{n}"
        used_slugs.add((code, slug))
        page = Page(catalog, view.name, view.level, area_name, area_slug, slug,
                    third=any(i.third_matter for i in catalog.items))
        view.pages.append(page)
        pages.append(page)
    for view in regions.values():
        view.pages.sort(key=lambda p: (area_rank.get(p.area_name, len(area_rank)), p.area_name,
                                       p.catalog.department or "", p.slug))
    ordered = sorted(regions.values(), key=lambda r: (LEVEL_ORDER.get(r.level, 9), r.code))
    pages = [p for r in ordered for p in r.pages]
    site = Site(registry, ordered, pages, areas)
    # an id's page: the first in site order, unless it is not in force on the run date and a later
    # one is (an expired catalog kept beside its successor shares its ids: link the current one)
    current = {id(p): validity.in_force(p.catalog, today) for p in pages}
    for page in pages:
        for item in page.catalog.items:
            if item.id and (item.id not in site.item_page
                            or (current[id(page)] and not current[id(site.item_page[item.id])])):
                site.item_page[item.id] = page
                site.items_by_id[item.id] = item
    for page in pages:
        for item in page.catalog.items:
            if item.implements:
                site.lower.setdefault(item.implements, []).append(item)
    return site
