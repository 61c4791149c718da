"""Acceptance of issue 2, as a new user would check it with `gkml validate --format json`:
deleting any one of matter, content, responsible_unit, channels, audience from any item of any
sample file fails the gate and names the file, a line inside that item and the missing key,
while the other files' findings are still reported."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_properties import CATALOG_FILES, DEFAULT, _parsed, delete_key

ELEMENTS = ("matter", "content", "responsible_unit", "channels", "audience")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("GKML_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def _reported(run, name: str, index: int, key: str, span: tuple[int, int]) -> list[dict]:
    return [d for d in run.json["diagnostics"]
            if d["file"] == name and d["path"] == f"/items/{index}/{key}" and span[0] + 1 <= d["line"] <= span[1] + 1
            and key in d["message"] and d["severity"] == "error"]


@pytest.mark.parametrize("key", ELEMENTS)
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_deleting_an_element_fails_the_gate(key, data, project, gkml):
    path = data.draw(st.sampled_from(CATALOG_FILES), label="file")
    items = _parsed(path).data["items"]
    index = data.draw(st.sampled_from([i for i, item in enumerate(items) if key in item]), label="item")
    text, span = delete_key(path, index, key)
    name = "catalogs/" + path.relative_to(DEFAULT).as_posix()
    original = (project / name).read_text("utf-8")
    try:
        (project / name).write_text(text, "utf-8")
        run = gkml(["validate", "--format", "json"], cwd=project)
        assert run.code == 1 and run.err == ""
        assert _reported(run, name, index, key, span), run.out
    finally:
        (project / name).write_text(original, "utf-8")


def test_every_file_broken_at_once_reports_every_file(project, gkml):
    """One element deleted in every sample file, plus an unreadable GBK file: all are reported."""
    expected = []
    for number, path in enumerate(CATALOG_FILES):
        items = _parsed(path).data["items"]
        index = number % len(items)
        key = ELEMENTS[number % len(ELEMENTS)]
        text, span = delete_key(path, index, key)
        name = "catalogs/" + path.relative_to(DEFAULT).as_posix()
        (project / name).write_text(text, "utf-8")
        expected.append((name, index, key, span))
    (project / "catalogs" / "341321" / "gbk.yaml").write_bytes("area: 社会救助\n".encode("gbk"))
    run = gkml(["validate", "--format", "json"], cwd=project)
    assert run.code == 1 and run.err == ""
    for name, index, key, span in expected:
        assert _reported(run, name, index, key, span), f"{key} of item {index} in {name} not reported"
    assert any(d["code"] == "GK102" and d["file"] == "catalogs/341321/gbk.yaml" for d in run.json["diagnostics"])
    assert run.json["summary"]["errors"] >= len(expected) + 1


def test_embedded_default_is_clean(gkml):
    run = gkml(["validate", "--format", "json", "--strict"], cwd=DEFAULT.parent)
    assert run.code == 0, run.out
    assert run.json["diagnostics"] == []
    summary = run.json["summary"]
    assert summary["catalogs"] >= 28 and summary["items"] >= 150 and summary["errors"] == summary["warnings"] == 0
