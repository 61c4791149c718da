"""The rule registry: one module per rule family, each rule one documented function.

A file rule takes one Catalog and yields diagnostics; a project rule takes the Project (every
catalog plus the registry). A rule's docstring is a one-line developer summary; what each code
checks, why and how to fix it (Chinese and English, for `gkml explain` and SARIF) is documented
once, in the code's record in the code table (compiler/codes.py, codes_cross.py, codes_import.py).
To add a rule: write the function in its family module, list it in that module's RULES, add its
codes with their documentation to the code table and add a test case.

A project rule also declares its reach: what its findings at a place depend on, so that an edit
re-runs it only over the catalogs the edit can change (compiler/scope.py). One of:

- "headers": the registry and the catalogs' headers (region, area, level) only;
- "catalog": one catalog and the registry (findings at that catalog);
- "region": every catalog of one region (findings at a catalog of that region);
- "id": every item sharing an id (findings carry that id);
- "chain": the catalogs of one key area and of the areas `implements` ties it to (findings at a
  catalog of that area; with `about`, the finding argument naming the region it is about, when
  that is not its catalog's: GK603 at an upper item is about the region lacking it);
- "project": anything; every change re-runs the rule over the whole set (the safe default).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from ..diagnostics import Diagnostic


@dataclass(frozen=True)
class Rule:
    """A registered rule: its function, scope ('file' or 'project') and the codes it produces."""

    fn: Callable[..., Iterable[Diagnostic]]
    scope: str
    codes: tuple[str, ...]
    reach: str = "project"
    about: str = ""   # the argument naming the region a finding is about (reach "chain"), when not its catalog's

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


REACHES = ("headers", "catalog", "region", "id", "chain", "project")


def project_rule(*codes: str, reach: str = "project", about: str = ""):
    """Mark a function as a project rule producing codes, whose findings depend on reach (above)."""
    if reach not in REACHES:
        raise ValueError(f"unknown reach {reach!r}")

    def wrap(fn):
        fn.rule = Rule(fn, "project", codes, reach, about)
        return fn
    return wrap


def _families():
    # Explicit registry, in the order rules run. Each family module lists its RULES.
    from . import bases, changes, coverage, duplicates, ids, items, legal, registry_entries, units, vertical
    return [items, changes, ids, registry_entries, coverage, units, duplicates, vertical, legal, bases]


def all_rules() -> list[Rule]:
    """Every registered rule, in run order."""
    return [fn.rule for family in _families() for fn in family.RULES]


# The registry is fixed once the modules are imported; the per-file stage asks for it once per
# catalog (709,631 matters in 25,755 catalogs at full scale), and rebuilding it there was 1.6% of
# the per-file stage's CPU (cProfile, every 10th file of the full tree)
@lru_cache(maxsize=None)
def _scoped(scope: str) -> tuple[Rule, ...]:
    return tuple(r for r in all_rules() if r.scope == scope)


def file_rules() -> tuple[Rule, ...]:
    """The rules on one catalog, in run order."""
    return _scoped("file")


def project_rules() -> tuple[Rule, ...]:
    """The rules across catalogs, in run order."""
    return _scoped("project")
