"""gkml build against itself and its own remains: two builds at once, a killed build, --strict's message."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from compiler.cli import main
from compiler.outfolder import locked, lock_path

from test_build import edit, snapshot


def _gkml(*args: object, cwd: Path, stderr) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "compiler", *map(str, args)], cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=stderr, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def _fresh(project: Path, fresh: Path) -> dict[str, str]:
    """A build from scratch, from the same folder as the builds under test (paths in the outputs are as given)."""
    assert _gkml("build", "--no-cache", "--out", fresh, project / "catalogs", cwd=project,
                 stderr=subprocess.DEVNULL).wait(timeout=120) == 0
    return snapshot(fresh)


def _wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_two_builds_at_once_wait_for_each_other(project, tmp_path):
    out = project / "build"
    assert _gkml("build", "--out", out, project / "catalogs", cwd=project, stderr=subprocess.DEVNULL).wait() == 0
    edit(project / "catalogs/341321/employment.yaml", 'version: "2024.1"', 'version: "2024.2"')
    logs = [tmp_path / "one.err", tmp_path / "two.err"]
    # this test holds the lock, so that both builds surely start while another build has it
    with locked(out.resolve()):
        runs = []
        for log in logs:
            with open(log, "wb") as fh:
                runs.append(_gkml("build", "--out", out, project / "catalogs", cwd=project, stderr=fh))
        _wait_for(lambda: all("正在生成" in log.read_text("utf-8") for log in logs))
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    # one after the other: both finished, neither spliced from the other's half-written files
    json.loads((out / "data/catalogs.json").read_text("utf-8"))
    assert snapshot(out) == _fresh(project, tmp_path / "fresh")
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".build")) == []


def test_builds_started_together_give_the_fresh_bytes(project, tmp_path):
    out = project / "build"
    catalogs = project / "catalogs"
    assert _gkml("build", "--out", out, catalogs, cwd=project, stderr=subprocess.DEVNULL).wait() == 0
    fresh = tmp_path / "fresh"
    for n in range(3):   # each round: an edit, then two builds racing for the folder
        edit(catalogs / "341321/employment.yaml", "content: ", f"content: 第{n}轮:")
        runs = [_gkml("build", "--out", out, catalogs, cwd=project, stderr=subprocess.DEVNULL) for _ in range(2)]
        assert [run.wait(timeout=120) for run in runs] == [0, 0]
        assert snapshot(out) == _fresh(project, fresh)


KILLED_BUILD = """
import sys, time
from pathlib import Path
from compiler.outfolder import locked, new_staging
target = Path(sys.argv[1])
with locked(target):
    staging = new_staging(target)
    (staging / "site").mkdir()
    (staging / "site" / "big.bin").write_bytes(bytes(1 << 20))
    print(staging, flush=True)
    time.sleep(600)
"""


def test_staging_of_a_killed_build_is_removed_by_the_next(project):
    out = project / "build"
    dying = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(out.resolve())], stdout=subprocess.PIPE, text=True)
    staging = Path(dying.stdout.readline().strip())
    assert staging.is_dir() and staging.name.startswith(".build.staging-")
    os.kill(dying.pid, signal.SIGKILL)       # what kill -9 leaves: the staging folder (the lock dies with it)
    dying.wait()
    older = project / ".build.staging-x1y2z3"   # left by a gkml from before the pid was in the name
    older.mkdir()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        living = project / f".build.staging-{alive.pid}-abcd"   # a build without the lock, still running
        living.mkdir()
        other = project / f".other.staging-{dying.pid}-abcd"    # another output folder's
        other.mkdir()
        result = CliRunner().invoke(main, ["build", "--out", str(out), str(project / "catalogs")])
        assert result.exit_code == 0, result.output
        assert not staging.exists() and not older.exists()
        assert living.is_dir() and other.is_dir()
        assert not lock_path(out.resolve()).exists()
    finally:
        alive.kill()
        alive.wait()


def test_strict_names_the_warnings_that_blocked_the_build(project):
    edit(project / "catalogs/341321/employment.yaml", "method: 主动\n", "method: 主动公开\n")   # a synonym: one warning
    check = CliRunner().invoke(main, ["validate", "--format", "json", str(project / "catalogs")])
    summary = json.loads(check.stdout)["summary"]
    assert summary["errors"] == 0 and summary["warnings"] >= 1
    result = CliRunner().invoke(main, ["build", "--strict", "--out", str(project / "build"), str(project / "catalogs")])
    assert result.exit_code == 1
    assert f"--strict 下有 {summary['warnings']} 个警告" in result.stderr and "0 个错误" not in result.stderr
    english = CliRunner().invoke(main, ["build", "--strict", "--lang", "en", "--out", str(project / "build"),
                                        str(project / "catalogs")])
    assert f"not built: {summary['warnings']} warning" in english.stderr and "0 error" not in english.stderr
    assert not (project / "build").exists()
