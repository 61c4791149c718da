#!/usr/bin/env python3
"""Generate a deterministic, province-scale gkml project tree for tests and benchmarks.

Usage:
    python benchmarks/generate.py --scale {tiny,tenth,county,full} --out DIR [--errors PCT] [--seed N] [--force]

Writes DIR/catalogs/registry/{regions,areas,units,requirements,documents}.yaml and
DIR/catalogs/<region code>/<area slug>.yaml in the format of docs/format.md; a township's
catalogs are either one file per area or one DIR/catalogs/<code>/catalog.yaml with a section per
area (benchmarks/townships.py, both shapes mixed as counties publish them).

* full  : 安徽省, 16 cities, 104 counties + 1 development zone, 30 key areas, and 1,483
          townships (乡镇/街道) covering 10-20 of the 23 township-level areas each
          (14,599 files, 709,631 matters; the county-level part is --scale county)
* county: the same province without its townships (122 regions x 30 = 3,660 files, 202,245
          matters), byte for byte the tree measured before issue 22, so its figures compare
* tenth : 安徽省, 宿州市 (5 counties + 宿州经济技术开发区), 六安市 (7 counties), 30 areas, and
          their townships (1,747 files, ~70,000 matters)
* tiny  : 安徽省, 宿州市, 砀山县, 萧县, 3 areas, 3 townships a county (both shapes), ~10 matters
          per file (for the test suite)

Without --errors the tree is clean: every vertical-chain and horizontal rule of the catalog
format holds.  With --errors PCT, PCT percent of all matters (chosen from --seed) carry exactly
one realistic fault, cycling through FAULT_KINDS; the faults are listed in DIR/faults.tsv
(outside catalogs/, so a check of the catalogs never reads it).

The same arguments always give byte-identical files: all randomness comes from
random.Random seeded with strings, iteration is ordered, nothing depends on time or hashing.
YAML is written with plain string formatting (no dumper) for speed.

The parts, each importing only those below it: province.py (the fixed data, regions, units),
matters.py (the items), yamltext.py (the YAML text), townships.py (the township layer), and this
script (the faults and the command line).
"""

import argparse
import gc
import random
import shutil
import sys
import time
from pathlib import Path

import townships
from matters import AreaCtx, ch_base, gen_area
from province import ANCHORS, AREAS, BULLETIN, CH_RANK, build_regions, build_units
from yamltext import render_catalog, render_registry

# --------------------------------------------------------------------------------------------
# Scales

SCALES = {
    # cities: None = all; else {city code: None (all counties) or list of county codes};
    # townships: None (none), "all" (9-20 a county, benchmarks/townships.py) or "few" (3 a county);
    # town_areas: how many of the township-level areas each township covers
    "full": dict(cities=None, dev_zone=True, areas=None, mean=55.0, sd=13.0, lo=24, hi=72,
                 townships="all", town_areas=(10, 20)),
    # the county-level province under its own name: "full" is the province with its townships
    # (issue 22); "county" keeps the tree without them, byte for byte, so that its figures compare
    "county": dict(cities=None, dev_zone=True, areas=None, mean=55.0, sd=13.0, lo=24, hi=72, townships=None),
    "tenth": dict(cities={"341300": None, "341500": None}, dev_zone=True, areas=None,
                  mean=44.0, sd=11.0, lo=24, hi=70, townships="all", town_areas=(10, 20)),
    "tiny": dict(cities={"341300": ["341321", "341322"]}, dev_zone=False,
                 areas=["社会救助与社会福利", "教育信息", "公共资源交易"], mean=11.0, sd=1.5, lo=9, hi=13,
                 townships="few", town_areas=(2, 3)),
}

# --------------------------------------------------------------------------------------------
# Faults

FAULT_KINDS = [
    "missing-matter", "misspelled-key", "unknown-channel", "synonym-channel", "longer-time-limit",
    "weakened-method", "duplicate-matter", "dangling-implements", "vague-basis", "missing-content",
    "unknown-audience", "synonym-method", "missing-responsible_unit", "missing-channels", "missing-audience",
]


CONDITIONAL = ("synonym-channel", "synonym-method", "longer-time-limit", "weakened-method", "duplicate-matter",
               "dangling-implements", "unknown-channel")


def inject_faults(catalogs, pct, seed):
    """Give round(pct% of all matters) items exactly one fault each. Returns [(file, id, kind, detail)]."""
    allitems = [(path, it, meta) for path, _, _, pairs in catalogs for it, meta in pairs]
    total = len(allitems)
    k = round(total * pct / 100.0)
    if k <= 0:
        return []
    k = min(k, total)
    rng = random.Random(f"gkml-errors:{seed}")
    nk = len(FAULT_KINDS)
    quota = {kind: len(range(i, k, nk)) for i, kind in enumerate(FAULT_KINDS)}
    chosen = {}  # index -> kind
    by_region = {}
    for i, (_, it, meta) in enumerate(allitems):
        by_region.setdefault(meta["region"].code, []).append(i)

    def eligible(kind, i):
        _, it, meta = allitems[i]
        up = meta["upper"]
        if kind == "synonym-channel":
            return "政务服务中心" in it["channels"]
        if kind == "synonym-method":
            return it["method"] == "依申请"
        if kind == "longer-time-limit":
            return up is not None and up[1]["tl"][1] is not None and up[1]["tl"][1] < 30
        if kind == "weakened-method":
            return up is not None and up[0]["method"] == "主动" and it["method"] == "主动"
        if kind == "duplicate-matter":
            return meta["children"] == 0
        if kind == "dangling-implements":  # an own item, so no upper item loses its implementation
            return up is None and meta["region"].level != "province"
        if kind == "unknown-channel":  # a leaf, so no lower item inherits the typo
            return meta["children"] == 0
        return True

    picked_ids = set()  # items and uppers involved in time/method faults

    def take(kind, seq, want):
        got = 0
        for i in seq:
            if got >= want:
                break
            if i in chosen:
                continue
            if kind in ("longer-time-limit", "weakened-method"):
                # the upper item must keep its value, or the fault would not show
                it, meta = allitems[i][1], allitems[i][2]
                uid = meta["upper"][0]["id"]
                if uid in picked_ids or it["id"] in picked_ids:
                    continue
                picked_ids.add(it["id"])
                picked_ids.add(uid)
            chosen[i] = kind
            got += 1
        return got

    elig = {kind: [] for kind in CONDITIONAL}
    for i in range(total):
        for kind in CONDITIONAL:
            if eligible(kind, i):
                elig[kind].append(i)
    # kinds with preconditions first, so universal kinds can absorb any shortfall
    kinds = sorted(FAULT_KINDS, key=lambda kd: kd not in CONDITIONAL)
    shortfall = 0
    for kind in kinds:
        want = quota[kind]
        if kind not in CONDITIONAL and shortfall:
            extra = min(shortfall, max(0, total - len(chosen) - want))
            want += extra
            shortfall -= extra
        cands = elig.get(kind, range(total))
        if want <= 0 or not cands:
            shortfall += max(0, want)
            continue
        m = min(len(cands), 2 * want + 64)
        sample = rng.sample(cands, m)
        got = take(kind, sample, want)
        if got < want and m < len(cands):  # rarely needed: the rest of the candidates
            seen = set(sample)
            rest = [i for i in cands if i not in seen]
            rng.shuffle(rest)
            got += take(kind, rest, want - got)
        shortfall += want - got
    # uppers of time/method faults must not be changed by another kind either
    protected = set()
    for i, kind in chosen.items():
        if kind in ("longer-time-limit", "weakened-method"):
            protected.add(allitems[i][2]["upper"][0]["id"])

    faults = []
    for i in sorted(chosen):
        kind = chosen[i]
        path, it, meta = allitems[i]
        detail = ""
        if kind.startswith("missing-"):
            key = kind[len("missing-"):]
            detail = f"{key}: {it[key]}" if not isinstance(it[key], list) else f"{key}: {', '.join(it[key])}"
            it[key] = None
        elif kind == "misspelled-key":
            it["_rename"] = ("responsible_unit", "responsable_unit")
            detail = "responsible_unit -> responsable_unit"
        elif kind == "unknown-channel":
            chs = [c for c in it["channels"]]
            pos = next((j for j, c in enumerate(chs) if CH_RANK[ch_base(c)] > CH_RANK[BULLETIN]), len(chs))
            chs.insert(pos, "公示拦")
            it["channels"] = chs
            detail = "channel 公示拦"
        elif kind == "synonym-channel":
            it["channels"] = ["行政服务中心" if c == "政务服务中心" else c for c in it["channels"]]
            detail = "政务服务中心 -> 行政服务中心"
        elif kind == "unknown-audience":
            detail = f"audience {it['audience']} -> 特定人群"
            it["audience"] = "特定人群"
        elif kind == "synonym-method":
            it["method"] = "依申请公开"
            detail = "依申请 -> 依申请公开"
        elif kind == "longer-time-limit":
            up = meta["upper"][0]
            it["time_limit"] = "信息形成或者变更之日起30个工作日内"
            detail = f"30个工作日 > upper {up['id']}: {up['time_limit']}"
        elif kind == "weakened-method":
            it["method"] = "依申请"
            detail = f"依申请 < upper {meta['upper'][0]['id']}: 主动"
        elif kind == "dangling-implements":
            head, _, n = it["id"].rpartition("-")
            parent = meta["region"].parent
            it["implements"] = f"{parent}-{meta['area'].idx:02d}-{int(n) + 700:03d}"
            detail = f"implements {it['implements']} (no such item)"
        elif kind == "vague-basis":
            it["basis"] = ["相关政策文件"]
            detail = "basis 相关政策文件"
        elif kind == "duplicate-matter":
            region_items = by_region[meta["region"].code]
            donor = None
            for _ in range(200):
                j = rng.choice(region_items)
                _, dit, dmeta = allitems[j]
                if (j not in chosen and dmeta["area"] is not meta["area"]
                        and dit["responsible_unit"] != it["responsible_unit"] and dit["id"] not in protected):
                    donor = dit
                    break
            if donor is None:  # cannot happen with >1 area; fall back to a vague basis
                it["basis"] = ["相关政策文件"]
                kind, detail = "vague-basis", "basis 相关政策文件"
            else:
                it["matter"], it["sub_matter"], it["content"] = donor["matter"], donor["sub_matter"], donor["content"]
                detail = f"same as {donor['id']} ({donor['responsible_unit']})"
        faults.append((path, it["id"], kind, detail))
    return faults


# --------------------------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=sorted(SCALES), required=True)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--errors", type=float, default=0.0, metavar="PCT",
                    help="percentage of matters that carry one fault (default 0: clean tree)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="replace an existing DIR/catalogs")
    args = ap.parse_args(argv)
    if not 0 <= args.errors <= 100:
        ap.error("--errors must be between 0 and 100")
    t0 = time.perf_counter()
    gc.disable()  # hundreds of thousands of small dicts, no cycles: the collector only costs time
    cfg = SCALES[args.scale]

    out = args.out
    cat_dir = out / "catalogs"
    if cat_dir.exists() and any(cat_dir.iterdir()):
        if not args.force:
            ap.error(f"{cat_dir} exists and is not empty (use --force to replace it)")
        shutil.rmtree(cat_dir)
    faults_file = out / "faults.tsv"
    if faults_file.exists():
        faults_file.unlink()

    area_specs = [(i, a) for i, a in enumerate(AREAS, 1) if cfg["areas"] is None or a[0] in cfg["areas"]]
    areas = [AreaCtx(i, a) for i, a in area_specs]
    names = [m for a in areas for m in a.matters]
    assert len(names) == len(set(names)), "matter names must be unique across areas"
    for m in names:
        assert 4 <= len(m) <= 10, m
    stems = set().union(*(a.stems for a in areas))
    prov, regions = build_regions(cfg)
    units = build_units(regions, stems)

    catalogs = []  # (relative path, region, area, pairs)
    for area in areas:
        anchors = [(m, s, r) for an, m, s, r in ANCHORS if an == area.name]
        for region, pairs in gen_area(args.seed, area, prov, cfg, anchors):
            catalogs.append((f"catalogs/{region.code}/{area.slug}.yaml", region, area, pairs))
    towns, town_units, extra = [], [], {}
    if cfg["townships"]:
        towns, town_units, more = townships.generate(args.seed, prov, cfg, areas, stems, catalogs)
        catalogs += more
        extra = dict(town_lines=townships.registry_regions(towns), township_areas=townships.TOWNSHIP_AREAS,
                     extra_laws=[townships.GRASSROOTS_BASIS])
    catalogs.sort(key=lambda c: c[0])

    faults = inject_faults(catalogs, args.errors, args.seed) if args.errors > 0 else []

    header = f"# generated by benchmarks/generate.py --scale {args.scale} --seed {args.seed}\n"
    reg_dir = cat_dir / "registry"
    reg_dir.mkdir(parents=True, exist_ok=True)
    for name, text in render_registry(regions, areas, units + town_units, header, **extra).items():
        (reg_dir / name).write_text(text, encoding="utf-8", newline="\n")
    made = set()
    n_items = 0
    sections = {}  # a township's one file of sections: path -> [(area, pairs)]
    for path, region, area, pairs in catalogs:
        d = cat_dir / region.code
        if region.code not in made:
            d.mkdir(exist_ok=True)
            made.add(region.code)
        n_items += len(pairs)
        if region.level != "township":
            (out / path).write_text(render_catalog(region, area, pairs), encoding="utf-8", newline="\n")
        elif region.sections:
            sections.setdefault(path, (region, []))[1].append((area, pairs))
        else:
            (out / path).write_text(townships.render_file(args.seed, region, area, pairs), encoding="utf-8", newline="\n")
    for path, (region, parts) in sections.items():
        (out / path).write_text(townships.render_sections(region, parts), encoding="utf-8", newline="\n")
    n_files = len(catalogs) - sum(len(parts) - 1 for _, parts in sections.values())
    if faults:
        lines = ["file\tid\tkind\tdetail\n"] + [f"{p}\t{i}\t{k}\t{d}\n" for p, i, k, d in faults]
        faults_file.write_text("".join(lines), encoding="utf-8", newline="\n")
    # copy the catalog schema when the repository has one, so the editor hint resolves
    schema = Path(__file__).resolve().parent.parent / "schema" / "catalog.schema.json"
    if schema.is_file():
        (out / "schema").mkdir(exist_ok=True)
        shutil.copyfile(schema, out / "schema" / "catalog.schema.json")
    dt = time.perf_counter() - t0
    print(f"{args.scale}: {n_files} files, {n_items} matters, {len(regions) + len(towns)} regions "
          f"({len(towns)} townships, {len(sections)} of them in one file of sections), {len(areas)} areas, "
          f"{len(units) + len(town_units)} units, {len(faults)} faults, {dt:.2f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
