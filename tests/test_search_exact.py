"""The search index gives exactly the matters a plain substring search gives: in Python and in Chromium.

A generated tree (benchmarks/generate.py --scale tiny) and the embedded default set are built
twice: with the index's normal sizes and with tiny ones, so that every path of search.js runs
(grams in shared and in their own files, false candidates taken out through the docs of their
texts, single characters, records spread over many files). The reference is a substring search
over every matter's fields, straight from the model; words are drawn from the catalogs' own text,
plus words built to trap a bigram index (bigrams of a text in the wrong order, words spanning two
fields) and filters. The browser side runs in 精确匹配 mode (#exact); the ranked search with
synonyms and cut words is checked by tests/test_search_quality.py.
"""
from __future__ import annotations

import functools
import http.server
import random
import shutil
import subprocess
import sys
import threading
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import DEFAULT, ROOT
from hypothesis import given
from hypothesis import strategies as st

from compiler import vocabulary
from compiler.builders import search, search_layer
from compiler.builders.common import channel_marks, gather
from compiler.cli import main
from compiler.pipeline import Options, check

SMALL = {"OWN_FILE_FROM": 40, "GRAM_FILE_SIZE": 400, "DOC_TEXTS": 4, "RECORDS": 5, "COLUMN_ROWS": 2, "COLUMN_CATALOGS": 3}


@given(st.lists(st.integers(min_value=0, max_value=2**31 - 1), unique=True).map(sorted))
def test_postings_round_trip(numbers):
    text = search.encode(numbers)
    assert search.decode(text) == numbers
    assert search.decode_array(text).tolist() == numbers
    assert set(text) <= set(search.ALPHABET)


@given(st.lists(st.lists(st.integers(min_value=0, max_value=2**40), unique=True).map(sorted)))
def test_vectorised_encoding_equals_the_reference(runs):
    # the build encodes many runs at once with numpy (encode_runs); the browser decodes what
    # encode() defines, one run at a time
    flat = np.array([n for run in runs for n in run], np.int64)
    starts = np.cumsum([0] + [len(run) for run in runs[:-1]]).astype(np.int64) if runs else np.zeros(0, np.int64)
    assert search.encode_runs(flat, starts) == [search.encode(run) for run in runs]


def _grams(texts: list[str], docs, width: int):
    """Every gram in string order, with its encoded positions (None for a character) and its encoded docs and their number."""
    keys, positions, pair_gram, pair_text = search_layer.gram_texts(texts, width)
    doc_texts, doc_counts = search_layer.gram_docs(docs, pair_gram, pair_text, len(keys))
    return [search_layer.gram_text(key) for key in keys.tolist()], positions, list(zip(doc_texts, doc_counts))


@given(st.lists(st.text(alphabet="ab\nAB税务", max_size=6), max_size=12), st.data())
def test_grams_are_the_plain_count(texts, data):
    # the vectorised gram tables (search_layer.gram_texts, gram_docs) against a plain loop over every text
    texts = list(dict.fromkeys(t for t in texts if t))
    docs_of = [sorted(data.draw(st.sets(st.integers(0, 50), min_size=1))) for _ in texts]
    seen: set[int] = set()
    docs_of = [[d for d in docs if d not in seen and not seen.add(d)] or [1000 + t] for t, docs in enumerate(docs_of)]
    owner = np.full(1100, -1, np.int64)
    for t, docs in enumerate(docs_of):
        owner[docs] = t
    width = max(map(len, texts), default=0) + 1
    grams, positions, gram_docs = _grams(texts, search_layer.TextDocs(owner, len(texts)), width)
    at: dict[str, list[int]] = {}
    holders: dict[str, set[int]] = {}
    for t, text in enumerate(texts):
        folded = search.fold(text)
        for pos, ch in enumerate(folded):
            if ch == "\n":
                continue
            holders.setdefault(ch, set()).add(t)
            pair = folded[pos:pos + 2]
            if len(pair) == 2 and pair[1] != "\n":
                at.setdefault(pair, []).append(t * width + pos)
                holders.setdefault(pair, set()).add(t)
    assert grams == sorted(holders)
    for gram, positions_text, (docs_text, count) in zip(grams, positions, gram_docs):
        expected = sorted(d for t in holders[gram] for d in docs_of[t])
        assert search.decode(docs_text) == expected and count == len(expected)
        assert (positions_text is None) == (len(gram) == 1)
        if positions_text is not None:
            assert search.decode(positions_text) == at[gram]


def test_fold_changes_only_ascii_letters():
    assert search.fold("ABC招生Zz ÄÖ") == "abc招生zz ÄÖ"


# --- the reference -------------------------------------------------------------------------------

def model(catalogs: Path):
    result = check(Options(paths=(str(catalogs),), cache=False))
    assert result.project is not None
    return gather(result.project.catalogs, result.project.registry)


def matters(site) -> list[dict]:
    """Every matter in site order with what the filters look at (the order of the results)."""
    channels = list(vocabulary.get("channel").canonical)
    order = vocabulary.get("channel").order
    areas = [name for name, _ in site.areas]
    out = []
    for region in site.regions:
        for page in region.pages:
            for item in page.catalog.items:
                out.append({"id": item.id, "fields": [search.fold(v) for v in search.field_values(item)],
                            "level": region.level, "region": region.code, "area": str(areas.index(page.area_name)),
                            "unit": search.fold(item.responsible_unit or ""),
                            "channels": {str(order(c)) for _, c in channel_marks(item) if order(c) < len(channels)},
                            "audience": item.audience, "method": item.method})
    return out


def reference(rows: list[dict], query: dict) -> list[str]:
    """Ids of the matters a plain substring search finds, in result order."""
    words = search.fold(query.get("q", "")).split()
    unit = search.fold(query.get("unit", "").strip())
    found = []
    for row in rows:
        if not all(any(w in f for f in row["fields"]) for w in words):
            continue
        if unit and unit not in row["unit"]:
            continue
        if any(query.get(k) and query[k] != row[k] for k in ("level", "region", "area", "audience", "method")):
            continue
        if query.get("channel") and query["channel"] not in row["channels"]:
            continue
        found.append(row["id"])
    return found


def queries(rows: list[dict], seed: int) -> list[dict]:
    """Words from the catalogs' own text, words that trap a bigram index, and filter combinations."""
    rng = random.Random(seed)
    texts = sorted({t for row in rows for f in row["fields"] for t in f.split("\n") if t.strip()})
    out: list[dict] = []

    def piece(length: int) -> str:
        text = rng.choice(texts)
        start = rng.randrange(max(1, len(text) - length + 1))
        return "".join(text[start:start + length].split())

    for length in (1, 1, 2, 2, 2, 3, 3, 4, 4, 5, 6, 8):
        out.append({"q": piece(length)})
    long_texts = [t for t in texts if len(t) >= 9]
    for _ in range(6):
        # two bigrams of one text joined out of order: every bigram is indexed, the word is not there
        text = rng.choice(long_texts)
        i = rng.randrange(len(text) - 8)
        out.append({"q": "".join((text[i + 5:i + 7] + text[i:i + 2] + text[i + 2:i + 4]).split())})
    for row in rng.sample(rows, 3):
        # the end of one field and the start of the next: never a match across fields
        if row["fields"][0] and row["fields"][3]:
            out.append({"q": row["fields"][0][-2:] + row["fields"][3][:2]})
    for _ in range(3):
        out.append({"q": f"{piece(2)} {piece(3)}"})
    out.append({"q": "不存在的词语"})
    out.append({"q": piece(3).upper() + "Ａ"})
    regions = sorted({(r["level"], r["region"]) for r in rows})
    for _ in range(8):
        row = rng.choice(rows)
        query = {"q": rng.choice(["", piece(2), piece(3)])}
        for key in rng.sample(["level", "region", "area", "audience", "method", "channel", "unit"], 2):
            if key == "channel":
                query[key] = rng.choice(sorted(row["channels"]))
            elif key == "unit":
                query[key] = row["unit"][1:4]
            elif key == "region":
                query[key] = rng.choice(regions)[1]
            else:
                query[key] = row[key]
        out.append(query)
    return [q for q in out if q.get("q") or len(q) > 1]


# --- the browser ---------------------------------------------------------------------------------

SUBMIT = """async (params) => {
  for (const id of ["q", "level", "region", "area", "unit", "channel", "audience", "method"]) {
    document.getElementById(id).value = params[id] || "";
  }
  document.getElementById("exact").checked = true;   // 精确匹配: plain substring search, catalog order
  const status = document.getElementById("status");
  document.getElementById("search").requestSubmit();
  const done = () => status.getAttribute("data-state") === "done";
  const more = document.getElementById("more");
  for (;;) {
    while (!done()) { await new Promise((r) => setTimeout(r, 5)); }
    if (more.hidden) { break; }
    more.click();
  }
  return {status: status.textContent,
          ids: Array.from(document.querySelectorAll("#results li h2 a"), (a) => a.getAttribute("href").split("#")[1]),
          hrefs: Array.from(document.querySelectorAll("#results li h2 a"), (a) => a.getAttribute("href"))};
}"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def build(tree: Path, out: Path, sizes: dict) -> Path:
    with ExitStack() as stack:
        for name, value in sizes.items():
            stack.enter_context(mock.patch.object(search, name, value))
        run = CliRunner().invoke(main, ["build", "--no-cache", "--jobs", "1", str(tree), "--out", str(out)])
    assert run.exit_code == 0, run.output
    return out / "site"


@pytest.fixture(scope="module")
def trees(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("exact")
    subprocess.run([sys.executable, str(ROOT / "benchmarks/generate.py"), "--scale", "tiny", "--out", str(root / "tiny")],
                   check=True, capture_output=True)
    shutil.copytree(DEFAULT, root / "default" / "catalogs")
    return {"tiny": root / "tiny" / "catalogs", "default": root / "default" / "catalogs"}



@pytest.mark.browser
@pytest.mark.parametrize("name,sizes", [("tiny", {}), ("tiny", SMALL), ("default", SMALL)],
                         ids=["tiny", "tiny-small-files", "default-small-files"])
def test_browser_results_equal_substring_search(trees, browser, tmp_path, name, sizes):
    site = build(trees[name], tmp_path / "out", sizes)
    rows = matters(model(trees[name]))
    numbers = {row["id"]: n for n, row in enumerate(rows)}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        errors, outside = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(f"http://127.0.0.1:{httpd.server_port}/") else outside.append(r.url))
        page.goto(f"http://127.0.0.1:{httpd.server_port}/search.html")
        page.wait_for_function("document.getElementById('status').getAttribute('data-state') === 'ready'")
        checked = hits = 0
        for query in queries(rows, seed=len(rows)):
            expected = reference(rows, query)
            got = page.evaluate(SUBMIT, query)
            assert got["ids"] == expected, query     # same matters, same order (province first)
            if expected:
                assert f"找到 {len(expected)} 个公开事项" in got["status"], query
                assert all(h.startswith("catalogs/") for h in got["hrefs"]), got["hrefs"][:3]
            else:
                assert "没有找到" in got["status"], query
            checked += 1
            hits += len(expected)
        assert checked >= 30 and hits > 0
        assert not errors and not outside, (errors, outside)
        assert sorted(numbers.values()) == list(range(len(rows)))   # ids are unique: the comparison is sound
    finally:
        context.close()
        httpd.shutdown()
        httpd.server_close()


FIRST_PAGE = """async (params) => {
  for (const id of ["q", "level"]) { document.getElementById(id).value = params[id] || ""; }
  document.getElementById("exact").checked = true;
  const added = [];
  new MutationObserver((list) => { for (const m of list) { for (const n of m.addedNodes) {
    if (n.tagName === "SCRIPT") { added.push(n.src.split("/search/")[1]); } } } }).observe(document.head, {childList: true});
  const status = document.getElementById("status");
  document.getElementById("search").requestSubmit();
  while (status.getAttribute("data-state") !== "done") { await new Promise((r) => setTimeout(r, 5)); }
  return {added: added, ids: Array.from(document.querySelectorAll("#results li h2 a"), (a) => a.getAttribute("href").split("#")[1])};
}"""


@pytest.mark.browser
def test_a_first_page_scattered_over_regions_loads_few_record_files(trees, browser, tmp_path):
    # a matter of the template in every township (one name, one level): each township's catalogs
    # are a run of numbers of their own, so r/ alone needs a file a township; the k/ layout holds
    # the same row of COLUMN_CATALOGS catalogs in one file. With the small sizes a page has at most
    # ⌈townships / 3⌉ k/ files per 2-row block its items fall in, and the page loads no more
    sizes = SMALL
    site = build(trees["tiny"], tmp_path / "out", sizes)
    gathered = model(trees["tiny"])
    pages = gathered.pages
    starts = search.bases([len(page.catalog.items) for page in pages]).tolist()
    number = {item.id: start + k for page, start in zip(pages, starts) for k, item in enumerate(page.catalog.items)}
    with ExitStack() as stack:
        for name, value in sizes.items():
            stack.enter_context(mock.patch.object(search, name, value))
        column = {item.id: name for name, spans in search.column_spans(gathered)
                  for page, _, lo, hi, _ in spans for item in page.catalog.items[lo:hi]}
    regions_of: dict[tuple[str, str], set[str]] = {}
    for region in gathered.regions:
        for page in region.pages:
            for item in page.catalog.items:
                regions_of.setdefault((region.level, item.matter), set()).add(region.code)
    (level, name), regions = max(regions_of.items(), key=lambda kv: (len(kv[1]), kv[0]))
    query = {"q": name, "level": level}
    first = reference(matters(gathered), query)[:20]
    by_number = {number[i] // sizes["RECORDS"] for i in first}
    by_rows = {column[i] for i in first}
    assert len(regions) >= 4 and len(by_number) >= 4 and len(by_rows) < len(by_number)   # a scattered page
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site.as_uri() + "/search.html")
        page.wait_for_function("document.getElementById('status').getAttribute('data-state') === 'ready'")
        got = page.evaluate(FIRST_PAGE, query)
    finally:
        context.close()
    assert got["ids"] == first
    records = [n for n in got["added"] if n.startswith(("r/", "k/"))]
    assert len(records) <= len(by_rows), (records, by_rows, by_number)


def test_index_files_stay_under_the_search_folder_and_are_deterministic(trees):
    site = model(trees["default"])
    first, second = search.files(site), search.files(site)
    assert first == second
    assert all(rel.startswith("search/") and rel.endswith(".js") for rel, _ in first)
    assert first[0][0] == "search/manifest.js"
