""".ci/run's apt calls wait for another apt process instead of failing (issue 17 defect 20)."""
from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKED = "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 2023 (apt-get)"


def _fake_apt(tmp_path: Path, failures: int, message: str = LOCKED) -> Path:
    """An apt-get on PATH that logs its arguments and fails `failures` times with message."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "apt-get"
    script.write_text(f"""#!/usr/bin/env bash
echo "$*" >> "{tmp_path}/calls"
n=$(cat "{tmp_path}/count" 2>/dev/null || echo 0)
echo $((n + 1)) > "{tmp_path}/count"
if [ "$n" -lt {failures} ]; then echo "{message}" >&2; exit 100; fi
""", "utf-8")
    script.chmod(0o755)
    return bin_dir


def _run(tmp_path: Path, bin_dir: Path, command: str, wait: int = 600) -> subprocess.CompletedProcess:
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "APT_WAIT": str(wait), "APT_RETRY_SLEEP": "1"}
    return subprocess.run(["bash", "-c", f". {ROOT / '.ci/apt.sh'} && {command}"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_update_waits_for_the_lists_lock(tmp_path):
    run = _run(tmp_path, _fake_apt(tmp_path, failures=2), "apt_update")
    assert run.returncode == 0, run.stderr
    calls = (tmp_path / "calls").read_text().splitlines()
    assert len(calls) == 3 and all("-o DPkg::Lock::Timeout=600 update" in c for c in calls)
    assert "waiting" in run.stderr


def test_update_gives_up_after_the_wait(tmp_path):
    run = _run(tmp_path, _fake_apt(tmp_path, failures=100), "apt_update", wait=2)
    assert run.returncode != 0 and LOCKED in run.stderr
    assert len((tmp_path / "calls").read_text().splitlines()) == 3


def test_other_failures_are_not_retried(tmp_path):
    run = _run(tmp_path, _fake_apt(tmp_path, failures=1, message="E: Some index files failed to download"), "apt_update")
    assert run.returncode != 0 and "index files" in run.stderr
    assert len((tmp_path / "calls").read_text().splitlines()) == 1


def test_install_waits_for_the_dpkg_lock(tmp_path):
    run = _run(tmp_path, _fake_apt(tmp_path, failures=0), "apt_install chromium")
    assert run.returncode == 0
    assert (tmp_path / "calls").read_text().split() == ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "chromium"]


def test_run_uses_the_waiting_helpers():
    text = (ROOT / ".ci/run").read_text("utf-8")
    assert ". .ci/apt.sh" in text and "apt_update && apt_install chromium" in text
    assert "apt-get update" not in text and "apt-get install" not in text
