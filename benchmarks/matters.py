"""The generated matters (benchmarks/generate.py): an area's own items at each level and the items
a lower region derives from an upper one (time limits, channels, basis, levels), all drawn from
random.Random seeded with strings."""
import random

from province import (BULLETIN, CH_RANK, EXTRA_COOP, LEVEL_CN, LV_RANK, REG_WORDS, REGULATION, REQ_LEVELS, SUB,
                      SUB_RANK, SUBTYPES, SVC_WORDS, UNIT_SUFFIX)

# Item generation

STD_FORMS = {
    "std1": "信息形成或者变更之日起{n}个工作日内",
    "std2": "自该信息形成或者变更之日起{n}个工作日内予以公开",
    "std3": "信息形成{n}个工作日内公开",
    "std4": "{n}个工作日内",
    "std5": "{n}工作日",
}
STD_KEYS = list(STD_FORMS)
STD_W = [55, 15, 10, 15, 5]
SPECIAL_FORMS = {
    "policy": "文件公布之日起{n}个工作日内",
    "approve": "作出审批决定之日起{n}个工作日内",
    "penalty": "行政处罚决定作出之日起{n}个工作日内",
}
FIXED = {"realtime": "实时公开", "timely": "及时公开", "annual": "每年1月31日前", "long": "长期"}
SHORT_DAYS_AREAS = {"社会救助与社会福利", "救灾", "养老服务"}


def tl_text(tl):
    form, n = tl
    if form in STD_FORMS:
        return STD_FORMS[form].format(n=n)
    if form in SPECIAL_FORMS:
        return SPECIAL_FORMS[form].format(n=n)
    return FIXED[form]


def own_time_limit(rng, area_name, sub):
    r = rng.random()
    if sub == "政策解读":
        return ("policy", 3 if r < 0.6 else 5)
    if sub == "审批结果" and r < 0.7:
        return ("approve", 7)
    if sub == "行政处罚" and r < 0.8:
        return ("penalty", 7)
    if sub == "年度报告":
        return ("annual", None)
    if sub == "工作动态":
        return ("timely", None) if r < 0.6 else ("realtime", None)
    if sub in ("办事指南", "机构职能") and r < 0.2:
        return ("realtime", None)
    if sub == "规划计划" and r < 0.1:
        return ("long", None)
    n = 20
    if area_name in SHORT_DAYS_AREAS and sub in ("名单公示", "资金分配", "申请条件", "实施情况"):
        n = 10
    elif rng.random() < 0.06:
        n = 10
    return (rng.choices(STD_KEYS, STD_W)[0], n)


def derived_time_limit(rng, tl):
    form, n = tl
    r = rng.random()
    if form in STD_FORMS:
        if r < 0.8:
            return tl
        if r < 0.9:
            return (rng.choices(STD_KEYS, STD_W)[0], n)
        shorter = [x for x in (15, 10, 7, 5) if x < n]
        return (form, rng.choice(shorter)) if shorter else tl
    if form in SPECIAL_FORMS:
        if r < 0.9 or n <= 2:
            return tl
        return (form, n - 2)
    return tl


def pick_channels(rng, sub, level, area_name):
    ch = set()
    if rng.random() < 0.96:
        ch.add("政府网站")
    if sub in ("政策文件", "规划计划") and rng.random() < 0.5:
        ch.add("政府公报")
    if rng.random() < 0.35:
        ch.add("两微一端")
    if sub == "政策解读" and rng.random() < 0.3:
        ch.add("发布会/听证会")
    if rng.random() < 0.04:
        ch.add("广播电视")
    if rng.random() < 0.08:
        ch.add("纸质媒体")
    if rng.random() < 0.12:
        ch.add("公开查阅点")
    if sub in ("办事指南", "申请条件", "办理流程", "收费标准") and rng.random() < 0.7:
        ch.add("政务服务中心")
    if level == "county":
        if sub in ("办事指南", "申请条件", "名单公示") and rng.random() < 0.35:
            ch.add("便民服务站")
        if sub == "名单公示" and rng.random() < 0.7:
            ch.add(BULLETIN)
        if rng.random() < 0.05:
            ch.add("入户/现场")
    if rng.random() < 0.04:
        ch.add("精准推送")
    out = sorted(ch, key=CH_RANK.__getitem__)
    r = rng.random()
    if r < 0.08:
        out.append("其他:政务新媒体")
    elif r < 0.1:
        out.append("其他:12345政务服务热线")
    elif area_name == "公共资源交易" and r < 0.4:
        out.append("其他:公共资源交易平台")
    if not out:
        out = ["政府网站"]
    return out


def ch_base(c):
    return "其他" if c.startswith("其他") else c


def sort_channels(chs):
    return sorted(chs, key=lambda c: CH_RANK[ch_base(c)])


def pick_optional(rng, chs):
    if rng.random() >= 0.12:
        return []
    used = {ch_base(c) for c in chs}
    cands = [c for c in ("两微一端", "广播电视", "纸质媒体", "公开查阅点", "精准推送") if c not in used]
    k = min(len(cands), rng.choice((1, 1, 2)))
    return sorted(rng.sample(cands, k), key=CH_RANK.__getitem__)


CN_NUM = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
          "十六", "十七", "十八", "十九", "二十"]


def law_tag(b):
    if "主席令" in b:
        return "【法律】"
    if "国务院令" in b or "中央军委令" in b:
        return "【行政法规】"
    if "部令" in b or "局令" in b or "委令" in b:
        return "【部门规章】"
    if "人民政府令" in b:
        return "【地方政府规章】"
    if "常务委员会公告" in b:
        return "【地方性法规】"
    return "【规范性文件】"


def fmt_basis(rng, b):
    r = rng.random()
    if r < 0.06:
        return law_tag(b) + b
    if r < 0.12:
        return b + "第" + CN_NUM[rng.randint(2, 20)] + "条"
    return b


def own_basis(rng, laws, reqs):
    k = rng.choices((1, 2, 3), (45, 40, 15))[0]
    chosen = sorted(rng.sample(range(len(laws)), min(k, len(laws))))
    out = [fmt_basis(rng, laws[i]) for i in chosen]
    if reqs:
        art = "第二十一条" if any(r.startswith("art21") for r in reqs) else "第二十条"
        out = out[:2] + [REGULATION + art]
    elif rng.random() < 0.25 and len(out) < 3:
        out.append(REGULATION)
    return out


def make_content(rng, matter, sub):
    elems = SUB[sub][2]
    n = rng.randint(3, len(elems))
    picked = [elems[i] for i in sorted(rng.sample(range(len(elems)), n))]
    style = rng.random()
    body = "、".join(picked)
    if style < 0.45:
        s = f"{matter}{sub}：{body}"
    elif style < 0.75:
        s = f"公开{matter}的{body}"
    else:
        s = f"{matter}相关{body}等信息"
    i = 0
    while len(s) < 20:
        s += "，" + ["并附办事咨询电话", "及时更新调整情况", "同步公开政策解读", "以及监督举报方式"][i % 4]
        i += 1
    if len(s) > 80:
        s = s[:79] + "等"
    return s


def own_levels(rng, level, with_lower):
    """Levels for an item of a region's own (not implementing) item."""
    if level == "province":
        if with_lower == "county":
            return rng.choices(
                (["省级", "市级", "县级"], ["省级", "市级", "县级", "乡级"], ["市级", "县级"]), (60, 32, 8))[0]
        if with_lower == "city":
            return ["省级", "市级"]
        return ["省级"]
    if level == "city":
        if with_lower == "county":
            return rng.choices((["市级", "县级"], ["市级", "县级", "乡级"]), (65, 35))[0]
        return ["市级"]
    return rng.choices((["县级"], ["县级", "乡级"], ["县级", "乡级", "村级"]), (50, 40, 10))[0]


class AreaCtx:
    def __init__(self, idx, spec):
        self.idx = idx
        (self.name, self.slug, self.lead, self.aliases, matters, self.laws) = spec
        self.matters = []
        self.mstem = {}
        for m in matters:
            name, _, stem = m.partition("@")
            self.matters.append(name)
            self.mstem[name] = stem or self.lead
        self.mrank = {m: i for i, m in enumerate(self.matters)}
        coop = {s for s in self.mstem.values() if s != self.lead} | set(EXTRA_COOP.get(self.name, []))
        self.cooperating = sorted(coop, key=lambda s: list(UNIT_SUFFIX).index(s))
        self.stems = {self.lead} | coop

    def kind(self, matter):
        if REG_WORDS.search(matter):
            return "R"
        if SVC_WORDS.search(matter):
            return "S"
        return "G"


def new_item(rng, area, region, matter, sub, levels, reqs_all):
    stem = area.mstem[matter]
    unit = region.units[stem]["name"]
    lvl = region.level
    reqs = [r for r in reqs_all if lvl in REQ_LEVELS[r]]
    chs = pick_channels(rng, sub, lvl, area.name)
    it = {
        "id": None,
        "matter": matter,
        "sub_matter": sub,
        "content": make_content(rng, matter, sub),
        "basis": own_basis(rng, area.laws, reqs_all),
        "time_limit": None,
        "responsible_unit": unit,
        "co_units": None,
        "channels": chs,
        "optional_channels": pick_optional(rng, chs) or None,
        "audience": "特定群体" if rng.random() < 0.1 else "全社会",
        "method": "依申请" if rng.random() < 0.07 else "主动",
        "levels": levels,
        "implements": None,
        "requirements": reqs or None,
        "stage": SUB[sub][1] if rng.random() < 0.35 else None,
    }
    if reqs_all:  # the legal floor (条例 arts. 20, 21) is 主动公开 to 全社会
        it["audience"], it["method"] = "全社会", "主动"
    tl = own_time_limit(rng, area.name, sub)
    it["time_limit"] = tl_text(tl)
    co = []
    if area.cooperating and rng.random() < 0.1:
        cs = rng.choice(area.cooperating)
        if cs != stem:
            co = [cs]
    meta = {"stem": stem, "tl": tl, "co": co, "reqs": reqs_all, "upper": None, "children": 0,
            "region": region, "area": area}
    if co:
        cu = region.units[co[0]]["name"]
        if cu != unit:
            it["co_units"] = [cu]
    return it, meta


def derive_item(rng, area, region, upper, umeta):
    lvl = region.level
    rank = LV_RANK[LEVEL_CN[lvl]]
    unit = region.units[umeta["stem"]]["name"]
    reqs = [r for r in umeta["reqs"] if lvl in REQ_LEVELS[r]]
    chs = list(upper["channels"])
    extra = []
    if lvl == "county":
        if upper["sub_matter"] in ("办事指南", "申请条件") and rng.random() < 0.25:
            extra.append("便民服务站")
        if upper["sub_matter"] == "名单公示" and rng.random() < 0.6:
            extra.append(BULLETIN)
    if rng.random() < 0.1:
        extra.append("两微一端")
    have = {ch_base(c) for c in chs} if extra else ()
    for e in extra:
        if e not in have:
            chs.append(e)
            have.add(e)
    if extra:
        chs = sort_channels(chs)
    opt = None
    if upper["optional_channels"]:
        have = {ch_base(c) for c in chs}
        opt = [c for c in upper["optional_channels"] if c not in have] or None
    basis = list(upper["basis"])
    if len(basis) < 3 and rng.random() < 0.12:
        cand = [b for b in area.laws if b not in basis]
        if cand:
            basis.append(rng.choice(cand))
    aud = upper["audience"]
    if aud == "特定群体" and rng.random() < 0.1:
        aud = "全社会"
    meth = upper["method"]
    if meth == "依申请" and rng.random() < 0.1:
        meth = "主动"
    tl = derived_time_limit(rng, umeta["tl"])
    it = {
        "id": None,
        "matter": upper["matter"],
        "sub_matter": upper["sub_matter"],
        "content": upper["content"],
        "basis": basis,
        "time_limit": tl_text(tl),
        "responsible_unit": unit,
        "co_units": None,
        "channels": chs,
        "optional_channels": opt,
        "audience": aud,
        "method": meth,
        "levels": [l for l in upper["levels"] if LV_RANK[l] >= rank],
        "implements": upper["id"],
        "requirements": reqs or None,
        "stage": upper["stage"],
    }
    co = [s for s in umeta["co"] if region.units[s]["name"] != unit]
    if co:
        it["co_units"] = [region.units[co[0]]["name"]]
    umeta["children"] += 1
    meta = {"stem": umeta["stem"], "tl": tl, "co": co, "reqs": umeta["reqs"], "upper": (upper, umeta),
            "children": 0, "region": region, "area": area}
    return it, meta


def finish_catalog(region, area, pairs):
    """Sort a catalog's items as a table would list them and assign ids."""
    pairs.sort(key=lambda p: (area.mrank[p[0]["matter"]], SUB_RANK[p[0]["sub_matter"]]))
    for n, (it, meta) in enumerate(pairs, 1):
        it["id"] = f"{region.code}-{area.idx:02d}-{n:03d}"
    return pairs


def gen_area(seed, area, prov, cfg, anchors):
    rng = random.Random(f"gkml:{seed}:{area.slug}")
    # --- counts
    t = max(cfg["lo"], min(cfg["hi"], round(rng.gauss(cfg["mean"], cfg["sd"]))))
    k_p = max(len(anchors) + 1, round(t * rng.uniform(0.55, 0.7)))
    p_city = max(1, round(t * rng.uniform(0.1, 0.2)))
    p_prov = max(1, round(t * rng.uniform(0.1, 0.2)))
    city_counts = {}
    county_counts = {}
    for city in prov.children:
        c_cc = max(1, round(t * rng.uniform(0.1, 0.22)))
        c_cty = max(1, round(t * rng.uniform(0.03, 0.1)))
        city_counts[city.code] = (c_cc, c_cty)
        for cty in city.children:
            own = max(1, t - k_p - c_cc + rng.randint(-4, 4))
            county_counts[cty.code] = own
    P = k_p + p_city + p_prov
    CS = max([a + b for a, b in city_counts.values()] or [0]) + 3
    KS = max(list(county_counts.values()) or [0]) + 3
    # --- pair pool: anchors first, then fitting combinations, then any other combination
    for m, s, _ in anchors:
        assert m in area.mstem and s in SUB, (area.name, m, s)
    anchor_pairs = [(m, s) for m, s, _ in anchors]
    reqmap = {(m, s): r for m, s, r in anchors}
    fit, other = [], []
    for m in area.matters:
        k = area.kind(m)
        for s in SUBTYPES:
            if (m, s[0]) in reqmap:
                continue
            if k in s[3]:
                fit.append((m, s[0]))
            elif s[3]:
                other.append((m, s[0]))
    rng.shuffle(fit)
    rng.shuffle(other)
    first = (area.matters[0], "政策文件")  # art20-01 anchor: lead-unit item inherited everywhere
    assert area.mstem[first[0]] == area.lead, area.name
    if first in reqmap:
        reqmap[first] = reqmap[first] + ["art20-01"]
    else:
        fit.remove(first)
        anchor_pairs.insert(0, first)
        reqmap[first] = ["art20-01"]
    pool = anchor_pairs + fit + other
    need = P + CS + KS
    if need > len(pool):
        raise SystemExit(f"pair pool of {area.name} too small: need {need}, have {len(pool)}")
    pseg, cseg, kseg = pool[:P], pool[P:P + CS], pool[P + CS:P + CS + KS]
    na = len(anchor_pairs)
    # --- province
    out = []
    prov_pairs = []
    for i, (m, s) in enumerate(pseg):
        if i < na:
            levels, reqs = ["省级", "市级", "县级"], reqmap[(m, s)]
        elif i < k_p:
            levels, reqs = own_levels(rng, "province", "county"), []
        elif i < k_p + p_city:
            levels, reqs = own_levels(rng, "province", "city"), []
        else:
            levels, reqs = own_levels(rng, "province", None), []
        if not reqs and s == "政策文件" and rng.random() < 0.25:
            reqs = ["art20-01"]
        prov_pairs.append(new_item(rng, area, prov, m, s, levels, reqs))
    out.append((prov, finish_catalog(prov, area, prov_pairs)))
    prov_down = [p for p in prov_pairs if "市级" in p[0]["levels"]]
    for city in prov.children:
        c_cc, c_cty = city_counts[city.code]
        pairs = [derive_item(rng, area, city, it, meta) for it, meta in prov_down]
        own = rng.sample(cseg, c_cc + c_cty)
        for j, (m, s) in enumerate(own):
            pairs.append(new_item(rng, area, city, m, s, own_levels(rng, "city", "county" if j < c_cc else None), []))
        out.append((city, finish_catalog(city, area, pairs)))
        city_down = [p for p in pairs if "县级" in p[0]["levels"]]
        for cty in city.children:
            cp = [derive_item(rng, area, cty, it, meta) for it, meta in city_down]
            for m, s in rng.sample(kseg, county_counts[cty.code]):
                cp.append(new_item(rng, area, cty, m, s, own_levels(rng, "county", None), []))
            out.append((cty, finish_catalog(cty, area, cp)))
    return out
