"""The 文件库's document pages split by region (issue 22): an often cited document lists its citing
regions, their matters on region pages (a region's with those under it while they are few), and a
rebuild renders again only the region pages whose rows changed."""
from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

import pytest
from click.testing import CliRunner

from compiler.builders import documents
from compiler.cli import main

from conftest import DEFAULT
from test_build import snapshot
from test_build_incremental import edit_matter, inodes
from test_portal_public import SMALL_TEXT, axe_violations

ID = re.compile(r"<code>([^<]+)</code>")


def _build(root: Path, out: str, *flags: str) -> Path:
    result = CliRunner(env={"GKML_CACHE_DIR": str(root / "cache")}).invoke(
        main, ["build", "--today", "2025-06-01", *flags, str(root / "catalogs"), "--out", str(root / out)],
        catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / out


def _patched_build(root: Path, out: str, **limits: int) -> Path:
    """A cold build of the default set in root with documents' SMALL / LIMIT set as given."""
    if not (root / "catalogs").exists():
        shutil.copytree(DEFAULT, root / "catalogs")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in limits.items():
            patch.setattr(documents, name, value)
        return _build(root, out, "--no-cache")


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """The default set built with every cited document split into a page per region (SMALL = LIMIT = 0), twice."""
    root = tmp_path_factory.mktemp("split")
    return root, _patched_build(root, "a", SMALL=0, LIMIT=0), _patched_build(root, "b", SMALL=0, LIMIT=0)


@pytest.fixture(scope="module")
def nested(tmp_path_factory):
    """The default set built with every cited document's matters on region pages (SMALL = 0), few enough for one."""
    return _patched_build(tmp_path_factory.mktemp("nested"), "out", SMALL=0)


def _cited(out: Path) -> dict[str, list[str]]:
    data = json.loads((out / "data/documents.json").read_text("utf-8"))
    return {d["id"]: d["cited_by"] for d in data["documents"] if d["cited_by"]}


def test_split_build_is_deterministic(split):
    _, first, second = split
    assert snapshot(first) == snapshot(second)


def test_an_often_cited_document_lists_regions_and_each_region_page_its_rows(split):
    _, out, _ = split
    site = out / "site"
    cited = _cited(out)
    assert cited
    for doc, items in cited.items():
        page = (site / f"documents/{doc}.html").read_text("utf-8")
        assert not ID.findall(page) and f"引用本文件的事项({len(items)})" in page
        links = re.findall(rf'href="\.\./(documents/{re.escape(doc)}/[^"#]+)', page)
        assert links and all((site / link).is_file() for link in links)
        shown = []
        for region_page in sorted((site / "documents" / doc).glob("*.html")):
            text = region_page.read_text("utf-8")
            assert f'href="../../documents/{doc}.html"' in text and 'aria-current="page"' in text
            for href in re.findall(r'href="\.\./\.\./([^"#]+)', text):
                assert (site / href).is_file(), href
            shown += ID.findall(text)
        assert sorted(shown) == sorted(items), doc   # every citing matter once, on one region page


def test_a_region_page_holds_the_regions_under_it_while_they_are_few(nested):
    site = nested / "site"
    doc, item = next((doc, i) for doc, items in _cited(nested).items() for i in items if i.startswith("341321100-"))
    assert sorted(p.name for p in (site / "documents" / doc).iterdir()) == ["340000.html"]
    province = (site / f"documents/{doc}/340000.html").read_text("utf-8")
    assert 'id="r341321100"' in province and f"<code>{item}</code>" in province and "及所辖地区" in province
    assert f'{doc}/340000.html#r341321100"' in (site / f"documents/{doc}.html").read_text("utf-8")


class _Region(NamedTuple):
    code: str
    name: str
    level: str
    parent: str | None


def test_the_layout_gives_a_region_below_limit_one_page_with_those_under_it(monkeypatch):
    monkeypatch.setattr(documents, "LIMIT", 3)
    regions = [_Region("P", "省", "province", None), _Region("C", "市", "city", "P"), _Region("K1", "甲县", "county", "C"),
               _Region("K2", "乙县", "county", "C"), _Region("T1", "镇", "township", "K1")]
    tree = documents._Tree(SimpleNamespace(regions=regions))
    rows = {code: 1 for code in ("P", "C", "K1", "K2", "T1")}   # each region's citing matters
    assert tree.layout(rows) == {"P": ["P"], "C": ["C"], "K1": ["K1", "T1"], "K2": ["K2"]}
    del rows["C"]
    assert tree.layout(rows) == {"P": ["P"], "C": ["K1", "T1", "K2"]}
    monkeypatch.setattr(documents, "LIMIT", 10)
    assert tree.layout(rows) == {"P": ["P", "K1", "T1", "K2"]}


def test_a_rarely_cited_document_keeps_its_rows_on_its_page(tmp_path):
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    out = _build(tmp_path, "out", "--no-cache")
    doc, items = next(iter(_cited(out).items()))
    assert len(items) <= documents.SMALL
    assert sorted(ID.findall((out / f"site/documents/{doc}.html").read_text("utf-8"))) == sorted(items)
    assert not (out / f"site/documents/{doc}").exists()


def test_an_edit_renders_again_only_its_regions_pages_of_the_documents_it_cites(tmp_path, monkeypatch):
    """Pages are keyed by the catalogs their rows come from (documents.py): an edit of one county's
    catalog renders that county's page of each document the catalog cites, and no other page."""
    monkeypatch.setattr(documents, "SMALL", 0)
    monkeypatch.setattr(documents, "LIMIT", 0)
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    out = _build(tmp_path, "out", "--no-cache")
    before, cited = inodes(out), _cited(out)
    edit_matter(tmp_path / "catalogs/341322/employment.yaml", 1)   # the first matter's title: its rows change
    _build(tmp_path, "out")
    after = inodes(out)
    kept = {rel for rel in before if after.get(rel) == before[rel]}
    ids = set(re.findall(r"- id: \"?([^\"\n]+)", (tmp_path / "catalogs/341322/employment.yaml").read_text("utf-8")))
    touched = {doc for doc, items in cited.items() if ids & set(items)}
    pages = {rel for rel in before if rel.startswith("site/documents/")}
    assert touched and {f"site/documents/{doc}/341322.html" for doc in touched} <= pages - kept
    assert pages - kept == {f"site/documents/{doc}/341322.html" for doc in touched}
    assert snapshot(out) == snapshot(_build(tmp_path, "fresh", "--no-cache"))   # the same bytes as from scratch


@pytest.mark.browser
@pytest.mark.parametrize("width", [375, 1280])
def test_document_and_region_pages_pass_axe_and_fit(browser, split, nested, width):
    site = nested / "site"
    doc = next(iter(_cited(nested)))
    for rel in (f"documents/{doc}.html", f"documents/{doc}/340000.html", split[1] / f"site/documents/{doc}/341321.html"):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: r.url.startswith(("file://", "data:")) or errors.append(r.url))
        page.goto((site / rel).as_uri())   # an absolute path stays itself
        assert axe_violations(page) == [], rel
        assert page.evaluate("document.documentElement.scrollWidth") <= width, rel
        assert page.evaluate(SMALL_TEXT) == [], rel
        assert page.title() and page.locator("nav.crumbs [aria-current=page]").count() == 1
        if str(rel).endswith("340000.html"):
            import pypdf
            text = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages[0].extract_text()
            assert "第 1" in text, text[:80]
        context.close()
        assert not errors, errors
