"""Grids of one file → catalogs in the project format, with their review notes (pure).

Catalog-level values come, in this order, from the command line, a 目录信息 sheet, the table's
titles (section title, sheet name, file name, matched against the registry), and the items
themselves (编制单位 = the most common 公开主体); each value not given explicitly is noted.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from .. import fields
from ..fields import CATALOG_KEYS, ITEMS_KEY
from ..ids import area_tag
from ..registry import Registry
from ..vocabulary import LEVEL_NAMES, LEVEL_OF_NAME, LEVELS
from . import headers as H
from .detect import Table, find_tables, read_metadata
from .grid import Grid
from .mapping import Mapped, map_table, ordered_item
from .notes import ImportRefused, Note, note
from .paths import region_problem, region_problem_en, shown_value, slug_ok, unregistered_slug
from .text import label_key, tidy

HEADER_ORDER = (*CATALOG_KEYS, ITEMS_KEY)
# Header fields with no rule of their own below (region, level, area, department and version are
# derived when missing; standard is a flag; notes gathers the tables' stray titles): taken as given.
_DERIVED = {"region", "level", "area", "department", "version", "standard", "notes"}
PLAIN_HEADER_FIELDS = tuple(f for f in fields.CATALOG if f.key not in _DERIVED and f.kind in (fields.TEXT, fields.DATE))
_LEVEL_OPTIONS = {**{level: level for level in LEVELS}, **LEVEL_OF_NAME}
_GENERIC_SHEET = re.compile(r"^(sheet|工作表|表|table)\s*[0-9]*$", re.IGNORECASE)
_TITLE_PREFIX = re.compile(r"^([(（][一二三四五六七八九十0-9]+[)）]|[一二三四五六七八九十]+、|[0-9]+[.、]|附件\s*[0-9一二三四五六七八九十]*[::]?)\s*")
_TITLE_SUFFIX = re.compile(r"(领域)?(基层)?(政务公开|信息公开)?(标准)?(事项)?(标准)?目录.*$|领域.*$")


@dataclass(frozen=True)
class Settings:
    """What the command line says about the catalogs being imported."""

    region: str | None = None
    level: str | None = None
    area: str | None = None
    department: str | None = None
    today: str = "2024-01-01"


@dataclass
class ImportedCatalog:
    """One catalog ready to write: its data in key order, its file name and its review notes."""

    data: dict
    name: str                    # region/slug.yaml, relative to the output folder
    label: str                   # where it came from, for messages: 目录.xlsx 表1
    notes: list[Note] = field(default_factory=list)


@dataclass
class IdPool:
    """Item ids given out in one import run: every id once, numbers counted per prefix."""

    taken: set[str] = field(default_factory=set)
    counters: dict[str, int] = field(default_factory=dict)

    def new(self, region: str, slug: str) -> str:
        """The next free <region>-<area tag>-NNN (compiler/ids.py: the set's one id convention)."""
        prefix = f"{region}-{area_tag(slug)}-"
        number = self.counters.get(prefix, 1)
        while f"{prefix}{number:03d}" in self.taken:
            number += 1
        self.counters[prefix] = number + 1
        self.taken.add(f"{prefix}{number:03d}")
        return f"{prefix}{number:03d}"


@dataclass
class _Group:
    tables: list[Table]
    mapped: list[Mapped]


def import_grids(file: str, grids: list[Grid], registry: Registry, settings: Settings,
                 used_ids: IdPool | None = None, used_names: set[str] | None = None) -> tuple[list[ImportedCatalog], list[Note]]:
    """Catalogs of every table in the grids of one file, and the file-level notes."""
    used_ids = IdPool() if used_ids is None else used_ids
    used_names = set() if used_names is None else used_names
    file_notes: list[Note] = []
    meta: dict[str, dict] = {}
    groups: list[_Group] = []
    by_table: dict[int, _Group] = {}
    previous: Table | None = None
    for grid in grids:
        found_meta = read_metadata(grid)
        if found_meta is not None:
            meta.update(found_meta)
            continue
        tables = find_tables(grid, previous if grid.kind == "table" else None)
        if not tables:
            if any(t and t.strip() for row in grid.cells for t in row):
                file_notes.append(note("GK823", file, grid.name, table=grid.name))
            continue
        for table in tables:
            mapped = map_table(table)
            parent = table.continued_from
            if parent is not None and id(parent) in by_table:
                group = by_table[id(parent)]
                group.tables.append(table)
                group.mapped.append(mapped)
                file_notes.append(note("GK814", file, grid.name, table=grid.name))
            else:
                group = _Group([table], [mapped])
                groups.append(group)
            by_table[id(table)] = group
            previous = table
    groups = [g for g in groups if any(m.rows for m in g.mapped)]
    if not groups:
        raise ImportRefused("GK857", file)
    catalogs = []
    for number, group in enumerate(groups, 1):
        sheet_meta = meta.get(group.tables[0].grid.name) or meta.get("*")
        if sheet_meta is None:   # a renamed sheet: the one entry of a one-catalog workbook still applies
            sheet_meta = next(iter(meta.values())) if len(meta) == 1 and len(groups) == 1 else {}
        catalogs.append(_catalog(file, number, len(groups), group, sheet_meta, registry, settings, used_ids, used_names))
    return catalogs, file_notes


def _texts(file: str, group: _Group) -> list[tuple[str, str, bool]]:
    """(text, where, is a title line) candidates for catalog-level values, most specific first."""
    first = group.tables[0]
    out = [(text, first.grid.where(*cell) if cell else first.grid.name, True) for text, cell in reversed(first.titles)]
    if not _GENERIC_SHEET.match(first.grid.name.strip()):
        out.append((first.grid.name, f"工作表名“{first.grid.name}”" if first.grid.kind == "sheet" else first.grid.name, False))
    out.append((PurePath(file).stem, f"文件名“{PurePath(file).name}”", False))
    return out


def _longest(text: str, names) -> str | None:
    key = label_key(text)
    hits = [n for n in names if n and label_key(n) in key]
    return max(hits, key=lambda n: (len(label_key(n)), n)) if hits else None


_TITLE_PAIR = re.compile(r"(" + "|".join(sorted(H.TITLE_KEYS, key=len, reverse=True)) + r")\s*[:：]\s*([^\s:：]+)")


def _title_values(texts: list[tuple[str, str, bool]]) -> dict[str, tuple[str, str, str]]:
    """field → (value, where, line) from 编制单位:… 版本:… pairs in the title lines."""
    found: dict[str, tuple[str, str, str]] = {}
    for text, where, is_title in texts:
        if not is_title:
            continue
        for m in _TITLE_PAIR.finditer(tidy(text, False)):
            found.setdefault(H.TITLE_KEYS[m.group(1)], (m.group(2), where, text))
    return found


def _catalog(file: str, number: int, total: int, group: _Group, meta: dict, registry: Registry,
             settings: Settings, used_ids: IdPool, used_names: set[str]) -> ImportedCatalog:
    first = group.tables[0]
    label = f"{PurePath(file).name} {first.grid.name}" + (f" 第{number}个表格" if total > 1 else "")
    notes: list[Note] = []
    texts = _texts(file, group)
    in_title = _title_values(texts)
    used_titles: set[str] = {line for _, _, line in in_title.values()}

    def noted(key: str, title: str, title_en: str, value: object, where: str, where_en: str = "") -> None:
        english = where.replace("工作表名", "sheet name ").replace("文件名", "file name ").replace("“", "'").replace("”", "'")
        notes.append(note("GK810", file, "", title=title, title_en=title_en, value=value, where=where,
                          where_en=where_en or english, option=key))

    origins: dict[str, str] = {}   # key → where its value came from, for refusals that name the cell

    def given(key: str, title: str, title_en: str) -> object:
        value = getattr(settings, key, None)
        if value is not None:
            origins[key] = f"--{key}"
            return value
        if key in meta:
            origins[key] = meta[key][1]
            return meta[key][0]
        if key in in_title:
            value, where, _ = in_title[key]
            origins[key] = where
            noted(key, title, title_en, value, where)
            return value
        return None

    def refuse(title: str, title_en: str, option: str) -> ImportRefused:
        return ImportRefused("GK859", file, title=title, title_en=title_en, table=label, option=option)

    region = given("region", "地区代码", "region code")
    if region is None:
        names = {r.name: r.code for r in registry.regions.values()}
        for r in registry.regions.values():
            for alias in r.aliases:
                names.setdefault(alias, r.code)
        for text, where, _ in texts:
            hit = _longest(text, names)
            if hit:
                region = names[hit]
                origins["region"] = f"登记表(地区“{hit}”)"
                used_titles.add(text)
                noted("region", "地区代码", "region code", f"{region} {hit}", where)
                break
    if region is None:
        raise refuse("地区代码", "region code", "region")
    if not isinstance(region, (str, int)) or isinstance(region, bool):
        region = str(region)
    code = str(region).strip()
    problem = region_problem(code)
    if problem is not None:
        # the code names the output folder: checked here, before anything is planned or written
        where = origins.get("region", "")
        raise ImportRefused("GK860", file, where=where, where_en=where, value=shown_value(code),
                            why=problem, why_en=region_problem_en(code))
    level = given("level", "目录层级", "level")
    level = _LEVEL_OPTIONS.get(str(level).strip(), str(level).strip()) if level is not None else None
    if level is None:
        known = registry.regions.get(code)
        level = known.level if known and known.level else _level_of_code(code)
        if level:
            noted("level", "目录层级", "level", f"{level}({LEVEL_NAMES.get(level, level)})", "登记表" if known else "地区代码", "registry" if known else "region code")
    area = given("area", "重点领域", "key area")
    if area is None:
        for text, where, _ in texts:
            hit = _longest(text, registry.area_names)
            if hit:
                area = registry.area_names[hit]
                used_titles.add(text)
                noted("area", "重点领域", "key area", area, where)
                break
    if area is None:
        for text, where, is_title in texts:
            derived = _area_from_title(text) if is_title or not _GENERIC_SHEET.match(text) else None
            if derived:
                area = derived
                used_titles.add(text)
                noted("area", "重点领域", "key area", area, where)
                break
    if area is None:
        raise refuse("重点领域", "key area", "area")
    if isinstance(area, str) and area in registry.area_names and registry.area_names[area] != area:
        notes.append(note("GK801", file, "", column="重点领域", found=area, value=registry.area_names[area]))
        area = registry.area_names[area]
    slug = _slug(file, area, registry)
    items = []
    footnotes: list[str] = []
    for mapped in group.mapped:
        footnotes.extend(mapped.footnotes)
        grid = mapped.table.grid
        for code_, cell, args in mapped.notes:
            notes.append(note(code_, file, grid.where(*cell), **args))
        for row in mapped.rows:
            item = dict(row.item)
            item_id = item.get("id")
            if not item_id:
                item_id = used_ids.new(code, slug)
                item["id"] = item_id
            used_ids.taken.add(item_id)
            source: dict = {"file": PurePath(file).name}
            if grid.kind == "sheet":
                source["sheet"] = grid.name
            else:
                source["table"] = grid.index
            source["row"] = row.row + 1
            if row.seq is not None:
                source["seq"] = row.seq
            source["cells"] = dict(row.cells)
            if row.previous_source is not None:
                source["previous"] = row.previous_source
            item["source"] = source
            if row.raw:
                item["raw"] = dict(row.raw)
            items.append(ordered_item(item))
            for code_, cell, args in row.notes:
                notes.append(note(code_, file, grid.where(*cell), item=item_id, **args))
    department = given("department", "编制单位", "compiling unit")
    if department is None:
        units = Counter(i["responsible_unit"] for i in items if isinstance(i.get("responsible_unit"), str))
        if units:
            department = min(units.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            noted("department", "编制单位", "compiling unit", department, "最常见的公开主体", "the most common responsible unit")
    if department is None:
        raise refuse("编制单位", "compiling unit", "department")
    version = given("version", "版本", "version")
    if version is None:
        version = f"{settings.today[:4]}.1"
        noted("version", "版本", "version", version, "导入日期", "the import date")
    data: dict = {"region": region, "level": level, "area": area, "department": department, "version": version}
    for plain in PLAIN_HEADER_FIELDS:   # dates and optional texts carried as the table gives them
        value = given(plain.key, plain.title, plain.key)
        if value is not None:
            data[plain.key] = value
    if "standard" in meta:
        value = meta["standard"][0]
        data["standard"] = value if isinstance(value, bool) else label_key(str(value)).lower() in ("true", "是", "1", "yes")
    extra = [str(meta["notes"][0])] if "notes" in meta else []
    for text, cell in first.titles:
        if cell is not None and text not in used_titles and "目录" not in text:
            extra.append(tidy(text))
            notes.append(note("GK811", file, first.grid.where(*cell), found=tidy(text, False)))
    extra.extend(footnotes)
    if extra:
        data["notes"] = "\n".join(extra)
    data["items"] = items
    data = {k: data[k] for k in HEADER_ORDER if k in data}
    name = _file_name(code, slug, used_names)
    for index, n in enumerate(notes):
        notes[index] = _with_output(n, name)
    return ImportedCatalog(data, name, label, notes)


def _slug(file: str, area: object, registry: Registry) -> str:
    """The registry's slug of a registered area, else one derived from the area's own name."""
    known = registry.areas.get(area) if isinstance(area, str) else None
    if known is None or not known.slug:
        return unregistered_slug(str(area))
    if not slug_ok(known.slug):
        raise ImportRefused("GK861", file, path=f"<地区>/{shown_value(known.slug)}.yaml",
                            why=f"登记表中领域“{area}”的 slug 不能用作文件名",
                            why_en=f"the registry's slug of the area '{area}' cannot be a file name",
                            fix="把 catalogs/registry/areas.yaml 中该领域的 slug 改为小写字母、数字和连字符(最多 64 个字符,不用 con、nul 等保留名)。",
                            fix_en="make the area's slug in catalogs/registry/areas.yaml lower-case letters, digits and hyphens (at most 64, not con, nul …).")
    return known.slug


def _with_output(n: Note, name: str) -> Note:
    return Note(n.code, n.file, n.place, n.args, n.item, name)


def _file_name(region: str, slug: str, used: set[str]) -> str:
    name = f"{region}/{slug}.yaml"
    number = 2
    while name in used:
        name = f"{region}/{slug}-{number}.yaml"
        number += 1
    used.add(name)
    return name


def _level_of_code(code: str) -> str | None:
    if not code.isdigit():
        return None
    if len(code) in (9, 12):
        return "township"
    if len(code) != 6:
        return None
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def _area_from_title(text: str) -> str | None:
    """重大建设项目 from (一)重大建设项目领域基层政务公开标准目录; None when the title names no area."""
    bare = _TITLE_PREFIX.sub("", tidy(text, False)).strip()
    if "目录" not in bare and "领域" not in bare:
        return None
    bare = _TITLE_SUFFIX.sub("", bare)
    bare = re.sub(r"^.{2,6}?(省|市|县|区|镇|乡|街道)(?=..)", "", bare)
    return bare or None

