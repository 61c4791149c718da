"""`gkml validate FILE…`: files named alone are checked with the whole catalog set they belong to
(the cross-catalog rules need every catalog: an upper item, a duplicate id, a key area's
coverage), and only they are reported on."""
from __future__ import annotations

from pathlib import Path

from .sources import display, find_registry


def catalog_sets(paths: tuple[str, ...], base: Path, registry: Path | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(what to check, the names to report on): each named file's set folder (the one holding its
    registry/) in its place; a file outside any set is checked alone. Unchanged unless every path is a file."""
    if not paths or not all(Path(p).is_file() for p in paths):
        return paths, ()
    base = base.resolve()
    checked: list[str] = []
    names: list[str] = []
    for given in paths:
        path = Path(given)
        names.append(display(path, base))
        real = path.resolve()
        if registry is not None and real.is_relative_to(registry.parent):
            root = registry.parent
        else:
            found = find_registry([given])
            root = found[0].parent if found else None
        target = str(root) if root is not None else given
        if target not in checked:
            checked.append(target)
    return tuple(checked), tuple(names)
