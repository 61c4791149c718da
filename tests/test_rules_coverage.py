"""Horizontal coverage rules (GK401–GK406) on copies of the embedded default."""
from __future__ import annotations

import pytest
from conftest import expect
from test_rules_support import append_registry, findings


def validate(gkml, root):
    return gkml(["validate", "--format", "json", "--no-cache"], cwd=root)


def _header(path, key, value):
    text = path.read_text("utf-8")
    lines = text.splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.startswith(f"{key}:"):
            lines[n] = f"{key}: {value}\n"
            path.write_text("".join(lines), "utf-8")
            return n + 1
    raise AssertionError(key)


@pytest.mark.parametrize("written, suggestion", [("社会救济", "社会救助"), ("公共资源交易领", "公共资源交易")])
def test_unknown_area_with_suggestion(gkml, project, written, suggestion):
    path = project / "catalogs/341321/social-assistance.yaml"
    line = _header(path, "area", written)
    run = validate(gkml, project)
    expect(run, ("GK403", "catalogs/341321/social-assistance.yaml", line))
    assert suggestion in findings(run, "GK403")[0]["message"]
    # the area is now missing for 砀山县 too
    assert any("社会救助与社会福利" in d["message"] for d in findings(run, "GK401"))


def test_area_alias_counts(gkml, project):
    _header(project / "catalogs/341321/social-assistance.yaml", "area", "社会救助")
    assert validate(gkml, project).code == 0


def test_unregistered_region(gkml, project):
    path = project / "catalogs/341321/social-assistance.yaml"
    line = _header(path, "region", '"341329"')
    run = validate(gkml, project)
    expect(run, ("GK405", "catalogs/341321/social-assistance.yaml", line))


def test_level_differs_from_registry(gkml, project):
    """A county-shaped code registered as a county, written as a city catalog."""
    append_registry(project, "regions", {"code": "341371", "name": "宿州经济技术开发区", "level": "county",
                                         "parent": "341300", "kind": "development_zone", "areas": ["就业创业"]})
    append_registry(project, "units", {"name": "宿州经济技术开发区管理委员会", "region": "341371",
                                       "stems": ["人力资源社会保障", "人民政府"]})
    source = (project / "catalogs/341321/employment.yaml").read_text("utf-8")
    target = project / "catalogs/341371/employment.yaml"
    target.parent.mkdir()
    text = source.replace('region: "341321"', 'region: "341371"').replace("level: county", "level: city")
    text = text.replace("砀山县人力资源和社会保障局", "宿州经济技术开发区管理委员会").replace('"341321-ee-', '"341371-ee-')
    target.write_text(text, "utf-8")
    run = validate(gkml, project)
    assert "GK406" in {d["code"] for d in run.json["diagnostics"]}


def test_lead_unit_must_disclose_something(gkml, project):
    path = project / "catalogs/341322/housing-expropriation.yaml"
    text = path.read_text("utf-8").replace("responsible_unit: 萧县住房和城乡建设局", "responsible_unit: 萧县人民政府")
    path.write_text(text, "utf-8")
    run = validate(gkml, project)
    [d] = findings(run, "GK402")
    assert d["file"] == "catalogs/341322/housing-expropriation.yaml"
    assert "萧县住房和城乡建设局" in d["message"]


def test_lead_unit_by_alias_counts(gkml, project):
    path = project / "catalogs/341322/housing-expropriation.yaml"
    text = path.read_text("utf-8").replace("responsible_unit: 萧县住房和城乡建设局", "responsible_unit: 萧县住建局")
    path.write_text(text, "utf-8")
    assert validate(gkml, project).code == 0


def test_region_entry_position_of_missing_catalog(gkml, project):
    # 房屋征收 is no township's area, so the townships' items keep their upper items
    (project / "catalogs/341322/housing-expropriation.yaml").unlink()
    run = validate(gkml, project)
    [d] = run.json["diagnostics"]
    assert (d["code"], d["file"], d["line"]) == ("GK401", "catalogs/registry/regions.yaml", 6)
    assert d["related"][0]["file"] == "catalogs/registry/areas.yaml"
    assert "gkml init --region 341322" in d["hint"]


def test_development_zone_with_unknown_area(gkml, project):
    append_registry(project, "regions", {"code": "341371", "name": "宿州经济技术开发区", "level": "county",
                                         "parent": "341300", "kind": "development_zone", "areas": ["招商引资"]})
    assert findings(validate(gkml, project), "GK403")


def test_english_messages(gkml, project):
    # 房屋征收 is no township's area, so the townships' items keep their upper items
    (project / "catalogs/341322/housing-expropriation.yaml").unlink()
    run = gkml(["validate", "--format", "json", "--no-cache", "--lang", "en"], cwd=project)
    assert "has no catalog for the key area" in run.json["diagnostics"][0]["message"]
