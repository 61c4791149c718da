"""Header labels of real catalog tables and what each column means (pure lookups)."""
from __future__ import annotations

import re

from .. import fields, vocabulary
from .text import label_key

# Field titles as the official table names them (used in the review report and raw keys). A
# record's column keeps its header text as its label.
TITLES = {"seq": "序号", **{f.key: f.title for f in fields.ITEM if f.kind != fields.RECORD}}

# Top header label (reduced by label_key) → role: a field's key (its labels in compiler/fields.py),
# or a role of the layout. Groups: "matter*" (公开事项 over 一级/二级/三级), "extra*" (附加信息),
# "audience", "method", "levels" (tick sub-columns, or one text column when undivided).
_TOP = {label_key(label): f.key for f in fields.ITEM for label in fields.header_labels(f)}
_TOP.update({label_key(k): v for k, v in {
    "序号": "seq", "编号": "seq", "序": "seq", "seq": "seq",
    "公开事项": "matter*", "公开事项名称": "matter*", "事项名称": "matter*", "事项": "matter*", "公开事项目录": "matter*",
    "附加信息": "extra*", "其他信息": "extra*", "扩展信息": "extra*", "补充信息": "extra*",
}.items()})

_MATTER_SUB = {label_key(k): v for k, v in {"一级事项": "matter", "二级事项": "sub_matter", "三级事项": "third_matter",
                                            "一级": "matter", "二级": "sub_matter", "三级": "third_matter",
                                            "事项名称": "matter", "子项": "sub_matter"}.items()}

# Extra spellings of level columns in real tables (beyond the schema's synonyms).
_LEVEL_EXTRA = {"乡镇(街道)": "乡级", "乡镇(街道)级": "乡级", "乡(镇、街道)": "乡级", "乡(镇、街道)级": "乡级",
                "村(社区)": "村级", "村(社区)级": "村级", "县(市、区)": "县级", "县(市、区)级": "县级",
                "县(区)级": "县级", "县(区)": "县级", "市(州)级": "市级", "市(州)": "市级", "镇": "乡级", "街道级": "乡级",
                "乡镇街道": "乡级", "县区级": "县级", "镇(街道)": "乡级", "镇(街道)级": "乡级", "镇街": "乡级",
                "区县级": "县级"}


def top_role(text: str | None) -> str | None:
    """Role of a top header label, or None when unknown."""
    return _TOP.get(label_key(text))


def matter_sub(text: str | None) -> str | None:
    """Field of a sub-column under 公开事项 (一级事项 → matter), or None."""
    return _MATTER_SUB.get(label_key(text))


def _vocab_value(name: str, text: str | None) -> str | None:
    vocab = vocabulary.get(name)
    key = label_key(text)
    if key in vocab.canonical:
        return key
    if key in vocab.synonyms:
        return vocab.synonyms[key]
    for word in vocab.canonical:  # "主动公开" style spellings beyond the synonym list
        if key in (word + "公开",):
            return word
    return None


def audience_value(text: str | None) -> str | None:
    """全社会 / 特定群体 for a label or value such as 特定群众, else None."""
    return _vocab_value("audience", text)


def method_value(text: str | None) -> str | None:
    """主动 / 依申请 for a label or value such as 依申请公开, else None."""
    return _vocab_value("method", text)


def level_values(text: str | None) -> tuple[str, ...] | None:
    """Canonical levels a level label or value names (乡、村级 → 乡级, 村级; 镇街级 → 乡级), else None."""
    key = label_key(text)
    if not key:
        return None
    single = _one_level(key)
    if single:
        return (single,)
    parts = [p for p in re.split(r"[、,,/;;和及与]", key) if p]
    if len(parts) < 2:
        return None
    # 乡、村级: the suffix 级 is written once for all parts
    suffix = "级" if parts[-1].endswith("级") else ""
    found: list[str] = []
    for part in parts:
        level = _one_level(part) or (_one_level(part + suffix) if suffix and not part.endswith("级") else None)
        if level is None:
            return None
        if level not in found:
            found.append(level)
    order = vocabulary.get("level").canonical
    return tuple(sorted(found, key=order.index))


def _one_level(key: str) -> str | None:
    vocab = vocabulary.get("level")
    if key in vocab.canonical:
        return key
    if key in vocab.synonyms:
        return vocab.synonyms[key]
    return _LEVEL_EXTRA.get(key)


def sub_role(text: str | None) -> tuple[str, tuple[str, ...]] | None:
    """A tick sub-column label: (field, values it ticks), e.g. 特定群众 → ("audience", ("特定群体",))."""
    value = audience_value(text)
    if value:
        return "audience", (value,)
    value = method_value(text)
    if value:
        return "method", (value,)
    levels = level_values(text)
    if levels:
        return "levels", levels
    return None


def is_label(text: str | None) -> bool:
    """True when text is a known header label (top or sub, a channel sub-column included)."""
    from .channels import channel_label
    return bool(text) and (top_role(text) is not None or matter_sub(text) is not None or sub_role(text) is not None
                           or channel_label(text) is not None)


# Header cells that say a table of matters starts here: a matter column and an element column.
MATTER_ROLES = {"matter*", "matter", "sub_matter"}
ELEMENT_ROLES = {"content", "basis", "time_limit", "responsible_unit", "channels"}

# Catalog-level keys of a key/value sheet (目录信息) as written by gkml export or by hand.
META_KEYS = {label_key(label): f.key for f in fields.CATALOG for label in (f.key, f.title, *f.labels)}
META_SHEETS = {label_key(k) for k in ("目录信息", "gkml", "_gkml", "元数据")}
# key:value pairs in a title line such as 编制单位:砀山县民政局  版本:2024.1  生效日期:2024-04-01  层级:县级
TITLE_KEYS = {label: f.key for f in fields.CATALOG for label in f.line_labels}
