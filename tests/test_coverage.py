"""`gkml coverage` and horizontal coverage on copies of the embedded default."""
from __future__ import annotations

import json

import pytest
from test_rules_support import append_registry, findings


def test_default_is_clean(gkml, project):
    validate = gkml(["validate", "--format", "json"], cwd=project)
    assert validate.code == 0, validate.out
    assert validate.json["diagnostics"] == []
    run = gkml(["coverage"], cwd=project)
    assert run.code == 0, run.out
    assert "0 个缺失,0 个有错误" in run.out
    for name in ("安徽省", "宿州市", "砀山县", "萧县", "社会救助与社会福利", "食品药品安全"):
        assert name in run.out


def test_json_matrix_counts_matters(gkml, project):
    run = gkml(["coverage", "--format", "json"], cwd=project)
    assert run.code == 0
    data = run.json
    assert [r["code"] for r in data["regions"]] == ["340000", "341300", "341321", "341321100", "341321101", "341321102",
                                                   "341321103", "341322", "341322001", "341322100", "341322101", "341322102"]
    assert len(data["areas"]) == 7
    cell = next(c for c in data["cells"] if c["region"] == "341321" and c["area"] == "社会救助与社会福利")
    assert cell["status"] == "covered" and cell["required"]
    text = (project / "catalogs/341321/social-assistance.yaml").read_text("utf-8")
    assert cell["matters"] == text.count("\n  - id:")
    assert data["summary"] == {"regions": 12, "areas": 7, "covered": 76, "missing": 0, "incomplete": 0}


@pytest.mark.parametrize("region, name, slug, area", [
    ("341321", "砀山县", "employment", "就业创业"),
    ("341322", "萧县", "agricultural-subsidies", "涉农补贴"),
    ("341300", "宿州市", "food-drug-safety", "食品药品安全"),
])
def test_deleted_catalog_fails_both_commands(gkml, project, region, name, slug, area):
    (project / f"catalogs/{region}/{slug}.yaml").unlink()
    validate = gkml(["validate", "--format", "json"], cwd=project)
    assert validate.code == 1
    missing = findings(validate, "GK401")
    assert len(missing) == 1
    assert name in missing[0]["message"] and area in missing[0]["message"] and region in missing[0]["message"]
    assert missing[0]["file"] == "catalogs/registry/regions.yaml"
    regions = (project / "catalogs/registry/regions.yaml").read_text("utf-8").splitlines()
    assert f'"{region}"' in regions[missing[0]["line"] - 1]
    run = gkml(["coverage"], cwd=project)
    assert run.code == 1
    assert f"缺失:{name}({region})没有“{area}”目录" in run.out
    data = gkml(["coverage", "--format", "json"], cwd=project).json
    assert data["missing"] == [{"region": region, "area": area}]


def test_deleting_a_city_catalog_does_not_flood(gkml, project):
    """A missing city catalog is one GK401; county items pointing at it are dangling (GK601)."""
    (project / "catalogs/341300/housing-expropriation.yaml").unlink()
    run = gkml(["validate", "--format", "json"], cwd=project)
    assert [d["code"] for d in run.json["diagnostics"]].count("GK401") == 1
    assert all(d["code"] in ("GK401", "GK601", "GK602") for d in run.json["diagnostics"])


def test_incomplete_cell(gkml, project):
    path = project / "catalogs/341322/employment.yaml"
    path.write_text(path.read_text("utf-8").replace("audience: 全社会", "audience: 所有人", 1), "utf-8")
    run = gkml(["coverage", "--format", "json"], cwd=project)
    assert run.code == 1
    assert run.json["incomplete"] == [{"region": "341322", "area": "就业创业", "errors": 1}]
    text = gkml(["coverage"], cwd=project).out
    assert "有错误·18 项" in text


def test_markdown_and_english(gkml, project):
    md = gkml(["coverage", "--format", "markdown"], cwd=project)
    assert md.code == 0
    assert "| 地区 | 社会救助与社会福利 |" in md.out
    assert "| 341321 砀山县(县级) | 18 项 |" in md.out
    en = gkml(["coverage", "--lang", "en"], cwd=project)
    assert "0 missing" in en.out


def test_output_file(gkml, project):
    run = gkml(["coverage", "--format", "json", "--output", "matrix.json"], cwd=project)
    assert run.code == 0 and run.out == ""
    assert json.loads((project / "matrix.json").read_text("utf-8"))["summary"]["covered"] == 76


def test_legal_gaps_listed_exit_zero_unless_strict(gkml, project):
    run = gkml(["coverage", "--legal", "--format", "json"], cwd=project)
    assert run.code == 0
    gaps = run.json["legal"]
    ids = {(g["region"], g["id"]) for g in gaps}
    assert ("341321", "art20-02") in ids            # 机关职能: not a key-area matter
    assert ("341321", "art21-07") not in ids        # 社会救助: cited by the county's items
    assert ("340000", "art21-07") not in ids        # art. 21 does not bind the province
    assert all(g["id"] != "art21-08" for g in gaps if len(g["region"]) == 6)  # township-only (9-digit codes)
    strict = gkml(["coverage", "--legal", "--strict"], cwd=project)
    assert strict.code == 1
    assert "法定公开要求" in strict.out and "art20-02" in strict.out


def test_legal_gap_closes_when_cited(gkml, project):
    before = {(g["region"], g["id"]) for g in gkml(["coverage", "--legal", "--format", "json"], cwd=project).json["legal"]}
    assert ("341322", "art20-07") in before
    path = project / "catalogs/341322/agricultural-subsidies.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("requirements: [art20-01, art20-11]", "requirements: [art20-01, art20-07, art20-11]", 1), "utf-8")
    after = {(g["region"], g["id"]) for g in gkml(["coverage", "--legal", "--format", "json"], cwd=project).json["legal"]}
    assert before - after == {("341322", "art20-07")}


def test_checking_one_county_folder_reports_only_that_county(gkml, project):
    run = gkml(["coverage", "--format", "json", "catalogs/341321"], cwd=project)
    assert run.code == 0
    assert [r["code"] for r in run.json["regions"]] == ["341321"]


def test_unregistered_county_with_missing_sibling(gkml, project):
    """A registered county with no catalog at all is missing everything once a sibling has catalogs."""
    append_registry(project, "regions", {"code": "341324", "name": "泗县", "level": "county", "parent": "341300"})
    run = gkml(["coverage", "--format", "json"], cwd=project)
    assert run.code == 1
    assert {m["region"] for m in run.json["missing"]} == {"341324"}
    assert len(run.json["missing"]) == 7


def test_usage_errors_exit_2(gkml, project):
    assert gkml(["coverage", "nowhere"], cwd=project).code == 2
    assert gkml(["coverage", "--format", "xml"], cwd=project).code == 2
