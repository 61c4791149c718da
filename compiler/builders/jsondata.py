"""JSON data for business systems: the whole normalised catalog set and one file per catalog (docs/data.md)."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .. import __version__, fields, validity, vocabulary
from ..model import Item
from . import metadata
from .common import DATA_FORMAT_VERSION, Page, Site, source_epoch
from .outputs import Context, File, Job, Spliced


@lru_cache(maxsize=4096)
def _in_order(name: str, values: tuple[str, ...]) -> list[str]:
    # a province has 200,000 matters but a few hundred channel and level combinations: sort each once
    return sorted(values, key=vocabulary.get(name).order)


def _expression(n: int, field: fields.Field, namespace: dict) -> str:
    """The field's JSON value, as code over `record` and its `data`: the model's value, else as written."""
    if field.model:
        expr = f"record.{field.key}"
        if field.many:
            expr = f"list(_in_order({field.vocabulary!r}, {expr}))" if field.vocabulary else f"list({expr})"
        return expr
    if field.vocabulary:
        namespace[f"canonical{n}"] = vocabulary.get(field.vocabulary).canonicalize
        return f"canonical{n}(data.get({field.key!r}))"
    return f"data.get({field.key!r})"


@lru_cache(maxsize=None)
def _normaliser(rows: str):
    """normalise(record) -> dict of every field of the table's "item" or "catalog" rows, by JSON key.

    Its code is written out field by field, once, as dataclasses writes __init__: calling a getter
    per field for each item instead took three times as long (0.10 s -> 0.32 s of CPU over the
    tenth-scale tree's 21,786 matters; 0.08 s written out).
    """
    namespace: dict = {"_in_order": _in_order}
    table = fields.ITEM if rows == "item" else fields.CATALOG
    parts = ", ".join(f"{f.json!r}: {_expression(n, f, namespace)}" for n, f in enumerate(table))
    exec(f"def normalise(record):\n    data = record.data\n    return {{{parts}}}\n", namespace)
    return namespace["normalise"]


def normalise_item(item: Item) -> dict:
    """An item with every field present, vocabularies canonical, channels and levels in template order."""
    return _normaliser("item")(item)


def normalise_catalog(page: Page, items: list[dict] | None = None, info: dict | None = None) -> dict:
    """A catalog with its names resolved, for data/<region>/<slug>.json and data/catalogs.json (items: already
    normalised; info: its metadata block, builders/metadata.py)."""
    # the registry's names, around the header field they resolve
    before = {"area_as_written": {"area": page.area_name}}
    after = {"region": {"region_name": page.region_name}, "area_as_written": {"area_slug": page.area_slug}}
    out = {"file": page.catalog.file}
    for key, value in _normaliser("catalog")(page.catalog).items():
        out.update(before.get(key, ()))
        out[key] = value
        out.update(after.get(key, ()))
    if info is not None:
        out["metadata"] = info
    out.update(page=page.html_path, data=page.data_path,
               items=[normalise_item(i) for i in page.catalog.items] if items is None else items)
    return out


def data_header(kind: str) -> dict:
    """The head every gkml data file starts with: format, kind, versions, SOURCE_DATE_EPOCH."""
    head = {"format": "gkml-data", "kind": kind, "version": DATA_FORMAT_VERSION, "gkml": __version__}
    epoch = source_epoch()
    if epoch is not None:
        head["source_date_epoch"] = epoch
    return head


def dumps(value: object, indent: int | None = None) -> bytes:
    """UTF-8 JSON, not \\u-escaped, stable key order as built, newline at the end."""
    separators = (",", ":") if indent is None else (",", ": ")
    return (json.dumps(value, ensure_ascii=False, indent=indent, separators=separators) + "\n").encode("utf-8")


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dumps_rows(value: dict, rows: tuple[str, ...], chunk: int = 4096) -> bytes:
    """UTF-8 JSON of an object whose keys in rows (a list or an object each) have one entry per line.

    Laid out like a catalog's data file (the header indented, each entry compact on its line),
    readable and diffable, and written by the C encoder entry by entry, in chunks. json's
    indenting encoder, pure Python, joins a list of one string per token: for data/documents.json
    at full scale (710,000 citations) that list took 440 MB of the build's main process, its
    memory peak (2,176 MiB → 1,766 MiB, session 34), and the file was 75 MB where one entry per line is 59.
    chunk: the entries encoded into one piece (the output does not depend on it).
    """
    chunks: list[bytes] = [b"{\n"]
    keys = list(value)
    for n, key in enumerate(keys):
        comma = "," if n < len(keys) - 1 else ""
        name = json.dumps(key, ensure_ascii=False)
        entries = value[key]
        if key not in rows:
            chunks.append(f" {name}: {_COMPACT.encode(entries)}{comma}\n".encode("utf-8"))
            continue
        pairs = isinstance(entries, dict)
        opening, closing = ("{", "}") if pairs else ("[", "]")
        if not entries:
            chunks.append(f" {name}: {opening}{closing}{comma}\n".encode("utf-8"))
            continue
        chunks.append(f" {name}: {opening}\n".encode("utf-8"))
        total = len(entries)
        items = iter(entries.items()) if pairs else iter(entries)
        for start in range(0, total, chunk):
            block = []
            for _ in range(min(chunk, total - start)):
                entry = next(items)
                block.append(f"  {_COMPACT.encode(entry[0])}: {_COMPACT.encode(entry[1])}" if pairs
                             else f"  {_COMPACT.encode(entry)}")
            tail = ",\n" if start + chunk < total else "\n"
            chunks.append((",\n".join(block) + tail).encode("utf-8"))
        chunks.append(f" {closing}{comma}\n".encode("utf-8"))
    chunks.append(b"}\n")
    return b"".join(chunks)


def catalog_fragment(page: Page) -> bytes:
    """One catalog as it appears in data/catalogs.json (compact, no newline)."""
    return catalog_outputs(page)[1]


def catalog_outputs(page: Page, items: list[dict] | None = None, info: dict | None = None) -> tuple[bytes, bytes]:
    """(data/<region>/<slug>.json, the catalog's fragment of data/catalogs.json), from one normalisation.

    The per-catalog file is indented down to the items and has one compact item per line: as
    readable and diffable as full indentation, and written by the C encoder (json's indenting
    encoder is pure Python, five times slower).
    """
    catalog = normalise_catalog(page, items, info)
    items = [json.dumps(i, ensure_ascii=False, separators=(",", ":")) for i in catalog.pop("items")]
    fields = [(json.dumps(k, ensure_ascii=False), json.dumps(v, ensure_ascii=False, separators=(",", ":")))
              for k, v in catalog.items()]
    compact = "{" + ",".join(f"{k}:{v}" for k, v in fields) + ',"items":[' + ",".join(items) + "]}"
    head = data_header("catalog")
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
    head = dumps({**data_header("catalog-set"), "regions": regions, "areas": areas}).rstrip(b"\n")
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
    # the metadata block: 索引号 from the model, 有效性 on the run date (compiler/validity.py)
    numbers = metadata.index_numbers(site)
    today = (ctx.result.project.today if ctx.result.project else "") or validity.run_date()

    def both(job: Job) -> tuple[bytes, bytes]:   # one normalisation for the file and the fragment
        page = site.pages[job.n]
        info = metadata.as_json(metadata.block(page.catalog.data, page.catalog.department, numbers[job.n], today))
        return job.once("jsondata", lambda: catalog_outputs(page, normalised_items(job, page), info))

    out: list[File | Spliced] = [File(f"data/{page.data_path}", (ctx.registry, ctx.pages[n], numbers[n], today),
                                      lambda job: both(job)[0], catalog=n) for n, page in enumerate(site.pages)]
    head = catalogs_head(site)
    out.append(Spliced(CATALOGS_FILE, (ctx.registry, hashlib.blake2b(head).hexdigest()), lambda: head,
                       [(n, (ctx.registry, state, numbers[n], today)) for n, state in enumerate(ctx.pages)],
                       lambda job: both(job)[1],
                       sep=b",", tail=b"]}\n", weight=site.total_items))
    return out


def normalised_items(job: Job, page: Page) -> list[dict]:
    """The page's items normalised (normalise_item), once per catalog task: every builder of that task shares them."""
    return job.once("normalised items", lambda: [normalise_item(i) for i in page.catalog.items])


def summary(ctx: Context) -> list[tuple[str, str, int]]:
    """The JSON files a build writes, for its closing line."""
    return [("个数据文件", "data files", len(ctx.site.pages) + 1)]
