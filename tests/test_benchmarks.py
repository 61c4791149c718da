"""The benchmark scripts keep working: a tiny-scale generation and benchmark run (figures not asserted)."""
from __future__ import annotations

import json
import subprocess
import sys

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


def test_generated_faults_are_found(tmp_path):
    subprocess.run([sys.executable, str(GENERATE), "--scale", "tiny", "--out", str(tmp_path), "--errors", "10",
                    "--seed", "5"], check=True, capture_output=True)
    run = _gkml(tmp_path, "validate", "--format", "json", "--no-cache")
    assert run.returncode == 1
    assert json.loads(run.stdout)["summary"]["errors"] > 0


def test_benchmark_runs_at_tiny_scale(tmp_path):
    proc = subprocess.run([sys.executable, str(RUN), "--scale", "tiny", "--reps", "1", "--workdir", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    assert lines[-1].startswith("ratio_vs_check_jsonschema=")
    assert float(lines[-1].split("=", 1)[1]) > 0
    for measure in ("floor", "gkml validate cold", "warm", "one-file edit", "gkml build cold", "check-jsonschema"):
        assert any(measure in line for line in lines), measure
