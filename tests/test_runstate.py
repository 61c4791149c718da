"""What the cache keeps between runs reads back as it was written: the registry, the scope tables' heads."""
from __future__ import annotations

import pickle
import shutil
import time
from pathlib import Path

from compiler import index, pipeline, runstate, scope
from compiler.pipeline import Options, check, gather, run_files
from compiler.registry import build_registry
from conftest import DEFAULT


def _registry():
    options = Options(paths=(str(DEFAULT),), cache=False, jobs=1)
    files = [f for f in run_files(gather(options), options) if f.source.kind == "registry"]
    return build_registry([f.parsed for f in files])


def test_registry_records_pickle_back_equal():
    registry = _registry()
    index.registry_lookups(registry)
    back = pickle.loads(pickle.dumps(registry, pickle.HIGHEST_PROTOCOL))
    for table in ("regions", "areas", "units", "requirements", "documents", "thesaurus", "unit_names", "area_names"):
        assert getattr(back, table) == getattr(registry, table), table
    assert back.duplicates == registry.duplicates
    unit = next(iter(back.units.values()))
    assert type(unit) is type(next(iter(registry.units.values()))) and unit.where.mark == registry.units[unit.name].where.mark
    children, by_region, names = back.lookups
    assert children == registry.lookups[0] and by_region == registry.lookups[1]
    assert names.written == registry.lookups[2].written


def test_heads_read_back_as_heads(tmp_path):
    from compiler.cache import Cache
    from compiler.idtable import Sharded
    heads = {"catalogs/a.yaml": scope.Head(("340100", "city", "涉农补贴", "合肥市财政局", "1", None, None, None, None, True), "涉农补贴"),
             "catalogs/b.yaml#areas/0": scope.Head(("340102001", "township", "低保", "某镇", None, None, None, None, None, False), "")}
    cache = Cache(tmp_path)
    entry = runstate.stored_tables(cache, "t", scope.Tables(heads, Sharded.of({}), {}, {}, {}, {}))
    back = runstate.loaded_tables(cache, entry).heads
    assert back == heads and all(type(h) is scope.Head for h in back.values())
    assert back["catalogs/b.yaml#areas/0"].region == "340102001"


def _add_matter(path: Path) -> None:
    text = path.read_text("utf-8")
    last = text[text.rindex("\n  - id:") + 1:]
    path.write_text(text + last.replace('id: "', 'id: "新增-', 1), "utf-8")


def test_a_scoped_rerun_builds_the_registry_once(tmp_path, monkeypatch):
    root = tmp_path / "p"
    shutil.copytree(DEFAULT, root / "catalogs")
    options = Options(paths=(str(root / "catalogs"),), base=str(root), cache_dir=str(tmp_path / "cache"), jobs=1)
    built = []
    real = pipeline.build_registry
    monkeypatch.setattr(pipeline, "build_registry", lambda parsed: built.append(1) or real(parsed))
    check(options, "2026-01-01", need_model=False)
    city = sorted(p for p in (root / "catalogs").rglob("*.yaml") if "registry" not in p.parts and p.parent.name.endswith("00"))[-1]
    reports = []
    for _ in range(2):
        time.sleep(2.1)   # a file written within 2 s of a run's save is read again anyway: make the edit plainly newer
        _add_matter(city)
        before = len(built)
        result = check(options, "2026-01-01", need_model=False)
        reports.append((len(built) - before, [d.sort_key() for d in result.diagnostics]))
        uncached = check(Options(paths=options.paths, base=options.base, cache=False, jobs=1), "2026-01-01")
        assert [d.sort_key() for d in result.diagnostics] == [d.sort_key() for d in uncached.diagnostics]
    assert reports[0][0] == 1 and reports[1][0] == 0   # built on the first re-run, read from the cache on the next
