"""The registry: administrative regions, key areas, units, legal-floor requirements and the document library."""
from __future__ import annotations

from dataclasses import dataclass, field

from .citations import Library
from .loader import Parsed, locate


class Record:
    """Base of the registry's frozen records: pickled as (class, field values), rebuilt through
    __init__. The dataclasses' own __setstate__ sets slot after slot from Python; a province's
    registry (11,851 units) reads back from the cache in 0.06 s instead of 0.11 s (session 33)."""

    __slots__ = ()

    def __reduce__(self):
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)


@dataclass(frozen=True, slots=True)
class Entry(Record):
    """Where a registry entry was written (for diagnostics)."""

    file: str
    path: tuple
    mark: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Region(Record):
    code: str
    name: str
    level: str
    parent: str | None
    kind: str
    aliases: tuple[str, ...]
    where: Entry
    areas: tuple[str, ...] = ()  # when given, the only key areas this region must cover (a development zone)


@dataclass(frozen=True, slots=True)
class Area(Record):
    name: str
    slug: str
    aliases: tuple[str, ...]
    levels: tuple[str, ...]
    lead: str
    cooperating: tuple[str, ...]
    where: Entry


@dataclass(frozen=True, slots=True)
class Rename(Record):
    name: str
    until: str | None


@dataclass(frozen=True, slots=True)
class Unit(Record):
    name: str
    region: str
    stems: tuple[str, ...]
    aliases: tuple[str, ...]
    renamed_from: tuple[Rename, ...]
    placeholder: bool
    where: Entry
    code: str = ""            # 统一社会信用代码: the 索引号's organisation part (builders/metadata.py)


@dataclass(frozen=True, slots=True)
class Requirement(Record):
    id: str
    article: str
    title: str
    description: str
    levels: tuple[str, ...]
    keywords: tuple[str, ...]
    where: Entry


@dataclass(frozen=True, slots=True)
class Document(Record):
    """One entry of the document library (文件库): a law or normative document and its validity."""

    id: str
    title: str
    number: str          # 文号 ("" for a law cited by title alone)
    aliases: tuple[str, ...]
    issuer: str
    type: str            # 法律, 行政法规, 地方性法规, 部门规章, 地方政府规章, 规范性文件, 其他
    status: str          # 有效, 已修改, 已废止, 失效, 尚未生效, 未知
    published: str | None
    effective: str | None
    ended: str | None    # 废止 or 失效 date
    superseded_by: str | None
    link: str | None
    articles: tuple[str, ...]
    note: str
    where: Entry

    def cited(self) -> str:
        """The library's form of a citation: 《title》(文号)."""
        return f"《{self.title}》" + (f"({self.number})" if self.number else "")


@dataclass(frozen=True, slots=True)
class Synonyms(Record):
    """One entry of the search thesaurus (检索同义词表): a usual wording, its equivalents and related words."""

    term: str
    words: tuple[str, ...]     # the same thing (低保 for 最低生活保障)
    related: tuple[str, ...]   # near it, ranked after the words (征收 for 拆迁)
    where: Entry


@dataclass(slots=True)
class Registry:
    """All registry entries of the project, with lookups by code, name and alias."""

    regions: dict[str, Region] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)          # canonical name -> area
    units: dict[str, Unit] = field(default_factory=dict)          # canonical name -> unit
    requirements: dict[str, Requirement] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)  # id -> document, in file order
    area_names: dict[str, str] = field(default_factory=dict)      # name or alias -> canonical
    unit_names: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name, alias or old name -> canonical names
    thesaurus: dict[str, Synonyms] = field(default_factory=dict)  # term -> its entries merged
    files: tuple[str, ...] = ()
    # (kind, key, where, first where) of every entry shadowed by an earlier one with the same key:
    # kind is region | area | area_name | slug | unit | requirement | document
    duplicates: list[tuple[str, str, Entry, Entry]] = field(default_factory=list)
    resolver: Library | None = None  # built on first use (library())
    lookups: tuple | None = None     # the index's tables of regions and units, built once (index.py)

    def library(self) -> Library:
        """The document library with its citation cache, built once per registry."""
        if self.resolver is None:
            self.resolver = Library(self.documents)
        return self.resolver

    @property
    def empty(self) -> bool:
        return not (self.regions or self.areas or self.units)

    def area(self, name: str | None) -> Area | None:
        """The area called name (or one of its aliases)."""
        canonical = self.area_names.get(name or "")
        return self.areas.get(canonical) if canonical else None

    def unit(self, name: str | None, region: str | None = None) -> Unit | None:
        """The unit called name (full name, alias or former name); region settles a shared alias."""
        names = self.unit_names.get(name or "")
        if not names:
            return None
        if len(names) > 1 and region is not None:
            for canonical in names:
                if self.units[canonical].region == region:
                    return self.units[canonical]
        return self.units[names[0]]

    def ancestors(self, code: str | None) -> list[str]:
        """Registered ancestors of a region, nearest first (cycles in a broken registry are cut)."""
        out: list[str] = []
        region = self.regions.get(code or "")
        while region is not None and region.parent and region.parent not in out and region.parent != code:
            out.append(region.parent)
            region = self.regions.get(region.parent)
        return out

    def children(self, code: str) -> list[Region]:
        """Regions whose parent is code, sorted by code."""
        return sorted((r for r in self.regions.values() if r.parent == code), key=lambda r: r.code)


def _s(value: object) -> str:
    return "" if value is None else str(value)


def _list(value: object) -> tuple[str, ...]:
    return tuple(_s(v) for v in value) if isinstance(value, list) else ()


def _keep(reg: Registry, table: dict, kind: str, key: str, entry):
    """Keep the first entry under key; record a later one as a duplicate. Returns the kept entry."""
    kept = table.setdefault(key, entry)
    if kept is not entry:
        reg.duplicates.append((kind, key, entry.where, kept.where))
    return kept


def build_registry(parsed_files: list[Parsed]) -> Registry:
    """Merge every registry file into one Registry (later duplicates are reported by rules)."""
    reg = Registry(files=tuple(p.file for p in parsed_files))
    slugs: dict[str, Area] = {}
    for parsed in sorted(parsed_files, key=lambda p: p.file):
        data = parsed.data if isinstance(parsed.data, dict) else {}
        for kind in ("regions", "areas", "units", "requirements", "documents", "thesaurus"):
            entries = data.get(kind)
            if not isinstance(entries, list):
                continue
            for index, raw in enumerate(entries):
                if not isinstance(raw, dict):
                    continue
                path = (kind, index)
                where = Entry(parsed.file, path, locate(parsed.positions, path))
                g = raw.get
                if kind == "regions" and g("code") is not None and g("name"):
                    region = Region(_s(g("code")), _s(g("name")), _s(g("level")), _s(g("parent")) or None,
                                    _s(g("kind")) or "regular", _list(g("aliases")), where, _list(g("areas")))
                    _keep(reg, reg.regions, "region", region.code, region)
                elif kind == "areas" and g("name"):
                    area = Area(_s(g("name")), _s(g("slug")), _list(g("aliases")), _list(g("levels")),
                                _s(g("lead")), _list(g("cooperating")), where)
                    if _keep(reg, reg.areas, "area", area.name, area) is area:
                        for n in (area.name, *area.aliases):
                            owner = reg.area_names.setdefault(n, area.name)
                            if owner != area.name:
                                reg.duplicates.append(("area_name", n, area.where, reg.areas[owner].where))
                        if area.slug:
                            _keep(reg, slugs, "slug", area.slug, area)
                elif kind == "units" and g("name"):
                    former = g("renamed_from")  # schema-invalid shapes are reported there; never crash here
                    renames = tuple(Rename(_s(r.get("name")), _s(r.get("until")) or None)
                                    for r in (former if isinstance(former, list) else []) if isinstance(r, dict))
                    unit = Unit(_s(g("name")), _s(g("region")), _list(g("stems")), _list(g("aliases")), renames,
                                g("placeholder") is True, where,
                                g("code") if isinstance(g("code"), str) else "")  # a number is the schema's GK2xx
                    _keep(reg, reg.units, "unit", unit.name, unit)
                elif kind == "requirements" and g("id"):
                    req = Requirement(_s(g("id")), _s(g("article")), _s(g("title")), _s(g("description")),
                                      _list(g("levels")), _list(g("keywords")), where)
                    _keep(reg, reg.requirements, "requirement", req.id, req)
                elif kind == "documents" and g("id") and g("title"):
                    doc = Document(_s(g("id")), _s(g("title")), _s(g("number")), _list(g("aliases")), _s(g("issuer")),
                                   _s(g("type")), _s(g("status")) or "未知", _s(g("published")) or None,
                                   _s(g("effective")) or None, _s(g("ended")) or None, _s(g("superseded_by")) or None,
                                   _s(g("link")) or None, _list(g("articles")), _s(g("note")), where)
                    _keep(reg, reg.documents, "document", doc.id, doc)
                elif kind == "thesaurus" and g("term"):
                    # a province extends the shipped thesaurus: entries of one term merge
                    entry = Synonyms(_s(g("term")), _list(g("words")), _list(g("related")), where)
                    old = reg.thesaurus.get(entry.term)
                    if old is not None:
                        entry = Synonyms(entry.term, tuple(dict.fromkeys(old.words + entry.words)),
                                         tuple(dict.fromkeys(old.related + entry.related)), old.where)
                    reg.thesaurus[entry.term] = entry
    # names first, then aliases and former names, so a full name always wins
    for unit in reg.units.values():
        reg.unit_names[unit.name] = (unit.name,)
    for unit in reg.units.values():
        for alias in (*unit.aliases, *(r.name for r in unit.renamed_from)):
            if alias not in reg.units:
                reg.unit_names[alias] = reg.unit_names.get(alias, ()) + (unit.name,)
    return reg
