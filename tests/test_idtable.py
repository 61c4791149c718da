"""The sharded id table of the scope tables: a mapping like a dict, stored by shard, and a shard
gone from the cache means a full run, never a wrong answer."""
from __future__ import annotations

import shutil
import subprocess
import sys
import os
from pathlib import Path

from hypothesis import given, settings, strategies as st

from compiler import scope
from compiler.cache import Cache
from compiler.idtable import SHARDS, Sharded, shard_of
from compiler.runstate import SPACE, loaded_tables, stored_tables
from conftest import DEFAULT

ids = st.text(alphabet="34-01a", min_size=1, max_size=9)
tables = st.dictionaries(ids, st.sampled_from(["a.yaml", "b.yaml", "c.yaml#areas/1"]), max_size=60)


@settings(max_examples=60, deadline=None)
@given(tables, st.lists(ids, max_size=10), st.dictionaries(ids, st.just("d.yaml"), max_size=10))
def test_a_sharded_table_behaves_as_its_dict(table, removed, added):
    sharded = Sharded.of(table)
    assert dict(sharded) == table and len(sharded) == len(table) and sharded == table
    assert all(sharded.get(k) == table.get(k) for k in [*removed, *added])
    expected = {k: v for k, v in table.items() if k not in removed} | added
    assert sharded.updated(removed, added) == expected
    assert sharded == table    # the original is unchanged


def test_the_ids_of_one_catalog_share_a_shard():
    assert len({shard_of(f"340100-12-{n:03d}") for n in range(1, 200)}) == 1
    assert 0 <= shard_of("无连字符") < SHARDS


def _tables() -> scope.Tables:
    first = Sharded.of({f"3401{n:02d}-1-{k}": f"catalogs/{n}.yaml" for n in range(40) for k in range(5)})
    heads = {"catalogs/1.yaml": scope.Head(("340101", "city", "涉农补贴", "合肥市财政局", "2024.1", None, None, None, None, True), "涉农补贴")}
    return scope.Tables(heads, first, {}, {}, {}, {})


def test_stored_tables_load_back_and_an_edit_writes_one_shard(tmp_path):
    cache = Cache(tmp_path)
    entry = stored_tables(cache, "t1", _tables())
    back = loaded_tables(cache, entry)
    assert back == _tables()
    files = set((tmp_path / SPACE).rglob("*"))
    edited = scope.Tables(back.heads, back.first.updated(["340101-1-0"], {"340101-1-9": "catalogs/x.yaml"}),
                          {}, {}, {}, {})
    again = stored_tables(cache, "t2", edited)
    written = {p for p in (tmp_path / SPACE).rglob("*") if p.is_file()} - files
    assert len(written) == 1                     # the one shard that changed; heads and the rest kept
    assert sum(a != b for a, b in zip(entry.first, again.first)) == 1 and again.heads == entry.heads
    assert loaded_tables(cache, again) == edited


def test_a_shard_gone_from_the_cache_is_a_lookup_error(tmp_path):
    cache = Cache(tmp_path)
    entry = stored_tables(cache, "t1", _tables())
    number = shard_of("340101-1-0")
    os.unlink(cache._file(SPACE, entry.first[number]))
    back = loaded_tables(cache, entry)
    try:
        back.first.get("340101-1-0")
    except LookupError:
        pass
    else:
        raise AssertionError("a missing shard must not read as an absent id")


def _validate(root: Path, cache: Path, *extra: str) -> bytes:
    env = dict(os.environ, GKML_CACHE_DIR=str(cache))
    proc = subprocess.run([sys.executable, "-m", "compiler", "validate", "--format", "json", *extra],
                          cwd=root, env=env, capture_output=True)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return proc.stdout


def test_an_edit_after_the_shards_were_pruned_gives_the_full_answer(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(DEFAULT, root / "catalogs")
    cache = tmp_path / "cache"
    _validate(root, cache)
    shutil.rmtree(cache / SPACE)   # as `gkml cache prune` may do with entries an edit has not touched
    path = root / "catalogs" / "340000" / "social-assistance.yaml"
    text = path.read_text("utf-8")
    start = text.index("  - id:")
    end = text.find("\n  - id:", start + 1)
    block = text[start:end + 1]
    path.write_text(text.rstrip("\n") + "\n" + block.replace('id: "', 'id: "新增-', 1).rstrip("\n") + "\n", "utf-8")
    assert _validate(root, cache) == _validate(root, cache, "--no-cache")
