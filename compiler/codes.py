"""The code table: every diagnostic code with its severity, messages, hint, documentation and examples.

Codes are stable: GK1xx reading files, GK2xx schema, GK3xx item content, GK4xx horizontal
coverage and units, GK5xx duplicates, GK6xx vertical consistency, GK7xx legal floor (GK71x legal bases and the document library).
"""
from __future__ import annotations

from .codebook import Code  # the record lives apart so family tables can import it without a cycle
from .codes_authoring import TABLE as authoring_table
from .codes_basis import TABLE as basis_table
from .codes_cross import TABLE as cross_table
from .codes_history import TABLE as history_table
from .codes_import import TABLE as import_table


_ITEM = """items:
  - id: 341321-sa-001
    matter: 最低生活保障
    content: 低保对象名单
    basis: [《社会救助暂行办法》(国务院令第649号)]
    time_limit: 信息形成或者变更之日起20个工作日内
    responsible_unit: 砀山县民政局
    channels: [政府网站]
    audience: 全社会
    method: 主动
"""

_TABLE = [
    # --- GK1xx: reading files -------------------------------------------------------------
    Code("GK101", "file-too-large", "error",
         "文件过大({size} 字节,上限 {limit} 字节)", "file is too large ({size} bytes, limit {limit})",
         "把目录按重点领域或部门拆分成多个文件。", "split the catalog into several files by area or department.",
         doc_zh='读取:单个文件超过大小上限时不解析。\n'
                '这样一个超大的文件不会拖垮整个检查;其他文件照常检查。',
         doc_en='Reading: a file over the size limit is not parsed.\n'
                'One huge file cannot stall the check; every other file is still checked.'),
    Code("GK102", "not-utf8", "error",
         "文件不是 UTF-8 编码{guess}", "file is not UTF-8 encoded{guess_en}",
         "用编辑器“另存为 UTF-8”,或执行:iconv -f GBK -t UTF-8 原文件 > 新文件",
         "save the file as UTF-8, e.g. iconv -f GBK -t UTF-8 old.yaml > new.yaml",
         doc_zh='读取:文件必须是 UTF-8 编码(可带 BOM)。\n'
                'Windows 上常见的 GBK/GB18030 文件需要先转换;报告会猜测原来的编码。',
         doc_en='Reading: files must be UTF-8 encoded (a BOM is accepted).\n'
                'GBK/GB18030 files, common on Windows, must be converted; the report guesses the original encoding.'),
    Code("GK103", "yaml-syntax", "error",
         "YAML 语法错误:{problem}", "YAML syntax error: {problem_en}",
         "检查该行的缩进、冒号后的空格和引号是否成对。", "check indentation, the space after colons and matching quotes on this line.",
         doc_zh='读取:YAML 语法错误,报告出错的行和列。\n'
                '该文件无法继续检查,其他文件照常检查。',
         doc_en='Reading: a YAML syntax error, reported at its line and column.\n'
                'That file cannot be checked further; every other file still is.',
         bad="items:\n  - id: a\n   matter: x\n", good="items:\n  - id: a\n    matter: x\n"),
    Code("GK104", "tab", "error",
         "使用了制表符(Tab)缩进", "tab character used for indentation",
         "YAML 只能用空格缩进:把 Tab 替换为两个空格。", "YAML indentation must use spaces: replace the tab with two spaces.",
         doc_zh='读取:YAML 不允许用 Tab 缩进。\n'
                'Tab 在不同编辑器中宽度不同,YAML 规定缩进只能用空格。',
         doc_en='Reading: YAML does not allow tabs for indentation.\n'
                'A tab is as wide as each editor likes, so YAML allows only spaces.',
         bad="items:\n\t- id: a\n", good="items:\n  - id: a\n"),
    Code("GK105", "duplicate-key", "error",
         "键“{key}”重复出现(第一次在第 {first} 行)", "key '{key}' appears twice (first at line {first})",
         "删除或合并重复的键;后出现的值会覆盖前面的值。", "remove or merge the duplicate key; the later value would silently win.",
         doc_zh='读取:同一映射中的键重复出现。\n'
                '后出现的值会悄悄覆盖前面的值,因此报错。',
         doc_en='Reading: a key written twice in one mapping.\n'
                'The later value would silently replace the first, so it is an error.',
         bad="matter: 低保\nmatter: 特困\n", good="matter: 低保\n"),
    Code("GK106", "empty-file", "error",
         "文件是空的", "file is empty",
         "写入目录内容,或删除这个文件。", "add the catalog content or delete the file.",
         doc_zh='读取:文件是空的,或只有注释。',
         doc_en='Reading: the file is empty, or holds only comments.'),
    Code("GK107", "not-a-mapping", "error",
         "文件顶层应为键值映射,实际是{found}", "the top level must be a mapping, found {found_en}",
         "文件应以 region:、level:、area: 等键开头,不要以“- ”开头。", "start the file with keys such as region:, level:, area:; not with '- '.",
         doc_zh='读取:目录文件的顶层必须是“键: 值”映射。\n'
                '以“- ”开头的列表或单个值不是目录。',
         doc_en="Reading: the top level of a catalog file must be a 'key: value' mapping.\n"
                "A list starting with '- ' or a single value is not a catalog."),
    Code("GK108", "too-complex", "error",
         "文件结构过于复杂({what})", "document is too complex ({what_en})",
         "不要使用大量锚点和别名(&、*)或过深的嵌套。", "avoid many anchors and aliases (&, *) and deep nesting.",
         doc_zh='读取:文件结构过于复杂(大量锚点和别名,或嵌套过深)。\n'
                '这是防止别名炸弹的安全限制。',
         doc_en='Reading: the document is too complex (many anchors and aliases, or very deep nesting).\n'
                'A safety limit against alias bombs.'),
    Code("GK109", "tag-not-allowed", "error",
         "不允许使用 YAML 标签“{tag}”", "YAML tag '{tag}' is not allowed",
         "删除以 ! 开头的标签,直接写值。", "remove the tag starting with '!' and write the plain value.",
         doc_zh='读取:不允许使用 YAML 标签(以 ! 开头)。\n'
                '只接受普通的 YAML 值(安全加载),标签可能让解析器构造任意对象。',
         doc_en='Reading: YAML tags (starting with !) are not allowed.\n'
                'Only plain YAML values are accepted (safe loading); a tag could make a parser build arbitrary objects.',
         bad="matter: !!python/object:os.system x\n", good="matter: 最低生活保障\n"),
    Code("GK110", "multiple-documents", "error",
         "一个文件只能包含一个目录(发现多个以 --- 分隔的文档)", "a file may hold only one catalog (found several '---' documents)",
         "把每个目录保存为单独的文件。", "save each catalog in a file of its own.",
         doc_zh='读取:一个文件只能包含一个目录。\n'
                '不要用 --- 分隔多个文档,每个目录单独保存为一个文件。',
         doc_en='Reading: one file holds one catalog.\n'
                'Do not separate several documents with ---; save each catalog in a file of its own.'),
    Code("GK111", "unreadable", "error",
         "无法读取文件(文件不存在、是失效的链接或没有读取权限):{reason}", "cannot read file: {reason}",
         "检查文件是否存在以及读取权限。", "check that the file exists and is readable.",
         doc_zh='读取:文件无法读取(不存在、是失效的链接、没有读取权限或不是普通文件)。',
         doc_en='Reading: the file cannot be read (missing, a dangling link, no permission, or not a regular file).'),
    Code("GK112", "number-changes-text", "warning",
         "“{text}”按 YAML 读作数字 {value},与原写法不同", "'{text}' reads as the number {value} in YAML, not as written",
         "如果它是文字(如版本号),请加引号写成 \"{text}\";如果它是数字,请写成 {value}。",
         "if it is text (such as a version), quote it: \"{text}\"; if it is a number, write {value}.",
         doc_zh='读取:没有引号的 2024.10 在 YAML 中是数字 2024.1,末尾的 0(或 +、指数写法)会丢失。\n'
                '版本号等文字要加引号;gkml 不会替作者改写,所以在原位置提醒。',
         doc_en='Reading: an unquoted 2024.10 is the number 2024.1 in YAML; its trailing 0 (or a +, or an exponent) '
                'is lost.\n'
                'Quote text such as a version; gkml never rewrites what the author wrote, so it warns at the value.',
         fix_zh='如果它是文字(如版本号),请加引号写成 "2024.10";如果它是数字,请写成 2024.1。',
         fix_en='if it is text (such as a version), quote it: "2024.10"; if it is a number, write 2024.1.',
         bad="version: 2024.10\n", good='version: "2024.10"\n'),
    # --- GK2xx: schema ----------------------------------------------------------------------
    Code("GK201", "missing-key", "error",
         "缺少必填项“{key}”({title})", "required key '{key}' is missing",
         "在此处补充“{key}: …”。", "add '{key}: …' here.",
         doc_zh='模式:缺少必填要素。\n'
                '每个事项必须有 id、matter、content、basis、time_limit、responsible_unit、channels、audience、'
                'method(条例要求的公开要素)。',
         doc_en='Schema: a required element is missing.\n'
                'Every item needs id, matter, content, basis, time_limit, responsible_unit, channels, audience and '
                'method (the elements the regulation requires).',
         fix_zh='在此处补充“键: 值”(缺少的键见报告的消息)。',
         fix_en="add 'key: value' here (the message names the missing key).",
         bad=_ITEM.replace("    content: 低保对象名单\n", ""), good=_ITEM),
    Code("GK202", "unknown-key", "error",
         "未知的键“{key}”{suggestion}", "unknown key '{key}'{suggestion_en}",
         "{fix}", "{fix_en}",
         doc_zh='模式:不认识的键。\n'
                '拼写接近已知键时给出“是不是”建议,并且不再重复报告缺少该键。',
         doc_en='Schema: an unknown key.\n'
                'A near miss of a known key gets a did-you-mean and is not also reported as missing.',
         fix_zh='改为消息中“是不是”建议的键,或删除这个键;全部可用的键见 gkml schema。',
         fix_en='rename the key to the did-you-mean of the message, or remove it; `gkml schema` lists every key.',
         bad=_ITEM.replace("responsible_unit", "responsable_unit"), good=_ITEM),
    Code("GK203", "wrong-type", "error",
         "“{key}”应为{expected},实际是{found}", "'{key_en}' should be {expected_en}, found {found_en}",
         "{fix}", "{fix_en}",
         doc_zh='模式:值的类型不对。\n'
                '例如应为列表却写成了单个值,或应为文字却写成了数字。',
         doc_en='Schema: a value of the wrong type.\n'
                'For example a single value where a list belongs, or a number where text belongs.',
         fix_zh='按消息中的类型改写:列表写成 [值1, 值2](不要用“、”连接),文字、日期和编号加引号。',
         fix_en='rewrite the value as the message says: a list as [a, b] (not joined with 、), text, dates and codes '
                'in quotes.',
         bad=_ITEM.replace("basis: [《社会救助暂行办法》(国务院令第649号)]", "basis: 《社会救助暂行办法》(国务院令第649号)").replace("channels: [政府网站]", "channels: 政府网站"),
         good=_ITEM),
    Code("GK204", "not-in-vocabulary", "error",
         "“{value}”不是有效的{title}{suggestion}", "'{value}' is not a valid {title_en}{suggestion_en}",
         "可选值:{choices}", "allowed values: {choices}",
         doc_zh='模式:值不在词表中(公开渠道、公开对象、公开方式、公开层级等)。\n'
                '报告给出最接近的标准写法。',
         doc_en='Schema: a value outside its vocabulary (channels, audience, method, levels …).\n'
                'The report names the closest canonical value.',
         fix_zh='可选值:见 gkml schema 输出中该键的词表(enum),或消息中“是不是”的建议。',
         fix_en="allowed values: the key's vocabulary (enum) in `gkml schema`, or the did-you-mean of the message.",
         bad=_ITEM.replace("channels: [政府网站]", "channels: [政府网站, 公示拦]"),
         good=_ITEM.replace("channels: [政府网站]", "channels: [政府网站, 社区/企事业单位/村公示栏(电子屏)]")),
    Code("GK205", "bad-format", "error",
         "“{key}”的格式不正确:“{value}”", "'{key}' has the wrong format: '{value}'",
         "{fix}", "{fix_en}",
         doc_zh='模式:编号、地区代码或日期的格式不对。',
         doc_en='Schema: an id, region code or date in the wrong format.',
         fix_zh='按示例的格式改写:事项编号如 341321-sa-001,地区代码为 6、9 或 12 位数字,日期如 2024-01-31。',
         fix_en='follow the format: an id such as 341321-sa-001, a region code of 6, 9 or 12 digits, a date such as '
                '2024-01-31.',
         bad=_ITEM.replace("id: 341321-sa-001", "id: 砀山 低保 1"), good=_ITEM),
    Code("GK206", "empty-value", "error",
         "“{key}”({title})不能为空", "'{title_en}' must not be empty",
         "填写内容,或删除这个键。", "fill it in, or remove the key.",
         doc_zh='模式:必填的值为空。',
         doc_en='Schema: a required value is empty.',
         bad=_ITEM.replace("channels: [政府网站]", "channels: []"), good=_ITEM),
    Code("GK207", "schema", "error",
         "“{key}”不符合格式要求:{detail}", "'{key_en}' does not satisfy the schema: {detail_en}",
         "对照 gkml schema 输出的格式说明修改。", "compare with the format printed by `gkml schema`.",
         doc_zh='模式:其他不符合 JSON Schema 的情况。',
         doc_en='Schema: any other violation of the JSON Schema.'),
    Code("GK208", "too-many-findings", "error",
         "本文件的格式问题过多,只报告了前 {limit} 个", "too many schema problems in this file; only the first {limit} are reported",
         "先修改已报告的问题(常见原因:整个文件的缩进或结构不对),再重新检查。",
         "fix the reported problems first (usually the whole file has the wrong shape or indentation), then check again.",
         doc_zh='模式:一个文件的格式问题超过上限,只报告前面的部分。\n'
                '避免整个文件结构错误时产生成千上万条报告。',
         doc_en="Schema: past a limit, a file's schema problems are cut short.\n"
                'A file of the wrong shape does not produce thousands of findings.'),
    # --- GK3xx: item content -----------------------------------------------------------------
    Code("GK301", "synonym", "warning",
         "“{value}”是{title}的别称,标准写法是“{canonical}”", "'{value}' is a synonym of the {title_en} '{canonical}'",
         "改为“{canonical}”。", "write '{canonical}'.",
         doc_zh='词表中的值写成了实际使用中的别称(特定群众、依申请公开、行政服务中心、纸质载体、用“口”代替 □ 等)。\n'
                '别称可以接受,但会提示标准写法,使各目录统一写法,检索和 Excel 列保持一致。',
         doc_en='A vocabulary value written as a real-world synonym (特定群众, 依申请公开, 行政服务中心, 纸质载体, 口 '
                'for □ …).\n'
                'It is accepted, but flagged with its canonical form so catalogs converge on one spelling and search '
                'and Excel columns stay consistent.',
         fix_zh='改为“…”,即消息中给出的标准写法。',
         fix_en="write '…', the canonical value the message names.",
         bad=_ITEM.replace("audience: 全社会", "audience: 特定群众"), good=_ITEM.replace("audience: 全社会", "audience: 特定群体")),
    Code("GK302", "vague-basis", "warning",
         "公开依据过于笼统:“{value}”", "legal basis is too vague: '{value}'",
         "写明具体的法律、法规、规章或规范性文件名称和文号,如《中华人民共和国政府信息公开条例》(国务院令第711号)。",
         "cite the exact law or document with its number, e.g. 《中华人民共和国政府信息公开条例》(国务院令第711号).",
         doc_zh='公开依据过于笼统,没有指明具体文件。\n'
                '“相关政策文件”之类的说法无法查证;公开依据应写明文件名称和文号,读者按名称检索。',
         doc_en='A legal basis is too vague to identify a document.\n'
                'A phrase such as 相关政策文件 cannot be checked; bases name the document and its number, and readers '
                'search for the title.',
         bad=_ITEM.replace("《社会救助暂行办法》(国务院令第649号)", "相关政策文件"), good=_ITEM),
    Code("GK303", "duplicate-id", "error",
         "事项编号“{id}”重复(另见 {other})", "item id '{id}' is used twice (also at {other})",
         "每个事项的编号在整个目录集中必须唯一:修改其中一个。", "ids must be unique across the catalog set: change one of them.",
         doc_zh='事项编号在整个目录集中重复。\n'
                '编号是门户链接的锚点、implements 的目标,也是追踪动态调整的依据,因此必须唯一。',
         doc_en='An item id is used twice across the catalog set.\n'
                'Ids are the anchors of portal links, the targets of `implements`, and the key that makes changes '
                'traceable (动态调整), so they are unique.'),
    Code("GK304", "basis-format", "warning",
         "公开依据未使用书名号《》:“{value}”", "legal basis is not cited as 《title》: '{value}'",
         "按“《名称》(文号)”书写,如《社会救助暂行办法》(国务院令第649号)。", "cite as 《title》(number), e.g. 《社会救助暂行办法》(国务院令第649号).",
         doc_zh='公开依据没有使用书名号《》。\n'
                '公开依据按“《名称》(文号)”书写,读者按书名号中的名称检索。',
         doc_en='A legal basis is not cited with 《》 title marks.\n'
                'Bases are cited as 《title》(number), and readers search for the title.',
         bad=_ITEM.replace("《社会救助暂行办法》(国务院令第649号)", "社会救助暂行办法"), good=_ITEM),
    Code("GK305", "level-region-mismatch", "error",
         "目录层级“{level}”与地区代码“{region}”不符(该代码是{expected})", "level '{level}' does not match region code '{region}' ({expected_en})",
         "核对 region 和 level:省级代码以 0000 结尾,市级以 00 结尾,乡级为 9 或 12 位。",
         "check region and level: a province code ends in 0000, a city code in 00, a township code has 9 or 12 digits.",
         doc_zh='目录层级与地区代码的形式不符。\n'
                'GB/T 2260:省级代码以 0000 结尾,市级以 00 结尾,乡级为 9 或 12 位;开发区和县级市使用县级形式的代码。',
         doc_en="The catalog's level does not match the shape of its region code.\n"
                'GB/T 2260: a province code ends in 0000, a city code in 00, a township code has 9 or 12 digits; '
                'development zones and county-level cities use county-shaped codes.'),
    Code("GK306", "duplicate-channel", "warning",
         "公开渠道“{value}”重复列出", "channel '{value}' is listed twice",
         "删除重复的渠道。", "remove the duplicate channel.",
         doc_zh='同一公开渠道重复列出。\n'
                '在官方的 ■/□ 渠道清单中,重复的渠道含义不清。',
         doc_en='A channel is listed twice.\n'
                'In the official ■/□ channel list a repeated channel is ambiguous.'),
    Code("GK307", "levels-required", "error",
         "标准目录中的事项必须填写公开层级(levels)", "items of a standard catalog must state their levels",
         "补充 levels,如 levels: [县级, 乡级]。", "add levels, e.g. levels: [县级, 乡级].",
         doc_zh='标准目录(standard: true)中的事项没有填写公开层级(levels)。\n'
                '下级据此判断哪些事项必须承接(范本 003,第(一)项)。',
         doc_en='An item of a standard catalog (standard: true) does not state its levels (公开层级).\n'
                'Lower levels read them to know which matters they must carry (seed 003, item (一)).',
         bad="standard: true\n" + _ITEM, good="standard: true\n" + _ITEM + "    levels: [县级]\n"),
    Code("GK308", "channel-both-lists", "warning",
         "渠道“{value}”同时出现在 channels(■)和 optional_channels(□)中", "channel '{value}' is in both channels (■) and optional_channels (□)",
         "只保留在其中一个列表中。", "keep it in one list only.",
         doc_zh='同一渠道同时列在 channels(■,已使用/必选)和 optional_channels(□,可选)中。\n'
                '在官方的 ■/□ 渠道清单中,这样的渠道含义不清。',
         doc_en='A channel is both in channels (■, used/mandatory) and optional_channels (□).\n'
                'In the official ■/□ channel list such a channel is ambiguous.'),
    Code("GK309", "expires-before-effective", "error",
         "废止时间 {expires} 不晚于生效时间 {effective}", "expires {expires} is not after effective {effective}",
         "核对两个日期:废止时间应晚于生效时间(是否写反了?);尚未确定废止时间的,删除 expires。",
         "check both dates: expires must come after effective (swapped?); remove expires if no end date is set.",
         bad="effective: \"2024-05-01\"\nexpires: \"2024-01-01\"\n", good="effective: \"2024-01-01\"\nexpires: \"2025-01-01\"\n",
         doc_zh='目录的废止时间(expires)必须晚于生效时间(effective)。\n'
                '文件的有效性带有生效时间和废止时间(见 seed 002 的元数据);在生效之前就废止的目录从未有效,\n'
                '通常是两个日期写反或输错了。日期本身不是真实日期时报 GK205,不再比较。',
         doc_en='A catalog\'s expires date comes after its effective date.\n'
                'Documents carry a validity with both dates (seed 002\'s metadata); a catalog repealed before it\n'
                'takes effect was never in force: the dates are swapped or mistyped. A date that is no real day\n'
                'is GK205 and is not compared.'),
]

CODES: dict[str, Code] = {}
for _c in (*_TABLE, *authoring_table, *cross_table, *basis_table, *history_table, *import_table):  # each family's table
    if _c.code in CODES:
        raise ValueError(f"code {_c.code} defined twice")
    CODES[_c.code] = _c


class _Args(dict):
    def __missing__(self, key: str) -> str:  # an unknown placeholder renders empty, never crashes
        return ""


def render(code: str, part: str, lang: str, args: dict) -> str:
    """Render the message or hint of a code in zh or en."""
    entry = CODES[code]
    template = getattr(entry, f"{part}_{'en' if lang == 'en' else 'zh'}")
    return template.format_map(_Args(args))
