"""A diff from two specs: open both sides, load only the files whose blobs differ, compare,
mark what is declared, follow cancelled and changed items down the levels."""
from __future__ import annotations

from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic
from ..loader import parse
from ..model import Catalog, build_catalog
from . import declared
from .compare import ADD, Diff, Impact, compare
from .sides import Side, differing, open_side


@dataclass
class Loaded:
    """Both sides, the catalogs of the files that differ (name -> model) and their diff."""

    old_side: Side
    new_side: Side
    old: dict[str, Catalog]
    new: dict[str, Catalog]
    diff: Diff

    def name_of(self, shown: str) -> str:
        """The name relative to the compared root of a file shown on either side."""
        for side in (self.new_side, self.old_side):
            root = side.root.rstrip("/")
            if root not in ("", ".") and shown.startswith(root + "/"):
                return shown[len(root) + 1:]
        return shown


def _load(side: Side, names: list[str]) -> dict[str, Catalog]:
    present = [n for n in names if n in side.blobs]
    out: dict[str, Catalog] = {}
    for name, raw in side.read(present).items():
        # the loader and the model only: a diff needs no schema findings or rules (validate has them)
        catalog = build_catalog(parse(raw, side.shown(name)))
        if catalog is not None:
            out[name] = catalog
    return out


def _impact(diff: Diff, side: Side, loaded: dict[str, Catalog]) -> Diff:
    """Each cancelled or changed item's lower items on the new side, down every level (an item
    whose implements names it, then the items implementing those, ...)."""
    roots = {c.id: c for c in diff.changes if c.type != ADD and c.id}
    roots.update({c.was: c for c in diff.changes if c.type != ADD and c.was})
    catalogs = dict(loaded)
    below: dict[str, list[Impact]] = {}   # upper id -> the items implementing it
    frontier, seen = sorted(roots), set(roots)
    while frontier:
        wanted = set(frontier)
        names = side.containing(frontier)
        catalogs.update(_load(side, [n for n in names if n not in catalogs]))
        frontier = []
        for name in sorted(catalogs):
            for item in catalogs[name].items:
                if item.implements in wanted and item.id is not None:
                    below.setdefault(item.implements, []).append(
                        Impact(item.id, item.catalog.region, side.shown(name), item.mark()[0] + 1))
                    if item.id not in seen:
                        seen.add(item.id)
                        frontier.append(item.id)
        frontier.sort()

    def chain(start: str) -> list[Impact]:
        out, todo, done = [], [start], {start}
        while todo:
            for lower in below.get(todo.pop(0), []):
                if lower.id not in done:
                    done.add(lower.id)
                    out.append(lower)
                    todo.append(lower.id)
        return out

    diff.changes = [replace(c, impact=tuple(chain(c.id) + (chain(c.was) if c.was else []))) if c.type != ADD else c
                    for c in diff.changes]
    return diff


def diff_specs(old: str, new: str, root: str = "catalogs", cwd: str = ".") -> Loaded:
    """The diff from old to new (git revisions, folders, or "" for the working tree)."""
    old_side, new_side = open_side(old, root, cwd), open_side(new, root, cwd)
    names = differing(old_side, new_side)
    before, after = _load(old_side, names), _load(new_side, names)
    diff = compare(before, after, old_side.label, new_side.label, old_side.shown, new_side.shown)
    loaded = Loaded(old_side, new_side, before, after, diff)
    declared.annotate(diff, after, before, loaded.name_of)
    _impact(diff, new_side, after)
    return loaded


def since_findings(revision: str, root: str = "catalogs", cwd: str = ".") -> list[Diagnostic]:
    """validate --since REV: the findings of the working tree's changes against REV."""
    loaded = diff_specs(revision, "", root, cwd)
    return declared.since(loaded.diff, loaded.new, loaded.old, loaded.name_of, revision)
