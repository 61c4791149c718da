"""The cell grid every reader produces: what the table detection and mapping work on (no I/O)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property


@dataclass
class Grid:
    """One sheet of a workbook or one table of a document, as text cells with merge origins.

    cells[r][c] is the text of the cell at 0-based (r, c), or None when empty; a position covered
    by a merged range holds None and has merged[(r, c)] = (r0, c0), the range's top-left cell."""

    file: str                      # file name shown to users
    name: str                      # sheet name, or "表2" for the second table of a document
    kind: str                      # "sheet" | "table"
    index: int                     # 1-based position of the sheet or table in its file
    cells: list[list[str | None]]
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)   # paragraphs before a document table

    @property
    def height(self) -> int:
        return len(self.cells)

    @cached_property
    def width(self) -> int:
        # cached: asked for on every title-like row, and a grid is not changed once read
        return max((len(row) for row in self.cells), default=0)

    @cached_property
    def _spans(self) -> dict[tuple[int, int], int]:
        spans: dict[tuple[int, int], int] = {}
        for (r, _), origin in self.merged.items():
            if r == origin[0]:
                spans[origin] = spans.get(origin, 1) + 1
        return spans

    def span(self, row: int, col: int) -> int:
        """How many columns the cell at (row, col) covers in its own row (1 when not merged across)."""
        return self._spans.get((row, col), 1)

    def text(self, row: int, col: int) -> str | None:
        """The text written in the cell itself (None for empty or merge-covered cells)."""
        if row < len(self.cells) and col < len(self.cells[row]):
            return self.cells[row][col]
        return None

    def origin(self, row: int, col: int) -> tuple[int, int]:
        """The cell whose text shows at (row, col): itself, or the top-left cell of its merge."""
        return self.merged.get((row, col), (row, col))

    def shown(self, row: int, col: int) -> str | None:
        """The text shown at (row, col), merges included."""
        return self.text(*self.origin(row, col))

    def ref(self, row: int, col: int) -> str:
        """A1-style reference of a 0-based cell (row 11, col 2 → C12)."""
        return cell_ref(row, col)

    def where(self, row: int, col: int) -> str:
        """Sheet!C12 (or 表2!C12) for a 0-based cell, as users find it in Excel or Word."""
        return f"{self.name}!{cell_ref(row, col)}"


def column_letters(col: int) -> str:
    """Excel column letters of a 0-based column (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """A1 reference of a 0-based (row, col)."""
    return f"{column_letters(col)}{row + 1}"


def parse_ref(ref: str) -> tuple[int, int]:
    """0-based (row, col) of an A1 reference."""
    letters = "".join(ch for ch in ref if ch.isalpha()).upper()
    digits = "".join(ch for ch in ref if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return int(digits) - 1, col - 1


def merged_map(ranges: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Covered position → origin, from 0-based inclusive (r0, c0, r1, c1) ranges."""
    out: dict[tuple[int, int], tuple[int, int]] = {}
    for r0, c0, r1, c1 in ranges:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = (r0, c0)
    return out
