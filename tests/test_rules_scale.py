"""The cross-catalog rules scale linearly: a synthetic province, built in memory, checked by every
project rule. Run `python tests/test_rules_scale.py 35` for the full size (≈200,000 matters in
≈4,500 catalogs); the test uses a small one and checks the findings it must produce."""
from __future__ import annotations

import sys
import time

from compiler.model import Catalog, Item, Project
from compiler.registry import Area, Entry, Region, Registry, Unit
from compiler.rules import project_rules

HERE = Entry("registry.yaml", (), (0, 0))
LEVEL_ZH = {"province": "省级", "city": "市级", "county": "县级"}


def synthetic(areas: int, cities: int = 16, counties_per_city: int = 7, per_catalog: int = 45) -> Project:
    """A province with cities and counties, every area at every level, chained by implements."""
    registry = Registry()
    regions = [Region("330000", "甲省", "province", None, "regular", (), HERE)]
    for c in range(cities):
        city = f"33{c + 1:02d}00"
        regions.append(Region(city, f"市{c}", "city", "330000", "regular", (), HERE))
        for k in range(counties_per_city):
            regions.append(Region(f"33{c + 1:02d}{k + 21:02d}", f"县{c}-{k}", "county", city, "regular", (), HERE))
    for r in regions:
        registry.regions[r.code] = r
    for a in range(areas):
        area = Area(f"领域{a}", f"area-{a}", (), ("province", "city", "county"), f"职能{a}", (), HERE)
        registry.areas[area.name] = area
        registry.area_names[area.name] = area.name
    for r in regions:
        for a in range(areas):
            unit = Unit(f"{r.name}职能{a}局", r.code, (f"职能{a}",), (f"{r.name}{a}局",), (), False, HERE)
            registry.units[unit.name] = unit
            registry.unit_names[unit.name] = (unit.name,)
    catalogs = []
    for r in regions:
        for a in range(areas):
            cat = Catalog(f"{r.code}/area-{a}.yaml", {}, {}, r.code, r.level, f"领域{a}", f"{r.name}职能{a}局",
                          "1", None, None, None, None, r.level != "county")
            for n in range(per_catalog):
                levels = tuple(LEVEL_ZH[lv] for lv in ("province", "city", "county")
                               if ("province", "city", "county").index(lv) >= ("province", "city", "county").index(r.level))
                upper = None if r.parent is None else f"{r.parent}-{a}-{n:03d}"
                cat.items.append(Item(cat, n, f"{r.code}-{a}-{n:03d}", f"事项{a}甲{n}", "二级", None, "内容", ("《条例》",),
                                      "信息形成或者变更之日起20个工作日内", f"{r.name}职能{a}局", (), ("政府网站",), (),
                                      "全社会", "主动", levels, upper, ("art20-01",)))
            catalogs.append(cat)
    return Project(catalogs, registry, {}, "2024-01-01")


def run_rules(project: Project) -> list:
    return [d for rule in project_rules() for d in rule.fn(project)]


def test_synthetic_province_is_clean_and_breaks_where_expected():
    project = synthetic(areas=2, cities=3, counties_per_city=3, per_catalog=5)
    assert run_rules(project) == []
    county = next(c for c in project.catalogs if c.region == "330121" and c.area == "领域1")
    dropped = county.items.pop(2)
    county.items[0].method = "依申请"
    findings = run_rules(project)
    assert sorted(d.code for d in findings) == ["GK603", "GK604"]
    missing = next(d for d in findings if d.code == "GK603")
    assert dict(missing.args)["upper"] == dropped.implements and missing.file == county.file


def test_time_grows_linearly():
    """Doubling the set must not quadruple the time (generous bound: 3×, best of three)."""
    def timed(areas: int) -> float:
        project = synthetic(areas=areas, per_catalog=20)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            run_rules(project)
            best = min(best, time.perf_counter() - started)
        return best
    small, large = timed(2), timed(4)
    assert large < 3 * small + 0.05, (small, large)


if __name__ == "__main__":  # pragma: no cover - manual benchmark
    n_areas = int(sys.argv[1]) if len(sys.argv) > 1 else 35
    started = time.perf_counter()
    project = synthetic(n_areas)
    built = time.perf_counter()
    items = sum(len(c.items) for c in project.catalogs)
    for rule in project_rules():
        t = time.perf_counter()
        count = sum(1 for _ in rule.fn(project))
        print(f"{rule.name:28s} {time.perf_counter() - t:6.2f} s  {count} findings")
    print(f"{len(project.catalogs)} catalogs, {items} matters: model {built - started:.1f} s, "
          f"rules {time.perf_counter() - built:.1f} s")
