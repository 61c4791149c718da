"""`gkml diff --record`: append the undeclared changes to each catalog's `changes`, keeping the
file as written (ruamel.yaml round trip: comments, order and quotes), written atomically."""
from __future__ import annotations

import io
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..atomic import write_text
from ..loader import parse
from ..model import SECTIONS_KEY
from ..sources import UsageError
from . import declared
from .compare import CHANGE, Change, FieldChange


def next_version(version: str) -> str:
    """The version after version: its last number plus one ("2024.1" → "2024.2"), else version + ".1"."""
    found = list(re.finditer(r"\d+", version))
    if not found:
        return f"{version}.1" if version else "1"
    last = found[-1]
    return version[:last.start()] + str(int(last.group()) + 1).zfill(len(last.group())) + version[last.end():]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.width = 100_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _entry(change: Change) -> CommentedMap:
    entry = CommentedMap()
    entry["type"] = change.type
    entry["id"] = DoubleQuotedScalarString(change.id)
    if change.was:
        entry["was"] = DoubleQuotedScalarString(change.was)
    if change.type == CHANGE:
        entry["fields"] = _flow(CommentedSeq(f.field for f in change.fields))
        # each field's old and new value, for the 更新记录 and the table sent upward (absent: no key)
        entry["values"] = CommentedSeq(_value(f) for f in change.fields)
    entry["reason"] = DoubleQuotedScalarString("")
    if change.type != CHANGE:   # one line each; a change with its values reads better as a block
        entry.fa.set_flow_style()
    return entry


def _flow(node):
    node.fa.set_flow_style()
    return node


def _plain(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return _flow(CommentedSeq(_plain(v) for v in value))
    if isinstance(value, dict):
        return _flow(CommentedMap((k, _plain(v)) for k, v in value.items()))
    return value


def _value(change: FieldChange) -> CommentedMap:
    out = CommentedMap(field=change.field)
    for key, value in (("old", change.old), ("new", change.new)):
        if value is not None:
            out[key] = _plain(value)
    return _flow(out)


def add_to_text(text: str, changes: list[Change], old_version: str | None, declaring: int | None, today: str) -> str:
    """The catalog text with changes appended to its declaring entry (a new entry, and a new
    version when the version is still old_version, where nothing declares this adjustment yet)."""
    yaml = _yaml()
    data = yaml.load(text)
    record = data.get("changes")
    if not isinstance(record, list):
        record = CommentedSeq()
        keys = list(data)
        body = next((keys.index(k) for k in ("items", SECTIONS_KEY) if k in keys), len(keys))  # the header's end
        data.insert(body, "changes", record)
    if declaring is None:
        version = str(data.get("version", ""))
        if old_version is not None and version == old_version:
            version = next_version(version)
            data["version"] = DoubleQuotedScalarString(version)
        entry = CommentedMap()
        entry["version"] = DoubleQuotedScalarString(version)
        entry["date"] = DoubleQuotedScalarString(today)
        entry["entries"] = CommentedSeq()
        record.append(entry)
        target = entry
    else:
        target = record[declaring]
        if not isinstance(target.get("entries"), list):
            target["entries"] = CommentedSeq()
    for change in changes:
        target["entries"].append(_entry(change))
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def record(loaded, today: str, cwd: str = ".") -> list[tuple[str, int]]:
    """Append every undeclared change to its catalog on the working tree; (file, count) written."""
    if loaded.new_side.commit is not None:
        raise UsageError("--record 只能写入工作区:NEW 须省略(与工作区比较)",
                         "--record writes to the working tree: leave NEW out (compare with the working tree)")
    by_name: dict[str, list[Change]] = {}
    for change in loaded.diff.changes:
        if not change.declared:
            by_name.setdefault(loaded.name_of(change.file), []).append(change)
    written = []
    for name, changes in sorted(by_name.items()):
        catalog = loaded.new.get(name)
        if catalog is None:  # the whole file was removed: nowhere to record its cancellations
            continue
        before = loaded.old.get(name)
        path = Path(cwd, loaded.new_side.shown(name))
        text = path.read_text("utf-8")
        at = declared.current(catalog, before)
        new_text = add_to_text(text, changes, before.version if before is not None else None, at, today)
        if parse(new_text.encode("utf-8"), catalog.file).data is None:  # never write what gkml cannot read
            raise UsageError(f"无法写入 {catalog.file} 的调整记录", f"cannot write the change record of {catalog.file}")
        write_text(path, new_text)
        written.append((catalog.file, len(changes)))
    return written
