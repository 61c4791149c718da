"""The document library and citations resolved to it (issue 18): normalisation, rules, `gkml basis`."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.citations import Library, fold, number_key, parse
from compiler.loader import parse as parse_yaml
from compiler.registry import build_registry

from conftest import DEFAULT

LIBRARY_FILE = DEFAULT / "registry" / "documents.yaml"
BASIS_CODES = ("GK711", "GK712", "GK713", "GK714", "GK715", "GK716")


def _library(text: str | None = None) -> Library:
    raw = (text if text is not None else LIBRARY_FILE.read_text("utf-8")).encode("utf-8")
    return build_registry([parse_yaml(raw, "registry/documents.yaml")]).library()


LIB = _library()


def _id(text: str) -> list[str | None]:
    return [r.document.id if r.document else None for r in LIB.resolve(text)]


# --- normalisation: every spelling resolves to the one entry -------------------------------------

@pytest.mark.parametrize("text", [
    "《中华人民共和国政府信息公开条例》(国务院令第711号)",     # as the library writes it
    "《中华人民共和国政府信息公开条例》(国令第711号)",         # 国令 for 国务院令
    "《中华人民共和国政府信息公开条例》(中华人民共和国国务院令第711号)",
    "《中华人民共和国政府信息公开条例》（国务院令第７１１号）",  # full-width brackets and digits
    "中华人民共和国政府信息公开条例(国务院令第711号)",         # without 《》
    "《 中华人民共和国 政府信息公开条例 》 ( 国务院令 第711号 )",  # spacing
    "【行政法规】《中华人民共和国政府信息公开条例》(国务院令第711号)",  # a type tag
    "[行政法规]《中华人民共和国政府信息公开条例》(国务院令第711号)第二十条第二款",  # an article
    "《政府信息公开条例》(国务院令第711号)",                 # without 中华人民共和国
    "doc:gov-info-2019",                                         # the explicit id form
    "doc：gov-info-2019",
])
def test_spellings_of_one_citation_resolve_to_one_entry(text):
    assert _id(text) == ["gov-info-2019"]


@pytest.mark.parametrize("number", ["财社〔2023〕181号", "财社(2023)181号", "财社[2023]181号", "财社【2023】181号",
                                    "财社（2023）181号", "财社〔２０２３〕181号"])
def test_year_brackets_of_a_number(number):
    assert number_key(number) == "财社〔2023〕181号"
    assert _id(f"《就业补助资金管理办法》({number})") == ["employment-fund-2023"]


def test_a_title_with_brackets_of_its_own_without_title_marks():
    assert _id("职业技能提升行动方案(2019—2021年)(国办发〔2019〕24号)") == ["skills-action-2019"]
    assert _id("职业技能提升行动方案（2019-2021年）") == ["skills-action-2019"]


def test_the_number_picks_the_version_and_a_title_alone_the_one_in_force():
    assert _id("《中华人民共和国政府信息公开条例》(国务院令第492号)") == ["gov-info-2007"]
    assert _id("《中华人民共和国政府信息公开条例》") == ["gov-info-2019"]
    assert [r.match for r in LIB.resolve("《就业补助资金管理办法》")] == ["title"]


def test_parse_keeps_tag_article_and_several_titles():
    one, two = parse("《甲》(国发〔2018〕11号)、【法律】《中华人民共和国就业促进法》第二条第一款")
    assert (one.title, one.number, one.tag, one.article) == ("甲", "国发(2018)11号", "", "")
    assert (two.title, two.number, two.tag, two.article) == ("中华人民共和国就业促进法", "", "法律", "第二条第一款")
    assert two.text == "【法律】《中华人民共和国就业促进法》第二条第一款"
    assert parse("【国家】《甲》")[0].tag == ""  # not a type: no tag
    assert parse("   ") == ()


def test_fold_is_idempotent_on_what_it_folds():
    for text in ("《甲》（国发〔2018〕11号）", "2021—2023年", "“一卡通”", "a\u3000b\tc"):
        assert fold(fold(text)) == fold(text)
    assert fold("a\u3000b\tc") == "abc"


def test_an_unknown_title_and_an_unknown_id_resolve_to_nothing():
    assert _id("《不存在的办法》(某发〔2020〕1号)") == [None]
    assert _id("doc:no-such-id") == [None]
    assert LIB.resolve("doc:no-such-id")[0].unknown
    assert not LIB.resolve("相关政策文件")[0].unknown  # a vague phrase is GK302's, not an unknown document


def test_each_distinct_string_is_parsed_once():
    library = _library()
    first = library.resolve("《中华人民共和国政府信息公开条例》(国务院令第711号)")
    assert library.resolve("《中华人民共和国政府信息公开条例》(国务院令第711号)") is first


# --- the Hypothesis property ---------------------------------------------------------------------

_YEAR = re.compile(r"〔([0-9]{4})〕")
_FULL = str.maketrans("0123456789()", "０１２３４５６７８９（）")


@st.composite
def variants(draw):
    """A library document and a spelling of its citation: brackets, width, spacing, 国令, 《》, tag."""
    doc = draw(st.sampled_from([d for d in LIB.documents.values()]))
    number = doc.number
    if number:
        opening, closing = draw(st.sampled_from(["〔〕", "()", "[]", "【】", "（）"]))
        number = _YEAR.sub(lambda m: f"{opening}{m.group(1)}{closing}", number)
        if draw(st.booleans()):
            number = number.replace("国务院令", "国令")
    titled = draw(st.booleans())
    text = (f"《{doc.title}》" if titled else doc.title) + (f"({number})" if number else "")
    if titled and draw(st.booleans()):
        text = f"【{doc.type}】" + text
    if draw(st.booleans()):
        text = text.translate(_FULL)
    spaces = draw(st.lists(st.integers(0, len(text)), max_size=4))
    for at in sorted(spaces, reverse=True):
        text = text[:at] + draw(st.sampled_from([" ", "\u3000"])) + text[at:]
    return doc, text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants())
def test_any_spelling_of_a_library_citation_resolves_to_its_entry(case):
    doc, text = case
    found = _library().resolve(text)  # a fresh library: no cached answer
    assert [r.document.id if r.document else None for r in found] == [doc.id], text
    assert found[0].match in ("exact", "title") and not found[0].unknown


# --- the library file ----------------------------------------------------------------------------

def test_every_title_the_default_cites_is_in_the_library():
    cited = set()
    for path in DEFAULT.glob("[0-9]*/*.yaml"):
        for line in path.read_text("utf-8").splitlines():
            value = line.strip()
            if value.startswith("- ") and "《" in value:
                cited.add(value[2:])
    assert cited and all(_id(c) and None not in _id(c) for c in cited), [c for c in cited if None in _id(c)]


def test_every_entry_says_what_confirmed_its_status():
    registry = build_registry([parse_yaml(LIBRARY_FILE.read_bytes(), "registry/documents.yaml")])
    for doc in registry.documents.values():
        assert doc.note.strip(), doc.id
        if doc.superseded_by:
            assert doc.superseded_by in registry.documents, doc.id


def test_a_library_entry_of_the_wrong_shape_is_a_positioned_schema_error(project, gkml):
    path = project / "catalogs" / "registry" / "documents.yaml"
    path.write_text(path.read_text("utf-8").replace("status: 有效", "status: 现行", 1), "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=project)
    assert run.code == 1
    wrong = [d for d in run.json["diagnostics"] if d["file"].endswith("documents.yaml")]
    assert [d["code"] for d in wrong] == ["GK204"] and wrong[0]["line"] > 1 and wrong[0]["path"].endswith("/status")


# --- the rules on the embedded default (acceptance) ----------------------------------------------

def test_the_default_validates_with_no_basis_finding(gkml):
    run = gkml(["validate", str(DEFAULT), "--format", "json", "--no-cache"])
    assert run.code == 0
    assert not [d for d in run.json["diagnostics"] if d["code"] in BASIS_CODES]


def test_basis_unknown_is_empty_for_the_default(gkml):
    run = gkml(["basis", str(DEFAULT), "--unknown", "--format", "json"])
    assert run.code == 0 and run.json == []


def test_a_repealed_document_errors_at_every_citation_and_impact_lists_exactly_those(project, gkml):
    path = project / "catalogs" / "registry" / "documents.yaml"
    text = path.read_text("utf-8")
    entry = "  - id: employment-fund-2023\n"
    assert entry in text
    text = text.replace(entry + '    title: "就业补助资金管理办法"\n    number: "财社〔2023〕181号"\n',
                        entry + '    title: "就业补助资金管理办法"\n    number: "财社〔2023〕181号"\n'
                        '    ended: "2025-01-01"\n    superseded_by: employment-fund-2099\n', 1)
    text = text.replace("status: 有效\n    note: \"《河南省", "status: 已废止\n    note: \"《河南省", 1)
    text += ('  - {id: employment-fund-2099, title: 就业补助资金管理办法, number: 财社〔2099〕1号, type: 规范性文件, '
             'status: 有效, note: 测试}\n')
    path.write_text(text, "utf-8")
    run = gkml(["validate", "--format", "json", "--no-cache"], cwd=project)
    assert run.code == 1
    errors = [d for d in run.json["diagnostics"] if d["code"] == "GK711"]
    assert errors and all("财社〔2099〕1号" in d["message"] and "2025-01-01" in d["message"] for d in errors)
    assert all(d["path"].split("/")[-2] == "basis" for d in errors)
    impact = gkml(["basis", "--impact", "employment-fund-2023", "--format", "json"], cwd=project)
    assert impact.code == 0
    assert {(w["file"], w["line"]) for w in impact.json} == {(d["file"], d["line"]) for d in errors}
    assert len(impact.json) == len(errors) == 29
    cited = gkml(["basis", "--impact", "《就业补助资金管理办法》(财社(2023)181号)", "--format", "json"], cwd=project)
    assert cited.json == impact.json  # a citation names the document as well as its id


@pytest.mark.parametrize("old, new", [
    ("(国务院令第711号)", "(国令第711号)"),
    ("《中华人民共和国政府信息公开条例》(国务院令第711号)", "中华人民共和国政府信息公开条例(国务院令第711号)"),
    ("(财社〔2023〕181号)", "(财社(2023)181号)"),
])
def test_rewritten_citations_still_resolve(project, gkml, old, new):
    for path in (project / "catalogs").glob("[0-9]*/*.yaml"):
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    run = gkml(["validate", "--format", "json", "--no-cache"], cwd=project)
    assert not [d for d in run.json["diagnostics"] if d["code"] in BASIS_CODES]
    assert gkml(["basis", "--unknown", "--format", "json"], cwd=project).json == []


def test_unknown_citations_are_grouped_by_title_most_cited_first(project, gkml):
    employment = project / "catalogs" / "341321" / "employment.yaml"
    text = employment.read_text("utf-8").replace("《就业补助资金管理办法》(财社〔2023〕181号)", "《就业补助资金管理暂行办法》")
    employment.write_text(text.replace("《就业服务与就业管理规定》(劳动和社会保障部令第28号)", "《某规定》", 1), "utf-8")
    run = gkml(["validate", "--format", "json", "--no-cache"], cwd=project)
    unknown = [d for d in run.json["diagnostics"] if d["code"] == "GK715"]
    assert unknown and "就业补助资金管理办法" in unknown[0]["message"]  # did you mean
    groups = gkml(["basis", "--unknown", "--format", "json"], cwd=project).json
    assert [(g["title"], g["count"]) for g in groups] == [("就业补助资金管理暂行办法", 6), ("某规定", 1)]
    assert sum(g["count"] for g in groups) == len(unknown)


# --- gkml basis ----------------------------------------------------------------------------------

def test_basis_table_counts_matters_per_document(gkml):
    rows = {r["id"]: r for r in gkml(["basis", str(DEFAULT), "--format", "json"]).json}
    assert rows["gov-info-2019"]["cited"] == 281 and rows["employment-fund-2017"]["cited"] == 0
    assert rows["employment-fund-2017"]["status"] == "已废止" and rows["employment-fund-2017"]["superseded_by"] == "employment-fund-2023"
    text = gkml(["basis", str(DEFAULT)]).out
    assert "gov-info-2019" in text and "文件库共" in text
    markdown = gkml(["basis", str(DEFAULT), "--format", "markdown", "--lang", "en"]).out
    assert markdown.startswith("| id | title | number |")


def test_basis_xlsx_needs_output_and_is_deterministic(gkml, tmp_path):
    assert gkml(["basis", str(DEFAULT), "--format", "xlsx"]).code == 2
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert gkml(["basis", str(DEFAULT), "--format", "xlsx", "-o", first]).code == 0
    assert gkml(["basis", str(DEFAULT), "--format", "xlsx", "-o", second]).code == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as book:
        assert "xl/worksheets/sheet1.xml" in book.namelist()


def test_basis_impact_of_an_unknown_document_is_a_usage_error(gkml):
    run = gkml(["basis", str(DEFAULT), "--impact", "no-such-document"])
    assert run.code == 2 and "文件库中没有这个文件" in run.err


def test_the_model_carries_the_resolved_citations():
    from compiler.pipeline import Options, check
    result = check(Options(paths=(str(DEFAULT),), cache=False, jobs=1), "2026-01-01")
    project = result.project
    item = next(i for i in project.items() if i.id == "341321-ee-002")
    assert [r.document.id for r in project.bases(item)] == ["lifelong-skills-training", "employment-fund-2023"]


def test_an_info_never_fails_even_with_strict(project, gkml):
    employment = project / "catalogs" / "340000" / "employment.yaml"
    employment.write_text(employment.read_text("utf-8").replace("(国务院令第711号)", "(国务院令第492号)", 1), "utf-8")
    run = gkml(["validate", "--format", "json", "--strict", "--no-cache"], cwd=project)
    assert [d["code"] for d in run.json["diagnostics"]] == ["GK712"]
    assert run.json["diagnostics"][0]["severity"] == "info" and run.code == 0
    assert "国务院令第711号" in run.json["diagnostics"][0]["message"]
    sarif = gkml(["validate", "--format", "sarif", "--no-cache"], cwd=project)
    assert '"level": "note"' in sarif.out



def test_imported_bases_are_resolved_and_the_unknown_reported_at_their_cell(project, gkml):
    from test_import import county_standard, run_import, validation
    library = project / "catalogs" / "registry" / "documents.yaml"
    text = library.read_text("utf-8")
    text = text.replace('title: "最低生活保障审核确认办法"', 'title: "最低生活保障审核确认暂行办法"', 1)
    library.write_text(text.replace('number: "民发〔2021〕57号"', 'number: "民发〔2099〕1号"', 1), "utf-8")
    run, _ = run_import(gkml, project, county_standard(project), args=["--region", "341321"])
    unknown = [d for d in validation(run)["diagnostics"] if d["code"] == "GK715"]
    assert [(d["item"], d["path"]) for d in unknown] == [("341321-sa-001", "/items/0/basis/1")]
    assert "最低生活保障审核确认暂行办法" in unknown[0]["message"]  # did you mean, from the library
    assert "原表格单元格 Sheet1!E4" in {r["note"] for r in unknown[0]["related"]}


def test_an_amended_document_without_its_current_text_is_not_named_as_current(project, gkml):
    """已修改 with no superseded_by: GK712 says the current text is not in the library yet (it named
    the amended text itself as the current one)."""
    library = project / "catalogs" / "registry" / "documents.yaml"
    text = library.read_text("utf-8")
    start = text.index("  - id: employment-services")
    entry = text[start:text.index("\n  - id:", start + 1)]
    library.write_text(text.replace(entry, re.sub(r"status: \S+", "status: 已修改", entry)), "utf-8")
    run = gkml(["validate", "--format", "json", "--no-cache"], cwd=project)
    found = [d for d in run.json["diagnostics"] if d["code"] == "GK712"]
    assert found and all("文件库尚未收录" in d["message"] for d in found), found
    english = gkml(["validate", "--format", "json", "--no-cache", "--lang", "en"], cwd=project)
    assert all("not yet in the library" in d["message"] for d in english.json["diagnostics"] if d["code"] == "GK712")
