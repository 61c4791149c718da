"""Reporters: a name → class registry that also feeds `--format`. Each renders a Report to text."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, Related, summarize
from ..printable import printable


def count(number: int, noun: str) -> str:
    """'1 error', '2 errors': an English count."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass(frozen=True)
class Report:
    """What reporters see: sorted diagnostics and what was checked; no third-party objects."""

    diagnostics: tuple[Diagnostic, ...]
    files: int
    catalogs: int
    items: int
    strict: bool = False
    tool_version: str = ""
    suppressed: tuple = ()   # suppress.Suppressed: findings silenced by a reasoned comment

    @property
    def counts(self) -> dict[str, int]:
        return dict(summarize(self.diagnostics))

    def printable(self, keep: str = "") -> "Report":
        """The report with every value a reader sees escaped by printable() (for text-ish formats)."""
        def related(r: Related) -> Related:
            return replace(r, file=printable(r.file, keep), item=r.item and printable(r.item, keep),
                           note=printable(r.note, keep), note_en=printable(r.note_en, keep))

        def diagnostic(d: Diagnostic) -> Diagnostic:
            return replace(d, file=printable(d.file, keep), item=d.item and printable(d.item, keep),
                           args=tuple((k, printable(v, keep)) for k, v in d.args),
                           related=tuple(related(r) for r in d.related))
        return replace(self, diagnostics=tuple(diagnostic(d) for d in self.diagnostics))


class Reporter:
    """Base class: render(report, lang) → str."""

    name = ""
    help = ""

    def render(self, report: Report, lang: str = "zh") -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def failure(self, message: str, tool_version: str, exit_code: int) -> str | None:
        """A document saying the run failed before any report (usage or tool error), or None
        for formats that leave it to the message on stderr."""
        return None


def _registry() -> dict[str, type[Reporter]]:
    from .text import TextReporter
    from .json import JsonReporter
    from .github import GithubReporter
    from .sarif import SarifReporter
    from .junit import JunitReporter
    return {cls.name: cls for cls in (TextReporter, JsonReporter, GithubReporter, SarifReporter, JunitReporter)}


REPORTERS: dict[str, type[Reporter]] = _registry()
