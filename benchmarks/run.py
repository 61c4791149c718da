"""Province-scale benchmark: gkml against check-jsonschema and the libyaml floor.

    python benchmarks/run.py --scale {tiny,tenth,county,full} [--reps N] [--workdir DIR] [--results FILE]

Generates the tree (benchmarks/generate.py), then times, as separate processes, the median of
N repetitions of: gkml validate cold (--no-cache), warm (nothing changed), after a one-file
edit (a matter's content, which no cross-catalog rule reads) and after adding a matter
(alternately added and removed: an edit the cross-catalog rules see); gkml build cold, after a
one-file edit and after adding a matter; check-jsonschema with gkml's schema on the same files;
and in-process the floor (libyaml events with line numbers, no objects built).
Prints figures and ratios; the last line is ratio_vs_check_jsonschema=<peer time / gkml cold>.
Ratios from one run on one machine are what to quote: absolute times on a shared 2-core box vary.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, int, int]:
    """Wall time, exit code and peak RSS (KiB, largest process) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return elapsed, proc.returncode, usage.ru_maxrss


def median_of(reps: int, fn) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(reps):
        t, peak = fn()
        times.append(t)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def floor(files: list[Path]) -> float:
    """libyaml parsing every file with line numbers read off each event: the least any YAML tool does."""
    from yaml import _yaml
    start = time.perf_counter()
    for path in files:
        parser = _yaml.CParser(path.read_bytes())
        lines = 0
        while True:
            event = parser.get_event()
            if event is None:
                break
            lines += event.start_mark.line
            if event.__class__.__name__ == "StreamEndEvent":
                break
    return time.perf_counter() - start


class Editor:
    """Makes a real one-file edit (alternating two versions of one catalog file)."""

    def __init__(self, path: Path):
        self.path = path
        self.original = path.read_text("utf-8")
        self.flip = False
        # the other edit: one more matter, like the last one (its id numbered 999, other wording),
        # a matter of this catalog's own (implementing no upper one), disclosed at its level only, so
        # that no lower catalog has to implement it
        last = self.original[self.original.rindex("\n  - id: ") + 1:]
        added = re.sub(r'(id: "[^"]*-)\d+"', r'\g<1>999"', last, count=1)
        added = re.sub(r"matter: .*", "matter: 基准测试新增的公开事项", added, count=1)
        level = re.search(r"^level: (\w+)", self.original, re.M)
        own = {"province": "省级", "city": "市级", "county": "县级"}.get(level.group(1) if level else "", "县级")
        added = re.sub(r"levels: .*", f"levels: [{own}]", added, count=1)
        added = re.sub(r"\n *implements: .*", "", added, count=1)
        self.longer = self.original + added

    def edit(self) -> None:
        """Reword the first matter's content, or undo that."""
        self.flip = not self.flip
        text = self.original if not self.flip else self.original.replace("content: ", "content: 已更新:", 1)
        self.path.write_text(text, "utf-8")

    def add(self) -> None:
        """Add a matter, or remove it again."""
        self.flip = not self.flip
        self.path.write_text(self.longer if self.flip else self.original, "utf-8")

    def reset(self) -> None:
        """Back to the original file, so that the next edit of either kind starts from it."""
        if self.flip:
            self.flip = False
            self.path.write_text(self.original, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["tiny", "tenth", "county", "full"], default="tenth")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each gkml measure (median)")
    parser.add_argument("--peer-reps", type=int, default=None,
                        help="repetitions of check-jsonschema (default: --reps, but 1 at full scale: ~6 min each)")
    parser.add_argument("--workdir", help="where to generate the tree (default: a temporary folder)")
    parser.add_argument("--results", help="also write the figures as Markdown to this file")
    parser.add_argument("--no-build", action="store_true", help="skip the build timings")
    args = parser.parse_args()

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix=f"gkml-bench-{args.scale}-"))
    tree = work / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--scale", args.scale, "--out", str(tree), "--seed", "1"],
                   check=True, stdout=subprocess.DEVNULL)
    catalog_files = sorted(p for p in (tree / "catalogs").rglob("*.yaml") if "registry" not in p.parts)
    all_files = sorted((tree / "catalogs").rglob("*.yaml"))
    cache_dir = work / "cache"
    env = dict(os.environ, GKML_CACHE_DIR=str(cache_dir), PYTHONHASHSEED="0")
    gkml = [sys.executable, "-m", "compiler"]
    editor = Editor(next(p for p in catalog_files if p.parent.name != catalog_files[0].parent.name))
    figures: dict[str, float] = {}
    peaks: dict[str, int] = {}
    reps = args.reps

    def run(name: str, cmd: list[str], before=None, reps_here: int = reps) -> None:
        def once():
            if before:
                before()
            t, _, peak = timed(cmd, tree, env)
            return t, peak
        figures[name], peaks[name] = median_of(reps_here, once)
        print(f"{name:<34} {figures[name]:8.2f} s   peak {peaks[name] / 1024:7.0f} MiB", flush=True)

    def clear_cache():
        shutil.rmtree(cache_dir, ignore_errors=True)

    print(f"scale={args.scale} files={len(all_files)} machine={platform.machine()} cores={os.cpu_count()} "
          f"python={platform.python_version()}", flush=True)
    figures["floor"] = statistics.median(floor(all_files) for _ in range(reps))
    print(f"{'floor (libyaml events + lines)':<34} {figures['floor']:8.2f} s", flush=True)
    run("gkml validate cold (--no-cache)", gkml + ["validate", "--no-cache"])
    run("gkml validate first run (fills cache)", gkml + ["validate"], before=clear_cache)
    run("gkml validate warm (no change)", gkml + ["validate"])
    run("gkml validate after one-file edit", gkml + ["validate"], before=editor.edit)
    editor.reset()
    # not a target of issue 6 either: an edit that cross-catalog rules see (re-runs the project stage)
    run("gkml validate after adding a matter", gkml + ["validate"], before=editor.add)
    editor.reset()
    # gkml assess (issue 21 item 5, being written by another helper): timed once it exists, since
    # issue 22 asks that it take no longer than the cold check on the same tree
    if subprocess.run(gkml + ["assess", "--help"], cwd=tree, env=env, stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode == 0:
        run("gkml assess", gkml + ["assess"])
    if not args.no_build:
        out = work / "out"
        run("gkml build cold", gkml + ["build", "--no-cache", "--out", str(out)], before=clear_cache)
        timed(gkml + ["build", "--out", str(out)], tree, env)  # untimed: fills the check cache a CI runner keeps
        run("gkml build after one-file edit", gkml + ["build", "--out", str(out)], before=editor.edit)
        editor.reset()
        # not a target of issue 6, but the edit departments make most: a matter added or removed
        run("gkml build after adding a matter", gkml + ["build", "--out", str(out)], before=editor.add)
        home = out / "site" / "index.html"
        print(f"{'home page (site/index.html)':<34} {home.stat().st_size / 1024:8.1f} KiB", flush=True)
    peer_reps = args.peer_reps if args.peer_reps is not None else (1 if args.scale in ("county", "full") else reps)
    run("check-jsonschema (schema only)", [sys.executable, "-m", "check_jsonschema", "--schemafile",
                                           str(ROOT / "schema" / "catalog.schema.json"), *map(str, catalog_files)],
        reps_here=peer_reps)

    cold = figures["gkml validate cold (--no-cache)"]
    peer = figures["check-jsonschema (schema only)"]
    print()
    print(f"cold check vs floor           {cold / figures['floor']:6.2f} x")
    if not args.no_build:
        print(f"cold build / cold check       {figures['gkml build cold'] / cold:6.2f} x")
        print(f"build edit / cold build       {figures['gkml build after one-file edit'] / figures['gkml build cold']:6.1%}")
        print(f"build add / cold build        {figures['gkml build after adding a matter'] / figures['gkml build cold']:6.1%}")
    print(f"re-check after adding a matter {figures['gkml validate after adding a matter']:5.2f} s")
    print(f"peak memory (largest process) {max(peaks.values()) / 1024:6.0f} MiB")
    if args.results:
        lines = ["| measure | median (s) | peak MiB |", "|---|---:|---:|"]
        lines += [f"| {k} | {v:.2f} | {peaks.get(k, 0) / 1024:.0f} |" for k, v in figures.items()]
        Path(args.results).write_text("\n".join(lines) + "\n", "utf-8")
    print(f"ratio_vs_check_jsonschema={peer / cold:.2f}")


if __name__ == "__main__":
    main()
