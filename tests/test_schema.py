"""The shipped JSON Schemas as editors and the checker read them (issue 17 defects 3 and 19)."""
from __future__ import annotations

import json
import re

import jsonschema
import pytest

from compiler import loader, normalize, resources, schema, vocabulary

VOCABULARIES = ("channel", "audience", "method", "level")


def _resolve(kind: str, node: dict) -> dict:
    if "$ref" in node:
        target = resources.schema(kind)
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def offered(kind: str, node: dict) -> set:
    """What an editor's completion offers for a value: enum, const, default and examples, through
    $ref, anyOf, oneOf and allOf (yaml-language-server's sources of value completions)."""
    node = _resolve(kind, node)
    found = set(node.get("enum", ())) | set(node.get("examples", ()))
    for key in ("const", "default"):
        if key in node:
            found.add(node[key])
    for key in ("anyOf", "oneOf", "allOf"):
        for sub in node.get(key, ()):
            found |= offered(kind, sub)
    return found


def _vocab_node(name: str) -> dict:
    return resources.schema("catalog")["$defs"][name]


@pytest.mark.parametrize("name", VOCABULARIES)
def test_completion_offers_canonical_values_only(name):
    vocab = vocabulary.get(name)
    assert offered("catalog", _vocab_node(name)) == set(vocab.canonical), name


@pytest.mark.parametrize("name", VOCABULARIES)
def test_synonyms_stay_accepted_and_are_described_as_aliases(name):
    vocab = vocabulary.get(name)
    node = {"$defs": resources.schema("catalog")["$defs"], **_vocab_node(name)}
    fast, slow = schema.jsonschema_rs.validator_for(node), jsonschema.Draft202012Validator(node)
    assert vocab.synonyms, name
    for synonym, canonical in vocab.synonyms.items():
        assert fast.is_valid(synonym) and slow.is_valid(synonym), synonym
        described = [d for d in _descriptions(_vocab_node(name)) if synonym in d]
        assert any("别称" in d and canonical in d for d in described), (synonym, described)
    for wrong in ("主动的", "特定", "政府网站x", ""):
        assert not fast.is_valid(wrong) and not slow.is_valid(wrong), wrong


def _descriptions(node: dict) -> list[str]:
    found = [node.get("description", ""), *node.get("enumDescriptions", ())]
    for sub in node.get("anyOf", ()):
        found += _descriptions(sub)
    return found


@pytest.mark.parametrize("name", VOCABULARIES)
def test_each_canonical_value_lists_its_aliases_in_completion(name):
    vocab = vocabulary.get(name)
    node = _vocab_node(name)
    branch = node if "enum" in node else next(s for s in node["anyOf"] if "enum" in s)
    described = dict(zip(branch["enum"], branch["enumDescriptions"], strict=True))
    for synonym, canonical in vocab.synonyms.items():
        assert synonym in described[canonical], (synonym, canonical)


def test_a_synonym_still_warns(gkml, tmp_path):
    from test_validate_cases import CASES
    text = (CASES / "companion.yaml").read_text("utf-8").replace("method: 主动", "method: 依申请公开")
    (tmp_path / "c.yaml").write_text(text.replace("- 社会救助暂行办法", "- 《社会救助暂行办法》"), "utf-8")
    run = gkml(["validate", "--format", "json", "--no-cache", "."], cwd=tmp_path)
    assert [d["code"] for d in run.json["diagnostics"]] == ["GK301"]


# --- blank text (defect 3) ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["catalog", "registry"])
def test_nonblank_pattern_is_the_one_normalize_defines(kind):
    assert resources.schema(kind)["$defs"]["nonblank"]["pattern"] == normalize.nonblank_pattern()


def test_both_validators_and_normalize_agree_on_every_character():
    pattern = {"pattern": normalize.nonblank_pattern()}
    fast, slow = schema.jsonschema_rs.validator_for(pattern), re.compile(pattern["pattern"])
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        visible = not normalize.is_blank(char)
        assert (slow.search(char) is not None) == visible == fast.is_valid(char), hex(code)
    for char in " \t\r\n\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff\u202e\u2066\u00ad\u3164":
        assert normalize.is_blank(char * 3), hex(ord(char))
    assert not normalize.is_blank("\u3000低保 ")


@pytest.mark.parametrize("kind", ["catalog", "registry"])
def test_every_required_text_must_be_visible(kind):
    """Each string that may not be empty (minLength) must also not be blank ($defs/nonblank)."""
    def walk(node, path):
        if isinstance(node, dict):
            types = node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]
            if "string" in types and node.get("minLength") and "pattern" not in node and "enum" not in node:
                assert node.get("$ref") == "#/$defs/nonblank", path
            for key, value in node.items():
                walk(value, path + (key,))
        elif isinstance(node, list):
            for n, value in enumerate(node):
                walk(value, path + (n,))
    walk(resources.schema(kind), ())


@pytest.mark.parametrize("fast", [True, False], ids=["jsonschema-rs", "jsonschema"])
def test_dates_are_calendar_days_with_either_validator(fast, monkeypatch):
    if not fast:
        monkeypatch.setattr(schema, "_fast", lambda kind: None)
    head = 'region: "341321"\nlevel: county\narea: 社会救助\ndepartment: 砀山县民政局\nversion: "1"\nitems: []\n'
    for value, bad in (("2024-02-29", False), ("2023-02-29", True), ("2024-13-45", True), ("2024-04-31", True)):
        parsed = loader.parse(f'{head}effective: "{value}"\n'.encode(), "x.yaml")
        found = schema.validate(parsed, "catalog")
        assert [(d.code, d.line, d.column) for d in found] == ([("GK205", 7, 12)] if bad else []), value
        if bad:
            assert "不是真实的日期" in found[0].hint() and "not a real calendar date" in found[0].hint("en")


def test_a_blank_element_is_one_finding_not_a_cascade(gkml, project):
    """Blank matters are not duplicates of each other (GK501), a blank unit is not an unregistered
    one (GK404), a blank requirement is not an unknown one (GK701): each is one GK206."""
    from test_rules_support import line_of, set_key
    path = project / "catalogs/341321/social-assistance.yaml"
    for item_id in ("341321-sa-003", "341321-sa-004"):
        set_key(path, item_id, "matter", '"\\u3000"')
    set_key(path, "341321-sa-003", "responsible_unit", '"\\u200b"')
    set_key(path, "341321-sa-004", "requirements", '["\\u202e"]')
    run = gkml(["validate", "--format", "json", "--no-cache"], cwd=project)
    found = sorted((d["code"], d["line"]) for d in run.json["diagnostics"])
    assert found == sorted([("GK206", line_of(path, "341321-sa-003", "matter")),
                            ("GK206", line_of(path, "341321-sa-004", "matter")),
                            ("GK206", line_of(path, "341321-sa-003", "responsible_unit")),
                            ("GK206", line_of(path, "341321-sa-004", "requirements"))]), found


@pytest.mark.parametrize("value, expected", [
    ("政府网站、两微一端、政务服务中心", ["政府网站", "两微一端", "政务服务中心"]),
    ("其他:政务新媒体、行政服务中心", ["其他:政务新媒体", "政务服务中心"]),   # quoted; synonym made canonical
    ("政府网站, #x; a: b", ["政府网站", "#x", "a: b"]),
])
def test_the_list_hint_loads_back_as_the_list_meant(value, expected):
    """The GK203 hint's list is YAML that loads as the values the text meant (defect 11)."""
    head = 'region: "341321"\nlevel: county\narea: 社会救助\ndepartment: 砀山县民政局\nversion: "1"\nitems:\n  - id: a-1\n'
    parsed = loader.parse(f"{head}    channels: {json.dumps(value, ensure_ascii=False)}\n".encode(), "x.yaml")
    [hint] = [d.hint() for d in schema.validate(parsed, "catalog") if d.code == "GK203"]
    listed = hint.split("channels: ", 1)[1].rsplit(",或每行", 1)[0]
    back = loader.parse(f"channels: {listed}\n".encode(), "y.yaml")
    assert back.diagnostics == [] and back.data == {"channels": expected}, listed


@pytest.mark.parametrize("value, words", [
    ('"2024/03/01"', "日期写作 YYYY-MM-DD"),       # the wrong shape: the pattern's fix, not the calendar's
    ("2024/03/01", "日期写作 YYYY-MM-DD"),
    ('"2024-13-01"', "不是真实的日期"),            # the right shape, no such day: the calendar's fix
])
def test_a_malformed_date_is_one_finding(value, words):
    """A date failing both the pattern and the calendar format is one GK205, not two at one place."""
    head = 'region: "341321"\nlevel: county\narea: 社会救助与社会福利\ndepartment: 砀山县民政局\nversion: "1"\nitems: []\n'
    parsed = loader.parse((head + f"effective: {value}\n").encode(), "c.yaml")
    found = [d for d in schema.validate(parsed, "catalog") if d.code == "GK205"]
    assert len(found) == 1 and (found[0].line, found[0].path) == (7, "/effective")
    assert words in found[0].hint()


def test_the_fallback_finding_speaks_chinese_and_english_apart(monkeypatch):
    """GK207 (a schema keyword without a tailored message) names the rule in Chinese; English only with en."""
    strict = {"type": "object", "properties": {"content": {"type": "string", "maxLength": 4},
                                               "levels": {"type": "array", "uniqueItems": True},
                                               "kind": {"const": "目录"}}}
    monkeypatch.setattr(schema, "_fast", lambda kind: None)
    monkeypatch.setattr(schema, "_slow", lambda kind: jsonschema.Draft202012Validator(strict))
    parsed = loader.parse("content: 低保对象名单和保障金额\nlevels: [县级, 县级]\nkind: x\n".encode(), "x.yaml")
    found = {d.path: d for d in schema.validate(parsed, "catalog")}
    assert found["/content"].message() == "“content”不符合格式要求:最多 4 个字符"
    assert found["/levels"].message() == "“levels”不符合格式要求:列表中的值不能重复"
    assert found["/kind"].message() == "“kind”不符合格式要求:只能是 目录"
    for d in found.values():
        assert d.code == "GK207" and not re.search(r"[A-Za-z]{4}", d.message().replace(d.path[1:], ""))
        assert re.search(r"is (too long|not|has non-unique)|was expected|non-unique", d.message("en")), d.message("en")


def test_a_rule_of_the_schema_in_its_own_words_per_language(tmp_path, gkml):
    """x-gkml-message (areas beside items): Chinese in Chinese, English with --lang en (was Chinese in both)."""
    head = 'region: "341321"\nlevel: township\ndepartment: 砀山县民政局\nversion: "1"\nitems: []\nareas: []\n'
    (tmp_path / "x.yaml").write_text(head, "utf-8")
    zh = [d["message"] for d in gkml(["validate", "--format", "json", "x.yaml"], cwd=tmp_path).json["diagnostics"]
          if d["code"] == "GK207"]
    en = [d["message"] for d in gkml(["validate", "--format", "json", "--lang", "en", "x.yaml"], cwd=tmp_path).json["diagnostics"]
          if d["code"] == "GK207"]
    assert zh and "写了 areas" in zh[0]
    assert en and en[0].startswith("'items' does not satisfy the schema: a file with areas:") and not re.search("[一-鿿]", en[0])


def test_a_number_where_text_is_wanted_is_told_to_quote_it():
    """An unquoted 18-digit credit code is an integer to YAML: GK203's fix quotes it as written."""
    parsed = loader.parse('units:\n  - {name: 萧县民政局, region: "341322", code: 113417030032499282}\n'.encode(), "units.yaml")
    (found,) = schema.validate(parsed, "registry")
    assert (found.code, found.path) == ("GK203", "/units/0/code")
    assert found.hint() == '加引号写成文字:code: "113417030032499282"。'
    assert found.hint("en") == 'quote it as text: code: "113417030032499282".'
