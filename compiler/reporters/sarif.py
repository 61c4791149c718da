"""SARIF 2.1.0, for code-scanning dashboards."""
from __future__ import annotations

import json

from ..codes import CODES
from . import Report, Reporter

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}  # SARIF 2.1.0 result levels

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _location(file: str, line: int, column: int, message: str | None = None) -> dict:
    loc: dict = {"physicalLocation": {"artifactLocation": {"uri": file},
                                      "region": {"startLine": max(line, 1), "startColumn": max(column, 1)}}}
    if message:
        loc["message"] = {"text": message}
    return loc


class SarifReporter(Reporter):
    name = "sarif"
    help = "SARIF 2.1.0"

    def render(self, report: Report, lang: str = "zh") -> str:
        en = lang == "en"
        used = sorted({d.code for d in report.diagnostics} | {s.diagnostic.code for s in report.suppressed})
        index = {code: i for i, code in enumerate(used)}
        rules = []
        for code in used:
            entry = CODES[code]
            rules.append({
                "id": code, "name": entry.name,
                "shortDescription": {"text": entry.summary(lang)},
                "fullDescription": {"text": entry.doc(lang)},
                "help": {"text": entry.doc(lang) + "\n\n" + ("How to fix: " if en else "修改建议:") + entry.how_to_fix(lang)},
                "defaultConfiguration": {"level": _LEVEL[entry.severity]},
            })
        results = []
        reasons = {id(s.diagnostic): s.reason for s in report.suppressed}
        for d in (*report.diagnostics, *(s.diagnostic for s in report.suppressed)):
            result = {
                "ruleId": d.code, "ruleIndex": index[d.code],
                "level": _LEVEL[d.severity.value],
                "message": {"text": d.message(lang) + ("\n" + d.hint(lang) if d.hint(lang) else "")},
                "locations": [_location(d.file, d.line, d.column)],
            }
            if d.item:
                result["locations"][0]["logicalLocations"] = [{"name": d.item, "fullyQualifiedName": d.path, "kind": "object"}]
            if d.related:
                result["relatedLocations"] = [dict(_location(r.file, r.line, r.column, (r.note_en or r.note) if en else r.note), id=i)
                                              for i, r in enumerate(d.related)]
            if id(d) in reasons:   # SARIF 2.1.0 §3.35: an in-source suppression, with its justification
                result["suppressions"] = [{"kind": "inSource", "justification": reasons[id(d)]}]
            results.append(result)
        doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
            "tool": {"driver": {"name": "gkml", "version": report.tool_version, "rules": rules}},
            "results": results,
        }]}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def failure(self, message: str, tool_version: str, exit_code: int) -> str:
        """A run with no results whose invocation failed, the error as its notification (SARIF §3.20)."""
        doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
            "tool": {"driver": {"name": "gkml", "version": tool_version, "rules": []}},
            "invocations": [{"executionSuccessful": False, "exitCode": exit_code,
                             "toolExecutionNotifications": [{"level": "error", "message": {"text": message}}]}],
            "results": [],
        }]}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
