"""统一社会信用代码 (GB 32100-2015) of registry units, the 索引号's organisation part (issue 20 item 5)."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.credit_codes import CHARACTERS, check_character, problem

# the example most descriptions of GB 32100 give, and a code a public page prints in a 索引号 (113417030032499282/202011-00140)
VALID = ("91350100M000100Y43", "113417030032499282")


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    assert problem(code) is None
    assert check_character(code[:17]) == code[17]


def test_every_single_mistyped_character_is_caught():
    """31 is prime and no weight is 0 mod 31: any one substitution breaks the 校验码 (or the character set)."""
    for code in VALID:
        for n in range(18):
            for ch in CHARACTERS:
                if ch != code[n]:
                    assert problem(code[:n] + ch + code[n + 1:]) is not None, (code, n, ch)


@pytest.mark.parametrize("code, position, words", [
    ("91350100M000100Y44", 18, "按前 17 位计算应为“3”"),
    ("91350100M000100Y4", 0, "长度为 17 位"),
    ("91350100M000100Y433", 0, "长度为 19 位"),
    ("", 0, "长度为 0 位"),
    ("91350100m000100Y43", 9, "小写字母"),
    ("91350100M0001OOY43", 14, "多半是数字 0 之误"),
    ("９1350100M000100Y43", 1, "不使用的字符"),     # a full-width digit is not silently folded
    ("913501A0M000100Y43", 7, "行政区划码"),
])
def test_each_problem_is_named_with_its_position(code, position, words):
    found = problem(code)
    assert found is not None and found.position == position and words in found.zh and found.en


def test_a_wrong_code_stops_the_build_and_a_right_one_reaches_the_index_number(project, tmp_path):
    units = project / "catalogs/registry/units.yaml"
    text = units.read_text("utf-8")
    units.write_text(text.replace("  - name: 砀山县民政局\n", "  - name: 砀山县民政局\n    code: \"11341321003187229X\"\n", 1), "utf-8")
    result = CliRunner().invoke(main, ["build", "--no-cache", str(project / "catalogs"), "--out", str(tmp_path / "bad")])
    assert result.exit_code == 1 and "GK414" in result.output and "按前 17 位计算应为“Q”" in result.output
    assert not (tmp_path / "bad" / "site").exists()
    units.write_text(text.replace("  - name: 砀山县民政局\n", "  - name: 砀山县民政局\n    code: \"11341321003187229Q\"\n", 1), "utf-8")
    result = CliRunner().invoke(main, ["build", "--no-cache", str(project / "catalogs"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out/data/341321/social-assistance.json").read_text("utf-8"))["catalog"]
    assert data["metadata"]["index_number"] == f"11341321003187229Q/{data['effective'][:4]}-00001"
    other = json.loads((tmp_path / "out/data/341322/social-assistance.json").read_text("utf-8"))["catalog"]
    assert other["metadata"]["index_number"] == f"{other['effective'][:4]}-00001"   # no code: year-serial only


def test_a_catalog_naming_its_unit_by_an_alias_gets_the_code(project, tmp_path):
    """The 编制单位 may be written as an alias (砀山县教体局): the registry's code still starts its 索引号."""
    units = project / "catalogs/registry/units.yaml"
    units.write_text(units.read_text("utf-8").replace("  - name: 砀山县教育体育局\n", "  - name: 砀山县教育体育局\n    code: \"11341321003187229Q\"\n", 1), "utf-8")
    catalog = project / "catalogs/341321/compulsory-education.yaml"
    text = catalog.read_text("utf-8")
    assert "department: 砀山县教育体育局\n" in text
    catalog.write_text(text.replace("department: 砀山县教育体育局\n", "department: 砀山县教体局\n", 1), "utf-8")
    result = CliRunner().invoke(main, ["build", "--no-cache", str(project / "catalogs"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out/data/341321/compulsory-education.json").read_text("utf-8"))["catalog"]
    assert data["metadata"]["index_number"] == f"11341321003187229Q/{data['effective'][:4]}-00001"
