"""The catalog model: plain objects built from parsed (and schema-checked) data, vocabularies canonical."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import vocabulary
from .loader import Parsed, locate

ITEM_FIELDS = ("id", "matter", "sub_matter", "third_matter", "content", "basis", "time_limit",
               "responsible_unit", "co_units", "channels", "optional_channels", "audience", "method",
               "levels", "implements", "requirements", "stage", "link", "column", "duration", "scope",
               "notes", "source", "raw")


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _texts(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(v for v in (_text(x) for x in value) if v is not None)
    return ()


@dataclass(slots=True, eq=False)
class Item:
    """One disclosure matter (公开事项) of a catalog."""

    catalog: "Catalog"
    index: int
    data: dict
    id: str | None
    matter: str | None
    sub_matter: str | None
    third_matter: str | None
    content: str | None
    basis: tuple[str, ...]
    time_limit: str | None
    responsible_unit: str | None
    co_units: tuple[str, ...]
    channels: tuple[str, ...]          # canonical, as written order
    optional_channels: tuple[str, ...]
    audience: str | None               # canonical
    method: str | None                 # canonical
    levels: tuple[str, ...]            # canonical (省级 …)
    implements: str | None
    requirements: tuple[str, ...]

    @property
    def path(self) -> tuple:
        return ("items", self.index)

    @property
    def file(self) -> str:
        return self.catalog.file

    def mark(self, key: str | None = None, sub: int | None = None, at_key: bool = False) -> tuple[int, int]:
        """0-based mark of this item, or of one of its keys/values."""
        path = self.path if key is None else self.path + ((key,) if sub is None else (key, sub))
        return locate(self.catalog.positions, path, at_key)

    def key_path(self, key: str, sub: int | None = None) -> tuple:
        return self.path + ((key,) if sub is None else (key, sub))

    @property
    def title(self) -> str:
        """一级 / 二级 / 三级 joined, for display."""
        return " / ".join(p for p in (self.matter, self.sub_matter, self.third_matter) if p)


@dataclass(slots=True, eq=False)
class Catalog:
    """One catalog file: one region's one key area (or one department)."""

    file: str
    positions: dict
    data: dict
    region: str | None
    level: str | None
    area: str | None
    department: str | None
    version: str | None
    effective: str | None
    standard: bool
    items: list[Item] = field(default_factory=list)

    def mark(self, key: str | None = None, at_key: bool = False) -> tuple[int, int]:
        return locate(self.positions, () if key is None else (key,), at_key)


def build_catalog(parsed: Parsed) -> Catalog | None:
    """Catalog from a parsed file (None when the file is unusable); tolerant of schema errors."""
    data = parsed.data
    if not isinstance(data, dict):
        return None
    channel = vocabulary.get("channel").canonicalize
    audience = vocabulary.get("audience").canonicalize
    method = vocabulary.get("method").canonicalize
    level = vocabulary.get("level").canonicalize
    region = data.get("region")
    catalog = Catalog(
        file=parsed.file, positions=parsed.positions, data=data,
        region=_text(region), level=_text(data.get("level")), area=_text(data.get("area")),
        department=_text(data.get("department")), version=_text(data.get("version")),
        effective=_text(data.get("effective")), standard=data.get("standard") is True,
    )
    items = data.get("items")
    if isinstance(items, list):
        for index, raw in enumerate(items):
            if not isinstance(raw, dict):
                continue
            g = raw.get
            catalog.items.append(Item(
                catalog, index, raw, _text(g("id")), _text(g("matter")), _text(g("sub_matter")),
                _text(g("third_matter")), _text(g("content")), _texts(g("basis")), _text(g("time_limit")),
                _text(g("responsible_unit")), _texts(g("co_units")),
                tuple(channel(c) for c in _texts(g("channels"))),
                tuple(channel(c) for c in _texts(g("optional_channels"))),
                audience(_text(g("audience"))), method(_text(g("method"))),
                tuple(level(v) for v in _texts(g("levels"))), _text(g("implements")), _texts(g("requirements")),
            ))
    return catalog


@dataclass(slots=True, eq=False)
class Project:
    """Everything the project-wide rules see: catalogs in file order, the registry, the options."""

    catalogs: list[Catalog]
    registry: "object"  # compiler.registry.Registry
    registry_positions: dict[str, dict] = field(default_factory=dict)  # registry file -> positions
    today: str = ""  # ISO date the check runs for (SOURCE_DATE_EPOCH honoured), for dated renames

    def items(self):
        """Every item of every catalog, in file order."""
        for catalog in self.catalogs:
            yield from catalog.items
