"""The one-stop search index: a small manifest plus one shard per region, as .js files.

Shards are JavaScript files that hand their data to a global callback (``gkmlShard(code, data)``)
because they are loaded with <script> tags: fetch() of JSON is refused on file:// by Chromium,
while a script tag works on file:// and over http alike. One shard per region keeps the first
answer fast at province scale (≈1,700 matters per county shard instead of 200,000 at once); the
page loads shards progressively, province first, and searches each as it arrives.
"""
from __future__ import annotations

import json

from .. import vocabulary
from ..vocabulary import LEVEL_NAMES, LEVEL_ORDER
from .common import Site, channel_marks

# row layout of a shard (documented in docs/data.md and read by templates/static/search.js)
ROW_FIELDS = ("id", "matter", "sub_matter", "third_matter", "content", "responsible_unit", "basis",
              "time_limit", "page", "channels", "audience", "method")


def _js_json(value: object) -> str:
    # JSON is valid JavaScript; escaping < > & keeps the shard inert even if pasted into HTML
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def shard_path(code: str) -> str:
    """Where a region's shard lives, relative to the site root."""
    return f"search/r-{code}.js"


def manifest(site: Site) -> str:
    """search/manifest.js: regions in load order, filter vocabularies, units per region."""
    channels = list(vocabulary.get("channel").canonical)
    levels = sorted({r.level for r in site.regions}, key=lambda lv: LEVEL_ORDER.get(lv, 9))
    regions = []
    for r in site.regions:
        units = sorted({i.responsible_unit for p in r.pages for i in p.catalog.items if i.responsible_unit})
        regions.append({"code": r.code, "name": r.name, "level": r.level, "parent": r.parent,
                        "count": r.items, "shard": shard_path(r.code), "units": units})
    data = {
        "version": 1, "fields": list(ROW_FIELDS),
        "levels": [[lv, LEVEL_NAMES.get(lv, lv)] for lv in levels],
        "areas": [name for name, _ in site.areas],
        "channels": channels,
        "audiences": list(vocabulary.get("audience").canonical),
        "methods": list(vocabulary.get("method").canonical),
        "regions": regions, "total": site.total_items,
    }
    return f"window.gkmlManifest({_js_json(data)});\n"


def shard(site: Site, code: str) -> str:
    """search/r-<code>.js: the region's catalogs (page, area, department) and one row per matter."""
    region = site.region(code)
    assert region is not None
    channel_order = vocabulary.get("channel").order
    areas = {name: n for n, (name, _) in enumerate(site.areas)}
    pages, rows = [], []
    for n, page in enumerate(region.pages):
        pages.append([page.html_path, areas.get(page.area_name, -1), page.catalog.department or ""])
        for item in page.catalog.items:
            # channel filter: every channel the matter is disclosed through, ■ or □ (其他:… counts as 其他)
            chans = sorted({channel_order(c) for _, c in channel_marks(item)})
            rows.append([item.id or "", item.matter or "", item.sub_matter or "", item.third_matter or "",
                         item.content or "", item.responsible_unit or "", ";".join(item.basis),
                         item.time_limit or "", n, chans, item.audience or "", item.method or ""])
    return f"window.gkmlShard({_js_json(code)},{_js_json({'pages': pages, 'rows': rows})});\n"
