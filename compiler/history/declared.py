"""Declared changes: the catalog's `changes` record read, checked and compared with a diff (pure).

The record (issue 19, Deliver 3): a list of {version, date, entries: [{type, id, fields, reason}]},
oldest first; its last entry declares the current adjustment. Seeds 001-003: every adjustment
is traceable (谁公开、谁调整、谁负责), with its reason.
"""
from __future__ import annotations

from dataclasses import replace

from ..diagnostics import Diagnostic, make
from ..loader import locate
from ..model import Catalog
from .compare import ADD, CANCEL, CHANGE, TYPE_EN, Change, Diff
from .render import shown_value

# Codes of validate --since; the record's own findings (GK904-GK906) are reported by rules/changes.py.
PRODUCES = ("GK901", "GK902", "GK903", "GK910", "GK911", "GK912")
NEEDS_REASON = (CANCEL, CHANGE)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None or isinstance(value, bool) else str(value))


def record(data: object) -> list[dict]:
    """The changes entries of a catalog's data (only well-formed mappings; the schema reports the rest)."""
    found = data.get("changes") if isinstance(data, dict) else None
    return [e if isinstance(e, dict) else {} for e in found] if isinstance(found, list) else []


def entries(change: dict) -> list[dict]:
    """The entries of one changes entry (mappings only)."""
    found = change.get("entries")
    return [e if isinstance(e, dict) else {} for e in found] if isinstance(found, list) else []


def current(new: Catalog | None, old: Catalog | None) -> int | None:
    """Index of the changes entry declaring the adjustment from old to new: new's last entry when
    its version is not one old already recorded (else nothing is declared yet)."""
    if new is None:
        return None
    mine = record(new.data)
    if not mine:
        return None
    versions = {_text(c.get("version")) for c in record(old.data)} if old is not None else set()
    last = _text(mine[-1].get("version"))
    return len(mine) - 1 if last not in versions else None


def _position(catalog: Catalog, path: tuple) -> tuple[int, int]:
    return locate(catalog.positions, path)


def shape(catalog: Catalog, items=None) -> list[Diagnostic]:
    """Findings of the record alone: order, unique versions, reasons, ids that exist or existed
    (items: the file's, when the catalog is one section of it)."""
    out: list[Diagnostic] = []
    changes = record(catalog.data)
    seen_versions: dict[str, int] = {}
    last_date = ""
    state: dict[str, tuple[str, tuple]] = {}  # id -> (last declared type, its path)
    for i, change in enumerate(changes):
        version, date = _text(change.get("version")), _text(change.get("date"))
        if version and version in seen_versions:
            out.append(make("GK905", catalog.file, _position(catalog, ("changes", i, "version")),
                            ("changes", i, "version"), problem=f"中版本 {version} 登记了两次",
                            problem_en=f"lists version {version} twice"))
        seen_versions.setdefault(version, i)
        if date and last_date and date < last_date:
            out.append(make("GK905", catalog.file, _position(catalog, ("changes", i, "date")),
                            ("changes", i, "date"), problem=f"的日期 {date} 早于上一条的 {last_date}(应从早到晚排列)",
                            problem_en=f"date {date} is before the previous entry's {last_date} (oldest first)"))
        last_date = max(last_date, date)
        for j, entry in enumerate(entries(change)):
            kind, item = _text(entry.get("type")), _text(entry.get("id"))
            path = ("changes", i, "entries", j)
            if kind in NEEDS_REASON and not _text(entry.get("reason")).strip():
                out.append(make("GK904", catalog.file, _position(catalog, path), path, item or None,
                                id=item, type=kind, type_en=TYPE_EN[kind]))
            was = _text(entry.get("was"))
            if was:
                state[was] = (CANCEL, path)
            if item and kind in TYPE_EN:
                state[item] = (kind, path)
    present = {i.id for i in (catalog.items if items is None else items) if i.id is not None}
    for item, (kind, path) in sorted(state.items()):
        if kind == CANCEL and item in present and item not in {_text(e.get("was")) for c in changes for e in entries(c)}:
            problem, problem_en = "仍在 items 中", "is still in items"
        elif kind in (ADD, CHANGE) and item not in present:
            problem, problem_en = "不在 items 中", "is not in items"
        else:
            continue
        out.append(make("GK906", catalog.file, _position(catalog, path + ("id",)), path + ("id",), item,
                        id=item, type=kind, type_en=TYPE_EN[kind], problem=problem, problem_en=problem_en))
    return out


def _declared(change: Change, entry_list: list[dict]) -> dict | None:
    for entry in entry_list:
        if _text(entry.get("type")) == change.type and _text(entry.get("id")) == change.id:
            return entry
    return None


def annotate(diff: Diff, new: dict[str, Catalog], old: dict[str, Catalog], name_of_shown) -> Diff:
    """The diff with each change's declared flag and reason, from the declaring entry of its catalog."""
    out = []
    for change in diff.changes:
        name = name_of_shown(change.file)
        at = current(new.get(name), old.get(name))
        whole = record(new[name].data)[at] if at is not None else {}
        entry = _declared(change, entries(whole)) if at is not None else None
        out.append(replace(change, declared=entry is not None, reason=_text(entry.get("reason")) if entry else "",
                           basis=(_text(entry.get("basis")) or _text(whole.get("basis"))) if entry else ""))
    diff.changes = out
    return diff


def since(diff: Diff, new: dict[str, Catalog], old: dict[str, Catalog], name_of_shown, revision: str) -> list[Diagnostic]:
    """validate --since findings: undeclared changes, declared changes that did not happen, and
    changed catalogs whose version stayed the same."""
    out: list[Diagnostic] = []
    by_file: dict[str, list[Change]] = {}
    for change in diff.changes:
        by_file.setdefault(name_of_shown(change.file), []).append(change)
        if not change.declared:
            fields = "、".join(f.field for f in change.fields) if change.fields else change.title
            out.append(make("GK901", change.file, (change.line - 1, 0), (), change.id or None, id=change.id,
                            type=change.type, type_en=TYPE_EN[change.type], fields=fields, since=revision))
    happened = {(c.type, c.id): c for c in diff.changes}
    for name, catalog in sorted(new.items()):
        before = old.get(name)
        at = current(catalog, before)
        if at is not None:
            for j, entry in enumerate(entries(record(catalog.data)[at])):
                kind, item = _text(entry.get("type")), _text(entry.get("id"))
                path = ("changes", at, "entries", j)
                if kind in TYPE_EN and item and (kind, item) not in happened:
                    out.append(make("GK902", catalog.file, _position(catalog, path), path, item,
                                    id=item, type=kind, type_en=TYPE_EN[kind], since=revision))
                elif kind == CHANGE and item:
                    out.extend(_declared_fields(catalog, path, entry, happened[(kind, item)], revision))
        if before is not None and by_file.get(name) and _text(before.version) == _text(catalog.version):
            out.append(make("GK903", catalog.file, catalog.mark("version"), ("version",), None,
                            version=_text(catalog.version)))
    return out


def _declared_fields(catalog: Catalog, path: tuple, entry: dict, change: Change, revision: str) -> list[Diagnostic]:
    """A declared 变更 against what changed: each declared field that did not change (GK910), the
    changed fields it leaves out (GK911), and recorded old/new values that are not the real ones (GK912)."""
    out: list[Diagnostic] = []
    real = {f.field: f for f in change.fields}
    written = entry.get("fields")
    names = [_text(f) for f in written] if isinstance(written, list) else []
    for k, name in enumerate(names):
        if name and name not in real:
            at = path + ("fields", k)
            out.append(make("GK910", catalog.file, _position(catalog, at), at, change.id, id=change.id, field=name,
                            since=revision, changed="、".join(real) or "(无)"))
    left_out = [name for name in real if name not in names]
    if left_out:
        at = path + ("fields",) if isinstance(written, list) else path
        out.append(make("GK911", catalog.file, _position(catalog, at), at, change.id, id=change.id,
                        fields="、".join(left_out), since=revision))
    values = entry.get("values")
    for k, value in enumerate(values if isinstance(values, list) else ()):
        name = _text(value.get("field")) if isinstance(value, dict) else ""
        if name not in real:
            continue   # a field that did not change is GK910's (when declared) or the schema's business
        for side in ("old", "new"):
            want = getattr(real[name], side)
            if value.get(side) != want:
                at = path + ("values", k, side) if side in value else path + ("values", k)
                out.append(make("GK912", catalog.file, _position(catalog, at), at, change.id, id=change.id,
                                field=name, side=side, side_zh="原值" if side == "old" else "新值",
                                written=shown_value(value.get(side)), real=shown_value(want), since=revision))
    return out

