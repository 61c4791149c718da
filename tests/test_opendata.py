"""The open-data package (data/datapackage.json and data/csv/): valid Frictionless, complete, safe, incremental."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml
from click.testing import CliRunner

from compiler.cli import main

from conftest import DEFAULT
from test_build import edit, snapshot

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


def build(out: Path, catalogs: Path, *flags: str) -> None:
    result = CliRunner().invoke(main, ["build", *flags, "--out", str(out), str(catalogs)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def rows(out: Path) -> list[dict[str, str]]:
    """Every row of every CSV resource the package lists."""
    package = json.loads((out / "data/datapackage.json").read_text("utf-8"))
    found = []
    for resource in package["resources"]:
        with open(out / "data" / resource["path"], encoding=resource["encoding"], newline="") as fh:
            found += list(csv.DictReader(fh))
    return found


def frictionless_validate(package: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(FRICTIONLESS), "validate", str(package)], capture_output=True, text=True, timeout=300)


def test_package_is_valid_and_lists_every_matter_once(tmp_path):
    out = tmp_path / "build"
    build(out, DEFAULT, "--no-cache")
    run = frictionless_validate(out / "data/datapackage.json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "VALID" in run.stdout and "INVALID" not in run.stdout
    package = json.loads((out / "data/datapackage.json").read_text("utf-8"))
    assert [r["name"] for r in package["resources"]] == ["province", "city", "county", "township"]   # the default has townships (issue 21)
    for resource in package["resources"]:
        header = (out / "data" / resource["path"]).read_bytes().split(b"\r\n")[0].decode("utf-8")
        assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]]
        assert "一级事项" in header and "公开主体" in header
    expected = Counter()
    for path in sorted(DEFAULT.glob("[0-9]*/*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        expected.update((str(data["region"]), str(item["id"]), item["matter"])
                        for item in data.get("items") or [i for s in data.get("areas", []) for i in s["items"]])
    found = Counter((row["地区代码"], row["事项编号"], row["一级事项"]) for row in rows(out))
    assert found == expected and max(found.values()) == 1 and sum(found.values()) > 100


def test_formula_like_cells_are_not_formulas(tmp_path):
    catalogs = tmp_path / "catalogs"
    shutil.copytree(DEFAULT, catalogs)
    path = catalogs / "341321/employment.yaml"
    starts = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)"]
    lines = path.read_text("utf-8").splitlines(keepends=True)
    contents = [n for n, line in enumerate(lines) if line.startswith("    content: ")]
    for n, start in zip(contents, starts):   # the first matters' contents, quoted as YAML needs
        lines[n] = f"    content: {json.dumps(start, ensure_ascii=False)}\n"
    path.write_text("".join(lines), "utf-8")
    out = tmp_path / "build"
    build(out, catalogs, "--no-cache")
    cells = [value for row in rows(out) for value in row.values()]
    for start in starts:
        assert f"'{start}" in cells and start not in cells
    assert not [value for value in cells if value.startswith(("=", "+", "-", "@", "\t", "\r"))]
    # the JSON data keeps the values as written
    text = (out / "data/catalogs.json").read_text("utf-8")
    assert json.dumps(starts[0], ensure_ascii=False) in text
    run = frictionless_validate(out / "data/datapackage.json")
    assert run.returncode == 0, run.stdout


def test_an_edit_renders_only_its_level(tmp_path):
    catalogs = tmp_path / "catalogs"
    shutil.copytree(DEFAULT, catalogs)
    out = tmp_path / "build"
    build(out, catalogs)
    before = {p.name: p.stat().st_ino for p in (out / "data/csv").iterdir()}
    package = (out / "data/datapackage.json").stat().st_ino
    edit(catalogs / "341321/employment.yaml", "content: ", "content: 改过的")
    build(out, catalogs)
    after = {p.name: p.stat().st_ino for p in (out / "data/csv").iterdir()}
    assert after["county.csv"] != before["county.csv"]
    assert after["city.csv"] == before["city.csv"] and after["province.csv"] == before["province.csv"]
    assert (out / "data/datapackage.json").stat().st_ino == package
    assert "改过的" in (out / "data/csv/county.csv").read_text("utf-8")
    fresh = tmp_path / "fresh"
    build(fresh, catalogs, "--no-cache")
    assert snapshot(out) == snapshot(fresh)
