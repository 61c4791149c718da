"""The loader: plain objects, a positions table, and every malformed input as a positioned finding."""
from __future__ import annotations

import pytest

from compiler import loader
from compiler.loader import locate, parse


def codes(raw: bytes) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in parse(raw, "x.yaml").diagnostics]


# --- values: the YAML 1.2 core schema, nothing more ----------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("a: yes", "yes"), ("a: no", "no"), ("a: on", "on"),          # YAML 1.1 booleans stay text
    ("a: true", True), ("a: False", False),
    ("a: ~", None), ("a:", None), ("a: null", None),
    ("a: 12", 12), ("a: -3", -3), ("a: 1.5", 1.5),
    ("a: 010101", "010101"), ("a: 0", 0),                          # codes with a leading zero stay text
    ("a: 2024-03-01", "2024-03-01"),                               # no dates
    ("a: '12'", "12"), ('a: "true"', "true"), ("a: !!str 12", "12"),
    ("a: 12:30", "12:30"), ("a: 1_000", "1_000"), ("a: .inf", ".inf"),
    ("a: 信息形成之日起20个工作日内", "信息形成之日起20个工作日内"),
])
def test_core_schema_values(text, value):
    parsed = parse(text.encode(), "x.yaml")
    assert parsed.diagnostics == []
    assert parsed.data == {"a": value} and type(parsed.data["a"]) is type(value)


def test_keys_are_text():
    assert parse(b"1: a\ntrue: b\n~: c\n", "x.yaml").data == {"1": "a", "true": "b", "": "c"}


# --- positions ----------------------------------------------------------------------------------

SAMPLE = """\
region: "341321"
items:
  - id: a-1
    matter: 最低生活保障
    channels: [政府网站, 两微一端]
    basis:
      - 《社会救助暂行办法》
  - id: a-2
"""


def test_positions_of_keys_and_values():
    parsed = parse(SAMPLE.encode(), "x.yaml")
    assert parsed.mark(("region",)) == (0, 8)
    assert parsed.mark(("region",), key=True) == (0, 0)
    assert parsed.mark(("items", 0)) == (2, 4)
    assert parsed.mark(("items", 0, "matter"), key=True) == (3, 4)
    assert parsed.mark(("items", 0, "channels", 1)) == (4, 21)   # columns count characters, not bytes
    assert parsed.mark(("items", 0, "basis", 0)) == (6, 8)
    assert parsed.mark(("items", 1, "id")) == (7, 8)


def test_a_missing_path_points_at_its_nearest_parent():
    parsed = parse(SAMPLE.encode(), "x.yaml")
    assert parsed.mark(("items", 1, "content")) == (7, 4)      # the item that lacks the key
    assert parsed.mark(("items", 0, "basis", 5)) == (6, 6)      # the list that is too short
    assert locate(parsed.positions, ("nothing", "here")) == (0, 0)
    assert locate({}, ("items",)) == (0, 0)


def test_bom_is_accepted_and_does_not_shift_columns():
    plain = parse(SAMPLE.encode(), "x.yaml")
    bom = parse(b"\xef\xbb\xbf" + SAMPLE.encode(), "x.yaml")
    assert bom.diagnostics == [] and bom.data == plain.data and bom.positions == plain.positions


def test_crlf_line_ends():
    parsed = parse(SAMPLE.replace("\n", "\r\n").encode(), "x.yaml")
    assert parsed.diagnostics == [] and parsed.mark(("items", 1, "id")) == (7, 8)


# --- malformed input ----------------------------------------------------------------------------

def test_gbk_names_the_encoding_and_the_first_bad_byte():
    (d,) = parse("region: x\narea: 社会救助\n".encode("gbk"), "x.yaml").diagnostics
    assert (d.code, d.line, d.column) == ("GK102", 2, 7)
    assert "GBK" in d.message() and "iconv" in d.hint() and "GBK" in d.message("en")


def test_utf16_is_named():
    (d,) = parse("a: 1\n".encode("utf-16"), "x.yaml").diagnostics
    assert d.code == "GK102" and "UTF-16" in d.message()


def test_binary_garbage_is_not_utf8():
    assert [c for c, *_ in codes(bytes(range(128, 256)))] == ["GK102"]


def test_size_limit_stops_before_parsing(monkeypatch):
    monkeypatch.setattr(loader, "MAX_BYTES", 100)
    assert codes(b"a: " + b"x" * 98) == [("GK101", 1, 1)]
    assert codes(b"a: " + b"x" * 97) == []


def test_duplicate_keys_name_the_first_line():
    parsed = parse(b"a: 1\nb: 2\na: 3\na: 4\n", "x.yaml")
    assert [(d.code, d.line, d.column, d.path) for d in parsed.diagnostics] == [("GK105", 3, 1, "/a"), ("GK105", 4, 1, "/a")]
    assert all("第 1 行" in d.message() for d in parsed.diagnostics)
    assert parsed.data == {"a": 1, "b": 2}  # the first value is kept, the rest are reported


def test_a_null_key_after_a_duplicate_is_not_a_duplicate():
    assert codes(b"a: 1\na: 2\n~: 3\n") == [("GK105", 2, 1)]


def test_duplicate_key_with_a_collection_value():
    parsed = parse(b"a: {x: 1}\na:\n  - 1\nb: 2\n", "x.yaml")
    assert [(d.code, d.line) for d in parsed.diagnostics] == [("GK105", 2)]
    assert parsed.data == {"a": {"x": 1}, "b": 2}


@pytest.mark.parametrize("raw, expected", [
    (b"a: 1\nb:\n\t- x\n", ("GK104", 3, 1)),
    (b"a:\n  b: 1\n\tc: 2\n", ("GK104", 3, 1)),
    (b"a: [1, 2\n", ("GK103", 2, 1)),
    (b"a: 'open\n", ("GK103", 1, 4)),
    (b"a: b: c\n", ("GK103", 1, 5)),
    (b"a: *nothing\n", ("GK103", 1, 4)),
    (b"a: \x00\n", ("GK103", 1, 4)),
    ("名称: 中文\x07\n".encode(), ("GK103", 1, 7)),
    (b"- 1\n", ("GK107", 1, 1)),
    (b"just text\n", ("GK107", 1, 1)),
    (b"", ("GK106", 1, 1)),
    (b"# only a comment\n", ("GK106", 1, 1)),
    (b"--- ~\n", ("GK106", 1, 1)),
    (b"a: 1\n---\nb: 2\n", ("GK110", 2, 1)),
    (b"a: !!python/name:os.system x\n", ("GK109", 1, 4)),
    (b"a: !!set {x}\n", ("GK109", 1, 4)),
    (b"a: !local x\n", ("GK109", 1, 4)),
    (b"? [a, b]\n: c\n", ("GK103", 1, 3)),
])
def test_malformed_input_is_one_positioned_finding(raw, expected):
    parsed = parse(raw, "x.yaml")
    assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == [expected]
    assert parsed.data is None


def test_tags_are_shown_as_written():
    (d,) = parse(b"a: !!python/object/apply:os.system [ls]\n", "x.yaml").diagnostics
    assert "!!python/object/apply:os.system" in d.message() and "tag:yaml.org" not in d.message()


def test_syntax_errors_are_explained_in_chinese():
    for raw in (b"a: [1, 2\n", b"a: b: c\n", b"a:\n  - 1\n b: 2\n", b"a: 'x\n", b"a: \"\\q\"\n", b"a: \x07\n"):
        (d,) = parse(raw, "x.yaml").diagnostics
        message = d.message()
        assert message.startswith("YAML 语法错误:") and any("\u4e00" <= c <= "\u9fff" for c in message[9:]), message
        assert d.message("en").startswith("YAML syntax error:")


def test_unclosed_quote_points_at_the_opening_quote():
    (d,) = parse(b"a: 1\nb: \"open\nc: 2\nd: 3\n", "x.yaml").diagnostics
    assert (d.code, d.line, d.column) == ("GK103", 2, 4) and "引号" in d.message()


def test_alias_bomb_is_stopped_quickly():
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    (d,) = parse("\n".join(lines).encode(), "x.yaml").diagnostics
    assert d.code == "GK108" and d.line == 6  # row f (10^6 nodes) is the first to cross the limit


def test_reasonable_aliases_are_expanded():
    parsed = parse(b"a: &web [x, y]\nb: *web\nc: &m {k: v}\nd: *m\n", "x.yaml")
    assert parsed.diagnostics == [] and parsed.data == {"a": ["x", "y"], "b": ["x", "y"], "c": {"k": "v"}, "d": {"k": "v"}}


def test_deep_nesting_is_stopped():
    (d,) = parse(b"a: " + b"[" * 200 + b"]" * 200, "x.yaml").diagnostics
    assert d.code == "GK108" and d.line == 1


def test_parse_never_raises_on_arbitrary_bytes():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.one_of(st.binary(max_size=200),
                     st.text(alphabet=st.sampled_from(list("ab:- []{}!&*?#|>'\"\t\n,~01中文")), max_size=80).map(str.encode)))
    def check(raw):
        parsed = parse(raw, "x.yaml")
        for d in parsed.diagnostics:
            assert d.line >= 1 and d.column >= 1 and d.message() and d.message("en")
        assert parsed.data is None or isinstance(parsed.data, dict)
        assert parsed.data is not None or parsed.diagnostics

    check()


def test_node_limit_counts_plain_values_too(monkeypatch):
    monkeypatch.setattr(loader, "MAX_NODES", 50)
    (d,) = parse(b"a: 1\nitems:\n" + b"  - x\n" * 60, "x.yaml").diagnostics
    assert (d.code, d.line, d.column) == ("GK108", 3, 3) and "50" in d.message()
    assert parse(b"items:\n" + b"  - x\n" * 40, "x.yaml").diagnostics == []


def test_a_number_that_changes_its_text_is_a_warning_at_the_value():
    """version: 2024.10 is the YAML float 2024.1: one GK112 at the value (1-based 2:10), the value as YAML says."""
    from compiler.loader import parse as load
    for text, value, warned in (("2024.10", 2024.1, True), ('"2024.10"', "2024.10", False), ("2024.1", 2024.1, False),
                                ("1.0", 1.0, False), (".5", 0.5, True), ("1e3", 1000.0, True),
                                ("2024", 2024, False), ("v2024.10", "v2024.10", False)):
        parsed = load(f"a: 1\nversion: {text}\n".encode(), "c.yaml")
        assert parsed.data["version"] == value, text
        found = [(d.code, d.line, d.column) for d in parsed.diagnostics]
        assert found == ([("GK112", 2, 10)] if warned else []), text


def test_equal_texts_of_a_file_are_one_object():
    """Repeated keys and values of a file are one object each (the model of a province repeats a few thousand texts)."""
    data = parse("items:\n- 承办单位: 县政府办公室\n  时限: 20个工作日\n- 承办单位: 县政府办公室\n  时限: 20个工作日\n"
                 .encode("utf-8"), "a.yaml").data
    first, second = data["items"]
    assert first == second
    assert all(a is b for a, b in zip(first, second))                    # the keys
    assert all(first[k] is second[k] for k in first)                      # the values


@pytest.mark.parametrize("text, value, warned", [
    ("!!float 2024.10", 2024.1, True), ("!!float 2024.1", 2024.1, False), ("!!float 3", 3.0, True),
    ("!!int 12", 12, False), ("!!int 010", 10, True), ('!!int "12"', 12, False),
    ("!!bool true", True, False), ("!!null ~", None, False), ("!!str 2024.10", "2024.10", False),
])
def test_an_explicitly_tagged_scalar_keeps_its_tags_type(text, value, warned):
    """!!float 2024.10 is the number 2024.1 as the unquoted 2024.10 is, with the same GK112 at the value."""
    parsed = parse(f"a: 1\nversion: {text}\n".encode(), "c.yaml")
    assert parsed.data["version"] == value and type(parsed.data["version"]) is type(value), text
    assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == ([("GK112", 2, 10)] if warned else []), text


@pytest.mark.parametrize("text", ["!!int abc", "!!float 1.2.3", "!!bool yes", "!!null x", "!!map x", "!!float .inf"])
def test_a_value_its_tag_cannot_hold_is_one_positioned_error(text):
    parsed = parse(f"a: 1\nversion: {text}\n".encode(), "c.yaml")
    (d,) = parsed.diagnostics
    assert (d.code, d.line, d.column) == ("GK103", 2, 10) and parsed.data is None
    assert text.split()[0] in d.message() and "删除标签" in d.message() and "remove the tag" in d.message("en")
