"""Suppression comments and rule levels, applied to a check's findings after every rule ran.

    - id: 341321-sa-001  # gkml: disable=GK302 时限由省级文件另行规定    (the whole item)
    time_limit: 即时  # gkml: disable=GK302 理由                       (that line, and what it opens)
    # gkml: disable-file=GK401 理由                                     (the whole file)

A comment alone on its line applies to the next line. The loader reads libyaml's events, which
carry no comments: the raw text is scanned here, and only when it holds "gkml:" at all (a
bytes search per file), so files without directives cost nothing. Directives are cached with
the file's result; findings are matched to them by file and line, so the cross-catalog findings
of a cached or scoped run are suppressed the same way as fresh ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Mapping

from .codes import CODES
from .config import unknown_code
from .diagnostics import Diagnostic, Severity, make

MARKER = b"gkml:"
PRODUCES = ("GK121", "GK122")

_DIRECTIVE = re.compile(r"#\s*gkml:\s*(disable-file|disable)\s*=\s*([A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)(.*)$")
_BLOCK_SCALAR = re.compile(r"(?:^|[\s:-])[|>][-+0-9]*\s*$")


@dataclass(frozen=True, slots=True)
class Directive:
    """One suppression comment: what it silences, why, where it is and which lines it covers."""

    kind: str                 # "disable" | "disable-file"
    codes: tuple[str, ...]
    reason: str
    line: int                 # 1-based position of the comment
    column: int
    first: int = 0            # covered lines (inclusive); 0, 0 for the whole file
    last: int = 0

    def covers(self, line: int) -> bool:
        return self.kind == "disable-file" or self.first <= line <= self.last


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding a directive silenced, with the directive's reason."""

    diagnostic: Diagnostic
    reason: str


def scan_bytes(raw: bytes) -> tuple[Directive, ...]:
    """The directives in a file's bytes; () at the cost of one search when there are none."""
    if MARKER not in raw:
        return ()
    return scan(raw.decode("utf-8-sig", errors="replace"))


def _comment_start(line: str) -> int:
    """Index of the '#' opening line's comment outside quotes, or -1."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"" and (i == 0 or line[i - 1] in " \t[{,:-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return -1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def scan(text: str) -> tuple[Directive, ...]:
    """Every directive in text (comments only: quoted values and block scalars are skipped)."""
    lines = text.splitlines()
    comments: dict[int, int] = {}      # 0-based line -> column of its comment
    code_lines: list[int] = []          # 0-based lines with content (not blank, not only a comment)
    block = -1                          # indentation a block scalar's lines exceed, or -1
    for number, line in enumerate(lines):
        stripped = line.strip()
        if block >= 0:
            if not stripped or _indent(line) > block:
                continue
            block = -1
        if not stripped:
            continue
        start = _comment_start(line)
        if start >= 0:
            comments[number] = start
        content = line[:start] if start >= 0 else line
        if content.strip():
            code_lines.append(number)
            if _BLOCK_SCALAR.search(content.rstrip()):
                block = _indent(line)
    out = []
    for number, start in comments.items():
        match = _DIRECTIVE.match(lines[number], start)
        if match is None:
            continue
        kind = match[1]
        codes = tuple(c.strip().upper() for c in match[2].split(","))
        reason = match[3].strip().lstrip(":-—:").strip()
        first = last = 0
        if kind == "disable":
            target = next((n for n in code_lines if n >= number), None)
            if target is None:
                continue
            first, last = target + 1, _block_end(lines, code_lines, target) + 1
        out.append(Directive(kind, codes, reason, number + 1, start + 1, first, last))
    return tuple(sorted(out, key=lambda d: (d.line, d.column)))


def _block_end(lines: list[str], code_lines: list[int], target: int) -> int:
    """The last line of what target opens: an item's keys, a key's nested block."""
    head = lines[target]
    indent = _indent(head)
    entry = head.lstrip(" ").startswith("- ") or head.strip() == "-"
    last = target
    for n in code_lines:
        if n <= target:
            continue
        deeper = _indent(lines[n]) > indent
        # a key's list may sit at the key's own indentation ("items:\n- a"), never an entry's
        same_level_list = not entry and _indent(lines[n]) == indent and lines[n].lstrip(" ").startswith("-") \
            and head.rstrip().endswith(":")
        if not (deeper or same_level_list):
            break
        last = n
    return last


def apply(diagnostics: Iterable[Diagnostic], directives: Mapping[str, tuple[Directive, ...]],
          levels: Mapping[str, str]) -> tuple[list[Diagnostic], list[Suppressed]]:
    """(findings to report, findings suppressed): rule levels from the config first, then the
    directives; a directive without a reason or that silences nothing is itself a finding."""
    kept: list[Diagnostic] = []
    for d in diagnostics:
        level = levels.get(d.code)
        if level == "off":
            continue
        kept.append(d if level is None or level == d.severity.value else replace(d, severity=Severity(level)))
    if not any(directives.values()):
        return kept, []
    by_file: dict[str, list[int]] = {}
    for position, d in enumerate(kept):
        by_file.setdefault(d.file, []).append(position)
    silenced: dict[int, str] = {}
    extra: list[Diagnostic] = []
    for file, found in directives.items():
        for directive in found:
            mark = (directive.line - 1, directive.column - 1)
            if not directive.reason:
                extra.append(make("GK121", file, mark, directive=directive.kind, codes=",".join(directive.codes)))
                continue
            for code in directive.codes:
                if code not in CODES:
                    extra.append(unknown_code(code, file, mark))
                    continue
                hits = [p for p in by_file.get(file, ()) if kept[p].code == code and directive.covers(kept[p].line)]
                for p in hits:
                    silenced.setdefault(p, directive.reason)
                if not hits and levels.get(code) != "off":
                    extra.append(make("GK122", file, mark, directive=directive.kind, target=code))
    for d in extra:
        level = levels.get(d.code)
        if level != "off":
            kept.append(d if level is None or level == d.severity.value else replace(d, severity=Severity(level)))
    suppressed = [Suppressed(kept[p], silenced[p]) for p in sorted(silenced, key=lambda p: kept[p].sort_key())]
    return [d for p, d in enumerate(kept) if p not in silenced], suppressed
