"""Codes of the cross-catalog rules: GK4xx horizontal coverage and units, GK5xx duplicates,
GK6xx vertical consistency, GK7xx legal floor. Same fields as compiler.codes.Code."""
from __future__ import annotations

from .codebook import Code

_UPPER = """# 宿州市 (341300) social-assistance.yaml
items:
  - id: 341300-sa-002
    matter: 最低生活保障
    sub_matter: 保障标准
    time_limit: 信息形成或者变更之日起20个工作日内
    channels: [政府网站, 两微一端]
    audience: 全社会
    method: 主动
    levels: [市级, 县级]
# 砀山县 (341321) social-assistance.yaml
items:
  - id: 341321-sa-002
    matter: 最低生活保障
    sub_matter: 保障标准
    implements: 341300-sa-002
"""


def _lower(**fields: str) -> str:
    values = {"time_limit": "信息形成或者变更之日起20个工作日内", "channels": "[政府网站, 两微一端]",
              "audience": "全社会", "method": "主动", "levels": "[县级]"}
    values.update(fields)
    return _UPPER + "".join(f"    {k}: {v}\n" for k, v in values.items())


TABLE: list[Code] = [
    # --- GK4xx: horizontal coverage, registry and units --------------------------------------
    Code("GK401", "area-catalog-missing", "error",
         "{region_name}({region},{level_zh})缺少重点领域“{area}”的目录", "{region_name} ({region}, {level_en}) has no catalog for the key area '{area}'",
         "登记表要求{level_zh}编制该领域目录;可执行 gkml init --region {region} --area {area} 生成初稿。",
         "the registry requires a catalog of this area at this level; `gkml init --region {region} --area {area}` writes a draft."),
    Code("GK402", "lead-unit-absent", "error",
         "{region_name}“{area}”目录中没有由牵头部门{lead_unit}公开的事项", "no matter of {region_name}'s '{area}' catalogs is disclosed by the lead unit {lead_unit}",
         "牵头部门(职能“{lead}”)应至少是一个公开事项的 responsible_unit;核对公开主体或登记表 areas.yaml 中的 lead。",
         "the lead unit (function '{lead}') must be the responsible_unit of at least one matter; check the units or the area's lead in areas.yaml."),
    Code("GK403", "unknown-area", "error",
         "重点领域“{value}”不在登记表中{suggestion}", "key area '{value}' is not in the registry{suggestion_en}",
         "使用 catalogs/registry/areas.yaml 中的领域名称或别名。", "use an area name or alias from catalogs/registry/areas.yaml."),
    Code("GK404", "unknown-unit", "error",
         "{role}“{value}”不在单位登记表中{suggestion}", "{role_en} '{value}' is not in the unit registry{suggestion_en}",
         "写单位全称或登记表中的简称;新设单位请先加入 catalogs/registry/units.yaml。",
         "write the unit's full name or a registered alias; add a new unit to catalogs/registry/units.yaml first."),
    Code("GK405", "unknown-region", "error",
         "地区代码“{value}”不在地区登记表中{suggestion}", "region code '{value}' is not in the region registry{suggestion_en}",
         "核对地区代码,或先把该地区加入 catalogs/registry/regions.yaml。", "check the code, or add the region to catalogs/registry/regions.yaml first."),
    Code("GK406", "region-level-registry", "error",
         "目录层级“{level}”与登记表中{region_name}({region})的层级“{expected}”不符", "level '{level}' differs from the registry's level '{expected}' of {region_name} ({region})",
         "把 level 改为“{expected}”,或修正登记表。", "set level to '{expected}', or correct the registry."),
    Code("GK407", "registry-unknown-region", "error",
         "登记表:{what}“{value}”不在地区登记表中{suggestion}", "registry: {what_en} '{value}' is not a registered region{suggestion_en}",
         "先在 regions.yaml 中登记该地区,或改为已登记的代码。", "register that region in regions.yaml first, or use a registered code."),
    Code("GK408", "registry-duplicate", "error",
         "登记表:{what}“{value}”重复(另见 {other})", "registry: {what_en} '{value}' is defined twice (also at {other})",
         "每个地区代码、领域名称(含别名)、单位名称和要求编号只能登记一次:删除或改名其中一个。",
         "each region code, area name or alias, unit name and requirement id may be registered once: remove or rename one."),
    Code("GK409", "registry-lead-unit-missing", "warning",
         "登记表:{region_name}({region})没有职能为“{lead}”的单位,无法确定“{area}”的牵头部门", "registry: {region_name} ({region}) has no unit with the function '{lead}', the lead of '{area}'",
         "在 units.yaml 中为该地区登记牵头单位,stems 写 [{lead}]。", "register the region's lead unit in units.yaml with stems: [{lead}]."),
    Code("GK410", "registry-parent-level", "error",
         "登记表:上级地区“{parent}”是{parent_level},不高于本地区的层级“{level}”", "registry: parent region '{parent}' is {parent_level_en}, not above this region's level '{level_en}'",
         "parent 写更高一级地区的代码(缺少中间层级时写再上一级)。", "write the code of a higher region as parent (skip a missing tier)."),
    Code("GK411", "unit-wrong-region", "error",
         "公开主体“{value}”是{unit_region_name}的单位,不是本目录地区{region_name}的单位", "responsible unit '{value}' belongs to {unit_region_name}, not to this catalog's region {region_name}",
         "由本地区单位公开{counterpart}。", "the matter is disclosed by a unit of this region{counterpart_en}."),
    Code("GK412", "unit-former-name", "warning",
         "“{value}”已于 {until} 更名为“{name}”", "'{value}' was renamed '{name}' on {until}",
         "改为现名“{name}”。", "write the current name '{name}'."),
    Code("GK413", "unit-placeholder", "warning",
         "公开主体“{value}”是模板中的占位名称", "responsible unit '{value}' is a template placeholder",
         "正式发布的目录应写本地单位全称{example}。", "a published catalog names the actual local unit{example_en}."),
    # --- GK5xx: duplicates ----------------------------------------------------------------
    Code("GK501", "duplicate-matter", "error",
         "事项“{title}”在本地区重复列出:{units}(另见 {other})", "matter '{title}' is listed twice in this region: {units_en} (also at {other})",
         "同一地区的同一事项只由一个部门公开(避免交叉重复):删除其中一个;确需共同公开的,在 co_units 中写明对方单位;内容不同的,用 sub_matter 区分二级事项。",
         "one matter is disclosed by one unit per region: remove one; for joint disclosure name the other unit in co_units; if they differ, tell them apart by sub_matter."),
    # --- GK6xx: vertical consistency ----------------------------------------------------------
    Code("GK601", "implements-dangling", "error",
         "implements 指向的上级事项“{value}”不存在{suggestion}", "implements refers to '{value}', which does not exist{suggestion_en}",
         "写上级地区({expected_name})目录中事项的 id。", "write the id of an item of the upper region ({expected_name})."),
    Code("GK602", "implements-wrong-region", "error",
         "implements 指向的“{value}”是{target_name}({target})的事项,应指向上级地区{expected_name}({expected})的事项",
         "implements refers to '{value}' of {target_name} ({target}); it must refer to an item of the upper region {expected_name} ({expected})",
         "逐级实施:县级事项指向市级事项,市级事项指向省级事项(缺少中间层级时指向再上一级)。",
         "implement level by level: county items refer to city items, city items to province items (skip a missing tier)."),
    Code("GK603", "upper-not-implemented", "error",
         "{region_name}({region})没有实施上级事项“{title}”({upper},要求{level_zh}公开,见 {at})", "{region_name} ({region}) does not implement the upper item '{title}' ({upper} at {at}, required at {level_en})",
         "在{region_name}的目录中增加 implements: {upper} 的事项;gkml init --region {region} 可生成初稿。",
         "add an item with implements: {upper} to {region_name}'s catalog; `gkml init --region {region}` writes a draft."),
    Code("GK604", "weakened-method", "error",
         "公开方式由上级事项 {upper} 的“主动”降为“依申请”", "method weakened from 主动 (proactive) in upper item {upper} to 依申请 (on request)",
         "上级要求主动公开的事项,下级不能改为依申请公开。", "a matter the upper level discloses proactively cannot become on-request below.",
         bad=_lower(method="依申请"), good=_lower()),
    Code("GK605", "weakened-audience", "error",
         "公开对象由上级事项 {upper} 的“全社会”缩小为“特定群体”", "audience narrowed from 全社会 (everyone) in upper item {upper} to 特定群体 (specific group)",
         "上级面向全社会公开的事项,下级不能缩小公开对象。", "a matter the upper level discloses to everyone cannot be narrowed below.",
         bad=_lower(audience="特定群体"), good=_lower()),
    Code("GK606", "weakened-time-limit", "error",
         "公开时限“{value}”({days})长于上级事项 {upper} 的“{upper_value}”({upper_days})", "time limit '{value}' ({days_en}) is longer than '{upper_value}' ({upper_days_en}) of upper item {upper}",
         "下级只能缩短公开时限,不能延长(条例第二十六条:一般为20个工作日)。", "a lower level may shorten a time limit, never lengthen it (regulation art. 26: normally 20 working days).",
         bad=_lower(time_limit="信息形成或者变更之日起30个工作日内"), good=_lower(time_limit="信息形成或者变更之日起10个工作日内")),
    Code("GK607", "time-limit-unparsed", "warning",
         "无法识别公开时限“{value}”,不能与上级事项 {upper} 的时限“{upper_value}”比较", "time limit '{value}' is not understood and cannot be compared with '{upper_value}' of upper item {upper}",
         "按“信息形成或者变更之日起20个工作日内”的形式写明天数。", "state the number of days, e.g. 信息形成或者变更之日起20个工作日内."),
    Code("GK608", "dropped-channel", "error",
         "缺少上级事项 {upper} 列出的公开渠道“{channel}”", "channel '{channel}' of upper item {upper} is missing",
         "上级目录 channels(■)中的渠道,下级也要使用;可以增加渠道,不能减少。", "channels (■) of the upper item must be used below too; channels may be added, not dropped.",
         bad=_lower(channels="[政府网站]"), good=_lower(channels="[政府网站, 两微一端, 政务服务中心]")),
    Code("GK609", "dropped-level", "error",
         "公开层级缺少上级事项 {upper} 要求的“{missing}”", "levels lack {missing}, required by upper item {upper}",
         "levels 至少包含上级事项中本级及以下的层级,如 levels: [{expected}]。", "levels must include the upper item's levels at and below this level, e.g. levels: [{expected}]."),
    # --- GK7xx: legal floor ----------------------------------------------------------------
    Code("GK701", "unknown-requirement", "error",
         "法定公开要求“{value}”不在登记表中{suggestion}", "legal requirement '{value}' is not in the registry{suggestion_en}",
         "使用 catalogs/registry/requirements.yaml 中的编号,如 art20-01。", "use an id from catalogs/registry/requirements.yaml, e.g. art20-01."),
    Code("GK702", "requirement-level", "warning",
         "法定公开要求“{value}”({title})不适用于{levels}", "legal requirement '{value}' ({title}) does not apply to {levels_en}",
         "条例第二十一条的要求只适用于设区的市级、县级和乡级政府;核对引用的编号。",
         "the requirements of art. 21 apply to city, county and township governments only; check the id."),
]
