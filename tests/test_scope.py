"""A scoped re-run equals a full run: over random edit sequences to catalogs, the findings and
tables compiler.scope computes from the edited catalogs alone match those of checking everything."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from compiler import scope
from compiler.diagnostics import ordered
from compiler.pipeline import Options, assemble, check_bytes, gather, run_files
from compiler.rules import project_rules
from conftest import DEFAULT

_SETTINGS = settings(max_examples=30, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                            HealthCheck.data_too_large])


def _findings(result) -> list:
    return ordered(d for rule in project_rules() for d in rule.fn(result.project))


class World:
    """A copy of the default catalogs as file results, the last full run's findings and tables."""

    def __init__(self, root: Path, drop: list[str] = ()):
        self.asked: set[str] = set()   # the files the last scoped re-run loaded
        for name in drop:  # regions lacking an area: chains skip a tier, GK601 suggests from other areas
            (root / name).unlink()
        options = Options(paths=(str(root / "catalogs"),), cache=False, jobs=1, base=str(root))
        self.files = {f.source.name: f for f in run_files(gather(options), options)}
        self.full()

    def full(self):
        result = assemble(list(self.files.values()))
        self.project = result.project
        self.findings = _findings(result)
        self.tables = scope.tables_of(result.project)

    def catalogs(self) -> list[str]:
        return sorted(n for n, f in self.files.items() if f.catalog is not None)

    def data(self, name: str) -> dict:
        return copy.deepcopy(self.files[name].catalog.data)   # as written (kept packed by the check)

    def write(self, name: str, data: dict, comment: bool = False):
        text = ("# 修订\n" if comment else "") + json.dumps(data, ensure_ascii=False, indent=2)
        source = self.files[name].source
        source.path.write_text(text, "utf-8")
        return check_bytes(source, text.encode("utf-8"))


_UNUSED = ["无此编号-001", "341300-sa-099"]  # ids no item has at first: dangling, until an edit defines one


def _ids(world: World) -> list[str]:
    """Every id in use or implemented: an id edit may duplicate one, or define one that dangled."""
    items = [i for c in world.project.catalogs for i in c.items]
    return sorted({i.id for i in items if i.id} | {i.implements for i in items if i.implements})


def _edit(world: World, data, name: str) -> tuple[dict, bool]:
    """One random edit of catalog name's data, of the kinds the cross-catalog rules see."""
    doc = world.data(name)
    sections = doc.get("areas") if isinstance(doc.get("areas"), list) else None
    # a file of sections: the edit is to one of its sections (or moves an item between two)
    table = doc if sections is None else sections[data.draw(st.integers(0, len(sections) - 1))]
    items = table.setdefault("items", [])
    ids = _ids(world)
    any_id = st.sampled_from(ids) | st.sampled_from(_UNUSED)
    kinds = ["add", "remove", "implements", "id", "unit", "weaker", "matter", "header"]
    kind = data.draw(st.sampled_from(kinds + (["move"] if sections is not None and len(sections) > 1 else [])))
    pick = data.draw(st.integers(0, max(0, len(items) - 1)))
    item = items[pick] if items else None
    if kind == "add" or item is None:
        other = world.data(data.draw(st.sampled_from(world.catalogs())))
        new = copy.deepcopy(data.draw(st.sampled_from(other["items"])) if other.get("items") else {"matter": "新事项"})
        new["id"] = data.draw(any_id | st.just(f"{name}-new"))
        if data.draw(st.booleans()):
            new["implements"] = data.draw(any_id)
        items.insert(data.draw(st.integers(0, len(items))), new)
    elif kind == "remove":
        del items[pick]
    elif kind == "move":
        other = data.draw(st.sampled_from([t for t in sections if t is not table]))
        other.setdefault("items", []).insert(data.draw(st.integers(0, len(other.get("items", [])))), items.pop(pick))
    elif kind == "implements":
        if data.draw(st.booleans()):
            item["implements"] = data.draw(any_id)
        else:
            item.pop("implements", None)
    elif kind == "id":
        item["id"] = data.draw(any_id)
    elif kind == "unit":
        item["responsible_unit"] = data.draw(st.sampled_from(
            ["安徽省民政厅", "砀山县民政局", "萧县教育体育局", "县级民政部门", "无名局", "宿州市民政局"]))
    elif kind == "weaker":
        item["time_limit"] = "30个工作日内"
        item["method"] = "依申请"
        item["audience"] = "特定群体"
        item["channels"] = item.get("channels", [])[:1]
        item["levels"] = data.draw(st.sampled_from([["县级"], ["市级", "县级"], ["省级"], []]))
    elif kind == "matter":
        other = world.data(data.draw(st.sampled_from(world.catalogs())))
        if other.get("items"):
            source = data.draw(st.sampled_from(other["items"]))
            for key in ("matter", "sub_matter", "third_matter"):
                if key in source:
                    item[key] = source[key]
                else:
                    item.pop(key, None)
    else:
        table["area"] = data.draw(st.sampled_from(["就业", "社会救助与社会福利", "未登记领域"]))
    return doc, data.draw(st.booleans())


def _step(world: World, docs: dict[str, tuple[dict, bool]]) -> scope.Plan | None:
    """Write the edited catalogs, then check the scoped re-run against a full run; the plan used."""
    registry, positions = world.project.registry, world.project.registry_positions
    before = {n: world.files[n].catalog for n in docs}
    for name, (doc, comment) in docs.items():
        world.files[name] = world.write(name, doc, comment)
    after = {n: world.files[n].catalog for n in docs}
    found = scope.plan(world.tables, before, after, registry, project_rules())
    old_findings, old_tables = world.findings, world.tables
    world.full()
    headers = any(len(c.parts()) != len(before[n].parts())
                  or any(scope.head_of(part, registry) != old_tables.heads.get(part.name) for part in c.parts())
                  for n, c in after.items() if c is not None)
    if found is None:
        assert headers or any(c is None for c in after.values())
        return None
    assert not headers
    def load(name: str):
        world.asked.add(name)
        return world.files[name].catalog

    world.asked = set()
    findings, tables = scope.rerun(found, old_tables, project_rules(), load, registry, positions, "", old_findings)
    assert ordered(findings) == world.findings
    assert tables == world.tables
    return found


def _world(tmp_path_factory, drop=()) -> World:
    root = tmp_path_factory.mktemp("scope")
    shutil.copytree(DEFAULT, root / "catalogs")
    return World(root, list(drop))


@_SETTINGS
@given(st.data())
def test_a_scoped_rerun_equals_a_full_run(tmp_path_factory, data):
    names = sorted(p.relative_to(DEFAULT.parent).as_posix() for p in DEFAULT.glob("34*/*.yaml"))
    world = _world(tmp_path_factory, data.draw(st.lists(st.sampled_from(names), max_size=3, unique=True)))
    for _ in range(data.draw(st.integers(1, 8))):
        edited = data.draw(st.lists(st.sampled_from(world.catalogs()), min_size=1, max_size=2, unique=True))
        _step(world, {name: _edit(world, data, name) for name in edited})


def test_defining_an_id_that_dangled_redoes_its_area(tmp_path_factory):
    """The city's 涉农补贴 items implement province ids that no catalog has (the province file is
    gone); when a province catalog of another area takes one of those ids, that area is redone."""
    world = _world(tmp_path_factory, ["catalogs/340000/agricultural-subsidies.yaml"])
    name = "catalogs/340000/compulsory-education.yaml"
    doc = world.data(name)
    doc["items"][0]["id"] = "340000-as-001"
    found = _step(world, {name: (doc, False)})
    assert found is not None and {"涉农补贴", "义务教育"} <= found.areas


def test_a_suggestion_from_another_area_is_redone(tmp_path_factory):
    """With the province's 涉农补贴 catalog gone, GK601 at the city's dangling items suggests ids
    from all the province's catalogs; a close id added to another of them changes the suggestion."""
    world = _world(tmp_path_factory, ["catalogs/340000/agricultural-subsidies.yaml"])
    name = "catalogs/340000/compulsory-education.yaml"
    doc = world.data(name)
    doc["items"].append(dict(doc["items"][0], id="340000-as-0011"))
    found = _step(world, {name: (doc, False)})
    assert found is not None and "涉农补贴" in found.areas
    assert any(d.code == "GK601" and "340000-as-0011" in dict(d.args)["suggestion"] for d in world.findings)


def test_an_id_used_in_two_areas_ties_them(tmp_path_factory):
    """The province's 就业 catalog reuses the id of its first 社会救助 matter, and the city reaches
    that id only through its 就业 catalog; when the city drops that link, the 社会救助 matter is
    not implemented there (GK603), a finding in another area than the edit's."""
    world = _world(tmp_path_factory)
    province, city_jobs, city_aid = ("catalogs/340000/employment.yaml", "catalogs/341300/employment.yaml",
                                     "catalogs/341300/social-assistance.yaml")
    doc = world.data(province)
    doc["items"][0]["id"] = "340000-sa-001"
    _step(world, {province: (doc, False)})
    jobs, aid = world.data(city_jobs), world.data(city_aid)
    jobs["items"][0]["implements"] = "340000-sa-001"
    del aid["items"][0]["implements"]
    _step(world, {city_jobs: (jobs, False), city_aid: (aid, False)})
    del jobs["items"][0]["implements"]
    found = _step(world, {city_jobs: (jobs, False)})
    assert found is not None and "社会救助与社会福利" in found.areas
    assert any(d.code == "GK603" and d.file == city_aid and "340000-sa-001" in str(d.args) for d in world.findings)


def test_a_content_edit_redoes_little(tmp_path_factory):
    """Adding a matter to a county catalog redoes its region and its area's chain, nothing else."""
    world = _world(tmp_path_factory)
    name = "catalogs/341321/social-assistance.yaml"
    doc = world.data(name)
    new = dict(doc["items"][-1], id="341321-sa-099", matter="新增事项")
    new.pop("implements", None)
    doc["items"].append(new)
    found = _step(world, {name: (doc, False)})
    assert found is not None
    assert found.regions == {"341321"} and found.areas == {"社会救助与社会福利"}
    townships = ("341321101", "341321102", "341321103", "341322001", "341322100", "341322101", "341322102")
    assert set(found.area_files) == {f"catalogs/{r}/social-assistance.yaml" for r in ("340000", "341300", "341321", "341322", *townships)
                                     } | {"catalogs/341321100/catalog.yaml#areas/0"}   # 砀城镇's file of sections: its first
    # every implements of the area climbs its line: the chain re-run is that of 砀山县's line
    assert found.below == {"341321", "341321100", "341321101", "341321102", "341321103"}
    assert found.line == found.below | {"341300", "340000"}
    assert world.asked >= {name, "catalogs/341321100/catalog.yaml"}
    assert not any(f.startswith("catalogs/341322") for f in world.asked)


def test_removing_a_matter_implemented_below_redoes_the_area(tmp_path_factory):
    """An edit that changes the tables' ties (here an id a township implements is removed, so it
    dangles there) cannot be narrowed to a line: the area's chains are redone across the province."""
    world = _world(tmp_path_factory)
    name = "catalogs/341321/social-assistance.yaml"
    doc = world.data(name)
    doc["items"] = [i for i in doc["items"] if i["id"] != "341321-sa-003"]
    found = _step(world, {name: (doc, False)})
    assert found is not None and found.below is not None   # what the tables tell allows a line ...
    assert any(f.startswith("catalogs/341322") for f in world.asked)   # ... what the edit did does not
    assert any(d.code == "GK601" and d.file == "catalogs/341321100/catalog.yaml" for d in world.findings)


def test_a_rule_of_unknown_reach_refuses_a_plan():
    """A project rule that declares no reach (the default, "project") always gets a full run."""
    from compiler.rules import Rule
    world_tables = scope.Tables({}, {}, {}, {}, {}, {})
    rule = Rule(lambda project: [], "project", ("GK999",))
    assert scope.plan(world_tables, {}, {}, None, [rule]) is None


def test_every_project_rule_declares_its_reach():
    assert {r.reach for r in project_rules()} <= {"headers", *scope.SCOPED}


@_SETTINGS
@given(st.data())
def test_a_scoped_rerun_with_files_of_sections_equals_a_full_run(tmp_path_factory, data):
    """Findings at a file of sections (issue 21: one township, a section per area) are kept or
    redone by their section's area, as a file's are by its own, and an edit to the file itself
    (an item added to, removed from or moved between its sections) is re-run by its sections."""
    root = tmp_path_factory.mktemp("scope")
    shutil.copytree(DEFAULT.parent / "tests/cases/invalid/township-sections", root / "catalogs")
    world = World(root)
    for _ in range(data.draw(st.integers(1, 6))):
        edited = data.draw(st.lists(st.sampled_from(world.catalogs()), min_size=1, max_size=2, unique=True))
        _step(world, {name: _edit(world, data, name) for name in edited})


def test_adding_a_matter_to_a_file_of_sections_redoes_its_sections(tmp_path_factory):
    """A township's file of sections (issue 22: half the province's townships) is re-run like a
    file per area: its sections, its region and their areas' chains, not the whole province."""
    world = _world(tmp_path_factory)
    name = "catalogs/341321100/catalog.yaml"
    doc = world.data(name)
    first = doc["areas"][0]["items"]
    first.append(dict(first[-1], id="341321100-new-001", matter="新增事项", levels=["乡级"]))
    first[-1].pop("implements", None)
    found = _step(world, {name: (doc, False)})
    assert found is not None and found.files == {name}
    assert found.changed == {f"{name}#areas/{k}" for k in range(len(doc["areas"]))}
    assert found.regions == {"341321100"}
