"""A non-editable install works from any directory: the schema and templates travel in the wheel.

Builds a wheel from a copy of the source tree (so the repository is left untouched), installs it
into a fresh venv that borrows the host's dependencies (--system-site-packages, no network), and
runs gkml from a directory that has nothing but a copy of catalogs/.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis", ".benchmarks",
                              "bench-out", ".gkml-cache", ".venv", "tests")


def _run(argv, cwd: Path, env=None, timeout=300) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    return done


def _host_can_build() -> bool:
    try:
        import setuptools
        import wheel  # noqa: F401
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 68


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    """A venv with gkml installed from a freshly built wheel; its paths."""
    work = tmp_path_factory.mktemp("package")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=SKIP)
    # the host's setuptools and wheel when they meet pyproject's build-system requirements;
    # otherwise build isolation fetches them from the package index
    isolation = ["--no-build-isolation"] if _host_can_build() else []
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *isolation, "-w", work / "dist", source],
                 cwd=work)
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("gkml-*.whl")
    venv = work / "venv"
    made = _run([sys.executable, "-m", "venv", "--system-site-packages", venv], cwd=work)
    assert made.returncode == 0, made.stderr
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    # the host has gkml installed editable; --force-reinstall puts the wheel's copy in the venv
    done = _run([bin_dir / "python", "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--force-reinstall", wheel],
                cwd=work)
    assert done.returncode == 0, done.stderr
    elsewhere = work / "elsewhere"
    shutil.copytree(ROOT / "catalogs", elsewhere / "catalogs")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "GKML"))}
    env["GKML_CACHE_DIR"] = str(work / "cache")
    return {"wheel": wheel, "bin": bin_dir, "elsewhere": elsewhere, "env": env, "venv": venv}


@pytest.mark.slow
def test_wheel_carries_schema_and_templates(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert "compiler/schema/catalog.schema.json" in names
    assert "compiler/schema/registry.schema.json" in names
    shipped = {n for n in names if n.startswith("compiler/templates/")}
    wanted = {"compiler/templates/" + p.relative_to(ROOT / "templates").as_posix()
              for p in (ROOT / "templates").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert wanted, "templates/ is empty"
    assert wanted <= shipped, f"templates missing from the wheel: {sorted(wanted - shipped)[:5]}"
    assert not any(n.startswith(("catalogs/", "tests/")) for n in names)


@pytest.mark.slow
def test_installed_gkml_runs_from_another_directory(installed):
    gkml = installed["bin"] / "gkml"
    cwd, env = installed["elsewhere"], installed["env"]
    where = _run([installed["bin"] / "python", "-c",
                  "import compiler, compiler.resources as r, compiler.cli, compiler.rules, compiler.reporters;"
                  "print(compiler.__file__); print(r.schema_dir()); print(r.templates_dir())"], cwd=cwd, env=env)
    assert where.returncode == 0, where.stderr
    venv = str(installed["venv"].resolve())
    for line in where.stdout.splitlines():  # the wheel's copy, not the repository's
        assert str(Path(line).resolve()).startswith(venv), line
    run = _run([gkml, "validate", "--format", "json"], cwd=cwd, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout)["summary"]["items"] >= 150
    schema = _run([gkml, "schema"], cwd=cwd, env=env)
    assert schema.returncode == 0
    assert json.loads(schema.stdout) == json.loads((ROOT / "schema" / "catalog.schema.json").read_text("utf-8"))
    broken = cwd / "catalogs" / "341321" / "social-assistance.yaml"
    broken.write_text(broken.read_text("utf-8").replace("    content:", "    contents:", 1), "utf-8")
    failing = _run([gkml, "validate"], cwd=cwd, env=env)
    assert failing.returncode == 1 and "GK202" in failing.stdout and "Traceback" not in failing.stderr
