"""The 目录调整 and 文件库 pages in a real browser (Chromium, headless), at phone and desktop width,
opened from file:// (offline, no CDN): their filters work on the client."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main

from conftest import DEFAULT
from test_validity_portal import RECORD

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("records")
    shutil.copytree(DEFAULT, root / "catalogs")
    path = root / "catalogs/341321/employment.yaml"
    path.write_text(path.read_text("utf-8").replace('version: "2024.1"', 'version: "2024.2"', 1)
                    .replace("items:\n", RECORD, 1), "utf-8")
    result = CliRunner().invoke(main, ["build", "--today", "2025-01-01", "--no-cache", str(root / "catalogs"),
                                       "--out", str(root / "build")])
    assert result.exit_code == 0, result.output
    return root / "build" / "site"


def _open(browser, width: int, url: str):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors, outside = [], []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file://", "data:")) else None)
    page.goto(url)
    return context, page, errors, outside


@pytest.mark.parametrize("width", [375, 1280])
def test_changes_page_filters_by_type_and_date(browser, site, width):
    context, page, errors, outside = _open(browser, width, (site / "changes.html").as_uri())
    rows = page.locator("#changes tbody tr")
    assert rows.count() == 2 and rows.first.get_attribute("data-date") == "2024-06-01"   # newest first
    assert page.locator("#change-count").inner_text() == "共 2 项调整"
    page.select_option("select[name=type]", "变更")
    assert page.locator("#change-count").inner_text() == "共 1 项调整"
    page.select_option("select[name=type]", "")
    page.fill("input[name=since]", "2024-05-01")
    assert page.locator("#change-count").inner_text() == "共 1 项调整"
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1 or width > 375
    context.close()
    assert not errors and not outside


@pytest.mark.parametrize("width", [375, 1280])
def test_documents_page_searches_and_filters(browser, site, width):
    context, page, errors, outside = _open(browser, width, (site / "documents.html").as_uri())
    total = page.locator("#documents tbody tr").count()
    assert total > 10 and page.locator("#doc-count").inner_text() == f"共 {total} 件"
    page.fill("input[name=q]", "国令第711号".replace("国令", "国务院令"))
    assert page.locator("#doc-count").inner_text() == "共 1 件"
    page.fill("input[name=q]", "")
    page.select_option("select[name=status]", "有效")
    shown = page.locator("#documents tbody tr:not([hidden])")
    assert 0 < shown.count() < total
    assert all(s == "有效" for s in shown.evaluate_all("rows => rows.map(r => r.dataset.status)"))
    shown.first.locator("a").click()
    assert "引用本文件的事项" in page.content()
    context.close()
    assert not errors and not outside
