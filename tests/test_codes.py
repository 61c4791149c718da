"""The code table against its producers: every code is reported by something, triggered by a
case, rendered completely in Chinese and English with the arguments its producer passes, and
explained by `gkml explain`."""
from __future__ import annotations

import re
import string

import pytest

from compiler.codes import CODES
from compiler.explain import documentation, producer_modules
from compiler.pipeline import Options, check
from compiler.rules import all_rules
from test_validate_cases import INVALID, SYNTHETIC, prepare

CJK = re.compile(r"[\u4e00-\u9fff]")
TEMPLATES = ("message_zh", "message_en", "hint_zh", "hint_en")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def producers() -> dict[str, str]:
    """code -> what reports it: a rule's name, or a module that declares PRODUCES."""
    found = {}
    for module in producer_modules():
        for code in module.PRODUCES:
            found.setdefault(code, module.__name__)
    for rule in all_rules():
        for code in rule.codes:
            found.setdefault(code, f"rule {rule.name}")
    return found


@pytest.fixture(scope="module")
def case_diagnostics(tmp_path_factory):
    """Every Diagnostic (with its message arguments) the invalid cases produce."""
    out = []
    for case in INVALID:
        folder = prepare(case, tmp_path_factory.mktemp("case"))
        out.extend(check(Options(paths=(str(folder),), cache=False, base=str(folder))).diagnostics)
    return out


def test_table_entries_are_complete():
    names = [entry.name for entry in CODES.values()]
    assert len(names) == len(set(names)), "two codes share a name"
    for code, entry in CODES.items():
        assert re.fullmatch(r"GK[1-9]\d\d", code) and entry.code == code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry.name), code
        assert entry.severity in ("error", "warning", "info"), code  # info: issue 18 (GK712)
        for part in TEMPLATES:
            assert getattr(entry, part).strip(), f"{code} has no {part}"
        assert CJK.search(entry.message_zh), f"{code}: the Chinese message has no Chinese"
        assert re.search(r"[A-Za-z]{3}", entry.message_en), f"{code}: the English message has no English"
        for part in TEMPLATES:  # a template that str.format cannot parse would fail at report time
            placeholders(getattr(entry, part))


def test_every_code_has_a_producer_and_every_produced_code_exists():
    found = producers()
    unreported = sorted(set(CODES) - set(found))
    assert not unreported, f"codes no rule or PRODUCES tuple reports: {unreported}"
    unknown = sorted(set(found) - set(CODES))
    assert not unknown, f"reported codes missing from the code table: {unknown}"
    for code, entry in CODES.items():  # ... and every code is documented in both languages
        for lang in ("zh", "en"):
            for text in (entry.doc(lang), entry.summary(lang), entry.how_to_fix(lang)):
                assert text.strip(), f"{code}: empty documentation ({lang})"
                assert not placeholders(text), f"{code}: unfilled placeholder in {text!r}"
        assert CJK.search(entry.doc_zh) and CJK.search(entry.how_to_fix("zh")), f"{code}: no Chinese"
        assert re.match(r"\W*[A-Za-z]+\b", entry.doc_en), f"{code}: the English doc is not English"
        assert re.search(r"[A-Za-z]{3}", entry.how_to_fix("en")), f"{code}: the English fix is not English"


def test_rule_docstrings_are_one_line_summaries():
    """A code's documentation lives in the code table; a rule's docstring only names what it does."""
    for rule in all_rules():
        assert rule.doc and "\n" not in rule.doc, f"rule {rule.name}: write its codes' documentation in the code table"


# `gkml import` findings are notes on spreadsheets, not on YAML: tests/test_import*.py trigger each
# of them from workbooks. Every other code is a finding of `gkml validate` and needs a case here.
IMPORT_PRODUCERS = ("compiler.importers",)


def test_every_code_is_triggered_by_a_case(case_diagnostics):
    triggered = {d.code for d in case_diagnostics} | SYNTHETIC
    validate_codes = {c for c, who in producers().items() if not who.startswith(IMPORT_PRODUCERS)}
    assert validate_codes >= {c for c in CODES if c < "GK800"}
    missing = sorted((set(CODES) & validate_codes) - triggered)
    assert not missing, f"codes no case in tests/cases/invalid triggers: {missing}"


def test_messages_render_with_the_arguments_their_producers_pass(case_diagnostics):
    assert case_diagnostics
    for d in case_diagnostics:
        args = {key for key, _ in d.args}
        entry = CODES[d.code]
        for part in TEMPLATES:
            lacking = placeholders(getattr(entry, part)) - args
            assert not lacking, f"{d.code} at {d.file}:{d.line}: {part} needs {sorted(lacking)}, producer passed {sorted(args)}"
        for lang in ("zh", "en"):
            text = d.message(lang)
            assert text.strip() and "{" not in text.replace("{}", ""), (d.code, lang, text)
        assert CJK.search(d.message("zh")), (d.code, d.message("zh"))


@pytest.mark.parametrize("code", sorted(CODES))
def test_explain_documents_every_code(code, gkml):
    for lang in ("zh", "en"):
        heading, text = documentation(code, lang)
        assert text.strip(), f"{code}: `gkml explain` has nothing to say ({lang})"
        run = gkml(["explain", code, "--lang", lang])
        assert run.code == 0 and code in run.out and text.splitlines()[0].strip() in run.out
        hint = CODES[code].hint_en if lang == "en" else CODES[code].hint_zh
        assert re.sub(r"\{[a-z_]+\}", "…", hint).split("…")[0] in run.out


FILE_LEVEL = sorted(c for c in CODES if re.fullmatch(r"GK[123]\d\d", c) and CODES[c].bad)


@pytest.mark.parametrize("code", FILE_LEVEL)
def test_examples_of_explain_fail_and_pass(code, tmp_path):
    """The failing example of `gkml explain` reports the code; the passing one reports it less."""
    entry = CODES[code]

    def count(text: str, name: str) -> int:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "example.yaml").write_text(text, "utf-8")
        result = check(Options(paths=(str(folder),), cache=False, base=str(folder)))
        return sum(d.code == code for d in result.diagnostics)

    bad = count(entry.bad, "bad")
    assert bad >= 1
    if entry.good:
        assert count(entry.good, "good") < bad


@pytest.mark.parametrize("code", ["GK202", "GK605", "GK850"])
def test_explain_speaks_one_language_with_a_real_fix(code, gkml):
    """Issue 17 defect 10: English under 规则 (GK605) and an empty "How to fix" (GK202 --lang en)."""
    entry = CODES[code]
    zh = gkml(["explain", code]).out
    assert entry.doc_zh in zh and entry.doc_en.splitlines()[0] not in zh
    en = gkml(["explain", code, "--lang", "en"]).out
    assert entry.doc_en in en and entry.doc_zh.splitlines()[0] not in en
    fix = next(line for line in en.splitlines() if line.startswith("How to fix: "))
    assert re.search(r"[A-Za-z]{3}", fix[len("How to fix: "):]) and "…" not in fix


def test_code_tables_import_only_the_record():
    """codes.py gathers the family tables; a family table imports only the Code record (no circle
    codes.py <-> codes_import.py, issue 16)."""
    import ast
    from pathlib import Path
    package = Path(__file__).resolve().parent.parent / "compiler"
    for name, allowed in (("codebook", set()), ("codes_cross", {"codebook"}), ("codes_import", {"codebook"})):
        tree = ast.parse((package / f"{name}.py").read_text("utf-8"))
        relative = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level}
        assert relative <= allowed, f"{name} imports {sorted(relative - allowed)}"
