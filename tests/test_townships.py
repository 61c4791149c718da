"""Townships first-class (issue 21): registered townships and their offices, required areas at
township level, county → township chains, `gkml init` for a township, both shapes of a township
catalog (one file per area, or one file with a section per area) in every command."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DEFAULT
from test_rules_support import DANGSHAN_TOWNSHIPS, append_registry

from compiler.history.compare import compare
from compiler.loader import parse
from compiler.model import Project, build_catalog
from compiler.registry import build_registry
from compiler.scope import plan, tables_of
from compiler.rules import project_rules

CASE = Path(__file__).resolve().parent / "cases" / "invalid" / "township-sections"
TOWN, STREET = "341321990", "341321991"   # illustrative codes, clear of the real townships' (1xx, 2xx)
AREAS = ["社会救助与社会福利", "就业创业"]


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


@pytest.fixture
def towns(tmp_path, gkml) -> Path:
    """The default with two townships of 砀山县, each required to cover AREAS, claimed by gkml init."""
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    append_registry(tmp_path, "regions",
                    {"code": TOWN, "name": "示例镇", "level": "township", "parent": "341321", "areas": AREAS},
                    {"code": STREET, "name": "示范街道", "level": "township", "parent": "341321", "areas": AREAS})
    append_registry(tmp_path, "units",
                    {"name": "示例镇人民政府", "region": TOWN, "stems": ["人民政府"], "aliases": ["示例镇政府"]},
                    {"name": "示例镇社会事务办公室", "region": TOWN, "stems": ["民政"]},
                    {"name": "示范街道办事处", "region": STREET, "stems": ["人民政府"]})
    for code in (TOWN, STREET):
        run = gkml(["init", "--region", code], cwd=tmp_path)
        assert run.code == 0, run.err
    return tmp_path


def as_sections(root: Path, code: str, name: str = "township.yaml") -> Path:
    """Merge a region's one-file-per-area catalogs into one file with a section per area (text kept)."""
    folder = root / "catalogs" / code
    files = sorted(folder.glob("*.yaml"))
    first = _load(files[0])
    lines = [f'region: "{code}"', "level: township", f"department: {first['department']}", 'version: "2024.1"', "areas:"]
    for path in files:
        data = _load(path)
        text = path.read_text("utf-8").split("\n")
        lines.append(f"  - area: {data['area']}")
        if data["department"] != first["department"]:
            lines.append(f"    department: {data['department']}")
        lines.append("    items:")
        lines.extend("    " + line for line in text[text.index("items:") + 1:] if line.strip())
        path.unlink()
    target = folder / name
    target.write_text("\n".join(lines) + "\n", "utf-8")
    return target


def _region(finding: dict) -> str:
    """The region folder of a finding's file (catalogs/<code>/...)."""
    return finding["file"].split("/")[1]


def _units(root: Path, code: str) -> set[str]:
    found = set()
    for path in (root / "catalogs" / code).glob("*.yaml"):
        data = _load(path)
        sections = data.get("areas") or [data]
        found |= {i["responsible_unit"] for s in sections for i in s["items"]}
    return found


# --- init -----------------------------------------------------------------------------------

def test_init_claims_for_a_township_with_its_government_or_office(towns, gkml):
    """Every county item ticked 乡级 is claimed; 公开主体 is the office of the function or the government."""
    assert _units(towns, TOWN) == {"示例镇社会事务办公室", "示例镇人民政府"}
    assert _units(towns, STREET) == {"示范街道办事处"}
    county = [i for p in (towns / "catalogs/341321").glob("*.yaml") for i in _load(p)["items"]
              if "乡级" in (i.get("levels") or []) and _load(p)["area"] in AREAS]
    claimed = {i["implements"] for p in (towns / f"catalogs/{TOWN}").glob("*.yaml") for i in _load(p)["items"]}
    assert county and {i["id"] for i in county} == claimed
    run = gkml(["validate", "--format", "json"], cwd=towns)
    assert run.code == 0, [d["message"] for d in run.json["diagnostics"]]


def test_init_refuses_a_township_whose_government_is_not_registered(project, gkml):
    append_registry(project, "regions", {"code": TOWN, "name": "示例镇", "level": "township", "parent": "341321"})
    run = gkml(["init", "--region", TOWN], cwd=project)
    assert run.code == 2
    assert "示例镇人民政府" in run.err and f'region: "{TOWN}"' in run.err
    assert not (project / "catalogs" / TOWN).exists()   # never a catalog of 乡级民政部门


def test_init_keeps_village_level(towns, gkml):
    """A county item ticked 村级 is the townships' to implement (docs/format.md), with 村级 kept."""
    path = towns / "catalogs/341321/social-assistance.yaml"
    text = path.read_text("utf-8")
    first = re.search(r"levels: \[县级, 乡级\]", text)
    path.write_text(text[:first.start()] + "levels: [县级, 乡级, 村级]" + text[first.end():], "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=towns)
    lacking = {d["code"] for d in run.json["diagnostics"]}
    assert lacking == {"GK609"}   # both townships' items lack the 村级 the county now ticks
    assert {_region(d) for d in run.json["diagnostics"]} == {TOWN, STREET, *DANGSHAN_TOWNSHIPS}   # and the default's
    shutil.rmtree(towns / "catalogs" / TOWN)
    shutil.rmtree(towns / "catalogs" / STREET)
    for code in (TOWN, STREET):
        assert gkml(["init", "--region", code], cwd=towns).code == 0
    rest = gkml(["validate", "--format", "json"], cwd=towns).json["diagnostics"]
    assert sorted((d["code"], _region(d)) for d in rest) == [("GK609", code) for code in DANGSHAN_TOWNSHIPS]   # not re-claimed
    assert any("村级" in (i.get("levels") or []) for p in (towns / f"catalogs/{TOWN}").glob("*.yaml")
               for i in _load(p)["items"])


def test_a_county_item_ticked_only_village_level_is_the_townships(towns, gkml):
    """村级 alone: each township has it disclosed in its villages, so each implements it (GK603)."""
    path = towns / "catalogs/341321/employment.yaml"
    text = path.read_text("utf-8")
    at = text.index("  - id:", text.index("items:"))
    block = text[at:text.index("  - id:", at + 1)]
    block = re.sub(r'id: "[^"]+"', 'id: "341321-ee-901"', block)
    block = re.sub(r"levels: \[[^]]*\]", "levels: [县级, 村级]", block)
    block = re.sub(r"    implements: .*\n", "", block)
    block = re.sub(r"matter: .*", "matter: 村级公开的就业援助", block, count=1)
    path.write_text(text.rstrip("\n") + "\n" + block, "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=towns)
    defaults = [("GK603", "catalogs/341321100/catalog.yaml"),   # the default's four 砀山县 townships lack it too
                *(("GK603", f"catalogs/{code}/employment.yaml") for code in DANGSHAN_TOWNSHIPS[1:])]
    assert sorted((d["code"], d["file"]) for d in run.json["diagnostics"]) == sorted([
        ("GK603", f"catalogs/{TOWN}/employment.yaml"), ("GK603", f"catalogs/{STREET}/employment.yaml"), *defaults])
    for folder in (towns / "catalogs" / TOWN, towns / "catalogs" / STREET):
        shutil.rmtree(folder)
    for code in (TOWN, STREET):
        assert gkml(["init", "--region", code], cwd=towns).code == 0
    claimed = [i for p in (towns / f"catalogs/{TOWN}").glob("*.yaml") for i in _load(p)["items"]]
    assert next(i for i in claimed if i["implements"] == "341321-ee-901")["levels"] == ["村级"]
    rest = gkml(["validate", "--format", "json"], cwd=towns).json["diagnostics"]
    assert sorted((d["code"], d["file"]) for d in rest) == sorted(defaults)   # only those init did not redo


# --- coverage -------------------------------------------------------------------------------

def test_coverage_shows_townships_under_their_county(towns, gkml):
    run = gkml(["coverage"], cwd=towns)
    assert run.code == 0, run.out
    lines = run.out.splitlines()
    county = next(n for n, line in enumerate(lines) if line.startswith("341321 "))
    below = len(DANGSHAN_TOWNSHIPS)   # the default's townships of 砀山县 come first, in registry order
    assert [line.split()[0] for line in lines[county + 1:county + 1 + below]] == list(DANGSHAN_TOWNSHIPS)
    assert lines[county + below + 1].startswith(f"  {TOWN} 示例镇(乡级)")
    assert lines[county + below + 2].startswith(f"  {STREET} 示范街道(乡级)")
    assert lines[county + below + 3].startswith("341322 ")
    data = gkml(["coverage", "--format", "json"], cwd=towns).json
    rows = {r["code"]: r for r in data["regions"]}
    assert rows[TOWN]["parent"] == "341321" and rows[TOWN]["level"] == "township"
    cells = {(c["region"], c["area"]): c for c in data["cells"]}
    assert all(cells[(code, area)]["status"] == "covered" for code in (TOWN, STREET) for area in AREAS)


@pytest.mark.parametrize("shape", ["files", "sections"])
def test_deleting_a_townships_required_area_fails_naming_it(towns, gkml, shape):
    """Acceptance: validate and coverage exit 1, naming the township and the area."""
    if shape == "files":
        (towns / f"catalogs/{STREET}/employment.yaml").unlink()
        code, name = STREET, "示范街道"
    else:
        path = as_sections(towns, TOWN)
        text = path.read_text("utf-8")
        path.write_text(text[:text.index("  - area: 就业创业")] + text[text.index("  - area: 社会救助"):]
                        if text.index("  - area: 就业创业") < text.index("  - area: 社会救助")
                        else text[:text.index("  - area: 就业创业")], "utf-8")
        code, name = TOWN, "示例镇"
    run = gkml(["validate", "--format", "json"], cwd=towns)
    assert run.code == 1
    [finding] = [d for d in run.json["diagnostics"] if d["code"] == "GK401"]
    assert name in finding["message"] and code in finding["message"] and "就业创业" in finding["message"]
    cover = gkml(["coverage"], cwd=towns)
    assert cover.code == 1
    assert f"缺失:砀山县{name}({code})没有“就业创业”目录" in cover.out


# --- a file of sections ---------------------------------------------------------------------

def test_a_file_of_sections_is_checked_as_its_areas(towns, gkml):
    before = gkml(["coverage", "--format", "json"], cwd=towns).json
    path = as_sections(towns, TOWN)
    assert gkml(["validate"], cwd=towns).code == 0
    after = gkml(["coverage", "--format", "json"], cwd=towns).json
    cells = {(c["region"], c["area"]): c for c in after["cells"]}
    old = {(c["region"], c["area"]): c for c in before["cells"]}
    for area in AREAS:
        assert cells[(TOWN, area)]["matters"] == old[(TOWN, area)]["matters"] > 0
        assert cells[(TOWN, area)]["files"] == [path.relative_to(towns).as_posix()]
    assert after["summary"] == before["summary"]


def test_findings_in_a_section_point_at_its_lines(towns, gkml):
    path = as_sections(towns, TOWN)
    lines = path.read_text("utf-8").split("\n")
    second = next(n for n, line in enumerate(lines) if line.startswith("  - area:") and n > 6)
    method = next(n for n in range(second, len(lines)) if "method: 主动" in lines[n])
    lines[method] = lines[method].replace("主动", "依申请")
    path.write_text("\n".join(lines), "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=towns)
    [finding] = run.json["diagnostics"]
    assert (finding["code"], finding["line"]) == ("GK604", method + 1)
    assert finding["path"].startswith("/areas/1/items/") and finding["path"].endswith("/method")


def test_cached_and_scoped_runs_of_sections_agree_with_a_full_run(towns, gkml):
    as_sections(towns, TOWN)
    first = gkml(["validate", "--format", "json"], cwd=towns).json["diagnostics"]
    again = gkml(["validate", "--format", "json"], cwd=towns).json["diagnostics"]   # from the cache
    assert first == again == []
    county = towns / "catalogs/341321/social-assistance.yaml"
    county.write_text(county.read_text("utf-8").replace("method: 主动", "method: 依申请", 1), "utf-8")
    cached = gkml(["validate", "--format", "json"], cwd=towns).json["diagnostics"]
    fresh = gkml(["validate", "--no-cache", "--format", "json"], cwd=towns).json["diagnostics"]
    assert cached == fresh and cached


def test_a_file_of_sections_gaining_or_losing_a_section_runs_everything():
    """Sections are named by their place in the file: one added or removed renames those after it."""
    text = (CASE / "341321100/dangcheng.yaml").read_text("utf-8")
    old = build_catalog(parse(text.encode(), "t.yaml"))
    fewer = build_catalog(parse(text[:text.index("  - area: 社会救济")].encode(), "t.yaml"))
    more = build_catalog(parse((text + text[text.index("  - area: 就业创业"):text.index("  - area: 义务教育")]).encode(), "t.yaml"))
    registry = build_registry([])
    tables = tables_of(Project(old.parts(), registry, {}, ""))
    assert len(fewer.parts()) == len(old.parts()) - 1 and len(more.parts()) == len(old.parts()) + 1
    for new in (fewer, more):
        assert plan(tables, {"t.yaml": old}, {"t.yaml": new}, registry, project_rules()) is None
    assert plan(tables, {"t.yaml": old}, {"t.yaml": old}, registry, project_rules()) is not None


def test_a_file_of_sections_cannot_also_have_items(tmp_path, gkml):
    text = (CASE / "341321100/dangcheng.yaml").read_text("utf-8").replace("areas:\n", "items: []\nareas:\n", 1)
    (tmp_path / "x.yaml").write_text(text, "utf-8")
    run = gkml(["validate", "--format", "json", "x.yaml"], cwd=tmp_path)
    found = [d for d in run.json["diagnostics"] if d["code"] == "GK207"]
    assert len(found) == 1 and found[0]["line"] == 6 and "areas" in found[0]["message"]


def test_a_sections_file_without_area_nor_areas_says_what_is_missing(tmp_path, gkml):
    (tmp_path / "x.yaml").write_text('region: "341321"\nlevel: county\ndepartment: 砀山县民政局\nversion: "1"\n', "utf-8")
    run = gkml(["validate", "--format", "json", "x.yaml"], cwd=tmp_path)
    assert sorted(d["path"] for d in run.json["diagnostics"] if d["code"] == "GK201") == ["/area", "/items"]


def test_build_publishes_each_section_and_gathers_townships(towns, gkml):
    as_sections(towns, TOWN)
    assert gkml(["build"], cwd=towns).code == 0
    site = towns / "build/site"
    pages = sorted(p.name for p in (site / "catalogs" / TOWN).glob("*.html"))
    assert pages == ["township-employment.html", "township-social-assistance.html"]
    county = (site / "regions/341321.html").read_text("utf-8")
    assert 'id="townships"' in county and f"catalogs/{TOWN}/township-employment.html" in county
    assert 'id="by-department"' in county
    coverage = (site / "coverage.html").read_text("utf-8")
    folded = coverage[coverage.index('<details class="townships">'):coverage.index("</details>")]
    assert "示例镇" in folded and "示范街道" in folded and "<details open" not in coverage
    assert sorted(p.name for p in (towns / f"build/data/{TOWN}").glob("*.json")) == [
        "township-employment.json", "township-social-assistance.json"]


def test_fix_edits_the_right_section(towns, gkml):
    path = as_sections(towns, TOWN)
    lines = path.read_text("utf-8").split("\n")
    second = next(n for n, line in enumerate(lines) if line.startswith("  - area:") and n > 6)
    at = next(n for n in range(second, len(lines)) if "政务服务中心" in lines[n])
    lines[at] = lines[at].replace("政务服务中心", "行政服务中心")
    path.write_text("\n".join(lines), "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=towns)
    assert [(d["code"], d["line"]) for d in run.json["diagnostics"]] == [("GK301", at + 1)]
    assert gkml(["fix"], cwd=towns).code == 0
    assert path.read_text("utf-8").split("\n")[at] == lines[at].replace("行政服务中心", "政务服务中心")
    assert gkml(["validate"], cwd=towns).code == 0


def test_diff_names_an_item_moved_between_sections():
    text = (CASE / "341321100/dangcheng.yaml").read_text("utf-8")
    start = text.index('      - id: "t-341321100-ce-001"')
    end = text.index("  - area: 社会救济")
    moved = text[:start] + text[end:].replace("    items: []", "    items:\n" + text[start:end].rstrip("\n"))
    old = build_catalog(parse(text.encode(), "t.yaml"))
    new = build_catalog(parse(moved.encode(), "t.yaml"))
    diff = compare({"t.yaml": old}, {"t.yaml": new})
    [change] = diff.changes
    assert change.id == "t-341321100-ce-001"
    assert [(f.field, f.old, f.new) for f in change.fields] == [("area", "义务教育", "社会救济")]


@pytest.mark.parametrize("written", ["示范街道办", "示范街道 办事处"])
def test_a_townships_short_name_is_its_unit(towns, gkml, written):
    path = towns / f"catalogs/{STREET}/employment.yaml"
    path.write_text(path.read_text("utf-8").replace("responsible_unit: 示范街道办事处", f"responsible_unit: {written}", 1),
                    "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=towns)
    assert not [d for d in run.json["diagnostics"] if d["code"] in ("GK404", "GK402")], run.json["diagnostics"]


def test_a_matter_twice_in_one_township_is_a_duplicate_across_sections(towns, gkml):
    """避免交叉重复 at township level: the same matter in two sections (two offices) of one township."""
    path = as_sections(towns, TOWN)
    data = _load(path)
    first = data["areas"][0]["items"][0]
    text = path.read_text("utf-8")
    last = text.rstrip("\n").split("\n")
    at = max(n for n, line in enumerate(last) if line.startswith("        matter: "))
    last[at] = f"        matter: {first['matter']}"
    sub = next((n for n in range(at, len(last)) if last[n].startswith("        sub_matter: ")), None)
    if sub is not None and sub < next((n for n in range(at + 1, len(last)) if last[n].startswith("      - id:")), len(last)):
        last[sub] = f"        sub_matter: {first.get('sub_matter', '')}"
    path.write_text("\n".join(last) + "\n", "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=towns)
    found = [d for d in run.json["diagnostics"] if d["code"] == "GK501"]
    assert [(d["line"], d["path"].split("/")[2]) for d in found] == [(at + 1, str(len(data["areas"]) - 1))]


def test_a_file_of_sections_exports_as_one_workbook_a_sheet_per_area(towns, gkml):
    import openpyxl
    path = as_sections(towns, TOWN)
    run = gkml(["export", f"catalogs/{TOWN}", "--out", "excel"], cwd=towns)
    assert run.code == 0, run.err
    [book] = sorted((towns / "excel").glob("*.xlsx"))
    assert book.name == f"{TOWN}-township.xlsx"
    wb = openpyxl.load_workbook(book)
    assert [s for s in wb.sheetnames if s != "gkml"] == [s["area"] for s in _load(path)["areas"]]
    run = gkml(["import", book, "--out", "catalogs/back", "--format", "json"], cwd=towns)
    assert run.code == 0, run.out + run.err
    back = sorted((towns / "catalogs/back").rglob("*.yaml"))
    whole = build_catalog(parse(path.read_bytes(), path.name))
    assert len(back) == len(whole.sections) == 2   # read back as the other shape: one file per area
    for part, file in zip(whole.sections, back):
        data = _load(file)
        assert (data["area"], data["department"]) == (part.area, part.department)
        assert [{k: v for k, v in i.items() if k != "source"} for i in data["items"]] == _load(path)["areas"][part.section]["items"]


def test_a_suppression_in_a_section_covers_its_item(towns, gkml):
    path = as_sections(towns, TOWN)
    lines = path.read_text("utf-8").split("\n")
    second = next(n for n, line in enumerate(lines) if line.startswith("  - area:") and n > 6)
    first_id = next(n for n in range(second, len(lines)) if lines[n].startswith("      - id:"))
    method = next(n for n in range(first_id, len(lines)) if "method: 主动" in lines[n])
    lines[method] = lines[method].replace("主动", "依申请")
    lines[first_id] += "   # gkml: disable=GK604 本镇依申请公开,经县政务公开办同意"
    path.write_text("\n".join(lines), "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=towns)
    assert run.code == 0 and run.json["diagnostics"] == []
    assert [s["code"] for s in run.json["suppressed"]] == ["GK604"]


def test_init_writes_a_township_as_one_file_of_sections(tmp_path, gkml):
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    append_registry(tmp_path, "regions",
                    {"code": TOWN, "name": "示例镇", "level": "township", "parent": "341321", "areas": AREAS})
    append_registry(tmp_path, "units", {"name": "示例镇人民政府", "region": TOWN, "stems": ["人民政府"]},
                    {"name": "示例镇社会事务办公室", "region": TOWN, "stems": ["民政"]})
    run = gkml(["init", "--region", TOWN, "--layout", "sections"], cwd=tmp_path)
    assert run.code == 0, run.err
    [path] = (tmp_path / "catalogs" / TOWN).glob("*.yaml")
    data = _load(path)
    assert path.name == "catalog.yaml" and "area" not in data and "items" not in data
    assert data["department"] == "示例镇人民政府"
    assert [s["area"] for s in data["areas"]] == AREAS
    assert data["areas"][0]["department"] == "示例镇社会事务办公室" and "department" not in data["areas"][1]
    assert {i["responsible_unit"] for s in data["areas"] for i in s["items"]} == {"示例镇社会事务办公室", "示例镇人民政府"}
    run = gkml(["validate", "--format", "json"], cwd=tmp_path)
    assert run.code == 0, [d["message"] for d in run.json["diagnostics"]]
    again = gkml(["init", "--region", TOWN, "--layout", "sections"], cwd=tmp_path)   # never over a catalog
    assert again.code == 0 and "跳过" in again.out and path.read_text("utf-8") == path.read_text("utf-8")
