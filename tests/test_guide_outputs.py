"""The outputs quoted in the Chinese author guide (docs/zh/) are what gkml prints: each scenario
replays the guide's steps on a copy of the default and finds every line of the quoted block."""
from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import DEFAULT

from compiler.commands.common import today
from test_doc_examples import FENCE, GUIDE_REGISTRY, append_sections

GUIDE = Path(__file__).resolve().parent.parent / "docs/zh"
def _blocks(text: str):
    """(info string, body) of every fenced block, fences read line by line."""
    info, body = None, []
    for line in text.splitlines():
        if line.startswith("```"):
            if info is None:
                info, body = line[3:].strip(), []
            else:
                yield info, "\n".join(body)
                info = None
        elif info is not None:
            body.append(line)


def _quoted(page: str, first: str) -> list[str]:
    """The lines of the page's plain (output) fenced block that starts with first."""
    for info, body in _blocks((GUIDE / page).read_text("utf-8")):
        if not info and body.startswith(first):
            return [line for line in body.splitlines() if line.strip()]
    raise AssertionError(f"no block starting {first!r} in {page}")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _assert_shown(lines: list[str], run) -> None:
    shown = (run.out + run.err).splitlines()
    assert [line for line in lines if line not in shown] == [], run.out + run.err


@pytest.fixture
def guide_project(tmp_path):
    shutil.copytree(DEFAULT, tmp_path / "catalogs")
    return tmp_path


def test_reading_an_error(gkml, guide_project):
    path = guide_project / "catalogs/341321/social-assistance.yaml"
    _edit(path, "    time_limit: 信息形成或者变更之日起20个工作日内", "    time_limit: 信息形成或者变更之日起30个工作日内")
    _edit(path, "    audience: 全社会", "    audience: 特定群众")
    _assert_shown(_quoted("errors.md", "catalogs/341321/social-assistance.yaml\n  17:17"), gkml(["validate"], cwd=guide_project))


def test_a_list_written_with_dun(gkml, guide_project):
    _edit(guide_project / "catalogs/341321/social-assistance.yaml",
          "    channels: [政府网站, 便民服务站, 社区/企事业单位/村公示栏(电子屏)]",
          "    channels: 政府网站、便民服务站、社区/企事业单位/村公示栏(电子屏)")
    _assert_shown(_quoted("yaml.md", "catalogs/341321/social-assistance.yaml\n  77:15"), gkml(["validate"], cwd=guide_project))


def test_clean_summary(gkml, guide_project):
    _assert_shown(_quoted("yaml.md", "共检查"), gkml(["validate"], cwd=guide_project))


def test_unregistered_region(gkml, guide_project):
    run = gkml(["init", "--region", "341323", "--area", "社会救助与社会福利"], cwd=guide_project)
    _assert_shown(_quoted("registry.md", "gkml: 地区代码 341323"), run)


def test_claiming_after_registering(gkml, guide_project):
    append_sections(guide_project, GUIDE_REGISTRY)
    _assert_shown(_quoted("init.md", "catalogs/registry/regions.yaml\n  16:5"), gkml(["validate"], cwd=guide_project))
    _assert_shown(_quoted("init.md", "已写入 catalogs/341323/compulsory-education.yaml"),
                  gkml(["init", "--region", "341323", "--area", "义务教育"], cwd=guide_project))
    _assert_shown(_quoted("init.md", "跳过"), gkml(["init", "--region", "341323", "--area", "义务教育"], cwd=guide_project))
    shutil.rmtree(guide_project / "catalogs/341323")
    _assert_shown(_quoted("init.md", "已写入 catalogs/341323/social-assistance.yaml"),
                  gkml(["init", "--region", "341323"], cwd=guide_project))
    _assert_shown(_quoted("init.md", "已写入 catalogs/341321104/"),
                  gkml(["init", "--region", "341321104", "--area", "社会救助与社会福利"], cwd=guide_project))
    # the registry page's second township (周寨镇, areas: [社会救助与社会福利]) claims its one area too
    assert gkml(["init", "--region", "341321105"], cwd=guide_project).code == 0
    assert gkml(["validate"], cwd=guide_project).code == 0   # the guide's townships require 社会救助 only


def test_claiming_with_units_missing(gkml, guide_project):
    append_sections(guide_project, ['# 加到 catalogs/registry/regions.yaml\n'
                            '  - {code: "341323", name: 灵璧县, level: county, parent: "341300"}\n'
                            '# 加到 catalogs/registry/units.yaml\n'
                            + "".join(f'  - name: 灵璧县{n}\n    region: "341323"\n    stems: [{s}]\n'
                                      for n, s in (("人民政府", "人民政府"), ("民政局", "民政"), ("财政局", "财政")))])
    run = gkml(["init", "--region", "341323", "--area", "公共资源交易"], cwd=guide_project)
    _assert_shown(_quoted("init.md", "已写入 catalogs/341323/public-resource-trading.yaml"), run)


def test_importing_a_workbook(gkml, guide_project):
    append_sections(guide_project, GUIDE_REGISTRY)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["灵璧县社会救助领域基层政务公开标准目录"])
    sheet.append(["序号", "公开事项", None, "公开内容(要素)", "公开依据", "公开时限", "公开主体", "公开渠道和载体",
                  "公开对象", None, "公开方式", None, "公开层级", None])
    sheet.append([None, "一级事项", "二级事项", None, None, None, None, None, "全社会", "特定群体", "主动", "依申请", "县级", "乡级"])
    for merged in ("A1:N1", "A2:A3", "D2:D3", "E2:E3", "F2:F3", "G2:G3", "H2:H3", "B2:C2", "I2:J2", "K2:L2", "M2:N2"):
        sheet.merge_cells(merged)
    sheet.append([1, "最低生活保障", "审核确认结果", "低保对象姓名(隐去部分信息)、家庭人口、保障金额、所在村(社区)",
                  "《社会救助暂行办法》(国务院令第649号)《最低生活保障审核确认办法》(民发〔2021〕57号)",
                  "审核确认之日起10个工作日内", "灵璧县民政局",
                  "■政府网站 ■便民服务站 ■社区/企事业单位/村公示栏(电子屏) □两微一端", "√", None, "√", None, "√", "√"])
    sheet.append([2, "临时救助", "办事指南", "受理部门、申请条件、办理流程、所需材料、办理时限",
                  "《社会救助暂行办法》(国务院令第649号)", "信息形成或者变更之日起20个工作日内", "灵璧县民政局",
                  "■政府网站 ■政务服务中心 ■便民服务站 □两微一端", "√", None, "√", None, "√", "√"])
    book.save(guide_project / "灵璧县社会救助目录.xlsx")
    run = gkml(["import", "灵璧县社会救助目录.xlsx"], cwd=guide_project)
    assert run.code == 1
    lines = _quoted("import.md", "灵璧县社会救助目录.xlsx Sheet1")
    lines = [line.replace("“2026.1”", f"“{today()[:4]}.1”") for line in lines]   # the guide ran in 2026
    _assert_shown(lines, run)
    _assert_shown(_quoted("import.md", "catalogs/341323/social-assistance.yaml\n  7:1"), run)
    written = (guide_project / "catalogs/341323/social-assistance.yaml").read_text("utf-8")
    example = next(f.group(1) for f in FENCE.finditer((GUIDE / "import.md").read_text("utf-8")) if "source:" in f.group(1))
    assert example.replace('"2026.1"', f'"{today()[:4]}.1"') in written
