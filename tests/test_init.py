"""`gkml init`: claiming the upper level's matters for a new county (灵璧县, added to a copy of the registry)."""
from __future__ import annotations

import pytest
import yaml
from test_rules_support import append_registry

LINGBI_UNITS = [
    {"name": "灵璧县人民政府", "region": "341323", "stems": ["人民政府"]},
    {"name": "灵璧县民政局", "region": "341323", "stems": ["民政"]},
    {"name": "灵璧县发展和改革委员会", "region": "341323", "stems": ["发展改革"], "aliases": ["灵璧县发改委"]},
    {"name": "灵璧县公共资源交易中心", "region": "341323", "stems": ["公共资源交易"]},
    {"name": "灵璧县教育体育局", "region": "341323", "stems": ["教育", "体育"], "aliases": ["灵璧县教体局"]},
    {"name": "灵璧县人力资源和社会保障局", "region": "341323", "stems": ["人力资源社会保障"]},
    {"name": "灵璧县住房和城乡建设局", "region": "341323", "stems": ["住房城乡建设"]},
    {"name": "灵璧县财政局", "region": "341323", "stems": ["财政"]},
    {"name": "灵璧县农业农村局", "region": "341323", "stems": ["农业农村"]},
    {"name": "灵璧县市场监督管理局", "region": "341323", "stems": ["市场监管"]},
]


@pytest.fixture
def lingbi(project):
    """The default plus a registered county 灵璧县 (341323) with its units and no catalog yet."""
    append_registry(project, "regions", {"code": "341323", "name": "灵璧县", "level": "county", "parent": "341300"})
    append_registry(project, "units", *LINGBI_UNITS)
    return project


def _load(path):
    return yaml.safe_load(path.read_text("utf-8"))


def test_missing_before_init(gkml, lingbi):
    run = gkml(["validate", "--format", "json"], cwd=lingbi)
    assert run.code == 1
    assert {d["code"] for d in run.json["diagnostics"]} == {"GK401"}
    assert len(run.json["diagnostics"]) == 7


def test_init_county_validates_clean_and_implements_every_required_item(gkml, lingbi):
    run = gkml(["init", "--region", "341323"], cwd=lingbi)
    assert run.code == 0, run.out + run.err
    written = sorted((lingbi / "catalogs/341323").glob("*.yaml"))
    assert len(written) == 7
    assert "已写入" in run.out
    validate = gkml(["validate", "--format", "json"], cwd=lingbi)
    assert validate.code == 0, validate.out
    assert validate.json["diagnostics"] == []
    assert gkml(["coverage"], cwd=lingbi).code == 0
    # every city item required at county level is implemented, and nothing else
    required = set()
    for path in (lingbi / "catalogs/341300").glob("*.yaml"):
        required |= {i["id"] for i in _load(path)["items"] if "县级" in i.get("levels", [])}
    implemented = {i["implements"] for p in written for i in _load(p)["items"]}
    assert implemented == required


def test_written_catalog_is_editable_yaml(gkml, lingbi):
    gkml(["init", "--region", "341323", "--area", "义务教育"], cwd=lingbi)
    path = lingbi / "catalogs/341323/compulsory-education.yaml"
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/catalog.schema.json\n")
    data = _load(path)
    assert data["region"] == "341323" and data["level"] == "county" and data["standard"] is False
    assert data["area"] == "义务教育" and data["department"] == "灵璧县教育体育局"
    ids = [i["id"] for i in data["items"]]
    assert ids == [f"341323-ce-{n:03d}" for n in range(1, len(ids) + 1)]
    for item in data["items"]:
        assert item["levels"] == ["县级"] or item["levels"][0] == "县级"
        # 宿州市教育局 (教育) → 灵璧县教育体育局 (教育 + 体育): a merged bureau found by its function
        assert item["responsible_unit"] == "灵璧县教育体育局"
    # people edit it: flow lists for channels, one basis per line
    assert "    channels: [" in text and "    basis:\n      - " in text


def test_shared_row_keeps_township_level(gkml, lingbi):
    gkml(["init", "--region", "341323", "--area", "社会救助"], cwd=lingbi)
    items = {i["implements"]: i for i in _load(lingbi / "catalogs/341323/social-assistance.yaml")["items"]}
    assert items["341300-sa-003"]["levels"] == ["县级", "乡级"]   # city row ticked 市级, 县级, 乡级
    assert items["341300-sa-001"]["levels"] == ["县级"]


def test_never_overwrites(gkml, lingbi):
    target = lingbi / "catalogs/341323/employment.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("# 手写的内容\n", "utf-8")
    run = gkml(["init", "--region", "341323"], cwd=lingbi)
    assert run.code == 0
    assert target.read_text("utf-8") == "# 手写的内容\n"
    assert "跳过 catalogs/341323/employment.yaml" in run.out
    again = gkml(["init", "--region", "341323"], cwd=lingbi)
    assert again.out.count("跳过") == 7 and "已写入" not in again.out


def test_existing_catalog_under_another_name_is_skipped(gkml, project):
    run = gkml(["init", "--region", "341321", "--area", "就业创业"], cwd=project)
    assert run.code == 0
    assert "跳过" in run.out and "catalogs/341321/employment.yaml" in run.out


def test_ids_stay_unique(gkml, lingbi):
    """An id already used elsewhere in the set is skipped over."""
    path = lingbi / "catalogs/341322/employment.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace('id: "341322-ee-008"', 'id: "341323-ee-001"'), "utf-8")
    gkml(["init", "--region", "341323", "--area", "就业创业"], cwd=lingbi)
    ids = [i["id"] for i in _load(lingbi / "catalogs/341323/employment.yaml")["items"]]
    assert "341323-ee-001" not in ids and ids[0] == "341323-ee-002"
    assert len(set(ids)) == len(ids)


def test_unit_without_counterpart_falls_back_to_lead(gkml, project):
    """宿州市公共资源交易监督管理局 has no county counterpart registered for 灵璧县 here."""
    append_registry(project, "regions", {"code": "341323", "name": "灵璧县", "level": "county", "parent": "341300"})
    append_registry(project, "units", *[u for u in LINGBI_UNITS if u["stems"] != ["公共资源交易"]])
    run = gkml(["init", "--region", "341323", "--area", "公共资源交易"], cwd=project)
    assert run.code == 0
    assert "注意" in run.out
    units = {i["responsible_unit"] for i in _load(project / "catalogs/341323/public-resource-trading.yaml")["items"]}
    assert units == {"灵璧县发展和改革委员会"}
    # issue 17 defect 16: where and how to register the missing unit, once per upper unit
    assert "catalogs/registry/units.yaml" in run.out
    assert "  - name: 灵璧县公共资源交易监督管理局\n    region: \"341323\"\n    stems: [公共资源交易]" in run.out
    names = [line for line in run.out.splitlines() if line.startswith("  - name: ")]
    assert len(names) == len(set(names)) == 2
    notes = [line for line in run.out.splitlines() if line.startswith("  注意:")]
    assert len(notes) == len(set(notes)) == 3            # a line per guessed unit naming its items, then the lines to add
    assert "341323-prt-003、341323-prt-004" in run.out


@pytest.mark.parametrize("args, message", [
    (["--region", "999999"], "不在地区登记表中"),
    (["--region", "341323"], "不在地区登记表中"),          # not registered in the plain default
    (["--region", "341321", "--area", "社会救济"], "不在登记表中"),
    (["--region", "341321", "--root", "nowhere"], "不存在"),
])
def test_usage_errors(gkml, project, args, message):
    run = gkml(["init", *args], cwd=project)
    assert run.code == 2
    assert message in run.err


def test_area_alias_and_did_you_mean(gkml, lingbi):
    run = gkml(["init", "--region", "341323", "--area", "房屋征收"], cwd=lingbi)
    assert run.code == 0
    assert (lingbi / "catalogs/341323/housing-expropriation.yaml").exists()
    bad = gkml(["init", "--region", "341323", "--area", "公共资源交易领"], cwd=lingbi)
    assert bad.code == 2 and "公共资源交易" in bad.err


def test_unregistered_region_says_what_to_add(gkml, project):
    """Issue 17 defect 16: not only "是不是 341322?", but the file and the lines to add, which then work."""
    run = gkml(["init", "--region", "341323"], cwd=project)
    assert run.code == 2
    line = '  - {code: "341323", name: 填写地区名称, level: county, parent: "341300"}'
    assert "catalogs/registry/regions.yaml" in run.err and line in run.err
    assert "catalogs/registry/units.yaml" in run.err and '    region: "341323"' in run.err
    regions = project / "catalogs/registry/regions.yaml"
    regions.write_text(regions.read_text("utf-8") + line.replace("填写地区名称", "灵璧县") + "\n", "utf-8")
    assert gkml(["init", "--region", "341323", "--area", "义务教育"], cwd=project).code == 0


@pytest.mark.parametrize("code, line", [
    ("341321104", '  - {code: "341321104", name: 填写地区名称, level: township, parent: "341321"}'),
    ("341321104000", '  - {code: "341321104000", name: 填写地区名称, level: township, parent: "341321"}'),
    ("350000", '  - {code: "350000", name: 填写地区名称, level: province}'),
    ("341400", '  - {code: "341400", name: 填写地区名称, level: city, parent: "340000"}'),
])
def test_region_lines_follow_the_code(gkml, project, code, line):
    run = gkml(["init", "--region", code], cwd=project)
    assert run.code == 2 and line in run.err


def test_township_claims_with_its_registered_government(gkml, project):
    """A township without offices of the function publishes as its government (never 乡级民政部门)."""
    append_registry(project, "regions", {"code": "341321104", "name": "葛集镇", "level": "township", "parent": "341321"})
    append_registry(project, "units", {"name": "葛集镇人民政府", "region": "341321104", "stems": ["人民政府"]})
    run = gkml(["init", "--region", "341321104"], cwd=project)   # no area requires township catalogs
    assert run.code == 0, run.err
    written = sorted((project / "catalogs/341321104").glob("*.yaml"))
    assert written
    catalogs = [_load(p) for p in written]
    assert {c["department"] for c in catalogs} == {"葛集镇人民政府"}
    assert {i["responsible_unit"] for c in catalogs for i in c["items"]} == {"葛集镇人民政府"}
    assert all(i["id"].startswith("341321104-") for c in catalogs for i in c["items"])
    validate = gkml(["validate", "--format", "json"], cwd=project)
    assert validate.code == 0, [d["message"] for d in validate.json["diagnostics"]]


def test_township_office_of_the_function_comes_first(gkml, project):
    append_registry(project, "regions", {"code": "341321104", "name": "葛集镇", "level": "township", "parent": "341321"})
    append_registry(project, "units", {"name": "葛集镇人民政府", "region": "341321104", "stems": ["人民政府"]},
                    {"name": "葛集镇社会事务办公室", "region": "341321104", "stems": ["民政"]})
    assert gkml(["init", "--region", "341321104", "--area", "社会救助"], cwd=project).code == 0
    data = _load(project / "catalogs/341321104/social-assistance.yaml")
    assert data["department"] == "葛集镇社会事务办公室"
    assert {i["responsible_unit"] for i in data["items"]} == {"葛集镇社会事务办公室"}


def test_claimed_ids_follow_the_set_convention(gkml, lingbi):
    """<地区代码>-<领域简称>-<序号>, the short tag the upper level's ids use (docs/format.md)."""
    gkml(["init", "--region", "341323"], cwd=lingbi)
    for path in (lingbi / "catalogs/341323").glob("*.yaml"):
        data = _load(path)
        tags = {i["implements"].split("-")[1] for i in data["items"]}
        assert {i["id"].rsplit("-", 1)[0] for i in data["items"]} == {f"341323-{t}" for t in tags}


def test_a_code_that_is_not_a_code_gets_no_lines_to_add(gkml, project):
    run = gkml(["init", "--region", "../../x"], cwd=project)
    assert run.code == 2 and "6 位数字" in run.err and "regions:" not in run.err
