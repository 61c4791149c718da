"""Text a reader's terminal or log shows as written: the one place unsafe characters of values
are escaped, for every text-ish report (validate's text and GitHub formats, the import review)."""
from __future__ import annotations

import re

# What a value must not bring to a reader's terminal or log: C0 and C1 controls (CR, NUL, ESC of
# ANSI/OSC sequences), DEL, line/paragraph separators and the bidi controls of Trojan Source
# (CVE-2021-42574), which reorder what is shown; and the zero-width characters (U+200B-U+200D,
# U+2060-U+2064, U+FEFF) pasted from Word and web pages, so that a message about 政府网站 followed by
# a zero-width space shows the value that differs from the word list, not one that looks the same.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064"
                     "\u2066-\u2069\ufeff]")
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def printable(text: str, keep: str = "") -> str:
    """text with each unsafe character (but those in keep) shown as an escape: \\r, \\x1b, \\u202e."""
    def shown(match: re.Match) -> str:
        char = match.group()
        if char in keep:
            return char
        return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
    return _UNSAFE.sub(shown, text)
