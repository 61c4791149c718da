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
