"""Folding for comparison (issue 17 defect 18): width, traditional characters; list splitting."""
from __future__ import annotations

import codecs

import opencc  # the `test` extra: the reference compiler/simplified.py is generated from
import pytest

from compiler import normalize, schema, simplified, vocabulary


def test_traditional_table_is_opencc_character_by_character():
    """compiler/simplified.py is OpenCC's t2s, one character at a time (regenerate it if this fails)."""
    convert = opencc.OpenCC("t2s").convert
    table = dict(zip(simplified.TRADITIONAL, simplified.SIMPLIFIED, strict=True))
    ranges = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF)]
    chars = [chr(c) for low, high in ranges for c in range(low, high + 1)]
    converted = convert("\n".join(chars)).split("\n")
    expected = {a: b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}
    assert table == expected


def test_the_gb2312_shortcut_misses_no_traditional_character():
    """fold() translates only text outside GB 2312 or with one of its listed characters."""
    encode = codecs.getencoder("gb2312")
    inside = set()
    for char in simplified.TRADITIONAL:
        try:
            encode(char)
            inside.add(char)
        except UnicodeEncodeError:
            pass
    assert all(normalize.fold(char) != char for char in inside)
    assert inside == set(normalize.TRADITIONAL_IN_GB2312)


@pytest.mark.parametrize("written, folded", [
    ("保障標準", "保障标准"), ("主動", "主动"), ("依申請公開", "依申请公开"), ("（後續）", "(后续)"),
    ("社區/企事業單位/村公示欄（電子屏）", "社区/企事业单位/村公示栏(电子屏)"), ("最低生活保障", "最低生活保障"),
])
def test_fold(written, folded):
    assert normalize.fold(written) == folded
    assert normalize.plain(written) == normalize.plain(folded)


@pytest.mark.parametrize("value, name, suggestion", [
    ("主動", "method", "主动"), ("依申請", "method", "依申请"), ("依申請公開", "method", "依申请公开"),
    ("特定群體", "audience", "特定群体"), ("政府網站", "channel", "政府网站"), ("縣級", "level", "县级"),
])
def test_vocabulary_suggestion_folds_first(value, name, suggestion):
    vocab = vocabulary.get(name)
    assert schema.suggest(value, [*vocab.canonical, *vocab.synonyms]) == suggestion


def test_traditional_method_is_rejected_with_the_simplified_suggestion(gkml, tmp_path):
    from test_validate_cases import CASES
    text = (CASES / "companion.yaml").read_text("utf-8").replace("method: 主动", "method: 主動")
    (tmp_path / "c.yaml").write_text(text, "utf-8")
    run = gkml(["validate", "--format", "json", "--no-cache", "."], cwd=tmp_path)
    [finding] = [d for d in run.json["diagnostics"] if d["code"] == "GK204"]
    assert "是不是“主动”" in finding["message"], finding["message"]


@pytest.mark.parametrize("text, parts", [
    ("政府网站、两微一端、政务服务中心", ["政府网站", "两微一端", "政务服务中心"]),
    ("政府网站,两微一端;政务服务中心|精准推送", ["政府网站", "两微一端", "政务服务中心", "精准推送"]),
    ("政府网站,\u3000两微一端;; ", ["政府网站", "两微一端"]),
    ("《关于A、B的通知》(国办发〔2019〕1号,第二条)、《C》", ["《关于A、B的通知》(国办发〔2019〕1号,第二条)", "《C》"]),
    ("政府网站", ["政府网站"]),
])
def test_split_list(text, parts):
    assert normalize.split_list(text) == parts
