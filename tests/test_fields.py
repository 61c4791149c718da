"""The field table (compiler/fields.py) agrees with the JSON Schema, and every layer reads it.

The round trips are generated from the table: a field added to it (and to the schema) is
checked here without another line of test.
"""
from __future__ import annotations

import dataclasses
import json

import pytest

from compiler import fields, resources, vocabulary
from compiler.builders.excel import read_catalog_workbook, write_catalogs_workbook
from compiler.builders.jsondata import normalise_item
from compiler.importers import headers
from compiler.importers.assemble import Settings, import_grids
from compiler.importers.readers import read_file
from compiler.importers.text import label_key
from compiler.loader import parse
from compiler.model import Catalog, Item, build_catalog
from compiler.pipeline import LOCAL_ONLY_KEYS
from compiler.registry import Registry

SCHEMA = resources.schema("catalog")
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
ID_PATTERN = SCHEMA["$defs"]["item"]["properties"]["id"]["pattern"]
TEXT_PATTERNS = {None, SCHEMA["$defs"].get("nonblank", {}).get("pattern")}   # free text, or text with a visible character
ROWS = [("catalog", f) for f in fields.CATALOG] + [("item", f) for f in fields.ITEM]


def _object(where: str) -> dict:
    return SCHEMA if where == "catalog" else SCHEMA["$defs"]["item"]


def _required(where: str) -> set:
    """The keys a catalog (of one area: the schema's else branch, not a file of sections) or an item must have."""
    node = _object(where)
    return {*node.get("required", ()), *(node.get("else", {}).get("required", ()) if where == "catalog" else ())}


def _resolve(node: dict) -> dict:
    """A property with its $ref followed (the property's own keys win)."""
    if "$ref" in node:
        target = SCHEMA
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**_resolve(target), **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _types(node: dict) -> set[str]:
    kind = node.get("type", ())
    return {kind} if isinstance(kind, str) else set(kind)


def test_every_schema_property_has_a_row_and_every_row_a_property():
    assert [k for k in SCHEMA["properties"] if k not in (fields.ITEMS_KEY, fields.SECTIONS_KEY)] == list(fields.CATALOG_KEYS)
    assert list(SCHEMA["properties"])[-1] == fields.ITEMS_KEY
    assert list(_object("item")["properties"]) == list(fields.ITEM_KEYS)


@pytest.mark.parametrize("where, field", ROWS, ids=[f"{w}.{f.key}" for w, f in ROWS])
def test_kind_title_and_requiredness_agree_with_the_schema(where, field):
    node = _resolve(_object(where)["properties"][field.key])
    assert field.kind in fields.KINDS
    assert (field.key in _required(where)) == field.required
    assert node.get("title", "").startswith(field.title), "the table's title is the schema's (less a mark like (■))"
    assert (_types(node) == {"array"}) == field.many
    if field.many:
        node = _resolve(node["items"])
    if "anyOf" in node and "x-gkml-vocabulary" not in node:   # a vocabulary value, or 其他:free text
        node = _resolve(node["anyOf"][0])
    assert bool(field.vocabulary) == (field.kind == fields.VOCABULARY)
    if field.kind == fields.VOCABULARY:
        assert node.get("x-gkml-vocabulary") == field.vocabulary
        values = {v for branch in (node, *node.get("anyOf", ())) for v in _resolve(branch).get("enum", ())}
        assert values >= set(vocabulary.get(field.vocabulary).canonical)
        return
    assert "x-gkml-vocabulary" not in node
    if field.kind == fields.TEXT:
        assert "string" in _types(node) and "enum" not in node and node.get("pattern") in TEXT_PATTERNS
    elif field.kind == fields.DATE:
        assert _types(node) == {"string"} and node["pattern"] == DATE_PATTERN
    elif field.kind == fields.ID:
        assert _types(node) == {"string"} and node["pattern"] == ID_PATTERN
    elif field.kind == fields.REFERENCE:
        assert _types(node) == {"string"} and node.get("pattern") in TEXT_PATTERNS | {ID_PATTERN}
    elif field.kind == fields.CODE:
        assert "string" in _types(node) and ("enum" in node or "pattern" in node)
    elif field.kind == fields.FLAG:
        assert _types(node) == {"boolean"}
    elif field.kind == fields.RECORD:
        assert _types(node) == {"object"}


def test_catalog_levels_are_the_level_table():
    """schema `level` enum = vocabulary.LEVELS, and LEVEL_NAMES names each with the item level vocabulary."""
    assert SCHEMA["properties"]["level"]["enum"] == list(vocabulary.LEVELS)
    assert list(vocabulary.LEVEL_NAMES) == list(vocabulary.LEVELS)
    assert set(vocabulary.LEVEL_NAMES.values()) <= set(vocabulary.get("level").canonical)
    assert {vocabulary.LEVEL_OF_NAME[name] for name in vocabulary.LEVEL_NAMES.values()} == set(vocabulary.LEVELS)


def test_the_model_carries_the_model_rows_in_table_order():
    assert [f.name for f in dataclasses.fields(Item)][2:] == list(fields.MODEL_ITEM_KEYS)
    names = [f.name for f in dataclasses.fields(Catalog)]
    assert names[3:names.index("items")] == list(fields.MODEL_CATALOG_KEYS)


def test_every_heading_reads_back_as_its_field_and_no_label_is_claimed_twice():
    claimed: dict[str, str] = {}
    for field in fields.ITEM:
        for label in fields.header_labels(field):
            assert claimed.setdefault(label_key(label), field.key) == field.key, label
            assert headers.top_role(label) == field.key, label
    for field in fields.CATALOG:
        for label in (field.key, field.title, *field.labels):
            assert headers.META_KEYS[label_key(label)] == field.key
        for label in field.line_labels:
            assert headers.TITLE_KEYS[label] == field.key
    extras = [f.sheet.extra for f in fields.EXTRA_COLUMNS]
    assert extras == list(range(1, len(extras) + 1)), "附加信息 positions are 1, 2, 3 … without gaps"


def test_local_rows_are_the_cache_local_keys():
    assert LOCAL_ONLY_KEYS == {f.key for f in fields.ITEM if f.local}
    assert not {f.key for f in fields.ITEM if f.local} & {"id", "implements", "matter", "levels"}


# --- every field through every layer, from samples by kind -----------------------------------

def _sample(field: fields.Field, n: int) -> object:
    if field.kind == fields.VOCABULARY:
        canonical = vocabulary.get(field.vocabulary).canonical
        value = canonical[n % len(canonical)] if field.vocabulary != "channel" else canonical[(n + 1) % 3]
    elif field.kind == fields.RECORD:
        return {"file": "目录.xlsx", "row": n} if field.key == "source" else {"原表": f"原文{n}"}
    elif field.kind in (fields.ID, fields.REFERENCE):
        value = f"sample-{n:03d}"
    elif field.kind == fields.DATE:
        value = "2024-03-01"
    else:
        value = f"{field.title}{n}" + ("\n第二行" if field.lines else "")
    return [value] if field.many else value


def _catalog_data() -> dict:
    data = {"region": "341321", "level": "county", "area": "社会救助与社会福利", "department": "砀山县民政局",
            "version": "2024.1", "written": "2024-02-20", "published": "2024-02-26", "publisher": "砀山县人民政府办公室",
            "effective": "2024-03-01", "expires": "2029-12-31", "repealed": "2028-01-01",
            "repeal_reason": "被新目录取代", "standard": True, "notes": "备注一",
            "changes": [{"version": "2024.1", "date": "2024-03-01",
                         "entries": [{"type": "增加", "id": "sample-000", "reason": "新增公开要求"}]}]}
    assert set(data) == set(fields.CATALOG_KEYS), "every header field has a sample here"
    items = []
    for n in range(2):
        item = {f.key: _sample(f, n) for f in fields.ITEM}
        item["optional_channels"] = ["其他:政务新媒体"]
        items.append(item)
    return {**data, "items": items}


def _catalog(data: dict):
    parsed = parse(json.dumps(data, ensure_ascii=False).encode("utf-8"), "sample.yaml")
    assert parsed.data == data and not parsed.diagnostics
    return build_catalog(parsed)


def test_json_data_has_every_field_by_its_json_key():
    data = _catalog_data()
    catalog = _catalog(data)
    for item, written in zip(catalog.items, data["items"]):
        normalised = normalise_item(item)
        assert list(normalised) == [f.json for f in fields.ITEM]
        assert normalised == {f.json: written[f.key] for f in fields.ITEM}


def test_workbook_round_trip_keeps_every_field(tmp_path):
    data = _catalog_data()
    path = tmp_path / "sample.xlsx"
    write_catalogs_workbook(path, [("目录", _catalog(data))])
    ((_, back),) = read_catalog_workbook(path)
    assert back == data


def test_import_of_an_exported_workbook_keeps_every_field(tmp_path):
    """Through the importer's header labels (not the gkml sheet): every heading maps back to its field."""
    data = _catalog_data()
    path = tmp_path / "sample.xlsx"
    write_catalogs_workbook(path, [("目录", _catalog(data))])
    imported, _ = import_grids(path.name, read_file(path, path.name), Registry(), Settings(today="2024-05-01"))
    items = imported[0].data["items"]
    for item, written in zip(items, data["items"]):
        assert item.pop("source")["row"] > 0 and item == {k: v for k, v in written.items() if k != "source"}
