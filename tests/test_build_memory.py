"""The build's memory: catalogs held compact while it renders, workbooks freed once written (issue 22, 2 GB)."""
from __future__ import annotations

import gc

import xlsxwriter

from compiler import build as build_module
from compiler.builders import workbooks
from compiler.pipeline import Options, check

from test_build import build, snapshot


def test_compact_check_keeps_no_raw_data(project, monkeypatch):
    monkeypatch.chdir(project)
    whole = check(Options(paths=("catalogs",), cache=False, jobs=1))
    compact = check(Options(paths=("catalogs",), cache=False, jobs=1), compact=True)
    assert all(not c.is_compact for c in whole.project.catalogs)
    assert compact.project.catalogs and all(c.is_compact for c in compact.project.catalogs)
    assert [d.code for d in compact.diagnostics] == [d.code for d in whole.diagnostics]


def test_build_renders_from_compact_catalogs_with_the_same_bytes(project, monkeypatch):
    seen = []
    real = build_module.build

    def spy(result, *args, **kwargs):
        seen.append(all(c.is_compact for c in result.project.catalogs))
        return real(result, *args, **kwargs)

    monkeypatch.setattr(build_module, "build", spy)
    assert build(["--jobs", "1", "--out", project / "a", project / "catalogs"]).exit_code == 0
    assert seen == [True]
    monkeypatch.setattr(build_module, "build", real)
    assert build(["--jobs", "1", "--out", project / "b", project / "catalogs"]).exit_code == 0
    assert snapshot(project / "a") == snapshot(project / "b")


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
