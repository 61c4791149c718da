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


def _t(value: object) -> str | None:
    return value if type(value) is str else _text(value)


def _ts(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if type(value) is list and all(type(v) is str for v in value):
        return tuple(value)
    return _texts(value)


def _texts(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(v for v in (_text(x) for x in value) if v is not None)
    return ()


@dataclass(slots=True, eq=False)
class Item:
    """One disclosure matter (公开事项) of a catalog."""

    catalog: "Catalog"
    index: int
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
    def data(self) -> dict:
        """The item's mapping as written (reloaded from its file if this is a compact copy)."""
        return self.catalog.data["items"][self.index]

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
    """One catalog file: one region's one key area (or one department).

    A compact copy (sent between processes or kept in a cache) drops the raw data and the
    positions table; both are reloaded from `origin` the first time anything asks for them,
    which for a clean catalog is never during a check.
    """

    file: str
    _positions: dict | None
    _data: dict | None
    region: str | None
    level: str | None
    area: str | None
    department: str | None
    version: str | None
    effective: str | None
    standard: bool
    items: list[Item] = field(default_factory=list)
    origin: str = ""  # the real path, for reloading a compact copy

    @property
    def data(self) -> dict:
        if self._data is None:
            self._reload()
        return self._data  # type: ignore[return-value]

    @property
    def positions(self) -> dict:
        if self._positions is None:
            self._reload()
        return self._positions  # type: ignore[return-value]

    def _reload(self) -> None:
        # keeps data that is still here (a build's copy drops only the positions)
        from .loader import parse
        try:
            with open(self.origin, "rb") as fh:
                parsed = parse(fh.read(), self.file)
        except OSError:
            parsed = None
        if self._data is None:
            data = parsed.data if parsed is not None and isinstance(parsed.data, dict) else {}
            self._data = data if isinstance(data.get("items"), list) else dict(data, items=[])
        self._positions = parsed.positions if parsed is not None else {}

    @property
    def is_compact(self) -> bool:
        """True when the raw data is not loaded (it reloads on first use)."""
        return self._data is None

    def drop_positions(self) -> None:
        """Forget the positions table (it reloads on demand); the raw data stays."""
        self._positions = None

    def compact(self) -> "Catalog":
        """Drop the raw data and positions (they reload on demand); returns self."""
        self._data = None
        self._positions = None
        return self

    def __reduce__(self):
        # A flat tuple per item pickles several times faster than slotted objects.
        items = tuple((i.index, i.id, i.matter, i.sub_matter, i.third_matter, i.content, i.basis, i.time_limit,
                       i.responsible_unit, i.co_units, i.channels, i.optional_channels, i.audience, i.method,
                       i.levels, i.implements, i.requirements) for i in self.items)
        head = (self.file, self._positions, self._data, *self.header(), self.origin)
        return (_restore_catalog, (head, items))

    def mark(self, key: str | None = None, at_key: bool = False) -> tuple[int, int]:
        return locate(self.positions, () if key is None else (key,), at_key)

    def header(self) -> tuple:
        """(region, level, area, department, version, effective, standard): the constructor's order."""
        return (self.region, self.level, self.area, self.department, self.version, self.effective, self.standard)


def _restore_catalog(head: tuple, items: tuple) -> Catalog:
    file, positions, data, region, level, area, department, version, effective, standard, origin = head
    catalog = Catalog(file, positions, data, region, level, area, department, version, effective, standard, [], origin)
    catalog.items = [Item(catalog, *fields) for fields in items]
    return catalog


def build_catalog(parsed: Parsed, origin: str = "") -> Catalog | None:
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
        file=parsed.file, _positions=parsed.positions, _data=data,
        region=_text(region), level=_text(data.get("level")), area=_text(data.get("area")),
        department=_text(data.get("department")), version=_text(data.get("version")),
        effective=_text(data.get("effective")), standard=data.get("standard") is True, origin=origin,
    )
    items = data.get("items")
    if isinstance(items, list):
        # the hot loop of model building (200,000 items a province): plain str values take the
        # fast path, anything else goes through the tolerant converters
        str_ = str
        append = catalog.items.append
        for index, raw in enumerate(items):
            if type(raw) is not dict:
                continue
            g = raw.get
            ch = g("channels")
            ch = tuple([channel(c) for c in ch]) if type(ch) is list and all(type(c) is str_ for c in ch) \
                else tuple(channel(c) for c in _texts(ch))
            lv = g("levels")
            lv = tuple([level(v) for v in lv]) if type(lv) is list and all(type(v) is str_ for v in lv) \
                else tuple(level(v) for v in _texts(lv))
            au = g("audience")
            me = g("method")
            append(Item(
                catalog, index, _t(g("id")), _t(g("matter")), _t(g("sub_matter")), _t(g("third_matter")),
                _t(g("content")), _ts(g("basis")), _t(g("time_limit")), _t(g("responsible_unit")),
                _ts(g("co_units")), ch, tuple(channel(c) for c in _texts(g("optional_channels"))),
                audience(au) if type(au) is str_ else audience(_text(au)),
                method(me) if type(me) is str_ else method(_text(me)),
                lv, _t(g("implements")), _ts(g("requirements")),
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
