"""The portal in a real browser: Debian's Chromium, headless, driven by Playwright.

The built site is served by http.server on 127.0.0.1 under a sub-path (/portal/) and also opened
from file://. Every request is recorded; none may leave localhost. When Chromium or Playwright
is missing the tests fail with a clear message (CI installs both: .ci/run and the test extras).
"""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from click.testing import CliRunner

from compiler.cli import main

from conftest import DEFAULT, items_of

pytestmark = pytest.mark.browser

PREFIX = "/portal/"
XSS = "<script>window.__xss=1</script>"
XSS_ATTR = '"><img src=x onerror="window.__xss=2">'


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site only under PREFIX, like a portal hosting it in a sub-folder."""

    seen: list[str] = []

    def translate_path(self, path: str) -> str:
        self.seen.append(path)
        path = unquote(urlsplit(path).path)
        if not path.startswith(PREFIX):
            return "/nonexistent-outside-the-sub-path"
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A build of the default set plus two hostile contents, for the browser."""
    root = tmp_path_factory.mktemp("portal")
    shutil.copytree(DEFAULT, root / "catalogs")
    path = root / "catalogs/341322/social-assistance.yaml"
    text = path.read_text("utf-8")
    text = text.replace("    content: 国家、省、市社会救助政策及本县实施细则、政策解读\n", f"    content: '{XSS} 恶意测试'\n", 1)
    text = text.replace("    content: 本县城乡低保标准、调整文件及执行时间\n", f"    content: '{XSS_ATTR} 恶意测试'\n", 1)
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(main, ["build", "--no-cache", str(root / "catalogs"), "--out", str(root / "build")])
    assert result.exit_code == 0, result.output
    return root / "build" / "site"


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(SubPathHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}{PREFIX}"
    httpd.shutdown()
    httpd.server_close()



@pytest.fixture
def page_at(browser, server):
    """A new page at a given width whose requests are recorded and checked to stay local."""
    pages, requests, errors = [], [], []

    def open_page(width: int):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page._gkml_requests = requests
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
        pages.append(context)
        return page

    yield open_page
    for context in pages:
        context.close()
    host = urlsplit(server).netloc
    outside = [u for u in requests if not (urlsplit(u).netloc == host or u.startswith(("file://", "data:")))]
    assert not outside, f"requests left localhost: {outside}"
    assert all(urlsplit(u).path.startswith(PREFIX) for u in requests if u.startswith("http")), requests
    assert not errors, errors


def requests_of(page) -> list[str]:
    return page._gkml_requests


def expected_hits(term: str, region: str | None = None) -> set[str]:
    """Ids of the matters whose searched fields contain term, straight from the YAML."""
    ids = set()
    for path in sorted(DEFAULT.glob("[0-9]*/*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        if region and data["region"] != region:
            continue
        for item in items_of(data):
            text = "\n".join([item.get("matter", ""), item.get("sub_matter", ""), item.get("third_matter", ""),
                              item.get("content", ""), item.get("responsible_unit", ""), *item.get("basis", [])])
            if term in text:
                ids.add(item["id"])
    return ids


def result_ids(page) -> set[str]:
    return {href.split("#", 1)[1] for href in page.eval_on_selector_all("#results li h2 a", "as => as.map(a => a.getAttribute('href'))")}


def wait_done(page) -> str:
    """Wait until the search has its results on screen (search.js sets data-state="done")."""
    page.wait_for_function("document.getElementById('status').getAttribute('data-state') === 'done'")
    return page.text_content("#status")


def all_result_ids(page) -> set[str]:
    """Every result, pressing 显示更多结果 until all are on screen."""
    while page.is_visible("#more"):
        page.click("#more")
        wait_done(page)
    return result_ids(page)


@pytest.mark.parametrize("width", [1280, 375])
def test_search_filter_and_follow(page_at, server, width):
    page = page_at(width)
    page.goto(server + "search.html")
    # keyboard only: Tab to the search box, type, Enter
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("招生")
    page.keyboard.press("Enter")
    status = wait_done(page)
    everywhere = expected_hits("招生")
    assert all_result_ids(page) == everywhere and len(everywhere) > 4
    assert f"找到 {len(everywhere)} 个公开事项" in status
    # a filter narrows to one region, exactly as the YAML says
    page.select_option("#region", "341321")
    wait_done(page)
    assert result_ids(page) == expected_hits("招生", "341321")
    assert "region=341321" in page.url and "q=" in page.url
    # follow a result to its item anchor
    first = page.locator("#results li h2 a").first
    target = first.get_attribute("href").split("#", 1)[1]
    first.click()
    page.wait_for_load_state()
    assert page.url.endswith("#" + target) and "/catalogs/341321/" in page.url
    assert page.evaluate("document.querySelector(':target').id") == target
    box = page.locator(f"tr[id='{target}']").bounding_box()
    assert box is not None and box["y"] < 800
    # no page-level horizontal scrolling: the wide table scrolls inside its own region
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    # walk up: the item links to the city item it implements
    up = page.locator(f"tr[id='{target}'] .up a")
    up.click()
    page.wait_for_load_state()
    assert "/catalogs/341300/" in page.url and page.evaluate("document.querySelector(':target') !== null")


def test_filters_without_words(page_at, server):
    page = page_at(1280)
    page.goto(server + "search.html?level=county&method=" + "依申请")
    wait_done(page)
    ids = all_result_ids(page)
    expected = set()
    for path in sorted(DEFAULT.glob("[0-9]*/*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        if data["level"] == "county":
            expected |= {i["id"] for i in items_of(data) if i["method"] in ("依申请", "依申请公开")}
    assert ids == expected and expected


def test_hostile_content_is_shown_as_text(page_at, server):
    page = page_at(1280)
    page.goto(server + "search.html?q=恶意测试")
    wait_done(page)
    texts = page.locator("#results li").all_text_contents()
    assert any(XSS in t for t in texts) and any(XSS_ATTR in t for t in texts)
    assert page.evaluate("window.__xss") is None
    page.goto(server + "catalogs/341322/social-assistance.html")
    assert XSS in page.text_content("table.catalog")
    assert page.evaluate("window.__xss") is None and page.locator("table.catalog img").count() == 0


def test_works_from_file_url(page_at, site):
    page = page_at(375)
    page.goto((site / "search.html").as_uri() + "?q=招生")
    wait_done(page)
    assert all_result_ids(page) == expected_hits("招生")
    # the home page stays light: no script, so no part of the search index is loaded there
    before = len(requests_of(page))
    page.goto((site / "index.html").as_uri())
    page.wait_for_load_state()
    assert page.locator("script").count() == 0
    assert not [u for u in requests_of(page)[before:] if "/search/" in u]
    page.click("text=砀山县概览(领域和公开主体)")
    page.wait_for_load_state()
    assert page.url.endswith("/regions/341321.html")
    # the stylesheet loaded (relative link): the header bar has its colour
    assert page.evaluate("getComputedStyle(document.querySelector('.top')).backgroundColor") == "rgb(140, 21, 21)"
