"""Vertical consistency (GK6xx) on copies of the embedded default and on small hand-built sets."""
from __future__ import annotations

import pytest
from conftest import expect
from test_rules_support import (
    catalog,
    drop_key,
    findings,
    item,
    line_of,
    remove_item,
    set_key,
    write_yaml,
)

SA_COUNTY = "catalogs/341321/social-assistance.yaml"
SA_CITY = "catalogs/341300/social-assistance.yaml"


def validate(gkml, root):
    return gkml(["validate", "--format", "json", "--no-cache"], cwd=root)


# --- GK603: every required upper item is implemented ---------------------------------------------

def test_deleted_county_item_names_county_upper_item_and_location(gkml, project):
    remove_item(project / SA_COUNTY, "341321-sa-002")  # implements 341300-sa-002 (市级, 县级)
    run = validate(gkml, project)
    assert run.code == 1
    [finding] = run.json["diagnostics"]
    assert finding["code"] == "GK603" and finding["file"] == SA_COUNTY
    assert "砀山县" in finding["message"] and "341300-sa-002" in finding["message"]
    [upper] = finding["related"]
    assert upper["file"] == SA_CITY and upper["item"] == "341300-sa-002"
    assert upper["line"] == line_of(project / SA_CITY, "341300-sa-002")


def test_deleted_city_item_names_the_province_item(gkml, project):
    """宿州市 drops its item implementing 340000-sa-001 (省级, 市级, 县级): the city and, below it,
    each county lack the province item; the counties' own items now dangle."""
    remove_item(project / SA_CITY, "341300-sa-001")
    run = validate(gkml, project)
    missing = findings(run, "GK603")
    named = {(d["file"], d["related"][0]["item"]) for d in missing}
    assert ("catalogs/341300/social-assistance.yaml", "340000-sa-001") in named
    assert all(d["related"][0]["file"] == "catalogs/340000/social-assistance.yaml" for d in missing)
    assert {d["item"] for d in findings(run, "GK601")} == {"341321-sa-001", "341322-sa-001"}


def test_implementation_through_the_intermediate_level(gkml, project):
    """County items reach province items through the city item: no finding for the province item."""
    run = validate(gkml, project)
    assert run.code == 0


def test_each_region_lacking_it_is_named(gkml, project):
    remove_item(project / SA_COUNTY, "341321-sa-004")
    remove_item(project / "catalogs/341322/social-assistance.yaml", "341322-sa-004")
    run = validate(gkml, project)
    missing = findings(run, "GK603")
    # the city item is ticked 乡级 too: each of the default's eight townships lacks it as well
    townships = {f"catalogs/{code}/social-assistance.yaml" for code in (
        "341321101", "341321102", "341321103", "341322001", "341322100", "341322101", "341322102")}
    assert {(d["file"], d["related"][0]["item"]) for d in missing} == {
        (SA_COUNTY, "341300-sa-004"), ("catalogs/341322/social-assistance.yaml", "341300-sa-004"),
        ("catalogs/341321100/catalog.yaml", "341300-sa-004"), *((f, "341300-sa-004") for f in townships)}


def test_item_required_below_an_area_not_required_there_is_reported_at_the_upper_item(gkml, project):
    areas = project / "catalogs/registry/areas.yaml"
    text = areas.read_text("utf-8")
    # 食品药品安全 no longer required at county level (nor below); counties drop their catalogs
    text = text.replace("  - name: 食品药品安全\n    slug: food-drug-safety\n    aliases: [食品安全, 药品安全, 食品药品监管]\n    levels: [province, city, county, township]",
                        "  - name: 食品药品安全\n    slug: food-drug-safety\n    aliases: [食品安全, 药品安全, 食品药品监管]\n    levels: [province, city]")
    assert "levels: [province, city]\n    lead: 市场监管" in text
    areas.write_text(text, "utf-8")
    (project / "catalogs/341321/food-drug-safety.yaml").unlink()
    (project / "catalogs/341322/food-drug-safety.yaml").unlink()
    for township in project.glob("catalogs/?????????/food-drug-safety.yaml"):   # and so do the townships
        township.unlink()
    sections = project / "catalogs/341321100/catalog.yaml"   # 砀城镇's last section is this area's
    text = sections.read_text("utf-8")
    sections.write_text(text[:text.index("  - area: 食品药品安全\n")], "utf-8")
    run = validate(gkml, project)
    missing = findings(run, "GK603")
    assert missing and all(d["file"] == "catalogs/341300/food-drug-safety.yaml" for d in missing)
    assert {d["message"].split("(")[0] for d in missing} >= {"砀山县", "萧县"}


# --- weakening: one finding each, at the county item's line -------------------------------------

@pytest.mark.parametrize("key, value, code", [
    ("time_limit", "信息形成或者变更之日起30个工作日内", "GK606"),
    ("time_limit", "30工作日", "GK606"),
    ("method", "依申请", "GK604"),
    ("method", "依申请公开", "GK604"),      # synonym: also a GK301 warning
    ("audience", "特定群体", "GK605"),
])
def test_weakening(gkml, project, key, value, code):
    path = project / SA_COUNTY
    set_key(path, "341321-sa-002", key, value)
    run = validate(gkml, project)
    weak = [d for d in run.json["diagnostics"] if d["code"].startswith("GK6")]
    assert len(weak) == 1
    [d] = weak
    assert d["code"] == code and d["item"] == "341321-sa-002" and d["file"] == SA_COUNTY
    assert d["line"] == line_of(path, "341321-sa-002", key)
    assert d["related"][0]["item"] == "341300-sa-002"
    assert "341300-sa-002" in d["message"]


@pytest.mark.parametrize("value", ["信息形成或者变更之日起10个工作日内", "20工作日", "实时公开", "信息形成20个工作日内公开",
                                   "3日内", "及时公开"])
def test_shorter_or_equal_or_uncomparable_is_fine(gkml, project, value):
    set_key(project / SA_COUNTY, "341321-sa-002", "time_limit", value)
    assert validate(gkml, project).code == 0


def test_unreadable_lower_limit_is_a_warning(gkml, project):
    path = project / SA_COUNTY
    set_key(path, "341321-sa-002", "time_limit", "按上级要求办理")
    run = validate(gkml, project)
    assert run.code == 0
    expect(run, ("GK607", SA_COUNTY, line_of(path, "341321-sa-002", "time_limit")), exact=True)


def test_dropped_channel(gkml, project):
    path = project / SA_COUNTY
    set_key(path, "341321-sa-002", "channels", "[政府网站, 政务服务中心, 社区/企事业单位/村公示栏(电子屏)]")
    run = validate(gkml, project)
    expect(run, ("GK608", SA_COUNTY, line_of(path, "341321-sa-002", "channels")), exact=True)
    assert "两微一端" in run.json["diagnostics"][0]["message"]


def test_channel_moved_to_optional_counts_as_dropped(gkml, project):
    path = project / SA_COUNTY
    set_key(path, "341321-sa-002", "channels", "[政府网站, 政务服务中心]")
    set_key(path, "341321-sa-002", "optional_channels", "[两微一端, 纸质媒体]")
    assert {d["code"] for d in validate(gkml, project).json["diagnostics"]} == {"GK608"}


def test_added_channel_is_fine(gkml, project):
    set_key(project / SA_COUNTY, "341321-sa-002", "channels", "[政府网站, 两微一端, 政务服务中心, 精准推送]")
    assert validate(gkml, project).code == 0


def test_row_shared_by_county_and_township_keeps_both_levels(gkml, project):
    """341300-sa-003 is ticked 市级, 县级, 乡级: the county row must keep 县级 and 乡级."""
    path = project / SA_COUNTY
    set_key(path, "341321-sa-003", "levels", "[县级]")
    run = validate(gkml, project)
    expect(run, ("GK609", SA_COUNTY, line_of(path, "341321-sa-003", "levels")), exact=True)
    assert "乡级" in run.json["diagnostics"][0]["message"]


def test_levels_not_stated_are_not_checked(gkml, project):
    drop_key(project / SA_COUNTY, "341321-sa-003", "levels")
    assert validate(gkml, project).code == 0


# --- GK601 / GK602: implements resolves to the upper region -------------------------------------

def test_dangling_reference_with_suggestion(gkml, project):
    path = project / SA_COUNTY
    set_key(path, "341321-sa-002", "implements", '"341300-sa-0002"')   # 341300-sa-02 is as near 341300-sa-012
    run = validate(gkml, project)
    [d] = findings(run, "GK601")
    assert d["line"] == line_of(path, "341321-sa-002", "implements")
    assert "341300-sa-002" in d["message"]   # did you mean
    assert run.code == 1


def test_reference_skipping_the_city_is_wrong_region(gkml, project):
    path = project / SA_COUNTY
    set_key(path, "341321-sa-002", "implements", '"340000-sa-002"')
    run = validate(gkml, project)
    [d] = findings(run, "GK602")
    assert d["line"] == line_of(path, "341321-sa-002", "implements")
    assert "宿州市" in d["message"] and d["related"][0]["item"] == "340000-sa-002"


def test_reference_to_a_sibling_county_is_wrong_region(gkml, project):
    set_key(project / SA_COUNTY, "341321-sa-002", "implements", '"341322-sa-002"')
    assert findings(validate(gkml, project), "GK602")


def test_self_reference_is_wrong_region(gkml, project):
    set_key(project / SA_COUNTY, "341321-sa-002", "implements", '"341321-sa-002"')
    assert findings(validate(gkml, project), "GK602")


def test_checking_a_county_alone_does_not_report_unverifiable_references(gkml, project):
    run = gkml(["validate", "--format", "json", "--no-cache", "catalogs/341321"], cwd=project)
    assert run.code == 0, run.out


# --- a missing tier: a city without counties (市级 → 乡级) -------------------------------------------

def _tierless(root, township_implements="441900-sa-001", levels=("市级", "乡级")):
    reg = root / "catalogs/registry"
    write_yaml(reg / "regions.yaml", {"regions": [
        {"code": "440000", "name": "广东省", "level": "province"},
        {"code": "441900", "name": "东莞市", "level": "city", "parent": "440000"},
        {"code": "441900003", "name": "东城街道", "level": "township", "parent": "441900"},
        {"code": "441900004", "name": "南城街道", "level": "township", "parent": "441900"}]})
    write_yaml(reg / "areas.yaml", {"areas": [
        {"name": "社会救助", "slug": "social-assistance", "levels": ["city", "township"], "lead": "民政"}]})
    write_yaml(reg / "units.yaml", {"units": [
        {"name": "东莞市民政局", "region": "441900", "stems": ["民政"]},
        {"name": "东莞市东城街道办事处", "region": "441900003", "stems": ["民政", "人民政府"]},
        {"name": "东莞市南城街道办事处", "region": "441900004", "stems": ["民政", "人民政府"]}]})
    write_yaml(root / "catalogs/441900/social-assistance.yaml", catalog("441900", "city", "社会救助", "东莞市民政局", [
        item("441900-sa-001", "最低生活保障", "东莞市民政局", levels=list(levels))], standard=True))
    for code, unit in (("441900003", "东莞市东城街道办事处"), ("441900004", "东莞市南城街道办事处")):
        write_yaml(root / f"catalogs/{code}/social-assistance.yaml", catalog(code, "township", "社会救助", unit, [
            item(f"{code}-sa-001", "最低生活保障", unit, levels=["乡级"], implements=township_implements)]))


def test_missing_tier_townships_implement_the_city(gkml, tmp_path):
    _tierless(tmp_path)
    run = validate(gkml, tmp_path)
    assert run.code == 0, run.out


def test_missing_tier_township_lacking_the_city_item(gkml, tmp_path):
    _tierless(tmp_path)
    path = tmp_path / "catalogs/441900004/social-assistance.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("implements: 441900-sa-001\n", "").replace("matter: 最低生活保障", "matter: 临时救助"), "utf-8")
    run = validate(gkml, tmp_path)
    [d] = findings(run, "GK603")
    assert d["file"] == "catalogs/441900004/social-assistance.yaml" and "南城街道" in d["message"]
    assert d["related"][0]["file"] == "catalogs/441900/social-assistance.yaml"


# --- development zones: a level of their own, only the areas they administer ----------------------

def test_development_zone_covers_only_its_areas(gkml, project):
    from test_rules_support import append_registry
    append_registry(project, "regions", {"code": "341371", "name": "宿州经济技术开发区", "level": "county",
                                         "parent": "341300", "kind": "development_zone", "areas": ["公共资源交易"]})
    append_registry(project, "units",
                    {"name": "宿州经济技术开发区管理委员会", "region": "341371", "stems": ["人民政府", "发展改革", "公共资源交易"],
                     "aliases": ["宿州经开区管委会"]})
    run = validate(gkml, project)
    assert [(d["code"], "公共资源交易" in d["message"]) for d in run.json["diagnostics"]] == [("GK401", True)]
    gkml(["init", "--region", "341371"], cwd=project)
    assert sorted(p.name for p in (project / "catalogs/341371").iterdir()) == ["public-resource-trading.yaml"]
    run = validate(gkml, project)
    assert run.code == 0, run.out


# --- issue 17 defect 11: one error, one finding ----------------------------------------------------

@pytest.mark.parametrize("value, code", [
    ("政府网站、两微一端、政务服务中心", "GK203"),       # a 、-separated text where a list belongs
    ("[政府网站, 两微一端, 政俯网站]", "GK204"),          # a typo: not a channel at all
    ("[]", "GK206"),
])
def test_a_channels_error_does_not_cascade_into_dropped_channels(gkml, project, value, code):
    path = project / SA_COUNTY
    set_key(path, "341321-sa-002", "channels", value)
    run = validate(gkml, project)
    expect(run, (code, SA_COUNTY, line_of(path, "341321-sa-002", "channels")), exact=True)


def test_missing_channels_do_not_cascade_into_dropped_channels(gkml, project):
    drop_key(project / SA_COUNTY, "341321-sa-002", "channels")
    assert {d["code"] for d in validate(gkml, project).json["diagnostics"]} == {"GK201"}


def test_the_list_hint_splits_the_text_and_is_itself_valid(gkml, project):
    """The GK203 hint for 政府网站、两微一端;行政服务中心 is the canonical list; written as suggested it passes."""
    path = project / SA_COUNTY
    set_key(path, "341321-sa-002", "channels", "政府网站、两微一端;行政服务中心")
    [finding] = validate(gkml, project).json["diagnostics"]
    assert "channels: [政府网站, 两微一端, 政务服务中心]," in finding["hint"], finding["hint"]
    set_key(path, "341321-sa-002", "channels", finding["hint"].split("channels: ")[1].split("],")[0] + "]")
    assert validate(gkml, project).json["diagnostics"] == []


# --- issue 17 defect 18: a cycle through the top level is named ----------------------------------

def test_implements_cycle_through_the_province_names_ids_and_regions(gkml, project):
    path = project / "catalogs/340000/social-assistance.yaml"
    set_key(path, "340000-sa-001", "implements", '"341300-sa-001"')  # which implements 340000-sa-001
    run = validate(gkml, project)
    expect(run, ("GK610", "catalogs/340000/social-assistance.yaml", line_of(path, "340000-sa-001", "implements")), exact=True)
    message = run.json["diagnostics"][0]["message"]
    assert "340000-sa-001(安徽省) → 341300-sa-001(宿州市) → 340000-sa-001(安徽省)" in message, message
    assert "上级地区上级地区" not in message and "(?)" not in message


def test_a_province_item_implementing_below_without_a_cycle(gkml, project):
    path = project / "catalogs/340000/social-assistance.yaml"
    set_key(path, "340000-sa-001", "implements", '"341321-sa-003"')
    [finding] = validate(gkml, project).json["diagnostics"]
    assert finding["code"] == "GK610" and "循环" not in finding["message"]
    assert finding["message"].startswith("安徽省(340000)之上没有编制“社会救助与社会福利”目录的地区"), finding["message"]
