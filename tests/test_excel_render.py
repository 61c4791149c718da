"""The workbooks as LibreOffice lays them out: no row cuts its text, a Chinese face, whole printed pages.

LibreOffice is driven through its own Python (tests/libreoffice_rows.py, run by the system
python3 with python3-uno): each row's written height is compared with LibreOffice's optimal
height for the same text, i.e. the height its layout needs. .ci/run installs LibreOffice; a
machine without it fails these tests (they are never skipped).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from compiler.builders import excel, sheetlayout
from compiler.commands.common import run_check

from conftest import DEFAULT

HERE = Path(__file__).resolve().parent
SYSTEM_PYTHON = "/usr/bin/python3"


@pytest.fixture(scope="module")
def county_book(tmp_path_factory) -> Path:
    result = run_check((str(DEFAULT),), "zh", False, True, 1)
    assert result.exit_code() == 0
    catalogs = [c for c in result.project.catalogs if c.region == "341321"]
    path = tmp_path_factory.mktemp("render") / "county.xlsx"
    excel.write_catalogs_workbook(path, [(c.area, c) for c in catalogs], registry=result.project.registry,
                                  summary="砀山县政务公开事项目录汇总")
    return path


def _libreoffice_rows(book: Path) -> dict:
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is missing: .ci/run installs it "
                    "(apt-get install libreoffice-calc-nogui python3-uno fonts-noto-cjk)")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        pytest.fail(f"{SYSTEM_PYTHON} cannot import uno: apt-get install python3-uno")
    run = subprocess.run([SYSTEM_PYTHON, str(HERE / "libreoffice_rows.py"), str(book), excel.META_SHEET],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.slow
def test_no_row_cuts_its_text_in_libreoffice(county_book):
    sheets = _libreoffice_rows(county_book)
    assert len(sheets) == 8            # 汇总 and the county's seven catalogs
    cut, rows = [], 0
    for name, sheet in sheets.items():
        for number, written, optimal in sheet["rows"]:
            if name != "汇总" and number > excel.HEAD_ROW:     # the header rows and every item row
                rows += 1
                if optimal > written + 2:   # heights are in 1/100 mm: 2 is rounding
                    cut.append((name, number, written, optimal))
    assert rows > 50 and cut == []
    # LibreOffice lays the CJK text in a Simplified Chinese face for a Chinese text language
    fonts = {tuple(sheet["font"]) for name, sheet in sheets.items() if name != "汇总"}
    assert all(("SC" in face or face in ("宋体", "SimSun")) and language == "zh" for face, language in fonts), fonts


def _printed_glyphs(pdf: Path) -> set[str]:
    """The glyph names of every Type 1 font LibreOffice embedded in pdf (the CJK faces' cidNNNNN)."""
    import pypdf
    from fontTools.misc import eexec
    names: set[str] = set()
    for page in pypdf.PdfReader(pdf).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            descriptor = ref.get_object().get("/FontDescriptor")
            program = descriptor.get_object().get("/FontFile") if descriptor is not None else None
            if program is None:
                continue
            program = program.get_object()
            raw, clear, secret = program.get_data(), program["/Length1"], program["/Length2"]
            private = eexec.decrypt(raw[clear:clear + secret], 55665)[0]
            names.update(n.decode() for n in re.findall(rb"/(cid\d+) \d+ (?:RD|-\|)", private))
    return names


@pytest.mark.slow
def test_printed_workbook_uses_the_simplified_chinese_glyphs(county_book, tmp_path):
    """Printed by LibreOffice on a machine without 宋体, the text is in Noto Sans CJK SC, not JP.

    The Noto CJK collections share one CFF program named NotoSansCJKjp for every language, so the
    PDF's font name says nothing; the glyphs do: for each character whose SC and JP glyphs differ,
    the PDF must hold the SC glyph and never the JP one (e.g. 关: SC cid10921, JP cid10920). The
    glyphs follow the text's language (the faces' locl feature), which LibreOffice takes as zh."""
    from fontTools.ttLib import TTCollection
    if shutil.which("soffice") is None or shutil.which("fc-match") is None:
        pytest.fail("LibreOffice and fontconfig are missing: .ci/run installs them "
                    "(apt-get install libreoffice-calc-nogui fonts-noto-cjk)")
    collection = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True).stdout
    faces = {f["name"].getDebugName(1): f.getBestCmap() for f in TTCollection(collection).fonts}
    sc, jp = faces["Noto Sans CJK SC"], faces["Noto Sans CJK JP"]
    with zipfile.ZipFile(county_book) as zf:
        text = "".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml")
    differ = sorted({ch for ch in text if ord(ch) in sc and ord(ch) in jp and sc[ord(ch)] != jp[ord(ch)]})
    assert len(differ) > 100
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                          "pdf", "--outdir", str(tmp_path), str(county_book)], capture_output=True, text=True, timeout=300)
    pdf = tmp_path / f"{county_book.stem}.pdf"
    assert pdf.exists(), run.stdout + run.stderr
    printed = _printed_glyphs(pdf)
    in_sc = {ch for ch in differ if sc[ord(ch)] in printed}
    in_jp = {ch for ch in differ if jp[ord(ch)] in printed}
    assert len(in_sc) > 100 and in_jp - in_sc == set(), sorted(in_jp - in_sc)


def test_fonts_carry_the_chinese_charset_and_family(county_book):
    with zipfile.ZipFile(county_book) as zf:
        styles = zf.read("xl/styles.xml").decode("utf-8")
    fonts = re.findall(r"<font>.*?</font>", styles)
    songti = [f for f in fonts if '<name val="宋体"/>' in f]
    assert songti and all('<charset val="134"/>' in f and '<family val="3"/>' in f for f in songti)


def test_every_sheet_prints_one_page_wide_with_page_numbers(county_book):
    import openpyxl
    wb = openpyxl.load_workbook(county_book)
    for ws in wb.worksheets:
        if ws.title == excel.META_SHEET:
            continue
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0, ws.title   # 1 is the default
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, ws.title
        assert ws.print_title_rows, ws.title


@pytest.mark.parametrize("text, width, expected", [
    ("■政府网站", 18, 1),
    ("■政府网站\n□政府公报\n■政务服务中心", 18, 3),
    ("一二三四五六七八九十一二三四五六七八九十", 18, 3),        # 9 em a line at width 18
    ("一二三四五六七八九。", 18, 2),                               # 。 may not start a line: 九 goes with it
    ("一二三四五六七八（九", 18, 2),                               # （ may not end a line
    ("https://www.example.gov.cn/zwgk/index.html", 12, 5),          # a long word is broken anywhere
    ("《社会救助暂行办法》(国务院令第649号)", 30, 2),
])
def test_wrapped_lines(text, width, expected):
    assert sheetlayout.lines(text, width) == expected


def test_row_heights_repeat_exactly():
    assert [sheetlayout.row_height(n) for n in (1, 2, 7)] == [17.5, 32.0, 104.5]
