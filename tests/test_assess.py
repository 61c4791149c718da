"""`gkml assess`: each scorecard figure on tests/data/assess, computed by hand (its README says
what the fixture holds), the score's weights, deadlines, formats, --explain and --since."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "data" / "assess"
DUE = "assess:\n  due:\n    province: 2023-06-30\n    city: 2023-09-30\n    county: 2023-09-30\n"


@pytest.fixture
def tree(tmp_path) -> Path:
    """A writable copy of the fixture at tmp_path/catalogs, with due dates in gkml.yaml."""
    shutil.copytree(FIXTURE, tmp_path / "catalogs")
    (tmp_path / "gkml.yaml").write_text(DUE, "utf-8")
    return tmp_path


def rows_of(doc: dict) -> dict[tuple[str, str], dict]:
    """(kind, name) -> row of an assess --format json document."""
    return {(r["kind"], r["name"]): r for level in doc["levels"] for r in level["rows"]}


def figures(row: dict) -> tuple:
    keys = ("areas_covered", "areas_required", "matters", "upper_implemented", "upper_required", "weakened",
            "placeholders", "invalid_citations", "undeclared", "last_change", "submitted", "due", "status", "score", "rank")
    return tuple(row[k] for k in keys)


# Computed by hand from the fixture's files (areas covered/required, matters, upper implemented/
# required, weakened, placeholders, invalid citations, undeclared (None without --since), last
# change, submitted, due, status, score, rank):
# - 安徽省: both areas, 2 matters, no upper level; submitted 2023-06-30 = due: on time, 100.
# - 宿州市: 3 matters; 341300-sa-001 implements the province item ticked 市级 (1/1); its later
#   catalog is effective 2023-10-08 > due 2023-09-30: late, 100 - 5 = 95.
# - 砀山县: 341321-sa-001 implements the city item (1/1) but makes it 依申请 and 特定群体 (GK604 and
#   GK605: one weakened item); 341321-sa-002 has the placeholder 县级民政部门 (GK413) and cites a
#   repealed (GK711) and an unknown document (GK715); its change records date 2023-09-10 and
#   2024-01-10, 义务教育 is effective 2023-09-20: last change 2024-01-10, submitted 2023-09-20
#   (the later of the two catalogs' first dates), on time; 100 - 2 - 1 - 2x1 = 95.
# - 萧县: no 义务教育 catalog (GK401), the city item not implemented (GK603, 0/1): missing;
#   100 - 10 - 2 = 88.
# Departments: the same figures over their own catalogs; 萧县教育体育局 leads the missing area.
EXPECTED = {
    ("region", "安徽省"): (2, 2, 2, 0, 0, 0, 0, 0, None, "2023-06-30", "2023-06-30", "2023-06-30", "on-time", 100, 1),
    ("department", "安徽省教育厅"): (1, 1, 1, 0, 0, 0, 0, 0, None, "2023-06-30", "2023-06-30", "2023-06-30", "on-time", 100, 1),
    ("department", "安徽省民政厅"): (1, 1, 1, 0, 0, 0, 0, 0, None, "2023-06-30", "2023-06-30", "2023-06-30", "on-time", 100, 1),
    ("region", "宿州市"): (2, 2, 3, 1, 1, 0, 0, 0, None, "2023-10-08", "2023-10-08", "2023-09-30", "late", 95, 1),
    ("department", "宿州市教育局"): (1, 1, 1, 0, 0, 0, 0, 0, None, "2023-09-20", "2023-09-20", "2023-09-30", "on-time", 100, 1),
    ("department", "宿州市民政局"): (1, 1, 2, 1, 1, 0, 0, 0, None, "2023-10-08", "2023-10-08", "2023-09-30", "late", 95, 2),
    ("region", "砀山县"): (2, 2, 3, 1, 1, 1, 1, 2, None, "2024-01-10", "2023-09-20", "2023-09-30", "on-time", 95, 1),
    ("region", "萧县"): (1, 2, 1, 0, 1, 0, 0, 0, None, "2023-09-25", "2023-09-25", "2023-09-30", "missing", 88, 2),
    ("department", "砀山县教育体育局"): (1, 1, 1, 0, 0, 0, 0, 0, None, "2023-09-20", "2023-09-20", "2023-09-30", "on-time", 100, 1),
    ("department", "萧县民政局"): (1, 1, 1, 0, 1, 0, 0, 0, None, "2023-09-25", "2023-09-25", "2023-09-30", "on-time", 98, 2),
    ("department", "砀山县民政局"): (1, 1, 2, 1, 1, 1, 1, 2, None, "2024-01-10", "2023-09-10", "2023-09-30", "on-time", 95, 3),
    ("department", "萧县教育体育局"): (0, 1, 0, 0, 0, 0, 0, 0, None, "", "", "2023-09-30", "missing", 90, 4),
}


def test_every_figure_by_hand(gkml, tree):
    run = gkml(["assess", "--format", "json"], cwd=tree)
    assert run.code == 0, run.err
    assert "\\u" not in run.out   # Chinese as written
    got = {key: figures(row) for key, row in rows_of(run.json).items()}
    assert got == EXPECTED
    assert [lv["level"] for lv in run.json["levels"]] == ["province", "city", "county"]
    assert run.json["due"] == {"province": "2023-06-30", "city": "2023-09-30", "county": "2023-09-30"}
    assert run.json["weights"]["missing_area"] == 10 and run.json["since"] is None


def test_figures_are_the_findings_of_validate(gkml, tree):
    """Every counted finding of --explain is one validate reports, at the same place."""
    validate = gkml(["validate", "--format", "json"], cwd=tree)
    explained = gkml(["assess", "--explain", "341321", "--format", "json"], cwd=tree)
    assert explained.code == 0, explained.err
    row = rows_of(explained.json)[("region", "砀山县")]
    counted = {(f["code"], f["file"], f["line"]) for f in row["findings"] if f["code"]}
    reported = {(d["code"], d["file"], d["line"]) for d in validate.json["diagnostics"]
                if d["file"].startswith("catalogs/341321/")}
    assert counted == reported == {
        ("GK604", "catalogs/341321/social-assistance.yaml", 25), ("GK605", "catalogs/341321/social-assistance.yaml", 24),
        ("GK711", "catalogs/341321/social-assistance.yaml", 32), ("GK715", "catalogs/341321/social-assistance.yaml", 33),
        ("GK413", "catalogs/341321/social-assistance.yaml", 35)}
    dates = [(f["file"], f["line"]) for f in row["findings"] if f["figure"] == "dates"]
    assert ("catalogs/341321/social-assistance.yaml", 13) in dates       # the 2024-01-10 change record
    assert ("catalogs/341321/compulsory-education.yaml", 6) in dates     # effective 2023-09-20: submitted


def test_explain_text_names_code_file_and_line(gkml, tree):
    run = gkml(["assess", "--explain", "萧县"], cwd=tree)
    assert run.code == 0, run.err
    assert "GK401 catalogs/registry/regions.yaml:5" in run.out
    assert "GK603 catalogs/341322/social-assistance.yaml:7" in run.out
    assert "扣分:10×1 (missing_area); 2×1 (upper_missing)" in run.out
    unknown = gkml(["assess", "--explain", "不存在县"], cwd=tree)
    assert unknown.code == 2 and "不存在县" in unknown.err


@pytest.mark.parametrize("config, drop", [("", 10), ("assess:\n  weights:\n    missing_area: 7.5\n", 7.5)])
def test_deleting_a_required_catalog_lowers_the_score_by_its_weight(gkml, tree, config, drop):
    (tree / "gkml.yaml").unlink()
    if config:
        (tree / "gkml.yaml").write_text(config, "utf-8")
    before = rows_of(gkml(["assess", "--format", "json"], cwd=tree).json)
    (tree / "catalogs/341321/compulsory-education.yaml").unlink()
    after = rows_of(gkml(["assess", "--format", "json"], cwd=tree).json)
    assert before[("region", "砀山县")]["score"] - after[("region", "砀山县")]["score"] == drop
    assert after[("region", "砀山县")]["areas_covered"] == 1
    assert {k: v["score"] for k, v in after.items() if k[1] not in ("砀山县", "砀山县教育体育局")} == \
           {k: v["score"] for k, v in before.items() if k[1] not in ("砀山县", "砀山县教育体育局")}


def test_deleting_a_catalog_of_the_default(gkml, project):
    before = rows_of(gkml(["assess", "--format", "json"], cwd=project).json)
    assert {r["score"] for r in before.values()} == {100}
    (project / "catalogs/341322/employment.yaml").unlink()
    after = rows_of(gkml(["assess", "--format", "json"], cwd=project).json)
    assert after[("region", "萧县")]["score"] == 90 and after[("region", "萧县")]["rank"] == 2
    assert after[("department", "萧县人力资源和社会保障局")]["areas_covered"] == 0


def test_weights_and_due_dates_from_the_configuration(gkml, tree):
    (tree / "gkml.yaml").write_text("assess:\n  weights: {placeholder: 4, late: 0}\n  due:\n    city: 2023-09-30\n"
                                    "    \"341321\": 2023-09-15\n", "utf-8")
    rows = rows_of(gkml(["assess", "--format", "json"], cwd=tree).json)
    assert rows[("region", "砀山县")]["status"] == "late"        # the region's own date beats its level's
    assert rows[("region", "砀山县")]["score"] == 100 - 2 - 4 - 2   # late weighs 0 here
    assert rows[("region", "宿州市")]["score"] == 100 and rows[("region", "宿州市")]["status"] == "late"
    assert rows[("region", "萧县")]["due"] == "" and rows[("region", "萧县")]["status"] == ""
    (tree / "gkml.yaml").write_text("assess:\n  due: 2023-10-01\n", "utf-8")
    doc = gkml(["assess", "--format", "json"], cwd=tree).json
    assert doc["due"] == "2023-10-01" and rows_of(doc)[("region", "宿州市")]["status"] == "late"
    config = gkml(["config"], cwd=tree)
    assert "assess.weights.placeholder" in config.out and "gkml.yaml:2" in config.out


@pytest.mark.parametrize("text, where", [
    ("assess:\n  weights:\n    missing_area: -3\n", "3:19"),
    ("assess:\n  due: 2023-02-30\n", "2:8"),
    ("assess:\n  due:\n    county: 9月30日\n", "3:13"),
    ("assess:\n  due:\n    somewhere: 2023-09-30\n", "3:5"),
    ("assess:\n  weight: {late: 1}\n", "2:3"),
])
def test_hostile_configuration_is_refused_with_its_position(gkml, tree, text, where):
    (tree / "gkml.yaml").write_text(text, "utf-8")
    run = gkml(["assess", "--format", "json"], cwd=tree)
    assert run.code == 1 and run.out == ""
    assert "gkml.yaml" in run.err and f"{where}" in run.err and "未生成记分卡" in run.err
    assert "Traceback" not in run.err


def test_xlsx_has_a_sheet_per_level_with_the_json_figures(gkml, tree):
    openpyxl = pytest.importorskip("openpyxl")
    doc = gkml(["assess", "--format", "json"], cwd=tree).json
    run = gkml(["assess", "--format", "xlsx", "--output", "card.xlsx"], cwd=tree)
    assert run.code == 0, run.err
    wb = openpyxl.load_workbook(tree / "card.xlsx")
    assert wb.sheetnames == ["省级", "市级", "县级"]
    for level, ws in zip(doc["levels"], wb.worksheets):
        assert "评估记分卡" in ws["A1"].value
        heads = [c.value for c in ws[2]]
        assert heads[:4] == ["排名", "类型", "地区代码", "名称"] and heads[-1] == "得分"
        assert ws.print_title_rows == "$2:$2" and ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
        shown = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=2 + len(level["rows"]))]
        for row, cells in zip(level["rows"], shown):
            by_head = dict(zip(heads, cells))
            assert by_head["名称"] == row["name"] and by_head["得分"] == row["score"]
            assert by_head["排名"] == row["rank"] and by_head["已编制领域"] == row["areas_covered"]
            assert by_head["应落实上级事项"] == row["upper_required"] and by_head["失效或未知依据"] == row["invalid_citations"]
            assert by_head["报送状态"] == {"on-time": "按时", "late": "逾期", "missing": "缺失", "": "—"}[row["status"]]
            assert by_head["最近调整"] == (row["last_change"] or "—")
    again = gkml(["assess", "--format", "xlsx", "--output", "again.xlsx"], cwd=tree)
    assert again.code == 0 and (tree / "again.xlsx").read_bytes() == (tree / "card.xlsx").read_bytes()


def test_xlsx_writes_formula_like_names_as_text(gkml, tree):
    openpyxl = pytest.importorskip("openpyxl")
    path = tree / "catalogs/341322/social-assistance.yaml"
    path.write_text(path.read_text("utf-8").replace("department: 萧县民政局", 'department: "=HYPERLINK(\\"x\\")"'), "utf-8")
    assert gkml(["assess", "--format", "xlsx", "-o", "card.xlsx"], cwd=tree).code == 0
    ws = openpyxl.load_workbook(tree / "card.xlsx")["县级"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_bad_usage_exits_2(gkml, tree):
    run = gkml(["assess", "--format", "xlsx"], cwd=tree)
    assert run.code == 2 and "--output" in run.err
    for args, said in ((["nowhere"], "nowhere"), (["--explain", ""], "没有地区"), (["--since", "no-such-rev"], "no-such-rev"),
                       (["--format", "xlsx", "--explain", "萧县", "-o", "x.xlsx"], "--explain")):
        run = gkml(["assess", *args], cwd=tree)
        assert run.code == 2 and said in run.err and "Traceback" not in run.err, args
    assert not (tree / "x.xlsx").exists()


def test_text_and_markdown(gkml, tree):
    text = gkml(["assess"], cwd=tree)
    assert text.code == 0
    assert "政务公开事项目录评估记分卡(县级)" in text.out and "得分 = 100 − 10×缺少的应编制领域" in text.out
    assert "逾期" in text.out and "缺失" in text.out
    markdown = gkml(["assess", "--format", "markdown"], cwd=tree)
    assert "## 政务公开事项目录评估记分卡(市级)" in markdown.out and "| 排名 | 类型 |" in markdown.out
    english = gkml(["assess", "--lang", "en"], cwd=tree)
    assert "score = 100 - 10 x missing_area" in english.out and "late" in english.out


def test_township_rows_appear_when_coverage_has_townships(gkml, tree):
    registry = tree / "catalogs/registry"
    with open(registry / "regions.yaml", "a", encoding="utf-8") as fh:
        fh.write('  - {code: "341321100", name: 砀城镇, level: township, parent: "341321"}\n')
    areas = registry / "areas.yaml"
    areas.write_text(areas.read_text("utf-8").replace("[province, city, county]", "[province, city, county, township]"), "utf-8")
    with open(registry / "units.yaml", "a", encoding="utf-8") as fh:
        fh.write('  - {name: 砀城镇人民政府, region: "341321100", stems: [人民政府, 民政, 教育]}\n')
    (tree / "catalogs/341321100").mkdir()
    for slug in ("compulsory-education", "social-assistance"):
        text = (tree / "catalogs/341321/compulsory-education.yaml").read_text("utf-8").replace("义务教育", "社会救助与社会福利") \
            if slug == "social-assistance" else (tree / "catalogs/341321/compulsory-education.yaml").read_text("utf-8")
        (tree / f"catalogs/341321100/{slug}.yaml").write_text(
            text.replace('"341321', '"341321100').replace("county", "township").replace("县级", "乡级")
            .replace("砀山县教育体育局", "砀城镇人民政府").replace("-ce-", "-" + slug[:2] + "-"), "utf-8")
    doc = gkml(["assess", "--format", "json"], cwd=tree).json
    assert [lv["level"] for lv in doc["levels"]] == ["province", "city", "county", "township"]
    township = doc["levels"][-1]["rows"][0]
    assert (township["name"], township["parent"], township["matters"], township["areas_covered"], township["areas_required"],
            township["score"]) == ("砀城镇", "341321", 2, 2, 2, 100)
    # the acceptance line: one township catalog of a required area deleted, its score drops by the weight
    (tree / "catalogs/341321100/social-assistance.yaml").unlink()
    after = gkml(["assess", "--format", "json"], cwd=tree).json["levels"][-1]["rows"][0]
    assert (after["name"], after["areas_covered"], after["score"]) == ("砀城镇", 1, 100 - 10)
    (tree / "card.xlsx").unlink(missing_ok=True)
    assert gkml(["assess", "--format", "xlsx", "-o", "card.xlsx"], cwd=tree).code == 0
    import openpyxl
    assert openpyxl.load_workbook(tree / "card.xlsx").sheetnames == ["省级", "市级", "县级", "乡级"]


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args], cwd=cwd,
                   check=True, capture_output=True)


def test_since_counts_undeclared_changes(gkml, tree):
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "fixture")
    path = tree / "catalogs/341322/social-assistance.yaml"
    path.write_text(path.read_text("utf-8").replace("content: 政策文件及解读", "content: 临时救助对象名单"), "utf-8")
    without = rows_of(gkml(["assess", "--format", "json"], cwd=tree).json)[("region", "萧县")]
    run = gkml(["assess", "--since", "HEAD", "--format", "json"], cwd=tree)
    assert run.code == 0, run.err
    rows = rows_of(run.json)
    assert without["undeclared"] is None
    assert rows[("region", "萧县")]["undeclared"] == 1 and rows[("region", "砀山县")]["undeclared"] == 0
    assert rows[("region", "萧县")]["score"] == without["score"] - 2


def test_staff_page_in_the_portal(gkml, tree):
    import html
    import re
    # the fixture's catalogs have errors (which a build refuses): the default set builds
    shutil.rmtree(tree / "catalogs")
    shutil.copytree(Path(__file__).parent.parent / "catalogs", tree / "catalogs")
    doc = gkml(["assess", "--format", "json"], cwd=tree).json
    run = gkml(["build", "--staff", "--out", "out"], cwd=tree)
    assert run.code == 0, run.err
    assert "1 个工作人员页面" in run.err
    page = (tree / "out/site/staff/assess.html").read_text("utf-8")
    assert 'href="../static/gkml.css"' in page and "评估记分卡(县级)" in page
    cells = [[html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row)] for row in re.findall(r"<tr>(<td>.*?)</tr>", page)]
    rows = [r for level in doc["levels"] for r in level["rows"]]
    assert [(c[3], c[-1]) for c in cells] == [(r["name"], str(r["score"])) for r in rows]
    again = gkml(["build", "--staff", "--out", "again", "--no-cache"], cwd=tree)
    assert again.code == 0 and (tree / "again/site/staff/assess.html").read_bytes() == page.encode("utf-8")
    plain = gkml(["build", "--out", "plain"], cwd=tree)
    assert plain.code == 0 and not (tree / "plain/site/staff").exists()


@pytest.mark.parametrize("page", ["docs/assess.md", "docs/zh/assess.md"])
def test_documented_defaults_are_the_defaults(gkml, tree, page):
    import re
    import yaml
    from compiler.assess_config import WEIGHTS
    text = (Path(__file__).parent.parent / page).read_text("utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "assess:" in b)
    assert yaml.safe_load(block)["assess"]["weights"] == WEIGHTS
    (tree / "gkml.yaml").write_text(block, "utf-8")
    config = gkml(["config"], cwd=tree)
    assert config.code == 0, config.err
    assert re.search(r"^assess\.due\.341321 +2023-11-15 ", config.out, re.M)
    assert gkml(["assess", "--format", "json"], cwd=tree).code == 0


def test_the_check_carries_each_catalogs_dates_so_assess_reads_no_file(tmp_path):
    """A cached check's compact catalogs come with their dates: the scorecard does not parse them again."""
    import pickle
    from compiler.assess_dates import Dates
    from compiler.pipeline import check_bytes
    from compiler.sources import Source
    text = ("region: \"341321\"\nlevel: county\narea: 就业\ndepartment: 砀山县人力资源和社会保障局\n"
            "version: \"2024.1\"\neffective: \"2024-03-01\"\n"
            "changes:\n  - date: \"2024-05-06\"\n    type: 增加\n    reason: 新增\n    entries: []\n"
            "items: []\n")
    gone = tmp_path / "gone.yaml"
    result = check_bytes(Source("catalogs/341321/x.yaml", gone, "catalog"), text.encode("utf-8"))
    assert result.dates is not None and result.dates.last == ("2024-05-06", 8)
    cached = pickle.loads(pickle.dumps(result.compact()))   # as the cache keeps it: no data, no file
    assert cached.catalog.is_compact and not gone.exists()
    assert Dates({cached.source.name: cached.dates}).of(cached.catalog) == result.dates
    assert cached.catalog.is_compact
