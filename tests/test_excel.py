"""The official-layout workbooks: read back with openpyxl and compared with the YAML."""
from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.builders import excel
from compiler.builders.jsondata import normalise_item
from compiler.commands.common import run_check
from compiler.loader import parse
from compiler.model import build_catalog

from conftest import DEFAULT

SHEET_HEAD = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
              "公开对象", None, "公开方式", None, "公开层级"]


@pytest.fixture(scope="module")
def checked():
    result = run_check((str(DEFAULT),), "zh", False, True, 1)
    assert result.exit_code() == 0
    return result


@pytest.fixture(scope="module")
def county_book(checked, tmp_path_factory) -> tuple[Path, list]:
    """The county's workbook, written with no SOURCE_DATE_EPOCH (the fixed 1980 epoch)."""
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        return _county_book(checked, tmp_path_factory)
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def _county_book(checked, tmp_path_factory) -> tuple[Path, list]:
    catalogs = [c for c in checked.project.catalogs if c.region == "341321"]
    path = tmp_path_factory.mktemp("xlsx") / "county.xlsx"
    excel.write_catalogs_workbook(path, [(c.area, c) for c in catalogs], registry=checked.project.registry,
                                  summary="砀山县政务公开事项目录汇总")
    return path, catalogs


def yaml_of(catalog) -> dict:
    return yaml.safe_load((DEFAULT.parent / catalog.file).read_text("utf-8")) if not Path(catalog.file).is_absolute() \
        else yaml.safe_load(Path(catalog.file).read_text("utf-8"))


def test_two_header_rows_with_merges(county_book):
    path, catalogs = county_book
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "汇总" and wb["gkml"].sheet_state == "hidden"
    ws = wb[catalogs[0].area]
    head = [ws.cell(3, k).value for k in range(1, len(SHEET_HEAD) + 1)]
    assert head == SHEET_HEAD
    sub = [ws.cell(4, k).value for k in range(2, 4)] + [ws.cell(4, k).value for k in range(9, 13)]
    assert sub == ["一级事项", "二级事项", "全社会", "特定群体", "主动", "依申请"]
    merges = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:C3", "D3:D4", "I3:J3", "K3:L3"} <= merges
    assert ws.freeze_panes == "A5"
    assert ws.print_title_rows == "$3:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    # fit to one page wide (fitToWidth absent means the default, 1), any number of pages tall
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.cell(5, 4).font.name == "宋体" and ws.cell(5, 4).alignment.wrap_text


def test_rows_blocks_and_ticks_match_yaml(county_book):
    path, catalogs = county_book
    wb = openpyxl.load_workbook(path)
    for catalog in catalogs:
        ws = wb[catalog.area]
        columns = excel.catalog_columns(catalog)
        col = {c.key: n for n, c in enumerate(columns, 1)}
        items = yaml_of(catalog)["items"]
        assert ws.max_row - 4 == len(items)
        merges = {str(r) for r in ws.merged_cells.ranges}
        # 序号 and 一级事项 merged over each block of consecutive items with the same 一级事项
        row, number = 5, 0
        while row - 5 < len(items):
            size = 1
            while row - 5 + size < len(items) and items[row - 5 + size]["matter"] == items[row - 5]["matter"]:
                size += 1
            number += 1
            assert ws.cell(row, 1).value == number and ws.cell(row, 2).value == items[row - 5]["matter"]
            if size > 1:
                assert f"A{row}:A{row + size - 1}" in merges and f"B{row}:B{row + size - 1}" in merges
            row += size
        for r, item in enumerate(items, 5):
            for audience in ("全社会", "特定群体"):
                assert (ws.cell(r, col[f"audience:{audience}"]).value == "√") == (item["audience"] == audience)
            for method in ("主动", "依申请"):
                assert (ws.cell(r, col[f"method:{method}"]).value == "√") == (item["method"] == method)
            for key, n in col.items():
                if key.startswith("levels:"):
                    assert (ws.cell(r, n).value == "√") == (key[7:] in item.get("levels", []))
            lines = ws.cell(r, col["channels"]).value.split("\n")
            assert sorted(lines) == sorted([f"■{c}" for c in item["channels"]] +
                                           [f"□{c}" for c in item.get("optional_channels", [])])
            assert ws.cell(r, col["id"]).value == item["id"]


def test_summary_counts(county_book):
    path, catalogs = county_book
    ws = openpyxl.load_workbook(path)["汇总"]
    counts = [ws.cell(r, 8).value for r in range(3, 3 + len(catalogs))]
    assert counts == [len(c.items) for c in catalogs]
    assert ws.cell(3 + len(catalogs), 8).value == sum(counts)


def test_round_trip_every_default_catalog(checked, tmp_path):
    path = tmp_path / "all.xlsx"
    catalogs = checked.project.catalogs
    excel.write_catalogs_workbook(path, [(c.file.split("/")[-2] + c.area, c) for c in catalogs])
    back = excel.read_catalog_workbook(path)
    assert len(back) == len(catalogs)
    for (_, data), catalog in zip(back, catalogs):
        for key in ("region", "level", "area", "department", "version", "effective", "standard"):
            assert data.get(key) == catalog.data.get(key)
        expected = [{k: v for k, v in normalise_item(i).items() if v not in (None, [])} for i in catalog.items]
        assert data["items"] == expected


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(lambda s: s.strip() == s)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(TEXT, st.sampled_from(["=1+1", "+86 555", "-5", "@SUM(A1:A2)", "=HYPERLINK(\"http://x\")"])),
       matter=st.sampled_from(["=CMD()", "招生入学", "+a"]), unit=st.sampled_from(["-1", "砀山县教育体育局", "@x"]))
def test_any_text_stays_text(tmp_path_factory, content, matter, unit):
    folder = tmp_path_factory.mktemp("prop")
    doc = {"region": "341321", "level": "county", "area": "义务教育", "department": "砀山县教育体育局",
           "version": "1", "items": [{"id": "x-1", "matter": matter, "content": content, "basis": ["《条例》"],
                                      "time_limit": "20个工作日", "responsible_unit": unit, "channels": ["政府网站"],
                                      "audience": "全社会", "method": "主动"}]}
    # JSON is YAML 1.2 with every string quoted: PyYAML (YAML 1.1) would leave "0E0" plain, which YAML 1.2 reads as a float
    catalog = build_catalog(parse(json.dumps(doc, ensure_ascii=False).encode("utf-8"), "x.yaml"))
    path = folder / "p.xlsx"
    excel.write_catalogs_workbook(path, [("s", catalog)])
    ws = openpyxl.load_workbook(path)["s"]
    cols = {c.key: n for n, c in enumerate(excel.catalog_columns(catalog), 1)}
    for key, value in (("content", content), ("matter", matter), ("responsible_unit", unit)):
        cell = ws.cell(5, cols[key])
        assert cell.data_type == "s" and cell.value == value
    assert excel.read_catalog_workbook(path)[0][1]["items"][0]["content"] == content


def test_sheet_names_are_valid_and_unique():
    names = excel.sheet_names(["a/b", "A/B", "x" * 40, "x" * 40, "[汇总]"], {"gkml"})
    assert names[0] == "a_b" and names[1] == "A_B(2)"
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)
    assert not any(c in n for n in names for c in "[]:*?/\\")


def test_not_a_gkml_workbook(tmp_path):
    path = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ValueError):
        excel.read_catalog_workbook(path)


def test_zip_parts_carry_fixed_dates_and_properties_the_catalogs_date(county_book):
    """Zip entries: the fixed 1980 epoch; 文件属性: the catalogs' latest 生效日期 (never the wall clock), Chinese text."""
    import zipfile
    path, catalogs = county_book
    with zipfile.ZipFile(path) as zf:
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = zf.read("docProps/core.xml").decode("utf-8")
    latest = max(c.effective for c in catalogs)
    assert latest != "1980-01-01"
    for element in ("created", "modified"):
        assert f'<dcterms:{element} xsi:type="dcterms:W3CDTF">{latest}T00:00:00Z' in core
    props = openpyxl.load_workbook(path).properties
    assert props.title == "砀山县政务公开事项目录汇总" and "政务公开事项目录" in props.subject
    assert props.creator.startswith(sorted(c.department for c in catalogs)[0]) and "个单位" in props.creator


def test_parts_kept_as_pieces_are_the_same_bytes(county_book, checked, tmp_path, monkeypatch):
    """The parts xlsxwriter writes in memory are kept as pieces (no copy of a sheet's cells), and zip the same bytes."""
    import zipfile

    from xlsxwriter.packager import Packager

    from compiler.builders import xlsxbook
    made = []
    monkeypatch.setattr(xlsxbook._Pieces, "getvalue", lambda self: made.append(self) or "".join(self.pieces))
    path, catalogs = county_book
    again = tmp_path / "again.xlsx"
    excel.write_catalogs_workbook(again, [(c.area, c) for c in catalogs], registry=checked.project.registry,
                                  summary="砀山县政务公开事项目录汇总")
    monkeypatch.setattr(xlsxbook.Workbook, "_get_packager", lambda self: Packager())   # xlsxwriter's own StringIO parts
    stock = tmp_path / "stock.xlsx"
    excel.write_catalogs_workbook(stock, [(c.area, c) for c in catalogs], registry=checked.project.registry,
                                  summary="砀山县政务公开事项目录汇总")
    assert again.read_bytes() == stock.read_bytes() == path.read_bytes()
    with zipfile.ZipFile(stock) as zf:
        assert len(made) == len(zf.infolist())         # every part was pieces
    biggest = max(made, key=lambda part: sum(map(len, part.pieces)))
    # a sheet's cells are one piece: the prepared text itself, not a copy of it
    assert max(map(len, biggest.pieces)) * 2 > sum(map(len, biggest.pieces))


def test_parts_deflated_at_the_chosen_level(county_book):
    """Every part is deflated at excel.ZIP_LEVEL (not zlib's default), and xlsxwriter's ZipInfo is restored."""
    import zipfile
    import zlib

    import xlsxwriter.workbook
    path, _ = county_book
    with zipfile.ZipFile(path) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist() if info.file_size > 4096]
    def size(data: bytes, level: int) -> int:
        deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(deflate.compress(data) + deflate.flush())

    # the parts are big enough that the level shows in their size
    assert any(size(data, excel.ZIP_LEVEL) != size(data, zlib.Z_DEFAULT_COMPRESSION) for _, data in parts)
    for info, data in parts:
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert info.compress_size == size(data, excel.ZIP_LEVEL), info.filename
    assert xlsxwriter.workbook.ZipInfo is zipfile.ZipInfo
