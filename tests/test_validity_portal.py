"""Issue 19 items 4 and 5, issue 18 item 4: validity on the run date, the change record and the
document library on the portal (validate, coverage and build on copies of the embedded default)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

FILE = "catalogs/341321/employment.yaml"
OLD = "catalogs/341321/employment-2022.yaml"
RECORD = """changes:
  - version: "2024.1"
    date: "2024-04-01"
    entries:
      - {type: 增加, id: "341321-ee-001", reason: 首次编制}
  - version: "2024.2"
    date: "2024-06-01"
    entries:
      - {type: 变更, id: "341321-ee-002", fields: [time_limit], reason: 缩短公开时限}
items:
"""
VALUES = "reason: 缩短公开时限,\n         values: [{field: time_limit, old: 20个工作日内, new: 10个工作日内}]}"


def superseded(project: Path) -> None:
    """A copy of a catalog kept beside it as its predecessor: same region, area and ids, expired."""
    text = (project / FILE).read_text("utf-8")
    text = text.replace('version: "2024.1"', 'version: "2022.1"', 1)
    text = re.sub(r'^effective: .*$', 'effective: "2022-01-01"\nexpires: "2023-01-01"', text, count=1, flags=re.M)
    (project / OLD).write_text(text, "utf-8")


def test_a_superseded_catalog_beside_its_successor_is_a_warning_only(project, gkml):
    """Issue 19's acceptance: a warning, not counted in coverage nor duplicates, published 已失效."""
    superseded(project)
    run = gkml(["validate", "--today", "2025-06-01", "--format", "json", "catalogs"], cwd=project)
    found = json.loads(run.out)["diagnostics"]
    assert run.code == 0, [d["code"] for d in found if d["severity"] == "error"]
    codes = {(d["code"], d["file"]) for d in found}
    assert ("GK907", OLD) in codes
    assert not {c for c, _ in codes} & {"GK303", "GK501"}
    coverage = gkml(["coverage", "--today", "2025-06-01", "--format", "json", "catalogs"], cwd=project)
    assert OLD not in coverage.out and FILE in coverage.out
    built = gkml(["build", "--today", "2025-06-01", "--no-cache", "catalogs", "--out", "out"], cwd=project)
    assert built.code == 0, built.out
    page = (project / "out/site/catalogs/341321/employment-2022.html").read_text("utf-8")
    assert "validity-expired" in page and "已失效(2023-01-01 失效)" in page
    current = (project / "out/site/catalogs/341321/employment.html").read_text("utf-8")
    assert "validity-valid" in current and "已失效" not in current


def test_the_run_date_decides_and_before_the_successor_the_old_one_counts(project, gkml):
    superseded(project)
    run = gkml(["validate", "--today", "2022-06-01", "--format", "json", "catalogs"], cwd=project)
    found = json.loads(run.out)["diagnostics"]
    old = [d for d in found if d["file"] == OLD and d["code"] == "GK907"]
    assert not old   # in force then; the successor (effective 2024-04-01) is the one not yet in force
    assert any(d["code"] == "GK907" and d["file"] == FILE for d in found)


def test_the_change_record_is_shown_newest_first_with_reasons_and_values(project, gkml):
    path = project / FILE
    text = path.read_text("utf-8").replace('version: "2024.1"', 'version: "2024.2"', 1)
    text = text.replace("items:\n", RECORD.replace("reason: 缩短公开时限}", VALUES), 1)
    path.write_text(text, "utf-8")
    run = gkml(["build", "--today", "2024-07-01", "--no-cache", "catalogs", "--out", "out"], cwd=project)
    assert run.code == 0, run.out
    page = (project / "out/site/catalogs/341321/employment.html").read_text("utf-8")
    record = page[page.index("更新记录"):]
    assert record.index("2024.2") < record.index("2024.1")          # newest first
    assert "缩短公开时限" in record and "<del>20个工作日内</del> → <ins>10个工作日内</ins>" in record
    changes = (project / "out/site/changes.html").read_text("utf-8")
    assert changes.count("<tr data-region=\"341321\"") == 2 and 'data-date="2024-06-01"' in changes
    data = json.loads((project / "out/data/341321/employment.json").read_text("utf-8"))
    assert data["catalog"]["changes"][1]["entries"][0]["values"][0]["new"] == "10个工作日内"


def _repeal(project: Path, doc_id: str, successor: str) -> None:
    path = project / "catalogs/registry/documents.yaml"
    text = path.read_text("utf-8")
    start = text.index(f"  - id: {doc_id}\n")
    end = text.index("  - id: ", start + 5)
    block = re.sub(r"    status: .*\n", "    status: 已废止\n    ended: \"2024-01-01\"\n", text[start:end], count=1)
    block = re.sub(r"    superseded_by: .*\n", "", block) + f"    superseded_by: {successor}\n"
    path.write_text(text[:start] + block + text[end:], "utf-8")


def test_documents_pages_and_a_repealed_citation_struck_through(project, gkml):
    clean = gkml(["build", "--today", "2025-06-01", "--no-cache", "catalogs", "--out", "out"], cwd=project)
    assert clean.code == 0, clean.out
    library = (project / "out/site/documents.html").read_text("utf-8")
    assert "中华人民共和国政府信息公开条例" in library and 'name="issuer"' in library
    data = json.loads((project / "out/data/documents.json").read_text("utf-8"))
    cited = {d["id"]: d["cited_by"] for d in data["documents"]}
    some = next(doc for doc, items in cited.items() if items)
    item = cited[some][0]
    assert some in data["citations"][item]
    page = (project / f"out/site/documents/{some}.html").read_text("utf-8")
    assert item in page and "引用本文件的事项" in page
    # repeal a cited document: every citing page strikes it through and names the successor
    successor = next(d for d in data["documents"] if d["id"] != some and d["status"] == "有效")
    _repeal(project, some, successor["id"])
    (project / "gkml.yaml").write_text("rules:\n  GK711: warning\n", "utf-8")   # publish while the citations are fixed
    again = gkml(["build", "--today", "2025-06-01", "--no-cache", "catalogs", "--out", "out2"], cwd=project)
    assert again.code == 0, again.out
    pages = [p.read_text("utf-8") for p in (project / "out2/site/catalogs").rglob("*.html")]
    struck = [p for p in pages if f'href="../../documents/{some}.html">' in p and "<del>" in p]
    assert struck and all(f"documents/{successor['id']}.html" in p for p in struck)


@pytest.mark.parametrize("bad, code", [('repealed: "2024-01-01"\n', "GK908"), ('repealed: "2024-09-01"\n', "GK909")])
def test_a_repeal_needs_a_later_date_and_a_reason(project, gkml, bad, code):
    path = project / FILE
    path.write_text(path.read_text("utf-8").replace("standard: false\n", "standard: false\n" + bad, 1), "utf-8")
    run = gkml(["validate", "--today", "2023-01-01", "--format", "json", "catalogs"], cwd=project)
    assert code in {d["code"] for d in json.loads(run.out)["diagnostics"]}


def test_fix_swaps_a_repealed_citation_for_its_successor(project, gkml):
    """Issue 18 item 2: gkml fix cites the superseded_by document instead; validate is clean again."""
    _repeal(project, "gov-info-2019", "employment-fund-2023")
    before = gkml(["validate", "--format", "json", "catalogs"], cwd=project)
    repealed = [d for d in json.loads(before.out)["diagnostics"] if d["code"] == "GK711"]
    assert repealed and before.code == 1
    fixed = gkml(["fix", "catalogs"], cwd=project)
    assert fixed.code == 0, fixed.out
    after = gkml(["validate", "--format", "json", "catalogs"], cwd=project)
    assert after.code == 0 and not [d for d in json.loads(after.out)["diagnostics"] if d["code"] == "GK711"]
    first = repealed[0]
    line = (project / first["file"]).read_text("utf-8").splitlines()[first["line"] - 1]
    assert "《就业补助资金管理办法》" in line and "国务院令第711号" not in line


def test_an_item_link_goes_to_the_catalog_in_force_not_its_superseded_copy(project, gkml):
    """site.item_page: a superseded copy sorting first (a-employment.yaml) must not take the links of the
    ids it shares with its successor; before the successor is in force, the old one keeps them."""
    superseded(project)
    (project / OLD).rename(project / "catalogs/341321/a-employment.yaml")
    built = gkml(["build", "--today", "2025-06-01", "--no-cache", "catalogs", "--out", "out"], cwd=project)
    assert built.code == 0, built.out
    town = (project / "out/site/catalogs/341321101/employment.html").read_text("utf-8")
    links = set(re.findall(r'href="[^"]*catalogs/341321/([a-z-]+)\.html#341321-ee-003"', town))
    assert links == {"employment"}
    # the successor not yet in force (2029) and the old one running until 2030: the old one keeps them
    new, old = project / FILE, project / "catalogs/341321/a-employment.yaml"
    new.write_text(re.sub(r'^effective: .*$', 'effective: "2029-01-01"', new.read_text("utf-8"), count=1, flags=re.M), "utf-8")
    old.write_text(old.read_text("utf-8").replace('expires: "2023-01-01"', 'expires: "2030-01-01"'), "utf-8")
    built = gkml(["build", "--today", "2025-06-01", "--no-cache", "catalogs", "--out", "old"], cwd=project)
    assert built.code == 0, built.out
    town = (project / "old/site/catalogs/341321101/employment.html").read_text("utf-8")
    assert set(re.findall(r'href="[^"]*catalogs/341321/([a-z-]+)\.html#341321-ee-003"', town)) == {"a-employment"}
