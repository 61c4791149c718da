"""JUnit XML: a case per file with findings (failing on errors), one case for all the clean files."""
from __future__ import annotations

import re
from itertools import groupby

from . import Report, Reporter, count

# Characters XML 1.0 cannot carry at all; a YAML "\x07" escape can put them in a value.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape(text: str) -> str:
    """Text content of an XML element (xml.sax.saxutils would pull in urllib at start-up)."""
    return _NOT_XML.sub("\ufffd", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(text: str) -> str:
    """A double-quoted XML attribute value; newlines and tabs kept as character references."""
    return '"' + escape(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;") + '"'


class JunitReporter(Reporter):
    name = "junit"
    help = "JUnit XML"

    def render(self, report: Report, lang: str = "zh") -> str:
        cases = []
        failures = 0
        for file, group in groupby(report.diagnostics, key=lambda d: d.file):
            group = list(group)
            failing = [d for d in group if d.severity.value == "error" or (report.strict and d.severity.value == "warning")]
            body = "\n".join(f"{d.file}:{d.line}:{d.column} {d.severity.value} {d.code} {d.message(lang)} {d.hint(lang)}"
                             for d in group)
            if failing:
                failures += 1
                first = failing[0]
                cases.append(f'    <testcase classname="gkml.validate" name={quoteattr(file)}>\n'
                             f'      <failure type={quoteattr(first.code)} message={quoteattr(first.message(lang))}>{escape(body)}</failure>\n'
                             f'    </testcase>')
            else:
                cases.append(f'    <testcase classname="gkml.validate" name={quoteattr(file)}>\n'
                             f'      <system-out>{escape(body)}</system-out>\n    </testcase>')
        clean = report.files - len(cases)
        if clean > 0:
            cases.append(f'    <testcase classname="gkml.validate" name={quoteattr(count(clean, "clean file"))}/>')
        for s in report.suppressed:   # a silenced finding is a skipped case, with the comment's reason
            d = s.diagnostic
            cases.append(f'    <testcase classname="gkml.validate" name={quoteattr(f"{d.file}:{d.line}:{d.column} {d.code}")}>\n'
                         f'      <skipped message={quoteattr(s.reason)}/>\n    </testcase>')
        skipped = f' skipped="{len(report.suppressed)}"' if report.suppressed else ""
        tests = len(cases)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<testsuites name="gkml" tests="{tests}" failures="{failures}">\n'
                f'  <testsuite name="gkml validate" tests="{tests}" failures="{failures}" errors="0"{skipped}>\n'
                + "\n".join(cases) + ("\n" if cases else "") +
                '  </testsuite>\n</testsuites>\n')
