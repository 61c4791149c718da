"""The code table: every diagnostic code with its severity, messages (zh, en), hint and examples.

Codes are stable: GK1xx reading files, GK2xx schema, GK3xx item content, GK4xx horizontal
coverage and units, GK5xx duplicates, GK6xx vertical consistency, GK7xx legal floor.
"""
from __future__ import annotations

from .codebook import Code  # the record lives apart so family tables can import it without a cycle


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
         "把目录按重点领域或部门拆分成多个文件。", "split the catalog into several files by area or department."),
    Code("GK102", "not-utf8", "error",
         "文件不是 UTF-8 编码{guess}", "file is not UTF-8 encoded{guess_en}",
         "用编辑器“另存为 UTF-8”,或执行:iconv -f GBK -t UTF-8 原文件 > 新文件",
         "save the file as UTF-8, e.g. iconv -f GBK -t UTF-8 old.yaml > new.yaml"),
    Code("GK103", "yaml-syntax", "error",
         "YAML 语法错误:{problem}", "YAML syntax error: {problem_en}",
         "检查该行的缩进、冒号后的空格和引号是否成对。", "check indentation, the space after colons and matching quotes on this line.",
         bad="items:\n  - id: a\n   matter: x\n", good="items:\n  - id: a\n    matter: x\n"),
    Code("GK104", "tab", "error",
         "使用了制表符(Tab)缩进", "tab character used for indentation",
         "YAML 只能用空格缩进:把 Tab 替换为两个空格。", "YAML indentation must use spaces: replace the tab with two spaces.",
         bad="items:\n\t- id: a\n", good="items:\n  - id: a\n"),
    Code("GK105", "duplicate-key", "error",
         "键“{key}”重复出现(第一次在第 {first} 行)", "key '{key}' appears twice (first at line {first})",
         "删除或合并重复的键;后出现的值会覆盖前面的值。", "remove or merge the duplicate key; the later value would silently win.",
         bad="matter: 低保\nmatter: 特困\n", good="matter: 低保\n"),
    Code("GK106", "empty-file", "error",
         "文件是空的", "file is empty",
         "写入目录内容,或删除这个文件。", "add the catalog content or delete the file."),
    Code("GK107", "not-a-mapping", "error",
         "文件顶层应为键值映射,实际是{found}", "the top level must be a mapping, found {found_en}",
         "文件应以 region:、level:、area: 等键开头,不要以“- ”开头。", "start the file with keys such as region:, level:, area:; not with '- '."),
    Code("GK108", "too-complex", "error",
         "文件结构过于复杂({what})", "document is too complex ({what_en})",
         "不要使用大量锚点和别名(&、*)或过深的嵌套。", "avoid many anchors and aliases (&, *) and deep nesting."),
    Code("GK109", "tag-not-allowed", "error",
         "不允许使用 YAML 标签“{tag}”", "YAML tag '{tag}' is not allowed",
         "删除以 ! 开头的标签,直接写值。", "remove the tag starting with '!' and write the plain value.",
         bad="matter: !!python/object:os.system x\n", good="matter: 最低生活保障\n"),
    Code("GK110", "multiple-documents", "error",
         "一个文件只能包含一个目录(发现多个以 --- 分隔的文档)", "a file may hold only one catalog (found several '---' documents)",
         "把每个目录保存为单独的文件。", "save each catalog in a file of its own."),
    Code("GK111", "unreadable", "error",
         "无法读取文件(文件不存在、是失效的链接或没有读取权限):{reason}", "cannot read file: {reason}",
         "检查文件是否存在以及读取权限。", "check that the file exists and is readable."),
    # --- GK2xx: schema ----------------------------------------------------------------------
    Code("GK201", "missing-key", "error",
         "缺少必填项“{key}”({title})", "required key '{key}' ({title_en}) is missing",
         "在此处补充“{key}: …”。", "add '{key}: …' here.",
         bad=_ITEM.replace("    content: 低保对象名单\n", ""), good=_ITEM),
    Code("GK202", "unknown-key", "error",
         "未知的键“{key}”{suggestion}", "unknown key '{key}'{suggestion_en}",
         "{fix}", "{fix_en}",
         bad=_ITEM.replace("responsible_unit", "responsable_unit"), good=_ITEM),
    Code("GK203", "wrong-type", "error",
         "“{key}”应为{expected},实际是{found}", "'{key_en}' should be {expected_en}, found {found_en}",
         "{fix}", "{fix_en}",
         bad=_ITEM.replace("basis: [《社会救助暂行办法》(国务院令第649号)]", "basis: 《社会救助暂行办法》(国务院令第649号)").replace("channels: [政府网站]", "channels: 政府网站"),
         good=_ITEM),
    Code("GK204", "not-in-vocabulary", "error",
         "“{value}”不是有效的{title}{suggestion}", "'{value}' is not a valid {title_en}{suggestion_en}",
         "可选值:{choices}", "allowed values: {choices}",
         bad=_ITEM.replace("channels: [政府网站]", "channels: [政府网站, 公示拦]"),
         good=_ITEM.replace("channels: [政府网站]", "channels: [政府网站, 社区/企事业单位/村公示栏(电子屏)]")),
    Code("GK205", "bad-format", "error",
         "“{key}”的格式不正确:“{value}”", "'{key}' has the wrong format: '{value}'",
         "{fix}", "{fix_en}",
         bad=_ITEM.replace("id: 341321-sa-001", "id: 砀山 低保 1"), good=_ITEM),
    Code("GK206", "empty-value", "error",
         "“{key}”({title})不能为空", "'{key}' ({title_en}) must not be empty",
         "填写内容,或删除这个键。", "fill it in, or remove the key.",
         bad=_ITEM.replace("channels: [政府网站]", "channels: []"), good=_ITEM),
    Code("GK207", "schema", "error",
         "“{key}”不符合格式要求:{detail}", "'{key}' does not satisfy the schema: {detail}",
         "对照 gkml schema 输出的格式说明修改。", "compare with the format printed by `gkml schema`."),
    Code("GK208", "too-many-findings", "error",
         "本文件的格式问题过多,只报告了前 {limit} 个", "too many schema problems in this file; only the first {limit} are reported",
         "先修改已报告的问题(常见原因:整个文件的缩进或结构不对),再重新检查。",
         "fix the reported problems first (usually the whole file has the wrong shape or indentation), then check again."),
    # --- GK3xx: item content -----------------------------------------------------------------
    Code("GK301", "synonym", "warning",
         "“{value}”是{title}的别称,标准写法是“{canonical}”", "'{value}' is a synonym of the {title_en} '{canonical}'",
         "改为“{canonical}”。", "write '{canonical}'.",
         bad=_ITEM.replace("audience: 全社会", "audience: 特定群众"), good=_ITEM.replace("audience: 全社会", "audience: 特定群体")),
    Code("GK302", "vague-basis", "warning",
         "公开依据过于笼统:“{value}”", "legal basis is too vague: '{value}'",
         "写明具体的法律、法规、规章或规范性文件名称和文号,如《中华人民共和国政府信息公开条例》(国务院令第711号)。",
         "cite the exact law or document with its number, e.g. 《中华人民共和国政府信息公开条例》(国务院令第711号).",
         bad=_ITEM.replace("《社会救助暂行办法》(国务院令第649号)", "相关政策文件"), good=_ITEM),
    Code("GK303", "duplicate-id", "error",
         "事项编号“{id}”重复(另见 {other})", "item id '{id}' is used twice (also at {other})",
         "每个事项的编号在整个目录集中必须唯一:修改其中一个。", "ids must be unique across the catalog set: change one of them."),
    Code("GK304", "basis-format", "warning",
         "公开依据未使用书名号《》:“{value}”", "legal basis is not cited as 《title》: '{value}'",
         "按“《名称》(文号)”书写,如《社会救助暂行办法》(国务院令第649号)。", "cite as 《title》(number), e.g. 《社会救助暂行办法》(国务院令第649号).",
         bad=_ITEM.replace("《社会救助暂行办法》(国务院令第649号)", "社会救助暂行办法"), good=_ITEM),
    Code("GK305", "level-region-mismatch", "error",
         "目录层级“{level}”与地区代码“{region}”不符(该代码是{expected})", "level '{level}' does not match region code '{region}' ({expected_en})",
         "核对 region 和 level:省级代码以 0000 结尾,市级以 00 结尾,乡级为 9 或 12 位。",
         "check region and level: a province code ends in 0000, a city code in 00, a township code has 9 or 12 digits."),
    Code("GK306", "duplicate-channel", "warning",
         "公开渠道“{value}”重复列出", "channel '{value}' is listed twice",
         "删除重复的渠道。", "remove the duplicate channel."),
    Code("GK307", "levels-required", "error",
         "标准目录中的事项必须填写公开层级(levels)", "items of a standard catalog must state their levels",
         "补充 levels,如 levels: [县级, 乡级]。", "add levels, e.g. levels: [县级, 乡级].",
         bad="standard: true\n" + _ITEM, good="standard: true\n" + _ITEM + "    levels: [县级]\n"),
    Code("GK308", "channel-both-lists", "warning",
         "渠道“{value}”同时出现在 channels(■)和 optional_channels(□)中", "channel '{value}' is in both channels (■) and optional_channels (□)",
         "只保留在其中一个列表中。", "keep it in one list only."),
]

def _tables() -> list[Code]:
    # Explicit list of code tables: this module's, the cross-catalog rules', the importer's.
    from .codes_cross import TABLE as cross
    from .codes_import import TABLE as importer
    return [*_TABLE, *cross, *importer]


CODES: dict[str, Code] = {}
for _c in _tables():
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
