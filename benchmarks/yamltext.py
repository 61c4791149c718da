"""The generated tree as YAML text (benchmarks/generate.py): scalars quoted only where YAML needs it,
catalogs and the registry written with plain string formatting (no dumper) for speed."""
import json
import re

from matters import law_tag
from province import EFFECTIVE, REGULATION, REQUIREMENTS, REQ_KEYWORDS, SCHEMA_LINE, VERSION

# YAML scalar quoting

_BAD_START = set("-?:,[]{}#&*!|>'\"%@` \t")
_BOOLNULL = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}
_FLOW_BAD = set(",[]{}:#")
_qcache = ({}, {})  # block context, flow context
_flcache = {}


def _needs_quote(s, flow):
    return (not s or s[0] in _BAD_START or s[-1] in " \t" or s[0].isdigit() or s[0] in "+."
            or ":" in s or " #" in s or s.lower() in _BOOLNULL or s.startswith("<<") or s == "="
            or any(ord(c) < 32 or c in "\\\"\x7f\u2028\u2029\ufeff\x85" for c in s)
            or (flow and any(c in _FLOW_BAD for c in s)))


def q(s, flow=False):
    """Return s as a YAML scalar: plain when safe (YAML 1.1 and 1.2), else JSON double-quoted."""
    cache = _qcache[flow]
    r = cache.get(s)
    if r is None:
        r = cache[s] = json.dumps(s, ensure_ascii=False) if _needs_quote(s, flow) else s
    return r


def flow_list(xs):
    key = tuple(xs)
    r = _flcache.get(key)
    if r is None:
        r = _flcache[key] = "[" + ", ".join(q(x, True) for x in xs) + "]"
    return r


# --------------------------------------------------------------------------------------------
# Rendering

SCALAR_KEYS = ("matter", "sub_matter", "third_matter", "content", "time_limit", "responsible_unit",
               "audience", "method", "implements", "stage", "scope")
FLOW_KEYS = ("co_units", "channels", "optional_channels", "levels", "requirements")
KEY_ORDER = ("matter", "sub_matter", "content", "basis", "time_limit", "responsible_unit", "co_units", "channels",
             "optional_channels", "audience", "method", "levels", "implements", "requirements", "stage", "scope")


_bcache = {}


def render_basis(v, name="basis"):
    key = (name, tuple(v))
    r = _bcache.get(key)
    if r is None:
        r = _bcache[key] = f"    {name}:\n" + "".join(f"      - {q(b)}\n" for b in v)
    return r


def render_item(it, buf):
    ap = buf.append
    ap(f"  - id: \"{it['id']}\"\n")  # ids are [0-9-] only and start with a digit: always quoted
    rename = it.get("_rename")
    for key in KEY_ORDER:
        v = it.get(key)
        if v is None:
            continue
        name = rename[1] if rename and rename[0] == key else key
        if key == "basis":
            ap(render_basis(v, name))
        elif key in FLOW_KEYS:
            ap(f"    {name}: {flow_list(v)}\n")
        else:
            ap(f"    {name}: {q(v)}\n")


def render_catalog(region, area, pairs):
    lead = region.units[area.lead]["name"]
    buf = [SCHEMA_LINE, "\n",
           f"region: {q(region.code)}\n",
           f"level: {region.level}\n",
           f"area: {q(area.name)}\n",
           f"department: {q(lead)}\n",
           f"version: {json.dumps(VERSION)}\n",
           f"effective: {json.dumps(EFFECTIVE)}\n",
           f"standard: {'true' if region.level in ('province', 'city') else 'false'}\n",
           "items:\n"]
    for it, _ in pairs:
        render_item(it, buf)
    return "".join(buf)


def render_registry(regions, areas, units, header, town_lines="", township_areas=(), extra_laws=()):
    files = {}
    b = [header, "regions:\n"]
    for r in regions:
        parts = [f"code: {q(r.code)}", f"name: {q(r.name, True)}", f"level: {r.level}"]
        if r.parent:
            parts.append(f"parent: {q(r.parent)}")
        if r.kind:
            parts.append(f"kind: {r.kind}")
        b.append("  - {" + ", ".join(parts) + "}\n")
    b.append(town_lines)
    files["regions.yaml"] = "".join(b)

    b = [header, "areas:\n"]
    for a in areas:
        b.append(f"  - name: {q(a.name)}\n")
        b.append(f"    slug: {q(a.slug)}\n")
        if a.aliases:
            b.append(f"    aliases: {flow_list(a.aliases)}\n")
        b.append(f"    levels: [province, city, county{', township' if a.name in township_areas else ''}]\n")
        b.append(f"    lead: {q(a.lead)}\n")
        if a.cooperating:
            b.append(f"    cooperating: {flow_list(a.cooperating)}\n")
    files["areas.yaml"] = "".join(b)

    b = [header, "units:\n"]
    for u in units:
        b.append(f"  - name: {q(u['name'])}\n")
        b.append(f"    region: {q(u['region'])}\n")
        b.append(f"    stems: {flow_list(u['stems'])}\n")
        if u["aliases"]:
            b.append(f"    aliases: {flow_list(u['aliases'])}\n")
        if u["renamed_from"]:
            rf = ", ".join("{name: " + q(x["name"], True) + ", until: " + json.dumps(x["until"]) + "}"
                           for x in u["renamed_from"])
            b.append(f"    renamed_from: [{rf}]\n")
    files["units.yaml"] = "".join(b)

    b = [header, "requirements:\n"]
    for rid, art, title, levels in REQUIREMENTS:
        kw = REQ_KEYWORDS[rid]
        b.append("  - {" + f"id: {q(rid, True)}, article: {q(art, True)}, title: {q(title, True)}, "
                 f"levels: [{', '.join(levels)}]" + (f", keywords: {flow_list(kw)}" if kw else "") + "}\n")
    files["requirements.yaml"] = "".join(b)

    # the document library: every document the generated items cite, so their citations resolve
    # (synthetic data: each is recorded 有效, which exercises the validity rules as a real library does)
    b = [header, "documents:\n"]
    cited = dict.fromkeys([REGULATION] + [law for a in areas for law in a.laws] + list(extra_laws))
    for n, law in enumerate(cited, 1):
        title, number = re.match(r"《([^》]+)》(?:\(([^()]+)\))?", law).groups()
        parts = [f"id: g{n:04d}", f"title: {q(title, True)}"] + ([f"number: {q(number, True)}"] if number else [])
        parts += [f"type: {law_tag(law)[1:-1]}", "status: 有效"]
        b.append("  - {" + ", ".join(parts) + "}\n")
    files["documents.yaml"] = "".join(b)
    return files
