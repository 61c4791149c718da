"""Incremental build: a rebuild that reuses the previous build's files gives exactly the bytes of a
build from scratch, over random edit sequences; --no-cache and hand-edited outputs are never reused."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.cli import main

from conftest import DEFAULT
from test_build import snapshot


def project(folder: Path) -> tuple[Path, Path, Path]:
    """A copy of the default catalogs in folder, with where to build and cache: (catalogs, out, cache)."""
    catalogs = folder / "catalogs"
    shutil.copytree(DEFAULT, catalogs)
    return catalogs, folder / "build", folder / "cache"


def run_build(out: Path, catalogs: Path, cache: Path, *flags: str) -> int:
    result = CliRunner(env={"GKML_CACHE_DIR": str(cache)}).invoke(
        main, ["build", *flags, "--out", str(out), str(catalogs)], catch_exceptions=False)
    return result.exit_code


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def _replace_first(path: Path, old: str, new: str) -> bool:
    text = path.read_text("utf-8")
    if old not in text:
        return False
    path.write_text(text.replace(old, new, 1), "utf-8")
    return True


# Each edit is what a user does to one catalog file; together they touch the page itself, the
# blocks of a workbook sheet, the vertical links shown on other regions' pages, the totals every
# page shows, the registry names used everywhere, and the set of files.
def edit_content(path: Path, n: int) -> None:
    _replace_first(path, "content: ", f"content: 第{n}次修改:")


def edit_matter(path: Path, n: int) -> None:
    _replace_first(path, "    matter: ", f"    matter: 改{n}")


def edit_version(path: Path, n: int) -> None:
    _replace_first(path, 'version: "', f'version: "{n}.')


def _drop_line(path: Path, start: str, n: int) -> None:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    hits = [k for k, line in enumerate(lines) if line.startswith(start)]
    if hits:
        del lines[hits[n % len(hits)]]
        path.write_text("".join(lines), "utf-8")


def drop_requirement(path: Path, n: int) -> None:
    _drop_line(path, "    requirements: ", n)


def drop_implements(path: Path, n: int) -> None:
    _drop_line(path, "    implements: ", n)


def drop_last_item(path: Path, n: int) -> None:
    text = path.read_text("utf-8")
    start = text.rfind("\n  - id: ")
    if start > 0 and text.count("\n  - id: ") > 1:
        path.write_text(text[:start + 1], "utf-8")


def rename_region(path: Path, n: int) -> None:
    regions = path.parents[1] / "registry" / "regions.yaml"
    _replace_first(regions, "name: 萧县", f"name: 萧县{n}")


def delete_file(path: Path, n: int) -> None:
    if path.parent.name not in ("340000", "341300"):   # keep the upper levels: lower ones implement them
        path.unlink()


EDITS = [edit_content, edit_matter, edit_version, drop_implements, drop_requirement, drop_last_item, rename_region,
         delete_file]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 1000)), min_size=1, max_size=3),
       jobs=st.sampled_from(["1", "2"]))
def test_incremental_equals_fresh_build(tmp_path_factory, steps, jobs):
    work = tmp_path_factory.mktemp("inc")
    catalogs, out, cache = project(work)
    assert run_build(out, catalogs, cache, "--no-cache") == 0
    for n, (edit, pick) in enumerate(steps):
        files = sorted(p for p in catalogs.glob("[0-9]*/*.yaml"))
        edit(files[pick % len(files)], n)
        before = snapshot(out)
        incremental = run_build(out, catalogs, cache, "--jobs", jobs)
        fresh = work / f"fresh{n}"
        assert run_build(fresh, catalogs, cache, "--no-cache", "--jobs", "1") == incremental
        if incremental == 0:
            assert snapshot(out) == snapshot(fresh)
        else:
            assert snapshot(out) == before      # a failed build leaves the previous one


def test_unchanged_files_are_linked_and_no_cache_renders_everything(tmp_path):
    catalogs, out, cache = project(tmp_path)
    assert run_build(out, catalogs, cache, "--no-cache") == 0
    first = inodes(out)
    edit_content(catalogs / "341321" / "employment.yaml", 1)
    assert run_build(out, catalogs, cache) == 0
    second = inodes(out)
    kept = {rel for rel in first if second.get(rel) == first[rel]}
    # the edited catalog's own outputs are new; an unrelated page, workbook and data file are reused
    assert "site/catalogs/341321/employment.html" not in kept and "data/341321/employment.json" not in kept
    assert {"site/catalogs/341322/employment.html", "data/341322/employment.json", "site/static/gkml.css"} <= kept
    assert any(rel.startswith("excel/region-341322-") for rel in kept)
    assert not any(rel.startswith("excel/region-341321-") for rel in kept)   # not its townships' (341321100-…)
    # the search index is computed again, but only its files whose bytes changed are written
    search_files = {rel for rel in first if rel.startswith("site/search/")}
    assert search_files & kept and search_files - kept
    # records are keyed by the matters they show: only those holding the edited catalog's are new
    records = {rel for rel in search_files if rel.startswith("site/search/r/")}
    assert records & kept and records - kept
    # and so are they by catalog rows (k/): only the rows of the edited catalog are new
    by_rows = {rel for rel in search_files if rel.startswith("site/search/k/")}
    assert by_rows & kept and by_rows - kept
    assert run_build(out, catalogs, cache, "--no-cache") == 0
    assert not set(inodes(out).items()) & set(second.items())


def test_search_state_is_kept_in_the_cache_and_written_again_when_far_behind(tmp_path):
    from compiler.builders.search import KEEP_BEHIND
    catalogs, out, cache = project(tmp_path)
    assert run_build(out, catalogs, cache, "--no-cache") == 0
    assert not (cache / "search").exists()           # --no-cache leaves the cache alone
    assert run_build(out, catalogs, cache) == 0       # nothing changed, but the index's state is made
    [state] = [p for p in (cache / "search").rglob("*") if p.is_file() and p.suffix != ".context"]
    first = state.stat().st_ino
    files = sorted(catalogs.glob("[0-9]*/*.yaml"))
    for n in range(KEEP_BEHIND):    # a state a few catalogs behind is kept: the next build updates from it
        edit_content(files[n], n)
        assert run_build(out, catalogs, cache) == 0
        assert state.stat().st_ino == first
    edit_content(files[KEEP_BEHIND], KEEP_BEHIND)
    assert run_build(out, catalogs, cache) == 0
    assert state.stat().st_ino != first
    fresh = tmp_path / "fresh"
    assert run_build(fresh, catalogs, cache, "--no-cache") == 0
    assert snapshot(out) == snapshot(fresh)


def test_a_search_state_made_under_another_context_is_not_read(tmp_path, monkeypatch):
    from compiler.cache import Cache
    catalogs, out, cache = project(tmp_path)
    assert run_build(out, catalogs, cache) == 0
    assert run_build(out, catalogs, cache) == 0       # the state is made, and its context beside it
    reads = []
    real_read = Cache.read
    monkeypatch.setattr(Cache, "read", lambda self, space, name: reads.append((space, name)) or real_read(self, space, name))
    edit_content(sorted(catalogs.glob("[0-9]*/*.yaml"))[0], 1)
    assert run_build(out, catalogs, cache) == 0
    assert [name for space, name in reads if space == "search" and not name.endswith(".context")]  # updated from it
    reads.clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")   # every key changes, as after an upgrade
    assert run_build(out, catalogs, cache) == 0
    assert not [name for space, name in reads if space == "search" and not name.endswith(".context")]
    fresh = tmp_path / "fresh"
    assert run_build(fresh, catalogs, cache, "--no-cache") == 0
    assert snapshot(out) == snapshot(fresh)


def test_coverage_page_follows_what_it_shows(tmp_path):
    catalogs, out, cache = project(tmp_path)
    assert run_build(out, catalogs, cache) == 0
    page = out / "site/coverage.html"
    first = page.stat().st_ino
    edit_content(catalogs / "341321" / "employment.yaml", 1)     # wording only: the page is kept
    assert run_build(out, catalogs, cache) == 0
    assert page.stat().st_ino == first
    before = page.read_bytes()
    for path in (catalogs / "341321").glob("*.yaml"):           # the county cites no requirement now
        path.write_text("".join(line for line in path.read_text("utf-8").splitlines(keepends=True)
                                if not line.startswith("    requirements: ")), "utf-8")
    assert run_build(out, catalogs, cache) == 0
    fresh = tmp_path / "fresh"
    assert run_build(fresh, catalogs, cache, "--no-cache") == 0
    assert page.read_bytes() != before and page.read_bytes() == (fresh / "site/coverage.html").read_bytes()


def test_hand_edited_output_is_rendered_again(tmp_path):
    catalogs, out, cache = project(tmp_path)
    assert run_build(out, catalogs, cache) == 0
    original = snapshot(out)
    page = out / "site" / "index.html"
    text = page.read_bytes()
    page.write_bytes(text.replace(b"<title>", b"<TITLE>", 1))   # same size, newer than the manifest
    stamp = os.stat(out / ".gkml-manifest.json").st_mtime_ns
    os.utime(page, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))
    shrunk = out / "site" / "search.html"
    shrunk.write_bytes(shrunk.read_bytes()[:-10])
    assert run_build(out, catalogs, cache) == 0
    assert snapshot(out) == original


def test_corrupt_manifest_means_full_render(tmp_path):
    catalogs, out, cache = project(tmp_path)
    assert run_build(out, catalogs, cache) == 0
    original = snapshot(out)
    before = inodes(out)
    (out / ".gkml-manifest.json").write_text("{not json", "utf-8")
    assert run_build(out, catalogs, cache) == 0
    assert snapshot(out) == original
    assert not set(inodes(out).items()) & set(before.items())
