"""Properties of the loader and the report, checked with Hypothesis on the embedded default:
deleting any required key from any item is reported at that item, and the order in which files
are found never changes the report."""
from __future__ import annotations

import json
import random
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler import resources
from compiler.loader import parse, unpack
from compiler.pipeline import Options, assemble, check_bytes, gather, read_and_check
from compiler.sources import Source

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "catalogs"
# files with top-level items: a township's sections file (areas:) is covered by tests/test_townships.py
CATALOG_FILES = sorted(p for p in DEFAULT.rglob("*.yaml")
                       if p.parent.name != "registry" and "\nareas:" not in p.read_text("utf-8"))
ITEM_REQUIRED = tuple(resources.schema("catalog")["$defs"]["item"]["required"])


@lru_cache(maxsize=None)
def _text(path: Path) -> str:
    return path.read_text("utf-8")


@lru_cache(maxsize=None)
def _parsed(path: Path):
    return parse(path.read_bytes(), path.name)


def item_spans(path: Path) -> list[tuple[int, int]]:
    """0-based [first, last] line of every item of a catalog file."""
    parsed = _parsed(path)
    count = len(parsed.data["items"])
    starts = [unpack(parsed.positions[("items", i)][0])[0] for i in range(count)]
    ends = [s - 1 for s in starts[1:]] + [len(_text(path).splitlines()) - 1]
    return list(zip(starts, ends))


def delete_key(path: Path, index: int, key: str) -> tuple[str, tuple[int, int]]:
    """The file's text with one key (and its value, however many lines) removed from one item,
    and that item's 0-based line span in the new text."""
    parsed = _parsed(path)
    lines = _text(path).split("\n")
    first, last = item_spans(path)[index]
    record = parsed.positions[("items", index)][1]
    keys = sorted(record.items(), key=lambda kv: kv[1][0])  # in written order
    names = [k for k, _ in keys]
    at = names.index(key)
    key_line, key_col = unpack(record[key][0])
    if at + 1 < len(keys):
        next_line, next_col = unpack(keys[at + 1][1][0])
    else:
        next_line, next_col = last + 1, None
    if at == 0:
        # the first key shares its line with the item's "- ": the next key moves up onto it
        assert next_col is not None
        lines[key_line] = lines[key_line][:key_col] + lines[next_line][next_col:]
        del lines[key_line + 1: next_line + 1]
        removed = next_line - key_line
    else:
        del lines[key_line:next_line]
        removed = next_line - key_line
    return "\n".join(lines), (first, last - removed)


@st.composite
def deletions(draw, keys=ITEM_REQUIRED):
    path = draw(st.sampled_from(CATALOG_FILES))
    data = _parsed(path).data
    index = draw(st.integers(0, len(data["items"]) - 1))
    required = list(keys) + (["levels"] if data.get("standard") is True else [])
    present = [k for k in required if k in data["items"][index]]
    key = draw(st.sampled_from(present))
    return path, index, key


def test_default_is_a_fair_sample():
    # the properties below quantify over these files: make sure there is something to quantify over
    assert len(CATALOG_FILES) >= 20
    assert any(_parsed(p).data.get("standard") is True for p in CATALOG_FILES)
    assert set(ITEM_REQUIRED) >= {"id", "matter", "content", "responsible_unit", "channels", "audience"}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deletions())
def test_deleting_a_required_key_is_reported_at_its_item(case):
    path, index, key = case
    text, (first, last) = delete_key(path, index, key)
    name = path.relative_to(DEFAULT).as_posix()
    result = check_bytes(Source(name, path, "catalog"), text.encode("utf-8"))
    assert parse(text.encode("utf-8"), name).data is not None  # the edit kept the YAML well formed
    pointer = f"/items/{index}/{key}"
    hits = [d for d in result.diagnostics if d.path == pointer and d.code in ("GK201", "GK307")]
    assert hits, f"deleting {key} from item {index} of {name}: {[(d.code, d.path) for d in result.diagnostics]}"
    for d in hits:
        assert d.file == name
        assert first + 1 <= d.line <= last + 1, (d.line, first + 1, last + 1)
        assert d.severity.value == "error"
        assert key in d.message("zh") or d.code == "GK307"


# --- file order ---------------------------------------------------------------------------------

def _mutated_project(root: Path) -> Path:
    """A copy of the default with findings that involve several files at once."""
    target = root / "catalogs"
    shutil.copytree(DEFAULT, target)
    county = target / "341321" / "social-assistance.yaml"
    other = target / "341322" / "social-assistance.yaml"
    text = county.read_text("utf-8")
    first_id = _parsed(DEFAULT / "341321" / "social-assistance.yaml").data["items"][0]["id"]
    other.write_text(other.read_text("utf-8").replace('id: "341322-sa-001"', f'id: "{first_id}"', 1), "utf-8")
    county.write_text(text.replace("    audience: 全社会\n", "    audience: 社会公众\n", 1)
                      .replace("    content:", "    contnet:", 1), "utf-8")
    (target / "341321" / "broken.yaml").write_text("region: [\n", "utf-8")
    return target


@given(st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_shuffled_file_results_give_the_same_report(shuffled_inputs, rnd):
    files, expected = shuffled_inputs
    order = list(files)
    rnd.shuffle(order)
    assert assemble(order).diagnostics == expected


def test_discovery_order_does_not_change_the_report(tmp_path, gkml):
    """Two copies whose files were created in opposite orders give byte-identical reports."""
    source = _mutated_project(tmp_path / "source")
    reports = []
    for name, reverse in (("forward", False), ("backward", True)):
        copy = tmp_path / name
        files = sorted(p for p in source.rglob("*") if p.is_file())
        for path in sorted(files, reverse=reverse):
            target = copy / "catalogs" / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        run = gkml(["validate", "--format", "json", "--no-cache"], cwd=copy)
        assert run.code == 1
        reports.append(run.out)
    assert reports[0] == reports[1]
    codes = {d["code"] for d in json.loads(reports[0])["diagnostics"]}
    assert {"GK103", "GK202", "GK301", "GK303"} <= codes  # findings from one file and across files


@pytest.fixture(scope="module")
def shuffled_inputs(tmp_path_factory):
    root = _mutated_project(tmp_path_factory.mktemp("order"))
    sources = gather(Options(paths=(str(root),), cache=False, base=str(root)))
    files = [read_and_check(s) for s in sources]
    expected = assemble(list(files)).diagnostics
    assert any(d.code == "GK303" for d in expected)  # a cross-file finding whose "first" depends on order
    random.Random(0).shuffle(files)
    return files, expected
