"""Rules on the registry itself: every cross-catalog check trusts it, so its entries are checked first."""
from __future__ import annotations

from .. import index as idx
from ..credit_codes import problem as credit_code_problem
from ..diagnostics import make, related
from ..loader import locate
from ..model import Project
from . import project_rule

_KIND = {"region": ("地区代码", "region code"), "area": ("领域名称", "area name"),
         "area_name": ("领域名称或别名", "area name or alias"), "slug": ("领域英文标识", "area slug"),
         "unit": ("单位名称", "unit name"), "unit_alias": ("同一地区的单位简称", "unit alias within one region"),
         "region_name": ("同一上级下的地区名称", "region name under one parent"),
         "requirement": ("公开要求编号", "requirement id"), "document": ("文件编号", "document id")}
_LEVEL_EN = {"province": "a province", "city": "a city", "county": "a county", "township": "a township"}


def _mark(project: Project, where, key: str | None = None):
    positions = project.registry_positions.get(where.file, {})
    return locate(positions, where.path + ((key,) if key else ())) if positions else where.mark


@project_rule("GK407", "GK410", reach="headers")
def registry_references(project: Project):
    """The regions registry entries refer to are registered, parents above children."""
    registry = project.registry
    codes = list(registry.regions)
    for region in registry.regions.values():
        if not region.parent:
            continue
        parent = registry.regions.get(region.parent)
        path = region.where.path + ("parent",)
        if parent is None:
            yield make("GK407", region.where.file, _mark(project, region.where, "parent"), path, None,
                       what="上级地区", what_en="parent region", value=region.parent,
                       **idx.did_you_mean(region.parent, codes))
        elif (region.level in idx.LEVELS and parent.level in idx.LEVELS
              and idx.LEVELS.index(parent.level) >= idx.LEVELS.index(region.level)):
            yield make("GK410", region.where.file, _mark(project, region.where, "parent"), path, None,
                       parent=f"{parent.name}({parent.code})", parent_level=idx.level_name(parent.level),
                       parent_level_en=_LEVEL_EN.get(parent.level, parent.level), level=idx.level_name(region.level),
                       level_en=region.level,
                       related=[related(parent.where.file, parent.where.mark, parent.where.path, None, "上级地区", "parent region")])
    for unit in registry.units.values():
        if unit.region not in registry.regions:
            yield make("GK407", unit.where.file, _mark(project, unit.where, "region"), unit.where.path + ("region",), None,
                       what=f"单位 {unit.name} 的所属地区", what_en=f"region of unit {unit.name}", value=unit.region,
                       **idx.did_you_mean(unit.region, codes))


@project_rule("GK408", reach="headers")
def registry_unique(project: Project):
    """Registry keys are unique; a later duplicate points at the first."""
    registry = project.registry
    found = list(registry.duplicates)
    index = idx.of(project)
    for parent, regions in index.children.items():
        seen: dict[str, object] = {}
        for region in regions:
            first = seen.setdefault(region.name, region)
            if first is not region:
                found.append(("region_name", region.name, region.where, first.where))
    for region, units in index.units_by_region.items():
        seen_alias: dict[str, object] = {}
        names = {u.name for u in units}
        for unit in units:
            for alias in unit.aliases:
                if alias in names and alias != unit.name:
                    owner = next(u for u in units if u.name == alias)
                    found.append(("unit_alias", alias, unit.where, owner.where))
                    continue
                first = seen_alias.setdefault(alias, unit)
                if first is not unit:
                    found.append(("unit_alias", alias, unit.where, first.where))
    for kind, key, where, first in found:
        what, what_en = _KIND[kind]
        yield make("GK408", where.file, where.mark, where.path, None, what=what, what_en=what_en, value=key,
                   other=f"{first.file}:{first.mark[0] + 1}",
                   related=[related(first.file, first.mark, first.path, None, "首次登记", "first entry")])


@project_rule("GK409", reach="headers")
def registry_lead_units(project: Project):
    """Each region needing an area's catalog has a unit with the area's lead function."""
    registry = project.registry
    index = idx.of(project)
    if not registry.units:
        return
    for region in sorted(registry.regions.values(), key=lambda r: r.code):
        if not index.in_scope(region.code):
            continue
        for area in index.required_areas(region):
            if area.lead and not index.lead_units(region.code, area.lead):
                yield make("GK409", area.where.file, _mark(project, area.where, "lead"), area.where.path + ("lead",), None,
                           region=region.code, region_name=region.name, lead=area.lead, area=area.name,
                           related=[related(region.where.file, region.where.mark, region.where.path, None, "地区登记", "region entry")])


@project_rule("GK414", reach="headers")
def registry_unit_codes(project: Project):
    """A unit's 统一社会信用代码 has 18 characters of its set and the right check character (GB 32100-2015)."""
    for unit in project.registry.units.values():
        if not unit.code:
            continue   # no code: the 索引号 goes without one (builders/metadata.py)
        found = credit_code_problem(unit.code)
        if found is not None:   # at the value; the message names the character (第 18 位)
            yield make("GK414", unit.where.file, _mark(project, unit.where, "code"), unit.where.path + ("code",), None,
                       unit=unit.name, value=unit.code, why=found.zh, why_en=found.en)


RULES = [registry_references, registry_unique, registry_lead_units, registry_unit_codes]
