"""What each code checks, for `gkml explain`: rules document themselves (their docstring); the
codes of the loader and the schema are documented here, in Chinese and English."""
from __future__ import annotations

LOADER_DOCS = {
    "GK101": "读取:单个文件超过大小上限时不解析,防止超大文件拖垮检查。",
    "GK102": "读取:文件必须是 UTF-8(可带 BOM)。Windows 上常见的 GBK/GB18030 文件需要先转换。",
    "GK103": "读取:YAML 语法错误,报告出错的行和列。其他文件照常检查。",
    "GK104": "读取:YAML 不允许用 Tab 缩进。",
    "GK105": "读取:同一映射中的重复键会让后面的值悄悄覆盖前面的值,因此报错。",
    "GK106": "读取:空文件或只有注释的文件。",
    "GK107": "读取:目录文件的顶层必须是“键: 值”映射。",
    "GK108": "读取:防止别名炸弹和过深嵌套(安全限制)。",
    "GK109": "读取:只允许普通的 YAML 值,不允许 !! 标签(安全加载)。",
    "GK110": "读取:一个文件只写一个目录,不要用 --- 分隔多个文档。",
    "GK111": "读取:文件无法读取(不存在、无权限或不是普通文件)。",
    "GK201": "模式:每个事项必须有 id、matter、content、basis、time_limit、responsible_unit、channels、audience、method(条例要求的公开要素)。",
    "GK202": "模式:不认识的键。拼写接近已知键时给出“是不是”建议,并且不再重复报告缺少该键。",
    "GK203": "模式:值的类型不对,例如应为列表却写成了单个值。",
    "GK204": "模式:值不在词表中(公开渠道、公开对象、公开方式、公开层级等),给出最接近的标准写法。",
    "GK205": "模式:编号、地区代码或日期的格式不对。",
    "GK206": "模式:必填的值为空。",
    "GK207": "模式:其他不符合 JSON Schema 的情况。",
    "GK208": "模式:一个文件的格式问题超过上限时只报告前面的部分,避免整个文件结构错误时产生成千上万条报告。",
}

LOADER_DOCS_EN = {
    "GK101": "Reading: a file over the size limit is not parsed, so one huge file cannot stall the check.",
    "GK102": "Reading: files must be UTF-8 (a BOM is accepted). GBK/GB18030 files, common on Windows, must be converted.",
    "GK103": "Reading: a YAML syntax error, reported at its line and column. Every other file is still checked.",
    "GK104": "Reading: YAML does not allow tabs for indentation.",
    "GK105": "Reading: a key written twice in one mapping would let the later value silently replace the first.",
    "GK106": "Reading: an empty file, or one with only comments.",
    "GK107": "Reading: the top level of a catalog file must be a 'key: value' mapping.",
    "GK108": "Reading: a guard against alias bombs and very deep nesting (safe loading).",
    "GK109": "Reading: only plain YAML values are allowed, no !! tags (safe loading).",
    "GK110": "Reading: one file holds one catalog; do not separate several documents with ---.",
    "GK111": "Reading: the file cannot be read (missing, no permission, or not a regular file).",
    "GK201": "Schema: every item needs id, matter, content, basis, time_limit, responsible_unit, channels, audience and method (the elements the regulation requires).",
    "GK202": "Schema: an unknown key. A near miss of a known key gets a did-you-mean and is not also reported as missing.",
    "GK203": "Schema: a value of the wrong type, e.g. a single value where a list belongs.",
    "GK204": "Schema: a value outside its vocabulary (channels, audience, method, levels …), with the closest canonical value.",
    "GK205": "Schema: an id, region code or date in the wrong format.",
    "GK206": "Schema: a required value is empty.",
    "GK207": "Schema: any other violation of the JSON Schema.",
    "GK208": "Schema: past a limit, a file's schema problems are cut short, so a file of the wrong shape does not produce thousands of findings.",
}


def documentation(code: str, lang: str = "zh") -> tuple[str, str]:
    """(heading, text) documenting what code checks: its rule's docstring, else the tables here,
    else a DOCS dict ({code: text} or {code: (zh, en)}) of the module that lists it in PRODUCES."""
    from .rules import all_rules
    for rule in all_rules():
        if code in rule.codes and rule.doc:
            return (("Rule" if lang == "en" else "规则") + f" {rule.name}:",
                    "\n".join(line.strip() for line in rule.doc.splitlines()))
    if code in LOADER_DOCS:
        return "", (LOADER_DOCS_EN if lang == "en" else LOADER_DOCS)[code]
    for module in producer_modules():
        text = getattr(module, "DOCS", {}).get(code)
        if text:
            if isinstance(text, tuple):
                text = text[1] if lang == "en" and len(text) > 1 else text[0]
            return "", text
    return "", ""


def producer_modules() -> list:
    """Every module of the compiler package that declares the codes it reports (PRODUCES)."""
    import importlib
    import pkgutil

    import compiler
    found = []
    for info in sorted(pkgutil.walk_packages(compiler.__path__, "compiler."), key=lambda i: i.name):
        if info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional feature whose dependency is missing declares nothing
            continue
        if hasattr(module, "PRODUCES"):
            found.append(module)
    return found
