"""The diff between two loaded catalog sets: a pure function of their models (no I/O).

Items are matched by `id` across every given file (an item that moved to another file is a 变更
of its `file`); what is left is matched by region and matter title (an id renamed: a 变更 of its
`id`); the rest is 增加 or 取消. Seed 001/002/003: catalogs change by 增加, 取消 or 变更.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..fields import CATALOG_KEYS
from ..model import SECTIONS_KEY, Catalog, Item

ADD, CANCEL, CHANGE = "增加", "取消", "变更"
TYPES = (ADD, CANCEL, CHANGE)
TYPE_EN = {ADD: "added", CANCEL: "cancelled", CHANGE: "changed"}
# a catalog's header, from the field table: the change record itself is not a header change
HEADER_KEYS = tuple(key for key in CATALOG_KEYS if key != "changes")


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value (None where absent)."""

    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Impact:
    """A lower item that implements a cancelled or changed upper item."""

    id: str
    region: str | None
    file: str
    line: int


@dataclass(frozen=True)
class Change:
    """One item's change between the sides; file and line are on the new side (the old for 取消)."""

    type: str
    id: str
    region: str | None
    area: str | None
    title: str
    file: str
    line: int
    fields: tuple[FieldChange, ...] = ()
    was: str | None = None          # the old id, when the id was renamed
    declared: bool = False
    reason: str = ""
    basis: str = ""                 # the declared basis of the change (the entry's, else its record's)
    impact: tuple[Impact, ...] = ()


@dataclass(frozen=True)
class HeaderChange:
    """A catalog file added, removed, or with changed header fields."""

    type: str
    file: str
    line: int
    region: str | None
    area: str | None
    fields: tuple[FieldChange, ...] = ()


@dataclass
class Diff:
    """Everything that changed from old to new."""

    old: str
    new: str
    changes: list[Change] = field(default_factory=list)
    headers: list[HeaderChange] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)   # region code -> name, from the registry

    def region(self, code: str | None) -> str:
        """A region as reports show it: 砀山县(341321), or its code when the registry has no name."""
        if not code:
            return ""
        name = self.names.get(code)
        return f"{name}({code})" if name else code

    def summary(self) -> dict[str, int]:
        """Item changes counted per type."""
        counts = {t: 0 for t in TYPES}
        for c in self.changes:
            counts[c.type] += 1
        return counts


def _plain(value: object) -> object:
    # ruamel/loader values are plain already; tuples (never from the loader) become lists for JSON
    return list(value) if isinstance(value, tuple) else value


def _item_fields(item: Item) -> dict:
    data = item.catalog.data["items"][item.index]
    return {k: _plain(v) for k, v in data.items() if k != "id"} if isinstance(data, dict) else {}


def field_changes(old: dict, new: dict) -> tuple[FieldChange, ...]:
    """The fields whose values differ, in the new mapping's key order then the removed ones."""
    keys = list(new) + [k for k in old if k not in new]
    return tuple(FieldChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k))


def _title_key(item: Item) -> tuple:
    return (item.catalog.region, item.matter, item.sub_matter, item.third_matter)


def _line(item: Item) -> int:
    return item.mark()[0] + 1


def _items_line(catalog: Catalog, area: str | None) -> int:
    """The line of the `items` key a cancelled item stood under: its section's in a file of sections."""
    for part in catalog.parts():
        if part.section is None or part.area == area:
            return part.mark("items", at_key=True)[0] + 1
    return catalog.mark(SECTIONS_KEY, at_key=True)[0] + 1


def _by_id(catalogs: dict[str, Catalog]) -> dict[str, Item]:
    found: dict[str, Item] = {}
    for name in sorted(catalogs):
        for item in catalogs[name].items:
            if item.id is not None:
                found.setdefault(item.id, item)
    return found


def _change(kind: str, item: Item, file: str, fields=(), was=None) -> Change:
    return Change(kind, item.id or "", item.catalog.region, item.catalog.area, item.title, file, _line(item),
                  tuple(fields), was)


def compare(old: dict[str, Catalog], new: dict[str, Catalog], old_label: str = "", new_label: str = "",
            shown_old=lambda n: n, shown_new=lambda n: n) -> Diff:
    """The diff of two sets of catalogs (name -> model; only the files that differ are needed)."""
    diff = Diff(old_label, new_label)
    before, after = _by_id(old), _by_id(new)
    # a file of sections: its items' catalogs are its sections (model.Catalog.parts), named by the file
    name_of = {id(p): n for side in (old, new) for n, c in side.items() for p in (c, *c.parts())}
    for key in sorted(set(before) & set(after)):
        a, b = before[key], after[key]
        fields = list(field_changes(_item_fields(a), _item_fields(b)))
        moved_from, moved_to = name_of[id(a.catalog)], name_of[id(b.catalog)]
        if moved_from != moved_to:
            fields.insert(0, FieldChange("file", shown_old(moved_from), shown_new(moved_to)))
        elif a.catalog.area != b.catalog.area:   # moved between two sections of one file
            fields.insert(0, FieldChange("area", a.catalog.area, b.catalog.area))
        if fields:
            diff.changes.append(_change(CHANGE, b, shown_new(moved_to), fields))
    removed = {k: before[k] for k in sorted(set(before) - set(after))}
    added = {k: after[k] for k in sorted(set(after) - set(before))}
    # an id renamed: the one removed and the one added item of a region with the same matter title
    titles_old: dict[tuple, list[str]] = {}
    for k, item in removed.items():
        titles_old.setdefault(_title_key(item), []).append(k)
    titles_new: dict[tuple, list[str]] = {}
    for k, item in added.items():
        titles_new.setdefault(_title_key(item), []).append(k)
    for title, olds in titles_old.items():
        news = titles_new.get(title, [])
        if len(olds) == 1 and len(news) == 1 and title[1]:
            a, b = removed.pop(olds[0]), added.pop(news[0])
            fields = [FieldChange("id", a.id, b.id)]
            if name_of[id(a.catalog)] != name_of[id(b.catalog)]:
                fields.append(FieldChange("file", shown_old(name_of[id(a.catalog)]), shown_new(name_of[id(b.catalog)])))
            fields.extend(field_changes(_item_fields(a), _item_fields(b)))
            diff.changes.append(_change(CHANGE, b, shown_new(name_of[id(b.catalog)]), fields, was=a.id))
    for item in added.values():
        diff.changes.append(_change(ADD, item, shown_new(name_of[id(item.catalog)])))
    for item in removed.values():
        name = name_of[id(item.catalog)]
        target = new.get(name)  # shown where it was, in the new file when that still exists
        file = shown_new(name) if target is not None else shown_old(name)
        line = _items_line(target, item.catalog.area) if target is not None else _line(item)
        diff.changes.append(Change(CANCEL, item.id or "", item.catalog.region, item.catalog.area, item.title,
                                   file, line))
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a is None or b is None:
            cat = b if b is not None else a
            diff.headers.append(HeaderChange(ADD if b is not None else CANCEL,
                                             shown_new(name) if b is not None else shown_old(name), 1,
                                             cat.region, cat.area))
            continue
        fields = field_changes({k: a.data.get(k) for k in HEADER_KEYS if k in a.data},
                               {k: b.data.get(k) for k in HEADER_KEYS if k in b.data})
        if fields:
            first = fields[0].field
            line = b.mark(first)[0] + 1 if first in b.data else 1
            diff.headers.append(HeaderChange(CHANGE, shown_new(name), line, b.region, b.area, fields))
    diff.changes.sort(key=lambda c: (c.file, c.line, c.type, c.id))
    return diff
