"""`gkml import` resolves every imported 公开依据 against the document library (issue 18 item 5).

The table is data (tests/data/import-bases/table.yaml): a county copy of the national layout
whose basis cells cite library documents, unknown ones, repealed and expired ones, and hostile
text. The review report (JSON, text, Markdown) must list each unknown basis by normalised title
with the cells citing it and a did-you-mean, and each ended one with its successor.
"""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import yaml

from test_import import FULL_LIST, HEAD_SUB, HEAD_TOP, head

DATA = Path(__file__).parent / "data" / "import-bases" / "table.yaml"
TABLE = yaml.safe_load(DATA.read_text("utf-8"))


def library_table(tmp: Path) -> Path:
    """The table of table.yaml as a workbook (every cell a string: a formula stays text)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    rest = ["信息形成或者变更之日起20个工作日内", "萧县民政局", FULL_LIST, "√", None, "√", None, "√", None]
    for row in [[TABLE["title"]], HEAD_TOP, HEAD_SUB, *(r + rest for r in TABLE["rows"])]:
        ws.append([None] * len(row))
        for column, value in enumerate(row, 1):
            if value is not None:
                cell = ws.cell(ws.max_row, column)
                cell.value = value
                cell.data_type = "n" if isinstance(value, int) else "s"
    for rng in ["A1:N1", *head(2), "A4:A5", "B4:B5", "A6:A7", "B6:B7", "A8:A9", "B8:B9"]:
        ws.merge_cells(rng)
    path = tmp / TABLE["file"]
    wb.save(path)
    return path


def _import(gkml, project: Path, *args):
    path = library_table(project)
    report = project / "review.json"
    run = gkml(["import", path, "--region", "341322", "--out", project / "catalogs" / "imported",
                "--report", report, "--format", "json", *args], cwd=project)
    return run, json.loads(report.read_text("utf-8"))


def test_review_lists_unknown_bases_by_normalised_title(gkml, project):
    run, review = _import(gkml, project)
    unknown = {g["title"]: [g["count"], [c["cell"] for c in g["cited_by"]], g["did_you_mean"]]
               for g in review["bases"]["unknown"]}
    assert unknown == TABLE["expected"]["unknown"]
    counts = [g["count"] for g in review["bases"]["unknown"]]
    assert counts == sorted(counts, reverse=True)       # most cited first
    first = review["bases"]["unknown"][0]["cited_by"]
    assert [c["citation"] for c in first] == ["《安徽省最低生活保障办法》(皖政〔2099〕1号)", "《安徽省最低生活保障办法》(皖政(2099)1号)"]
    assert all(c["item"] and c["output"] == "341322/social-assistance.yaml" for c in first)


def test_review_lists_repealed_and_expired_bases_with_successor(gkml, project):
    run, review = _import(gkml, project)
    ended = {g["document"]: [g["count"], [c["cell"] for c in g["cited_by"]], g["successor"]]
             for g in review["bases"]["ended"]}
    assert ended == TABLE["expected"]["ended"]
    repealed = review["bases"]["ended"][0]
    assert repealed["message"] == "公开依据《就业补助资金管理办法》(财社〔2017〕164号)已废止,继任文件是《就业补助资金管理办法》(财社〔2023〕181号)"
    # the validation after the import agrees: GK711 at the same items, so the exit code is 1
    report = json.loads(run.out)
    gk711 = sorted(d["item"] for d in report["diagnostics"] if d["code"] == "GK711")
    assert gk711 == sorted(c["item"] for g in review["bases"]["ended"] for c in g["cited_by"])
    assert run.code == 1
    # a library document cited as 国令 resolves: it is neither unknown nor ended
    assert not any("社会救助暂行办法" == g["title"] for g in review["bases"]["unknown"])


def test_text_and_markdown_reviews_escape_hostile_cells(gkml, project):
    path = library_table(project)
    run = gkml(["import", path, "--region", "341322", "--out", project / "out", "--report", project / "r.md"], cwd=project)
    text = run.out
    section = text.split("文件库中没有的公开依据(按规范化名称,引用最多的在前)\n", 1)[1]
    assert section.startswith("  安徽省最低生活保障办法  2 处:Sheet1!E4(341322-sa-001)、Sheet1!E5(341322-sa-002);是不是《最低生活保障审核确认办法》?\n")
    assert "  社会救助暂行办发  1 处:Sheet1!E5(341322-sa-002);是不是《社会救助暂行办法》?" in section
    assert "\u202e" not in text and "\u2028" not in text and "\\u202e" in section
    ended = text.split("文件库记载为已废止或失效的公开依据\n", 1)[1]
    assert ended.startswith("  公开依据《就业补助资金管理办法》(财社〔2017〕164号)已废止,继任文件是"
                            "《就业补助资金管理办法》(财社〔2023〕181号):Sheet1!E6(341322-sa-003)、Sheet1!E7(341322-sa-004)\n")
    assert "文件库中没有的依据 6 处,已废止或失效的依据 3 处" in text
    markdown = (project / "r.md").read_text("utf-8")
    rows = [line for line in markdown.splitlines() if line.startswith("| 社会救助\\|")]
    assert rows == ["| 社会救助\\|&lt;script>x&lt;/script>\\u202e法办 | 1 | Sheet1!E9(341322-sa-006) |  |"]
    assert "<script>" not in markdown and "\u202e" not in markdown


def test_english_review_and_no_library(gkml, project):
    run, review = _import(gkml, project, "--lang", "en")
    assert review["bases"]["ended"][0]["message"].startswith("legal basis 《就业补助资金管理办法》(财社〔2017〕164号) was repealed")
    assert ("  安徽省最低生活保障办法  2 citation(s): Sheet1!E4 (341322-sa-001), Sheet1!E5 (341322-sa-002); "
            "did you mean 《最低生活保障审核确认办法》?\n") in run.err
    assert "6 bases not in the library, 3 repealed or expired" in run.err
    # a project whose registry has no library is not checked against one (as GK715)
    (project / "catalogs" / "registry" / "documents.yaml").unlink()
    for old in (project / "catalogs" / "imported").rglob("*.yaml"):
        old.unlink()
    run, review = _import(gkml, project)
    assert review["bases"] == {"unknown": [], "ended": []}
    assert not any(n["code"].startswith("GK83") for n in review["notes"])
