"""Folders of valid and invalid catalogs, discovered by parametrize (tests/cases/README.md).

tests/cases/valid/*.yaml      each file alone must give no finding of the file-level families
tests/cases/invalid/<case>/   YAML files (and optionally registry/) + expected.txt, one line per
                              finding: `CODE file:line:column [json-pointer]`, reported exactly.

Every invalid case also gets tests/cases/companion.yaml copied in as zz-companion.yaml: its one
warning must still be reported, whatever is wrong with the case's own files.

Cross-catalog codes (GK4xx–GK8xx, from rules that need a registry and the whole set) are only
compared when the case's expected.txt names that code; the file-level families GK1xx–GK3xx are
always compared exactly. Inputs that cannot live in git as text (GBK and UTF-16 bytes, a file over
the size limit, an unreadable file) are written by GENERATORS into the case's temporary copy.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from compiler import loader
from compiler.codes import CODES
from compiler.rules import project_rules

CASES = Path(__file__).resolve().parent / "cases"
VALID = sorted((CASES / "valid").glob("*.yaml"))
INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
COMPANION = "zz-companion.yaml"
COMPANION_FINDING = ("GK304", COMPANION, 13, 9, "/items/0/basis/0")
ALWAYS_COMPARED = re.compile(r"GK[123]\d\d$")

_GBK_TEXT = """region: "341321"
level: county
area: 社会救助与社会福利
department: 砀山县民政局
version: "2024.1"
items: []
"""


def _gbk(folder: Path) -> None:
    (folder / "catalog.yaml").write_bytes(_GBK_TEXT.encode("gbk"))


def _utf16(folder: Path) -> None:
    (folder / "catalog.yaml").write_bytes(_GBK_TEXT.encode("utf-16"))


def _too_large(folder: Path) -> None:
    # valid YAML, one byte over the limit: the size alone must stop it before parsing
    head = b"# padding\n"
    (folder / "huge.yaml").write_bytes(head + b"#" * (loader.MAX_BYTES + 1 - len(head)))


def _unreadable(folder: Path) -> None:
    # a link left behind after its target was moved: listed like a file, but reading it fails
    os.symlink("moved-away.yaml", folder / "broken-link.yaml")


def _links(folder: Path) -> None:
    # links that cannot be followed, or must not be: each is a finding, and the rest is checked
    os.symlink("loop.yaml", folder / "loop.yaml")                 # a link to itself
    os.symlink("b.yaml", folder / "a.yaml")                       # two links to each other
    os.symlink("a.yaml", folder / "b.yaml")
    os.symlink("../../nowhere/gone.yaml", folder / "dangling.yaml")  # its target is outside, and absent
    os.symlink(CASES / "companion.yaml", folder / "outside.yaml")  # a file outside the checked folder
    os.symlink(CASES / "valid", folder / "elsewhere")               # a folder outside it
    (folder / "folder.yaml").mkdir()                                 # a folder that looks like a catalog


GENERATORS = {"encoding-gbk": _gbk, "encoding-utf16": _utf16, "too-large": _too_large, "unreadable": _unreadable,
              "links": _links}

Finding = tuple  # (code, file, line, column, path)


def read_expected(case: Path) -> set[Finding]:
    """The findings an invalid case lists in expected.txt."""
    found = set()
    for number, line in enumerate((case / "expected.txt").read_text("utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        match = re.fullmatch(r"(.+):(\d+):(\d+)", parts[1]) if len(parts) in (2, 3) else None
        assert match and parts[0] in CODES, f"{case.name}/expected.txt:{number}: bad line {line!r}"
        found.add((parts[0], match[1], int(match[2]), int(match[3]), parts[2] if len(parts) == 3 else ""))
    return found


def findings(run) -> list[dict]:
    return run.json["diagnostics"]


def as_tuple(d: dict) -> Finding:
    return (d["code"], d["file"], d["line"], d["column"], d["path"])


def prepare(case: Path, into: Path) -> Path:
    """A writable copy of a case, with its generated files and the companion catalog."""
    target = into / case.name
    shutil.copytree(case, target, ignore=shutil.ignore_patterns("expected.txt"))
    if case.name in GENERATORS:
        GENERATORS[case.name](target)
    shutil.copy(CASES / "companion.yaml", target / COMPANION)
    return target


def compared(diagnostics: list[dict], expected: set[Finding]) -> set[Finding]:
    listed = {e[0] for e in expected}
    return {as_tuple(d) for d in diagnostics if ALWAYS_COMPARED.match(d["code"]) or d["code"] in listed}


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    # a fresh result cache per test: a cache filled by an older gkml must not answer for this one
    monkeypatch.setenv("GKML_CACHE_DIR", str(tmp_path / "cache"))


def test_cases_exist():
    assert len(VALID) >= 3 and len(INVALID) >= 20
    for case in INVALID:
        assert (case / "expected.txt").is_file(), f"{case.name} has no expected.txt"
        assert any(case.rglob("*.yaml")) or case.name in GENERATORS, f"{case.name} has no input"


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_case(path, tmp_path, gkml):
    shutil.copy(path, tmp_path / path.name)
    run = gkml(["validate", "--format", "json", "."], cwd=tmp_path)
    assert run.err == ""
    local = [d for d in findings(run) if ALWAYS_COMPARED.match(d["code"])]
    assert local == [], local
    assert run.json["summary"]["catalogs"] == 1 and run.json["summary"]["items"] >= 1


def test_bom_fixtures_still_carry_their_bom():
    # an editor that drops the BOM on save would make the BOM cases test nothing
    for path in (CASES / "valid" / "bom.yaml", CASES / "invalid" / "bom-with-error" / "catalog.yaml"):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case(case, tmp_path, gkml):
    expected = read_expected(case) | {COMPANION_FINDING}
    folder = prepare(case, tmp_path)
    run = gkml(["validate", "--format", "json", "."], cwd=folder)
    assert run.err == "", run.err  # no traceback, no message outside the report
    assert isinstance(run.exception, SystemExit) or run.exception is None
    got = compared(findings(run), expected)
    assert got == expected, f"missing {sorted(expected - got)}\nunexpected {sorted(got - expected)}"
    errors = any(d["severity"] == "error" for d in findings(run))
    assert run.code == (1 if errors else 0)
    assert errors or all(CODES[e[0]].severity == "warning" for e in expected)
    for d in findings(run):  # every finding is positioned and explained
        assert d["line"] >= 1 and d["column"] >= 1 and d["message"] and d["hint"], d


def test_all_cases_in_one_run(tmp_path, gkml):
    """Every malformed file together: each still gets exactly its own findings."""
    root = tmp_path / "all"
    root.mkdir()
    expected: set[Finding] = set()
    project_codes = {code for rule in project_rules() for code in rule.codes}
    for case in INVALID:
        prepare(case, root)
        expected |= {(e[0], f"{case.name}/{e[1]}", *e[2:]) for e in read_expected(case) | {COMPANION_FINDING}}
    run = gkml(["validate", "--format", "json", "."], cwd=root)
    assert run.code == 1 and run.err == ""

    def local(found):
        return {f for f in found if ALWAYS_COMPARED.match(f[0]) and f[0] not in project_codes}

    got = local({as_tuple(d) for d in findings(run)})
    assert got == local(expected), f"missing {sorted(local(expected) - got)}\nunexpected {sorted(got - local(expected))}"


def triggered_codes(tmp_path_factory, gkml) -> tuple[set[str], list[dict]]:
    """Codes reported by the invalid cases, with every diagnostic (for the code-table tests)."""
    out: list[dict] = []
    for case in INVALID:
        folder = prepare(case, tmp_path_factory.mktemp(case.name))
        out.extend(findings(gkml(["validate", "--format", "json", "--lang", "en", "."], cwd=folder)))
    return {d["code"] for d in out}, out


def test_every_file_level_code_has_a_case(tmp_path_factory, gkml):
    codes, _ = triggered_codes(tmp_path_factory, gkml)
    wanted = {c for c in CODES if ALWAYS_COMPARED.match(c)} - SYNTHETIC
    assert wanted - codes == set(), f"codes without an invalid case: {sorted(wanted - codes)}"


# Codes proven by a dedicated test below instead of a case folder: GK207 cannot be reached with
# the shipped schema; GK208 needs hundreds of findings, which expected.txt would only repeat;
# GK124 is about gkml.yaml, which a case folder cannot hold (tests/test_config.py);
# GK901-GK903 and GK910-GK912 compare with a git revision (validate --since), proven in tests/test_history.py.
SYNTHETIC = {"GK207", "GK208", "GK124", "GK901", "GK902", "GK903", "GK910", "GK911", "GK912"}


def test_too_many_findings_are_cut_short(tmp_path, gkml):
    from compiler import schema
    head = "region: \"341321\"\nlevel: county\narea: 社会救助与社会福利\ndepartment: 砀山县民政局\nversion: \"1\"\n"
    (tmp_path / "pasted.yaml").write_text(head + "items:\n" + "  - 一行表格\n" * 5000, "utf-8")
    shutil.copy(CASES / "companion.yaml", tmp_path / COMPANION)
    run = gkml(["validate", "--format", "json", "."], cwd=tmp_path)
    mine = [d for d in findings(run) if d["file"] == "pasted.yaml"]
    assert [d["code"] for d in mine].count("GK203") == schema.MAX_FINDINGS
    (cut,) = [d for d in mine if d["code"] == "GK208"]
    assert (cut["line"], cut["column"]) == (1, 1) and str(schema.MAX_FINDINGS) in cut["message"]
    assert max(d["line"] for d in mine) == 6 + schema.MAX_FINDINGS  # the first ones, in order
    assert COMPANION_FINDING in {as_tuple(d) for d in findings(run)}
    assert run.code == 1


def test_schema_fallback_code(monkeypatch):
    """GK207 is the catch-all for schema keywords gkml has no tailored message for."""
    import jsonschema

    from compiler import schema
    strict = {"type": "object", "properties": {"content": {"type": "string", "maxLength": 4}}}
    monkeypatch.setattr(schema, "_fast", lambda kind: None)
    monkeypatch.setattr(schema, "_slow", lambda kind: jsonschema.Draft202012Validator(strict))
    parsed = loader.parse("content: 低保对象名单和保障金额\n".encode(), "x.yaml")
    (found,) = schema.validate(parsed, "catalog")
    assert (found.code, found.line, found.column, found.path) == ("GK207", 1, 10, "/content")
    assert "content" in found.message() and found.hint()
