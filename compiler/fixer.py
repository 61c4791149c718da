"""`gkml fix`'s engine: apply the registered safe fixes (compiler/fixes/) to one file's text until
nothing changes, keeping comments, order and layout.

The document is edited through ruamel.yaml's round trip; what it would re-emit differently from
the original (a header before ---, spacing it normalises) is kept from the original by a line
merge: only the lines a fix changed are taken from the new text. A file gkml cannot parse, or
whose merge is ambiguous, is left alone. Pure: text in, text out; the command does the I/O.
"""
from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from .fixes import Target, decode, fixes_for, tidies
from .loader import parse
from .pipeline import check_bytes
from .sources import Source

MAX_PASSES = 5


@dataclass
class Outcome:
    """What fixing one file did: the new text, the fixes applied (title, line), or why it was left alone."""

    text: str
    applied: list[tuple[str, str, int]] = field(default_factory=list)   # (code or "tidy", title, line)
    refused: str = ""      # Chinese reason the file was not touched
    refused_en: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.applied)


def _yaml(text: str):
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent
    _, indent, offset = load_yaml_guess_indent(text)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 20          # never re-wrap a long line
    yaml.indent(mapping=2, sequence=indent or 4, offset=offset if offset is not None else 2)
    return yaml


def _dump(yaml, doc) -> str:
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def merge(original: str, noop: str, new: str) -> str | None:
    """original with the line changes from noop to new (None when a change falls on lines the round
    trip itself rewrote, so it cannot be placed)."""
    if noop == original:
        return new
    a, b, c = original.splitlines(True), noop.splitlines(True), new.splitlines(True)
    where: dict[int, int] = {}
    for tag, i1, i2, j1, _j2 in difflib.SequenceMatcher(None, b, a, autojunk=False).get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                where[i1 + k] = j1 + k
    out = list(a)
    for tag, i1, i2, j1, j2 in reversed(difflib.SequenceMatcher(None, b, c, autojunk=False).get_opcodes()):
        if tag == "equal":
            continue
        if i1 < i2:
            span = [where.get(k) for k in range(i1, i2)]
            if None in span or span != list(range(span[0], span[0] + len(span))):
                return None
            out[span[0]:span[-1] + 1] = c[j1:j2]
        elif i1 in where:
            out[where[i1]:where[i1]] = c[j1:j2]
        elif i1 - 1 in where:
            out[where[i1 - 1] + 1:where[i1 - 1] + 1] = c[j1:j2]
        elif i1 == len(b):
            out.extend(c[j1:j2])
        else:
            return None
    return "".join(out)


def _order(parts: tuple[str, ...]) -> tuple:
    # later list entries first: removing one must not move the entries other fixes point at
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def _tidy(node: object, key: str, titles: list[str]) -> None:
    """Apply the clean-ups to every string under node (key: the mapping key it hangs from)."""
    from .fixes import styled
    if isinstance(node, dict):
        for k in list(node):
            value = node[k]
            if isinstance(value, str):
                node[k] = _cleaned(value, str(k), titles, styled)
            else:
                _tidy(value, str(k), titles)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str):
                node[i] = _cleaned(value, key, titles, styled)
            else:
                _tidy(value, key, titles)


def _cleaned(value: str, key: str, titles: list[str], styled) -> str:
    new = str(value)
    for rule in tidies():
        if "*" in rule.keys or key in rule.keys:
            done = rule.apply(new)
            if done != new:
                titles.append(rule.title)
                new = done
    return value if new == value else styled(value, new)


def fix_text(text: str, name: str, kind: str = "catalog", project: tuple = ()) -> Outcome:
    """Every safe fix applied to text (a file called name), pass after pass until nothing changes;
    project: the cross-catalog findings of this file (a whole check's), tried in the first pass."""
    if kind != "catalog":
        return Outcome(text)
    current = text
    applied: list[tuple[str, str, int]] = []
    for _ in range(MAX_PASSES):
        result = check_bytes(Source(name, Path(name), kind), current.encode("utf-8"))
        if result.parsed.data is None:
            if not applied:
                return Outcome(text, refused="无法解析,未修改(先用 gkml validate 查看并修正语法问题)",
                               refused_en="cannot be parsed, left unchanged (see gkml validate)")
            break
        try:
            yaml = _yaml(current)
            doc = yaml.load(current)
            noop = _dump(yaml, doc)
        except Exception:  # ruamel refuses something gkml's loader accepts: leave the file alone
            return Outcome(text, refused="无法在保留格式的前提下修改,未修改", refused_en="cannot be edited keeping its layout, left unchanged")
        done: list[tuple[str, str, int]] = []
        found = [*result.diagnostics, *(project if not applied else ())]
        for d in sorted(found, key=lambda d: _order(decode(d.path)), reverse=True):
            for candidate in fixes_for(d.code):
                if candidate.apply(Target(doc, decode(d.path), dict(d.args))):
                    done.append((d.code, candidate.title, d.line))
                    break
        titles: list[str] = []
        _tidy(doc, "", titles)
        done.extend(("tidy", title, 0) for title in titles)
        if not done:
            break
        merged = merge(current, noop, _dump(yaml, doc))
        if merged is None or parse(merged.encode("utf-8"), name).data is None:
            return Outcome(text, refused="修改后无法保持原有格式,未修改", refused_en="the fix would not keep the layout, left unchanged")
        if merged == current:
            break
        current = merged
        applied.extend(done)
    return Outcome(current, applied)


def fixable(text: str, name: str) -> list:
    """The findings in text that a registered fix would still change (empty once fixed)."""
    result = check_bytes(Source(name, Path(name), "catalog"), text.encode("utf-8"))
    if result.parsed.data is None:
        return []
    doc = _yaml(text).load(text)
    return [d for d in result.diagnostics
            if any(f.apply(Target(doc, decode(d.path), dict(d.args))) for f in fixes_for(d.code))]
