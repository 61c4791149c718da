"""Reporters: a name → class registry that also feeds `--format`. Each renders a Report to text."""
from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Diagnostic, summarize


@dataclass(frozen=True)
class Report:
    """What reporters see: sorted diagnostics and what was checked; no third-party objects."""

    diagnostics: tuple[Diagnostic, ...]
    files: int
    catalogs: int
    items: int
    strict: bool = False
    tool_version: str = ""

    @property
    def counts(self) -> dict[str, int]:
        return dict(summarize(self.diagnostics))


class Reporter:
    """Base class: render(report, lang) → str."""

    name = ""
    help = ""

    def render(self, report: Report, lang: str = "zh") -> str:  # pragma: no cover - interface
        raise NotImplementedError


def _registry() -> dict[str, type[Reporter]]:
    from .text import TextReporter
    from .json import JsonReporter
    from .github import GithubReporter
    from .sarif import SarifReporter
    from .junit import JunitReporter
    return {cls.name: cls for cls in (TextReporter, JsonReporter, GithubReporter, SarifReporter, JunitReporter)}


REPORTERS: dict[str, type[Reporter]] = _registry()
