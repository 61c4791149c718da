"""JSON data for business systems: the whole normalised catalog set and one file per catalog (docs/data.md)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import __version__, vocabulary
from ..model import Item
from .common import DATA_FORMAT_VERSION, Page, Site, channel_marks, source_epoch
from .outputs import Context, File, Job, Spliced

SCALARS = ("id", "matter", "sub_matter", "third_matter", "content")


def normalise_item(item: Item) -> dict:
    """An item with every field present, vocabularies canonical, channels and levels in template order."""
    level_order = vocabulary.get("level").order
    marks = channel_marks(item)
    d = item.data
    return {
        "id": item.id, "matter": item.matter, "sub_matter": item.sub_matter, "third_matter": item.third_matter,
        "content": item.content, "basis": list(item.basis), "time_limit": item.time_limit,
        "responsible_unit": item.responsible_unit, "co_units": list(item.co_units),
        "channels": [c for m, c in marks if m == "■"], "optional_channels": [c for m, c in marks if m == "□"],
        "audience": item.audience, "method": item.method,
        "levels": sorted(item.levels, key=level_order),
        "implements": item.implements, "requirements": list(item.requirements),
        "stage": vocabulary.get("stage").canonicalize(d.get("stage")),
        "link": d.get("link"), "column": d.get("column"), "duration": d.get("duration"),
        "scope": d.get("scope"), "notes": d.get("notes"), "source": d.get("source"), "raw": d.get("raw"),
    }


def normalise_catalog(page: Page, items: list[dict] | None = None) -> dict:
    """A catalog with its names resolved, for data/<region>/<slug>.json and data/catalogs.json (items: already normalised)."""
    c = page.catalog
    return {
        "file": c.file, "region": c.region, "region_name": page.region_name, "level": c.level,
        "area": page.area_name, "area_as_written": c.area, "area_slug": page.area_slug,
        "department": c.department, "version": c.version, "effective": c.effective,
        "expires": c.data.get("expires"), "standard": c.standard, "notes": c.data.get("notes"),
        "page": page.html_path, "data": page.data_path,
        "items": [normalise_item(i) for i in c.items] if items is None else items,
    }


def _header(kind: str) -> dict:
    head = {"format": "gkml-data", "kind": kind, "version": DATA_FORMAT_VERSION, "gkml": __version__}
    epoch = source_epoch()
    if epoch is not None:
        head["source_date_epoch"] = epoch
    return head


def dumps(value: object, indent: int | None = None) -> bytes:
    """UTF-8 JSON, not \\u-escaped, stable key order as built, newline at the end."""
    separators = (",", ":") if indent is None else (",", ": ")
    return (json.dumps(value, ensure_ascii=False, indent=indent, separators=separators) + "\n").encode("utf-8")


def catalog_fragment(page: Page) -> bytes:
    """One catalog as it appears in data/catalogs.json (compact, no newline)."""
    return catalog_outputs(page)[1]


def catalog_outputs(page: Page, items: list[dict] | None = None) -> tuple[bytes, bytes]:
    """(data/<region>/<slug>.json, the catalog's fragment of data/catalogs.json), from one normalisation.

    The per-catalog file is indented down to the items and has one compact item per line: as
    readable and diffable as full indentation, and written by the C encoder (json's indenting
    encoder is pure Python, five times slower).
    """
    catalog = normalise_catalog(page, items)
    items = [json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in catalog.pop("items")]
    fields = [(json.dumps(k, ensure_ascii=False), json.dumps(v, ensure_ascii=False, separators=(",", ":")))
              for k, v in catalog.items()]
    compact = "{" + ",".join(f"{k}:{v}" for k, v in fields) + ',"items":[' + ",".join(items) + "]}"
    head = _header("catalog")
    lines = ["{"] + [f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    lines.append(' "catalog": {')
    lines += [f"  {k}: {v}," for k, v in fields]
    if items:
        lines.append('  "items": [')
        lines.append(",\n".join(f"   {i}" for i in items))
        lines.append("  ]")
    else:
        lines.append('  "items": []')
    lines += [" }", "}"]
    return ("\n".join(lines) + "\n").encode("utf-8"), compact.encode("utf-8")


def catalogs_head(site: Site) -> bytes:
    """data/catalogs.json up to its catalogs list: header, regions and areas (model fields only)."""
    regions = [{"code": r.code, "name": r.name, "level": r.level, "parent": r.parent,
                "catalogs": [p.data_path for p in r.pages], "items": r.items} for r in site.regions]
    areas = [{"name": name, "slug": slug} for name, slug in site.areas]
    head = dumps({**_header("catalog-set"), "regions": regions, "areas": areas}).rstrip(b"\n")
    return head[:-1] + b',"catalogs":['


def write_catalogs_file(path: Path, site: Site, fragment=None) -> list[tuple[int, int]]:
    """data/catalogs.json: regions, areas and every catalog with its items (compact).

    Written catalog by catalog, so memory stays flat at province scale (150 MB of JSON).
    fragment(n, page, fh), when given, writes the n-th catalog's fragment itself (e.g. copied from
    the previous build); returns the (offset, length) of every catalog's fragment in the file.
    """
    spans = []
    with open(path, "wb") as fh:
        fh.write(catalogs_head(site))
        for n, page in enumerate(site.pages):
            if n:
                fh.write(b",")
            start = fh.tell()
            if fragment is None:
                fh.write(catalog_fragment(page))
            else:
                fragment(n, page, fh)
            spans.append((start, fh.tell() - start))
        fh.write(b"]}\n")
    return spans


# ---------------------------------------------------------------------------------------------
# What the build writes (compiler/builders/outputs.py)

ROOTS = ("data",)
CATALOGS_FILE = "data/catalogs.json"


def outputs(ctx: Context) -> list[File | Spliced]:
    """data/<region>/<slug>.json per catalog, and data/catalogs.json spliced from the catalogs' fragments."""
    site = ctx.site

    def both(job: Job) -> tuple[bytes, bytes]:   # one normalisation for the file and the fragment
        page = site.pages[job.n]
        return job.once("jsondata", lambda: catalog_outputs(page, normalised_items(job, page)))

    out: list[File | Spliced] = [File(f"data/{page.data_path}", (ctx.registry, ctx.pages[n]),
                                      lambda job: both(job)[0], catalog=n) for n, page in enumerate(site.pages)]
    head = catalogs_head(site)
    out.append(Spliced(CATALOGS_FILE, (ctx.registry, hashlib.blake2b(head).hexdigest()), lambda: head,
                       [(n, (ctx.registry, state)) for n, state in enumerate(ctx.pages)], lambda job: both(job)[1],
                       sep=b",", tail=b"]}\n", weight=site.total_items))
    return out


def normalised_items(job: Job, page: Page) -> list[dict]:
    """The page's items normalised (normalise_item), once per catalog task: every builder of that task shares them."""
    return job.once("normalised items", lambda: [normalise_item(i) for i in page.catalog.items])


def summary(ctx: Context) -> list[tuple[str, str, int]]:
    """The JSON files a build writes, for its closing line."""
    return [("个数据文件", "data files", len(ctx.site.pages) + 1)]
