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
         "the registry requires a catalog of this area at this level; `gkml init --region {region} --area {area}` writes a draft.",
         doc_zh='某地区缺少登记表要求其层级编制的重点领域目录。\n'
                '要求来自 areas.yaml 的 levels(开发区只管理部分领域时,取 regions.yaml 中该地区的 areas):横向覆盖周密,'
                '一个不缺。在 regions.yaml 中该地区的条目处报告,写明地区和领域。'
                '只有当该地区或同级的其他地区有目录参加检查时才检查,所以只检查一个县的文件夹不会报告其他地区。',
         doc_en='A region has no catalog for a key area the registry requires at its level.\n'
                "The requirement is areas.yaml's `levels`, or the region's own `areas` for a development zone that "
                "administers only some: 横向覆盖周密, nothing missing. Reported at the region's entry in regions.yaml, "
                'naming region and area. A region is checked when it or a sibling of its level has catalogs in the '
                "checked set, so checking one county's folder does not report every other region.",
         fix_zh='登记表要求该层级编制该领域目录;可执行 gkml init --region 地区代码 --area 领域 生成初稿。',
         fix_en='the registry requires a catalog of this area at this level; `gkml init --region CODE --area AREA` '
                'writes a draft.'),
    Code("GK402", "lead-unit-absent", "error",
         "{region_name}“{area}”目录中没有由牵头部门{lead_unit}公开的事项", "no matter of {region_name}'s '{area}' catalogs is disclosed by the lead unit {lead_unit}",
         "牵头部门(职能“{lead}”)应至少是一个公开事项的 responsible_unit;核对公开主体或登记表 areas.yaml 中的 lead。",
         "the lead unit (function '{lead}') must be the responsible_unit of at least one matter; check the units or the area's lead in areas.yaml.",
         doc_zh='某地区某重点领域的目录中,没有一个事项由该领域的牵头部门公开。\n'
                '牵头部门是该地区具有该领域牵头职能的单位(如社会救助由民政部门牵头);没有它,这个领域虽已列出却无人负责。'
                '别名和曾用名也算。登记表中该地区没有这一职能的单位时,改由 GK409 报告。',
         doc_en="No matter of a region's key area is disclosed by the area's lead unit.\n"
                "The lead unit is the region's unit with the area's lead function (民政 for 社会救助); without it the "
                'area is listed but nobody answers for it. Aliases and former names count. Regions whose registry has '
                'no unit of that function are reported by GK409 instead.',
         fix_zh='牵头部门(职能“…”,即 areas.yaml 中该领域的 lead)应至少是一个公开事项的 responsible_unit;'
                '核对公开主体或登记表。',
         fix_en="the lead unit (function '…', the area's lead in areas.yaml) must be the responsible_unit of at least "
                'one matter; check the units or the registry.'),
    Code("GK403", "unknown-area", "error",
         "重点领域“{value}”不在登记表中{suggestion}", "key area '{value}' is not in the registry{suggestion_en}",
         "使用 catalogs/registry/areas.yaml 中的领域名称或别名。", "use an area name or alias from catalogs/registry/areas.yaml.",
         doc_zh='目录的重点领域(area)不在登记表中。\n'
                '领域必须是 areas.yaml 中的名称或别名,才能统计覆盖情况;拼写接近时给出建议。登记表中地区列出的 areas '
                '也按此检查。',
         doc_en="A catalog's key area is not in the registry.\n"
                'The area must be a name or alias of areas.yaml so that coverage can be counted; a near miss is '
                'suggested. The same holds for the `areas` a region of the registry lists.'),
    Code("GK404", "unknown-unit", "error",
         "{role}“{value}”不在单位登记表中{suggestion}", "{role_en} '{value}' is not in the unit registry{suggestion_en}",
         "写单位全称或登记表中的简称;新设单位请先加入 catalogs/registry/units.yaml。",
         "write the unit's full name or a registered alias; add a new unit to catalogs/registry/units.yaml first.",
         doc_zh='公开主体或共同公开单位不在单位登记表中。\n'
                '单位按全称、登记的简称(住建局 = 住房和城乡建设局,卫健委 = 卫生健康委员会)或曾用名识别;全角半角、'
                '空格和合署单位的括注(如 财政局(国资委))不影响识别。不认识的名称报错,并给出本地区最接近的登记名称。',
         doc_en='A responsible or co-responsible unit is not in the unit registry.\n'
                'Units are known by full name, registered alias (住建局 = 住房和城乡建设局, 卫健委 = 卫生健康委员会) '
                "or former name; width, spaces and a merged bureau's note such as 财政局(国资委) do not matter. An "
                "unknown name is an error with the closest registered name of the catalog's region."),
    Code("GK405", "unknown-region", "error",
         "地区代码“{value}”不在地区登记表中{suggestion}", "region code '{value}' is not in the region registry{suggestion_en}",
         "核对地区代码,或先把该地区加入 catalogs/registry/regions.yaml。", "check the code, or add the region to catalogs/registry/regions.yaml first.",
         doc_zh='目录的地区代码(region)不在地区登记表中。\n'
                '每个地区在 regions.yaml 中登记一次;拼写接近时给出建议。',
         doc_en="A catalog's region code is not in the region registry.\n"
                'Every region is registered once in regions.yaml; a near miss is suggested.'),
    Code("GK406", "region-level-registry", "error",
         "目录层级“{level}”与登记表中{region_name}({region})的层级“{expected}”不符", "level '{level}' differs from the registry's level '{expected}' of {region_name} ({region})",
         "把 level 改为“{expected}”,或修正登记表。", "set level to '{expected}', or correct the registry.",
         doc_zh='目录层级(level)与登记表中该地区的层级不符。\n'
                '开发区或县级市在 regions.yaml 中只登记一次,写明它实际履行的层级,所有目录都按登记表填写。',
         doc_en="A catalog's level differs from the level the registry gives its region.\n"
                'A development zone or county-level city is listed once in regions.yaml with the level it acts at, and '
                'every catalog follows it.',
         fix_zh='把 level 改为“…”,即登记表中该地区的层级,或修正登记表。',
         fix_en="set level to '…', the region's level in the registry, or correct the registry."),
    Code("GK407", "registry-unknown-region", "error",
         "登记表:{what}“{value}”不在地区登记表中{suggestion}", "registry: {what_en} '{value}' is not a registered region{suggestion_en}",
         "先在 regions.yaml 中登记该地区,或改为已登记的代码。", "register that region in regions.yaml first, or use a registered code.",
         doc_zh='登记表中引用的地区没有登记。\n'
                '地区的 parent 和单位的 region 都必须是已登记的地区。'
                '缺少中间层级时指向再上一级已登记的地区(没有县的市是其乡镇的上级)。',
         doc_en='A region the registry refers to is not itself registered.\n'
                "A region's `parent` and a unit's `region` must be registered regions. A missing tier points at the "
                'next registered ancestor (a city without counties is the parent of its townships).'),
    Code("GK408", "registry-duplicate", "error",
         "登记表:{what}“{value}”重复(另见 {other})", "registry: {what_en} '{value}' is defined twice (also at {other})",
         "每个地区代码、领域名称(含别名)、单位名称和要求编号只能登记一次:删除或改名其中一个。",
         "each region code, area name or alias, unit name and requirement id may be registered once: remove or rename one.",
         doc_zh='登记表中的键重复。\n'
                '地区代码、领域名称及其别名和简写、单位名称、要求编号必须唯一;同一上级下的地区名称、'
                '同一地区内的单位简称也必须唯一(两个单位都叫“县教体局”就无法判断指的是谁)。'
                '后出现的重复项在它自己的位置报告,并给出第一次出现的位置。',
         doc_en='A registry key is defined twice.\n'
                'Region codes, area names with their aliases and slugs, unit names and requirement ids are unique; so '
                'are a region name under one parent and a unit alias within one region (if two units are both 县教体局,'
                ' nobody can tell which is meant). A later duplicate is reported at its own place with the first one '
                'as related location.'),
    Code("GK409", "registry-lead-unit-missing", "warning",
         "登记表:{region_name}({region})没有职能为“{lead}”的单位,无法确定“{area}”的牵头部门", "registry: {region_name} ({region}) has no unit with the function '{lead}', the lead of '{area}'",
         "在 units.yaml 中为该地区登记牵头单位,stems 写 [{lead}]。", "register the region's lead unit in units.yaml with stems: [{lead}].",
         doc_zh='登记表中某个必须编制某领域目录的地区,没有具有该领域牵头职能(stems)的单位。\n'
                '覆盖检查需要它来确定该地区由谁牵头,gkml init 需要它把上级事项对应到本地区的单位。'
                '作为警告在该领域的条目处报告,每个缺少的地区报告一次。',
         doc_en="A region that must have a catalog of an area has no unit with the area's lead function (stem) in the "
                'registry.\n'
                'The coverage rule needs it to know who leads the area there, and `gkml init` to map upper items to '
                "the region's own unit. Reported as a warning at the area's entry, once per region lacking it.",
         fix_zh='在 units.yaml 中为该地区登记牵头单位,stems 写 [该领域的牵头职能]。',
         fix_en="register the region's lead unit in units.yaml with stems: [the area's lead function]."),
    Code("GK410", "registry-parent-level", "error",
         "登记表:上级地区“{parent}”是{parent_level},不高于本地区的层级“{level}”", "registry: parent region '{parent}' is {parent_level_en}, not above this region's level '{level_en}'",
         "parent 写更高一级地区的代码(缺少中间层级时写再上一级)。", "write the code of a higher region as parent (skip a missing tier).",
         doc_zh='登记表中地区的上级(parent)层级不高于该地区。\n'
                '上级必须是更高一级的地区;缺少中间层级时指向再上一级,不能指向同级地区。',
         doc_en="A region's parent in the registry is not of a higher level.\n"
                'The parent is a region of a higher level; a missing tier points at the next ancestor, never at a '
                'region of the same level.'),
    Code("GK411", "unit-wrong-region", "error",
         "公开主体“{value}”是{unit_region_name}的单位,不是本目录地区{region_name}的单位", "responsible unit '{value}' belongs to {unit_region_name}, not to this catalog's region {region_name}",
         "由本地区单位公开{counterpart}。", "the matter is disclosed by a unit of this region{counterpart_en}.",
         doc_zh='事项由其他地区的单位公开,而不是本目录地区的单位。\n'
                '县级目录写省级部门是错误的(谁公开、谁负责)。派出机构(区公安分局、生态环境分局)和垂直管理单位(税务)'
                '登记在其服务的地区下,可以通过;修改建议按职能给出本地区对应的单位(省教育厅 → 县教育体育局)。',
         doc_en="A matter is disclosed by a unit of another region than the catalog's.\n"
                'A county catalog naming a provincial department is an error (谁公开、谁负责). Branches (区公安分局, '
                '生态环境分局) and vertically managed bodies (税务) are registered under the region they serve, so '
                "they pass; the hint names the region's counterpart unit by function (省教育厅 → 县教育体育局).",
         fix_zh='由本地区单位公开:按职能改为本地区的对应单位(如 省教育厅 → 县教育体育局)。',
         fix_en="the matter is disclosed by a unit of this region: name the region's counterpart by function (e.g. "
                '省教育厅 → 县教育体育局).'),
    Code("GK412", "unit-former-name", "warning",
         "“{value}”已于 {until} 更名为“{name}”", "'{value}' was renamed '{name}' on {until}",
         "改为现名“{name}”。", "write the current name '{name}'.",
         doc_zh='公开主体使用了单位的曾用名。\n'
                '单位按现名书写:在更名日期当天或之后使用曾用名(units.yaml 的 renamed_from,如 扶贫开发办公室 → '
                '乡村振兴局)是警告,并给出现名;在更名日期之前(按检查日期,遵从 SOURCE_DATE_EPOCH)是正确的。'
                '没有日期的更名视为已经完成。',
         doc_en='A unit is named by a former name.\n'
                'Units are named by their current name: a former name (renamed_from in units.yaml, e.g. 扶贫开发办公室 '
                '→ 乡村振兴局) used on or after the date of the rename is a warning naming the new name; before that '
                "date (the check's date, SOURCE_DATE_EPOCH honoured) it is correct. A rename without a date is taken "
                'as done.',
         fix_zh='改为现名“…”,即 units.yaml 中登记的现名。',
         fix_en="write the current name '…' registered in units.yaml."),
    Code("GK413", "unit-placeholder", "warning",
         "公开主体“{value}”是模板中的占位名称", "responsible unit '{value}' is a template placeholder",
         "正式发布的目录应写本地单位全称{example}。", "a published catalog names the actual local unit{example_en}.",
         doc_zh='公开主体是从全国模板照抄的占位名称(县级农业农村部门、镇级人民政府、相关审批部门)。\n'
                '占位名称在标准目录(standard: true)中可以使用,由下级改写;直接发布的目录中,'
                '每个事项都要写实际的本地单位(警告)。',
         doc_en='A responsible unit is a placeholder copied from the national template (县级农业农村部门, 镇级人民政府,'
                ' 相关审批部门).\n'
                'Placeholders are fine in a standard (standard: true), which lower levels adapt; in a catalog '
                'published as is, each matter names the actual local unit (a warning).',
         fix_zh='正式发布的目录应写本地单位全称(如 县级农业农村部门 → 砀山县农业农村局)。',
         fix_en='a published catalog names the actual local unit (e.g. 县级农业农村部门 → 砀山县农业农村局).'),
    Code("GK414", "unit-credit-code", "error",
         "单位“{unit}”的统一社会信用代码“{value}”有误:{why}", "the unified social credit code '{value}' of unit '{unit}' is wrong: {why_en}",
         "核对单位的统一社会信用代码证书(或全国组织机构统一社会信用代码数据服务中心的公示)后照抄 18 位;不确定时删去 code,索引号就不含机构代码。",
         "copy the 18 characters from the unit's certificate (or the national registry's public record); "
         "if unsure, remove code and the 索引号 goes without it.",
         doc_zh='登记表中单位的 code(统一社会信用代码,GB 32100-2015)长度、字符或校验码不对。\n'
                '门户的索引号以编制单位的统一社会信用代码开头;代码是 18 位数字和大写字母(不用 I、O、Z、S、V),'
                '第 3—8 位是行政区划码,第 18 位是按前 17 位计算的校验码。抄错的代码会出现在每个目录的索引号中,'
                '所以是错误;没有 code 的单位,索引号只写“年份-序号”。',
         doc_en='A unit\'s code in the registry (the unified social credit code, GB 32100-2015) has the wrong length, '
                'a character the code never uses, or a wrong check character.\n'
                'The portal\'s 索引号 starts with the compiling unit\'s code: 18 digits and upper-case letters (no I, O, '
                'Z, S, V), characters 3-8 the region code, the 18th a check character computed from the first 17. A '
                'mistyped code would appear in every catalog\'s 索引号, so it is an error; a unit without a code gets '
                'an 索引号 of year-serial only.'),
    # --- GK5xx: duplicates ----------------------------------------------------------------
    Code("GK501", "duplicate-matter", "error",
         "事项“{title}”在本地区重复列出:{units}(另见 {other})", "matter '{title}' is listed twice in this region: {units_en} (also at {other})",
         "同一地区的同一事项只由一个部门公开(避免交叉重复):删除其中一个;确需共同公开的,在 co_units 中写明对方单位;内容不同的,用 sub_matter 区分二级事项。",
         "one matter is disclosed by one unit per region: remove one; for joint disclosure name the other unit in co_units; if they differ, tell them apart by sub_matter.",
         doc_zh='同一地区的同一事项重复列出(避免交叉重复)。\n'
                '一级、二级、三级事项在统一全角半角、标点、空格和简称(低保 = 最低生活保障)后比较,'
                '无论列在哪个部门的目录中。在后出现的事项处报告,写明两处位置。不算重复:'
                '一个领域按二级事项分给不同部门(涉农补贴:农机购置补贴由农业农村局、耕地地力保护由财政局公开),以及 '
                'co_units 写明了对方单位的事项(声明的共同公开)。编号相同的是 GK303。',
         doc_en='One matter is listed twice in a region (避免交叉重复).\n'
                'Matters (一级 + 二级 + 三级 事项) are compared after normalising width, punctuation, spaces and short '
                "forms (低保 = 最低生活保障), whichever department's catalog they are in; reported at the later item, "
                'naming both places. Not duplicates: one area split between departments by 二级 matter (涉农补贴: '
                "农机购置补贴 by 农业农村局, 耕地地力保护 by 财政局), and items whose co_units name the other item's "
                'unit (a declared joint disclosure). Identical ids are GK303.'),
    # --- GK6xx: vertical consistency ----------------------------------------------------------
    Code("GK601", "implements-dangling", "error",
         "implements 指向的上级事项“{value}”不存在{suggestion}", "implements refers to '{value}', which does not exist{suggestion_en}",
         "写上级地区({expected_name})目录中事项的 id。", "write the id of an item of the upper region ({expected_name}).",
         doc_zh='implements 指向的上级事项不存在。\n'
                'implements 写直接上级地区(登记表中的 parent;缺少中间层级时为最近的有目录的上级)中事项的 id;'
                '报告给出上级地区最接近的 id。上级地区的目录不在检查范围内时无法核对,不报告。',
         doc_en='The upper item `implements` names does not exist.\n'
                "`implements` names an item of the region directly above (the registry's parent, or the nearest "
                "ancestor with catalogs when a tier is missing); the report gives the upper region's closest id. When "
                'no upper region of the catalog is in the checked set, the reference cannot be verified and is left.',
         fix_zh='写上级地区(登记表中的 parent)目录中事项的 id。',
         fix_en="write the id of an item of the upper region (the registry's parent)."),
    Code("GK602", "implements-wrong-region", "error",
         "implements 指向的“{value}”是{target_name}({target})的事项,应指向上级地区{expected_name}({expected})的事项",
         "implements refers to '{value}' of {target_name} ({target}); it must refer to an item of the upper region {expected_name} ({expected})",
         "逐级实施:县级事项指向市级事项,市级事项指向省级事项(缺少中间层级时指向再上一级)。",
         "implement level by level: county items refer to city items, city items to province items (skip a missing tier).",
         doc_zh='implements 指向的事项属于其他地区,而不是直接上级地区。\n'
                '逐级实施:县级事项指向市级事项,市级事项指向省级事项;缺少中间层级时(没有县的市是其乡镇的上级)'
                '指向再上一级。',
         doc_en='`implements` names an item of a region other than the one directly above.\n'
                'Chains go level by level: county items implement city items, city items province items; a missing '
                'tier (a city without counties is the upper region of its townships) is skipped.'),
    Code("GK603", "upper-not-implemented", "error",
         "{region_name}({region})没有实施上级事项“{title}”({upper},要求{level_zh}公开,见 {at})", "{region_name} ({region}) does not implement the upper item '{title}' ({upper} at {at}, required at {level_en})",
         "在{region_name}的目录中增加 implements: {upper} 的事项;gkml init --region {region} 可生成初稿。",
         "add an item with implements: {upper} to {region_name}'s catalog; `gkml init --region {region}` writes a draft.",
         doc_zh='上级事项要求本层级公开,但某个下级地区没有实施它。\n'
                '上级事项的 levels(公开层级)包含层级 L 时,它下面每个 L 级地区都要实施它(直接实施,'
                '或经由实施它的中间层级事项),报告写明每个缺少的地区,并给出上级事项的位置。在该地区同一领域的目录处报告;'
                '该地区没有这个领域的目录而登记表要求有时,已由 GK401 报告,此处不再报告(不管理该领域的开发区同样不报告);'
                '否则在上级事项处报告。缺失的链条在最低的缺失处报告一次。',
         doc_en='An upper item required at a level is not implemented in a region of that level.\n'
                'Every upper item whose `levels` (公开层级) include level L is implemented in every region of level L '
                "below it, directly or through the intermediate level's item that implements it; the finding names "
                "each region lacking it, with the upper item as related location. It is reported at that region's "
                'catalog of the same area; when the region has no such catalog although the area is required there, '
                'GK401 already says so and this code is silent (as for a development zone that does not administer the '
                'area); otherwise it is reported at the upper item. A missing chain is reported once per region, at '
                'its lowest missing link.',
         fix_zh='在该地区的目录中增加 implements: 上级事项编号 的事项;gkml init --region 地区代码 可生成初稿。',
         fix_en="add an item with implements: UPPER-ID to the region's catalog; `gkml init --region CODE` writes a "
                'draft.'),
    Code("GK604", "weakened-method", "error",
         "公开方式由上级事项 {upper} 的“主动”降为“依申请”", "method weakened from 主动 (proactive) in upper item {upper} to 依申请 (on request)",
         "上级要求主动公开的事项,下级不能改为依申请公开。", "a matter the upper level discloses proactively cannot become on-request below.",
         doc_zh='上级事项主动公开的,下级改成了依申请公开。\n'
                '下级只能公开得更多,不能更少(条例第十九至二十一条列出应当主动公开的信息)。',
         doc_en='A matter the upper item discloses proactively (主动) is made on-request (依申请) below.\n'
                'A lower level may only disclose more, never less (条例 arts. 19-21 list what is proactive).',
         bad=_lower(method="依申请"), good=_lower()),
    Code("GK605", "weakened-audience", "error",
         "公开对象由上级事项 {upper} 的“全社会”缩小为“特定群体”", "audience narrowed from 全社会 (everyone) in upper item {upper} to 特定群体 (specific group)",
         "上级面向全社会公开的事项,下级不能缩小公开对象。", "a matter the upper level discloses to everyone cannot be narrowed below.",
         doc_zh='上级事项面向全社会公开的,下级缩小为特定群体。\n'
                '下级不能缩小上级确定的公开对象。',
         doc_en='A matter the upper item discloses to everyone (全社会) is narrowed to a specific group (特定群体) '
                'below.\n'
                'A lower level cannot narrow the audience the upper level set.',
         bad=_lower(audience="特定群体"), good=_lower()),
    Code("GK606", "weakened-time-limit", "error",
         "公开时限“{value}”({days})长于上级事项 {upper} 的“{upper_value}”({upper_days})", "time limit '{value}' ({days_en}) is longer than '{upper_value}' ({upper_days_en}) of upper item {upper}",
         "下级只能缩短公开时限,不能延长(条例第二十六条:一般为20个工作日)。", "a lower level may shorten a time limit, never lengthen it (regulation art. 26: normally 20 working days).",
         doc_zh='下级事项的公开时限长于上级事项。\n'
                '下级只能缩短公开时限,不能延长(条例第二十六条:一般为20个工作日)。常见写法按工作日换算:'
                '信息形成或者变更之日起20个工作日内、自该信息形成或者变更之日起20个工作日内予以公开、20工作日、'
                '3日内(自然日,每周5个工作日)、实时公开(0);及时、每年1月31日前、长期不比较。',
         doc_en="A lower item's time limit (公开时限) is longer than its upper item's.\n"
                'A lower level may shorten a time limit, never lengthen it (条例 art. 26: normally 20 working days). '
                'Real phrasings are read as working days: 信息形成或者变更之日起20个工作日内, '
                '自该信息形成或者变更之日起20个工作日内予以公开, 20工作日, 3日内 (calendar days, 5 working days a week)'
                ', 实时公开 (0); 及时, 每年1月31日前 and 长期 are not compared.',
         bad=_lower(time_limit="信息形成或者变更之日起30个工作日内"), good=_lower(time_limit="信息形成或者变更之日起10个工作日内")),
    Code("GK607", "time-limit-unparsed", "warning",
         "无法识别公开时限“{value}”,不能与上级事项 {upper} 的时限“{upper_value}”比较", "time limit '{value}' is not understood and cannot be compared with '{upper_value}' of upper item {upper}",
         "按“信息形成或者变更之日起20个工作日内”的形式写明天数。", "state the number of days, e.g. 信息形成或者变更之日起20个工作日内.",
         doc_zh='无法识别下级事项的公开时限,不能与上级事项的时限比较。\n'
                '上级事项的时限可以识别而下级的不能时,作为警告报告;写明天数即可比较。',
         doc_en="A lower item's time limit cannot be read, so it cannot be compared with the upper item's.\n"
                'Where the upper limit can be read and the lower cannot, this is a warning; stating the number of days '
                'makes it comparable.'),
    Code("GK608", "dropped-channel", "error",
         "缺少上级事项 {upper} 列出的公开渠道“{channel}”", "channel '{channel}' of upper item {upper} is missing",
         "上级目录 channels(■)中的渠道,下级也要使用;可以增加渠道,不能减少。", "channels (■) of the upper item must be used below too; channels may be added, not dropped.",
         doc_zh='下级事项缺少上级事项列出的公开渠道。\n'
                '上级事项 channels 中的渠道(■:标准中为必选)下级也要使用;下级可以增加渠道,不能减少。只列在下级 '
                'optional_channels(□)中的渠道视为缺少。下级 channels 缺失、不是列表或含无效值时(已是错误)不比较,'
                '以免一个错误连带出多条 GK608。',
         doc_en='A channel of the upper item is missing from the lower item.\n'
                'Every channel the upper item lists in `channels` (■: mandatory in a standard) is used by the lower '
                "item too; lower levels may add channels, not drop them. A channel only in the lower item's "
                '`optional_channels` (□) counts as dropped. Lower channels that are missing, not a list or not '
                'all valid (already an error) are not compared: one error, one finding.',
         bad=_lower(channels="[政府网站]"), good=_lower(channels="[政府网站, 两微一端, 政务服务中心]")),
    Code("GK609", "dropped-level", "error",
         "公开层级缺少上级事项 {upper} 要求的“{missing}”", "levels lack {missing}, required by upper item {upper}",
         "levels 至少包含上级事项中本级及以下的层级,如 levels: [{expected}]。", "levels must include the upper item's levels at and below this level, e.g. levels: [{expected}].",
         doc_zh='下级事项的公开层级(levels)缺少上级事项中本级及以下的层级。\n'
                '例如市级勾选了 市级、县级、乡级 的一行,到县级应勾选 县级 和 乡级(一行由两个层级共用)。没有填写 levels '
                '的事项不检查。',
         doc_en="A lower item's levels (公开层级) lack a level of its upper item at or below the lower region's own "
                'level.\n'
                'A city row ticked 市级, 县级, 乡级 becomes a county row ticked 县级 and 乡级 (one row shared by two '
                'levels). Items that state no levels are not checked.',
         fix_zh='levels 至少包含上级事项中本级及以下的层级,如 levels: [县级, 乡级]。',
         fix_en="levels must include the upper item's levels at and below this level, e.g. levels: [县级, 乡级]."),
    Code("GK610", "implements-without-upper", "error",
         "{region_name}({region})之上没有编制“{area}”目录的地区,事项不能实施“{value}”({target_name}的事项){cycle}",
         "no region above {region_name} ({region}) has a catalog of '{area}', so its item cannot implement '{value}' (an item of {target_name}){cycle_en}",
         "最高一级(其上没有该领域目录)的事项不写 implements;逐级实施只指向上一级地区的事项。",
         "an item of the top level (nothing above it catalogs the area) has no implements; implementation points one level up only.",
         doc_zh='没有上级地区(对该领域而言)的事项写了 implements。\n'
                '逐级实施只向上指:最高一级(其上没有该领域目录的地区,如省级)的事项不实施任何事项。'
                'implements 一路指回本事项时(形成循环),消息列出循环中的每个事项编号和地区。',
         doc_en='An item of a region with no upper region for its area has an implements.\n'
                'Implementation points up one level: an item of the top level (no region above catalogs the '
                'area, e.g. the province) implements nothing. When the references go round back to the item, '
                'the message names every id and region of the cycle.'),
    # --- GK7xx: legal floor ----------------------------------------------------------------
    Code("GK701", "unknown-requirement", "error",
         "法定公开要求“{value}”不在登记表中{suggestion}", "legal requirement '{value}' is not in the registry{suggestion_en}",
         "使用 catalogs/registry/requirements.yaml 中的编号,如 art20-01。", "use an id from catalogs/registry/requirements.yaml, e.g. art20-01.",
         doc_zh='事项 requirements 中的编号不是登记的法定公开要求。\n'
                '编号必须在 catalogs/registry/requirements.yaml 中(条例第二十条、第二十一条);报告给出最接近的编号。'
                'gkml coverage --legal 按地区列出没有事项引用的要求。',
         doc_en="An id in an item's `requirements` is not a registered legal-floor requirement.\n"
                'Ids come from catalogs/registry/requirements.yaml (条例 arts. 20 and 21); the report gives the '
                'closest id. `gkml coverage --legal` lists, per region, the requirements no item cites.'),
    Code("GK702", "requirement-level", "warning",
         "法定公开要求“{value}”({title})不适用于{levels}", "legal requirement '{value}' ({title}) does not apply to {levels_en}",
         "条例第二十一条的要求只适用于设区的市级、县级和乡级政府;核对引用的编号。",
         "the requirements of art. 21 apply to city, county and township governments only; check the id.",
         doc_zh='事项引用的法定公开要求不适用于该事项的公开层级(警告)。\n'
                '条例第二十一条的清单只约束设区的市级、县级和乡级政府,其中一部分只适用于乡级。',
         doc_en='A legal requirement an item cites does not apply to a level the item is published at (a warning).\n'
                "Article 21's list binds city, county and township governments only, some of it townships only."),
]
