"""Catalog data → YAML text people will edit: block style, Chinese as is, keys in format order.

The text is checked by loading it back with gkml's own loader: if any value would come back
different (a string that looks like a number, an odd character), every string is quoted.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from ..limits import MAX_BYTES, CatalogTooLarge
from ..loader import BOOL_WORDS, FLOAT_PATTERN, INT_PATTERN, NULL_WORDS, parse

FLOW_LISTS = {"channels", "optional_channels", "levels", "co_units", "requirements"}
_FLOW_UNSAFE = set(",[]{}:#&*!|>'\"%@`\n") | {"\u2028", "\u2029", "\x85"}


def schema_ref(out_file: Path) -> str:
    """Relative path from a catalog file to schema/catalog.schema.json (found above it, else the project layout)."""
    folder = Path(os.path.abspath(out_file)).parent
    for parent in (folder, *folder.parents):
        candidate = parent / "schema" / "catalog.schema.json"
        if candidate.is_file():
            return Path(os.path.relpath(candidate, folder)).as_posix()
    return "../../schema/catalog.schema.json"


def _looks_typed(text: str) -> bool:
    """True when a plain scalar with this text would not load as a string (so it must be quoted)."""
    if text in NULL_WORDS or text in BOOL_WORDS:
        return True
    if text[:1].isdigit() or text[:1] in "-+.":
        return bool(INT_PATTERN.match(text) or (FLOAT_PATTERN.match(text) and any(c.isdigit() for c in text)))
    return False


def _scalar(value: object, quote_all: bool) -> object:
    if not isinstance(value, str):
        return value
    if quote_all or _looks_typed(value) or value != value.strip() or not value:
        return DoubleQuotedScalarString(value)
    if "\n" in value and _literal_ok(value):
        return LiteralScalarString(value)
    return value


def _literal_ok(text: str) -> bool:
    lines = text.split("\n")
    return all(line == line.rstrip() for line in lines) and all(line.strip() for line in lines) \
        and all(ch.isprintable() or ch == "\n" for ch in text)


def _flow_ok(values: list) -> bool:
    return all(isinstance(v, str) and v and not (set(v) & _FLOW_UNSAFE) and v == v.strip()
               and not v.startswith(("-", "?")) for v in values)


def _node(value: object, key: str | None, quote_all: bool, flow: bool = False) -> object:
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _node(v, k, quote_all, flow or k == "source")
        if flow or key == "source":
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_node(v, None, quote_all) for v in value)
        if key in FLOW_LISTS and _flow_ok(value) or flow:
            seq.fa.set_flow_style()
        return seq
    return _scalar(value, quote_all)


def _dump(data: dict, header: str, quote_all: bool) -> str:
    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    yaml.width = 100_000            # never fold long Chinese lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    root = _node(data, None, quote_all)
    buffer = io.StringIO()
    yaml.dump(root, buffer)
    return header + buffer.getvalue()


def to_yaml(data: dict, schema: str = "../../schema/catalog.schema.json", max_bytes: int = MAX_BYTES) -> str:
    """YAML text of a catalog, which gkml's loader reads back as exactly data (CatalogTooLarge past max_bytes)."""
    header = f"# yaml-language-server: $schema={schema}\n"
    for quote_all in (False, True):
        text = _dump(data, header, quote_all)
        encoded = text.encode("utf-8")
        if len(encoded) > max_bytes:
            raise CatalogTooLarge("bytes", len(encoded), max_bytes)   # the loader would refuse it
        parsed = parse(encoded, "<import>")
        if parsed.data == data and not parsed.diagnostics:
            return text
    raise ValueError("YAML output does not load back as written")  # a gkml bug, reported as an internal error
