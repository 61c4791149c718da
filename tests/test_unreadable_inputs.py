"""`gkml export` and `gkml coverage` on files that cannot be read: a positioned finding, a failing exit, nothing written."""
from __future__ import annotations

import json

import pytest

BAD = {
    "tabs": ("tabs.yaml", 'region: "341321"\n\titems: []\n', "GK104", "2:1"),
    "syntax": ("syntax.yaml", "region: [\n", "GK103", "2:1"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_export_of_an_unreadable_file_reports_it_and_writes_nothing(gkml, project, name):
    file, text, code, place = BAD[name]
    (project / "catalogs" / "341321" / file).write_text(text, "utf-8")
    run = gkml(["export", f"catalogs/341321/{file}", "--out", "excel"], cwd=project)
    assert run.code == 2, run.err
    assert code in run.err and f"catalogs/341321/{file}" in run.err and place in run.err and "未导出" in run.err
    assert not (project / "excel").exists()


def test_export_of_a_folder_with_an_unreadable_file_exports_nothing(gkml, project):
    (project / "catalogs" / "341321" / "tabs.yaml").write_text(BAD["tabs"][1], "utf-8")
    run = gkml(["export", "catalogs/341321", "--out", "excel"], cwd=project)
    assert run.code == 2 and "GK104" in run.err
    assert not (project / "excel").exists()


@pytest.mark.parametrize("target, words", [
    ("catalogs/registry/regions.yaml", "是登记表文件"),
    ("folder.yaml", "没有找到目录文件"),
    ("empty", "没有找到目录文件"),
])
def test_export_of_something_that_is_no_catalog_is_a_usage_error(gkml, project, target, words):
    (project / "folder.yaml").mkdir()
    (project / "empty").mkdir()
    run = gkml(["export", target, "--out", "excel"], cwd=project)
    assert run.code == 2 and words in run.err and "未导出" in run.err, run.err
    assert not (project / "excel").exists()


@pytest.mark.parametrize("name", sorted(BAD))
def test_coverage_counts_an_unreadable_file(gkml, project, name):
    file, text, code, _ = BAD[name]
    (project / "catalogs" / "341321" / file).write_text(text, "utf-8")
    run = gkml(["coverage"], cwd=project)
    assert run.code == 1, run.out
    assert f"catalogs/341321/{file} 中有 1 个错误" in run.out and "另有 1 个文件有错误" in run.out
    run = gkml(["coverage", "--format", "json"], cwd=project)
    assert run.code == 1
    assert json.loads(run.out)["strays"] == [{"file": f"catalogs/341321/{file}", "errors": 1}]


def test_coverage_counts_a_catalog_without_a_region(gkml, project):
    broken = project / "catalogs" / "341321" / "social-assistance.yaml"
    broken.write_text(broken.read_text("utf-8").replace('region: "341321"\n', "", 1), "utf-8")
    run = gkml(["coverage", "--lang", "en"], cwd=project)
    assert run.code == 1
    assert "catalogs/341321/social-assistance.yaml:" in run.out and "other files with errors" in run.out


def test_export_says_it_in_english_with_lang_en(gkml, project):
    run = gkml(["export", "catalogs/registry/regions.yaml", "--out", "excel", "--lang", "en"], cwd=project)
    assert run.code == 2 and "is a registry file, not a catalog; nothing exported." in run.err
    assert not (project / "excel").exists()
