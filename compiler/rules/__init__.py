"""The rule registry: one module per rule family, each rule one documented function.

A file rule takes one Catalog and yields diagnostics; a project rule takes the Project (every
catalog plus the registry). A rule's docstring is its documentation (`gkml explain`).
To add a rule: write the function in its family module, list it in that module's RULES, add its
code to the code table (compiler/codes.py or the module's CODES) and add a test case.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class Rule:
    """A registered rule: its function, scope ('file' or 'project') and the codes it produces."""

    fn: Callable[..., Iterable[Diagnostic]]
    scope: str
    codes: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.fn.__name__.replace("_", "-")

    @property
    def doc(self) -> str:
        return (self.fn.__doc__ or "").strip()


def file_rule(*codes: str):
    """Mark a function as a file rule producing codes."""
    def wrap(fn):
        fn.rule = Rule(fn, "file", codes)
        return fn
    return wrap


def project_rule(*codes: str):
    """Mark a function as a project rule producing codes."""
    def wrap(fn):
        fn.rule = Rule(fn, "project", codes)
        return fn
    return wrap


def _families():
    # Explicit registry, in the order rules run. Each family module lists its RULES.
    from . import coverage, duplicates, ids, items, legal, registry_entries, units, vertical
    return [items, ids, registry_entries, coverage, units, duplicates, vertical, legal]


def all_rules() -> list[Rule]:
    """Every registered rule, in run order."""
    return [fn.rule for family in _families() for fn in family.RULES]


def file_rules() -> list[Rule]:
    return [r for r in all_rules() if r.scope == "file"]


def project_rules() -> list[Rule]:
    return [r for r in all_rules() if r.scope == "project"]
