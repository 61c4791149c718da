"""Timing of catalogs over time (issue 19, Deliver 6) on a generated tree in a git repository.

    python benchmarks/history.py --scale {tiny,tenth} [--reps N] [--workdir DIR]

Generates the tree (benchmarks/generate.py), commits it, edits one matter's time_limit in each of
10 files, commits again, then times as separate processes (median of N): `gkml diff HEAD~1 HEAD`
(first run, then repeated), `gkml diff HEAD~1` (against the working tree), `gkml validate` cold
(--no-cache) and warm, and `gkml validate --since HEAD~1` warm. Prints one line per figure.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(cmd: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"command failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr.decode()[-2000:]}")
    return elapsed


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=bench@example.invalid", "-c", "user.name=bench", *args], cwd=cwd,
                   check=True, stdout=subprocess.DEVNULL)


def shorter_time_limit(text: str) -> str:
    """A catalog's first 20-working-day time limit made 15 (a 变更 of time_limit)."""
    return re.sub(r"(time_limit: [^\n]*?)20个工作日", r"\g<1>15个工作日", text, count=1)


def two_revisions(tree: Path, files: list[Path], edit) -> int:
    """Commit the tree, edit 10 of its files spread over the sorted list, commit again: HEAD~1 and
    HEAD differ in those files. Returns how many files the edit changed."""
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "base")
    edited = 0
    for path in files[:: max(1, len(files) // 10)][:10]:
        text = path.read_text("utf-8")
        new = edit(text)
        if new != text:
            path.write_text(new, "utf-8")
            edited += 1
    git(tree, "commit", "-qam", "ten edits")
    return edited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["tiny", "tenth"], default="tenth")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--workdir")
    args = parser.parse_args()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="gkml-history-"))
    gkml = str(Path(sys.executable).with_name("gkml"))
    env = dict(os.environ, GKML_CACHE_DIR=str(work / "cache"))
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--scale", args.scale, "--out", str(work / "tree"), "--force"],
                   check=True, stdout=subprocess.DEVNULL)
    tree = work / "tree"
    files = sorted(p for p in (tree / "catalogs").rglob("*.yaml") if "registry" not in p.parts)
    edited = two_revisions(tree, files, shorter_time_limit)
    print(f"scale={args.scale} files={len(files)} edited={edited}")
    first = run([gkml, "diff", "HEAD~1", "HEAD", "--format", "json"], tree, env)
    print(f"diff_revisions_first={first:.3f}s")
    warm = statistics.median(run([gkml, "diff", "HEAD~1", "HEAD", "--format", "json"], tree, env) for _ in range(args.reps))
    print(f"diff_revisions_warm={warm:.3f}s")
    worktree = statistics.median(run([gkml, "diff", "HEAD~1"], tree, env) for _ in range(args.reps))
    print(f"diff_worktree_warm={worktree:.3f}s")
    cold = statistics.median(run([gkml, "validate", "--no-cache"], tree, env) for _ in range(args.reps))
    print(f"validate_cold={cold:.3f}s")
    run([gkml, "validate"], tree, env)
    validate = statistics.median(run([gkml, "validate"], tree, env) for _ in range(args.reps))
    print(f"validate_warm={validate:.3f}s")
    since = statistics.median(run([gkml, "validate", "--since", "HEAD~1"], tree, env) for _ in range(args.reps))
    print(f"validate_since_warm={since:.3f}s added={since - validate:.3f}s")


if __name__ == "__main__":
    main()
