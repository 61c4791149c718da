"""Search quality: what readers type finds what they mean, in Chromium over the embedded default.

tests/data/search/quality.yaml lists realistic queries with the matters each must find (and,
for some, must rank near the top); holdout.yaml is a list written before it was ever run, not
tuned on: its recall is reported (benchmarks/RESULTS.md) and kept above a floor. Expectations
are "must find", never counts, so that they stay true when the default grows.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import DEFAULT, ROOT

from compiler.cli import main

DATA = ROOT / "tests" / "data" / "search"
QUALITY = yaml.safe_load((DATA / "quality.yaml").read_text("utf-8"))
HOLDOUT = yaml.safe_load((DATA / "holdout.yaml").read_text("utf-8"))
HOLDOUT_FLOOR = 0.75   # the share of hold-out expectations found (measured once: see RESULTS.md)

# every result, after clicking 显示更多 until all are shown
RESULTS = """async () => {
  const status = document.getElementById("status");
  const more = document.getElementById("more");
  const done = () => status.getAttribute("data-state") === "done";
  for (;;) {
    while (!done()) { await new Promise((r) => setTimeout(r, 5)); }
    if (more.hidden) { break; }
    more.click();
    await new Promise((r) => setTimeout(r, 0));
  }
  return {status: status.textContent, suggest: document.getElementById("suggest").textContent,
          links: Array.from(document.querySelectorAll("#suggest a"), (a) => a.getAttribute("href")),
          titles: Array.from(document.querySelectorAll("#results li h2 a"), (a) => a.textContent),
          meta: Array.from(document.querySelectorAll("#results li .meta-line"), (p) => p.textContent)};
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("quality")
    shutil.copytree(DEFAULT, root / "catalogs")
    run = CliRunner().invoke(main, ["build", "--no-cache", str(root / "catalogs"), "--out", str(root / "out")])
    assert run.exit_code == 0, run.output
    return root / "out" / "site"


def ask(page, site: Path, query: str, **params) -> dict:
    from urllib.parse import urlencode
    page.goto((site / "search.html").as_uri() + "?" + urlencode({"q": query, **params}))
    return page.evaluate(RESULTS)


def found(titles: list[str], wanted: str) -> bool:
    return any(wanted in title for title in titles)


@pytest.mark.browser
def test_realistic_queries_find_what_readers_mean(site, browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    missing = []
    for case in QUALITY:
        got = ask(page, site, case["q"], **({"near": case["near"]} if "near" in case else {}))
        missing += [(case["q"], want) for want in case["must"] if not found(got["titles"], want)]
        if "top" in case:
            top = got["titles"][:case["top"]["count"]]
            missing += [(case["q"], f"top {want}") for want in case["top"]["must"] if not found(top, want)]
        if "first_region" in case:
            assert got["meta"] and got["meta"][0].startswith(case["first_region"]), (case["q"], got["meta"][:3])
    page.close()
    assert not missing, missing
    assert not errors, errors


@pytest.mark.browser
def test_holdout_recall_stays_above_its_floor(site, browser):
    page = browser.new_page()
    wanted = hits = 0
    misses = []
    for case in HOLDOUT:
        got = ask(page, site, case["q"])
        for want in case["must"]:
            wanted += 1
            if found(got["titles"], want):
                hits += 1
            else:
                misses.append((case["q"], want))
    page.close()
    print(f"hold-out recall {hits}/{wanted}; missed {misses}")
    assert wanted >= 30 and hits / wanted >= HOLDOUT_FLOOR, (hits, wanted, misses)


@pytest.mark.browser
def test_a_miss_suggests_and_links_to_browsing(site, browser):
    page = browser.new_page()
    got = ask(page, site, "量子纠缠")
    assert not got["titles"] and "没有找到" in got["status"]
    assert "index.html" in got["links"] and "按地区" in got["suggest"]   # never a bare 0
    # a two-character word one character off is another word (低保 → 老保): offered, never searched at once
    got = ask(page, site, "招声")
    assert not got["titles"] and "您是不是要找" in got["suggest"] and "招生" in got["suggest"], got
    got = ask(page, site, "低保 量子纠缠")
    assert any("q=%E4%BD%8E%E4%BF%9D" in link for link in got["links"]), got["links"]   # 减少关键词: 低保
    got = ask(page, site, "招生", region="341321")
    assert got["titles"] and any("near=341321" in link for link in got["links"]), got   # 本地区之外还有结果
    page.close()


@pytest.mark.browser
def test_exact_mode_keeps_the_plain_substring_search(site, browser):
    page = browser.new_page()
    ranked, exact = ask(page, site, "低保"), ask(page, site, "低保", exact="1")
    assert found(ranked["titles"], "最低生活保障 / 办事指南") and not found(exact["titles"], "最低生活保障 / 办事指南")
    assert len(exact["titles"]) < len(ranked["titles"])
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_search_page_fits_and_shows_results_and_suggestions(site, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    got = ask(page, site, "残疾人补贴")
    assert got["titles"]
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, wide   # no sideways scrolling
    box = page.locator("#results li").first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    ask(page, site, "量子纠缠")
    assert page.locator("#suggest a").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
