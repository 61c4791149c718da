"""GitHub Actions workflow commands (::error file=…,line=…::…), escaped as the runner expects."""
from __future__ import annotations

from . import Report, Reporter, count


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    name = "github"
    help = "GitHub Actions 注释"

    def render(self, report: Report, lang: str = "zh") -> str:
        lines = []
        report = report.printable(keep="\r\n")  # the runner's own escapes (_data) carry line breaks
        for d in report.diagnostics:
            kind = {"error": "error", "warning": "warning"}.get(d.severity.value, "notice")
            body = d.message(lang)
            hint = d.hint(lang)
            if hint:
                body += "\n" + hint
            for r in d.related:
                body += f"\n{r.file}:{r.line}:{r.column} {(r.note_en or r.note) if lang == 'en' else r.note}"
            lines.append(f"::{kind} file={_prop(d.file)},line={d.line},col={d.column},title={_prop(d.code)}::{_data(body)}")
        c = report.counts
        lines.append(f"gkml: {count(c['error'], 'error')}, {count(c['warning'], 'warning')} in {count(report.files, 'file')}"
                     + (f", {len(report.suppressed)} suppressed" if report.suppressed else ""))
        return "\n".join(lines) + "\n"
