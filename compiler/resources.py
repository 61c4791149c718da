"""Locate the schema and templates that travel inside the package (source: the repo's schema/ and templates/)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path


def _dir(name: str) -> Path:
    # Installed: the files are package data of compiler/<name>; in a checkout they are ../<name>.
    packaged = resources.files("compiler") / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def schema_dir() -> Path:
    """Directory holding the JSON Schemas."""
    return _dir("schema")


def templates_dir() -> Path:
    """Directory holding the Jinja2 templates and static files of the portal."""
    return _dir("templates")


@lru_cache(maxsize=None)
def schema(kind: str) -> dict:
    """The parsed JSON Schema for 'catalog' or 'registry'."""
    return json.loads((schema_dir() / f"{kind}.schema.json").read_text("utf-8"))


@lru_cache(maxsize=None)
def schema_text(kind: str) -> str:
    """The JSON Schema text as shipped."""
    return (schema_dir() / f"{kind}.schema.json").read_text("utf-8")
