"""Versioned JSON: UTF-8, Chinese not escaped, the same shape at every verbosity."""
from __future__ import annotations

import json

from ..diagnostics import Diagnostic
from . import Report, Reporter

FORMAT_VERSION = 1


def diagnostic_dict(d: Diagnostic, lang: str) -> dict:
    """One diagnostic as a JSON object (also used by the build's warnings page)."""
    return {
        "code": d.code, "severity": d.severity.value, "file": d.file, "line": d.line, "column": d.column,
        "path": d.path, "item": d.item, "message": d.message(lang), "hint": d.hint(lang),
        "related": [{"file": r.file, "line": r.line, "column": r.column, "path": r.path, "item": r.item,
                     "note": (r.note_en or r.note) if lang == "en" else r.note} for r in d.related],
    }


class JsonReporter(Reporter):
    name = "json"
    help = "JSON(UTF-8,带版本号)"

    def render(self, report: Report, lang: str = "zh") -> str:
        c = report.counts
        doc = {
            "version": FORMAT_VERSION,
            "tool": {"name": "gkml", "version": report.tool_version},
            "summary": {"files": report.files, "catalogs": report.catalogs, "items": report.items,
                        "errors": c["error"], "warnings": c["warning"]},
            "diagnostics": [diagnostic_dict(d, lang) for d in report.diagnostics],
        }
        if report.suppressed:
            doc["summary"]["suppressed"] = len(report.suppressed)
            doc["suppressed"] = [dict(diagnostic_dict(s.diagnostic, lang), reason=s.reason) for s in report.suppressed]
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def failure(self, message: str, tool_version: str, exit_code: int) -> str:
        """Nothing was checked: no summary and no diagnostics, the error instead."""
        doc = {"version": FORMAT_VERSION, "tool": {"name": "gkml", "version": tool_version},
               "error": {"message": message, "exit_code": exit_code}}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
