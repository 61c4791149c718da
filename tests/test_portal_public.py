"""The portal for the public (issue 20): phones, elderly readers, downloads, print, a government site.

Headless Chromium (Debian's, through Playwright) at 375 and 1280 px on a build of the default set
with a gkml.yaml site: section and --staff; axe-core comes from the test extras (the
axe-playwright-python package ships axe.min.js: no CDN).
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner

from compiler.cli import main

from conftest import DEFAULT

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
SITE_YAML = ("site:\n  host: 砀山县人民政府办公室\n  organizer: 砀山县数据资源管理局\n  contact: 0557-8021234\n"
             "  site_code: \"3413210001\"\n  icp: 皖ICP备05001234号-1\n  police: 皖公网安备 34132102000001号\n"
             "  logo: brand/logo.png\n")
LOGO = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                     "1f15c4890000000d49444154789c6360f80f000001010000f5d6f2a40000000049454e44ae426082")
CATALOG = "catalogs/341321/social-assistance.html"
PAGES = {"home": "index.html", "region": "regions/341321.html", "catalog": CATALOG, "search": "search.html?q=低保",
         "coverage": "coverage.html", "staff": "staff/index.html", "warnings": "staff/warnings.html",
         "staff coverage": "staff/coverage.html"}
LABELS = ("公开内容", "公开依据", "公开时限", "公开主体", "公开渠道", "公开对象", "公开方式", "公开层级")


def _build(root: Path, *extra: str) -> Path:
    cwd = os.getcwd()
    os.chdir(root)   # gkml.yaml is found upward from the working folder
    try:
        result = CliRunner().invoke(main, ["build", "--no-cache", *extra, "catalogs", "--out", "build"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    return root / "build"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The default set with a site: section, a logo and one catalog's full metadata, built with --staff."""
    root = tmp_path_factory.mktemp("public")
    shutil.copytree(DEFAULT, root / "catalogs")
    (root / "brand").mkdir()
    (root / "brand/logo.png").write_bytes(LOGO)
    (root / "gkml.yaml").write_text(SITE_YAML, "utf-8")
    path = root / "catalogs/341321/social-assistance.yaml"
    text = path.read_text("utf-8")
    head = "version: "
    assert head in text
    path.write_text(text.replace(head, "written: 2024-02-20\npublished: 2024-02-26\npublisher: 砀山县人民政府办公室\n"
                                       "expires: 2099-12-31\n" + head, 1), "utf-8")
    return _build(root, "--staff")


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built / "site"


@pytest.fixture
def open_page(browser, site):
    """open_page(rel, width, elder=False): a page of the built site from file:// (offline), errors recorded."""
    contexts, errors = [], []

    def go(rel: str, width: int, elder: bool = False):
        context = browser.new_context(viewport={"width": width, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: r.url.startswith(("file://", "data:")) or errors.append(f"request {r.url}"))
        path, _, query = rel.partition("?")
        url = (site / path).as_uri() + ("?" + query if query else "")
        if elder:
            page.goto(url)
            page.evaluate("localStorage.setItem('gkml-elder', '1')")
        page.goto(url)
        page.wait_for_load_state("load")
        if path == "search.html" and query:
            page.wait_for_function("document.getElementById('status').getAttribute('data-state') === 'done'")
        return page

    yield go
    for context in contexts:
        context.close()
    assert not errors, errors


def axe_violations(page, enhanced: bool = True) -> list[tuple[str, list[str]]]:
    """axe-core's WCAG 2.1 A/AA violations (and with enhanced the AAA color-contrast-enhanced rule)."""
    from axe_playwright_python.base import AXE_SCRIPT
    page.evaluate(AXE_SCRIPT)
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "rules": {"color-contrast-enhanced": {"enabled": enhanced}}}
    found = page.evaluate("async (o) => (await axe.run(document, o)).violations"
                          ".map(v => [v.id, v.nodes.map(n => n.target.join(' '))])", options)
    return [(rule, nodes) for rule, nodes in found]


SMALL_TEXT = """() => { const out = []; const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) { const node = walk.currentNode; if (!node.textContent.trim()) continue;
    const el = node.parentElement; const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest('.sr-only')) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) out.push([el.tagName, size, node.textContent.trim().slice(0, 20)]); }
  return out; }"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_type_passes_axe_aaa_contrast_and_fits(open_page, kind, width, elder):
    page = open_page(PAGES[kind], width, elder)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    assert page.evaluate(SMALL_TEXT) == [], "text below 16 px"


def test_the_axe_check_can_fail(open_page):
    """The check above is live: grey text of 4.5:1 passes AA and fails the AAA rule."""
    page = open_page("index.html", 1280)
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color:#767676\">灰色</p>')")
    assert [rule for rule, _ in axe_violations(page)] == ["color-contrast-enhanced"]
    assert axe_violations(page, enhanced=False) == []


def test_document_pages_when_present_pass_axe(open_page, site):
    """Every other kind of page a build writes (文件库, documents … as they come) passes the same check."""
    known = {"index.html", "search.html", "coverage.html", "regions", "catalogs", "staff", "static", "search", "downloads"}
    others = sorted(p for p in site.iterdir() if p.name not in known)
    for path in others:
        pages = [path] if path.is_file() else sorted(path.rglob("*.html"))[:2]
        for html in pages:
            page = open_page(html.relative_to(site).as_posix(), 375)
            assert axe_violations(page) == [], html


def _cards(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('table.catalog tbody tr')].map(tr => {
      const seen = {}; for (const label of tr.querySelectorAll('.label')) {
        const box = label.getBoundingClientRect(); const cell = label.parentElement.getBoundingClientRect();
        seen[label.textContent.trim()] = box.width > 0 && cell.right <= innerWidth + 0.5 && cell.left >= -0.5; }
      return seen; })""")


def test_phone_shows_each_matter_as_a_labelled_card(open_page):
    page = open_page(CATALOG, 375)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    table_width = page.evaluate("document.querySelector('table.catalog').getBoundingClientRect().width")
    assert table_width <= 375
    cards = _cards(page)
    assert cards and all(all(seen.get(label) for label in LABELS) for seen in cards), cards[:1]
    # the same reading order as the table's columns
    order = page.evaluate("[...document.querySelector('table.catalog tbody tr').querySelectorAll('.label')]"
                          ".map(l => l.textContent.trim())")
    positions = [next(i for i, text in enumerate(order) if text.startswith(label)) for label in LABELS]
    assert positions == sorted(positions), order
    assert "一级事项" in order[0]
    # every value of the first matter is on screen: its 一级事项 and its 公开对象 (a tick column in the table)
    first = page.locator("table.catalog tbody tr").first
    assert first.locator(".card-matter .value").is_visible()
    assert first.locator("td.card", has_text="公开对象").inner_text().split()[-1] in ("全社会", "特定群体")


def test_wide_screen_table_fits_or_scrolls_inside_under_a_sticky_header(open_page):
    page = open_page(CATALOG, 1280)
    sizes = page.evaluate("(() => { const w = document.querySelector('.table-wrap'); const t = w.querySelector('table');"
                          " return [t.getBoundingClientRect().width, w.clientWidth]; })()")
    assert sizes[0] <= sizes[1] + 0.5, sizes          # 公开层级 is not cut off: the table fits its frame
    assert all(not seen for seen in [any(s.values()) for s in _cards(page)])   # no card labels on wide screens
    # scrolled inside its frame, the header stays on top of it
    top = page.evaluate("""(() => { const w = document.querySelector('.table-wrap'); w.scrollTop = 400;
        return [w.getBoundingClientRect().top, document.querySelector('table.catalog thead').getBoundingClientRect().top]; })()""")
    assert page.evaluate("document.querySelector('.table-wrap').scrollTop") > 0
    assert abs(top[0] - top[1]) < 1, top
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


@pytest.mark.parametrize("width", WIDTHS)
def test_a_followed_link_shows_its_row_with_its_labels(open_page, width):
    """A search result's link lands on the row, below the sticky header (or on its labelled card)."""
    page = open_page(CATALOG, width)
    target = page.eval_on_selector_all("table.catalog tbody tr", "trs => trs.map(t => t.id)")[-2]
    page.goto(page.url.split("#")[0] + "#" + target)
    row = page.locator(f"tr[id='{target}']").bounding_box()
    assert row is not None and 0 <= row["y"] < 800
    if width == 1280:
        head = page.locator("table.catalog thead").bounding_box()
        assert row["y"] >= head["y"] + head["height"] - 1, (row, head)
    else:
        assert page.locator(f"tr[id='{target}'] .label").first.is_visible()


def test_elder_mode_is_larger_remembered_and_offline(open_page):
    page = open_page("index.html", 375)
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16
    toggle = page.locator("#elder")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    larger = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert larger >= size * 1.2
    # remembered on the next page, from file:// (no server, no network)
    page.click("text=一站式检索")
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.locator("#elder").get_attribute("aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == larger
    page.locator("#elder").click()
    page.reload()
    assert not page.evaluate("document.documentElement.classList.contains('elder')")


def test_focus_ring_contrast(open_page):
    """The focus ring is at least 3:1 against what surrounds it (WCAG 2.4.11 / 1.4.11)."""
    page = open_page(CATALOG, 1280)
    def ratio(a: str, b: str) -> float:
        def lum(rgb):
            parts = [int(x) / 255 for x in re.findall(r"\d+", rgb)[:3]]
            lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
            return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
        high, low = sorted((lum(a), lum(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)
    for selector, background in (("main a", "rgb(255, 255, 255)"), (".top nav a", None)):
        page.focus(selector)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        style = page.evaluate(f"(() => {{ const e = document.activeElement; const s = getComputedStyle(e);"
                              f" return [s.outlineStyle, s.outlineWidth, s.outlineColor,"
                              f" getComputedStyle(e.closest('.top') || document.body).backgroundColor]; }})()")
        assert style[0] == "solid" and float(style[1].rstrip("px")) >= 3, style
        assert ratio(style[2], background or style[3]) >= 3, style


def test_cjk_font_stack_without_web_fonts(site):
    css = (site / "static/gkml.css").read_text("utf-8")
    for face in ("Microsoft YaHei", "SimSun", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC",
                 "Source Han Sans SC", "WenQuanYi Micro Hei"):
        assert f'"{face}"' in css or face in css, face
    assert "@font-face" not in css and "url(" not in css


def test_footer_breadcrumbs_and_region_search(open_page):
    page = open_page(CATALOG, 375)
    footer = page.inner_text("footer")
    for text in ("主办单位:砀山县人民政府办公室", "承办单位:砀山县数据资源管理局", "联系方式:0557-8021234",
                 "网站标识码:3413210001", "ICP备案号:皖ICP备05001234号-1", "公网安备号:皖公网安备 34132102000001号"):
        assert text in footer
    assert page.locator("header img.logo").evaluate("img => img.naturalWidth") == 1
    crumbs = [t.strip() for t in page.inner_text("nav.crumbs").split("›")]
    assert crumbs == ["首页", "安徽省", "宿州市", "砀山县", "社会救助与社会福利"]
    region = open_page("regions/341321.html", 375)
    region.fill("form.quick input[name=q]", "低保")
    region.press("form.quick input[name=q]", "Enter")
    region.wait_for_load_state("load")
    assert region.url.split("?")[0].endswith("/search.html")
    assert "region=341321" in region.url and "q=" in region.url


def test_footer_is_empty_by_default(tmp_path, browser):
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    out = _build(tmp_path)
    page = browser.new_page()
    page.goto((out / "site/index.html").as_uri())
    footer = page.inner_text("footer")
    assert "主办单位" not in footer and "备案" not in footer and page.locator("header img").count() == 0
    page.close()
    assert not (out / "site/staff").exists()


def test_logo_outside_the_project_is_refused_with_its_place(tmp_path):
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    (tmp_path / "gkml.yaml").write_text("site:\n  host: 某县人民政府办公室\n  logo: ../outside.png\n", "utf-8")
    (tmp_path.parent / "outside.png").write_bytes(LOGO)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["build", "--no-cache", "catalogs", "--out", "build"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 1 and "gkml.yaml\n  3:9" in result.output and "GK124" in result.output, result.output
    assert not (tmp_path / "build").exists()


def test_public_pages_hide_staff_pages_codes_and_english(open_page, site):
    for kind in ("home", "region", "catalog", "search", "coverage"):
        page = open_page(PAGES[kind], 1280)
        hrefs = page.eval_on_selector_all("a", "as => as.map(a => a.getAttribute('href'))")
        assert not [h for h in hrefs if h and "staff/" in h], kind
        text = page.inner_text("body")
        assert "当前警告" not in text and not re.search(r"art\d\d-\d\d|GK\d{3}", text), kind
        # a matter's number (341321-sa-001, its permanent link) is the catalog's own, not an internal code
        text = re.sub(r"\b\d{6,12}(-[a-z0-9]+)+\b", "", text)
        words = set(re.findall(r"[A-Za-z]{2,}", text)) - {"gkml", "JSON", "Excel", "CSV", "ICP"}
        assert not words, (kind, words)
    staff = open_page("staff/coverage.html", 1280)
    assert re.search(r"art\d\d-\d\d", staff.inner_text("body")) or "引用了适用于本层级的全部" in staff.inner_text("body")


def test_every_download_link_is_inside_site_with_the_same_bytes(open_page, site, built):
    for rel in ("regions/341321.html", CATALOG):
        page = open_page(rel, 1280)
        hrefs = page.eval_on_selector_all(".downloads a", "as => as.map(a => a.href)")
        kinds = {h.rsplit(".", 1)[1] for h in hrefs}
        assert kinds == {"xlsx", "json", "csv"}, hrefs
        for href in hrefs:
            path = Path(unquote(href.removeprefix("file://")))
            assert path.is_relative_to(site) and path.is_file(), href
            original = built / path.relative_to(site / "downloads")
            assert path.read_bytes() == original.read_bytes(), href
        assert page.locator("button.print").is_visible()


def test_print_has_the_title_and_page_numbers_on_every_page(open_page):
    import pypdf
    page = open_page("catalogs/340000/social-assistance.html", 1280)
    title = page.title()
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert len(reader.pages) >= 2
    for number, sheet in enumerate(reader.pages, 1):
        # the PDF's text of CJK faces may use compatibility ideographs (⻚ for 页): compare the digits and the title
        text = sheet.extract_text()
        assert re.search(rf"第 {number} \S / 共 {len(reader.pages)} \S", text), text[:80]
        assert _plain(title) in _plain(text), text[:120]
    assert page.locator("button.print").count() == 1


def _plain(text: str) -> str:
    import unicodedata
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_metadata_block_in_page_json_and_workbook(open_page, built):
    page = open_page(CATALOG, 1280)
    block = dict(zip(page.eval_on_selector_all("dl.info dt", "ds => ds.map(d => d.textContent)"),
                     page.eval_on_selector_all("dl.info dd", "ds => ds.map(d => d.textContent)")))
    number = block.pop("索引号")
    assert re.fullmatch(r"\d{4}-\d{5}", number), number    # the registry has no organisation codes yet
    effective = page.catalog_effective = page.inner_text("dl.info") and block["生效时间"]
    assert number.startswith(effective[:4])
    assert block == {"发布机构": "砀山县人民政府办公室", "成文日期": "2024-02-20", "发布日期": "2024-02-26",
                     "有效性": "有效", "生效时间": effective, "废止时间": "2099-12-31"}, block
    block["索引号"] = number
    data = json.loads((built / "data/341321/social-assistance.json").read_text("utf-8"))["catalog"]
    assert data["metadata"]["index_number"] == block["索引号"]
    assert data["metadata"]["publisher"] == "砀山县人民政府办公室" and data["metadata"]["validity"] == "有效"
    assert data["written"] == "2024-02-20" and data["published"] == "2024-02-26"
    import openpyxl
    book = openpyxl.load_workbook(next((built / "excel").glob("region-341321-*.xlsx")), read_only=True)
    sheet = book[next(name for name in book.sheetnames if name.startswith("社会救助"))]
    line = next(row[0] for row in sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert f"索引号:{block['索引号']}" in line and "有效性:有效" in line and "发布机构:砀山县人民政府办公室" in line
