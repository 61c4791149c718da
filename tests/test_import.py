"""`gkml import` on tables built to look like real published catalogs (DOMAIN.md §2–3).

Each fixture is written here with openpyxl or python-docx, merged cells and all, in the shapes
found in published catalogs; each test imports it into a copy of the embedded default project
and checks the items, the review notes (with their cells), that every written cell ended up in
the YAML, and what the validator says about the result.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import docx
import openpyxl

from compiler.importers.paths import unregistered_slug
from compiler.loader import parse

TICK_MARKS = {"√", "✓", "✔", "☑", "●", "是"}


# --- building fixture files ----------------------------------------------------------------------

def write_xlsx(path: Path, sheets: dict[str, tuple[list[list], list[str]]]) -> Path:
    """A workbook with one sheet per entry: rows of values and merged ranges such as "B2:C2"."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (rows, merges) in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for rng in merges:
            ws.merge_cells(rng)
    wb.save(path)
    return path


def write_docx(path: Path, blocks: list) -> Path:
    """A document of paragraphs ("text") and tables ((rows, merges) with 0-based (r0, c0, r1, c1) merges)."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        rows, merges = block
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    table.cell(r, c).text = str(value)
        for r0, c0, r1, c1 in merges:
            table.cell(r0, c0).merge(table.cell(r1, c1))
    document.save(path)
    return path


HEAD_TOP = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开\n时限", "公开主体", "公开渠道和载体",
            "公开对象", None, "公开方式", None, "公开层级", None]
HEAD_SUB = [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群众", "主动", "依申请", "县级", "乡、村级"]
HEAD_MERGES = ["A{0}:A{1}", "B{0}:C{0}", "D{0}:D{1}", "E{0}:E{1}", "F{0}:F{1}", "G{0}:G{1}", "H{0}:H{1}", "I{0}:J{0}",
               "K{0}:L{0}", "M{0}:N{0}"]
FULL_LIST = ("■政府网站 □政府公报 ■两微一端 □发布会/听证会 □广播电视 □纸质媒体 □公开查阅点 ■政务服务中心 □便民服务站 "
             "□入户/现场 ■社区/企事业单位/村公示栏(电子屏) □精准推送 □其他____")


def head(row: int) -> list[str]:
    return [m.format(row, row + 1) for m in HEAD_MERGES]


def county_standard(tmp: Path) -> Path:
    """The national template as a county copied it: title, two-row header, merged blocks, ■/□ list, √."""
    rows = [
        ["砀山县社会救助领域基层政务公开标准目录"],
        HEAD_TOP, HEAD_SUB,
        [1, "最低生活保障", "政策法规", "低保政策法规、实施办法",
         "《社会救助暂行办法》(国务院令第649号)、《最低生活保障审核确认办法》(民发〔2021〕57号)",
         "信息形成或者变更之日起20个工作日内", "县级民政部门", FULL_LIST, "√", None, "√", None, "√", "√"],
        [None, None, "办事指南", "受理部门、申请条件、办理流程\n所需材料", "相关政策文件", "信息形成或者变更之日起20个工作日内",
         "砀山县民政局", "1.政府网站 2.行政服务中心", "✔", None, "√", None, "√", None],
        [2, "特困人员救助供养", "审核确认结果", "特困人员名单、征收土 地信息", "《社会救助暂行办法》(国务院令第649号)",
         "审核确认之日起10个工作日内", "砀山县民政局", "■政府网站 口纸质媒体 政务服务中心", None, "√", "依申请公开", None, "√", None],
        [None, None, "救助标准", "特困供养标准",
         "1.《社会救助暂行办法》(国务院令第649号)\n2.《特困人员认定办法》(民发〔2021〕43号)",
         "信息形成或者变更之日起20个工作日内", "砀山县民政局", "政府网站、便民服务中心、信用中国网站",
         "√", None, "√", None, "√", "√"],
        ["注:■为必选渠道,□为可选渠道。"],
        ["填报人:张三", None, None, None, None, None, None, None, None, None, None, None, "填报日期:2024年3月1日"],
    ]
    merges = ["A1:N1", *head(2), "A4:A5", "B4:B5", "A6:A7", "A8:N8"]
    return write_xlsx(tmp / "砀山县社会救助目录.xlsx", {"Sheet1": (rows, merges)})


def undivided(tmp: Path) -> Path:
    """One-row header: a single 公开事项 column, text 公开对象/公开方式, extra and unknown columns, no levels."""
    rows = [
        ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "责任部门", "公开渠道", "公开对象", "公开方式",
         "过程", "公开时长", "公开范围", "公开链接", "网站所属栏目", "责任人"],
        ["1", "政府采购意向", "采购项目名称、预算金额、采购时间", "《中华人民共和国政府采购法》",
         "信息形成之日起20个工作日内", "宿州市发展和改革委员会", "政府网站;公共资源交易平台", "全社会", "主动公开",
         "执行", "长期,最新有效", "全市", "https://www.ahsz.gov.cn/zfcg", "政府信息公开/重点领域/公共资源交易", "张三"],
        ["2", "政府采购结果", "中标(成交)供应商、成交金额", "《中华人民共和国政府采购法实施条例》(国务院令第658号)",
         "信息形成之日起2个工作日内", "宿州市财政局", "政府网站", "社会公众", "主动", "结果", "长期", "全市", None, None, "李四"],
    ]
    return write_xlsx(tmp / "宿州市公共资源交易.xlsx", {"公共资源交易": (rows, [])})


def several_tables(tmp: Path) -> Path:
    """Two catalogs in one sheet, each under a section title; the second goes on without a header."""
    top = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
           "公开对象", None, "公开方式", None]
    sub = [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请"]
    rows = [
        ["(一)重大建设项目领域基层政务公开标准目录"], top, sub,
        [1, "批准服务信息", "审批结果", "项目名称、审批文号", "《政府投资条例》(国务院令第712号)",
         "信息形成之日起7个工作日内", "砀山县发展和改革委员会", "■政府网站\n■投资项目在线审批监管平台", "√", None, "√", None],
        ["(二)就业创业领域基层政务公开标准目录"],
        [1, "就业政策", "政策文件", "就业创业政策法规", "《中华人民共和国就业促进法》",
         "信息形成或者变更之日起20个工作日内", "砀山县人力资源和社会保障局", "■政府网站", "√", None, "√", None],
    ]
    merges = ["A1:L1", "A2:A3", "B2:C2", "D2:D3", "E2:E3", "F2:F3", "G2:G3", "H2:H3", "I2:J2", "K2:L2", "A5:L5"]
    return write_xlsx(tmp / "砀山县目录.xlsx", {"Sheet1": (rows, merges)})


def levels_and_third(tmp: Path) -> Path:
    """三级事项, level columns 市级 / 区级 / 镇街级, header labels with stray spaces, blank 一级事项."""
    rows = [
        ["序号", "公开 事项", None, None, "公开内容 (要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
         "公开对象", None, "公开方式", None, "公开 层级", None, None],
        [None, "一级事项", "二级事项", "三级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请",
         "市级", "区级", "镇街级"],
        ["1", "食品安全监管", "抽检信息", "抽检结果", "抽检合格和不合格产品信息", "《中华人民共和国食品安全法》",
         "抽检结果确认后20个工作日内", "宿州市市场监督管理局", "■政府网站 ■两微一端", "√", None, "√", None, "√", "√", "待定"],
        ["2", None, "行政处罚", "处罚决定", "行政处罚决定书", "《市场监督管理行政处罚信息公示规定》",
         "作出决定之日起20个工作日内", "宿州市市场监督管理局", "■政府网站", "√", None, "√", "√", None, "√", "√"],
    ]
    merges = ["A1:A2", "B1:D1", "E1:E2", "F1:F2", "G1:G2", "H1:H2", "I1:I2", "J1:K1", "L1:M1", "N1:P1"]
    meta = [["地区代码", "341300"], ["编制单位", "宿州市市场监督管理局"], ["版本", "2024.2"], ["重点领域", "食品药品安全"]]
    return write_xlsx(tmp / "食品.xlsx", {"说明": ([["填表说明:本表按国家模板填写。"]], []),
                                         "目录": (rows, merges), "目录信息": (meta, [])})


def word_catalog(tmp: Path) -> Path:
    """A Word annex: title paragraphs, merged header, merged blocks, a repeated header, a table continued."""
    top = ["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "公开对象", None,
           "公开方式", None]
    sub = [None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请"]
    first = [top, sub,
             ["1", "招生管理", "招生政策", "招生计划、范围、条件", "《中华人民共和国义务教育法》", "信息形成或者变更之日起20个工作日内",
              "萧县教育体育局", "■政府网站 ■两微一端", "√", None, "√", None],
             [None, None, "招生结果", "录取名单", "《中华人民共和国义务教育法》", "招生结束后5个工作日内", "萧县教育体育局",
              "■政府网站", None, "√", "√", None],
             top, sub,
             ["2", "学校收费", "收费标准", "收费项目、标准、依据", "《教育收费公示制度》(教财〔2002〕6号)",
              "信息形成或者变更之日起20个工作日内", "萧县教育体育局", "■政府网站 □纸质媒体", "√", None, "√", None]]
    merges = [(0, 1, 0, 2), (0, 8, 0, 9), (0, 10, 0, 11), *((0, c, 1, c) for c in (0, 3, 4, 5, 6, 7)),
              (2, 0, 3, 0), (2, 1, 3, 1), (4, 1, 4, 2), (4, 8, 4, 9), (4, 10, 4, 11), *((4, c, 5, c) for c in (0, 3, 4, 5, 6, 7))]
    second = [["3", "学生资助", "资助政策", "资助标准、申请条件", "《学生资助资金管理办法》", "信息形成或者变更之日起20个工作日内",
               "萧县教育体育局", "政府网站、纸质载体", "√", None, "√", None]]
    cover = [["填表说明"], ["本表由各单位填写后报县政务公开办。"]]
    return write_docx(tmp / "萧县义务教育目录.docx",
                      [(cover, []), "附件2", "萧县义务教育领域基层政务公开标准目录", (first, merges), "(续表)", (second, [])])


# --- helpers --------------------------------------------------------------------------------------

def run_import(gkml, project: Path, *files: Path, args=()) -> tuple:
    out = project / "catalogs" / "imported"
    report = project / "review.json"
    run = gkml(["import", *files, "--out", out, "--report", report, *args, "--format", "json"], cwd=project)
    review = json.loads(report.read_text("utf-8")) if report.exists() else None
    return run, review


def loaded(project: Path, review: dict) -> dict[str, dict]:
    """Written file (relative to the project) → its data as gkml's loader reads it."""
    out = {}
    for entry in review["outputs"]:
        path = project / entry["file"] if not Path(entry["file"]).is_absolute() else Path(entry["file"])
        parsed = parse(path.read_bytes(), str(path))
        assert not parsed.diagnostics
        out[Path(entry["file"]).as_posix().split("imported/", 1)[-1]] = parsed.data
    return out


def validation(run) -> dict:
    """The JSON validation report (the review text went to stderr)."""
    assert "请核对" in run.err or "→" in run.err
    return json.loads(run.out)


def notes_at(review: dict) -> set[tuple[str, str]]:
    return {(n["code"], n["cell"]) for n in review["notes"]}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return [str(node)] if node is not None else []


def assert_every_cell_kept(path: Path, catalogs: dict[str, dict], skip_rows: dict[str, set[int]]):
    """Every written cell outside the header/title rows is in the YAML: its text, or (a tick) the item of its row."""
    everything = re.sub("[■□]", "", squash("".join(s for data in catalogs.values() for s in strings(data))))
    rows_with_items = {(i["source"].get("sheet") or f"表{i['source'].get('table')}", i["source"]["row"])
                       for data in catalogs.values() for i in data["items"]}
    for sheet, cells in _cells(path):
        for (row, col), text in cells.items():
            if row in skip_rows.get(sheet, set()):
                continue
            if text.strip() in TICK_MARKS:
                assert (sheet, row) in rows_with_items, f"tick at {sheet} row {row} has no item"
                continue
            # ■/□ are compared away: in a channel list the names are what ends up in channels
            assert re.sub("[■□]", "", squash(text)) in everything, f"{sheet}!{openpyxl.utils.get_column_letter(col)}{row} {text!r} is lost"


def _cells(path: Path):
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            yield ws.title, {(c.row, c.column): str(c.value) for row in ws.iter_rows() for c in row
                             if c.value is not None and str(c.value).strip()}
        return
    document = docx.Document(str(path))
    for n, table in enumerate(document.tables, 1):
        found = {}
        seen = set()
        for r, row in enumerate(table.rows, 1):
            for c, cell in enumerate(row.cells, 1):
                if id(cell._tc) in seen or not cell.text.strip():
                    continue
                seen.add(id(cell._tc))
                found[(r, c)] = cell.text
        yield f"表{n}", found


# --- the real layouts -----------------------------------------------------------------------------

def test_county_standard_layout(gkml, project):
    path = county_standard(project)
    run, review = run_import(gkml, project, path, args=["--region", "341321"])
    assert run.code == 0, run.out + run.err
    catalogs = loaded(project, review)
    assert list(catalogs) == ["341321/social-assistance.yaml"]
    data = catalogs["341321/social-assistance.yaml"]
    assert (data["region"], data["level"], data["area"], data["department"]) == ("341321", "county", "社会救助与社会福利", "砀山县民政局")
    assert data["notes"] == "注:■为必选渠道,□为可选渠道。\n填报人:张三\n填报日期:2024年3月1日"
    first, second, third, fourth = data["items"]
    assert first["id"] == "341321-sa-001"
    assert first["basis"] == ["《社会救助暂行办法》(国务院令第649号)", "《最低生活保障审核确认办法》(民发〔2021〕57号)"]
    assert first["channels"] == ["政府网站", "两微一端", "政务服务中心", "社区/企事业单位/村公示栏(电子屏)"]
    assert "optional_channels" not in first           # □ of a full template list means "not used"
    assert (first["audience"], first["method"], first["levels"]) == ("全社会", "主动", ["县级", "乡级", "村级"])
    assert first["source"] == {"file": path.name, "sheet": "Sheet1", "row": 4, "seq": "1", "cells": {
        "matter": "B4", "sub_matter": "C4", "content": "D4", "basis": "E4", "time_limit": "F4", "responsible_unit": "G4",
        "channels": "H4", "audience": "I4", "method": "K4", "levels": "M4,N4"}}
    assert second["matter"] == "最低生活保障" and second["source"]["cells"]["matter"] == "B4"   # merged block
    assert second["channels"] == ["政府网站", "政务服务中心"]
    assert second["content"] == "受理部门、申请条件、办理流程\n所需材料"
    assert third["content"] == "特困人员名单、征收土地信息"
    assert third["raw"]["公开内容(要素)"] == "特困人员名单、征收土 地信息"
    assert (third["channels"], third["optional_channels"]) == (["政府网站", "政务服务中心"], ["纸质媒体"])
    assert (third["audience"], third["method"]) == ("特定群体", "依申请")
    assert fourth["matter"] == "特困人员救助供养"                                             # blank under a merge
    assert fourth["basis"] == ["《社会救助暂行办法》(国务院令第649号)", "《特困人员认定办法》(民发〔2021〕43号)"]
    assert fourth["channels"] == ["政府网站", "便民服务站", "其他:信用中国网站"]   # 12345政务服务热线 is canonical since issue 21
    assert {("GK803", "Sheet1!B5"), ("GK803", "Sheet1!B7"), ("GK802", "Sheet1!D6"), ("GK807", "Sheet1!E4"),
            ("GK808", "Sheet1!E7"), ("GK813", "Sheet1!F2"), ("GK805", "Sheet1!H4"), ("GK801", "Sheet1!H5"),
            ("GK804", "Sheet1!H6"), ("GK809", "Sheet1!H7"), ("GK806", "Sheet1!I5"), ("GK801", "Sheet1!J3"),
            ("GK801", "Sheet1!K6"), ("GK801", "Sheet1!N3"), ("GK811", "Sheet1!A8"), ("GK811", "Sheet1!A9")} <= notes_at(review)
    assert_every_cell_kept(path, catalogs, {"Sheet1": {1, 2, 3}})
    # the warnings real data deserves, each also naming the table cell
    found = {(d["code"], d["item"]) for d in validation(run)["diagnostics"]}
    assert found == {("GK413", "341321-sa-001"), ("GK302", "341321-sa-002")}
    cells = {r["note"] for d in validation(run)["diagnostics"] for r in d.get("related", [])}
    assert {"原表格单元格 Sheet1!G4", "原表格单元格 Sheet1!E5"} <= cells


def test_undivided_matter_text_columns_and_extra_columns(gkml, project):
    path = undivided(project)
    run, review = run_import(gkml, project, path, args=["--region", "341300"])
    catalogs = loaded(project, review)
    data = catalogs["341300/public-resource-trading.yaml"]
    first, second = data["items"]
    assert first["matter"] == "政府采购意向" and "sub_matter" not in first
    assert (first["audience"], first["method"]) == ("全社会", "主动")
    assert first["channels"] == ["政府网站", "其他:公共资源交易平台"]
    assert (first["stage"], first["duration"], first["scope"]) == ("执行", "长期,最新有效", "全市")
    assert (first["link"], first["column"]) == ("https://www.ahsz.gov.cn/zfcg", "政府信息公开/重点领域/公共资源交易")
    assert first["raw"]["责任人"] == "张三" and second["raw"]["责任人"] == "李四"
    assert second["audience"] == "全社会" and "levels" not in second
    assert ("GK820", "公共资源交易!O1") in notes_at(review)
    assert ("GK801", "公共资源交易!H3") in notes_at(review) and ("GK801", "公共资源交易!I2") in notes_at(review)
    assert_every_cell_kept(path, catalogs, {"公共资源交易": {1}})
    assert run.code == 0, run.out


def test_several_tables_in_one_sheet(gkml, project):
    path = several_tables(project)
    run, review = run_import(gkml, project, path, args=["--region", "341321"])
    catalogs = loaded(project, review)
    # an area missing from the registry gets a slug of its own (issue 17 defect 5; was imp.yaml for every such area)
    slug = unregistered_slug("重大建设项目")
    assert sorted(catalogs) == ["341321/employment.yaml", f"341321/{slug}.yaml"]
    major = catalogs[f"341321/{slug}.yaml"]
    assert major["area"] == "重大建设项目"                     # from the section title: not a registered area
    assert major["items"][0]["id"] == f"341321-{slug}-001"
    assert major["items"][0]["channels"] == ["政府网站", "其他:投资项目在线审批监管平台"]
    jobs = catalogs["341321/employment.yaml"]
    assert jobs["area"] == "就业创业" and jobs["items"][0]["source"]["row"] == 6
    assert jobs["items"][0]["id"] == "341321-employment-001"
    assert_every_cell_kept(path, catalogs, {"Sheet1": {1, 2, 3, 5}})
    # an area missing from the registry is the validator's business (an error), not the importer's
    assert {d["code"] for d in validation(run)["diagnostics"]} == {"GK403"}
    assert run.code == 1


def test_third_matter_level_columns_and_metadata_sheet(gkml, project):
    path = levels_and_third(project)
    run, review = run_import(gkml, project, path)
    catalogs = loaded(project, review)
    data = catalogs["341300/food-drug-safety.yaml"]
    assert (data["department"], data["version"], data["level"]) == ("宿州市市场监督管理局", "2024.2", "city")
    first, second = data["items"]
    assert (first["matter"], first["sub_matter"], first["third_matter"]) == ("食品安全监管", "抽检信息", "抽检结果")
    assert first["levels"] == ["市级", "县级"] and second["levels"] == ["县级", "乡级"]
    assert second["matter"] == "食品安全监管"
    assert second["method"] == "主动" and second["raw"] == {"公开方式/依申请": "√"}     # two ticks: the first wins
    assert first["raw"] == {"公开层级/镇街级": "待定"}
    assert {("GK803", "目录!B4"), ("GK822", "目录!L4"), ("GK821", "目录!P3"), ("GK801", "目录!O2"), ("GK801", "目录!P2"), ("GK813", "目录!B1"),
            ("GK823", "说明")} <= notes_at(review)
    assert_every_cell_kept(path, catalogs, {"目录": {1, 2}, "说明": {1}, "目录信息": {1, 2, 3, 4}})
    assert run.code == 0, run.out


def test_word_annex_with_continued_table(gkml, project):
    path = word_catalog(project)
    run, review = run_import(gkml, project, path)
    catalogs = loaded(project, review)
    assert list(catalogs) == ["341322/compulsory-education.yaml"]
    items = catalogs["341322/compulsory-education.yaml"]["items"]
    assert [i["sub_matter"] for i in items] == ["招生政策", "招生结果", "收费标准", "资助政策"]
    assert items[1]["matter"] == "招生管理" and items[1]["audience"] == "特定群体"
    assert items[2]["optional_channels"] == ["纸质媒体"]
    assert items[3]["source"] == {"file": path.name, "table": 3, "row": 1, "seq": "3", "cells": {
        "matter": "B1", "sub_matter": "C1", "content": "D1", "basis": "E1", "time_limit": "F1", "responsible_unit": "G1",
        "channels": "H1", "audience": "I1", "method": "K1"}}
    assert {("GK812", "表2!A5"), ("GK812", "表2!A6"), ("GK814", "表3"), ("GK823", "表1"), ("GK803", "表2!B4")} <= notes_at(review)
    assert_every_cell_kept(path, catalogs, {"表1": {1, 2}, "表2": {1, 2, 5, 6}})
    assert run.code == 0, run.out


def test_text_report_in_chinese_and_english(gkml, project):
    path = county_standard(project)
    run = gkml(["import", path, "--region", "341321", "--out", "catalogs/new"], cwd=project)
    assert "请核对" in run.out and "Sheet1!D6  GK802  整理了公开内容(要素)中的空白或换行" in run.out
    assert "→ catalogs/new/341321/social-assistance.yaml(4 个事项)" in run.out
    assert "相关位置:" in run.out and "原表格单元格 Sheet1!G4" in run.out
    other = project / "en"
    run = gkml(["import", path, "--region", "341321", "--out", other, "--lang", "en", "--report", project / "r.md"], cwd=project)
    assert "Review " in run.out and "cleaned spaces or line breaks in 公开内容(要素)" in run.out
    markdown = (project / "r.md").read_text("utf-8")
    assert markdown.startswith("# Import review") and "| Sheet1!D6 | GK802 |" in markdown


def test_every_import_code_is_exercised(gkml, project, tmp_path):
    """Each review code appears in some fixture above (the refusal codes: tests/test_import_hostile.py)."""
    from test_import_bases import library_table   # the bases fixture: GK830, GK831
    seen = set()
    for number, build in enumerate((county_standard, undivided, several_tables, levels_and_third, word_catalog,
                                    library_table)):
        folder = tmp_path / str(number)
        folder.mkdir()
        path = build(folder)
        gkml(["import", path, "--region", "341300" if build in (undivided, levels_and_third) else "341321",
                    "--out", folder / "out", "--report", folder / "r.json"], cwd=project)
        seen |= {n["code"] for n in json.loads((folder / "r.json").read_text("utf-8"))["notes"]}
    from compiler.importers import PRODUCES
    review_codes = {c for c in PRODUCES if c < "GK849"}
    assert review_codes <= seen, sorted(review_codes - seen)
