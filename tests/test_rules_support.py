"""Helpers for the cross-catalog tests: edit copies of the embedded default the way people do.

Edits are textual (a line replaced, an item block removed or copied), so the tests exercise the
files exactly as written, and the expected line numbers are computed from the edited text.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml


def _block(text: str, item_id: str) -> tuple[int, int]:
    """Character span of the item block whose id is item_id."""
    for marker in (f'  - id: "{item_id}"\n', f"  - id: {item_id}\n"):
        start = text.find(marker)
        if start >= 0:
            break
    else:
        raise AssertionError(f"item {item_id} not found")
    nxt = text.find("\n  - id:", start + 4)
    end = len(text) if nxt < 0 else nxt + 1
    return start, end


def item_text(path: Path, item_id: str) -> str:
    text = path.read_text("utf-8")
    start, end = _block(text, item_id)
    return text[start:end]


def set_key(path: Path, item_id: str, key: str, value: str) -> None:
    """Replace (or add) `key: value` in one item of a catalog file."""
    text = path.read_text("utf-8")
    start, end = _block(text, item_id)
    lines = text[start:end].splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.startswith(f"    {key}:") or (n == 0 and key == "id"):
            lines[n] = (f"  - {key}: {value}\n" if n == 0 else f"    {key}: {value}\n")
            break
    else:
        lines.append(f"    {key}: {value}\n")
    path.write_text(text[:start] + "".join(lines) + text[end:], "utf-8")


def drop_key(path: Path, item_id: str, key: str) -> None:
    text = path.read_text("utf-8")
    start, end = _block(text, item_id)
    kept = [line for line in text[start:end].splitlines(keepends=True) if not line.startswith(f"    {key}:")]
    path.write_text(text[:start] + "".join(kept) + text[end:], "utf-8")


def remove_item(path: Path, item_id: str) -> None:
    text = path.read_text("utf-8")
    start, end = _block(text, item_id)
    path.write_text(text[:start] + text[end:], "utf-8")


def copy_item(source: Path, item_id: str, target: Path, new_id: str) -> None:
    """Append a copy of an item to another catalog, under a new id."""
    block = item_text(source, item_id)
    lines = block.splitlines(keepends=True)
    lines[0] = f'  - id: "{new_id}"\n'
    text = target.read_text("utf-8")
    if not text.endswith("\n"):
        text += "\n"
    target.write_text(text + "".join(lines), "utf-8")


def line_of(path: Path, item_id: str, key: str | None = None) -> int:
    """1-based line of an item (its `- id:` line) or of one of its keys."""
    text = path.read_text("utf-8")
    start, end = _block(text, item_id)
    first = text.count("\n", 0, start) + 1
    if key is None:
        return first
    for n, line in enumerate(text[start:end].splitlines()):
        if line.startswith(f"    {key}:") or (n == 0 and key == "id"):
            return first + n
    raise AssertionError(f"{key} not in {item_id}")


def append_registry(root: Path, kind: str, *entries: dict) -> None:
    """Append entries (as flow mappings) to catalogs/registry/<kind>.yaml."""
    path = root / "catalogs" / "registry" / f"{kind}.yaml"
    text = path.read_text("utf-8")
    if not text.endswith("\n"):
        text += "\n"
    for entry in entries:
        text += "  - " + json.dumps(entry, ensure_ascii=False) + "\n"
    path.write_text(text, "utf-8")


def write_yaml(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def findings(run, code: str) -> list[dict]:
    """The diagnostics of one code in a --format json run."""
    return [d for d in run.json["diagnostics"] if d["code"] == code]


def item(item_id: str, matter: str, unit: str, **extra) -> dict:
    """A complete, valid item for hand-built catalogs."""
    data = {"id": item_id, "matter": matter, "sub_matter": extra.pop("sub_matter", "办事指南"),
            "content": "办理条件、办理流程", "basis": ["《中华人民共和国政府信息公开条例》(国务院令第711号)"],
            "time_limit": "信息形成或者变更之日起20个工作日内", "responsible_unit": unit,
            "channels": ["政府网站"], "audience": "全社会", "method": "主动"}
    data.update(extra)
    return data


def catalog(region: str, level: str, area: str, department: str, items: list[dict], standard: bool = False) -> dict:
    return {"region": region, "level": level, "area": area, "department": department, "version": "2024.1",
            "standard": standard, "items": items}


DANGSHAN_TOWNSHIPS = ("341321100", "341321101", "341321102", "341321103")   # the default's townships of 砀山县


def besides_townships_owed(run, *upper_ids: str) -> list[dict]:
    """The run's findings but the GK603 each of 砀山县's townships gets for every copied county item
    ticked 乡级 (a copy is a new obligation of theirs); asserts those GK603 are all there, once each."""
    def owed(d):
        return d["code"] == "GK603" and next((u for u in upper_ids if f"({u}," in d["message"]), None)
    got = sorted((d["file"].split("/")[1], owed(d)) for d in run.json["diagnostics"] if owed(d))
    assert got == sorted((t, u) for t in DANGSHAN_TOWNSHIPS for u in upper_ids)
    return [d for d in run.json["diagnostics"] if not owed(d)]
