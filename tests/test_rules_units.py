"""Responsible units (GK404, GK411–GK413): the naming pitfalls of DOMAIN.md §5."""
from __future__ import annotations

import pytest
from conftest import expect
from test_rules_support import append_registry, findings, line_of, set_key

SA = "catalogs/341321/social-assistance.yaml"
AS = "catalogs/341321/agricultural-subsidies.yaml"


def validate(gkml, root, *extra):
    return gkml(["validate", "--format", "json", "--no-cache", *extra], cwd=root)


def unit_findings(run) -> list[dict]:
    """The findings of a run dated by SOURCE_DATE_EPOCH, less GK907: a run date before the default's
    effective dates also makes its catalogs 未生效 (tests/test_validity.py); these tests are about names."""
    return [d for d in run.json["diagnostics"] if d["code"] != "GK907"]


@pytest.mark.parametrize("name", [
    "砀山县民政局",                 # full name
    "砀山县住建局",                 # registered short name (住建局 = 住房和城乡建设局)
    "砀山县 民政局",                # a stray space
    "砀山县财政局（国资委）",        # merged bureau note, full-width brackets
    "砀山县财政局(国资委)",
])
def test_names_that_resolve(gkml, project, name):
    set_key(project / SA, "341321-sa-009", "co_units", f"[{name}]")
    run = validate(gkml, project)
    assert not findings(run, "GK404"), run.out


def test_unknown_unit_with_suggestion(gkml, project):
    path = project / SA
    set_key(path, "341321-sa-002", "responsible_unit", "砀山县民证局")
    run = validate(gkml, project)
    [d] = findings(run, "GK404")
    assert d["line"] == line_of(path, "341321-sa-002", "responsible_unit")
    assert "砀山县民政局" in d["message"] and "公开主体" in d["message"]
    assert run.code == 1


def test_unknown_co_unit(gkml, project):
    path = project / SA
    set_key(path, "341321-sa-009", "co_units", "[砀山县财政局, 砀山县审计所]")
    run = validate(gkml, project)
    [d] = findings(run, "GK404")
    assert d["path"] == "/items/8/co_units/1" and "共同公开单位" in d["message"]


def test_county_catalog_naming_a_province_department(gkml, project):
    path = project / SA
    set_key(path, "341321-sa-002", "responsible_unit", "安徽省民政厅")
    run = validate(gkml, project)
    [d] = findings(run, "GK411")
    assert d["line"] == line_of(path, "341321-sa-002", "responsible_unit")
    assert "安徽省" in d["message"] and "砀山县" in d["message"]
    assert "砀山县民政局" in d["hint"]                       # the counterpart by function
    assert d["related"][0]["file"] == "catalogs/registry/units.yaml"


def test_province_alias_in_county_catalog(gkml, project):
    set_key(project / SA, "341321-sa-002", "responsible_unit", "省民政厅")
    assert findings(validate(gkml, project), "GK411")


def test_sibling_county_unit(gkml, project):
    set_key(project / SA, "341321-sa-002", "responsible_unit", "萧县民政局")
    assert findings(validate(gkml, project), "GK411")


def test_branch_and_vertically_managed_units_serve_their_region(gkml, project):
    """区公安分局/生态环境分局 and 税务 are registered under the county they serve: no GK411."""
    append_registry(project, "units",
                    {"name": "宿州市生态环境局砀山分局", "region": "341321", "stems": ["生态环境"], "aliases": ["砀山生态环境分局"]},
                    {"name": "国家税务总局砀山县税务局", "region": "341321", "stems": ["税务"], "aliases": ["砀山县税务局"]})
    set_key(project / AS, "341321-as-002", "co_units", "[砀山县农业农村局, 砀山县税务局, 砀山生态环境分局]")
    assert validate(gkml, project).code == 0


def test_renamed_unit_after_the_date_is_a_warning(gkml, project, monkeypatch):
    path = project / AS
    set_key(path, "341321-as-007", "responsible_unit", "砀山县扶贫开发办公室")   # renamed 2021-06-01
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")                       # 2024-01-01
    run = validate(gkml, project)
    assert run.code == 0
    [d] = unit_findings(run)
    assert (d["code"], d["file"], d["line"]) == ("GK412", AS, line_of(path, "341321-as-007", "responsible_unit"))
    assert "砀山县乡村振兴局" in d["message"]
    assert "2021-06-01" in d["message"]


def test_former_name_before_the_rename_date_is_fine(gkml, project, monkeypatch):
    set_key(project / AS, "341321-as-007", "responsible_unit", "砀山县扶贫开发办公室")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")                       # 2020-01-01
    assert unit_findings(validate(gkml, project)) == []


def test_rename_chain_into_a_merged_bureau(gkml, project, monkeypatch):
    """扶贫办 → 乡村振兴局 → merged into 农业农村局: both old names point at the current unit."""
    units = project / "catalogs/registry/units.yaml"
    text = units.read_text("utf-8")
    text = text.replace("  - name: 砀山县乡村振兴局\n    region: \"341321\"\n    stems: [乡村振兴]\n"
                        "    renamed_from: [{name: 砀山县扶贫开发办公室, until: \"2021-06-01\"}]\n", "")
    text = text.replace("  - name: 砀山县农业农村局\n    region: \"341321\"\n    stems: [农业农村]\n",
                        "  - name: 砀山县农业农村局\n    region: \"341321\"\n    stems: [农业农村, 乡村振兴]\n"
                        "    renamed_from: [{name: 砀山县扶贫开发办公室, until: \"2021-06-01\"}, {name: 砀山县乡村振兴局, until: \"2024-01-01\"}]\n")
    units.write_text(text, "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")                       # 2025-01-01
    run = validate(gkml, project)
    [d] = unit_findings(run)
    assert d["code"] == "GK412" and "砀山县农业农村局" in d["message"] and d["item"] == "341321-as-007"


@pytest.mark.parametrize("name", ["县级农业农村部门", "镇级人民政府", "相关审批部门", "乡镇人民政府(街道办事处)"])
def test_placeholder_in_published_catalog_is_a_warning(gkml, project, name):
    path = project / AS
    set_key(path, "341321-as-004", "co_units", f"[{name}]")
    run = validate(gkml, project)
    assert run.code == 0
    expect(run, ("GK413", AS, line_of(path, "341321-as-004", "co_units")), exact=True)


def test_placeholder_suggests_the_local_unit(gkml, project):
    set_key(project / AS, "341321-as-004", "co_units", "[县级农业农村部门]")
    [d] = validate(gkml, project).json["diagnostics"]
    assert "砀山县农业农村局" in d["hint"]


def test_placeholder_in_a_standard_is_fine(gkml, project):
    path = project / "catalogs/341300/agricultural-subsidies.yaml"
    set_key(path, "341300-as-005", "co_units", "[县级农业农村部门, 相关审批部门]")
    assert validate(gkml, project).json["diagnostics"] == []


def test_registered_placeholder(gkml, project):
    append_registry(project, "units", {"name": "各村(社区)", "region": "341321", "placeholder": True})
    set_key(project / AS, "341321-as-004", "co_units", "[各村(社区)]")
    run = validate(gkml, project)
    assert [d["code"] for d in run.json["diagnostics"]] == ["GK413"]


def test_no_unit_registry_means_no_unit_checks(gkml, project):
    (project / "catalogs/registry/units.yaml").unlink()
    set_key(project / SA, "341321-sa-002", "responsible_unit", "随便一个单位")
    codes = {d["code"] for d in validate(gkml, project).json["diagnostics"]}
    assert not codes & {"GK404", "GK411", "GK412"}


def test_suggestion_from_another_region_when_the_own_has_none(gkml, project):
    set_key(project / SA, "341321-sa-002", "responsible_unit", "安徽省民证厅")
    [d] = findings(validate(gkml, project), "GK404")
    assert "安徽省民政厅" in d["message"]


@pytest.mark.parametrize("written", ["砀山县卫健委", "砀山县卫生健康委", "砀山县卫生健康委员会"])
def test_unregistered_short_forms_resolve(gkml, project, written):
    """卫健委 = 卫生健康委员会 even when the registry lists no alias."""
    append_registry(project, "units", {"name": "砀山县卫生健康委员会", "region": "341321", "stems": ["卫生健康"]})
    set_key(project / SA, "341321-sa-009", "co_units", f"[{written}]")
    assert validate(gkml, project).json["diagnostics"] == []


def test_short_form_of_a_former_name(gkml, project, monkeypatch):
    set_key(project / AS, "341321-as-007", "responsible_unit", "砀山县扶贫办")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")
    [d] = unit_findings(validate(gkml, project))
    assert d["code"] == "GK412" and "砀山县乡村振兴局" in d["message"]


def test_short_form_without_its_unit_is_still_unknown(gkml, project):
    set_key(project / SA, "341321-sa-009", "co_units", "[砀山县卫健委]")
    assert [d["code"] for d in validate(gkml, project).json["diagnostics"]] == ["GK404"]
