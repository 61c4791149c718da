"""The benchmark scripts keep working: a tiny-scale generation and benchmark run (figures not asserted)."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import yaml

from conftest import ROOT

GENERATE = ROOT / "benchmarks" / "generate.py"
RUN = ROOT / "benchmarks" / "run.py"


def _gkml(cwd, *args):
    return subprocess.run([sys.executable, "-m", "compiler", *args], cwd=cwd, capture_output=True, text=True)


def test_generated_tree_is_clean_and_deterministic(tmp_path):
    for out in (tmp_path / "a", tmp_path / "b"):
        subprocess.run([sys.executable, str(GENERATE), "--scale", "tiny", "--out", str(out), "--seed", "3"],
                       check=True, capture_output=True)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and files_a
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files_a)
    run = _gkml(tmp_path / "a", "validate", "--format", "json", "--no-cache")
    assert run.returncode == 0, run.stdout[-2000:]
    assert json.loads(run.stdout)["summary"]["items"] > 50


def test_tiny_tree_has_townships_in_both_shapes_implementing_their_county(tmp_path):
    subprocess.run([sys.executable, str(GENERATE), "--scale", "tiny", "--out", str(tmp_path), "--seed", "3"],
                   check=True, capture_output=True)
    catalogs = tmp_path / "catalogs"
    regions = yaml.safe_load((catalogs / "registry" / "regions.yaml").read_text("utf-8"))["regions"]
    towns = [r for r in regions if r["level"] == "township"]
    counties = {r["code"] for r in regions if r["level"] == "county"}
    assert len(towns) == 6 and all(re.fullmatch(r"\d{9}", t["code"]) and t["code"][:6] == t["parent"] for t in towns)
    assert {t["parent"] for t in towns} == counties
    areas = yaml.safe_load((catalogs / "registry" / "areas.yaml").read_text("utf-8"))["areas"]
    township_areas = {a["name"] for a in areas if "township" in a["levels"]}
    assert all(t["areas"] and set(t["areas"]) <= township_areas for t in towns)
    units = yaml.safe_load((catalogs / "registry" / "units.yaml").read_text("utf-8"))["units"]
    for town in towns:   # a government (人民政府 or 街道办事处) and its 社会事务办公室 in each
        names = {u["name"] for u in units if u["region"] == town["code"]}
        assert names >= {town["name"] + ("办事处" if town["name"].endswith("街道") else "人民政府"),
                         town["name"] + "社会事务办公室"}, names
    shapes = {"sections": 0, "files": 0}
    upper_ids = {i["id"] for p in catalogs.glob("3413??/*.yaml") for i in yaml.safe_load(p.read_text("utf-8"))["items"]}
    for town in towns:
        files = sorted((catalogs / town["code"]).glob("*.yaml"))
        if [f.name for f in files] == ["catalog.yaml"]:
            shapes["sections"] += 1
            data = yaml.safe_load(files[0].read_text("utf-8"))
            sections = [(s["area"], s["items"]) for s in data["areas"]]
        else:
            shapes["files"] += 1
            sections = [(d["area"], d["items"]) for d in (yaml.safe_load(f.read_text("utf-8")) for f in files)]
        assert sorted(a for a, _ in sections) == sorted(town["areas"])
        implemented = [i["implements"] for _, items in sections for i in items if "implements" in i]
        assert implemented and set(implemented) <= upper_ids
        assert all(set(i["levels"]) <= {"乡级", "村级"} for _, items in sections for i in items)
    assert shapes["sections"] >= 2 and shapes["files"] >= 2, shapes


def test_county_scale_has_no_townships_and_full_scale_has_them_in_proportion():
    sys.path.insert(0, str(GENERATE.parent))
    import generate
    import townships
    assert generate.SCALES["county"]["townships"] is None
    assert generate.SCALES["full"]["townships"] == "all" and generate.SCALES["full"]["town_areas"] == (10, 20)
    cfg = generate.SCALES["full"]
    prov, _ = generate.build_regions(cfg)
    towns = townships.build_townships(1, prov, cfg, [a[0] for a in generate.AREAS])
    assert 1350 <= len(towns) <= 1650
    per_county = {}
    for town in towns:
        per_county[town.parent] = per_county.get(town.parent, 0) + 1
        assert 10 <= len(town.areas) <= 20
    counties = [c for city in prov.children for c in city.children if c.level == "county" and c.kind is None]
    assert all(9 <= per_county[c.code] <= 20 for c in counties)
    assert len({t.name for t in towns}) == len(towns)   # unit names (X镇人民政府) must be unique
    assert 0.3 < sum(t.sections for t in towns) / len(towns) < 0.7


def test_generated_faults_are_found(tmp_path):
    subprocess.run([sys.executable, str(GENERATE), "--scale", "tiny", "--out", str(tmp_path), "--errors", "10",
                    "--seed", "5"], check=True, capture_output=True)
    run = _gkml(tmp_path, "validate", "--format", "json", "--no-cache")
    assert run.returncode == 1
    assert json.loads(run.stdout)["summary"]["errors"] > 0


def test_benchmark_runs_at_tiny_scale(tmp_path):
    results = tmp_path / "RESULTS.md"
    proc = subprocess.run([sys.executable, str(RUN), "--scale", "tiny", "--reps", "1", "--search-runs", "1",
                           "--workdir", str(tmp_path), "--results", str(results)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    assert lines[-1].startswith("ratio_vs_check_jsonschema=")
    assert float(lines[-1].split("=", 1)[1]) > 0
    for measure in ("floor", "gkml validate cold", "warm", "one-file edit", "gkml build cold", "check-jsonschema",
                    "gkml assess", "gkml diff HEAD~1 HEAD (10 files) cold", "gkml diff HEAD~1 HEAD (10 files) warm",
                    "gkml validate --since HEAD~1 warm", "portal search", "region pages"):
        assert any(measure in line for line in lines), measure
    # every command's peak memory, in MiB
    timed = [line for line in lines if line.startswith(("gkml ", "check-jsonschema", "portal search")) and " s " in line]
    assert len(timed) >= 15 and all(re.search(r"peak +[0-9]+ MiB$", line) for line in timed), timed
    block = results.read_text("utf-8")
    assert "<!-- run.py --scale tiny: begin -->" in block and "\nMachine: " in block
    assert re.search(r"### `run.py --scale tiny` at ([0-9a-f]{7,}\+?|\?), 20[0-9]{2}-", block)
    assert "| gkml validate --since HEAD~1 warm |" in block


def test_results_writer_keeps_every_other_scales_block(tmp_path):
    sys.path.insert(0, str(RUN.parent))
    import run
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\nprose kept\n", "utf-8")
    run.write_results(path, "county", ["county one"])
    run.write_results(path, "full", ["full one"])
    run.write_results(path, "county", ["county two"])
    text = path.read_text("utf-8")
    assert "prose kept" in text and "full one" in text and "county two" in text and "county one" not in text
    assert text.index("county two") < text.index("full one")


def test_sampled_peer_checks_every_kth_file():
    sys.path.insert(0, str(RUN.parent))
    import run
    files = [ROOT / f"{n:03d}.yaml" for n in range(20)]
    assert run.peer_files(files, "exact", 8) == files
    assert run.peer_files(files, "sampled", 8) == [files[0], files[8], files[16]]
