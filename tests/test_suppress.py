"""Suppression comments: what they cover, reasons, unused ones, every format's count, and the
cached and scoped re-checks giving the same answer as a full run."""
from __future__ import annotations

import json

from compiler.suppress import scan

TARGET = "catalogs/341321/social-assistance.yaml"


def _edit(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _vague(project, comment: str = "") -> None:
    """Make the first item's first basis vague (GK302), optionally with a comment on the item's first line."""
    target = project / TARGET
    _edit(target, "      - 《社会救助暂行办法》(国务院令第649号)\n", "      - 有关法律法规\n")
    if comment:
        _edit(target, '  - id: "341321-sa-001"\n', f'  - id: "341321-sa-001"  {comment}\n')


def test_scan_covers_items_lines_files_and_skips_values():
    text = (
        "# gkml: disable-file=GK306 理由一\n"
        "region: \"341321\"\n"
        "items:\n"
        "  - id: a  # gkml: disable=GK302,GK304 理由二\n"
        "    basis:\n"
        "      - x\n"
        "    content: |\n"
        "      # gkml: disable=GK201 block scalar text, not a comment\n"
        "    notes: \"# gkml: disable=GK202 quoted\"\n"
        "  - id: b\n"
        "    # gkml: disable=GK301 理由三\n"
        "    method: 主动公开\n"
        "    audience: 全社会  # gkml: disable=GK301\n"
    )
    found = scan(text)
    assert [(d.kind, d.codes, d.reason, d.line, d.first, d.last) for d in found] == [
        ("disable-file", ("GK306",), "理由一", 1, 0, 0),
        ("disable", ("GK302", "GK304"), "理由二", 4, 4, 9),
        ("disable", ("GK301",), "理由三", 11, 12, 12),
        ("disable", ("GK301",), "", 13, 13, 13),
    ]


def test_suppressed_finding_is_counted_in_every_format(project, gkml):
    _vague(project, "# gkml: disable=GK302 上级文件转发,原文无文号")
    text = gkml(["validate"], cwd=project)
    assert text.code == 0 and "1 个已抑制" in text.out and "GK302" not in text.out
    assert "1 suppressed" in gkml(["validate", "--lang", "en"], cwd=project).out
    doc = gkml(["validate", "--format", "json"], cwd=project).json
    assert doc["summary"]["suppressed"] == 1 and doc["diagnostics"] == []
    assert doc["suppressed"][0]["code"] == "GK302" and doc["suppressed"][0]["reason"] == "上级文件转发,原文无文号"
    sarif = gkml(["validate", "--format", "sarif"], cwd=project).json
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "GK302"
    assert result["suppressions"] == [{"kind": "inSource", "justification": "上级文件转发,原文无文号"}]
    assert "1 suppressed" in gkml(["validate", "--format", "github"], cwd=project).out
    junit = gkml(["validate", "--format", "junit"], cwd=project).out
    assert 'skipped="1"' in junit and "<skipped message=" in junit


# SARIF 2.1.0 §3.35 (OASIS schema "suppression"): kind is required, inSource or external
SUPPRESSION = {"type": "object", "required": ["kind"], "additionalProperties": False,
               "properties": {"kind": {"enum": ["inSource", "external"]}, "justification": {"type": "string"},
                              "status": {"enum": ["accepted", "underReview", "rejected"]}}}


def test_sarif_with_suppressions_validates_against_the_schema(project, gkml):
    import jsonschema
    from test_reporters import SARIF_MINIMAL
    _vague(project, "# gkml: disable=GK302 理由")
    doc = gkml(["validate", "--format", "sarif"], cwd=project).json
    jsonschema.validate(doc, SARIF_MINIMAL)
    for result in doc["runs"][0]["results"]:
        jsonschema.validate(result["suppressions"], {"type": "array", "items": SUPPRESSION})
    assert doc["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "GK302"


def test_suppression_without_reason_is_a_finding_and_suppresses_nothing(project, gkml):
    _vague(project, "# gkml: disable=GK302")
    run = gkml(["validate", "--format", "json"], cwd=project)
    assert run.code == 1 and sorted(run.codes()) == ["GK121", "GK302"]
    assert "suppressed" not in run.json["summary"]


def test_unused_suppression_is_a_warning(project, gkml):
    _edit(project / TARGET, '  - id: "341321-sa-001"\n', '  - id: "341321-sa-001"  # gkml: disable=GK302 过时的注释\n')
    run = gkml(["validate", "--format", "json", "--strict"], cwd=project)
    assert run.code == 1 and run.codes() == ["GK122"] and run.json["diagnostics"][0]["severity"] == "warning"
    (project / "gkml.yaml").write_text("rules:\n  GK122: off\n", "utf-8")
    assert gkml(["validate", "--format", "json"], cwd=project).codes() == []


def test_suppressions_follow_the_cache_and_the_scoped_recheck(project, gkml):
    """A comment added to a cached set, and a cross-catalog finding suppressed in the scoped re-run."""
    assert gkml(["validate"], cwd=project).code == 0            # fills the cache and the run state
    _vague(project, "# gkml: disable=GK302 理由")
    cached = gkml(["validate", "--format", "json"], cwd=project).json
    assert cached["summary"]["suppressed"] == 1 and cached["diagnostics"] == []
    target = project / TARGET
    _edit(target, '    implements: "341300-sa-001"\n', '    implements: "341300-sa-999"\n')
    _edit(target, "# gkml: disable=GK302 理由", "# gkml: disable=GK302,GK601 理由")
    scoped = gkml(["validate", "--format", "json"], cwd=project).json
    full = gkml(["validate", "--format", "json", "--no-cache"], cwd=project).json
    assert scoped == full
    assert {s["code"] for s in full["suppressed"]} == {"GK302", "GK601"}
    assert full["diagnostics"] and all(d["code"] != "GK601" for d in full["diagnostics"])


def test_validate_of_a_named_file_counts_its_suppressions_only(project, gkml):
    _vague(project, "# gkml: disable=GK302 理由")
    doc = gkml(["validate", "--format", "json", "catalogs/341321/employment.yaml"], cwd=project).json
    assert "suppressed" not in doc["summary"]
    doc = gkml(["validate", "--format", "json", TARGET], cwd=project).json
    assert doc["summary"]["suppressed"] == 1
