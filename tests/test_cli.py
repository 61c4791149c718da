"""The commands of issue 2 (validate, rules, explain, schema) and what catalog repositories use
around them: the pre-commit hook, the CI example, the editor modeline."""
from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from compiler import resources
from compiler.codes import CODES
from compiler.loader import parse

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GKML_CACHE_DIR", str(tmp_path / "cache"))


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first old with new in a file; the 1-based line where it happened."""
    text = path.read_text("utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], "utf-8")
    return text[:at].count("\n") + 1


# --- validate -----------------------------------------------------------------------------------

def test_validate_defaults_to_catalogs(project, gkml):
    run = gkml(["validate", "--format", "json"], cwd=project)
    assert run.code == 0 and run.json["summary"]["items"] >= 150


def test_validate_without_catalogs_folder_is_a_usage_error(tmp_path, gkml):
    run = gkml(["validate"], cwd=tmp_path)
    assert run.code == 2 and "catalogs" in run.err and "Traceback" not in run.err


def test_did_you_mean_is_one_finding(project, gkml):
    target = project / "catalogs" / "341321" / "social-assistance.yaml"
    key_line = _edit(target, "    responsible_unit:", "    responsable_unit:")
    value_line = _edit(target, "channels: [政府网站,", "channels: [公示拦, 政府网站,")
    run = gkml(["validate", "--format", "json"], cwd=project)
    assert run.code == 1
    mine = [d for d in run.json["diagnostics"] if d["file"] == "catalogs/341321/social-assistance.yaml"]
    schema_findings = sorted((d["code"], d["line"]) for d in mine if d["code"].startswith("GK2"))
    assert schema_findings == sorted([("GK204", value_line), ("GK202", key_line)])
    typo = next(d for d in mine if d["code"] == "GK202")
    assert "responsible_unit" in typo["message"] and "responsable_unit" in typo["message"]
    assert typo["column"] == 5 and typo["path"].endswith("/responsable_unit")
    assert not [d for d in mine if d["code"] == "GK201"]  # not also "responsible_unit is missing"
    channel = next(d for d in mine if d["code"] == "GK204")
    assert "公示拦" in channel["message"] and "公示栏" in channel["message"]
    english = gkml(["validate", "--format", "json", "--lang", "en"], cwd=project).json
    typo_en = next(d for d in english["diagnostics"] if d["code"] == "GK202")
    assert "did you mean 'responsible_unit'" in typo_en["message"]


def test_lang_en_has_no_chinese_of_its_own(project, gkml):
    _edit(project / "catalogs" / "341321" / "social-assistance.yaml", "    content:", "    contnet:")
    run = gkml(["validate", "--lang", "en"], cwd=project)
    assert run.code == 1
    finding = next(line for line in run.out.splitlines() if "GK202" in line)
    assert "unknown key 'contnet'" in finding and "error" in finding
    assert "修改建议" not in run.out and "错误" not in run.out


def test_single_file_is_checked_with_the_registry_above_it(project, gkml):
    run = gkml(["validate", "--format", "json", "catalogs/340000/employment.yaml"], cwd=project)
    registry_files = len(list((project / "catalogs" / "registry").glob("*.yaml")))
    assert run.json["summary"]["files"] == 1 + registry_files
    assert run.json["summary"]["catalogs"] == 1


def test_internal_error_is_exit_2_without_traceback(project, gkml, monkeypatch):
    from compiler import pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(pipeline, "assemble", broken)
    monkeypatch.delenv("GKML_DEBUG", raising=False)
    run = gkml(["validate", "--no-cache"], cwd=project)
    assert run.code == 2 and "内部错误" in run.err and "Traceback" not in run.err + run.out


def test_python_dash_m_compiler(tmp_path):
    done = subprocess.run([sys.executable, "-m", "compiler", "validate", "--format", "json", "--no-cache"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"]["errors"] == 0
    version = subprocess.run([sys.executable, "-m", "compiler", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and "gkml" in version.stdout


# --- rules, explain, schema ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rules_lists_every_code_once(lang, gkml):
    run = gkml(["rules", "--lang", lang])
    assert run.code == 0
    listed = [line.split()[0] for line in run.out.splitlines() if line.strip()]
    assert listed == sorted(CODES)
    line = next(line for line in run.out.splitlines() if line.startswith("GK201"))
    assert ("缺少必填项" in line) if lang == "zh" else ("required key" in line)


def test_explain_shows_documentation_and_examples(gkml):
    run = gkml(["explain", "GK201"])
    assert run.code == 0
    assert "GK201" in run.out and "缺少必填项" in run.out
    assert "反例" in run.out and "正例" in run.out and "修改建议" in run.out
    bad, good = run.out.split("反例")[1].split("正例")
    assert "content:" not in bad and "content:" in good  # the failing example lacks the key
    assert gkml(["explain", "gk201"]).out == run.out
    english = gkml(["explain", "GK201", "--lang", "en"])
    assert "Failing example" in english.out and "Passing example" in english.out


def test_explain_unknown_code_is_a_usage_error(gkml):
    run = gkml(["explain", "GK999"])
    assert run.code == 2 and "GK999" in run.err and "gkml rules" in run.err


@pytest.mark.parametrize("kind", ["catalog", "registry"])
def test_schema_command_prints_a_2020_12_schema(kind, gkml):
    run = gkml(["schema", "--kind", kind])
    assert run.code == 0
    schema = json.loads(run.out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == resources.schema(kind)
    assert CJK.search(schema["title"])


def test_schema_accepts_the_embedded_default_and_is_documented_in_chinese():
    schema = resources.schema("catalog")
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((ROOT / "catalogs").rglob("*.yaml")):
        if path.parent.name == "registry":
            continue
        errors = list(validator.iter_errors(parse(path.read_bytes(), path.name).data))
        assert errors == [], (path, errors[:1])
    item = schema["$defs"]["item"]
    for key, spec in item["properties"].items():
        target = schema["$defs"][spec["$ref"].split("/")[-1]] if "$ref" in spec and "title" not in spec else spec
        assert CJK.search(target.get("title", "")), f"item key {key} has no Chinese title"
    assert {"id", "matter", "content", "basis", "time_limit", "responsible_unit", "channels", "audience",
            "method"} <= set(item["required"])
    vocabularies = re.findall(r'"x-gkml-vocabulary": "([a-z]+)"', resources.schema_text("catalog"))
    assert len(vocabularies) == len(set(vocabularies))  # each vocabulary defined once


# --- for catalog repositories -------------------------------------------------------------------

def test_sample_files_carry_the_right_modeline():
    for path in sorted((ROOT / "catalogs").rglob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path} has no yaml-language-server modeline"
        kind = "registry" if path.parent.name == "registry" else "catalog"
        target = (path.parent / match[1]).resolve()
        assert target == (ROOT / "schema" / f"{kind}.schema.json").resolve(), (path, match[1])


def _hook() -> dict:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    return hook


def test_pre_commit_hook_definition():
    hook = _hook()
    assert hook["id"] == "gkml-validate" and hook["language"] == "python"
    assert shlex.split(hook["entry"])[0] == "gkml"
    assert re.search(hook["files"], "catalogs/341321/social-assistance.yaml")
    assert re.search(hook["files"], "catalogs/registry/units.yml")
    assert not re.search(hook["files"], "README.md")


def test_pre_commit_hook_runs_as_pre_commit_would(project, gkml):
    """pre-commit runs `entry + args (+ staged file names when pass_filenames)` in the repository root."""
    hook = _hook()
    staged = ["catalogs/341321/social-assistance.yaml"]
    argv = shlex.split(hook["entry"])[1:] + hook.get("args", []) + (staged if hook.get("pass_filenames", True) else [])
    assert gkml(argv, cwd=project).code == 0  # a clean set passes, whatever subset was staged
    _edit(project / staged[0], "    audience: 全社会\n", "")
    run = gkml(argv + ["--format", "json"], cwd=project)
    assert run.code == 1
    assert {d["code"] for d in run.json["diagnostics"] if d["file"] == staged[0]} == {"GK201"}


def test_ci_example_is_a_working_workflow():
    text = (ROOT / "docs" / "ci.md").read_text("utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    workflow = next(yaml.safe_load(b) for b in blocks if "jobs:" in b)
    steps = workflow["jobs"]["validate"]["steps"]
    commands = [s.get("run", "") for s in steps]
    assert any("gkml validate --format github" in c and "|| true" not in c for c in commands)
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    assert True in workflow and "pull_request" in workflow[True]  # PyYAML reads the key `on` as True


# --- usage errors in --lang and in the report format (issue 17 defect 12) ----------------------------

def test_usage_error_honours_lang(tmp_path, gkml):
    run = gkml(["validate", "missing-folder", "--lang", "en"], cwd=tmp_path)
    assert run.code == 2 and "no such path: missing-folder" in run.err and not CJK.search(run.err)
    assert "路径不存在" in gkml(["validate", "missing-folder"], cwd=tmp_path).err


@pytest.mark.parametrize("args", [["missing-folder"], ["--jobs", "99"]], ids=["usage", "command-line"])
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_usage_error_writes_a_document_in_the_requested_format(fmt, args, tmp_path, gkml):
    run = gkml(["validate", "--format", fmt, "--lang", "en", *args], cwd=tmp_path)
    assert run.code == 2
    doc = json.loads(run.out)
    if fmt == "json":
        assert doc["error"]["exit_code"] == 2 and args[-1] in doc["error"]["message"]
    else:
        from test_reporters import SARIF_MINIMAL
        jsonschema.Draft202012Validator(SARIF_MINIMAL).validate(doc)
        (invocation,) = doc["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False and doc["runs"][0]["results"] == []
        assert args[-1] in invocation["toolExecutionNotifications"][0]["message"]["text"]
    report = tmp_path / f"report.{fmt}"
    again = gkml(["validate", "--format", fmt, "--output", str(report), *args], cwd=tmp_path)
    assert again.code == 2 and not again.out.strip() and json.loads(report.read_text("utf-8"))


def test_usage_error_about_output_does_not_write_there(project, gkml):
    checked = project / "catalogs" / "341321" / "social-assistance.yaml"
    before = checked.read_bytes()
    run = gkml(["validate", "--format", "json", "--output", str(checked)], cwd=project)
    assert run.code == 2 and json.loads(run.out)["error"] and checked.read_bytes() == before


# --- a closed pipe (issue 17 defect 13) ----------------------------------------------------------------

@pytest.mark.parametrize("args", [["rules"], ["explain", "GK605"], ["validate", "--no-cache", "tests/cases/invalid/item-rules"]])
def test_closed_pipe_ends_quietly_like_a_filter(args):
    """`gkml … | head -1`: no message, killed by SIGPIPE like cat (the shell's status 141)."""
    import os
    import signal
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before the first write: deterministic
    try:
        done = subprocess.run([sys.executable, "-m", "compiler", *args], cwd=ROOT, stdout=writer, stderr=subprocess.PIPE, timeout=120)
    finally:
        os.close(writer)
    assert done.stderr == b"" and done.returncode == -signal.SIGPIPE
