"""The township layer of the generated province (issue 22): 乡镇 and 街道 under every county,
their units, and their catalogs implementing the county items ticked 乡级 or 村级.

Called by generate.py for the scales whose config sets `townships` (full, tenth, tiny); the
county-level tree (--scale county) never reaches this module, so it stays byte for byte the same.
All randomness is random.Random seeded with strings (the township's code, the area's slug), drawn
after the county tree is complete, so adding townships changes no county-level file either.

Proportions (Anhui, 2023: about 1,500 township-level divisions): an urban district (区) has 9-15,
mostly 街道; a county (县) 12-20, mostly 镇 with some 乡 and one or two 街道; a county-level city
(市) 12-20 with several 街道; the development zone a few 街道. Codes follow the statistical
division codes: the county's 6 digits, then 001-099 for 街道, 100-199 for 镇, 200-299 for 乡.
"""
from __future__ import annotations

import random

from matters import ch_base, derive_item, finish_catalog, new_item, sort_channels
from province import BULLETIN, REGULATION, SCHEMA_LINE, SUBTYPES, VERSION, Region
from yamltext import flow_list, q, render_item

# Key areas a township may have to cover (areas.yaml `levels: [..., township]`), in the generator's
# own area names; every township lists its own 10-20 of them (regions.yaml `areas:`), which is
# then what it must cover (docs/format.md: a township's own list overrides the township-level list).
TOWNSHIP_AREAS = [
    "公共资源交易", "重大建设项目批准和实施", "教育信息", "社会救助与社会福利", "养老服务", "公共法律服务",
    "财政资金", "涉农补贴", "就业创业", "社会保险", "土地征收", "污染防治", "国有土地上房屋征收与补偿",
    "住房保障", "农村土地承包经营权流转", "水利信息", "公共文化服务", "基本医疗卫生", "救灾", "安全生产",
    "食品药品安全", "公共体育服务", "乡村振兴",
]
CORE = ["社会救助与社会福利", "养老服务", "就业创业", "社会保险", "公共法律服务", "财政资金", "救灾", "安全生产"]
RURAL = {"涉农补贴", "农村土地承包经营权流转", "水利信息", "乡村振兴", "土地征收"}   # rarely a 街道's
URBAN = {"国有土地上房屋征收与补偿"}                                                # rarely a 镇's or 乡's


# The basis every grassroots catalog cites (it is in the generated document library).
GRASSROOTS_BASIS = "《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》(国办发〔2019〕54号)"

# The embedded default's real townships (statistical division codes) come first in their counties.
KNOWN = {
    "341321": [("100", "砀城镇"), ("101", "赵屯镇"), ("102", "李庄镇"), ("103", "唐寨镇"), ("104", "葛集镇"),
               ("105", "周寨镇")],
    "341322": [("001", "凤城街道"), ("100", "龙城镇"), ("101", "黄口镇"), ("102", "杨楼镇")],
}
# synthetic names for the rest: two characters, unique in the province (unit names must be)
FIRST = ("东西南北中上下前后新大小高长安永太平和丰兴隆宝金石龙凤马杨李王张刘陈赵孙周吴徐朱胡郭何林罗梁宋"
         "郑谢韩唐冯董程曹袁邓许傅沈彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方姚谭廖邹熊陆孔白崔康"
         "毛邱秦江顾侯邵孟万段雷钱汤尹黎常武乔贺龚文仁义礼忠孝德福寿春秋青红白黄柏桃杏梅竹松")
SECOND = "集庄桥店湖山河城岗塘圩港埠铺坝沟坡寨楼营湾洲岭冲畈园口"

# Township offices (name suffix, stems, alias suffix, chance, which kinds of township have it);
# the government answers for every function no office has (index.lead_units).
OFFICES = [
    ("社会事务办公室", ["民政", "人力资源和社会保障", "卫生健康", "医保", "教育"], "社会事务办", 1.0, "街镇乡"),
    ("经济发展办公室", ["发展改革", "经济和信息化", "统计"], "经发办", 0.7, "街镇乡"),
    ("农业农村办公室", ["农业农村", "乡村振兴", "水利"], "农业农村办", 0.8, "镇乡"),
    ("财政所", ["财政"], None, 0.9, "街镇乡"),
    ("应急管理办公室", ["应急"], "应急办", 0.6, "街镇乡"),
    ("综合文化站", ["文化和旅游", "体育"], "文化站", 0.5, "街镇乡"),
    ("司法所", ["司法"], None, 0.7, "街镇乡"),
    ("城市管理办公室", ["住房和城乡建设", "自然资源"], "城管办", 0.6, "街"),
]
SCOPE = {"街": "全街道", "镇": "全镇", "乡": "全乡"}


class Township(Region):
    __slots__ = ("county", "areas", "sort", "sections")

    def __init__(self, code, name, county, sort):
        super().__init__(code, name, "township", parent=county.code)
        self.county, self.sort = county, sort   # sort: 街 (sub-district), 镇 (town) or 乡
        self.areas, self.sections = [], False


def _counts(rng, county):
    """(街道, 镇, 乡) of one county-level region."""
    if county.kind == "development_zone":
        return rng.randint(3, 5), 0, 0
    if county.name.endswith("区"):
        n = rng.randint(9, 15)
        streets = max(3, round(n * rng.uniform(0.45, 1.0)))
        return min(n, streets), n - min(n, streets), 0
    n = rng.randint(12, 20)
    streets = rng.randint(3, 6) if county.name.endswith("市") else rng.choice((0, 1, 1, 2))
    xiang = round((n - streets) * rng.uniform(0.0, 0.35))
    return streets, n - streets - xiang, xiang


def build_townships(seed, prov, cfg, area_names):
    """The townships of every county in the scale, with the areas each covers; ordered by code."""
    rng = random.Random(f"gkml-townships:{seed}")
    names = sorted({a + b for a in FIRST for b in SECOND})
    rng.shuffle(names)
    taken = {n.removesuffix("街道").rstrip("镇乡") for known in KNOWN.values() for _, n in known}   # 砀城 of 砀城镇
    pool = (n for n in names if n not in taken)
    offered = [a for a in TOWNSHIP_AREAS if a in area_names]
    out = []
    for city in prov.children:
        for county in city.children:
            crng = random.Random(f"gkml-townships:{seed}:{county.code}")
            if cfg["townships"] == "few":   # tiny: three of the default's townships in each county
                streets, towns, xiang = {"341321": (0, 3, 0), "341322": (1, 2, 0)}.get(county.code, (0, 2, 1))
            else:
                streets, towns, xiang = _counts(crng, county)
            known = list(KNOWN.get(county.code, ()))
            prefer_sections = crng.random() < 0.55   # counties publish one way or mostly the other
            serial = {"街": 1, "镇": 100, "乡": 200}
            for sort, many, word in (("街", streets, "街道"), ("镇", towns, "镇"), ("乡", xiang, "乡")):
                for _ in range(many):
                    mine = [(c, n) for c, n in known if n.endswith(word)]
                    if mine:
                        suffix, name = mine[0]
                        known.remove(mine[0])
                        serial[sort] = int(suffix) + 1
                    else:
                        suffix, name = f"{serial[sort]:03d}", next(pool) + word
                        serial[sort] += 1
                    town = Township(county.code + suffix, name, county, sort)
                    if cfg["townships"] == "few":   # both shapes in every county, whatever the seed
                        town.sections = len(county.children) % 2 == 1
                    else:
                        town.sections = crng.random() < (0.85 if prefer_sections else 0.15)
                    town.areas = _areas(crng, sort, offered, cfg)
                    county.children.append(town)
                    out.append(town)
    out.sort(key=lambda t: t.code)
    return out


def _areas(rng, sort, offered, cfg):
    """The 10-20 township-level areas a township covers (all offered ones when fewer)."""
    core = [a for a in CORE if a in offered]
    rest = [a for a in offered if a not in core and not (sort == "街" and a in RURAL) and not (sort != "街" and a in URBAN)]
    want = max(len(core), min(len(core) + len(rest), rng.randint(cfg["town_areas"][0], cfg["town_areas"][1])))
    chosen = set(core) | set(rng.sample(rest, want - len(core)))
    return [a for a in offered if a in chosen]


def build_units(towns, stems):
    """Each township's government and offices (the default's registry: 砀城镇人民政府, 砀城镇社会事务办公室)."""
    units = []
    for town in towns:
        rng = random.Random(f"gkml-township-units:{town.code}")
        county = town.county.name if town.county.kind != "development_zone" else town.county.short
        gov = town.name + ("办事处" if town.sort == "街" else "人民政府")
        aliases = [county + gov, town.name if town.sort == "街" else town.name + "政府"]
        government = {"name": gov, "region": town.code, "stems": ["人民政府"], "aliases": aliases, "renamed_from": []}
        units.append(government)
        town.units = {s: government for s in stems}
        town.units["人民政府"] = government
        for suffix, ustems, alias, chance, sorts in OFFICES:
            if town.sort not in sorts or not set(ustems) & stems or rng.random() >= chance:
                continue
            unit = {"name": town.name + suffix, "region": town.code, "stems": ustems,
                    "aliases": [town.name + alias] if alias else [], "renamed_from": []}
            units.append(unit)
            for s in ustems:
                town.units[s] = unit
    return units


def _channels(rng, it, meta, town):
    """A township item's channels: the upper's (GK608 keeps them), plus the grassroots ones."""
    chs = list(it["channels"])
    have = {ch_base(c) for c in chs}
    sub = it["sub_matter"]
    extra = []
    if sub in ("办事指南", "申请条件", "名单公示", "办理流程") and rng.random() < 0.7:
        extra.append("便民服务站")
    if (sub == "名单公示" or "村级" in it["levels"]) and rng.random() < 0.8:
        extra.append(BULLETIN)
    if rng.random() < 0.12:
        extra.append("入户/现场")
    if town.sort != "街" and sub in ("政策文件", "政策解读", "办事指南") and rng.random() < 0.15:
        extra.append("明白纸")
    if rng.random() < 0.06 and not any("12345" in c for c in chs):   # not beside the upper's 其他:12345…
        extra.append("12345政务服务热线")
    added = [e for e in extra if e not in have]
    if added:
        chs = sort_channels(chs + added)
    opt = [c for c in (it["optional_channels"] or []) if ch_base(c) not in have and c not in added]
    if rng.random() < 0.3:
        kept = {ch_base(c) for c in chs} | set(opt)
        opt += [c for c in (("大喇叭/应急广播", "微信群") if town.sort != "街" else ("微信群",)) if c not in kept]
    it["channels"] = chs
    it["optional_channels"] = sort_channels(opt) or None


def _finish_item(rng, it, meta, town):
    _channels(rng, it, meta, town)
    if rng.random() < 0.3 and len(it["basis"]) < 3 and GRASSROOTS_BASIS not in it["basis"]:
        it["basis"] = it["basis"] + [GRASSROOTS_BASIS]
    if rng.random() < 0.35:
        it["scope"] = SCOPE[town.sort]


def township_catalog(seed, area, town, county_pairs):
    """One township's catalog of one area: every county item ticked 乡级 or 村级, implemented,
    and a few matters of its own (disclosed at its level, or in its villages)."""
    rng = random.Random(f"gkml:{seed}:{area.slug}:{town.code}")
    pairs = []
    for upper, umeta in county_pairs:
        if "乡级" in upper["levels"] or "村级" in upper["levels"]:
            it, meta = derive_item(rng, area, town, upper, umeta)
            _finish_item(rng, it, meta, town)
            pairs.append((it, meta))
    used = {(it["matter"], it["sub_matter"]) for it, _ in county_pairs}
    free = [(m, s[0]) for m in area.matters for s in SUBTYPES if s[3] and area.kind(m) in s[3] and (m, s[0]) not in used]
    own = rng.sample(free, min(len(free), rng.choices((0, 1, 2, 3), (35, 35, 20, 10))[0]))
    if not any(meta["stem"] == area.lead for _, meta in pairs):   # GK402: the lead unit discloses something
        lead = [p for p in free if area.mstem[p[0]] == area.lead and p not in own]
        own += lead[:1]
    for m, s in own:
        levels = rng.choices((["乡级"], ["乡级", "村级"]), (70, 30))[0]
        it, meta = new_item(rng, area, town, m, s, levels, [])
        _finish_item(rng, it, meta, town)
        pairs.append((it, meta))
    return finish_catalog(town, area, pairs)


def change_record(rng, pairs, area):
    """A record of two adjustments (首次编制, then one later) for some per-area catalogs, or None."""
    if rng.random() >= 0.25 or len(pairs) < 3:
        return None
    ids = [it["id"] for it, _ in pairs]
    head = ids[0].rsplit("-", 1)[0]
    added, changed = ids[-1], ids[rng.randrange(len(ids) - 1)]
    gone = f"{head}-{len(ids) + 50:03d}"
    return ("2024.2", [
        ("2024.1", "2024-05-01", None, [("增加", ids[0], None, "首次编制")]),
        ("2024.2", "2024-09-20", REGULATION, [
            ("增加", added, None, f"落实县级{area.name}目录新增事项"),
            ("变更", changed, "time_limit", "按县级目录调整公开时限"),
            ("取消", gone, None, "县级目录取消该事项"),
        ]),
    ])


def render_changes(record):
    version, entries = record
    b = ["changes:\n"]
    for ver, date, basis, items in entries:
        b.append(f"  - version: \"{ver}\"\n    date: \"{date}\"\n")
        if basis:
            b.append(f"    basis: {q(basis)}\n")
        b.append("    entries:\n")
        for kind, rid, field, reason in items:
            fields = f", fields: [{field}]" if field else ""
            b.append(f"      - {{type: {kind}, id: \"{rid}\"{fields}, reason: {q(reason, True)}}}\n")
    return "".join(b)


def _header(town, department, version):
    return [SCHEMA_LINE, "\n", f"region: \"{town.code}\"\n", "level: township\n",
            f"department: {q(department)}\n", f"version: \"{version}\"\n", "effective: \"2024-05-01\"\n",
            "standard: false\n"]


def render_file(seed, town, area, pairs):
    """A township's catalog of one area, one file (its lead unit compiles it)."""
    rng = random.Random(f"gkml-changes:{seed}:{town.code}:{area.slug}")
    record = change_record(rng, pairs, area)
    buf = _header(town, town.units[area.lead]["name"], record[0] if record else VERSION)
    buf[4:4] = [f"area: {q(area.name)}\n"]
    if record:
        buf.append(render_changes(record))
    buf.append("items:\n")
    for it, _ in pairs:
        render_item(it, buf)
    return "".join(buf)


def render_sections(town, sections):
    """A township's one catalog with a section per area (docs/format.md), compiled by its government."""
    government = town.units["人民政府"]["name"]
    buf = _header(town, government, VERSION) + ["areas:\n"]
    for area, pairs in sections:
        buf.append(f"  - area: {q(area.name)}\n")
        lead = town.units[area.lead]["name"]
        if lead != government:
            buf.append(f"    department: {q(lead)}\n")
        buf.append("    items:\n")
        items = []
        for it, _ in pairs:
            render_item(it, items)
        buf.append("    " + "".join(items)[:-1].replace("\n", "\n    ") + "\n")
    return "".join(buf)


def registry_regions(towns):
    return "".join(f"  - {{code: \"{t.code}\", name: {q(t.name, True)}, level: township, parent: \"{t.parent}\", "
                   f"areas: {flow_list(t.areas)}}}\n" for t in towns)


def generate(seed, prov, cfg, areas, stems, catalogs):
    """(townships, their units, their catalogs as (path, township, area, pairs)) for the county
    catalogs already generated (catalogs: generate.py's list)."""
    county_pairs = {(region.code, area.name): pairs for _, region, area, pairs in catalogs if region.level == "county"}
    by_name = {a.name: a for a in areas}
    towns = build_townships(seed, prov, cfg, [a.name for a in areas])
    units = build_units(towns, stems)
    out = []
    for town in towns:
        for name in town.areas:
            area = by_name[name]
            pairs = township_catalog(seed, area, town, county_pairs[(town.county.code, name)])
            path = f"catalogs/{town.code}/{'catalog' if town.sections else area.slug}.yaml"
            out.append((path, town, area, pairs))
    return towns, units, out
