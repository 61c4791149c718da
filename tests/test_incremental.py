"""The cache never changes a result: cached, incremental and uncached runs agree byte for byte."""
from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from compiler.loader import Parsed
from compiler.model import build_catalog
from compiler.pipeline import LOCAL_ONLY_KEYS, Options, assemble, gather, run_files
from compiler.rules import project_rules
from conftest import DEFAULT

_SETTINGS = settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


def _files():
    return run_files(gather(Options(paths=(str(DEFAULT),), cache=False, jobs=1)), Options(cache=False, jobs=1))


_BASE = None


def _project_findings(files) -> list:
    result = assemble(files)
    found = []
    for rule in project_rules():
        found.extend(rule.fn(result.project))
    return sorted(found, key=lambda d: d.sort_key())


@_SETTINGS
@given(st.data())
def test_project_rules_ignore_local_only_keys(data):
    """The incremental path reuses cross-catalog findings after edits confined to LOCAL_ONLY_KEYS:
    prove no project rule reads them, by rewriting them at random and comparing the findings."""
    files = _files()
    before = _project_findings(files)
    # one drawn random source for the hundreds of per-item choices: a Hypothesis draw for each of
    # them made this one test take minutes once the default grew to 586 matters (issue 21)
    rnd = random.Random(data.draw(st.integers(0, 2**32 - 1)))
    alphabet = "低保招生公示政策=+-@《》() \n\t县市省级部门依申请主动"
    for f in files:
        if f.catalog is None:
            continue
        data = f.catalog.data   # as written (the check keeps it packed: Catalog.pack)
        for item in data.get("items", []):
            if rnd.random() < 0.5:
                for key in sorted(LOCAL_ONLY_KEYS - {"source", "raw"}):
                    item[key] = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        f.catalog = build_catalog(Parsed(f.parsed.file, data, {}, f.parsed.diagnostics))
    assert _project_findings(files) == before


def _run(cwd: Path, cache_dir: Path, *extra: str) -> tuple[int, bytes]:
    env = dict(os.environ, GKML_CACHE_DIR=str(cache_dir))
    proc = subprocess.run([sys.executable, "-m", "compiler", "validate", "--format", "json", *extra],
                          cwd=cwd, env=env, capture_output=True)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return proc.returncode, proc.stdout


def _edit(root: Path, rng: random.Random) -> None:
    files = sorted(p for p in (root / "catalogs").rglob("*.yaml") if "registry" not in p.parts)
    path = rng.choice(files)
    text = path.read_text("utf-8")
    kind = rng.randrange(8)
    if kind == 6:    # a matter added: the first item copied under a new id (ids, duplicates, chains)
        start = text.index("  - id:")
        end = text.find("\n  - id:", start + 1)
        block = text[start:end + 1 if end > 0 else len(text)]
        text = text.rstrip("\n") + "\n" + block.replace("id: \"", "id: \"新增-", 1).rstrip("\n") + "\n"
    elif kind == 7:  # an implements pointed elsewhere: another file's id, wrong region or area
        other = rng.choice(files).read_text("utf-8")
        ids = [ln.split(":", 1)[1].strip() for ln in other.splitlines() if ln.strip().startswith("- id:")]
        if ids and "implements: " in text:
            head, _, rest = text.partition("implements: ")
            text = head + "implements: " + rng.choice(ids) + rest[rest.index("\n"):]
    elif kind == 0:    # local-only text on the same line
        text = text.replace("content: ", "content: 修订:", 1)
    elif kind == 1:  # a cross-catalog field: a weaker time limit
        text = text.replace("time_limit: ", "time_limit: 30个工作日内 #", 1)
    elif kind == 2:  # a missing required key
        lines = text.splitlines(keepends=True)
        idx = [i for i, ln in enumerate(lines) if ln.strip().startswith("audience:")]
        if idx:
            del lines[rng.choice(idx)]
        text = "".join(lines)
    elif kind == 3:  # broken YAML
        text = text.replace("items:", "items: [", 1)
    elif kind == 4:  # lines move: a comment inserted at the top
        text = "# 修订说明\n" + text
    else:            # a file disappears
        path.unlink()
        return
    path.write_text(text, "utf-8")


def test_cached_and_uncached_agree_over_random_edits(project, tmp_path):
    rng = random.Random(20261121)
    cache = tmp_path / "cache"
    for step in range(6):
        cached = _run(project, cache)
        again = _run(project, cache)           # warm: answered from the run state
        uncached = _run(project, cache, "--no-cache")
        assert cached == uncached == again, f"step {step}"
        _edit(project, rng)


def test_corrupt_cache_is_ignored(project, tmp_path):
    cache = tmp_path / "cache"
    expected = _run(project, cache, "--no-cache")
    _run(project, cache)
    entries = [p for p in cache.rglob("*") if p.is_file() and p.name != "key"]
    assert entries
    for i, entry in enumerate(entries):  # truncate some, garble others
        blob = entry.read_bytes()
        entry.write_bytes(blob[: len(blob) // 2] if i % 2 else blob[:40] + b"\x00" * 64 + blob[104:])
    assert _run(project, cache) == expected
    (cache / "key").write_bytes(b"short")  # a broken key: run without cache, same answer
    assert _run(project, cache) == expected


def test_concurrent_runs_share_a_cache(project, tmp_path):
    cache = tmp_path / "cache"
    expected = _run(project, cache, "--no-cache")
    env = dict(os.environ, GKML_CACHE_DIR=str(cache))
    procs = [subprocess.Popen([sys.executable, "-m", "compiler", "validate", "--format", "json"], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    outs = [(p.wait(), p.stdout.read()) for p in procs]
    assert all(o == expected for o in outs)
    assert _run(project, cache) == expected
