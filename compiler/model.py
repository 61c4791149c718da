"""The catalog model: plain objects built from parsed (and schema-checked) data, vocabularies canonical."""
from __future__ import annotations

import contextlib
import marshal
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter

from . import fields, vocabulary
from .loader import Parsed, locate, parse


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
    """One disclosure matter (公开事项) of a catalog.

    Its attributes after catalog and index are the item fields the field table marks `model`, in
    the table's order (tests/test_fields.py checks); every other field is read from `data`.
    """

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
        """Where the item is in its file: ("items", n), or ("areas", k, "items", n) in a file of sections."""
        section = self.catalog.section
        return ("items", self.index) if section is None else (SECTIONS_KEY, section, "items", self.index)

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


SECTIONS_KEY = fields.SECTIONS_KEY   # a file of sections: one region's catalogs, one `areas` entry (area + items) each
SECTION_KEYS = ("area", "department")   # header fields a section writes itself (the rest come from the file)


def section_data(data: dict, section: int) -> dict:
    """The mapping a section's catalog reads: the file's header, then the section's own keys over it."""
    sections = data.get(SECTIONS_KEY)
    entry = sections[section] if isinstance(sections, list) and section < len(sections) else None
    own = entry if isinstance(entry, dict) else {}
    merged = {k: v for k, v in data.items() if k != SECTIONS_KEY and k != "area"}
    merged.update(own)
    if not isinstance(merged.get("items"), list):
        merged["items"] = []
    return merged


@dataclass(slots=True, eq=False)
class Catalog:
    """One catalog: one region's one key area (or one department); a file, or a section of one.

    A file of sections (`areas:`, docs/format.md: one township, one table per key area) is
    modelled as a file catalog whose `sections` are one catalog per area: those are what the
    project and the rules see (`parts()`); the file catalog's items are all of theirs, in file
    order, for what reads a file as a whole (counts, history). A section's `section` is its place
    in `areas`, its items' paths and its own keys' marks start with ("areas", section).

    A compact copy (sent between processes or kept in a cache) drops the raw data and the
    positions table. Its raw data reloads from `origin` the first time a builder asks for it.
    Its positions never reload here: rules do no I/O. A rule that marks a place in a compact
    catalog gets (0, 0) and sets needs_positions; the pipeline then reloads the catalog
    and runs that rule again (pipeline.run_project_rules), so no finding keeps such a mark.
    Reading the file again (reload) is the pipeline's and the builders' call.
    A packed catalog (pack) keeps its raw data as compressed bytes instead of objects, and data
    decodes them on first use; compact() then drops the decoded copy only.
    Its attributes from region to standard are the header fields the field table marks `model`,
    in the table's order.
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
    expires: str | None
    repealed: str | None
    repeal_reason: str | None
    standard: bool
    items: list[Item] = field(default_factory=list)
    origin: str = ""  # the real path, for reloading a compact copy
    needs_positions: bool = False  # a rule asked for a position this compact copy does not hold
    section: int | None = None     # its place in its file's `areas` (None: the catalog is the whole file)
    sections: list | None = None   # a file of sections: one catalog per `areas` entry
    whole: "Catalog | None" = None  # a section's file catalog (set by its builder, never pickled: a cycle)
    # the raw data marshalled and compressed (pack): at full scale the raw data as objects was
    # ~640 of the build's 1,363 MiB model, and the main process peaked at 2,373 MiB (issue 22)
    packed: bytes | None = None

    @property
    def name(self) -> str:
        """The catalog's key among a project's catalogs: its file, and for a section its place too."""
        return self.file if self.section is None else f"{self.file}{SECTION_MARK}{self.section}"

    def parts(self) -> list:
        """The catalogs this one stands for in a project: its sections, or itself."""
        return self.sections if self.sections is not None else [self]

    @property
    def prefix(self) -> tuple:
        """The path of this catalog's own mapping in its file: () or ("areas", section)."""
        return () if self.section is None else (SECTIONS_KEY, self.section)

    @property
    def data(self) -> dict:
        """The catalog's mapping as written (a compact copy reads its file again: builders only)."""
        if self._data is None:
            if self.packed is not None:
                self._data = marshal.loads(zlib.decompress(self.packed))
            else:
                self.reload()
        return self._data  # type: ignore[return-value]

    @property
    def positions(self) -> dict:
        """Where each value was written (loader.locate's table); empty on a compact copy (see the class)."""
        if self._positions is None:
            self.needs_positions = True
            return {}
        return self._positions

    def reload(self) -> None:
        """Read the file again for what a compact copy lacks: the pipeline's and the builders' call, never a rule's."""
        self.load(_parse_again(self.origin, self.file))

    def load(self, parsed: Parsed | None) -> None:
        """Fill what a compact copy lacks from its file parsed again (None: the file is gone)."""
        if self._data is None:
            data = parsed.data if parsed is not None and isinstance(parsed.data, dict) else {}
            if self.section is not None:
                data = section_data(data, self.section)
            self._data = data if isinstance(data.get("items"), list) else dict(data, items=[])
        if self._positions is None:
            self._positions = parsed.positions if parsed is not None else {}
        self.needs_positions = False
        for part in self.sections or ():
            part.load(parsed)

    def drop_positions(self) -> None:
        """Drop the positions table only (half a model's memory; a build never reads it)."""
        self._positions = None
        for part in self.sections or ():
            part.drop_positions()

    def pack(self) -> None:
        """Keep the raw data as compressed bytes (data decodes them when a builder asks; a third of the memory)."""
        for c in (self, *(self.sections or ())):
            if c._data is not None:
                try:
                    # level 1: 3.5x smaller than marshal alone at a quarter of its time (tenth tree)
                    c.packed = zlib.compress(marshal.dumps(c._data), 1)
                except ValueError:   # not plain YAML data (never from the loader): keep the objects
                    continue
                c._data = None

    @contextlib.contextmanager
    def compacted(self):
        """Compact for the duration of the block (to store a small copy: no packed bytes either), then whole again."""
        kept = [(c, c._data, c._positions, c.packed) for c in (self, *(self.sections or ()))]
        for c, _, _, _ in kept:
            c._data = c._positions = c.packed = None
        try:
            yield self
        finally:
            for c, data, positions, packed in kept:
                c._data, c._positions, c.packed = data, positions, packed

    @property
    def is_compact(self) -> bool:
        """True when the raw data is not loaded (data reloads it on first use; positions never do)."""
        return self._data is None

    def compact(self) -> "Catalog":
        """Drop the raw data and positions (reload() brings them back; a packed catalog keeps its bytes); returns self."""
        self._data = None
        self._positions = None
        for part in self.sections or ():
            part.compact()
        return self

    def __reduce__(self):
        # A flat tuple per item pickles several times faster than slotted objects.
        if self.sections is not None:   # a file of sections: its items are its sections'
            head = (self.file, self._positions, self._data, *self.header(), self.origin, None, self.packed)
            return (_restore_catalog, (head, (), tuple(self.sections)))
        items = tuple(map(_ITEM_STATE, self.items))
        head = (self.file, self._positions, self._data, *self.header(), self.origin, self.section, self.packed)
        return (_restore_catalog, (head, items))

    def key_path(self, key: str) -> tuple:
        """The path of a header key: a section's own keys (area, department) are in its section."""
        if self.section is not None and (key == "items" or key in SECTION_KEYS and self._section_has(key)):
            return self.prefix + (key,)
        return (key,)

    def _section_has(self, key: str) -> bool:
        return (self.prefix + (key,)) in _keys_of(self.positions, self.prefix) if self._positions is not None \
            else key in (self.data if self._data is not None or self.packed is not None else {})

    def mark(self, key: str | None = None, at_key: bool = False) -> tuple[int, int]:
        """0-based mark of the catalog (a section: its entry) or of one of its header keys."""
        if key is None:
            return locate(self.positions, self.prefix, at_key)
        return locate(self.positions, self.key_path(key), at_key)

    def header(self) -> tuple:
        """(region, level, area, department, version, effective, expires, repealed, repeal_reason, standard): the constructor's order."""
        return _HEADER(self)


_HEADER = attrgetter(*fields.MODEL_CATALOG_KEYS)
_ITEM_STATE = attrgetter("index", *fields.MODEL_ITEM_KEYS)   # Item's constructor arguments after catalog
SECTION_MARK = "#areas/"   # between a file's name and a section's place, in Catalog.name


def _keys_of(positions: dict, path: tuple) -> set:
    """The paths of the keys written in the mapping at path (empty when it is not a mapping)."""
    entry = positions.get(path)
    rec = entry[1] if entry else None
    return {path + (k,) for k in rec} if type(rec) is dict else set()


def _restore_catalog(head: tuple, items: tuple, sections: tuple | None = None) -> Catalog:
    file, positions, data, *header, origin, section, packed = head
    catalog = Catalog(file, positions, data, *header, [], origin, section=section, packed=packed)
    if sections is not None:
        catalog.sections = list(sections)
        catalog.items = [i for part in catalog.sections for i in part.items]
        for part in catalog.sections:
            part.whole = catalog
    else:
        catalog.items = [Item(catalog, *state) for state in items]
    return catalog


def _vocabulary_converter(field: fields.Field):
    canonical = vocabulary.get(field.vocabulary).synonyms.get   # canonicalize, without its type check
    if not field.many:
        def value(value: object) -> object:
            if type(value) is not str:
                value = _text(value)
                if value is None:
                    return None
            return canonical(value, value)
        return value

    def values(value: object) -> tuple[str, ...]:
        if type(value) is list and all(type(v) is str for v in value):
            return tuple([canonical(v, v) for v in value])
        return tuple(canonical(v, v) for v in _texts(value))
    return values


def _converter(field: fields.Field):
    """The tolerant converter of a written value to the model's (text, tuple of texts, canonical)."""
    if field.kind == fields.VOCABULARY:
        return _vocabulary_converter(field)
    if field.kind == fields.FLAG:
        return lambda value: value is True
    return _ts if field.many else _t


def _parse_again(origin: str, file: str) -> Parsed | None:
    """A catalog's file read and parsed again (None when it is gone)."""
    try:
        with open(origin, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    return parse(raw, file)


def reload_all(catalogs: Iterable[Catalog]) -> None:
    """Catalog.reload of each, every file parsed once for all its catalogs.

    The sections of a file of sections are catalogs of their own: reloaded one by one, a township's
    file of 20 sections was parsed 20 times, each keeping its own copy of the file's positions (a
    --no-cache check of the full tree with --errors 1 grew past 6 GB in that loop, session 31)."""
    by_file: dict[tuple[str, str], list[Catalog]] = {}
    for catalog in catalogs:
        by_file.setdefault((catalog.origin, catalog.file), []).append(catalog)
    for (origin, file), group in by_file.items():
        parsed = _parse_again(origin, file)
        for catalog in group:
            catalog.load(parsed)


def build_catalog(parsed: Parsed, origin: str = "") -> Catalog | None:
    """Catalog from a parsed file (None when the file is unusable); tolerant of schema errors.

    A file of sections (`areas:`) gives a file catalog with one section catalog per entry."""
    data = parsed.data
    if not isinstance(data, dict):
        return None
    if isinstance(data.get(SECTIONS_KEY), list):
        header = {key: convert(data.get(key)) for key, convert in _converters("catalog")}
        header["area"] = None
        whole = Catalog(file=parsed.file, _positions=parsed.positions, _data=data, **header, origin=origin)
        whole.sections = [_build(parsed, section_data(data, k), origin, k) for k in range(len(data[SECTIONS_KEY]))]
        whole.items = [i for part in whole.sections for i in part.items]
        for part in whole.sections:
            part.whole = whole
        return whole
    return _build(parsed, data, origin, None)


def _build(parsed: Parsed, data: dict, origin: str, section: int | None) -> Catalog:
    """The catalog of one mapping (the file's, or a section's merged over the file's header)."""
    header = {key: convert(data.get(key)) for key, convert in _converters("catalog")}
    catalog = Catalog(file=parsed.file, _positions=parsed.positions, _data=data, **header, origin=origin,
                      section=section)
    items = data.get("items")
    if isinstance(items, list):
        # the hot loop of model building (200,000 items a province)
        make = _item_maker()
        append = catalog.items.append
        for index, raw in enumerate(items):
            if type(raw) is dict:
                append(make(catalog, index, raw.get))
    return catalog


@lru_cache(maxsize=None)
def _converters(rows: str) -> tuple:
    """(key, converter) of every field the model carries, of the table's "item" or "catalog" rows."""
    # made on first use, not at import: the vocabularies come from the schema file
    return tuple((f.key, _converter(f)) for f in (fields.ITEM if rows == "item" else fields.CATALOG) if f.model)


@lru_cache(maxsize=None)
def _item_maker():
    """make(catalog, index, raw.get) -> Item, its code written out field by field from the table.

    Generated once, as dataclasses writes __init__: looping over the converters for each item
    instead made model building 12% slower (least CPU time of 30 runs over the tenth-scale tree).
    """
    converters = _converters("item")
    args = "".join(f", c{n}(g({key!r}))" for n, (key, _) in enumerate(converters))
    namespace = {"Item": Item, **{f"c{n}": convert for n, (_, convert) in enumerate(converters)}}
    exec(f"def make(catalog, index, g):\n    return Item(catalog, index{args})\n", namespace)
    return namespace["make"]


@dataclass(slots=True, eq=False)
class Project:
    """Everything the project-wide rules see: catalogs in file order, the registry, the options."""

    catalogs: list[Catalog]
    registry: "object"  # compiler.registry.Registry
    registry_positions: dict[str, dict] = field(default_factory=dict)  # registry file -> positions
    today: str = ""  # ISO date the check runs for (SOURCE_DATE_EPOCH honoured), for dated renames
    indexed: object = None  # index.Indexed, kept by index.of: every rule of a run shares one index
    # a scoped re-run along a line (compiler/scope.py) wants findings about these regions only; the
    # others' catalogs are headers there, so a rule about regions (GK603) would find every one lacking
    regions_wanted: frozenset | None = None

    def items(self):
        """Every item of every catalog, in file order."""
        for catalog in self.catalogs:
            yield from catalog.items

    def bases_of(self, text: str) -> tuple:
        """The citations in one basis string resolved against the document library (cached by string)."""
        return self.registry.library().resolve(text)

    def bases(self, item: Item) -> tuple:
        """Every citation of an item's basis resolved (citations.Resolution: .document, .match)."""
        return tuple(r for text in item.basis for r in self.bases_of(text))
