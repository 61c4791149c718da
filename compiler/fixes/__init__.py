"""The fix registry: each safe fix is declared next to what it fixes, with the code it answers.

    @fix("GK301", "别称改为标准写法", "synonym to its canonical value")
    def canonical(target: Target) -> bool: ...      # edit the round-trip document, True if changed

    @tidy(("basis",), "文号使用六角括号〔〕", "document numbers with 〔〕")
    def brackets(text: str) -> str: ...             # a value-level clean-up of those keys' strings

A fix sees the ruamel.yaml round-trip document and the finding's path and arguments, and must
leave the document valid or unchanged. Fixes live in this package's modules, one per rule family;
`gkml fix` (compiler/fixer.py)
applies them until nothing changes. Later issues add fixes with the same decorators.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
from dataclasses import dataclass
from typing import Callable

from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString


@dataclass(frozen=True)
class Fix:
    """A fix for the findings of one code."""

    code: str
    title: str
    title_en: str
    apply: Callable[["Target"], bool]


@dataclass(frozen=True)
class Tidy:
    """A clean-up of the string values under some keys ("*": every key), independent of findings."""

    keys: tuple[str, ...]
    title: str
    title_en: str
    apply: Callable[[str], str]


_FIXES: dict[str, list[Fix]] = {}
_TIDIES: list[Tidy] = []


def fix(code: str, title: str, title_en: str):
    """Register fn(target) -> bool as a fix for findings with this code."""
    def register(fn: Callable[["Target"], bool]):
        _FIXES.setdefault(code, []).append(Fix(code, title, title_en, fn))
        return fn
    return register


def unregister(code: str, fn: Callable[["Target"], bool]) -> None:
    """Remove a fix registered with @fix (for tests that register one of their own)."""
    _FIXES[code] = [f for f in _FIXES.get(code, []) if f.apply is not fn]


def tidy(keys: tuple[str, ...], title: str, title_en: str):
    """Register fn(text) -> text as a clean-up of the strings under keys."""
    def register(fn: Callable[[str], str]):
        _TIDIES.append(Tidy(tuple(keys), title, title_en, fn))
        return fn
    return register


def _load() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        importlib.import_module(f"{__name__}.{info.name}")


_LOADED: list[bool] = []


def fixes_for(code: str) -> list[Fix]:
    """Every fix registered for code."""
    if not _LOADED:
        _load()
        _LOADED.append(True)
    return _FIXES.get(code, [])


def tidies() -> list[Tidy]:
    """Every registered clean-up."""
    fixes_for("")
    return list(_TIDIES)


def fixable_codes() -> set[str]:
    """The codes some fix answers."""
    fixes_for("")
    return set(_FIXES)


_NOT_TEXT = re.compile(r"^([-+]?[0-9][0-9_.:eE+-]*|true|false|yes|no|on|off|null|~|)$", re.IGNORECASE)


def styled(old: object, new: str) -> str:
    """new in old's quoting style; quoted when plain it would not read back as text (a code, a date)."""
    if isinstance(old, ScalarString) and "\n" not in new:
        return type(old)(new)
    if _NOT_TEXT.match(new):
        return DoubleQuotedScalarString(new)
    return new


def decode(pointer: str) -> tuple[str, ...]:
    """The parts of an RFC 6901 JSON pointer."""
    if not pointer:
        return ()
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:])


@dataclass
class Target:
    """What a fix works on: the document, the finding's path (pointer parts) and arguments."""

    root: object
    parts: tuple[str, ...]
    args: dict

    def locate(self, parts: tuple[str, ...] | None = None):
        """(container, key or index) of the node at parts (default: the finding's), or None."""
        parts = self.parts if parts is None else parts
        if not parts:
            return None
        node = self.root
        for part in parts[:-1]:
            node = _child(node, part)
            if node is None:
                return None
        last = _key(node, parts[-1])
        return (node, last) if last is not None else None

    def value(self) -> object:
        """The value at the finding's path (None when the path no longer leads anywhere)."""
        place = self.locate()
        return place[0][place[1]] if place is not None else None

    def set(self, new: object) -> bool:
        """Replace the value at the finding's path, keeping its quoting; True when it changed."""
        place = self.locate()
        if place is None:
            return False
        container, key = place
        old = container[key]
        if isinstance(new, str):
            new = styled(old, new)
        if old == new and type(old) is type(new):
            return False
        container[key] = new
        return True


def _key(node: object, part: str):
    if isinstance(node, list):
        return int(part) if part.isdigit() and int(part) < len(node) else None
    if isinstance(node, dict):
        return part if part in node else None
    return None


def _child(node: object, part: str):
    key = _key(node, part)
    return node[key] if key is not None else None
