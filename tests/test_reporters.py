"""Every output format: its shape, its escaping, --output, and the exit codes CI reads."""
from __future__ import annotations

import json
import os
import re
import stat
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from compiler.diagnostics import make, related
from compiler.reporters import REPORTERS, Report

CASES = Path(__file__).resolve().parent / "cases"
FORMATS = sorted(REPORTERS)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GKML_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def mixed(tmp_path) -> Path:
    """A folder with errors, warnings and a cross-file finding (with a related location)."""
    folder = tmp_path / "mixed"
    shutil.copytree(CASES / "invalid" / "item-rules", folder)
    shutil.copytree(CASES / "invalid" / "duplicate-ids", folder / "ids")
    return folder


@pytest.fixture
def warnings_only(tmp_path) -> Path:
    folder = tmp_path / "warn"
    folder.mkdir()
    shutil.copy(CASES / "companion.yaml", folder / "catalog.yaml")
    return folder


@pytest.fixture
def clean(tmp_path) -> Path:
    folder = tmp_path / "clean"
    folder.mkdir()
    shutil.copy(CASES / "valid" / "minimal.yaml", folder / "catalog.yaml")
    return folder


def test_every_issue_format_is_offered():
    assert set(FORMATS) == {"text", "json", "github", "sarif", "junit"}


# --- exit codes, in every format ------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_exit_codes(fmt, mixed, warnings_only, clean, tmp_path, gkml):
    assert gkml(["validate", "--format", fmt, "."], cwd=clean).code == 0
    assert gkml(["validate", "--format", fmt, "."], cwd=mixed).code == 1
    assert gkml(["validate", "--format", fmt, "."], cwd=warnings_only).code == 0
    assert gkml(["validate", "--format", fmt, "--strict", "."], cwd=warnings_only).code == 1
    assert gkml(["validate", "--format", fmt, "--strict", "."], cwd=clean).code == 0
    missing = gkml(["validate", "--format", fmt, "no-such-folder"], cwd=tmp_path)
    assert missing.code == 2 and "no-such-folder" in missing.err and "Traceback" not in missing.err
    assert gkml(["validate", "--format", fmt, "--no-such-option", "."], cwd=clean).code == 2
    assert gkml(["validate", "--format", fmt, "--lang", "fr", "."], cwd=clean).code == 2


def test_unknown_format_is_a_usage_error(clean, gkml):
    run = gkml(["validate", "--format", "xml", "."], cwd=clean)
    assert run.code == 2 and "xml" in run.err


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_file_holds_exactly_the_report(fmt, mixed, tmp_path, gkml):
    shown = gkml(["validate", "--format", fmt, "."], cwd=mixed)
    target = tmp_path / "reports" / f"gkml.{fmt}"
    written = gkml(["validate", "--format", fmt, "--output", str(target), "."], cwd=mixed)
    assert written.code == shown.code == 1
    assert written.out == ""
    assert target.read_text("utf-8") == shown.out
    assert not [p for p in target.parent.iterdir() if p.name != target.name]  # no temporary left behind


def test_output_never_replaces_an_input(mixed, gkml):
    # --output pointing at a catalog would overwrite what the user wrote
    before = (mixed / "catalog.yaml").read_bytes()
    run = gkml(["validate", "--format", "json", "--output", "catalog.yaml", "."], cwd=mixed)
    assert run.code == 2 and "catalog.yaml" in run.err
    assert (mixed / "catalog.yaml").read_bytes() == before


def test_output_file_is_readable_like_any_new_file(mixed, tmp_path, gkml):
    # a report that only its writer can read breaks CI steps and web servers running as another user
    mask = os.umask(0o022)
    try:
        gkml(["validate", "--format", "sarif", "--output", str(tmp_path / "r.sarif"), "."], cwd=mixed)
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "r.sarif").stat().st_mode) == 0o644


# --- json ---------------------------------------------------------------------------------------

def test_json_shape(mixed, gkml):
    run = gkml(["validate", "--format", "json", "."], cwd=mixed)
    doc = run.json
    assert doc["version"] == 1
    assert {"files", "catalogs", "items", "errors", "warnings"} <= set(doc["summary"])
    assert doc["summary"]["errors"] == sum(d["severity"] == "error" for d in doc["diagnostics"]) > 0
    assert doc["summary"]["warnings"] == sum(d["severity"] == "warning" for d in doc["diagnostics"]) > 0
    keys = {"code", "severity", "file", "line", "column", "path", "item", "message", "hint"}
    for d in doc["diagnostics"]:
        assert keys <= set(d)
        assert isinstance(d["line"], int) and isinstance(d["column"], int) and d["line"] >= 1
        assert d["path"] == "" or d["path"].startswith("/")
    assert any(d["related"] for d in doc["diagnostics"])
    assert CJK.search(run.out) and "\\u" not in run.out  # UTF-8, not escaped
    order = [(d["file"], d["line"], d["column"], d["code"]) for d in doc["diagnostics"]]
    assert order == sorted(order)


def test_json_same_shape_for_a_clean_run(clean, gkml):
    doc = gkml(["validate", "--format", "json", "."], cwd=clean).json
    assert doc["diagnostics"] == [] and doc["version"] == 1 and doc["summary"]["errors"] == 0


def test_json_in_english(mixed, gkml):
    doc = gkml(["validate", "--format", "json", "--lang", "en", "."], cwd=mixed).json
    for d in doc["diagnostics"]:
        assert re.search(r"[A-Za-z]{3}", d["message"]) and re.search(r"[A-Za-z]{3}", d["hint"])
    missing = next(d for d in doc["diagnostics"] if d["code"] == "GK307")
    assert missing["message"] == "items of a standard catalog must state their levels"


# --- github -------------------------------------------------------------------------------------

def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


ANNOTATION = re.compile(r"::(error|warning) file=([^,]*),line=(\d+),col=(\d+),title=([^:]*)::(.*)")


def test_github_annotations_are_escaped():
    tricky = make("GK103", "目录,a:b%.yaml", (2, 4), problem="100% 不对,\n第二行: 有冒号", problem_en="x")
    warn = make("GK301", "ok.yaml", (0, 0), ("items", 0, "audience"), "id-1", value="特定群众", canonical="特定群体",
                title="公开对象", title_en="audience",
                related=[related("other.yaml", (4, 2), ("items", 3), "id-2", "首次出现", "first use")])
    out = REPORTERS["github"]().render(Report((tricky, warn), 2, 2, 2))
    lines = out.rstrip("\n").split("\n")
    assert len(lines) == 3  # two annotations (each on one line) and the summary
    kind, file, line, col, title, body = ANNOTATION.fullmatch(lines[0]).groups()
    assert (kind, _unescape(file), line, col, title) == ("error", "目录,a:b%.yaml", "3", "5", "GK103")
    assert "," not in file and ":" not in file and "\n" not in body and "\r" not in body
    assert "100% 不对,\n第二行: 有冒号" in _unescape(body)
    assert re.search(r"%(?![0-9A-F]{2})", body) is None  # every % is an escape
    kind, file, *_, body = ANNOTATION.fullmatch(lines[1]).groups()
    assert kind == "warning" and "other.yaml:5:3" in _unescape(body)


def test_github_from_the_command_line(mixed, gkml):
    run = gkml(["validate", "--format", "github", "."], cwd=mixed)
    annotations = [line for line in run.out.splitlines() if line.startswith("::")]
    doc = gkml(["validate", "--format", "json", "."], cwd=mixed).json
    assert len(annotations) == len(doc["diagnostics"])
    assert all(ANNOTATION.fullmatch(a) for a in annotations)


# --- sarif --------------------------------------------------------------------------------------

# The parts of the SARIF 2.1.0 schema (OASIS) that code-scanning uploads depend on.
SARIF_MINIMAL = {
    "type": "object", "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"}, "$schema": {"type": "string", "pattern": "sarif"},
        "runs": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                                   "rules": {"type": "array", "items": {
                                       "type": "object", "required": ["id"],
                                       "properties": {"id": {"type": "string"},
                                                      "shortDescription": {"$ref": "#/$defs/message"},
                                                      "help": {"$ref": "#/$defs/message"},
                                                      "defaultConfiguration": {"type": "object", "properties": {
                                                          "level": {"$ref": "#/$defs/level"}}}}}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message"],
                    "properties": {"ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": 0},
                                   "level": {"$ref": "#/$defs/level"}, "message": {"$ref": "#/$defs/message"},
                                   "locations": {"type": "array", "items": {"$ref": "#/$defs/location"}},
                                   "relatedLocations": {"type": "array", "items": {
                                       "allOf": [{"$ref": "#/$defs/location"}, {"required": ["id"]}]}}}}}}}},
    },
    "$defs": {
        "level": {"enum": ["none", "note", "warning", "error"]},
        "message": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}},
        "location": {"type": "object", "properties": {
            "id": {"type": "integer", "minimum": 0},
            "message": {"$ref": "#/$defs/message"},
            "physicalLocation": {"type": "object", "required": ["artifactLocation"], "properties": {
                "artifactLocation": {"type": "object", "required": ["uri"], "properties": {"uri": {"type": "string"}}},
                "region": {"type": "object", "properties": {"startLine": {"type": "integer", "minimum": 1},
                                                            "startColumn": {"type": "integer", "minimum": 1}}}}}}},
    },
}


def test_sarif_structure(mixed, gkml):
    run = gkml(["validate", "--format", "sarif", "."], cwd=mixed)
    doc = json.loads(run.out)
    jsonschema.Draft202012Validator(SARIF_MINIMAL).validate(doc)
    (only,) = doc["runs"]
    rules = only["tool"]["driver"]["rules"]
    results = only["results"]
    assert len(results) == len(gkml(["validate", "--format", "json", "."], cwd=mixed).json["diagnostics"])
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri  # relative, so code scanning maps it to the repo
    assert {r["id"] for r in rules} == {r["ruleId"] for r in results}
    assert any("relatedLocations" in r for r in results)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sarif_rules_carry_real_descriptions(lang, mixed, gkml):
    """Issue 17 defect 9: help.text showed unfilled templates ({fix}, {key} …), shortDescription the slug."""
    for case in ("did-you-mean", "vocabulary", "wrong-types"):
        shutil.copytree(CASES / "invalid" / case, mixed / case)
    doc = json.loads(gkml(["validate", "--format", "sarif", "--lang", lang, "."], cwd=mixed).out)
    jsonschema.Draft202012Validator(SARIF_MINIMAL).validate(doc)
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert {"GK202", "GK203", "GK204", "GK301"} <= {r["id"] for r in rules}
    for rule in rules:
        texts = [rule["shortDescription"]["text"], rule["fullDescription"]["text"], rule["help"]["text"]]
        assert rule["shortDescription"]["text"] != rule["name"]
        assert not any(re.search(r"\{[a-z_]*\}", text) for text in texts), (rule["id"], texts)
        assert all(CJK.search(text) for text in texts) if lang == "zh" else all(re.search(r"[A-Za-z]{3}", t) for t in texts)


def test_sarif_clean_run_is_valid(clean, gkml):
    doc = json.loads(gkml(["validate", "--format", "sarif", "."], cwd=clean).out)
    jsonschema.Draft202012Validator(SARIF_MINIMAL).validate(doc)
    assert doc["runs"][0]["results"] == []


# --- junit --------------------------------------------------------------------------------------

def test_junit_counts_failing_files(mixed, warnings_only, gkml):
    doc = gkml(["validate", "--format", "json", "."], cwd=mixed).json
    failing_files = {d["file"] for d in doc["diagnostics"] if d["severity"] == "error"}
    root = ET.fromstring(gkml(["validate", "--format", "junit", "."], cwd=mixed).out.encode("utf-8"))
    suite = root.find("testsuite")
    assert int(root.get("failures")) == int(suite.get("failures")) == len(failing_files)
    assert int(suite.get("tests")) == len(suite.findall("testcase"))
    failed = {case.get("name") for case in suite.findall("testcase") if case.find("failure") is not None}
    assert failed == failing_files
    # warnings alone do not fail a test case, unless --strict
    plain = ET.fromstring(gkml(["validate", "--format", "junit", "."], cwd=warnings_only).out.encode("utf-8"))
    strict = ET.fromstring(gkml(["validate", "--format", "junit", "--strict", "."], cwd=warnings_only).out.encode("utf-8"))
    assert plain.get("failures") == "0" and strict.get("failures") == "1"


def test_junit_survives_control_characters(tmp_path, gkml):
    # a YAML "\x07" escape puts a character in a value that XML 1.0 cannot carry
    (tmp_path / "c.yaml").write_text(CASES.joinpath("valid", "minimal.yaml").read_text("utf-8")
                                     .replace("audience: 全社会", 'audience: "全\\x07社会"'), "utf-8")
    run = gkml(["validate", "--format", "junit", "."], cwd=tmp_path)
    assert run.code == 1
    failure = ET.fromstring(run.out.encode("utf-8")).find("testsuite/testcase/failure")
    assert failure.get("type") == "GK204" and "全\ufffd社会" in failure.get("message")


def test_junit_escapes_markup():
    nasty = make("GK103", 'a<&>"b.yaml', (0, 0), problem="<tag> & \"quote\"", problem_en="x")
    root = ET.fromstring(REPORTERS["junit"]().render(Report((nasty,), 1, 0, 0)).encode("utf-8"))
    case = root.find("testsuite/testcase")
    assert case.get("name") == 'a<&>"b.yaml' and "<tag> & \"quote\"" in case.find("failure").text


# --- text ---------------------------------------------------------------------------------------

def test_text_groups_by_file_with_a_summary(mixed, gkml):
    run = gkml(["validate", "."], cwd=mixed)
    doc = gkml(["validate", "--format", "json", "."], cwd=mixed).json
    files = sorted({d["file"] for d in doc["diagnostics"]})
    headers = [line for line in run.out.splitlines() if line in files]
    assert headers == files  # each file once, in order
    summary = doc["summary"]
    assert f"{summary['errors']} 个错误,{summary['warnings']} 个警告" in run.out.splitlines()[-1]
    assert "修改建议" in run.out
    english = gkml(["validate", "--lang", "en", "."], cwd=mixed)
    assert english.out.splitlines()[-1].startswith("checked ") and not CJK.search(english.out.splitlines()[-1])


# --- values cannot rewrite the reader's terminal (issue 17 defect 14) ------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
HOSTILE = "全社会\x1b]0;pwned\x07\u202e\r\nfake.yaml:1:1  错误 GK000\x00"


def test_text_and_github_show_control_characters_escaped(tmp_path, gkml):
    """A catalog value with CR LF, NUL, an OSC sequence and U+202E reaches the report escaped."""
    text = (CASES / "valid" / "minimal.yaml").read_text("utf-8")
    text, found = re.subn(r"audience: .*", 'audience: "全社会\\\\e]0;pwned\\\\a\\\\u202e\\\\r\\\\nfake: line\\\\0"', text)
    assert found
    (tmp_path / "catalog.yaml").write_text(text, "utf-8")
    out = gkml(["validate", "."], cwd=tmp_path).out
    assert r"\x1b]0;pwned\x07\u202e\r\nfake: line\x00" in out
    github = gkml(["validate", "--format", "github", "."], cwd=tmp_path).out
    assert r"\x1b]0;pwned\x07\u202e%0D%0Afake: line\x00" in github
    for report in (out, github):
        assert not UNSAFE.search(report.replace("\n", ""))


# the zero-width and bidi format characters that make two values look the same
INVISIBLE = [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065), 0xFEFF, *range(0x2066, 0x206A)]


def test_printable_shows_every_invisible_character_escaped():
    from compiler.printable import printable
    for code in INVISIBLE:
        assert printable(f"全社{chr(code)}会") == f"全社\\u{code:04x}会", hex(code)
    assert printable("全社会 低保、最低生活保障") == "全社会 低保、最低生活保障"   # visible text is left alone


def test_a_message_citing_a_value_with_a_zero_width_space_shows_it(tmp_path, gkml):
    """全社会 with a U+200B inside is not the word 全社会: the text and GitHub reports show the difference."""
    text = (CASES / "valid" / "minimal.yaml").read_text("utf-8")
    text, found = re.subn(r"audience: .*", "audience: 全社\u200b会", text)
    assert found
    (tmp_path / "catalog.yaml").write_text(text, "utf-8")
    for fmt in ("text", "github"):
        out = gkml(["validate", "--format", fmt, "."], cwd=tmp_path).out
        assert "“全社\\u200b会”不是有效的公开对象" in out and "\u200b" not in out, fmt


values = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12).map(lambda v: v + HOSTILE[:3])


@settings(max_examples=60, deadline=None)
@given(file=values, item=values, value=values, note=values)
def test_no_control_or_bidi_character_reaches_a_text_report(file, item, value, note):
    """Property: whatever the values, text and github output carry no control or bidi character
    but their own line breaks, and the text report keeps one line per finding."""
    finding = make("GK301", file, (0, 0), ("items", 0, "audience"), item, value=value, canonical=value,
                   title="公开对象", title_en="audience", related=[related(file, (1, 1), ("items", 1), item, note, note)])
    report = Report((finding, make("GK103", file, (2, 0), problem=value, problem_en=value)), 1, 1, 1)
    for fmt in ("text", "github"):
        for lang in ("zh", "en"):
            out = REPORTERS[fmt]().render(report, lang)
            assert not UNSAFE.search(out.replace("\n", "")), (fmt, out)
    assert len(REPORTERS["text"]().render(report).splitlines()) == 1 + 2 + 1 + 1 + 2 + 1  # file, 2 + hint + see, 2, blank, summary
    from compiler.importers.notes import Note
    from compiler.importers.report import render_text
    review = render_text([Note("GK801", file, value, (("column", "公开对象"), ("found", value), ("value", note)), item)],
                         [(file, "out.yaml", 1)])
    assert not UNSAFE.search(review.replace("\n", "")), review


# --- English messages (issue 17 defect 12) ----------------------------------------------------------

def test_english_counts_and_messages_read_as_english(gkml):
    one = Report((make("GK201", "a.yaml", (0, 0), ("items", 0), "x", key="time_limit", title="公开时限", title_en="time_limit"),
                  make("GK302", "a.yaml", (1, 0), ("items", 0, "basis", 0), "x", value="相关文件")), 1, 1, 1)
    text = REPORTERS["text"]().render(one, "en")
    assert "required key 'time_limit' is missing" in text
    assert text.splitlines()[-1] == "checked 1 file, 1 catalog, 1 matter: 1 error, 1 warning"
    assert REPORTERS["github"]().render(one, "en").splitlines()[-1] == "gkml: 1 error, 1 warning in 1 file"
    run = gkml(["validate", "--lang", "en", str(CASES / "invalid" / "missing-keys"), str(CASES / "invalid" / "empty-values")])
    assert run.out.count("is missing") and not re.search(r"'(\w+)' \(\1\)", run.out)
