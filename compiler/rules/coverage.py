"""Horizontal coverage (横向覆盖周密): every region has a catalog for every key area required at
its level, led by the area's lead unit; catalogs name registered regions and areas."""
from __future__ import annotations

from .. import index as idx
from ..diagnostics import make, related
from ..loader import locate
from ..model import Project
from . import project_rule

_LEVEL_EN = {"province": "province", "city": "city", "county": "county", "township": "township"}


@project_rule("GK403", reach="catalog")
def known_areas(project: Project):
    """Catalogs' and regions' areas are registered key areas."""
    registry = project.registry
    if not registry.areas:
        return
    choices = list(registry.area_names)
    for region in registry.regions.values():  # a development zone's own list of areas
        for n, name in enumerate(region.areas):
            if registry.area(name) is None:
                positions = project.registry_positions.get(region.where.file)
                mark = locate(positions, region.where.path + ("areas", n)) if positions else region.where.mark
                yield make("GK403", region.where.file, mark, region.where.path + ("areas", n), None, value=name,
                           **idx.did_you_mean(name, choices))
    for catalog in project.catalogs:
        if catalog.area is None or registry.area(catalog.area) is not None:
            continue
        yield make("GK403", catalog.file, catalog.mark("area"), catalog.key_path("area"), None, value=catalog.area,
                   **idx.did_you_mean(catalog.area, choices))


@project_rule("GK405", "GK406", reach="catalog")
def known_regions(project: Project):
    """A catalog's region is registered, at the registry's level."""
    registry = project.registry
    if not registry.regions:
        return
    codes = list(registry.regions)
    for catalog in project.catalogs:
        if catalog.region is None:
            continue
        region = registry.regions.get(catalog.region)
        if region is None:
            yield make("GK405", catalog.file, catalog.mark("region"), ("region",), None, value=catalog.region,
                       **idx.did_you_mean(catalog.region, codes))
        elif catalog.level and region.level and catalog.level != region.level:
            yield make("GK406", catalog.file, catalog.mark("level"), ("level",), None, level=catalog.level,
                       expected=region.level, region=region.code, region_name=region.name,
                       related=[related(region.where.file, region.where.mark, region.where.path, None, "地区登记", "region entry")])


@project_rule("GK401", reach="headers")
def areas_covered(project: Project):
    """Every region has a catalog of every key area required at its level (横向覆盖周密)."""
    registry = project.registry
    index = idx.of(project)
    for region in sorted(registry.regions.values(), key=lambda r: r.code):
        if not index.in_scope(region.code):
            continue
        for area in index.required_areas(region):
            if (region.code, area.name) in index.catalogs_by_cell:
                continue
            yield make("GK401", region.where.file, region.where.mark, region.where.path, None,
                       region=region.code, region_name=region.name, area=area.name,
                       level_zh=idx.level_name(region.level), level_en=_LEVEL_EN.get(region.level, region.level),
                       related=[related(area.where.file, area.where.mark, area.where.path, None, "领域登记", "area entry")])


@project_rule("GK402", reach="region")
def lead_unit_present(project: Project):
    """Each region's area has a matter disclosed by the area's lead unit."""
    registry = project.registry
    index = idx.of(project)
    if not registry.units:
        return
    for (region, area_name), catalogs in sorted(index.catalogs_by_cell.items()):
        area = registry.areas.get(area_name)
        if area is None or not area.lead or region not in registry.regions:
            continue
        leads = index.lead_units(region, area.lead)
        if not leads:
            continue
        lead_names = {u.name for u in leads}
        found = False
        for catalog in catalogs:
            for item in catalog.items:
                match = index.resolve_unit(item.responsible_unit, region)
                if match is not None and match.unit.name in lead_names:
                    found = True
                    break
            if found:
                break
        if not found:
            first = catalogs[0]
            yield make("GK402", first.file, first.mark("area"), first.key_path("area"), None, region=region,
                       region_name=index.region_name(region), area=area.name, lead=area.lead,
                       lead_unit="、".join(sorted(lead_names)),
                       related=[related(area.where.file, area.where.mark, area.where.path, None, "领域登记", "area entry")])


RULES = [known_areas, known_regions, areas_covered, lead_unit_present]
