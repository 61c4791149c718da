"""Vertical consistency (纵向层级周延): province, city, county and township catalogs of one area
chain together through `implements`, with no gaps, and no level weakens what the level above set."""
from __future__ import annotations

from .. import index as idx
from .. import timelimits, vocabulary
from ..diagnostics import make, related
from ..model import Item, Project
from ..normalize import plain
from . import project_rule

_LEVEL_EN = {"province": "province level", "city": "city level", "county": "county level", "township": "township level"}


def _upper_note(upper: Item):
    return related(upper.file, upper.mark(), upper.path, upper.id, "上级事项", "upper item")


def _resolved(index: idx.Index, item: Item) -> Item | None:
    """The upper item an item implements, when it is of the right region (else None)."""
    if not item.implements:
        return None
    upper = index.items_by_id.get(item.implements)
    if upper is None or _wrong_region(index, item, upper):
        return None
    return upper


def _wrong_region(index: idx.Index, item: Item, upper: Item) -> bool:
    """Whether upper is not of the region item's catalog must implement (for upper's area)."""
    region = item.catalog.region
    if upper is item or upper.catalog.region == region:
        return True
    if region not in index.registry.regions:
        return False  # unregistered region (GK405): nothing to compare with
    return upper.catalog.region != index.upper_region(region, index.area_key(upper.catalog))


def off_line(index: idx.Index, item: Item, upper: Item) -> bool:
    """Whether item's `implements` resolves to upper off its region's line (GK602, GK610), or from an
    unregistered region (where any target passes): such a link can tie any two regions."""
    return item.catalog.region not in index.registry.regions or _wrong_region(index, item, upper)


def _cycle(index: idx.Index, item: Item) -> list[Item]:
    """The items from item round its `implements` references back to item (empty when they end)."""
    chain, seen, current = [item], {id(item)}, index.items_by_id.get(item.implements or "")
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = index.items_by_id.get(current.implements) if current.implements else None
    return chain + [item] if current is item else []


def expected_upper(index: idx.Index, catalog) -> str | None:
    """The region a catalog's items implement from: the upper region for its area, else the
    nearest ancestor with any catalog (None when no upper region is in the checked set)."""
    return index.upper_region(catalog.region, index.area_key(catalog)) or index.upper_region(catalog.region)


@project_rule("GK601", "GK602", "GK610", reach="chain")
def implements_resolve(project: Project):
    """`implements` resolves to an item of the region directly above."""
    index = idx.of(project)
    for catalog in project.catalogs:
        expected = expected_upper(index, catalog)
        for item in catalog.items:
            if not item.implements:
                continue
            upper = index.items_by_id.get(item.implements)
            if upper is not None and not _wrong_region(index, item, upper):
                continue
            mark, path = item.mark("implements"), item.key_path("implements")
            if upper is None:
                if expected is None:
                    continue
                cell = index.catalogs_by_cell.get((expected, index.area_key(catalog))) or index.catalogs_by_region.get(expected, ())
                choices = [i.id for c in cell for i in c.items if i.id]
                yield make("GK601", catalog.file, mark, path, item.id, value=item.implements,
                           expected_name=index.region_name(expected), **idx.did_you_mean(item.implements, choices))
            elif (right := index.upper_region(catalog.region, index.area_key(upper.catalog))) is None:
                cycle = _cycle(index, item)
                shown = " → ".join(f"{i.id}({index.region_name(i.catalog.region)})" for i in cycle)
                yield make("GK610", catalog.file, mark, path, item.id, value=item.implements,
                           region=catalog.region or "?", region_name=index.region_name(catalog.region),
                           area=index.area_key(upper.catalog) or upper.catalog.area or "?", target_name=index.region_name(upper.catalog.region),
                           cycle=f",且形成循环:{shown}" if cycle else "", cycle_en=f"; the references go round: {shown}" if cycle else "",
                           related=[_upper_note(upper)])
            else:
                yield make("GK602", catalog.file, mark, path, item.id, value=item.implements,
                           target=upper.catalog.region or "?", target_name=index.region_name(upper.catalog.region),
                           expected=right, expected_name=index.region_name(right), related=[_upper_note(upper)])


def _obligations(index: idx.Index) -> dict[tuple[str, str], dict[str, list[Item]]]:
    """obligations[(region, level)] = {area: items of region whose levels include that lower level};
    computed once per check (the rule and `gkml assess` share it)."""
    cached = index.cache.get("vertical.obligations")
    if cached is None:
        cached = {}
        # the lower levels a written `levels` obliges, per (levels, own level): a few dozen
        # distinct pairs for a province's 709,631 matters
        lower: dict[tuple[tuple[str, ...], int], tuple[str, ...]] = {}
        for region, items in index.items_by_region.items():
            own = index.level_of(region)
            if own is None:
                continue
            rank = idx.LEVELS.index(own)
            for item in items:
                levels = lower.get((item.levels, rank))
                if levels is None:
                    # 村级 obliges the township (villages keep no catalogs); 乡级 and 村级 together, once
                    levels = lower[item.levels, rank] = tuple(
                        level for level in dict.fromkeys(idx.obliged_level(written) for written in item.levels)
                        if level and idx.LEVELS.index(level) > rank)
                for level in levels:
                    by_area = cached.setdefault((region, level), {})
                    by_area.setdefault(index.area_key(item.catalog), []).append(item)
        index.cache["vertical.obligations"] = cached
    return cached


def held_uppers(index: idx.Index, code: str) -> list[Item]:
    """The upper items a registered region must implement, each the lowest link of its chain (a
    county implementing the city item reaches the province item through it); an area whose
    catalog the region lacks is left out: GK401 reports the missing catalog instead."""
    region = index.registry.regions.get(code)
    if region is None or region.level not in idx.LEVELS or not index.in_scope(code):
        return []
    obligations = _obligations(index)
    groups: list[tuple[str, list[Item]]] = []   # (area, its upper items), nearest ancestor first
    between: list[str] = []  # regions between this one and the ancestor being looked at
    for ancestor in index.ancestors(code):
        for area_key, uppers in obligations.get((ancestor, region.level), {}).items():
            # a chain broken by an intermediate region's missing catalog is GK401's finding there
            if not any(index.missing(b, area_key) for b in between):
                groups.append((area_key, uppers))
        between.append(ancestor)
    below = {u.implements for _, uppers in groups for u in uppers if u.implements}
    # decided per area, not per upper item: the obligations are grouped by area, and this rule
    # asked each of a township's thousand upper items for its area's catalog and the region's
    # required areas (GK603 was the longest project rule, 7.9 s of 25.6 at full scale)
    required = None
    held = []
    for area_key, uppers in groups:
        if (code, area_key) in index.catalogs_by_cell:
            held.extend(u for u in uppers if u.id and u.id not in below)
            continue
        if region.areas:
            # a region listing its own areas (a development zone) does not administer the others
            continue
        if required is None:
            required = index.required_areas(region)
        for upper in uppers:
            if not upper.id or upper.id in below:
                continue
            area = index.area_of(upper.catalog)
            if area is not None and area in required:
                continue   # GK401 reports the missing catalog
            held.append(upper)
    return held


def unimplemented(index: idx.Index, code: str, held: list[Item]) -> list[Item]:
    """The items of held that no item of the region reaches through its `implements` chain."""
    reached: set[str] = set()
    for item in index.items_by_region.get(code, ()):
        reached.update(index.chain(item))
    return [u for u in held if u.id not in reached]


@project_rule("GK603", reach="chain", about="region")
def upper_items_implemented(project: Project):
    """Upper items required at a level are implemented in every region of it."""
    index = idx.of(project)
    registry = project.registry
    if not registry.regions or not _obligations(index):
        return
    wanted = project.regions_wanted
    for code in sorted(registry.regions if wanted is None else wanted & registry.regions.keys()):
        held = held_uppers(index, code)
        if not held:
            continue
        region = registry.regions[code]
        for upper in unimplemented(index, code, held):
            area_key = index.area_key(upper.catalog)
            catalogs = index.catalogs_by_cell.get((code, area_key))
            args = {"region": code, "region_name": region.name, "title": upper.title, "upper": upper.id,
                    "level_zh": idx.level_name(region.level), "level_en": _LEVEL_EN[region.level],
                    "at": f"{upper.file}:{upper.mark()[0] + 1}", "related": [_upper_note(upper)]}
            if catalogs:
                at = catalogs[0]
                yield make("GK603", at.file, at.mark("items", at_key=True), at.key_path("items"), None, **args)
            else:
                yield make("GK603", upper.file, upper.mark("levels"), upper.key_path("levels"), upper.id, **args)


def _pairs(project: Project) -> list[tuple[Item, Item, str | None]]:
    """(lower item, the upper item it implements, the lower region's level) for every resolved
    `implements`; computed once per check and shared by the weakening rules."""
    index = idx.of(project)
    cached = index.cache.get("vertical.pairs")
    if cached is None:
        cached = []
        for catalog in project.catalogs:
            own = index.level_of(catalog.region) or catalog.level
            for item in catalog.items:
                upper = _resolved(index, item)
                if upper is not None:
                    cached.append((item, upper, own))
        index.cache["vertical.pairs"] = cached
    return cached


def _finding(code: str, lower: Item, upper: Item, key: str, **args):
    return make(code, lower.file, lower.mark(key), lower.key_path(key), lower.id, upper=upper.id,
                related=[_upper_note(upper)], **args)


@project_rule("GK604", reach="chain")
def method_kept(project: Project):
    """主动 above is not made 依申请 below (条例 arts. 19-21)."""
    for lower, upper, _ in _pairs(project):
        if upper.method == "主动" and lower.method == "依申请":
            yield _finding("GK604", lower, upper, "method")


@project_rule("GK605", reach="chain")
def audience_kept(project: Project):
    """全社会 above is not narrowed to 特定群体 below."""
    for lower, upper, _ in _pairs(project):
        if upper.audience == "全社会" and lower.audience == "特定群体":
            yield _finding("GK605", lower, upper, "audience")


@project_rule("GK606", "GK607", reach="chain")
def time_limit_kept(project: Project):
    """A lower time limit is not longer than the upper one (条例 art. 26)."""
    for lower, upper, _ in _pairs(project):
        if not lower.time_limit or not upper.time_limit or plain(lower.time_limit) == plain(upper.time_limit):
            continue
        low, up = timelimits.parse(lower.time_limit), timelimits.parse(upper.time_limit)
        if low.working_days is not None and up.working_days is not None:
            if low.working_days > up.working_days + 1e-9:
                yield _finding("GK606", lower, upper, "time_limit", value=lower.time_limit, upper_value=upper.time_limit,
                               days=timelimits.describe(low), upper_days=timelimits.describe(up),
                               days_en=timelimits.describe(low, "en"), upper_days_en=timelimits.describe(up, "en"))
        elif low.kind is None and up.working_days is not None:
            yield _finding("GK607", lower, upper, "time_limit", value=lower.time_limit, upper_value=upper.time_limit)


@project_rule("GK608", reach="chain")
def channels_kept(project: Project):
    """The upper item's channels (■) are kept below."""
    vocab = vocabulary.get("channel")
    canonical = frozenset(vocab.canonical)  # the model's channels are canonical: a set test per item
    for lower, upper, _ in _pairs(project):
        if not lower.channels or not (canonical.issuperset(lower.channels) or all(map(vocab.accepts, lower.channels))):
            continue
        have = {plain(c) for c in lower.channels}
        for channel in upper.channels:
            if plain(channel) not in have:
                yield _finding("GK608", lower, upper, "channels", channel=channel)


@project_rule("GK609", reach="chain")
def levels_kept(project: Project):
    """A lower item's levels keep the upper item's levels at and below its own."""
    for lower, upper, own in _pairs(project):
        if not lower.levels or own not in idx.LEVELS:
            continue
        floor = idx.LEVELS.index(own)
        # 村级 ranks below 乡级: a township keeps what the county has disclosed in its villages
        wanted = [lv for lv in upper.levels if (rank := idx.level_rank(lv)) is not None and rank >= floor]
        lacking = [lv for lv in wanted if lv not in lower.levels]
        if lacking:
            yield _finding("GK609", lower, upper, "levels", missing="、".join(lacking),
                           expected=", ".join([*lower.levels, *lacking]))


RULES = [implements_resolve, upper_items_implemented, method_kept, audience_kept, time_limit_kept, channels_kept,
         levels_kept]
