"""The Code record of the code table, on its own so that every family's code table can import it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    """One entry of the code table."""

    code: str
    name: str
    severity: str  # "error" | "warning"
    message_zh: str
    message_en: str
    hint_zh: str
    hint_en: str
    bad: str = ""   # a failing example (YAML), shown by `gkml explain`
    good: str = ""  # the passing counterpart
