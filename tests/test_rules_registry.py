"""The registry's own checks (GK407–GK410): every cross-catalog rule trusts it."""
from __future__ import annotations

from test_rules_support import append_registry, findings

REGIONS = "catalogs/registry/regions.yaml"
UNITS = "catalogs/registry/units.yaml"
AREAS = "catalogs/registry/areas.yaml"


def validate(gkml, root):
    return gkml(["validate", "--format", "json", "--no-cache"], cwd=root)


def _last_line(path) -> int:
    return len(path.read_text("utf-8").splitlines())


def test_unknown_parent_region(gkml, project):
    append_registry(project, "regions", {"code": "341324", "name": "泗县", "level": "county", "parent": "341400"})
    run = validate(gkml, project)
    [d] = findings(run, "GK407")
    assert d["file"] == REGIONS and d["line"] == _last_line(project / REGIONS)
    assert "341400" in d["message"] and "341300" in d["message"]   # did you mean


def test_unit_of_unknown_region(gkml, project):
    append_registry(project, "units", {"name": "泗县民政局", "region": "341324", "stems": ["民政"]})
    [d] = findings(validate(gkml, project), "GK407")
    assert d["file"] == UNITS and "泗县民政局" in d["message"]


def test_parent_not_above_child(gkml, project):
    append_registry(project, "regions", {"code": "341324", "name": "泗县", "level": "county", "parent": "341321"})
    [d] = findings(validate(gkml, project), "GK410")
    assert d["line"] == _last_line(project / REGIONS) and d["related"][0]["file"] == REGIONS


def test_duplicate_region_code(gkml, project):
    append_registry(project, "regions", {"code": "341321", "name": "砀山", "level": "county", "parent": "341300"})
    [d] = findings(validate(gkml, project), "GK408")
    assert d["line"] == _last_line(project / REGIONS) and d["related"][0]["line"] == 5


def test_duplicate_region_name_under_one_parent(gkml, project):
    append_registry(project, "regions", {"code": "341399", "name": "萧县", "level": "county", "parent": "341300"})
    assert findings(validate(gkml, project), "GK408")


def test_same_township_name_under_different_parents_is_fine(gkml, project):
    append_registry(project, "regions",
                    {"code": "341321104", "name": "城关镇", "level": "township", "parent": "341321"},
                    {"code": "341322103", "name": "城关镇", "level": "township", "parent": "341322"})
    assert not findings(validate(gkml, project), "GK408")


def test_duplicate_unit_name(gkml, project):
    append_registry(project, "units", {"name": "砀山县民政局", "region": "341321", "stems": ["民政"]})
    [d] = findings(validate(gkml, project), "GK408")
    assert d["file"] == UNITS and d["related"][0]["file"] == UNITS


def test_ambiguous_alias_within_a_region(gkml, project):
    append_registry(project, "units", {"name": "砀山县体育局", "region": "341321", "stems": ["体育"], "aliases": ["砀山县教体局"]})
    [d] = findings(validate(gkml, project), "GK408")
    assert "砀山县教体局" in d["message"]


def test_area_alias_shared_by_two_areas(gkml, project):
    append_registry(project, "areas", {"name": "最低生活保障", "slug": "minimum-living", "aliases": ["社会救助"],
                                       "levels": ["province"], "lead": "民政"})
    run = validate(gkml, project)
    [d] = findings(run, "GK408")
    assert "社会救助" in d["message"] and d["file"] == AREAS


def test_duplicate_requirement_id(gkml, project):
    append_registry(project, "requirements", {"id": "art20-01", "title": "重复"})
    assert findings(validate(gkml, project), "GK408")


def test_lead_stem_without_unit_in_a_region(gkml, project):
    units = project / UNITS
    text = units.read_text("utf-8")
    text = text.replace("  - name: 萧县民政局\n    region: \"341322\"\n    stems: [民政]\n", "")
    units.write_text(text, "utf-8")
    run = validate(gkml, project)
    [d] = findings(run, "GK409")
    assert d["severity"] == "warning" and d["file"] == AREAS and "萧县" in d["message"] and "民政" in d["message"]
    # the county's 民政 items are now unknown units; GK402 stays silent (it cannot know the lead)
    assert findings(run, "GK404") and not findings(run, "GK402")
