"""The importer's pure parts on in-memory grids and strings: cleaning, channels, headers, tables."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.importers import channels, headers
from compiler.importers.detect import find_tables
from compiler.importers.grid import (
    Grid,
    cell_ref,
    column_letters,
    merged_map,
    parse_ref,
)
from compiler.importers.mapping import map_table, split_basis
from compiler.importers.text import label_key, strip_numbering, tidy
from compiler.importers.yamlout import to_yaml
from compiler.loader import parse


@pytest.mark.parametrize("found, multiline, clean", [
    ("征收土 地信息", True, "征收土地信息"),
    ("《财政部 农业部关于全面推开农业“三项补贴”改革工作的通知》", True, "《财政部 农业部关于全面推开农业“三项补贴”改革工作的通知》"),
    ("  受理部门 \n\n 办理流程  ", True, "受理部门\n办理流程"),
    ("信息形成或者变更之日起\n20个工作日内", False, "信息形成或者变更之日起 20个工作日内"),
    ("砀山县\n民政局", False, "砀山县民政局"),
    ("a\u3000\u3000b", True, "a b"),
    ("20 个工作日", True, "20 个工作日"),
    ("line one\r\nline two", True, "line one\nline two"),
])
def test_tidy(found, multiline, clean):
    assert tidy(found, multiline) == clean
    assert tidy(clean, multiline) == clean


@given(st.text())
def test_tidy_is_idempotent(text):
    assert tidy(tidy(text)) == tidy(text)
    assert tidy(tidy(text, False), False) == tidy(text, False)


@pytest.mark.parametrize("label, key", [("公开\n时限", "公开时限"), ("公开内容(要素)", "公开内容(要素)"),
                                        (" 序 号 ", "序号"), ("公开主体:", "公开主体")])
def test_label_key(label, key):
    assert label_key(label) == key


@pytest.mark.parametrize("label, role", [("公开 事项", "matter*"), ("公开内容(要素)", "content"), ("责任部门", "responsible_unit"),
                                         ("公开渠道及载体", "channels"), ("网站所属栏目", "column"), ("过程", "stage"),
                                         ("公开时长", "duration"), ("公开范围", "scope"), ("公开链接", "link"), ("事项编号", "id"),
                                         ("附加信息", "extra*"), ("责任人", None)])
def test_top_roles(label, role):
    assert headers.top_role(label) == role


@pytest.mark.parametrize("label, role", [
    ("全社会", ("audience", ("全社会",))), ("特定群众", ("audience", ("特定群体",))), ("依申请公开", ("method", ("依申请",))),
    ("县级", ("levels", ("县级",))), ("乡、村级", ("levels", ("乡级", "村级"))), ("区级", ("levels", ("县级",))),
    ("镇街级", ("levels", ("乡级",))), ("乡镇(街道)", ("levels", ("乡级",))), ("县(市、区)级", ("levels", ("县级",))),
    ("市级、县级", ("levels", ("市级", "县级"))), ("备注", None),
])
def test_sub_roles(label, role):
    assert headers.sub_role(label) == role


@pytest.mark.parametrize("cell, used, optional, codes", [
    ("■政府网站\n□政府公报\n■其他:政务新媒体", ["政府网站", "其他:政务新媒体"], ["政府公报"], []),
    ("■政府网站 政务服务中心 口纸质媒体", ["政府网站", "政务服务中心"], ["纸质媒体"], ["GK801", "GK804"]),
    ("1.政府网站 2.行政服务中心", ["政府网站", "政务服务中心"], [], ["GK808", "GK801"]),
    ("①政府网站②政府公报", ["政府网站", "政府公报"], [], ["GK808"]),
    ("政府网站、两微一端(微博、微信、客户端)、信用中国网站", ["政府网站", "两微一端", "其他:信用中国网站"], [], ["GK801", "GK809"]),   # 村务公开栏 is a synonym since issue 21
    ("■其他:信用中国(安徽)", ["其他:信用中国(安徽)"], [], []),
    ("☑政府网站 ☐政府公报", ["政府网站"], ["政府公报"], []),
    ("出口贸易平台", ["其他:出口贸易平台"], [], ["GK809"]),       # 口 inside a word is no box
    (("■政府网站 □政府公报 ■两微一端 □发布会/听证会 □广播电视 □纸质媒体 □公开查阅点 □政务服务中心 □便民服务站 "
      "□入户/现场 □社区/企事业单位/村公示栏(电子屏) □精准推送 □其他____"), ["政府网站", "两微一端"], [], ["GK805"]),
])
def test_channel_cells(cell, used, optional, codes):
    found = channels.parse(cell)
    assert (found.used, found.optional) == (used, optional)
    assert [code for code, _ in found.notes] == codes
    assert found.changed == bool(codes)


@given(st.lists(st.sampled_from(channels.vocabulary.get("channel").canonical[:-1]), unique=True),
       st.lists(st.booleans(), min_size=12, max_size=12))
def test_channel_render_then_parse(names, flags):
    order = channels.vocabulary.get("channel").order
    names = sorted(names, key=order)
    used = [n for n, f in zip(names, flags) if f]
    optional = [n for n, f in zip(names, flags) if not f]
    found = channels.parse(channels.render(used, optional))
    assert (found.used, found.optional, found.notes) == (used, optional, [])


@pytest.mark.parametrize("cell, entries, inline", [
    ("《社会救助暂行办法》(国务院令第649号)、《最低生活保障审核确认办法》(民发〔2021〕57号)",
     ["《社会救助暂行办法》(国务院令第649号)", "《最低生活保障审核确认办法》(民发〔2021〕57号)"], True),
    ("1.《办法》\n2.《条例》;", ["《办法》", "《条例》"], False),
    ("《A》《B》", ["《A》", "《B》"], True),
    ("《关于印发〈办法〉的通知》", ["《关于印发〈办法〉的通知》"], False),
    ("相关政策文件", ["相关政策文件"], False),
])
def test_split_basis(cell, entries, inline):
    assert split_basis(cell)[:2] == (entries, inline)


@pytest.mark.parametrize("text", ["(一)", "1.", "①", "一、"])
def test_strip_numbering(text):
    assert strip_numbering(text + "政府网站") == "政府网站"


def test_cell_references():
    assert [column_letters(c) for c in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert cell_ref(11, 2) == "C12" and parse_ref("C12") == (11, 2) and parse_ref("AA1") == (0, 26)
    assert merged_map([(0, 0, 1, 1)]) == {(0, 1): (0, 0), (1, 0): (0, 0), (1, 1): (0, 0)}


def grid(rows, merges=()) -> Grid:
    width = max(len(r) for r in rows)
    cells = [[(str(v) if v is not None else None) for v in r] + [None] * (width - len(r)) for r in rows]
    return Grid("t.xlsx", "表", "sheet", 1, cells, merged_map(list(merges)))


def test_detection_on_an_in_memory_grid():
    """The detection and mapping are pure: a Grid built here is enough."""
    g = grid([
        ["附件"],
        ["序号", "公开事项", None, "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道", "公开对象", None],
        [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体"],
        ["1", "甲", "乙", "内容", "《法》", "20个工作日", "某局", "政府网站", "√", None],
        ["(二)就业领域目录"],
        ["1", "丙", "丁", "内容2", "《法》", "20个工作日", "某局", "政府网站", None, "是"],
    ], [(1, 1, 1, 2), (1, 8, 1, 9), (1, 0, 2, 0), *((1, c, 2, c) for c in range(3, 8))])
    first, second = find_tables(g)
    assert [t for t, _ in first.titles] == ["附件"] and first.header_rows == (1, 2) and first.rows == [3]
    assert [c.role for c in first.columns] == ["seq", "matter", "sub_matter", "content", "basis", "time_limit",
                                                "responsible_unit", "channels", "audience", "audience"]
    assert [t for t, _ in second.titles] == ["(二)就业领域目录"] and second.rows == [5] and second.columns == first.columns
    row = map_table(second).rows[0]
    assert row.item["audience"] == "特定群体" and row.cells["audience"] == "J6"
    assert [code for code, _, _ in row.notes] == ["GK806"]


def test_channels_as_tick_sub_columns():
    """Some catalogs tick channels in sub-columns of 公开渠道和载体 instead of a ■/□ list."""
    g = grid([
        ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道和载体", None, None, "公开对象", None],
        [None, None, None, None, None, None, "政府网站", "政务服务中心", "公示栏", "全社会", "特定群体"],
        ["1", "低保", "名单", "《办法》", "20个工作日", "某局", "√", None, "✓", "√", None],
    ], [(0, 6, 0, 8), (0, 9, 0, 10), *((0, c, 1, c) for c in range(6))])
    (table,) = find_tables(g)
    mapped = map_table(table)
    assert mapped.rows[0].item["channels"] == ["政府网站", "社区/企事业单位/村公示栏(电子屏)"]
    assert mapped.rows[0].cells["channels"] == "G3,I3"
    assert ("GK801", (1, 8)) in [(code, cell) for code, cell, _ in mapped.notes]


def test_one_row_header_with_merged_matter():
    g = grid([["公开事项", None, "公开内容", "公开依据", "公开主体"], ["低保", "办事指南", "条件", "《办法》", "某局"]],
             [(0, 0, 0, 1)])
    (table,) = find_tables(g)
    assert [c.role for c in table.columns] == ["matter", "sub_matter", "content", "basis", "responsible_unit"]
    assert map_table(table).rows[0].item["sub_matter"] == "办事指南"


def test_a_grid_without_a_header_has_no_table():
    assert find_tables(grid([["姓名", "电话"], ["张三", "1"]])) == []


def test_yaml_output_keeps_types_and_reads_back():
    data = {"region": "341321", "level": "county", "area": "社会救助", "department": "局", "version": "2024.1",
            "items": [{"id": "a-1", "matter": "true", "content": "第一行\n第二行", "basis": ["123", "null"],
                       "time_limit": " 前导空格", "responsible_unit": "@局", "channels": ["政府网站", "其他:a, b"],
                       "audience": "全社会", "method": "主动", "raw": {"公开 时限": None}}]}
    text = to_yaml(data, "../../schema/catalog.schema.json")
    assert text.startswith("# yaml-language-server: $schema=../../schema/catalog.schema.json\nregion: \"341321\"\n")
    assert "  - id: a-1\n    matter: \"true\"\n    content: |-\n      第一行\n      第二行\n" in text
    assert parse(text.encode(), "x.yaml").data == data
