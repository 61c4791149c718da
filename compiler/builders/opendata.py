"""The open-data package: data/datapackage.json (Frictionless Data Package) and one CSV per level (docs/data.md).

Open-data portals (CKAN and the national and provincial portals built like it) ingest tables:
one resource per administrative level gives a few large tables with one schema each, the way
such portals publish 省级/市级/县级/乡级 data, instead of hundreds of small ones per catalog.
Each row is one matter with its catalog's region, area and department. CSV is UTF-8 (no byte
order mark: the Data Package declares the encoding), comma-separated, RFC 4180 quoting, CRLF.

A cell beginning with = + - @ (or a tab or carriage return) is written with a leading
apostrophe, as OWASP advises for CSV files, so that a spreadsheet opening the file shows it as
text rather than running it as a formula; the schema's field descriptions say so, and the
JSON data (data/catalogs.json) keeps the values unchanged for machines.
"""
from __future__ import annotations

import csv
import io

from .. import fields
from ..vocabulary import LEVEL_NAMES, LEVEL_ORDER
from .common import DATA_FORMAT_VERSION, Page, Site, source_epoch
from .jsondata import dumps, normalised_items
from .outputs import Context, File, Spliced

ROOTS = ("data",)
PACKAGE = "data/datapackage.json"
LIST_SEPARATOR = "；"     # between the values of a list field (公开依据, 公开渠道 …)
FORMULA_START = frozenset("=+-@\t\r")   # a cell starting with one of these gets an apostrophe

# (JSON key in data/catalogs.json, CSV header): the catalog's fields first, then the matter's
CATALOG_COLUMNS = (("region", "地区代码"), ("region_name", "地区名称"), ("level", "目录层级"), ("area", "领域"),
                   ("department", "编制单位"), ("version", "目录版本"), ("effective", "生效日期"),
                   ("file", "目录文件"))
# The matters' columns come from the field table (its workbook headings; import provenance, the
# RECORD rows, stays out): a field added there appears here without an edit.
ITEM_COLUMNS = tuple((f.json, f.sheet.heading if f.sheet else f.title) for f in fields.ITEM if f.kind != fields.RECORD)
LIST_KEYS = frozenset(f.json for f in fields.ITEM if f.many)
REQUIRED = ("region", "matter")


def cell(value: object) -> str:
    """A value as CSV text: lists joined, None empty, a formula-like start escaped with an apostrophe."""
    text = _text(value)
    return "'" + text if text[:1] in FORMULA_START else text


def _text(value: object) -> str:
    if value.__class__ is str:
        return value
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def header() -> bytes:
    """The CSV header row."""
    return _csv([[title for _, title in CATALOG_COLUMNS + ITEM_COLUMNS]])


def catalog_rows(page: Page, items: list[dict]) -> bytes:
    """The CSV rows of a catalog: one per matter (items: its matters normalised, jsondata.normalise_item)."""
    c = page.catalog
    head = {"region": c.region, "region_name": page.region_name, "level": page.level_name, "area": page.area_name,
            "department": c.department, "version": c.version, "effective": c.effective, "file": c.file}
    first = [cell(head[key]) for key, _ in CATALOG_COLUMNS]
    keys = [key for key, _ in ITEM_COLUMNS]
    escape = FORMULA_START
    rows = []
    for values in items:   # a comprehension per row: 200,000 matters a province
        texts = [_text(values[key]) for key in keys]
        rows.append(first + [("'" + t) if t[:1] in escape else t for t in texts])
    return _csv(rows)


def level_of(level: str) -> str:
    """The resource a region's level goes to (its English name, 'other' when unknown)."""
    return level if level in LEVEL_ORDER else "other"


def levels(site: Site) -> list[str]:
    """The levels that have catalogs, top down."""
    return sorted({level_of(r.level) for r in site.regions if r.pages}, key=lambda lv: LEVEL_ORDER.get(lv, 9))


def resource_path(level: str) -> str:
    """A level's CSV, relative to datapackage.json."""
    return f"csv/{level}.csv"


def _field(key: str, title: str, catalog: bool) -> dict:
    whose = "目录" if catalog else "事项"
    lists = " 多个值以“；”分隔。" if key in LIST_KEYS else ""
    field = {"name": title, "type": "string", "title": title,
             "description": f"{whose}字段 {key}(data/catalogs.json 中的键)。{lists}"
                            "以 = + - @ 开头的值前加了一个单引号,以免电子表格把它当作公式。"}
    if key in REQUIRED:
        field["constraints"] = {"required": True}
    return field


def package(site: Site) -> bytes:
    """data/datapackage.json: the package and, per level, its resource with its Table Schema."""
    fields = ([_field(key, title, True) for key, title in CATALOG_COLUMNS]
              + [_field(key, title, False) for key, title in ITEM_COLUMNS])
    resources = [{
        "name": level, "path": resource_path(level), "profile": "tabular-data-resource",
        "title": f"{LEVEL_NAMES.get(level, '其他')}政务公开事项", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "dialect": {"delimiter": ",", "quoteChar": "\"", "doubleQuote": True, "header": True},
        "schema": {"fields": fields, "missingValues": [""]},
    } for level in levels(site)]
    data = {"profile": "tabular-data-package", "name": "gkml-disclosure-catalogs", "title": "政务公开事项目录",
            "description": "政务公开事项目录(gkml 生成):每行一个公开事项,按行政层级分为若干表。",
            "version": str(DATA_FORMAT_VERSION), "keywords": ["政务公开", "公开事项目录"]}
    epoch = source_epoch()
    if epoch is not None:
        from datetime import datetime, timezone
        data["created"] = datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    data["resources"] = resources
    return dumps(data, indent=1)


def outputs(ctx: Context) -> list[File | Spliced]:
    """datapackage.json, and per level a CSV spliced from its catalogs' rows."""
    site = ctx.site
    columns = (CATALOG_COLUMNS, ITEM_COLUMNS, LIST_SEPARATOR, sorted(FORMULA_START), REQUIRED)
    out: list[File | Spliced] = [File(PACKAGE, (columns, levels(site)), lambda job: package(site))]
    for level in levels(site):
        pages = [n for n, q in enumerate(site.pages) if level_of(q.region_level) == level]
        out.append(Spliced(f"data/{resource_path(level)}", columns, header,
                           [(n, (ctx.registry, ctx.pages[n])) for n in pages],
                           lambda job: catalog_rows(site.pages[job.n], normalised_items(job, site.pages[job.n])),
                           weight=sum(len(site.pages[n].catalog.items) for n in pages)))
    return out


def summary(ctx: Context) -> list[tuple[str, str, int]]:
    """The open-data files a build writes, for its closing line."""
    return [("个开放数据文件", "open-data files", 1 + len(levels(ctx.site)))]
