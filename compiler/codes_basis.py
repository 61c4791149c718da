"""Codes of the legal-basis rules (GK71x): citations resolved against the document library.

Same record as every code table (compiler/codebook.py).
"""
from __future__ import annotations

from .codebook import Code

_ITEM = """items:
  - id: 341321-ee-001
    matter: 就业创业
    content: 就业补助资金使用情况
    basis: [{basis}]
    time_limit: 信息形成或者变更之日起20个工作日内
    responsible_unit: 砀山县人力资源和社会保障局
    channels: [政府网站]
    audience: 全社会
    method: 主动
"""
_OLD = _ITEM.format(basis="《就业补助资金管理办法》(财社〔2017〕164号)")
_NEW = _ITEM.format(basis="《就业补助资金管理办法》(财社〔2023〕181号)")

TABLE: list[Code] = [
    Code("GK711", "basis-repealed", "error",
         "公开依据{cited}{when}{status}{successor}", "legal basis {cited} was {status_en}{when_en}{successor_en}",
         "{fix}", "{fix_en}",
         doc_zh='公开依据引用的文件在目录施行日期或今天已经废止或失效。\n'
                '文件库(catalogs/registry/documents.yaml)记载每个文件的效力状态;引用已废止、期满失效的文件会误导公众,'
                '目录应随之调整(取消或变更公开依据)。有继任文件(superseded_by)时,报告给出它,gkml fix 可以替换。',
         doc_en='A legal basis cites a document that is repealed or expired on the catalog\'s effective date or today.\n'
                'The document library (catalogs/registry/documents.yaml) records each document\'s validity; a catalog '
                'citing a repealed or expired rule misleads the public and must be adjusted. When the library names a '
                'successor (superseded_by), the report gives it.',
         fix_zh='改为引用继任文件(报告中给出),或在文件库中核对该文件的状态。',
         fix_en='cite the successor the report names, or check the document\'s status in the library.',
         bad=_OLD, good=_NEW),
    Code("GK712", "basis-amended", "info",
         "公开依据{cited}已被修改,现行文本是{current}", "legal basis {cited} has been amended; the current text is {current_en}",
         "引用现行文本:{current}。", "cite the current text: {current_en}.",
         doc_zh='公开依据引用的是已被修改的文本(国家法律法规数据库标注为“已修改”)。\n'
                '提示而非错误:被修改的文件仍然有效,但应引用现行文本的名称和文号。',
         doc_en='A legal basis cites a text that has since been amended (已修改 in the national database).\n'
                'An info, not an error: the document is in force, but the current text should be cited.',
         fix_zh='引用现行文本:文件库中该文件的现行版本。', fix_en="cite the current text: the library's version in force."),
    Code("GK713", "basis-not-in-force", "warning",
         "公开依据{cited}在 {date} 尚未生效{since}", "legal basis {cited} is not yet in force on {date}{since_en}",
         "核对目录的施行日期(effective)或文件的施行日期。", "check the catalog's effective date or the document's.",
         doc_zh='公开依据引用的文件在目录施行日期尚未生效。\n'
                '文件已公布但未施行时,目录可以提前引用,但应确认施行日期不晚于目录的施行日期。',
         doc_en='A legal basis cites a document not yet in force on the catalog\'s effective date.\n'
                'A published but not yet effective document may be cited ahead, but its effective date should not be '
                'later than the catalog\'s.'),
    Code("GK714", "basis-form", "warning",
         "公开依据“{value}”的{what}与文件库不符,文件库的写法是{cited}",
         "the {what_en} of legal basis '{value}' differs from the library's: {cited}",
         "按文件库的写法改为{cited}。", "write {cited}, as the library does.",
         doc_zh='公开依据的名称与文件库一致但文号不同,或文号一致但名称不同。\n'
                '多半是笔误或引用了旧文号;按文件库的写法统一后,读者才能检索到同一个文件。',
         doc_en='A legal basis has the library\'s title with another 文号, or its 文号 with another title.\n'
                'Usually a slip or an old number; written as the library has it, readers find the one document.',
         fix_zh='按文件库的写法改为该文件登记的名称和文号。', fix_en='write the title and number as the library has them.'),
    Code("GK715", "basis-unknown", "warning",
         "公开依据“{value}”不在文件库中{suggestion}", "legal basis '{value}' is not in the document library{suggestion_en}",
         "核对名称;确为有效文件时把它登记到 catalogs/registry/documents.yaml。",
         "check the title; if it is a valid document, add it to catalogs/registry/documents.yaml.",
         doc_zh='公开依据在文件库中找不到对应的文件。\n'
                '文件库不可能一次收全,因此只是警告;gkml basis --unknown 按名称汇总这些引用,便于逐步登记到零。',
         doc_en='A legal basis resolves to no document of the library.\n'
                'The library is never complete, so this is a warning; `gkml basis --unknown` groups these citations by '
                'title so a province can drive them to zero.'),
    Code("GK716", "basis-type-tag", "warning",
         "公开依据“{value}”标注为【{tag}】,文件库记载的类型是{type}",
         "legal basis '{value}' is tagged 【{tag}】 but the library records it as {type}",
         "把标注改为【{type}】,或删除标注。", "change the tag to 【{type}】, or remove it.",
         doc_zh='公开依据的类型标注(如【行政法规】)与文件库记载的文件类型不符。',
         doc_en='A legal basis carries a type tag (such as 【行政法规】) that contradicts the type the library records.',
         fix_zh='把标注改为【文件库记载的类型】,或删除标注。', fix_en="change the tag to 【the library's type】, or remove it."),
]
