"""Bytes → plain Python objects plus a positions table, with every problem as a diagnostic.

Why libyaml events: measured on this kind of machine, building plain objects from PyYAML's C
parser events costs ~1.2× the bare parse, against ~2.3× for CSafeLoader and ~10× for the
ruamel.yaml round-trip loader; and it lets us keep a position for every key and value.
Only the YAML 1.2 core schema is resolved (no yes/no booleans, no dates, no custom tags).
"""
from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field

import yaml
from yaml import _yaml  # PyYAML's libyaml binding (C parser)

from .diagnostics import Diagnostic, make
from .limits import MAX_BYTES, MAX_DEPTH, MAX_NODES  # one home for the size limits, shared with the importer

# Codes this module reports; GK111 (a file that cannot be read) is made by its caller,
# pipeline.read_and_check, which reads the bytes this module parses.
PRODUCES = ("GK101", "GK102", "GK103", "GK104", "GK105", "GK106", "GK107", "GK108", "GK109", "GK110", "GK111",
            "GK112")

_BOM = b"\xef\xbb\xbf"   # UTF-8's, accepted (and skipped)
_COL_BITS = 20
_COL_MASK = (1 << _COL_BITS) - 1

# Positions: path tuple of a collection -> (packed start, rec); rec is {key: (packed key,
# packed value)} for a mapping and [packed value, ...] for a sequence. Packed = line<<20|column,
# both 0-based; diagnostics.make is the one place they become 1-based.
Positions = dict


def unpack(packed: int) -> tuple[int, int]:
    """0-based (line, column) of a packed mark."""
    return packed >> _COL_BITS, packed & _COL_MASK


def locate(positions: Positions, path: tuple, key: bool = False) -> tuple[int, int]:
    """0-based mark of the value (or key) at path; a missing path gives its nearest parent's start."""
    for n in range(len(path), 0, -1):
        entry = positions.get(path[: n - 1])
        if entry is None:
            continue
        rec = entry[1]
        last = path[n - 1]
        try:
            found = rec[last]
        except (KeyError, IndexError, TypeError):
            return unpack(entry[0])
        if type(rec) is dict:
            return unpack(found[0] if (key and n == len(path)) else found[1])
        return unpack(found)
    entry = positions.get(())
    return unpack(entry[0]) if entry else (0, 0)


@dataclass(slots=True)
class Parsed:
    """The result of parsing one file: data (None when unusable), positions, diagnostics."""

    file: str
    data: object = None
    positions: Positions = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def mark(self, path: tuple, key: bool = False) -> tuple[int, int]:
        return locate(self.positions, path, key)


# How a plain (unquoted, untagged) scalar resolves: YAML 1.2 core schema words and numbers. Public:
# the importer's YAML writer (importers/yamlout.py) quotes any text these would turn into a non-string.
NULL_WORDS = {"", "~", "null", "Null", "NULL"}
BOOL_WORDS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
INT_PATTERN = re.compile(r"[-+]?[0-9]+$")
FLOAT_PATTERN = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_STR_TAGS = {None, "!", "tag:yaml.org,2002:str"}
_OK_TAGS = _STR_TAGS | {"tag:yaml.org,2002:" + t for t in ("int", "float", "bool", "null", "map", "seq")}
# what a scalar tagged !!int, !!float, !!bool or !!null must be, in the words a message uses
_TAG_KINDS = {"tag:yaml.org,2002:int": ("整数", "an integer"), "tag:yaml.org,2002:float": ("数字", "a number"),
              "tag:yaml.org,2002:bool": ("true 或 false", "true or false"),
              "tag:yaml.org,2002:null": ("空值", "null")}


def _resolve(event) -> object:
    value = event.value
    if event.style or not event.implicit[0]:  # quoted, or tagged !: always text
        return value
    if value in NULL_WORDS:
        return None
    b = BOOL_WORDS.get(value)
    if b is not None:
        return b
    first = value[0]
    if first.isdigit() or first in "-+.":
        if INT_PATTERN.match(value):
            # keep codes such as 010101 as text: a leading zero is never a number people mean
            if len(value) > 1 and value.lstrip("+-")[:1] == "0":
                return value
            return int(value)
        if FLOAT_PATTERN.match(value) and any(c.isdigit() for c in value):
            return float(value)
    return value


def _tagged(event, file: str) -> object:
    """A scalar under an explicit core tag as its tag's type (!!float 2024.10 is 2024.1, as unquoted);
    a value its tag cannot hold (!!int abc, !!map on a scalar) is a positioned GK103."""
    value, tag = event.value, event.tag
    if tag == "tag:yaml.org,2002:int" and INT_PATTERN.match(value):
        return int(value)
    if tag == "tag:yaml.org,2002:float" and FLOAT_PATTERN.match(value) and any(c.isdigit() for c in value):
        return float(value)
    if tag == "tag:yaml.org,2002:bool" and value in BOOL_WORDS:
        return BOOL_WORDS[value]
    if tag == "tag:yaml.org,2002:null" and value in NULL_WORDS:
        return None
    zh, en = _TAG_KINDS.get(tag, ("映射或列表", "a mapping or a list"))
    m = event.start_mark
    raise _Stop(make("GK103", file, (m.line, m.column),
                     problem=f"标签 {_shown_tag(tag)} 要求{zh},而值“{value}”不是;删除标签或改正值",
                     problem_en=f"tag {_shown_tag(tag)} needs {en}, and '{value}' is not; remove the tag or fix the value"))


def decode(raw: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 (BOM accepted) → text; anything else is a positioned GK102 naming the likely encoding."""
    if raw.startswith(_BOM):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [make("GK102", file, (0, 0), guess="(看起来是 UTF-16)", guess_en=" (looks like UTF-16)")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        head = raw[: exc.start]
        line = head.count(b"\n")
        col = len(head[head.rfind(b"\n") + 1:].decode("utf-8", "replace"))
        guess = guess_en = ""
        try:
            raw.decode("gb18030")
            guess, guess_en = "(看起来是 GBK/GB18030 编码)", " (looks like GBK/GB18030)"
        except UnicodeDecodeError:
            pass
        return None, [make("GK102", file, (line, col), guess=guess, guess_en=guess_en)]


def _syntax(exc: yaml.YAMLError, file: str, text: str) -> Diagnostic:
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml reports a forbidden character by its byte offset in the UTF-8 text, with no mark
        head = text.encode("utf-8")[: exc.position]
        line = head.count(b"\n")
        col = len(head[head.rfind(b"\n") + 1:].decode("utf-8", "replace"))
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return make("GK103", file, (line, col),
                    problem=f"文件中有不允许的控制字符 {char}(常见于从 Word 或网页复制的文字),请删除它",
                    problem_en=f"control character {char} is not allowed; delete it")
    mark = getattr(exc, "problem_mark", None)
    line, col = (mark.line, mark.column) if mark is not None else (0, 0)
    problem = getattr(exc, "problem", None) or str(exc)
    lines = text.split("\n")
    here = lines[line] if line < len(lines) else ""
    if "\t" in problem or ("\t" in here[: col + 1] and here[: col + 1].strip(" \t") == ""):
        tab = here.find("\t")
        return make("GK104", file, (line, max(tab, 0)))
    if "\t" in here and "cannot start any token" in problem:
        return make("GK104", file, (line, here.find("\t")))
    context = getattr(exc, "context", None) or ""
    start = getattr(exc, "context_mark", None)
    if start is not None and context.startswith("while scanning a quoted scalar"):
        # the end of the file is where libyaml gave up; the opening quote is what the author must fix
        return make("GK103", file, (start.line, start.column), problem=_PROBLEMS_ZH["while scanning a quoted scalar"],
                    problem_en="unclosed quote")
    zh = _PROBLEMS_ZH.get(_problem_key(problem))
    if zh is None:  # a rare libyaml message: keep its text, but say in Chinese what kind of problem it is
        zh = f"无法解析此处(解析器提示:{problem})"
    en = problem
    if start is not None and start.line != line:
        zh += f"(相关位置:第 {start.line + 1} 行第 {start.column + 1} 列)"
        en += f" (see line {start.line + 1}, column {start.column + 1})"
    return make("GK103", file, (line, col), problem=zh, problem_en=en)


_PROBLEMS_ZH = {
    "mapping values are not allowed": "此处不能出现“键: 值”(可能缩进不对,或值中含有未加引号的“: ”,请给值加引号)",
    "could not find expected ':'": "找不到应有的冒号“:”",
    "did not find expected key": "缩进不一致,找不到应有的键",
    "did not find expected '-' indicator": "列表项缩进不一致,找不到应有的“- ”",
    "found unexpected end of stream": "文件意外结束(可能有未闭合的引号或括号)",
    "found undefined alias": "使用了未定义的别名(*)",
    "did not find expected node content": "缺少应有的内容",
    "found unexpected ':'": "出现了多余的冒号“:”",
    "found character that cannot start any token": "出现了不能作为开头的字符(如 @ 或 `),请给这个值加引号",
    "while scanning a quoted scalar": "引号没有闭合",
    "found unknown escape character": "双引号中有未知的转义字符(\\),请改用单引号",
    "expected <block end>, but found '<block sequence start>'": "列表项缩进不一致",
    "expected <block end>, but found '<block mapping start>'": "缩进不一致",
    "expected <block end>, but found '<scalar>'": "缩进不一致",
    "did not find expected ',' or ']'": "方括号列表中缺少逗号或右括号“]”",
    "did not find expected ',' or '}'": "花括号中缺少逗号或右括号“}”",
    "did not find expected whitespace or line break": "标签或值后面缺少空格(以 ! 开头的标签只能用英文字母)",
    "block sequence entries are not allowed": "此处不能出现列表项“- ”(可能缩进不对)",
    "mapping keys are not allowed": "此处不能出现“? ”键",
    "did not find expected alphabetic or numeric character": "锚点(&)或别名(*)的名字只能用字母和数字",
    "did not find expected <document start>": "文档开头不正确(“---”前后有多余的内容)",
    "found unexpected document indicator": "引号中出现了“---”或“...”",
    "found undefined tag handle": "使用了未定义的标签前缀(!)",
    "did not find expected comment or line break": "值后面有多余的内容(“#”注释前要留空格)",
    "found a tab character": "使用了制表符(Tab)",
    "did not find expected hexdecimal number": "双引号中的 \\x 或 \\u 转义不正确,请改用单引号",
    "found invalid Unicode character escape code": "双引号中的 \\u 转义不正确,请改用单引号",
    "did not find expected tag URI": "标签写法不正确",
    "did not find URI escaped octet": "标签写法不正确",
    "found an indentation indicator equal to 0": "块文本(| 或 >)的缩进数字不能为 0",
    "found incompatible YAML document": "不支持的 YAML 版本声明(%YAML)",
    "found duplicate %YAML directive": "重复的 %YAML 声明",
}


def _problem_key(problem: str) -> str:
    for key in _PROBLEMS_ZH:
        if problem.startswith(key):
            return key
    return problem


_Scalar, _Alias = yaml.ScalarEvent, yaml.AliasEvent
_MapStart, _SeqStart = yaml.MappingStartEvent, yaml.SequenceStartEvent
_MapEnd, _SeqEnd = yaml.MappingEndEvent, yaml.SequenceEndEvent
_DocStart, _StreamEnd = yaml.DocumentStartEvent, yaml.StreamEndEvent


def _shown_tag(tag: str) -> str:
    """A tag as the author wrote it (!!binary, not tag:yaml.org,2002:binary)."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


class _Stop(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


_SPECIAL_FIRST = frozenset("0123456789-+.~nNtTfF")  # plain scalars that may not be text


def _key_text(value: object) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    return str(value).lower() if type(value) is bool else str(value)


def _build(text: bytes, file: str, out: Parsed) -> None:
    """Walk libyaml events once, building objects, positions and structural diagnostics.

    The scalar branch comes first and does the least work: scalars are ~80% of events and
    this loop is the hot path of every command.
    """
    parser = _yaml.CParser(text)
    get = parser.get_event
    positions = out.positions
    diags = out.diagnostics
    anchors: dict[str, tuple[object, int]] = {}
    # frame: [container, is_list, pending key, path, rec, pending key mark, nodes at start, anchor]
    stack: list[list] = []
    top: list | None = None
    root = None
    nodes = 0
    documents = 0
    special = _SPECIAL_FIRST
    str_tags = _STR_TAGS
    # equal texts of a file become one object (keys, units, time limits, channels, bases repeat
    # over its matters): the tenth-scale tree's raw data and items held 601,484 text objects
    # (43.3 MiB) for 28,771 distinct values, 133,252 (10.5 MiB) shared per file; validate
    # --no-cache peaks at 54 MiB instead of 77, at 0.92x the CPU (farm-bench, 7 runs)
    share = {}.setdefault
    while True:
        event = get()
        cls = event.__class__
        if cls is _Scalar:
            m = event.start_mark
            col = m.column
            packed = (m.line << _COL_BITS) | (col if col < _COL_MASK else _COL_MASK)
            value = event.value
            value = share(value, value)
            tag = event.tag
            if tag is None:
                if not event.style and value and (value[0] in special) and event.implicit[0]:
                    value = _resolve(event)
                    if type(value) is float and repr(value) != event.value:  # 2024.10 is 2024.1: say so
                        diags.append(make("GK112", file, (m.line, col), text=event.value, value=repr(value)))
                    elif type(value) is str:   # 20个工作日
                        value = share(value, value)
                elif not value and not event.style and event.implicit[0]:
                    value = None
            elif tag not in str_tags:
                if tag not in _OK_TAGS:
                    raise _Stop(make("GK109", file, (m.line, m.column), tag=_shown_tag(tag)))
                value = _tagged(event, file)
                if type(value) in (int, float) and repr(value) != event.value:   # !!float 2024.10, as untagged
                    diags.append(make("GK112", file, (m.line, col), text=event.value, value=repr(value)))
            nodes += 1
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
            if top is None:
                root = value
                continue
            if top[1]:
                top[0].append(value)
                top[4].append(packed)
                continue
            key = top[2]
            if key is None:
                # a mapping key: plain text keys that are new take the inline path
                if type(value) is str and value not in top[4]:
                    top[2] = value
                    top[5] = packed
                else:
                    _take_key(top, _key_text(value), packed, file, m, diags)
                continue
            if key is not _DUP:
                top[0][key] = value
                top[4][key] = (top[5], packed)
            top[2] = None
            continue
        if cls is _MapStart or cls is _SeqStart or cls is _Alias:
            m = event.start_mark
            packed = (m.line << _COL_BITS) | (m.column if m.column < _COL_MASK else _COL_MASK)
            new = None
            if cls is _Alias:
                target = anchors.get(event.anchor)
                if target is None:
                    raise _Stop(make("GK103", file, (m.line, m.column), problem="使用了未定义的别名 *" + str(event.anchor),
                                     problem_en="undefined alias *" + str(event.anchor)))
                value, size = target
                nodes += size
            else:
                if event.tag is not None and event.tag not in _OK_TAGS:
                    raise _Stop(make("GK109", file, (m.line, m.column), tag=_shown_tag(event.tag)))
                value = new = {} if cls is _MapStart else []
                nodes += 1
                if len(stack) >= MAX_DEPTH:
                    raise _Stop(make("GK108", file, (m.line, m.column), what=f"嵌套超过 {MAX_DEPTH} 层",
                                     what_en=f"nesting deeper than {MAX_DEPTH}"))
            if nodes > MAX_NODES:
                raise _Stop(make("GK108", file, (m.line, m.column), what=f"展开后超过 {MAX_NODES} 个节点,可能是别名炸弹",
                                 what_en=f"more than {MAX_NODES} nodes once aliases are expanded: an alias bomb?"))
            if top is None:
                root = value
                path: tuple = ()
            elif top[1]:
                path = top[3] + (len(top[0]),)
                top[0].append(value)
                top[4].append(packed)
            else:
                key = top[2]
                if key is None:
                    if new is not None or isinstance(value, (dict, list)):
                        raise _Stop(make("GK103", file, (m.line, m.column), problem="键必须是简单文字,不能是列表或映射",
                                         problem_en="a key must be plain text, not a list or mapping"))
                    _take_key(top, _key_text(value), packed, file, m, diags)
                    continue
                path = top[3] + (key,)
                if key is not _DUP:
                    top[0][key] = value
                    top[4][key] = (top[5], packed)
                top[2] = None
            if new is not None:
                rec: object = {} if cls is _MapStart else []
                positions[path] = (packed, rec)
                top = [new, cls is _SeqStart, None, path, rec, 0, nodes, event.anchor]
                stack.append(top)
            continue
        if cls is _MapEnd or cls is _SeqEnd:
            if nodes > MAX_NODES:
                # scalars are counted without a check on the hot path above; a huge list or
                # mapping of plain values is caught when it closes, bounded by MAX_BYTES meanwhile
                line, column = unpack(positions[stack[-1][3]][0])
                raise _Stop(make("GK108", file, (line, column), what=f"超过 {MAX_NODES} 个值",
                                 what_en=f"more than {MAX_NODES} values"))
            done = stack.pop()
            if done[7] is not None:
                anchors[done[7]] = (done[0], nodes - done[6] + 1)
            top = stack[-1] if stack else None
        elif cls is _DocStart:
            documents += 1
            if documents > 1:
                m = event.start_mark
                raise _Stop(make("GK110", file, (m.line, m.column)))
        elif cls is _StreamEnd:
            break
    out.data = root


def _take_key(top: list, key: str, packed: int, file: str, m, diags: list) -> None:
    """Record a mapping key (reporting a duplicate, whose value is then dropped)."""
    if key in top[0] or key in top[4]:
        first = top[4][key][0]
        diags.append(make("GK105", file, (m.line, m.column), top[3] + (key,), key=key, first=(first >> _COL_BITS) + 1))
        key = _DUP
    top[2] = key
    top[5] = packed


class _DupKey:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<duplicate key>"


_DUP = _DupKey()


# Some line whose first non-blank character is not "#": a file without one is only blank lines and
# comments (GK106). Every line break is whitespace, so from any break (or the start) blanks lead to
# the next line's first character. One search, which stops at the first such line: splitting every
# file into lines to ask the same was 3.7% of the per-file stage (every 10th file of the full tree).
_CONTENT = re.compile(r"(?:\A|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])\s*[^\s#]")


def parse(raw: bytes, file: str) -> Parsed:
    """Parse one file's bytes; never raises for bad input, every problem is a diagnostic."""
    out = Parsed(file)
    if len(raw) > MAX_BYTES:
        out.diagnostics.append(make("GK101", file, (0, 0), size=len(raw), limit=MAX_BYTES))
        return out
    text, problems = decode(raw, file)
    if text is None:
        out.diagnostics.extend(problems)
        return out
    if _CONTENT.search(text) is None:
        out.diagnostics.append(make("GK106", file, (0, 0)))
        return out
    paused = gc.isenabled()
    gc.disable()  # the load allocates millions of small objects that are never cyclic
    try:
        # libyaml reads UTF-8 bytes: given the text, PyYAML would encode it back first
        _build(raw[3:] if raw.startswith(_BOM) else raw, file, out)
    except _Stop as stop:
        out.data = None
        out.positions = {}
        out.diagnostics.append(stop.diagnostic)
    except yaml.YAMLError as exc:
        out.data = None
        out.positions = {}
        out.diagnostics.append(_syntax(exc, file, text))
    except RecursionError:
        out.data = None
        out.diagnostics.append(make("GK108", file, (0, 0), what="嵌套过深", what_en="nesting too deep"))
    finally:
        if paused:
            gc.enable()
    if out.data is not None and not isinstance(out.data, dict):
        found = "列表" if isinstance(out.data, list) else "单个值"
        found_en = "a list" if isinstance(out.data, list) else "a single value"
        out.diagnostics.append(make("GK107", file, out.mark(()), found=found, found_en=found_en))
        out.data = None
    if out.data is None and not out.diagnostics:
        out.diagnostics.append(make("GK106", file, (0, 0)))
    return out
