"""The search index's numbering and encoding: matter and doc numbers, and postings as base-32 text.

Shared by the index (compiler/builders/search.py) and its layers (search_layer.py); search.js
decodes what these functions encode.
"""
from __future__ import annotations

import json
from itertools import pairwise

import numpy as np

from ..simplified import SIMPLIFIED, TRADITIONAL

FIELDS = ("matter", "sub_matter", "third_matter", "content", "responsible_unit", "basis")
SLOTS = len(FIELDS)          # doc = matter number × SLOTS + field
UNIT_SLOT = FIELDS.index("responsible_unit")
MIN_CAPACITY = 16            # matter numbers of a catalog with few matters (capacity)

# postings are strings of base-32 digits, most significant first: a continuation digit is one of
# the first 32 characters, a final digit one of the last 32 (all plain ASCII, no JSON escapes)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUV" "WXYZabcdefghijklmnopqrstuvwxyz-_"
_CONT, _END = ALPHABET[:32], ALPHABET[32:]
_SHORT = [_END[n] if n < 32 else _CONT[n >> 5] + _END[n & 31] for n in range(1024)]


def _number(n: int) -> str:
    if n < 1024:
        return _SHORT[n]
    digits = [_END[n & 31]]
    n >>= 5
    while n:
        digits.append(_CONT[n & 31])
        n >>= 5
    return "".join(reversed(digits))


def encode(numbers: list[int]) -> str:
    """A strictly increasing list as a postings string: the first number, then each gap minus one."""
    if not numbers:
        return ""
    short, number = _SHORT, _number
    gaps = [b - a - 1 for a, b in pairwise(numbers)]
    return number(numbers[0]) + "".join([short[g] if g < 1024 else number(g) for g in gaps])


_END_CODES = np.frombuffer(_END.encode("ascii"), np.uint8)
_CONT_CODES = np.frombuffer(_CONT.encode("ascii"), np.uint8)


def encode_runs(numbers: np.ndarray, starts: np.ndarray) -> list[str]:
    """encode() of each run of an int64 array (run k = numbers[starts[k]:starts[k + 1]], strictly increasing).

    Vectorised over the whole array: a province's index encodes tens of millions of numbers in
    tens of thousands of runs, and a Python loop per number or per run would dominate the build.
    """
    if len(starts) == 0:
        return []
    size = len(numbers)
    values = np.empty(size, np.int64)
    if size:
        values[0] = numbers[0]
        np.subtract(numbers[1:], numbers[:-1], out=values[1:])
        values[1:] -= 1
        first = starts[starts < size]
        values[first] = numbers[first]   # a run starts with its first number, not a gap
    digits = np.ones(size, np.int64)
    rest = values >> 5
    while rest.any():
        digits += rest > 0
        rest >>= 5
    ends = np.zeros(size + 1, np.int64)
    np.cumsum(digits, out=ends[1:])
    out = np.empty(int(ends[-1]), np.uint8)
    out[ends[1:] - 1] = _END_CODES[values & 31]
    k = 1
    while True:
        more = np.flatnonzero(digits > k)
        if not len(more):
            break
        out[ends[more + 1] - 1 - k] = _CONT_CODES[(values[more] >> (5 * k)) & 31]
        k += 1
    text = out.tobytes().decode("ascii")
    bounds = ends[np.append(starts, size)].tolist()
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


def run_starts(*columns: np.ndarray) -> np.ndarray:
    """Where each run of equal rows starts in sorted columns (of one length)."""
    if not len(columns[0]):
        return np.zeros(0, np.int64)
    change = np.zeros(len(columns[0]), bool)
    change[0] = True
    for column in columns:
        change[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(change)


def decode(text: str) -> list[int]:
    """The inverse of encode (used by the tests; the browser has its own copy in search.js)."""
    out, value = [], 0
    for ch in text:
        digit = ALPHABET.index(ch)
        value = value * 32 + (digit & 31)
        if digit >= 32:
            out.append(value if not out else out[-1] + value + 1)
            value = 0
    return out


_DIGITS = np.zeros(128, np.int64)
_DIGITS[np.frombuffer(ALPHABET.encode("ascii"), np.uint8)] = np.arange(64)


def decode_array(text: str) -> np.ndarray:
    """decode(), vectorised: a postings string as an int64 array."""
    digits = _DIGITS[np.frombuffer(text.encode("ascii"), np.uint8)]
    ends = np.flatnonzero(digits >= 32)
    if not len(ends):
        return np.zeros(0, np.int64)
    starts = np.concatenate((np.zeros(1, np.int64), ends[:-1] + 1))
    lengths = ends - starts + 1
    values = np.zeros(len(ends), np.int64)
    for k in range(int(lengths.max())):   # most significant digit first
        longer = np.flatnonzero(lengths > k)
        values[longer] = (values[longer] << 5) | (digits[starts[longer] + k] & 31)
    return np.cumsum(values + 1) - 1   # the first number, then each gap minus one


def fold(text: str) -> str:
    """Search folding, one character for one (positions stay): traditional to simplified (OpenCC's t2s, compiler/simplified.py), full-width to half-width, ASCII letters to lower case.

    search.js folds a query the same way, with the part of the traditional table whose
    simplified characters occur in the index (fold_pairs): a query character outside it cannot match anyway.
    """
    return text.translate(_FOLD)


def _fold_table() -> dict[int, int]:
    table = {ord(t): ord(s) for t, s in zip(TRADITIONAL, SIMPLIFIED)}
    table.update({c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)})   # ！ … ～ → ! … ~
    table[0x3000] = 0x20                                            # 全角空格
    for c, to in list(table.items()):
        if ord("A") <= to <= ord("Z"):
            table[c] = to + 32
    table.update({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})
    return table


_FOLD = _fold_table()


def fold_pairs(characters: set[str]) -> str:
    """The traditional characters folding to one of characters, each followed by what it folds to (what search.js needs)."""
    return "".join(t + s for t, s in zip(TRADITIONAL, SIMPLIFIED) if s in characters and t != s)


def gram_file(gram: str, count: int) -> int:
    """Which of count g/<n>.js holds a gram (the same hash as search.js: over code points, base 31)."""
    h = 0
    for ch in gram:
        h = (h * 31 + ord(ch)) % count
    return h


def js(value: object) -> str:
    """A value as JavaScript (JSON with < > & and line separators escaped)."""
    # JSON is valid JavaScript; escaping < > & keeps a file inert even if pasted into HTML
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def call(name: str, data: object) -> str:
    """An index file's text: data handed to the gkmlIndex callback under name."""
    return f"gkmlIndex({js(name)},{js(data)});\n"


def call_postings(name: str, data: str | list[str]) -> str:
    """call for a postings string or a list of them, byte for byte, without JSON's escaping pass.

    Postings are made of ALPHABET (letters, digits, - and _), which JSON leaves as they are;
    an index holds tens of megabytes of them.
    """
    text = f'"{data}"' if isinstance(data, str) else "[" + ",".join([f'"{x}"' for x in data]) + "]"
    return f"gkmlIndex({js(name)},{text});\n"


def capacity(count: int) -> int:
    """How many matter numbers a catalog of count matters holds: 16, 24, 32, 48, 64, 96, … (the least ≥ count).

    The room to grow means that adding or removing a matter moves no other catalog's numbers,
    unless the catalog crosses one of these steps (one such edit in 8 for a catalog of about 20
    matters, one in 32 for about 100), so the index is updated rather than computed again. The
    generated province has 1.21 numbers a matter. A function of count alone, so that every
    build numbers the same way.
    """
    size = MIN_CAPACITY
    while size < count:
        size = size * 3 // 2 if size & (size - 1) == 0 else size // 3 * 4   # 2^k → 3·2^(k-1) → 2^(k+1)
    return size


def bases(counts: list[int]) -> np.ndarray:
    """The first matter number of each catalog (in index order), and after them the end of the numbers."""
    starts = np.zeros(len(counts) + 1, np.int64)
    np.cumsum([capacity(count) for count in counts], out=starts[1:])
    return starts


