"""The field table: every catalog header field and item field, and what each layer needs to know of it.

One row per field, in the order of docs/format.md (the order YAML, JSON and the importer write
keys in). The model, the JSON and Excel builders, the importer, `gkml init` and the cache read
these rows; schema/catalog.schema.json says the same in its own terms, and tests/test_fields.py
fails when the two disagree. Adding an optional text field is one row here, one property in the
schema, and one test.
"""
from __future__ import annotations

from dataclasses import dataclass

# Kinds of value (the schema's type, enum, pattern or $ref says the same; tests/test_fields.py compares).
TEXT = "text"              # free text
DATE = "date"              # YYYY-MM-DD
VOCABULARY = "vocabulary"  # a value of a controlled list of the schema (Field.vocabulary names it)
ID = "id"                  # the item's own stable id
REFERENCE = "reference"    # the id of another entry: an upper item (implements), a registry entry (requirements)
CODE = "code"              # a code of fixed form: a region code (GB/T 2260), a catalog level (county …)
FLAG = "flag"              # true or false
RECORD = "record"          # a mapping gkml import writes (source, raw); a JSON text in a workbook cell
KINDS = (TEXT, DATE, VOCABULARY, ID, REFERENCE, CODE, FLAG, RECORD)


@dataclass(frozen=True, slots=True)
class Sheet:
    """Where a field sits in gkml's workbooks (builders/excel.py, read back by importers/headers.py)."""

    heading: str            # the column's header text (the lower row when under a group)
    width: float = 14       # column width in characters
    group: str = ""         # upper header over several fields' columns (公开事项); "" when heading spans both rows
    ticks: bool = False     # one √ sub-column per vocabulary value under the heading
    sparse: bool = False    # the column appears only when some item of the catalog fills the field
    extra: int = 0          # position among the 附加信息 columns; 0 for a column of the official template


@dataclass(frozen=True, slots=True)
class Field:
    """One field of the format: its key, Chinese title, kind and every layer's view of it."""

    key: str                         # YAML key
    title: str                       # Chinese title, as the importer names the column in its notes and raw keys
    kind: str                        # one of KINDS
    many: bool = False               # a list of values of that kind
    required: bool = False           # the schema requires it
    vocabulary: str = ""             # VOCABULARY: the vocabulary's name (compiler.vocabulary.get)
    model: bool = False              # the model carries it as an attribute (Item.key / Catalog.key); else read from .data
    local: bool = False              # file-local text no project rule reads: the cache's semantic digest ignores it
    lines: bool = False              # its text keeps line breaks (the importer does not join wrapped lines)
    claim: bool = False              # `gkml init` copies it from the upper item into the claimed one
    sheet: Sheet | None = None       # its own column in gkml's workbooks (None: none of its own)
    labels: tuple[str, ...] = ()     # more header labels the importer recognises (see header_labels)
    line_labels: tuple[str, ...] = ()  # catalog fields: labels before a colon in a title line (编制单位:…)
    json_key: str = ""               # its key in gkml's JSON data, when not the YAML key

    @property
    def json(self) -> str:
        """The field's key in gkml's JSON data."""
        return self.json_key or self.key


def header_labels(field: Field) -> tuple[str, ...]:
    """Every header label the importer reads as this field: title, workbook heading, key, further labels.

    A record's column holds gkml's own JSON, so only gkml's heading (and its further labels) mark it."""
    heading = (field.sheet.heading,) if field.sheet else ()
    found = (*heading, *field.labels) if field.kind == RECORD else (field.title, *heading, field.key, *field.labels)
    return tuple(dict.fromkeys(found))


CATALOG = (
    Field("region", "地区代码", CODE, required=True, model=True, labels=("行政区划代码", "地区"),
          line_labels=("地区代码",)),
    Field("level", "目录层级", CODE, required=True, model=True, labels=("层级",), line_labels=("层级",)),
    Field("area", "重点领域", TEXT, required=True, model=True, labels=("领域",), json_key="area_as_written"),
    Field("department", "编制单位", TEXT, required=True, model=True, line_labels=("编制单位", "填报单位", "责任单位")),
    Field("version", "版本", TEXT, required=True, model=True, line_labels=("版本", "版本号")),
    # the metadata block of a published document (seed 002): 成文日期, 发布日期, 发布机构
    Field("written", "成文日期", DATE, labels=("成文时间",), line_labels=("成文日期",)),
    Field("published", "发布日期", DATE, labels=("发布时间",), line_labels=("发布日期", "发布时间")),
    Field("publisher", "发布机构", TEXT, line_labels=("发布机构",)),
    Field("effective", "生效时间", DATE, model=True, labels=("生效日期",), line_labels=("生效日期", "生效时间")),
    Field("expires", "废止时间", DATE, model=True, labels=("废止日期",), line_labels=("废止日期", "废止时间")),
    # repealed before it ran out, by a decision (compiler/validity.py): the day it stops, and why
    Field("repealed", "提前废止日期", DATE, model=True, line_labels=("提前废止日期",)),
    Field("repeal_reason", "废止理由", TEXT, model=True, line_labels=("废止理由",)),
    Field("standard", "是否为标准目录", FLAG, model=True, labels=("标准目录",)),
    Field("notes", "备注", TEXT, lines=True),
    # the declared changes (增加/取消/变更, docs/history.md): read by compiler/history, not by the model
    Field("changes", "调整记录", RECORD, many=True, labels=("更新记录", "目录调整记录")),
)
ITEMS_KEY = "items"   # the catalog's list of items (schema: items → $defs/item), after every header field
SECTIONS_KEY = "areas"   # instead of area and items: one section (area, items) per key area (schema: $defs/section)

_MATTER = "公开事项"
ITEM = (
    Field("id", "事项编号", ID, required=True, model=True, sheet=Sheet("事项编号", extra=1)),
    Field("matter", "一级事项", TEXT, required=True, model=True, claim=True,
          sheet=Sheet("一级事项", 12, group=_MATTER)),
    Field("sub_matter", "二级事项", TEXT, model=True, claim=True, sheet=Sheet("二级事项", 12, group=_MATTER)),
    Field("third_matter", "三级事项", TEXT, model=True, claim=True,
          sheet=Sheet("三级事项", 12, group=_MATTER, sparse=True)),
    Field("content", "公开内容(要素)", TEXT, required=True, model=True, local=True, lines=True, claim=True,
          sheet=Sheet("公开内容(要素)", 30),
          labels=("公开内容", "公开要素", "公开内容要素", "内容", "公开内容及要素", "公开的具体内容")),
    Field("basis", "公开依据", TEXT, many=True, required=True, model=True, claim=True, sheet=Sheet("公开依据", 30),
          labels=("依据", "公开依据(法律法规及规范性文件)")),
    Field("time_limit", "公开时限", TEXT, required=True, model=True, claim=True, sheet=Sheet("公开时限"),
          labels=("时限", "公开时间")),
    Field("responsible_unit", "公开主体", TEXT, required=True, model=True, sheet=Sheet("公开主体"),
          labels=("责任部门", "责任单位", "公开责任主体", "责任主体", "公开责任部门", "公开责任单位", "公开部门",
                  "公开单位")),
    Field("co_units", "协同公开单位", TEXT, many=True, model=True, sheet=Sheet("协办单位", extra=10),
          labels=("协同单位", "配合单位", "配合部门")),
    Field("channels", "公开渠道和载体", VOCABULARY, many=True, required=True, vocabulary="channel", model=True,
          claim=True, sheet=Sheet("公开渠道和载体", 18),
          labels=("公开渠道及载体", "公开渠道", "公开载体", "公开渠道和载体(■)", "公开渠道与载体")),
    # written in the channels column, marked □
    Field("optional_channels", "可选公开渠道(□)", VOCABULARY, many=True, vocabulary="channel", model=True,
          claim=True, labels=("可选公开渠道",)),
    Field("audience", "公开对象", VOCABULARY, required=True, vocabulary="audience", model=True, claim=True,
          sheet=Sheet("公开对象", ticks=True)),
    Field("method", "公开方式", VOCABULARY, required=True, vocabulary="method", model=True, claim=True,
          sheet=Sheet("公开方式", ticks=True)),
    Field("levels", "公开层级", VOCABULARY, many=True, vocabulary="level", model=True, sheet=Sheet("公开层级", ticks=True)),
    Field("implements", "落实的上级事项", REFERENCE, model=True, sheet=Sheet("上级事项编号", extra=2),
          labels=("落实上级事项",)),
    Field("requirements", "对应的法定公开要求", REFERENCE, many=True, model=True, sheet=Sheet("法定要求", extra=3),
          labels=("法定公开要求",)),
    Field("stage", "过程", VOCABULARY, vocabulary="stage", local=True, claim=True, sheet=Sheet("过程", extra=4),
          labels=("公开过程", "所属过程")),
    Field("link", "公开链接", TEXT, local=True, sheet=Sheet("公开链接", 24, extra=5), labels=("链接", "链接地址", "网址")),
    Field("column", "网站所属栏目", TEXT, local=True, claim=True, sheet=Sheet("网站所属栏目", 24, extra=6),
          labels=("所属栏目", "网站栏目", "公开栏目")),
    Field("duration", "公开时长", TEXT, local=True, claim=True, sheet=Sheet("公开时长", extra=7)),
    Field("scope", "公开范围", TEXT, local=True, sheet=Sheet("公开范围", extra=8)),
    Field("notes", "备注", TEXT, local=True, lines=True, sheet=Sheet("备注", extra=9), labels=("说明",)),
    Field("source", "导入来源", RECORD, local=True, sheet=Sheet("导入来源", 24, extra=11)),
    Field("raw", "原始单元格", RECORD, local=True, sheet=Sheet("原始文本", 24, extra=12)),
)

# Lookups derived from the rows (read once, at import).
CATALOG_BY_KEY = {f.key: f for f in CATALOG}
ITEM_BY_KEY = {f.key: f for f in ITEM}
CATALOG_KEYS = tuple(f.key for f in CATALOG)
ITEM_KEYS = tuple(f.key for f in ITEM)
MODEL_CATALOG_KEYS = tuple(f.key for f in CATALOG if f.model)   # Catalog's attributes, in its constructor's order
MODEL_ITEM_KEYS = tuple(f.key for f in ITEM if f.model)         # Item's attributes after catalog and index
LOCAL_ITEM_KEYS = frozenset(f.key for f in ITEM if f.local)
RECORD_ITEM_KEYS = frozenset(f.key for f in ITEM if f.kind == RECORD)
LIST_ITEM_KEYS = frozenset(f.key for f in ITEM if f.many)
OFFICIAL_COLUMNS = tuple(f for f in ITEM if f.sheet is not None and not f.sheet.extra)   # template order
EXTRA_COLUMNS = tuple(sorted((f for f in ITEM if f.sheet is not None and f.sheet.extra), key=lambda f: f.sheet.extra))
