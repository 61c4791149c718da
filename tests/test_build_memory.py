"""The build's memory: workbooks freed once written (issue 22, 2 GB)."""
from __future__ import annotations

import gc

import xlsxwriter

from compiler.builders import workbooks

from test_build import build


def test_written_workbooks_do_not_outlive_their_task(project, monkeypatch):
    monkeypatch.setattr(workbooks, "COLLECT_AFTER", 1)
    gc.collect()   # what earlier tests left (a build freezes what is alive when it starts)
    gc.disable()   # only the build's own collections may free them
    try:
        assert build(["--jobs", "1", "--out", project / "out", project / "catalogs"]).exit_code == 0
        alive = [o for o in gc.get_objects() if isinstance(o, xlsxwriter.Workbook)]
    finally:
        gc.enable()
    assert len(alive) <= 1   # at most the last one, written after the last collection


def _packed_catalog(tmp_path):
    from compiler.pipeline import Options, gather, read_and_check
    path = tmp_path / "catalogs" / "c.yaml"
    path.parent.mkdir()
    path.write_text("region: '340000'\narea: 社会救助\nitems:\n"
                    "  - matter: 低保\n    content: 条件\n    note: '=1+1'\n"
                    "  - matter: 特困\n    content: [名单, 标准]\n", encoding="utf-8")
    (source,) = [s for s in gather(Options(paths=(str(path),))) if s.kind == "catalog"]
    return read_and_check(source).catalog


def test_a_packed_catalog_gives_back_its_raw_data_and_stays_packed(tmp_path):
    import pickle
    from compiler.builders.outputs import raw_data
    catalog = _packed_catalog(tmp_path)
    written = pickle.loads(pickle.dumps(catalog.data))
    catalog.pack()
    assert catalog.is_compact and catalog.packed
    (tmp_path / "catalogs" / "c.yaml").unlink()      # the bytes are what it reads, not the file
    with raw_data(catalog):
        assert catalog.data == written and catalog.items[0].data["note"] == "=1+1"
    assert catalog.is_compact and catalog.packed     # decoded for the block only: memory stays flat
    sent = pickle.loads(pickle.dumps(catalog))       # from a check worker to the build
    assert sent.packed == catalog.packed and sent.data == written
    with catalog.compacted():                        # a cache copy: no raw data in any form
        stored = pickle.loads(pickle.dumps(catalog))
    assert stored.packed is None and catalog.packed is not None


def test_a_file_of_sections_is_parsed_again_once_for_all_its_sections(tmp_path, monkeypatch):
    from compiler import model
    from compiler.loader import parse
    path = tmp_path / "town.yaml"
    path.write_text("region: '341321001'\nlevel: township\ndepartment: 砀城镇人民政府\nareas:\n"
                    "  - area: 社会救助\n    items:\n      - matter: 低保\n        content: 条件\n"
                    "  - area: 涉农补贴\n    items:\n      - matter: 耕地地力保护补贴\n        content: 标准\n"
                    "  - area: 养老服务\n    items:\n      - matter: 高龄津贴\n        content: 名单\n", "utf-8")
    whole = model.build_catalog(parse(path.read_bytes(), "town.yaml"), origin=str(path))
    sections = whole.parts()
    assert len(sections) == 3
    for section in sections:
        section.compact()
    calls = []
    monkeypatch.setattr(model, "parse", lambda raw, file: calls.append(file) or parse(raw, file))
    model.reload_all(sections)
    assert calls == ["town.yaml"]   # was one parse per section, each keeping its own positions
    assert all(s.positions is sections[0].positions for s in sections) and sections[0].positions
    assert [s.data["items"][0]["matter"] for s in sections] == ["低保", "耕地地力保护补贴", "高龄津贴"]
    assert not any(s.needs_positions for s in sections)


def test_the_collector_is_off_while_planning_and_back_on_for_rendering(project, monkeypatch):
    from compiler import build as build_module
    from compiler.builders import excel
    seen = []

    def spy(real, phase):
        def wrapped(*args, **kwargs):
            seen.append((phase, gc.isenabled(), gc.get_freeze_count() > 0))
            return real(*args, **kwargs)
        return wrapped
    monkeypatch.setattr(build_module, "gather", spy(build_module.gather, "planning"))
    monkeypatch.setattr(excel, "write_catalogs_workbook", spy(excel.write_catalogs_workbook, "rendering"))
    assert gc.isenabled()
    assert build(["--jobs", "1", "--out", project / "out", project / "catalogs"]).exit_code == 0
    assert seen[0] == ("planning", False, True)
    assert {s for s in seen[1:]} == {("rendering", True, True)}
    assert gc.isenabled() and gc.get_freeze_count() == 0   # as the build found it


class _Bulky:
    """Stands for the search index's state, hundreds of MB at province scale."""


def _ignore(value: object) -> None:
    pass


def test_a_background_write_does_not_keep_its_arguments_in_the_build(tmp_path):
    import weakref
    from compiler import build as build_module
    from compiler.tasks import PARALLEL_FROM_ITEMS
    side = build_module._SideWork(PARALLEL_FROM_ITEMS)
    value = _Bulky()
    alive = weakref.ref(value)
    side.background(_ignore, value)
    del value
    gc.collect()
    try:
        assert alive() is None   # the forked child has its copy: the render need not carry it
    finally:
        side.join_processes()


def test_a_prefetched_payload_is_let_go_once_taken():
    from compiler import build as build_module
    handle = build_module._Prefetch(_Bulky)
    value = handle.take()
    assert isinstance(value, _Bulky) and handle.result() is None


def test_a_cache_entry_is_pickled_straight_into_its_file(tmp_path, monkeypatch):
    import pickle
    from compiler.cache import Cache
    cache = Cache(tmp_path / "cache")
    monkeypatch.setattr(pickle, "dumps", None)   # no whole payload in memory beside the value
    value = {"texts": ["低保"] * 1000, "docs": "x" * 300_000}
    cache.put("search", "n", value)
    assert cache.get("search", "n") == value
    entry = tmp_path / "cache" / "search" / "n"[:2] / "n"
    entry.write_bytes(entry.read_bytes()[:-1] + b"y")
    assert cache.get("search", "n") is None   # still signed: a changed byte is a miss
