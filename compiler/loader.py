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

MAX_BYTES = 8 * 1024 * 1024      # one catalog of a few hundred matters is < 1 MiB
MAX_NODES = 500_000               # expanded nodes, aliases counted at their full size
MAX_DEPTH = 64
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


_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_STR_TAGS = {None, "!", "tag:yaml.org,2002:str"}
_OK_TAGS = _STR_TAGS | {"tag:yaml.org,2002:" + t for t in ("int", "float", "bool", "null", "map", "seq")}


def _resolve(event) -> object:
    value = event.value
    if event.style or not event.implicit[0]:  # quoted, or tagged !: always text
        return value
    if value in _NULL:
        return None
    b = _BOOL.get(value)
    if b is not None:
        return b
    first = value[0]
    if first.isdigit() or first in "-+.":
        if _INT.match(value):
            # keep codes such as 010101 as text: a leading zero is never a number people mean
            if len(value) > 1 and value.lstrip("+-")[:1] == "0":
                return value
            return int(value)
        if _FLOAT.match(value) and any(c.isdigit() for c in value):
            return float(value)
    return value


def decode(raw: bytes, file: str) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 (BOM accepted) → text; anything else is a positioned GK102 naming the likely encoding."""
    if raw.startswith(b"\xef\xbb\xbf"):
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
    return make("GK103", file, (line, col), problem=_PROBLEMS_ZH.get(_problem_key(problem), problem),
                problem_en=problem)


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


class _Stop(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic


def _build(text: str, file: str, out: Parsed) -> None:
    """Walk libyaml events once, building objects, positions and structural diagnostics."""
    parser = _yaml.CParser(text)
    get = parser.get_event
    positions = out.positions
    diags = out.diagnostics
    anchors: dict[str, tuple[object, int]] = {}
    stack: list[list] = []  # [container, pending key, path, rec, pending key mark, node count at start, anchor]
    top = None
    root = None
    nodes = 0
    documents = 0
    while True:
        event = get()
        cls = event.__class__
        if cls is _Scalar or cls is _MapStart or cls is _SeqStart or cls is _Alias:
            m = event.start_mark
            packed = (m.line << _COL_BITS) | (m.column if m.column < _COL_MASK else _COL_MASK)
            new = None
            if cls is _Scalar:
                if event.tag not in _STR_TAGS:
                    if event.tag not in _OK_TAGS:
                        raise _Stop(make("GK109", file, (m.line, m.column), tag=event.tag))
                value = _resolve(event) if event.tag not in ("tag:yaml.org,2002:str", "!") else event.value
                nodes += 1
            elif cls is _Alias:
                target = anchors.get(event.anchor)
                if target is None:
                    raise _Stop(make("GK103", file, (m.line, m.column), problem="使用了未定义的别名 *" + str(event.anchor),
                                     problem_en="undefined alias *" + str(event.anchor)))
                value, size = target
                nodes += size
            else:
                if event.tag is not None and event.tag not in _OK_TAGS:
                    raise _Stop(make("GK109", file, (m.line, m.column), tag=event.tag))
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
                path = ()
            else:
                container = top[0]
                if type(container) is list:
                    path = top[2] + (len(container),)
                    container.append(value)
                    top[3].append(packed)
                else:
                    key = top[1]
                    if key is None:
                        if new is not None or cls is _Alias and isinstance(value, (dict, list)):
                            raise _Stop(make("GK103", file, (m.line, m.column), problem="键必须是简单文字,不能是列表或映射",
                                             problem_en="a key must be plain text, not a list or mapping"))
                        key = value if type(value) is str else ("" if value is None else str(value).lower() if type(value) is bool else str(value))
                        if key in container or key in top[6]:
                            first = top[3][key][0] if key in top[3] else top[6][key]
                            diags.append(make("GK105", file, (m.line, m.column), top[2] + (key,), key=key,
                                              first=(first >> _COL_BITS) + 1))
                            key = _DUP
                        top[1] = key
                        top[4] = packed
                        if key is _DUP:
                            top[6].setdefault("", 0)
                        continue
                    path = top[2] + (key,)
                    if key is not _DUP:
                        container[key] = value
                        top[3][key] = (top[4], packed)
                    top[1] = None
            if cls is not _Alias and event.anchor is not None and new is None:
                anchors[event.anchor] = (value, 1)
            if new is not None:
                rec: object = {} if cls is _MapStart else []
                positions[path] = (packed, rec)
                top = [new, None, path, rec, 0, nodes, {}, event.anchor]
                stack.append(top)
        elif cls is _MapEnd or cls is _SeqEnd:
            done = stack.pop()
            if done[7] is not None:
                anchors[done[7]] = (done[0], nodes - done[5] + 1)
            top = stack[-1] if stack else None
        elif cls is _DocStart:
            documents += 1
            if documents > 1:
                m = event.start_mark
                raise _Stop(make("GK110", file, (m.line, m.column)))
        elif cls is _StreamEnd:
            break
    out.data = root


class _DupKey:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<duplicate key>"


_DUP = _DupKey()


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
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        out.diagnostics.append(make("GK106", file, (0, 0)))
        return out
    paused = gc.isenabled()
    gc.disable()  # the load allocates millions of small objects that are never cyclic
    try:
        _build(text, file, out)
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
