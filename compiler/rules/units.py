"""Responsible units (公开主体): registered, of the catalog's own region, under their current name,
and not a placeholder copied from the national template."""
from __future__ import annotations

from .. import index as idx
from ..diagnostics import make, related
from ..model import Item, Project
from . import project_rule

_ROLES = (("responsible_unit", "公开主体", "responsible unit"), ("co_units", "共同公开单位", "co-responsible unit"))


def _named_units(item: Item):
    """(key, index in list or None, written name) of every unit an item names."""
    if item.responsible_unit:
        yield "responsible_unit", None, item.responsible_unit
    for n, name in enumerate(item.co_units):
        yield "co_units", n, name


def _placeholder(index: idx.Index, name: str, region: str | None) -> bool:
    return index.is_placeholder(name, region)


@project_rule("GK413", reach="catalog")
def placeholders(project: Project):
    """Template placeholder units outside a standard."""
    index = idx.of(project)
    for catalog in project.catalogs:
        if catalog.standard:
            continue
        for item in catalog.items:
            for key, sub, name in _named_units(item):
                if not _placeholder(index, name, catalog.region):
                    continue
                example = _example(index, name, catalog.region)
                yield make("GK413", catalog.file, item.mark(key, sub), item.key_path(key, sub), item.id, value=name,
                           example=f",如“{example}”" if example else "", example_en=f", e.g. '{example}'" if example else "")


def _example(index: idx.Index, placeholder: str, region: str | None) -> str | None:
    """The region's unit whose function appears in a placeholder (县级农业农村部门 → 砀山县农业农村局)."""
    for unit in index.units_by_region.get(region or "", ()):
        if not unit.placeholder and any(stem and stem in placeholder for stem in unit.stems):
            return unit.name
    return None


@project_rule("GK404", reach="catalog")
def known_units(project: Project):
    """Responsible and co-responsible units are registered."""
    registry = project.registry
    if not registry.units:
        return
    index = idx.of(project)
    for catalog in project.catalogs:
        for item in catalog.items:
            for key, sub, name in _named_units(item):
                if _placeholder(index, name, catalog.region) or index.resolve_unit(name, catalog.region) is not None:
                    continue
                role = next(r for r in _ROLES if r[0] == key)
                yield make("GK404", catalog.file, item.mark(key, sub), item.key_path(key, sub), item.id, value=name,
                           role=role[1], role_en=role[2], **_suggestion(index, name, catalog.region))


def _suggestion(index: idx.Index, name: str, region: str | None) -> dict[str, str]:
    """Did-you-mean among the region's units first, then among all (memoised: typos repeat)."""
    memo = index.cache.setdefault("units.suggestions", {})
    key = (name, region)
    if key not in memo:
        found = idx.did_you_mean(name, index.unit_names_of(region)) if region else {"suggestion": ""}
        memo[key] = found if found["suggestion"] else idx.did_you_mean(name, index.unit_names_of(None))
    return memo[key]


@project_rule("GK412", reach="catalog")
def current_unit_names(project: Project):
    """Units are named by their current name as of the check's date."""
    registry = project.registry
    if not registry.units:
        return
    index = idx.of(project)
    today = project.today or "9999-12-31"
    for catalog in project.catalogs:
        for item in catalog.items:
            for key, sub, name in _named_units(item):
                match = index.resolve_unit(name, catalog.region)
                if match is None or match.rename is None:
                    continue
                if match.rename.until is not None and match.rename.until > today:
                    continue
                unit = match.unit
                yield make("GK412", catalog.file, item.mark(key, sub), item.key_path(key, sub), item.id, value=name,
                           name=unit.name, until=match.rename.until or "?",
                           related=[related(unit.where.file, unit.where.mark, unit.where.path, None, "单位登记", "unit entry")])


@project_rule("GK411", reach="catalog")
def unit_of_region(project: Project):
    """Responsible units belong to the catalog's own region (谁公开、谁负责)."""
    registry = project.registry
    if not registry.units or not registry.regions:
        return
    index = idx.of(project)
    for catalog in project.catalogs:
        region = catalog.region
        if region is None or region not in registry.regions:
            continue
        for item in catalog.items:
            name = item.responsible_unit
            if not name or _placeholder(index, name, region):
                continue
            match = index.resolve_unit(name, region)
            if match is None or match.unit.region == region:
                continue
            unit = match.unit
            counterpart = index.counterparts(unit, region)
            yield make("GK411", catalog.file, item.mark("responsible_unit"), item.key_path("responsible_unit"), item.id,
                       value=name, unit_region=unit.region, unit_region_name=index.region_name(unit.region),
                       region=region, region_name=index.region_name(region),
                       counterpart=f",如“{counterpart[0].name}”" if counterpart else "",
                       counterpart_en=f", e.g. '{counterpart[0].name}'" if counterpart else "",
                       related=[related(unit.where.file, unit.where.mark, unit.where.path, None, "单位登记", "unit entry")])


RULES = [placeholders, known_units, current_unit_names, unit_of_region]
