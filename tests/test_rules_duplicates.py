"""No cross-department duplicates (GK501) and unique ids (GK303) across the set."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_rules_support import besides_townships_owed, copy_item, findings, line_of, set_key

from compiler.normalize import matter_key

SA = "catalogs/341321/social-assistance.yaml"
AS = "catalogs/341321/agricultural-subsidies.yaml"


def validate(gkml, root):
    return gkml(["validate", "--format", "json", "--no-cache"], cwd=root)


def test_item_copied_into_another_departments_catalog(gkml, project):
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-as-099")
    run = validate(gkml, project)
    assert run.code == 1
    [d] = besides_townships_owed(run, "341321-as-099")
    assert d["code"] == "GK501"
    places = {(d["file"], d["line"]), (d["related"][0]["file"], d["related"][0]["line"])}
    assert places == {(SA, line_of(project / SA, "341321-sa-003", "matter")),
                      (AS, line_of(project / AS, "341321-as-099", "matter"))}
    other = d["related"][0]
    assert f"{other['file']}:{other['line']}" in d["message"]


def test_copy_under_another_unit_names_both_units(gkml, project):
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-as-099")
    set_key(project / AS, "341321-as-099", "responsible_unit", "砀山县财政局")
    [d] = besides_townships_owed(validate(gkml, project), "341321-as-099")
    assert "砀山县民政局" in d["message"] and "砀山县财政局" in d["message"]


@pytest.mark.parametrize("matter, sub_matter", [
    ("最低生活保障 ", "办事指南"),          # trailing space
    ("最低生活保障", "(办事指南)"),         # punctuation
    ("最低生活保障", "办事指南。"),
    ("低保", "服务指南"),                  # short forms
    ("最低生活保障", "辦事指南"),           # traditional characters (issue 17 defect 18)
    ("最低生活保障", "（辦事指南）"),        # traditional and full width
])
def test_normalised_names_still_match(gkml, project, matter, sub_matter):
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-as-099")
    set_key(project / AS, "341321-as-099", "matter", f'"{matter}"')
    set_key(project / AS, "341321-as-099", "sub_matter", f'"{sub_matter}"')
    assert [d["code"] for d in besides_townships_owed(validate(gkml, project), "341321-as-099")] == ["GK501"]


def test_full_width_text_matches(gkml, project):
    copy_item(project / "catalogs/341321/public-resource-trading.yaml", "341321-prt-007", project / AS, "341321-as-099")
    set_key(project / AS, "341321-as-099", "sub_matter", "采购公告及结果（２０２４）")
    set_key(project / "catalogs/341321/public-resource-trading.yaml", "341321-prt-007", "sub_matter", "采购公告及结果(2024)")
    assert [d["code"] for d in validate(gkml, project).json["diagnostics"]] == ["GK501"]


def test_traditional_sub_matter_matches_simplified(gkml, project):
    """最低生活保障 / 保障標準 (typed with a traditional input method) is 保障标准 listed twice."""
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-as-099")
    set_key(project / AS, "341321-as-099", "sub_matter", "保障標準")
    [d] = besides_townships_owed(validate(gkml, project), "341321-as-099")
    assert d["code"] == "GK501" and {d["file"], d["related"][0]["file"]} == {AS, SA}


def test_alias_is_the_same_unit(gkml, project):
    copy_item(project / "catalogs/341321/housing-expropriation.yaml", "341321-he-004", project / AS, "341321-as-099")
    set_key(project / AS, "341321-as-099", "responsible_unit", "砀山县住建局")
    assert [d["code"] for d in validate(gkml, project).json["diagnostics"]] == ["GK501"]


def test_area_legitimately_split_between_departments(gkml, project):
    """涉农补贴: 农机购置补贴 by 农业农村局, 耕地地力保护 by 财政局 — different 二级 matters."""
    path = project / AS
    set_key(path, "341321-as-002", "matter", "涉农补贴")
    set_key(path, "341321-as-002", "sub_matter", "耕地地力保护补贴")
    set_key(path, "341321-as-004", "matter", "涉农补贴")
    set_key(path, "341321-as-004", "sub_matter", "农机购置补贴")
    run = validate(gkml, project)
    assert not findings(run, "GK501")


def test_same_matter_in_another_region_is_not_a_duplicate(gkml, project):
    # 341321-sa-002 and 341322-sa-002 share 一级/二级 and differ only in region
    assert validate(gkml, project).code == 0


@pytest.mark.parametrize("declared_on", ["copy", "original", "both"])
def test_declared_co_units_are_not_duplicates(gkml, project, declared_on):
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-as-099")
    set_key(project / AS, "341321-as-099", "responsible_unit", "砀山县财政局")
    if declared_on in ("copy", "both"):
        set_key(project / AS, "341321-as-099", "co_units", "[砀山县民政局]")
    if declared_on in ("original", "both"):
        set_key(project / SA, "341321-sa-003", "co_units", "[砀山县财政局]")
    assert not findings(validate(gkml, project), "GK501")


def test_co_unit_naming_a_third_unit_does_not_excuse(gkml, project):
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-as-099")
    set_key(project / AS, "341321-as-099", "responsible_unit", "砀山县财政局")
    set_key(project / AS, "341321-as-099", "co_units", "[砀山县农业农村局]")
    assert findings(validate(gkml, project), "GK501")


def test_listed_twice_in_one_catalog(gkml, project):
    copy_item(project / SA, "341321-sa-003", project / SA, "341321-sa-099")
    [d] = besides_townships_owed(validate(gkml, project), "341321-sa-099")
    assert d["code"] == "GK501" and d["item"] == "341321-sa-099" and d["related"][0]["item"] == "341321-sa-003"


def test_same_id_is_reported_once_as_duplicate_id(gkml, project):
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-sa-003")
    assert [d["code"] for d in validate(gkml, project).json["diagnostics"]] == ["GK303"]


def test_three_copies_give_two_findings(gkml, project):
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-as-098")
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-as-099")
    run = validate(gkml, project)
    assert [d["code"] for d in besides_townships_owed(run, "341321-as-098", "341321-as-099")] == ["GK501", "GK501"]


def test_related_location_in_every_format(gkml, project):
    copy_item(project / SA, "341321-sa-003", project / AS, "341321-as-099")
    text = gkml(["validate", "--no-cache"], cwd=project).out
    assert "相关位置" in text and AS in text and SA in text
    sarif = gkml(["validate", "--no-cache", "--format", "sarif"], cwd=project).json
    assert sarif["runs"][0]["results"][0].get("relatedLocations")


# --- the normalisation behind the comparison ------------------------------------------------------

_CJK = st.text(alphabet=st.sampled_from("最低生活保障临时救助办事指南特困人员认定结果政策文件"), min_size=1, max_size=12)
_NOISE = st.text(alphabet=st.sampled_from(" \u3000、，。()（）《》·/-"), max_size=3)


@given(_CJK, _CJK, _NOISE, _NOISE)
def test_key_ignores_spacing_and_punctuation(matter, sub, a, b):
    assert matter_key(a + matter + b, sub + a) == matter_key(matter, sub)


@given(st.text(alphabet=st.sampled_from("0123456789ABCabc"), min_size=1, max_size=8))
def test_key_ignores_full_width(text):
    full = "".join(chr(ord(c) + 0xFEE0) for c in text)
    assert matter_key("补贴" + full, None) == matter_key("补贴" + text, None)

