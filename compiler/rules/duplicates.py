"""No cross-department duplicates (避免交叉重复): one matter of a region is listed once."""
from __future__ import annotations

from .. import index as idx
from ..diagnostics import make, related
from ..model import Item, Project
from ..normalize import matter_key, unit_name
from . import project_rule


def _unit(index: idx.Index, name: str | None, region: str | None) -> str:
    """A unit's identity after aliases, former names and width variants are resolved."""
    match = index.resolve_unit(name, region)
    return match.unit.name if match is not None else unit_name(name)


def _declared(index: idx.Index, a: Item, b: Item, region: str | None) -> bool:
    """Whether either item names the other's responsible unit among its co_units."""
    unit_a, unit_b = _unit(index, a.responsible_unit, region), _unit(index, b.responsible_unit, region)
    if unit_a == unit_b:
        return False
    return (unit_b in {_unit(index, n, region) for n in a.co_units}
            or unit_a in {_unit(index, n, region) for n in b.co_units})


@project_rule("GK501", reach="region")
def no_duplicate_matters(project: Project):
    """One matter of a region is listed once (避免交叉重复)."""
    index = idx.of(project)
    for region, items in index.items_by_region.items():
        first: dict[tuple[str, str, str], Item] = {}
        for item in items:
            if not item.matter:
                continue
            key = matter_key(item.matter, item.sub_matter, item.third_matter)
            seen = first.get(key)
            if seen is None:
                first[key] = item
                continue
            if item.id is not None and item.id == seen.id:
                continue  # the same id twice is reported once, by GK303
            if _declared(index, item, seen, region):
                continue
            unit, other_unit = item.responsible_unit or "?", seen.responsible_unit or "?"
            same = _unit(index, unit, region) == _unit(index, other_unit, region)
            yield make("GK501", item.file, item.mark("matter"), item.key_path("matter"), item.id,
                       title=item.title, unit=unit, other_unit=other_unit,
                       units=f"{unit}两次" if same else f"{unit} 与 {other_unit}",
                       units_en=f"twice by {unit}" if same else f"by {unit} and {other_unit}",
                       other=f"{seen.file}:{seen.mark('matter')[0] + 1}",
                       related=[related(seen.file, seen.mark("matter"), seen.key_path("matter"), seen.id,
                                        "另一处相同事项", "the other listing")])


RULES = [no_duplicate_matters]
