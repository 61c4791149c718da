"""Schema validation: a fast yes/no pass, then detailed errors turned into gkml diagnostics.

jsonschema-rs answers "valid?" ~80× faster than jsonschema (measured: 0.03 s vs 2.4 s for 21k
matters), so clean files never pay for the Python validator; files that fail are re-validated
with jsonschema to get every error with its path, which is converted here and never leaks out.
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache

from . import resources
from .diagnostics import Diagnostic, make
from .loader import Parsed
from .normalize import fold, split_list

try:  # optional accelerator; results are identical without it
    import jsonschema_rs
except ImportError:  # pragma: no cover - exercised when the wheel is unavailable
    jsonschema_rs = None

PRODUCES = ("GK201", "GK202", "GK203", "GK204", "GK205", "GK206", "GK207", "GK208")

# Schema findings reported per file at most: beyond this the file is wrong everywhere (a table
# pasted in the wrong shape), and a million findings would take minutes to compute and to read.
MAX_FINDINGS = 200

_TYPE_ZH = {"string": "文字", "array": "列表", "object": "键值映射", "integer": "整数", "number": "数字",
            "boolean": "true 或 false", "null": "空值"}
_TYPE_EN = {"string": "text", "array": "a list", "object": "a mapping", "integer": "an integer",
            "number": "a number", "boolean": "true or false", "null": "empty"}

_FORMAT_FIX = {
    "id": ("编号只能包含字母、数字、点、下划线和连字符,且以字母或数字开头,如 341321-sa-001。",
           "use letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. 341321-sa-001."),
    "implements": ("写上级事项的编号,如 341300-sa-001。", "write the id of the upper item, e.g. 341300-sa-001."),
    "region": ("写 6 位行政区划代码(乡镇为 9 或 12 位),如 \"341321\"。", "write the 6-digit division code (9 or 12 for a township), e.g. \"341321\"."),
    "code": ("写 6 位行政区划代码(乡镇为 9 或 12 位),如 \"341321\"。", "write the 6-digit division code (9 or 12 for a township), e.g. \"341321\"."),
    "parent": ("写上级地区的 6 位代码。", "write the parent region's 6-digit code."),
    "effective": ("日期写作 YYYY-MM-DD,并加引号,如 \"2024-03-01\"。", "write the date as \"YYYY-MM-DD\"."),
    "expires": ("日期写作 YYYY-MM-DD,并加引号,如 \"2024-03-01\"。", "write the date as \"YYYY-MM-DD\"."),
    "repealed": ("日期写作 YYYY-MM-DD,并加引号,如 \"2024-03-01\"。", "write the date as \"YYYY-MM-DD\"."),
    "until": ("日期写作 YYYY-MM-DD,并加引号。", "write the date as \"YYYY-MM-DD\"."),
    "slug": ("只用小写字母、数字和连字符,如 social-assistance。", "use lowercase letters, digits and '-', e.g. social-assistance."),
}


@lru_cache(maxsize=None)
def _fast(kind: str):
    # formats on: a date must be a real calendar day (2024-02-30 matches the pattern, not the calendar)
    return jsonschema_rs.validator_for(resources.schema(kind), validate_formats=True) if jsonschema_rs is not None else None


@lru_cache(maxsize=None)
def _slow(kind: str):
    import jsonschema  # imported only when a file fails the fast pass: it costs ~70 ms at start-up
    return jsonschema.Draft202012Validator(resources.schema(kind), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


@lru_cache(maxsize=None)
def _titles(kind: str) -> dict[str, str]:
    """key -> Chinese title, from every properties block of the schema."""
    titles: dict[str, str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, sub in (node.get("properties") or {}).items():
                if isinstance(sub, dict):
                    title = sub.get("title")
                    if title is None and "$ref" in sub:
                        title = _resolve_ref(kind, sub["$ref"]).get("title")
                    titles.setdefault(key, title or key)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(resources.schema(kind))
    return titles


def _resolve_ref(kind: str, ref: str) -> dict:
    node: object = resources.schema(kind)
    for part in ref.lstrip("#/").split("/"):
        node = node[part]  # type: ignore[index]
    return node  # type: ignore[return-value]


def title(kind: str, key: str) -> str:
    """Chinese title of a key, for messages."""
    return _titles(kind).get(key, key)


def _nonblank(kind: str) -> str | None:
    """The schema's pattern for text that must show something ($defs/nonblank)."""
    return resources.schema(kind).get("$defs", {}).get("nonblank", {}).get("pattern")


_DATE_FIX = ("“{value}”不是真实的日期(月份为 01–12,日不超过该月的天数),请核对后写作 YYYY-MM-DD,如 \"2024-03-01\"。",
             "'{value}' is not a real calendar date (month 01-12, day within the month); write \"YYYY-MM-DD\", e.g. \"2024-03-01\".")


def _key_of(path: tuple) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return ""


def _item_id(data: object, path: tuple) -> str | None:
    if len(path) >= 4 and path[0] == "areas" and isinstance(path[1], int) and isinstance(data, dict):
        sections = data.get("areas")   # a file of sections: the item is in its section's items
        if isinstance(sections, list) and path[1] < len(sections):
            return _item_id(sections[path[1]], path[2:])
        return None
    if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int) and isinstance(data, dict):
        items = data.get("items")
        if isinstance(items, list) and path[1] < len(items) and isinstance(items[path[1]], dict):
            value = items[path[1]].get("id")
            return value if isinstance(value, str) else None
    return None


def _typename(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def suggest(value: str, choices: list[str], cutoff: float = 0.6) -> str | None:
    """The closest choice to value (compared in folded form: width, traditional characters), or None."""
    if not isinstance(value, str) or not value:
        return None
    value = fold(value)  # 主動 and （电子屏） are 主动 and (电子屏) written another way
    if value in choices:
        return value
    found = difflib.get_close_matches(value, choices, n=1, cutoff=cutoff)
    if found:
        return found[0]
    contained = [c for c in choices if value in c or (len(c) >= 2 and c in value)]
    return contained[0] if len(contained) == 1 else None


def _vocab_node(schema: dict) -> dict | None:
    if "x-gkml-vocabulary" in schema:
        return schema
    for sub in schema.get("anyOf", ()):
        if isinstance(sub, dict) and "x-gkml-vocabulary" in sub:
            return sub
    return None


def validate(parsed: Parsed, kind: str) -> list[Diagnostic]:
    """All schema findings for one parsed file (empty when valid)."""
    data = parsed.data
    fast = _fast(kind)
    if fast is not None and fast.is_valid(data):
        return []
    slow = _slow(kind)
    out: list[Diagnostic] = []
    mappings: dict[tuple, list[dict]] = {}  # mapping path -> its schemas, for required/additionalProperties
    shaped: set[tuple] = set()              # paths failing a pattern: their format error is the same problem
    formats: list = []
    for error in slow.iter_errors(data):
        if len(out) + len(mappings) > MAX_FINDINGS:
            break  # a file that is wrong everywhere: its first findings say what to fix
        path = tuple(error.absolute_path)
        if error.validator in ("required", "additionalProperties"):
            # one mapping may fail two schemas' required (a file of sections: catalog.schema.json's if/else)
            mappings.setdefault(path, []).append(error.schema)
            continue
        if error.validator == "pattern":
            shaped.add(path)
        elif error.validator == "format":
            formats.append((error, path))   # 2024/03/01 fails both: one finding, the shape's
            continue
        out.extend(_convert(error, path, parsed, kind))
    for error, path in formats:
        if path not in shaped:
            out.extend(_convert(error, path, parsed, kind))
    for path, schemas in mappings.items():
        for schema in schemas:
            out.extend(_keys(path, schema, parsed, kind, MAX_FINDINGS + 1 - len(out)))
    if len(out) > MAX_FINDINGS:
        out.sort(key=lambda d: (d.line, d.column))
        del out[MAX_FINDINGS:]
        out.append(make("GK208", parsed.file, (0, 0), limit=MAX_FINDINGS))
    return out


def drop_empty(parsed: Parsed, diagnostics: list[Diagnostic]) -> None:
    """Make the values found empty or blank (GK206) absent, so the rules see a missing element once."""
    # a blank matter or unit would otherwise be a duplicate of the next blank one (GK501), an
    # unregistered unit (GK404), an unknown requirement (GK701): consequences of one error
    for d in diagnostics:
        if d.code != "GK206" or not d.path:
            continue
        parts = [p.replace("~1", "/").replace("~0", "~") for p in d.path.split("/")[1:]]
        node = parsed.data
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node.get(part) if isinstance(node, dict) else None
        last = parts[-1]
        if isinstance(node, dict) and last in node:
            node[last] = None
        elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
            node[int(last)] = None


def _keys(path: tuple, schema: dict, parsed: Parsed, kind: str, limit: int = MAX_FINDINGS + 1) -> list[Diagnostic]:
    """Missing and unknown keys of one mapping (at most limit), a typo reported once as did-you-mean."""
    instance = parsed.data
    for part in path:
        instance = instance[part]  # type: ignore[index]
    assert isinstance(instance, dict)
    allowed = list(schema.get("properties", {}))
    missing = [k for k in schema.get("required", ()) if k not in instance]
    extras = [k for k in instance if k not in allowed] if schema.get("additionalProperties") is False else []
    item = _item_id(parsed.data, path)
    out = []
    file = parsed.file
    for key in extras:
        if len(out) >= limit:
            return out
        guess = suggest(key, missing, 0.6) or suggest(key, [k for k in allowed if k not in instance], 0.75)
        if guess in missing:
            missing.remove(guess)
        if guess:
            out.append(make("GK202", file, parsed.mark(path + (key,), key=True), path + (key,), item, key=key,
                            suggestion=f",是不是“{guess}”({title(kind, guess)})?",
                            suggestion_en=f", did you mean '{guess}'?",
                            fix=f"把“{key}”改为“{guess}”。", fix_en=f"rename '{key}' to '{guess}'."))
        else:
            out.append(make("GK202", file, parsed.mark(path + (key,), key=True), path + (key,), item, key=key,
                            suggestion="", suggestion_en="",
                            fix="删除这个键,或对照 gkml schema 改为正确的键名。可用的键:" + "、".join(allowed),
                            fix_en="remove it, or use a key listed by `gkml schema`: " + ", ".join(allowed)))
    for key in missing[: max(limit - len(out), 0)]:
        out.append(make("GK201", file, parsed.mark(path), path + (key,), item, key=key,
                        title=title(kind, key), title_en=key))
    return out


# a value that can stand unquoted in a flow list (no indicator first, no , [ ] { } # : inside)
_PLAIN_FLOW = re.compile(r"[^\s,\[\]{}#&*!|>'\"%@`:?-][^,\[\]{}#:]*")


def _as_list(value: object, schema: dict, kind: str) -> str:
    """A text that should have been a list, as the YAML list its author meant: split at 、,,;; and
    the like, vocabulary synonyms in their canonical form (政府网站、行政服务中心 -> [政府网站, 政务服务中心])."""
    parts = split_list(str(value)) or [str(value)]
    items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
    vocab = None
    if "$ref" in items and items["$ref"].startswith("#/$defs/"):
        vocab = _vocab_node(_resolve_ref(kind, items["$ref"]))
    if vocab is not None:
        parts = [vocab["x-gkml-synonyms"].get(p, p) for p in parts]
    shown = [p if _PLAIN_FLOW.fullmatch(p) and p == p.strip() and not p.endswith(":") else json.dumps(p, ensure_ascii=False)
             for p in parts]
    return "[" + ", ".join(shown) + "]"


def _convert(error, path: tuple, parsed: Parsed, kind: str) -> list[Diagnostic]:
    file = parsed.file
    item = _item_id(parsed.data, path)
    key = _key_of(path)
    mark = parsed.mark(path)
    value = error.instance
    validator = error.validator
    message = error.schema.get("x-gkml-message") if isinstance(error.schema, dict) else None
    if message and isinstance(value, dict):
        # a rule the schema states as `not` (area/items beside areas:): its own words, at the first key it names
        names = [k for k in value if k in str(error.schema.get("not", ""))]
        at = path + (names[0],) if names else path
        return [make("GK207", file, parsed.mark(at, key=True), at, item, key=names[0] if names else "(顶层)",
                     key_en=names[0] if names else "(top level)", detail=message[0], detail_en=message[1])]
    vocab = _vocab_node(error.schema) if isinstance(error.schema, dict) else None
    if vocab is not None and (validator in ("enum", "anyOf")) and isinstance(value, str):
        choices = list(vocab["x-gkml-canonical"])
        pool = choices + list(vocab["x-gkml-synonyms"])
        guess = suggest(value, pool)
        if guess in vocab["x-gkml-synonyms"]:
            guess = vocab["x-gkml-synonyms"][guess]
        extra = "(也可写“其他:说明”)" if vocab["x-gkml-vocabulary"] == "channel" else ""
        return [make("GK204", file, mark, path, item, value=value, title=vocab["title"], title_en=vocab["x-gkml-vocabulary"],
                     suggestion=f",是不是“{guess}”?" if guess else "",
                     suggestion_en=f", did you mean '{guess}'?" if guess else "",
                     choices="、".join(choices) + extra)]
    if validator == "enum" and isinstance(value, str):
        choices = [str(c) for c in error.validator_value]
        guess = suggest(value, choices)
        return [make("GK204", file, mark, path, item, value=value, title=title(kind, key), title_en=key,
                     suggestion=f",是不是“{guess}”?" if guess else "", suggestion_en=f", did you mean '{guess}'?" if guess else "",
                     choices="、".join(choices))]
    if validator == "type" or (validator in ("anyOf", "enum") and not isinstance(value, str)):
        expected = error.validator_value if validator == "type" else "string"
        expected = expected if isinstance(expected, list) else [expected]
        found = _typename(value)
        if found == "null":
            return [make("GK206", file, mark, path, item, key=key, title=title(kind, key), title_en=key)]
        zh = "或".join(_TYPE_ZH.get(t, t) for t in expected)
        en = " or ".join(_TYPE_EN.get(t, t) for t in expected)
        if "array" in expected and found in ("string", "integer", "number"):
            listed = _as_list(value, error.schema, kind)
            fix, fix_en = f"写成列表:{key}: {listed},或每行一个“- 值”。", f"write a list: {key}: {listed}, or one '- value' per line."
        elif "array" in expected and found == "object":
            fix, fix_en = "写成列表:在每一项的第一个键前加“- ”。", "write a list: put '- ' before the first key of each entry."
        elif "string" in expected and found in ("array", "object"):
            fix, fix_en = "这里只能写一个值;多个值请合并成一段文字。", "only one value fits here; join several into one text."
        elif "object" in expected and found == "array":
            fix, fix_en = "去掉开头的“- ”,写成“键: 值”。", "remove the leading '- ' and write 'key: value' pairs."
        elif "object" in expected:
            fix, fix_en = "这里应写若干“键: 值”。", "write 'key: value' pairs here."
        elif "string" in expected and found == "integer":   # a code such as 341321 or a credit code
            fix, fix_en = f"加引号写成文字:{key}: \"{value}\"。", f"quote it as text: {key}: \"{value}\"."
        elif "string" in expected and found == "number":    # its written form is already lost (GK112)
            fix, fix_en = "加引号写成文字,照原样写出每一位。", "quote it as text, every digit as written."
        else:
            fix, fix_en = f"改为{zh}。", f"write {en}."
        # an element of a list is named by its place: "items 第 2 项", the second item
        label, label_en = key or "(顶层)", key or "(top level)"
        if path and isinstance(path[-1], int) and key:
            label, label_en = f"{key} 第 {path[-1] + 1} 项", f"{key} entry {path[-1] + 1}"
        return [make("GK203", file, mark, path, item, key=label, key_en=label_en, expected=zh, expected_en=en,
                     found=_TYPE_ZH.get(found, found), found_en=_TYPE_EN.get(found, found), fix=fix, fix_en=fix_en)]
    if validator == "pattern" and error.validator_value == _nonblank(kind):
        # only spaces or invisible characters: the element is as missing as an empty one
        return [make("GK206", file, mark, path, item, key=key or "(顶层)", title=title(kind, key) if key else "文件", title_en=key or "file")]
    if validator == "format" and error.validator_value == "date":
        fix, fix_en = (text.format(value=value) for text in _DATE_FIX)
        return [make("GK205", file, mark, path, item, key=key, value=value, fix=fix, fix_en=fix_en)]
    if validator == "pattern":
        fix, fix_en = _FORMAT_FIX.get(key, ("对照 gkml schema 修改格式。", "see `gkml schema` for the format."))
        return [make("GK205", file, mark, path, item, key=key, value=value, fix=fix, fix_en=fix_en)]
    if validator == "minimum":   # a weight of gkml.yaml's assess: below 0
        fix, fix_en = f"应为不小于 {error.validator_value} 的数。", f"write a number of at least {error.validator_value}."
        return [make("GK205", file, mark, path, item, key=key, value=value, fix=fix, fix_en=fix_en)]
    if validator in ("minItems", "minLength", "minProperties"):
        return [make("GK206", file, mark, path, item, key=key or "(顶层)", title=title(kind, key) if key else "文件", title_en=key or "file")]
    return [make("GK207", file, mark, path, item, key=key or "(顶层)", key_en=key or "(top level)",
                 detail=_detail(validator, error.validator_value),
                 detail_en=error.message)]


# GK207's Chinese words for the keywords without a tailored finding (the English is jsonschema's own)
_DETAIL = {"maxLength": "最多 {} 个字符", "maxItems": "最多 {} 项", "maxProperties": "最多 {} 个键",
           "maximum": "不大于 {}", "exclusiveMaximum": "小于 {}", "exclusiveMinimum": "大于 {}", "multipleOf": "应为 {} 的倍数",
           "const": "只能是 {}", "format": "应为 {} 格式", "uniqueItems": "列表中的值不能重复", "oneOf": "应恰好符合一种写法",
           "not": "不能是这种写法", "contains": "列表中缺少应有的值", "propertyNames": "键名不符合要求",
           "dependentRequired": "缺少与之配套的键", "minContains": "列表中应有的值太少", "maxContains": "列表中应有的值太多"}


def _detail(validator: str, value: object) -> str:
    """What a schema keyword requires, in Chinese (its value shown as YAML would write it)."""
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return _DETAIL.get(validator, "不满足模式规则“{}”".format(validator) + "({})").format(shown)
