"""A diff from two specs: open both sides, load only the files whose blobs differ, compare,
mark what is declared, follow cancelled and changed items down the levels."""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from ..diagnostics import Diagnostic
from ..loader import parse
from ..model import Catalog, build_catalog
from ..sources import UsageError, display, find_registry
from . import declared
from .compare import ADD, Diff, Impact, compare
from .sides import Side, differing, open_side, region_names


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
        names = side.implementing(frontier)
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


def diff_specs(old: str, new: str, root: str = "catalogs", cwd: str = ".", impact: bool = True) -> Loaded:
    """The diff from old to new (git revisions, folders, or "" for the working tree); impact: follow
    cancelled and changed items down the levels (reads the lower catalogs)."""
    old_side, new_side = open_side(old, root, cwd), open_side(new, root, cwd)
    names = differing(old_side, new_side)
    before, after = _load(old_side, names), _load(new_side, names)
    diff = compare(before, after, old_side.label, new_side.label, old_side.shown, new_side.shown)
    diff.names = region_names(new_side, old_side)
    loaded = Loaded(old_side, new_side, before, after, diff)
    declared.annotate(diff, after, before, loaded.name_of)
    if impact:
        _impact(diff, new_side, after)
    return loaded


def since_findings(revision: str, root: str = "catalogs", cwd: str = ".") -> list[Diagnostic]:
    """validate --since REV: the findings of the working tree's changes against REV."""
    # its findings are about the changed files alone: the lower levels are validate's (GK601), not read here
    loaded = diff_specs(revision, "", root, cwd, impact=False)
    return declared.since(loaded.diff, loaded.new, loaded.old, loaded.name_of, revision)


def since_for_paths(revision: str, paths: tuple[str, ...], cwd: str = ".") -> list[Diagnostic]:
    """validate PATH… --since REV: folders compared whole; a named file compared within its catalog
    set (the folder holding its registry/, else its own folder: an item may move between files),
    reporting on the named files only."""
    if not paths:
        return since_findings(revision, "catalogs", cwd)
    base = Path(cwd).resolve()
    out: list[Diagnostic] = []
    wanted: dict[str, set[str]] = {}   # root as given to git -> the files named in it (empty: all)
    for given in paths:
        path = Path(cwd, given)
        if path.is_dir():
            wanted[given] = set()
            continue
        if not path.is_file():
            raise UsageError(f"--since:找不到文件或文件夹 {given}", f"--since: no such file or folder: {given}")
        found = find_registry([str(path)])
        root = found[0].parent if found else path.resolve().parent
        shown = os.path.relpath(root, base)
        named = wanted.setdefault(shown, {display(path, base)})
        if named:   # a folder named too reports on all of it
            named.add(display(path, base))
    for root, named in wanted.items():
        for d in since_findings(revision, root, cwd):
            if not named or os.path.normpath(d.file) in {os.path.normpath(n) for n in named}:
                out.append(d)
    return out
