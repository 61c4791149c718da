"""Province-scale benchmark: gkml against check-jsonschema and the libyaml floor.

    python benchmarks/run.py --scale {tiny,tenth,county,full} [--reps N] [--workdir DIR] [--results FILE]
                             [--peer {auto,exact,sampled}] [--peer-every K] [--search-runs N] [--no-build] [--no-search]

Generates the tree (benchmarks/generate.py), then times, as separate processes, the median of
N repetitions of: gkml validate cold (--no-cache), warm (nothing changed), after a one-file
edit (a matter's content, which no cross-catalog rule reads) and after adding a matter
(alternately added and removed: an edit the cross-catalog rules see); gkml assess; gkml build
cold, after a one-file edit, after adding a matter and after a change to every page (another
SOURCE_DATE_EPOCH: every output rendered again over the previous build); the portal search in headless Chromium
(benchmarks/search.py, offline); with the tree committed to git and 10 files edited in a second
commit, gkml diff between the two revisions (cold: no cache; warm) and validate --since added to
a warm re-check; check-jsonschema with gkml's schema on the same files; and in-process the floor
(libyaml events with line numbers, no objects built), each run of it just before a cold check's. Every command's peak memory is its largest
process's RSS (wait4). check-jsonschema takes ~40 min at full scale: there it runs on every K-th
file (--peer sampled, the default at full scale) and its time is scaled by the bytes checked.
Prints figures and ratios; the last line is ratio_vs_check_jsonschema=<peer time / gkml cold>.
Ratios from one run on one machine are what to quote: absolute times on a shared 2-core box vary.
With --results FILE, the figures replace this scale's block in FILE (RESULTS.md keeps one block
per scale, each with its machine, commit and date).
"""
from __future__ import annotations

import argparse
import compileall
import datetime
import importlib.util
import json
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
sys.path.insert(0, str(HERE))
from history import two_revisions  # noqa: E402  (benchmarks/ is not a package)

PEER = "check-jsonschema (schema only)"


def timed(cmd: list[str], cwd: Path, env: dict, capture: bool = False) -> tuple[float, int, int, str]:
    """Wall time, exit code, peak RSS (KiB, largest process: wait4 reports the child's and its
    waited-for descendants' maximum) and, when asked, the standard output of one command."""
    start = time.perf_counter()
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        text = proc.stdout.read().decode("utf-8", "replace") if capture else ""
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err.read().decode('utf-8', 'replace')[-2000:]}")
    return elapsed, proc.returncode, usage.ru_maxrss, text


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
        text = self.original if not self.flip else reworded(self.original)
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


def compile_package() -> str:
    """Byte-compile the gkml package under test, as `pip install .` does, and say so for the results.

    An editable install on a machine that sets PYTHONDONTWRITEBYTECODE (this one does) never
    keeps bytecode, so every run would compile gkml's modules again: about 0.1 s of each re-check
    (session 33), a cost no installed gkml pays."""
    folder = Path(importlib.util.find_spec("compiler").origin).parent
    compileall.compile_dir(str(folder), quiet=1)
    return f"gkml ran from bytecode (`compileall` of {folder.name}/, as `pip install .` leaves it)"


def reworded(text: str) -> str:
    """A catalog with its first matter's content reworded (no rule compares contents across levels)."""
    return text.replace("content: ", "content: 已更新:", 1)


def peer_files(files: list[Path], mode: str, every: int) -> list[Path]:
    """The files check-jsonschema checks: all, or every `every`-th of the sorted list (all levels and
    both township shapes, since the list runs province, cities, counties and townships by code)."""
    return files if mode == "exact" else files[::every]


def commit_of(root: Path) -> str:
    """The commit the benchmark runs (with + when the work tree has changes), or ? outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True).stdout.strip()
        return head + ("+" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine() -> str:
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    except (ValueError, OSError):
        mem = 0.0
    return (f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Linux {platform.release()}, "
            f"CPython {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the start")


def write_results(path: Path, scale: str, block: list[str]) -> None:
    """Replace this scale's block in path (between its markers), keeping every other block and text."""
    begin, end = f"<!-- run.py --scale {scale}: begin -->", f"<!-- run.py --scale {scale}: end -->"
    text = path.read_text("utf-8") if path.exists() else "# Benchmark results\n"
    body = "\n".join([begin, *block, end])
    if begin in text and end in text:
        text = text[:text.index(begin)] + body + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    path.write_text(text, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["tiny", "tenth", "county", "full"], default="tenth")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each gkml measure (median)")
    parser.add_argument("--peer-reps", type=int, default=None,
                        help="repetitions of check-jsonschema (default: --reps, but 1 at county and full scale)")
    parser.add_argument("--peer", choices=["auto", "exact", "sampled"], default="auto",
                        help="check-jsonschema on every file (exact) or every K-th, scaled by bytes (sampled); "
                             "auto: sampled at full scale only")
    parser.add_argument("--peer-every", type=int, default=8, metavar="K", help="the sampled peer's K (default 8)")
    parser.add_argument("--search-runs", type=int, default=5, help="browser runs of each search query (median)")
    parser.add_argument("--workdir", help="where to generate the tree (default: a temporary folder)")
    parser.add_argument("--results", help="write the figures as this scale's block of this Markdown file")
    parser.add_argument("--no-build", action="store_true", help="skip the build timings (and the search)")
    parser.add_argument("--no-search", action="store_true", help="skip the portal search (needs Chromium)")
    args = parser.parse_args()
    peer_mode = args.peer if args.peer != "auto" else ("sampled" if args.scale == "full" else "exact")

    where = f"{commit_of(ROOT)}, {datetime.date.today().isoformat()}"   # before anything runs
    host = machine()
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix=f"gkml-bench-{args.scale}-"))
    tree = work / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    started = time.perf_counter()
    made = subprocess.run([sys.executable, str(HERE / "generate.py"), "--scale", args.scale, "--out", str(tree),
                           "--seed", "1"], check=True, capture_output=True, text=True).stdout.strip()
    print(made, flush=True)
    matters = int(m.group(1)) if (m := re.search(r"([0-9]+) matters", made)) else 0
    catalog_files = sorted(p for p in (tree / "catalogs").rglob("*.yaml") if "registry" not in p.parts)
    all_files = sorted((tree / "catalogs").rglob("*.yaml"))
    cache_dir = work / "cache"
    env = dict(os.environ, GKML_CACHE_DIR=str(cache_dir), PYTHONHASHSEED="0")
    gkml = [sys.executable, "-m", "compiler"]
    editor = Editor(next(p for p in catalog_files if p.parent.name != catalog_files[0].parent.name))
    figures: dict[str, float] = {}
    peaks: dict[str, int] = {}
    notes: dict[str, str] = {"bytecode": compile_package()}
    reps = args.reps

    def record(name: str, seconds: float, peak: int) -> None:
        figures[name], peaks[name] = seconds, peak
        print(f"{name:<40} {seconds:8.2f} s   peak {peak / 1024:7.0f} MiB", flush=True)

    def run(name: str, cmd: list[str], before=None, reps_here: int = reps, env_here: dict | None = None) -> None:
        def once():
            if before:
                before()
            t, _, peak, _ = timed(cmd, tree, env_here or env)
            return t, peak
        record(name, *median_of(reps_here, once))

    def clear_cache():
        shutil.rmtree(cache_dir, ignore_errors=True)

    tree_bytes = sum(p.stat().st_size for p in all_files)
    print(f"scale={args.scale} files={len(all_files)} matters={matters} bytes={tree_bytes / 1e6:.1f} MB "
          f"machine={platform.machine()} cores={os.cpu_count()} python={platform.python_version()}", flush=True)
    # the floor and the cold check in turn, the ratio taken pair by pair: the floor uses one core and
    # the check two, so a neighbour busy on the other core for a minute moved a ratio of figures taken
    # minutes apart by a third (1.61x at 0bd22bd, 1.22x in pairs on the same tree, session 29)
    pairs = []
    for _ in range(reps):
        base = floor(all_files)
        cold, _, peak, _ = timed(gkml + ["validate", "--no-cache"], tree, env)
        pairs.append((base, cold, peak))
    figures["floor"] = statistics.median(p[0] for p in pairs)
    print(f"{'floor (libyaml events + lines)':<40} {figures['floor']:8.2f} s", flush=True)
    record("gkml validate cold (--no-cache)", statistics.median(p[1] for p in pairs), max(p[2] for p in pairs))
    notes["floor_ratio"] = statistics.median(p[1] / p[0] for p in pairs)
    run("gkml validate first run (fills cache)", gkml + ["validate"], before=clear_cache)
    # the re-checks take a second or less: at least 5 runs each, so one slow run on this noisy
    # machine does not decide a figure that --reps 1 (the full scale's build budget) would take once
    quick = max(reps, 5)
    run("gkml validate warm (no change)", gkml + ["validate"], reps_here=quick)
    run("gkml validate after one-file edit", gkml + ["validate"], before=editor.edit, reps_here=quick)
    editor.reset()
    # not a target of issue 6 either: an edit that cross-catalog rules see (re-runs the project stage)
    run("gkml validate after adding a matter", gkml + ["validate"], before=editor.add, reps_here=quick)
    editor.reset()
    # issue 22: gkml assess on the tree takes no longer than the cold check (warm: the check cache is kept)
    run("gkml assess", gkml + ["assess"])
    if not args.no_build:
        out = work / "out"
        run("gkml build cold", gkml + ["build", "--no-cache", "--out", str(out)], before=clear_cache)
        timed(gkml + ["build", "--out", str(out)], tree, env)  # untimed: fills the check cache a CI runner keeps
        run("gkml build after one-file edit", gkml + ["build", "--out", str(out)], before=editor.edit)
        editor.reset()
        # not a target of issue 6, but the edit departments make most: a matter added or removed
        run("gkml build after adding a matter", gkml + ["build", "--out", str(out)], before=editor.add)
        editor.reset()
        # every key changed, as after upgrading gkml or changing a template (the build epoch is in
        # every key): all is rendered again over the previous build, its manifest and the search
        # index's state at hand; the cold build above (--no-cache, into nothing) has neither, and
        # missed a largest process of 2.5 GB (issue 22, session 37)
        run("gkml build after a change to every page", gkml + ["build", "--out", str(out)],
            env_here=dict(env, SOURCE_DATE_EPOCH="1790000000"))
        site = out / "site"
        regions = sorted(p.stat().st_size for p in (site / "regions").glob("*.html"))
        notes["pages"] = (f"home page {(site / 'index.html').stat().st_size / 1024:.1f} KiB; {len(regions)} region pages: "
                          f"median {statistics.median(regions) / 1024:.1f} KiB, largest {regions[-1] / 1024:.1f} KiB")
        print(f"{'pages':<40} {notes['pages']}", flush=True)
        if not args.no_search:
            search(site, tree, env, args.search_runs, record, notes)
    diff_and_since(tree, catalog_files, env, gkml, reps, run, clear_cache)
    peer(args, peer_mode, catalog_files, tree, env, reps, record, notes)
    summary = report(figures, peaks, notes, args.no_build)
    elapsed = time.perf_counter() - started
    print(f"benchmark took {elapsed / 60:.1f} min")
    if args.results:
        block = [f"### `run.py --scale {args.scale}` at {where}", "",
                 f"Machine: {host}. Tree: {made.split(' -> ')[0]}; {tree_bytes / 1e6:.1f} MB of YAML. "
                 f"Each figure is the median of {reps} runs (the re-checks: {max(reps, 5)}; check-jsonschema: {notes['peer_reps']}); peak memory is "
                 f"the largest process's RSS. The benchmark took {elapsed / 60:.1f} min.", "",
                 "| measure | median (s) | peak MiB |", "|---|---:|---:|"]
        block += [f"| {k} | {v:.2f} | {peaks[k] / 1024:.0f} |" if k in peaks else f"| {k} | {v:.2f} | |"
                  for k, v in figures.items()]
        block += ["", *[f"- {line}" for line in summary], *[f"- {v}" for k, v in notes.items() if k not in ("peer_reps", "floor_ratio")]]
        write_results(Path(args.results), args.scale, block)
    print(f"ratio_vs_check_jsonschema={figures[PEER] / figures['gkml validate cold (--no-cache)']:.2f}")


def search(site: Path, tree: Path, env: dict, runs: int, record, notes: dict) -> None:
    """The portal's search, offline in headless Chromium (benchmarks/search.py, its own process)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        import playwright  # noqa: F401
    except ImportError:
        notes["search"] = "portal search not measured: Playwright is not installed"
        return
    if not Path(chromium).exists():
        notes["search"] = "portal search not measured: no Chromium"
        return
    t, _, peak, text = timed([sys.executable, str(HERE / "search.py"), str(site), "--runs", str(runs), "--offline",
                              "--json", "--chromium", chromium], tree, env, capture=True)
    found = json.loads(text.strip().splitlines()[-1])
    record("portal search, all queries (search.py)", t, peak)
    notes["search"] = (f"portal search offline in headless Chromium: median over the queries {found['median_ms']} ms, "
                       f"worst query median {found['worst_ms']} ms; index {found['index_files']} files, "
                       f"{found['index_mb']} MB (manifest {found['manifest_kb']} KB)")
    print(f"{'search':<40} {notes['search']}", flush=True)


def diff_and_since(tree: Path, files: list[Path], env: dict, gkml: list[str], reps: int, run, clear_cache) -> None:
    """gkml diff between two revisions 10 files apart (cold, then warm), and validate --since on a warm check."""
    edited = two_revisions(tree, files, reworded)
    diff = gkml + ["diff", "HEAD~1", "HEAD", "--format", "json"]
    run(f"gkml diff HEAD~1 HEAD ({edited} files) cold", diff, before=clear_cache, reps_here=1)
    run(f"gkml diff HEAD~1 HEAD ({edited} files) warm", diff)
    timed(gkml + ["validate"], tree, env)  # untimed: the re-check after the commit fills the cache
    run("gkml validate warm (at HEAD)", gkml + ["validate"])
    run("gkml validate --since HEAD~1 warm", gkml + ["validate", "--since", "HEAD~1"])


def peer(args, mode: str, files: list[Path], tree: Path, env: dict, reps: int, record, notes: dict) -> None:
    """check-jsonschema with gkml's schema: every file, or every K-th and scaled by bytes."""
    if importlib.util.find_spec("check_jsonschema") is None:   # its exit 1 would pass for "invalid files"
        sys.exit("check-jsonschema is not installed: pip install -e '.[test]' (it is in the test extras)")
    cmd = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(ROOT / "schema" / "catalog.schema.json")]
    chosen = peer_files(files, mode, args.peer_every)
    peer_reps = args.peer_reps if args.peer_reps is not None else (1 if args.scale in ("county", "full") else reps)
    notes["peer_reps"] = str(peer_reps)

    def once():
        t, _, peak, _ = timed(cmd + [str(p) for p in chosen], tree, env)
        return t, peak
    seconds, peak = median_of(peer_reps, once)
    if mode == "exact":
        record(PEER, seconds, peak)
        return
    # the start-up (imports, schema) is paid once by the full run too: measured on one file, not scaled
    startup = min(timed(cmd + [str(files[0])], tree, env)[0] for _ in range(2))
    size = lambda paths: sum(p.stat().st_size for p in paths)  # noqa: E731
    total, sample = size(files), size(chosen)
    by_bytes = startup + (seconds - startup) * total / sample
    by_files = startup + (seconds - startup) * len(files) / len(chosen)
    record(f"{PEER}, sampled 1/{args.peer_every}", seconds, peak)
    record(PEER, by_bytes, peak)
    notes["peer"] = (f"check-jsonschema is SAMPLED at this scale: every {args.peer_every}th file, {len(chosen)} of "
                     f"{len(files)} files ({sample / 1e6:.1f} of {total / 1e6:.1f} MB) in {seconds:.1f} s; start-up "
                     f"{startup:.1f} s (one file); extrapolated by bytes to {by_bytes:.1f} s (by files {by_files:.1f} s); "
                     f"the ratio uses the bytes figure")
    print(notes["peer"], flush=True)


def report(figures: dict, peaks: dict, notes: dict, no_build: bool) -> list[str]:
    """Print the ratios the targets are set in (issue 6, issue 22) and return them as lines."""
    cold = figures["gkml validate cold (--no-cache)"]
    lines = [f"cold check vs floor: {notes['floor_ratio']:.2f}× (median of the ratios, floor and check in turn)",
             f"check-jsonschema / cold check: {figures[PEER] / cold:.1f}×"]
    if not no_build:
        build = figures["gkml build cold"]
        lines += [f"cold build / cold check: {build / cold:.2f}×",
                  f"build after a one-file edit / cold build: {figures['gkml build after one-file edit'] / build:.1%}",
                  f"build after adding a matter / cold build: {figures['gkml build after adding a matter'] / build:.1%}",
                  f"build after a change to every page / cold build: "
                  f"{figures['gkml build after a change to every page'] / build:.2f}×"]
    since = figures["gkml validate --since HEAD~1 warm"] - figures["gkml validate warm (at HEAD)"]
    lines += [f"re-checks: nothing changed {figures['gkml validate warm (no change)']:.2f} s, one-file edit "
              f"{figures['gkml validate after one-file edit']:.2f} s, adding a matter "
              f"{figures['gkml validate after adding a matter']:.2f} s; --since HEAD~1 adds {since:.2f} s",
              f"gkml assess / cold check: {figures['gkml assess'] / cold:.2f}×",
              f"peak memory (largest process, every command): {max(peaks.values()) / 1024:.0f} MiB, in "
              f"{max(peaks, key=peaks.get)}"]
    print()
    for line in lines:
        print(line)
    return lines


if __name__ == "__main__":
    main()
