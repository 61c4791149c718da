"""Indexes over a project, built once and shared by every cross-catalog rule.

A province is ~200,000 matters in ~4,500 files: rules must never compare items pairwise, so they
look things up here (items by id, catalogs by region and area, regions by parent, units by name
and function). Building is O(items + registry); every lookup is a dict access.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from . import vocabulary
from .model import Catalog, Item, Project
from .normalize import expanded_unit_name, unit_name
from .registry import Area, Record, Region, Registry, Rename, Unit
from .validity import in_force

LEVELS = vocabulary.LEVELS

# National-template placeholders: 县级农业农村部门, 镇级人民政府, 乡镇人民政府(街道办事处), 相关审批部门.
_PLACEHOLDER = re.compile(
    r"^(省|市|县|区|乡|镇|乡镇|街道|县区|市县|县市区|各级|本级|同级)级?"
    r"(人民)?.{0,12}(部门|政府|机关|单位|机构|办事处)(\(.*\))?$"
    r"|^(相关|有关|各|其他)(审批|主管|职能|责任|业务|行业)?.{0,10}(部门|单位|机关|机构)$")


def is_placeholder_name(name: str) -> bool:
    """Whether a unit name is a template placeholder rather than a real unit (县级农业农村部门)."""
    plain = name.strip().replace("（", "(").replace("）", ")")
    return bool(_PLACEHOLDER.match(plain))


GOVERNMENT_STEM = "人民政府"
GOVERNMENT_ENDINGS = ("人民政府", "办事处")   # 砀城镇人民政府, 某某街道办事处


@dataclass(frozen=True, slots=True)
class UnitMatch(Record):
    """How a written unit name resolved: the unit, and the rename it went through (if a former name)."""

    unit: Unit
    rename: Rename | None = None
    how: int = 0  # 0 full name, 1 alias, 2 former name: a full name beats another unit's alias


@dataclass
class Index:
    """Lookups over one project; see the module docstring."""

    project: Project
    registry: Registry
    items_by_id: dict[str, Item] = field(default_factory=dict)            # first item with the id
    catalogs_by_region: dict[str, list[Catalog]] = field(default_factory=dict)
    catalogs_by_cell: dict[tuple[str, str], list[Catalog]] = field(default_factory=dict)  # (region, area) → catalogs
    items_by_region: dict[str, list[Item]] = field(default_factory=dict)
    children: dict[str, list[Region]] = field(default_factory=dict)       # parent code → regions
    units_by_region: dict[str, list[Unit]] = field(default_factory=dict)
    _names: UnitNames | None = None
    _chains: dict[int, tuple[str, ...]] = field(default_factory=dict)
    cache: dict[str, object] = field(default_factory=dict)  # derived data a rule family shares
    out_of_force: list[Catalog] = field(default_factory=list)  # not in force on the run date: in no lookup above
    _scope: dict[str, bool] = field(default_factory=dict)
    _ancestors: dict[str, list[str]] = field(default_factory=dict)
    _uppers: dict[tuple[str, str | None], str | None] = field(default_factory=dict)
    _area_keys: dict[str | None, str] = field(default_factory=dict)   # written area -> area_key
    _resolved: dict[tuple[str, str | None], UnitMatch | None] = field(default_factory=dict)
    _placeholders: dict[tuple[str, str | None], bool] = field(default_factory=dict)

    # --- regions ----------------------------------------------------------------------------
    def region(self, code: str | None) -> Region | None:
        return self.registry.regions.get(code or "")

    def region_name(self, code: str | None) -> str:
        region = self.region(code)
        return region.name if region else (code or "?")

    def level_of(self, code: str | None) -> str | None:
        """The registry's level of a region (None when unregistered)."""
        region = self.region(code)
        return region.level if region and region.level in LEVELS else None

    def ancestors(self, code: str | None) -> list[str]:
        """Registered ancestors of a region, nearest first (cycles in a broken registry are cut)."""
        cached = self._ancestors.get(code or "")
        if cached is None:
            cached = self._ancestors[code or ""] = self.registry.ancestors(code)
        return cached

    def upper_region(self, code: str | None, area: str | None = None) -> str | None:
        """The region whose items this region implements: its nearest ancestor with a catalog of
        the area, or required to have one (a missing catalog is GK401's finding, not a reason to
        skip a tier); any catalog when area is None.

        The registry's parent already skips a missing tier (a city without counties parents its
        townships); an ancestor that neither has nor needs the area is skipped as well, so an
        area kept only at province and county level chains county → province."""
        key = (code or "", area)
        if key in self._uppers:
            return self._uppers[key]
        found = None
        for ancestor in self.ancestors(code):
            if area is None:
                if ancestor in self.catalogs_by_region:
                    found = ancestor
                    break
            elif (ancestor, area) in self.catalogs_by_cell or self.missing(ancestor, area):
                found = ancestor
                break
        self._uppers[key] = found
        return found

    def missing(self, code: str, area: str) -> bool:
        """Whether a checked region lacks a catalog the registry requires of it (GK401)."""
        if (code, area) in self.catalogs_by_cell:
            return False
        region = self.region(code)
        return (region is not None and self.in_scope(code)
                and any(a.name == area for a in self.required_areas(region)))

    def in_scope(self, code: str) -> bool:
        """Whether coverage is checked for a region: it has catalogs in the set, or both its
        parent and a sibling of the same level have. So checking one county's folder, or only
        the province's, does not report every other region as missing, while a county absent
        from a full set is still found."""
        cached = self._scope.get(code)
        if cached is not None:
            return cached
        region = self.region(code)
        found = code in self.catalogs_by_region or (
            region is not None and region.parent in self.catalogs_by_region
            and any(s.code in self.catalogs_by_region and s.level == region.level
                    for s in self.children.get(region.parent or "", ())))
        self._scope[code] = found
        return found

    # --- areas ------------------------------------------------------------------------------
    def required_areas(self, region: Region) -> list[Area]:
        """Key areas a region must have a catalog for: those listed on the region itself (a
        development zone administers only some areas), else every area required at its level."""
        if region.areas:
            named = [self.registry.area(name) for name in region.areas]
            return [a for a in dict.fromkeys(named) if a is not None]
        return [a for a in self.registry.areas.values() if region.level in a.levels]

    def area_of(self, catalog: Catalog) -> Area | None:
        return self.registry.area(catalog.area)

    def area_key(self, catalog: Catalog) -> str:
        """The canonical area name of a catalog (its own text when unregistered)."""
        key = self._area_keys.get(catalog.area)
        if key is None:
            area = self.area_of(catalog)
            key = self._area_keys[catalog.area] = area.name if area else (catalog.area or "")
        return key

    # --- units ------------------------------------------------------------------------------
    def resolve_unit(self, name: str | None, region: str | None = None) -> UnitMatch | None:
        """The unit a written name means: full name, alias or former name; width, spacing and a
        trailing merged-bureau note such as (国资委) do not matter. region settles shared aliases
        (县教体局 in every county)."""
        if not name:
            return None
        memo_key = (name, region)
        if memo_key in self._resolved:
            return self._resolved[memo_key]
        found = self._resolve(name, region)
        self._resolved[memo_key] = found
        return found

    def _resolve(self, name: str, region: str | None) -> UnitMatch | None:
        if self._names is None:   # an index made without build()
            self._names = UnitNames(self.registry)
        names = self._names
        found = self._pick(names.written.get(name), region)
        if found is not None:
            return found
        bare = re.sub(r"[(（][^()（）]*[)）]$", "", name.strip())
        for written in dict.fromkeys((name, bare)):
            found = self._pick(names.plain().get(unit_name(written)), region) or self._pick(
                names.expanded().get(expanded_unit_name(written)), region)
            if found is not None:
                return found
        return None

    @staticmethod
    def _pick(candidates: list[UnitMatch] | None, region: str | None) -> UnitMatch | None:
        if not candidates:
            return None
        if region is not None:
            for match in candidates:
                if match.unit.region == region:
                    return match
        return candidates[0]

    def is_placeholder(self, name: str, region: str | None) -> bool:
        """Whether a written unit name is a template placeholder (by pattern, or registered so)."""
        key = (name, region)
        found = self._placeholders.get(key)
        if found is None:
            match = self.resolve_unit(name, region) if not is_placeholder_name(name) else None
            found = is_placeholder_name(name) or (match is not None and match.unit.placeholder)
            self._placeholders[key] = found
        return found

    def counterparts(self, unit: Unit | None, region: str, stems: tuple[str, ...] = ()) -> list[Unit]:
        """Units of region sharing a function (stem) with unit: 省教育厅 → 县教育体育局. Best first."""
        wanted = set(unit.stems if unit else ()) | set(stems)
        if not wanted:
            return []
        scored = [(len(wanted & set(u.stems)), n, u) for n, u in enumerate(self.units_by_region.get(region, ()))
                  if wanted & set(u.stems)]
        scored.sort(key=lambda t: (-t[0], t[1]))
        return [u for _, _, u in scored]

    def units_with_stem(self, region: str, stem: str) -> list[Unit]:
        return [u for u in self.units_by_region.get(region, ()) if stem in u.stems]

    def governments(self, region: str) -> list[Unit]:
        """A region's registered government (镇人民政府, 乡人民政府, 街道办事处): stem 人民政府 or the name says so."""
        return [u for u in self.units_by_region.get(region, ())
                if GOVERNMENT_STEM in u.stems or u.name.endswith(GOVERNMENT_ENDINGS)]

    def lead_units(self, region: str, stem: str) -> list[Unit]:
        """The units that lead an area in a region: those of the lead function; in a township
        without an office of it, the township's government (DOMAIN §8: a township publishes as
        the government itself or through its offices)."""
        found = self.units_with_stem(region, stem)
        if not found and self.level_of(region) == "township":
            found = self.governments(region)
        return found

    def unit_names_of(self, region: str | None) -> list[str]:
        """Every registered name and alias of a region's units (for did-you-mean)."""
        units = self.units_by_region.get(region or "", ()) if region else self.registry.units.values()
        return [n for u in units for n in (u.name, *u.aliases)]

    # --- vertical chains ------------------------------------------------------------------------
    def chain(self, item: Item) -> tuple[str, ...]:
        """Ids of the upper items an item implements, directly or through its upper item."""
        key = id(item)
        cached = self._chains.get(key)
        if cached is not None:
            return cached
        self._chains[key] = ()  # a cycle in broken data ends here
        result: tuple[str, ...] = ()
        if item.implements and item.implements != item.id:
            upper = self.items_by_id.get(item.implements)
            result = (item.implements,) + (self.chain(upper) if upper is not None else ())
        self._chains[key] = result
        return result


def build(project: Project) -> Index:
    """Build every index of a project in one pass over its items and registry."""
    index = Index(project, project.registry)
    # 25,000 catalogs carry a few hundred validity headers and 30 area names; a scoped re-run indexes
    # every catalog's header (scope.shell): asked once per distinct value, the index of the line's
    # project builds in 0.03 s instead of 0.14 s at full scale, the registry's tables aside (session 31)
    counts: dict[tuple, bool] = {}
    for catalog in project.catalogs:
        dates = (catalog.effective, catalog.expires, catalog.repealed)
        counted = counts.get(dates)
        if counted is None:
            counted = counts[dates] = in_force(catalog, project.today)
        if not counted:
            index.out_of_force.append(catalog)   # published, marked, never counted (validity.py)
            continue
        region = catalog.region or ""
        index.catalogs_by_region.setdefault(region, []).append(catalog)
        index.catalogs_by_cell.setdefault((region, index.area_key(catalog)), []).append(catalog)
        bucket = index.items_by_region.setdefault(region, [])
        for item in catalog.items:
            bucket.append(item)
            if item.id is not None:
                index.items_by_id.setdefault(item.id, item)
    # the registry's tables are the same for every project of a run: a scoped re-run indexes three
    # or four small projects, and 12,000 units' names cost 0.09 s per index at full scale
    index.children, index.units_by_region, index._names = registry_lookups(project.registry)
    return index


def registry_lookups(registry: Registry) -> tuple:
    """(children, units_by_region, unit names) of a registry: built on first use, kept with it, read-only."""
    if registry.lookups is None:
        registry.lookups = _lookups(registry)
    return registry.lookups


def _lookups(registry: Registry) -> tuple:
    children: dict[str, list[Region]] = {}
    units_by_region: dict[str, list[Unit]] = {}
    for region in sorted(registry.regions.values(), key=lambda r: r.code):
        if region.parent:
            children.setdefault(region.parent, []).append(region)
    for unit in registry.units.values():
        units_by_region.setdefault(unit.region, []).append(unit)
    return children, units_by_region, UnitNames(registry)


class UnitNames:
    """The registry's unit names: as written, and (built on first use) normalised and with short
    forms written out. Each name's candidates rank a full name before an alias before a former name.

    A scoped re-run resolves a few hundred names, nearly all as written: the two derived tables,
    0.06 of the 0.14 s the tables took at full scale, are then never built (session 31)."""

    def __init__(self, registry: Registry):
        self.matches: list[tuple[str, UnitMatch]] = [
            (name, UnitMatch(unit, rename, how)) for unit in registry.units.values()
            for name, rename, how in ((unit.name, None, 0), *((a, None, 1) for a in unit.aliases),
                                      *((r.name, r, 2) for r in unit.renamed_from))]
        self.written = self._table(lambda name: name)
        self._plain: dict[str, list[UnitMatch]] | None = None
        self._expanded: dict[str, list[UnitMatch]] | None = None

    def plain(self) -> dict[str, list[UnitMatch]]:
        """Normalised name (normalize.unit_name) -> candidates."""
        if self._plain is None:
            self._plain = self._table(unit_name)
        return self._plain

    def expanded(self) -> dict[str, list[UnitMatch]]:
        """Name with its short forms written out (normalize.expanded_unit_name) -> candidates."""
        if self._expanded is None:
            self._expanded = self._table(expanded_unit_name)
        return self._expanded

    def _table(self, key) -> dict[str, list[UnitMatch]]:
        table: dict[str, list[UnitMatch]] = {}
        for name, match in self.matches:
            table.setdefault(key(name), []).append(match)
        for candidates in table.values():
            candidates.sort(key=lambda m: m.how)  # stable: registry order within a rank
        return table


class Indexed(NamedTuple):
    """An index kept with its project (Project.indexed), and the project's shape when it was built."""

    shape: tuple[int, int, int]  # catalogs, items, id of the registry
    index: Index


def of(project: Project) -> Index:
    """The index of project, built on first use and kept with it for every rule of the run
    (rebuilt if catalogs or items were added or removed since)."""
    shape = (len(project.catalogs), sum(len(c.items) for c in project.catalogs), id(project.registry))
    if project.indexed is not None and project.indexed.shape == shape:
        return project.indexed.index
    index = build(project)
    project.indexed = Indexed(shape, index)
    return index


VILLAGE = "村级"   # villages keep no catalogs: their township answers for what is disclosed there


def level_rank(name: str) -> int | None:
    """The depth of a written level (省级 0 … 乡级 3; 村级 4, below the township); None when unknown."""
    level = vocabulary.LEVEL_OF_NAME.get(name)
    if level is not None:
        return LEVELS.index(level)
    return len(LEVELS) if name == VILLAGE else None


def obliged_level(name: str) -> str | None:
    """The level whose catalogs must implement an item ticked with this written level: its own, and
    for 村级 the township (docs/format.md, 村级 in a township's catalog)."""
    return vocabulary.LEVEL_OF_NAME.get(name) or ("township" if name == VILLAGE else None)


def level_name(level: str | None, lang: str = "zh") -> str:
    """省级/市级/县级/乡级 (or province/city/… in English)."""
    if lang == "en":
        return level or "?"
    return vocabulary.LEVEL_NAMES.get(level or "", level or "?")


def closest(value: str | None, choices) -> str:
    """The choice closest to value ("" when none is close, or value is one)."""
    from .schema import suggest
    found = suggest(value or "", sorted(set(choices)))
    return "" if not found or found == value else found


def did_you_mean(value: str | None, choices) -> dict[str, str]:
    """Message arguments suggestion/suggestion_en naming the closest choice (empty when none)."""
    found = closest(value, choices)
    if not found:
        return {"suggestion": "", "suggestion_en": ""}
    return {"suggestion": f",是不是“{found}”?", "suggestion_en": f", did you mean '{found}'?"}
