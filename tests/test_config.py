"""The project configuration gkml.yaml, `gkml config`, `validate FILE…` and the bounded cache."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from compiler import cache as result_cache
from compiler.config import find
from test_validate_cases import read_expected

DATA = Path(__file__).resolve().parent / "data"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _tuples(run) -> set[tuple]:
    return {(d["code"], d["file"], d["line"], d["column"], d["path"]) for d in run.json["diagnostics"]}


@pytest.mark.parametrize("case", ["config-case", "config-schema-case"])
def test_config_findings_are_positioned_in_gkml_yaml(case, tmp_path, gkml):
    shutil.copytree(DATA / case, tmp_path / case)
    run = gkml(["validate", "--format", "json", "."], cwd=tmp_path / case)
    assert run.code == 1 and run.err == ""
    assert _tuples(run) == read_expected(DATA / case)


def test_config_levels_change_severity_and_turn_codes_off(project, gkml):
    target = project / "catalogs" / "341321" / "social-assistance.yaml"
    _edit(target, "      - 《社会救助暂行办法》(国务院令第649号)\n", "      - 有关法律法规\n")
    assert gkml(["validate", "--format", "json"], cwd=project).codes() == ["GK302"]
    (project / "gkml.yaml").write_text("rules:\n  GK302: error\n", "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=project)
    assert run.code == 1 and [d["severity"] for d in run.json["diagnostics"]] == ["error"]
    (project / "gkml.yaml").write_text("rules:\n  GK302: off\n", "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=project)
    assert run.code == 0 and run.json["diagnostics"] == []


def test_config_is_found_upward_and_named_with_config(project, gkml, tmp_path):
    (project / "gkml.yaml").write_text("rules:\n  GK302: off\n", "utf-8")
    assert find(project / "catalogs" / "341321") == project / "gkml.yaml"
    other = tmp_path / "elsewhere.yaml"
    other.write_text("rules:\n  GK302: error\n", "utf-8")
    run = gkml(["config", "--config", str(other)], cwd=project / "catalogs")
    assert run.code == 0 and "rules.GK302" in run.out and "error" in run.out and "elsewhere.yaml:2" in run.out
    run = gkml(["config"], cwd=project / "catalogs" / "341321")
    assert "rules.GK302" in run.out and "off" in run.out and "gkml.yaml:2" in run.out
    missing = gkml(["validate", "--config", "nope.yaml"], cwd=project)
    assert missing.code == 2 and "找不到配置文件" in missing.err and "Traceback" not in missing.err


def test_config_ignore_and_registry(project, gkml):
    drafts = project / "catalogs" / "drafts"
    drafts.mkdir()
    (drafts / "broken.yaml").write_text("items: [\n", "utf-8")
    assert "GK103" in gkml(["validate", "--format", "json"], cwd=project).codes()
    moved = project / "shared-registry"
    shutil.move(str(project / "catalogs" / "registry"), moved)
    (project / "gkml.yaml").write_text("ignore:\n  - catalogs/drafts/\nregistry: shared-registry\n", "utf-8")
    run = gkml(["validate", "--format", "json"], cwd=project)
    assert run.code == 0, run.out
    assert run.json["summary"]["files"] == 71 + len(list(moved.glob("*.yaml")))   # 70 files of one area, 1 of sections


def test_config_changes_the_cached_answer(project, gkml):
    # 房屋征收: no township implements the county's items, so ignoring them leaves nothing dangling
    target = project / "catalogs" / "341321" / "housing-expropriation.yaml"
    _edit(target, "      - 【行政法规】《国有土地上房屋征收与补偿条例》(国务院令第590号)\n", "      - 有关法律法规\n")
    assert gkml(["validate", "--format", "json"], cwd=project).codes() == ["GK302"]
    (project / "gkml.yaml").write_text("ignore:\n  - catalogs/341321/housing-expropriation.yaml\n", "utf-8")
    # the file is no longer read: its finding goes, and the county now lacks that key area
    assert gkml(["validate", "--format", "json"], cwd=project).codes() == ["GK401"]
    (project / "gkml.yaml").unlink()
    assert gkml(["validate", "--format", "json"], cwd=project).codes() == ["GK302"]


def test_config_command_reports_errors_with_exit_1_in_both_languages(project, gkml):
    (project / "gkml.yaml").write_text("rules:\n  GK302: silent\nsite:\n  site_code: \"12\"\n", "utf-8")
    run = gkml(["config"], cwd=project)
    assert run.code == 1 and "gkml.yaml" in run.err and "GK204" in run.err and "GK205" in run.err
    run = gkml(["config", "--lang", "en"], cwd=project)
    assert run.code == 1 and "(from default)" in run.out and "错误" not in run.err


def test_site_section_is_accepted(project, gkml):
    (project / "logo.png").write_bytes(b"\x89PNG")
    (project / "gkml.yaml").write_text(
        "site:\n  host: 砀山县人民政府办公室\n  organizer: 砀山县政务服务中心\n  contact: 0557-8021234\n"
        "  site_code: \"3413210001\"\n  icp: 皖ICP备05001234号-1\n  police: 皖公网安备 34132102000001号\n  logo: logo.png\n",
        "utf-8")
    run = gkml(["config", "--format", "json"], cwd=project)
    assert run.code == 0, run.err
    values = {s["key"]: s["value"] for s in run.json["settings"]}
    assert values["site.icp"] == "皖ICP备05001234号-1" and values["site.logo"] == "logo.png"


def test_validate_named_files_sees_the_whole_set_and_reports_only_them(project, gkml):
    county = project / "catalogs" / "341321"
    _edit(county / "employment.yaml", "    content:", "    contnet:")
    run = gkml(["validate", "--format", "json", "catalogs/341321/social-assistance.yaml"], cwd=project)
    # alone, the county's other key areas would be missing (GK401) and its upper items unknown (GK601)
    assert run.code == 0 and run.json["diagnostics"] == [], run.json["diagnostics"]
    run = gkml(["validate", "--format", "json", "catalogs/341321/employment.yaml",
                "catalogs/341321/social-assistance.yaml"], cwd=project)
    assert run.code == 1 and {d["file"] for d in run.json["diagnostics"]} == {"catalogs/341321/employment.yaml"}
    assert run.json["summary"]["catalogs"] == 2
    # the same answer from the cache
    again = gkml(["validate", "--format", "json", "catalogs/341321/employment.yaml",
                  "catalogs/341321/social-assistance.yaml"], cwd=project)
    assert again.json == run.json


def test_config_findings_are_reported_with_named_files(project, gkml):
    (project / "gkml.yaml").write_text("rules:\n  GK302: silent\n", "utf-8")
    run = gkml(["validate", "--format", "json", "catalogs/341321/employment.yaml"], cwd=project)
    assert run.code == 1 and run.codes() == ["GK204"] and run.json["diagnostics"][0]["file"] == "gkml.yaml"


def test_pre_commit_hook_passes_filenames():
    text = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text("utf-8")
    assert "pass_filenames: true" in text


def _fill(root: Path, count: int, size: int, age: float) -> None:
    folder = root / "file" / "ab"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        path = folder / f"ab{age:.0f}-{number}"
        path.write_bytes(b"x" * size)
        os.utime(path, (time.time() - age, time.time() - age))


def test_cache_is_pruned_by_age_then_oldest_first(tmp_path):
    root = tmp_path / "cache"
    result_cache.Cache(root)
    _fill(root, 3, 1000, 40 * 86400)    # expired
    _fill(root, 4, 1000, 10 * 86400)    # old
    _fill(root, 4, 1000, 60)            # new
    removed, freed = result_cache.prune(root, max_bytes=5000, max_age=30 * 86400)
    left = [p.name for p in (root / "file" / "ab").iterdir()]
    # the 3 expired, then the oldest until 5000 bytes remain: one old entry and the 4 new ones
    assert (removed, freed) == (6, 6000)
    assert sum(name.startswith("ab60-") for name in left) == 4 and len(left) == 5
    assert (root / "key").is_file()


def test_cache_prune_waits_for_no_one(tmp_path):
    import fcntl
    root = tmp_path / "cache"
    result_cache.Cache(root)
    _fill(root, 2, 10, 40 * 86400)
    held = os.open(root / "pruned", os.O_WRONLY)
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        assert result_cache.prune(root, max_age=86400) == (0, 0)   # another run prunes: skip
    finally:
        os.close(held)
    assert result_cache.prune(root, max_age=86400) == (2, 20)


def test_cache_command_info_and_clear(project, gkml, tmp_path, monkeypatch):
    monkeypatch.setenv("GKML_CACHE_DIR", str(tmp_path / "c"))
    assert gkml(["validate"], cwd=project).code == 0
    info = gkml(["cache", "--info"], cwd=project)
    assert info.code == 0 and str(tmp_path / "c") in info.out and "file:" in info.out
    cleared = gkml(["cache", "--clear", "--lang", "en"], cwd=project)
    assert cleared.code == 0 and "cleared" in cleared.out
    assert result_cache.entries(tmp_path / "c") == [] and (tmp_path / "c" / "key").is_file()
    assert gkml(["validate"], cwd=project).code == 0


def test_build_follows_the_configured_levels(project, gkml):
    """Two configurations with as many warnings but different ones: the warnings page follows."""
    target = project / "catalogs" / "341321" / "social-assistance.yaml"
    _edit(target, "      - 《社会救助暂行办法》(国务院令第649号)\n", "      - 有关法律法规\n")
    _edit(target, "      - 《中华人民共和国政府信息公开条例》(国务院令第711号)\n", "      - 政府信息公开条例\n")
    pages = []
    for off in ("GK304", "GK302"):
        (project / "gkml.yaml").write_text(f"rules:\n  {off}: off\n", "utf-8")
        assert gkml(["build", "--staff", "--out", "out"], cwd=project).code == 0
        pages.append((project / "out" / "site" / "staff" / "warnings.html").read_text("utf-8"))
    assert "GK302" in pages[0] and "GK304" not in pages[0]
    assert "GK304" in pages[1] and "GK302" not in pages[1]
