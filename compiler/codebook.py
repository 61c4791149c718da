"""The Code record of the code table, on its own so that every family's code table can import it.

A code's record is the one home of its documentation, in Chinese and English: the message and
hint templates a finding renders, and what `gkml explain`, `gkml rules` and SARIF's rule metadata
show: `doc` (first line a one-sentence summary, then what is checked and why) and, where the hint
is a template, `fix` (how to fix, with no placeholders).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of the code table."""

    code: str
    name: str
    severity: str  # "error" | "warning" | "info"
    message_zh: str
    message_en: str
    hint_zh: str
    hint_en: str
    doc_zh: str = ""  # what the code checks and why; the first line is its summary (tests/test_codes.py
    doc_en: str = ""  # fails while either is empty)
    fix_zh: str = ""  # how to fix in general, where hint_zh is a template ("" = the hint serves)
    fix_en: str = ""
    bad: str = ""   # a failing example (YAML), shown by `gkml explain`
    good: str = ""  # the passing counterpart

    def doc(self, lang: str = "zh") -> str:
        """What the code checks and why."""
        return self.doc_en if lang == "en" else self.doc_zh

    def summary(self, lang: str = "zh") -> str:
        """The one-sentence summary: the first line of doc."""
        return self.doc(lang).split("\n", 1)[0]

    def how_to_fix(self, lang: str = "zh") -> str:
        """How to fix, without placeholders: fix, else the hint."""
        if lang == "en":
            return self.fix_en or self.hint_en
        return self.fix_zh or self.hint_zh

    def title(self, lang: str = "zh") -> str:
        """The message template with each placeholder shown as …."""
        return _PLACEHOLDER.sub("…", self.message_en if lang == "en" else self.message_zh)
