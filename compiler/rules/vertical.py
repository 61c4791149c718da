"""Vertical consistency (纵向层级周延): province, city, county and township catalogs of one area
chain together through `implements`, with no gaps, and no level weakens what the level above set."""
from __future__ import annotations

from .. import index as idx
from .. import timelimits
from ..diagnostics import make, related
from ..model import Item, Project
from ..normalize import plain
from . import project_rule

_LEVEL_EN = {"province": "province level", "city": "city level", "county": "county level", "township": "township level"}
_ZH_LEVEL = {"省级": "province", "市级": "city", "县级": "county", "乡级": "township"}


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


def expected_upper(index: idx.Index, catalog) -> str | None:
    """The region a catalog's items implement from: the upper region for its area, else the
    nearest ancestor with any catalog (None when no upper region is in the checked set)."""
    return index.upper_region(catalog.region, index.area_key(catalog)) or index.upper_region(catalog.region)


@project_rule("GK601", "GK602", reach="chain")
def implements_resolve(project: Project):
    """`implements` names an item of the region directly above (the registry's parent, or the
    nearest ancestor with catalogs when a tier is missing: a city without counties is the
    upper region of its townships). A dangling id is GK601 (with the closest id of the upper
    region); an item of another region is GK602 — chains go level by level. When no upper
    region of the catalog is in the checked set, the reference cannot be verified and is left."""
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
            else:
                right = index.upper_region(catalog.region, index.area_key(upper.catalog))
                yield make("GK602", catalog.file, mark, path, item.id, value=item.implements,
                           target=upper.catalog.region or "?", target_name=index.region_name(upper.catalog.region),
                           expected=right or "?", expected_name=index.region_name(right) if right else "上级地区",
                           related=[_upper_note(upper)])


@project_rule("GK603", reach="chain")
def upper_items_implemented(project: Project):
    """Every upper item whose `levels` (公开层级) include level L is implemented in every region of
    level L below it — directly, or through the intermediate level's item that implements it —
    and the finding names each region lacking it, with the upper item as related location.
    It is reported at that region's catalog of the same area; when the region has no such
    catalog although the area is required there, GK401 already says so and this rule is
    silent (as it is for a development zone that does not administer the area); otherwise it
    is reported at the upper item. A missing chain is reported once per region, at its lowest
    missing link."""
    index = idx.of(project)
    registry = project.registry
    if not registry.regions:
        return
    # obligations[(region, level)] = {area: items of region whose levels include that lower level}
    obligations: dict[tuple[str, str], dict[str, list[Item]]] = {}
    for region, items in index.items_by_region.items():
        own = index.level_of(region)
        if own is None:
            continue
        for item in items:
            for written in item.levels:
                level = _ZH_LEVEL.get(written)
                if level and idx.LEVELS.index(level) > idx.LEVELS.index(own):
                    by_area = obligations.setdefault((region, level), {})
                    by_area.setdefault(index.area_key(item.catalog), []).append(item)
    if not obligations:
        return
    for code in sorted(registry.regions):
        region = registry.regions[code]
        if region.level not in idx.LEVELS or not index.in_scope(code):
            continue
        required: list[Item] = []
        between: list[str] = []  # regions between this one and the ancestor being looked at
        for ancestor in index.ancestors(code):
            for area_key, uppers in obligations.get((ancestor, region.level), {}).items():
                # a chain broken by an intermediate region's missing catalog is GK401's finding there
                if not any(index.missing(b, area_key) for b in between):
                    required.extend(uppers)
            between.append(ancestor)
        if not required:
            continue
        reached: set[str] = set()
        for item in index.items_by_region.get(code, ()):
            reached.update(index.chain(item))
        missing = [u for u in required if u.id and u.id not in reached]
        # the lowest missing link only: a county lacking the city item need not also hear of the province item
        below = {u.implements for u in missing if u.implements}
        for upper in missing:
            if upper.id in below:
                continue
            area = index.area_of(upper.catalog)
            area_key = index.area_key(upper.catalog)
            catalogs = index.catalogs_by_cell.get((code, area_key))
            args = {"region": code, "region_name": region.name, "title": upper.title, "upper": upper.id,
                    "level_zh": idx.level_name(region.level), "level_en": _LEVEL_EN[region.level],
                    "at": f"{upper.file}:{upper.mark()[0] + 1}", "related": [_upper_note(upper)]}
            if catalogs:
                at = catalogs[0]
                yield make("GK603", at.file, at.mark("items", at_key=True), ("items",), None, **args)
            elif region.areas or (area is not None and area in index.required_areas(region)):
                # GK401 reports the missing catalog; a region listing its own areas (a development
                # zone) does not administer the others at all
                continue
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
    """A matter the upper item discloses proactively (主动) is not made on-request (依申请) below:
    the lower level may only disclose more (条例 art. 19-21 list what is proactive)."""
    for lower, upper, _ in _pairs(project):
        if upper.method == "主动" and lower.method == "依申请":
            yield _finding("GK604", lower, upper, "method")


@project_rule("GK605", reach="chain")
def audience_kept(project: Project):
    """A matter the upper item discloses to everyone (全社会) is not narrowed to a specific group
    (特定群体) below."""
    for lower, upper, _ in _pairs(project):
        if upper.audience == "全社会" and lower.audience == "特定群体":
            yield _finding("GK605", lower, upper, "audience")


@project_rule("GK606", "GK607", reach="chain")
def time_limit_kept(project: Project):
    """A lower item's time limit (公开时限) is not longer than its upper item's (GK606): a lower
    level may shorten it, never lengthen it (条例 art. 26: normally 20 working days). Real
    phrasings are read as working days: 信息形成或者变更之日起20个工作日内, 自该信息形成或者变更之日
    起20个工作日内予以公开, 20工作日, 3日内 (calendar days, 5 working days a week), 实时公开 (0);
    及时, 每年1月31日前 and 长期 are not compared. A lower limit that cannot be read at all,
    where the upper one can, is a warning (GK607)."""
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
    """Every channel the upper item lists in `channels` (■: mandatory in a standard) is used by
    the lower item too; lower levels may add channels, not drop them. A channel only in the
    lower item's `optional_channels` (□) counts as dropped."""
    for lower, upper, _ in _pairs(project):
        have = {plain(c) for c in lower.channels}
        for channel in upper.channels:
            if plain(channel) not in have:
                yield _finding("GK608", lower, upper, "channels", channel=channel)


@project_rule("GK609", reach="chain")
def levels_kept(project: Project):
    """A lower item's `levels` (公开层级) include every level of its upper item at or below the
    lower region's own level: a city row ticked 市级, 县级, 乡级 becomes a county row ticked 县级
    and 乡级 (one row shared by two levels). Items that state no levels are not checked."""
    for lower, upper, own in _pairs(project):
        if not lower.levels or own not in idx.LEVELS:
            continue
        floor = idx.LEVELS.index(own)
        wanted = [lv for lv in upper.levels if lv in _ZH_LEVEL and idx.LEVELS.index(_ZH_LEVEL[lv]) >= floor]
        lacking = [lv for lv in wanted if lv not in lower.levels]
        if lacking:
            yield _finding("GK609", lower, upper, "levels", missing="、".join(lacking),
                           expected=", ".join([*lower.levels, *lacking]))


RULES = [implements_resolve, upper_items_implemented, method_kept, audience_kept, time_limit_kept, channels_kept,
         levels_kept]
