"""The one immutable diagnostic record, and the one place positions become 1-based."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable, Mapping

from .codes import CODES, render


class Severity(str, Enum):
    """How bad a finding is; errors fail the gate, warnings only with --strict, infos never."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def zh(self) -> str:
        return {"error": "错误", "warning": "警告"}.get(self.value, "提示")


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding refers to (the other duplicate, the upper item)."""

    file: str
    line: int
    column: int
    path: str
    item: str | None
    note: str  # short label in Chinese, e.g. "上级事项"
    note_en: str = ""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: stable code, severity, 1-based position, JSON pointer and message arguments."""

    code: str
    severity: Severity
    file: str
    line: int
    column: int
    path: str
    item: str | None
    args: tuple[tuple[str, str], ...] = ()
    related: tuple[Related, ...] = field(default=())

    def message(self, lang: str = "zh") -> str:
        return render(self.code, "message", lang, dict(self.args))

    def hint(self, lang: str = "zh") -> str:
        return render(self.code, "hint", lang, dict(self.args))

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.column, self.code, self.path, self.args)


def pointer(path: Iterable[str | int]) -> str:
    """RFC 6901 JSON pointer for a path tuple."""
    out = []
    for part in path:
        out.append("/" + str(part).replace("~", "~0").replace("/", "~1"))
    return "".join(out)


def make(
    code: str,
    file: str,
    mark: tuple[int, int] | None,
    path: Iterable[str | int] = (),
    item: str | None = None,
    related: Iterable[Related] = (),
    severity: Severity | None = None,
    **args: object,
) -> Diagnostic:
    """Build a diagnostic from a 0-based (line, column) mark; the only 0→1-based conversion."""
    line, column = mark if mark is not None else (0, 0)
    sev = severity or Severity(CODES[code].severity)
    return Diagnostic(
        code=code,
        severity=sev,
        file=file,
        line=line + 1,
        column=column + 1,
        path=pointer(path),
        item=item,
        args=tuple(sorted((k, "" if v is None else str(v)) for k, v in args.items())),
        related=tuple(related),
    )


def related(file: str, mark: tuple[int, int] | None, path: Iterable[str | int], item: str | None,
            note: str, note_en: str = "") -> Related:
    """Build a related location from a 0-based mark (same conversion as make)."""
    line, column = mark if mark is not None else (0, 0)
    return Related(file, line + 1, column + 1, pointer(path), item, note, note_en)


def summarize(diagnostics: Iterable[Diagnostic]) -> Mapping[str, int]:
    """Counts per severity."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for d in diagnostics:
        counts[d.severity.value] += 1
    return counts


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted, de-duplicated findings: independent of file order and of scheduling."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)
