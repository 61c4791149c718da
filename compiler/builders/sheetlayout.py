"""How tall a workbook row must be: the wrapped lines of its cells, laid out with the fonts' metrics.

Neither LibreOffice nor Excel grows a row with an explicit height (and Excel never grows one for a
merged cell), so the workbooks carry every row's height, computed here from the text's layout:
each character's advance width, line breaks at word boundaries for Latin text and between any two
CJK characters except before closing or after opening punctuation (the Chinese line-breaking
rule, GB/T 15834 标点符号用法 4.1), for the narrowest column and the tallest line of the programs
that open the workbooks. That is pessimistic by design: a row a little too tall prints whole, a
row too short cuts its last line (tests/test_excel_render.py checks it against LibreOffice's own
layout).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

FONT_SIZE = 10.0       # points, the body cells' size (compiler/builders/excel.py)
# Line height in em: Noto Sans/Serif CJK, the faces LibreOffice takes for 宋体 on Linux, have
# ascent + descent = 1.448 em; SimSun in Excel and WPS lays lines at about 1.14 em.
LINE_EM = 1.45
PADDING = 3.0          # points above and below the lines (cell margins and borders)
# Advance widths (1/1000 em) of the printable ASCII characters U+0020-U+007E: the widest of
# Noto Sans CJK SC and Noto Serif CJK SC, regular and bold, and SimSun's half em (measured with
# fontTools from Debian's fonts-noto-cjk 20220127). Every other character counts one em: CJK
# characters, full-width punctuation and the ■ □ √ marks are one em in all of them.
ASCII_ADVANCE = (
    500, 500, 574, 615, 590, 966, 803, 500, 500, 500, 507, 603, 500, 500, 500, 500, 593, 590, 594, 593,
    593, 594, 594, 590, 594, 596, 500, 500, 603, 603, 603, 514, 1007, 746, 708, 702, 789, 666, 648, 757,
    864, 500, 568, 767, 642, 1001, 815, 785, 673, 785, 751, 624, 695, 818, 734, 1091, 726, 701, 627, 500,
    500, 500, 603, 593, 626, 591, 672, 565, 658, 581, 500, 597, 687, 500, 500, 651, 500, 1008, 685, 626,
    671, 644, 500, 500, 500, 678, 578, 874, 599, 582, 517, 500, 500, 500, 603)
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%,.;:?!)]}>")   # closing marks stay with what precedes
NO_LINE_END = frozenset("（《「『【〔〈“‘([{<")                                # opening marks stay with what follows
_TOKEN = re.compile(r"[!-~]+| +|.", re.S)      # a Latin word, spaces, or one other character


def column_points(width: float) -> float:
    """Room for text in a column width characters wide, in points: Excel's pixels at Calibri 11 (the narrowest reader)."""
    # Excel shows a width of w characters as trunc(7 w + 5) pixels, 5 of them padding; LibreOffice
    # shows it wider (7 points a character), so text wrapped for Excel fits there too
    return max(math.trunc(7 * width + 5) - 5, 1) * 0.75


def _advance(token: str) -> float:
    """Width of a token in em."""
    if token.isascii():
        return sum(ASCII_ADVANCE[ord(c) - 32] if " " <= c <= "~" else 1000 for c in token) / 1000
    return float(len(token))


@lru_cache(maxsize=65536)
def lines(text: str, width: float, size: float = FONT_SIZE) -> int:
    """Lines text takes in a column width characters wide at size points."""
    room = column_points(width) / size           # in em
    if "\n" not in text and len(text) <= room:
        return 1             # fits even if every character is one em wide (ticks, short names)
    return sum(1 if len(part) <= room else _paragraph_lines(part, room) for part in text.split("\n"))


def _paragraph_lines(text: str, room: float) -> int:
    count, used, last = 1, 0.0, 0.0          # lines, width on this line, width of its last token
    ends_open = False
    for token in _TOKEN.findall(text):
        width = 1.0 if token[0] > "~" else _advance(token)     # a token past ASCII is one character
        if used + width <= room:
            used, last = used + width, width
            ends_open = token in NO_LINE_END
            continue
        if token[0] == " ":                   # a break at spaces: they vanish at the line's end
            count, used, last, ends_open = count + 1, 0.0, 0.0, False
            continue
        carried = 0.0
        if used > 0.0:                        # a new line, taking the last token along where the marks say so
            count += 1
            carried = last if (token in NO_LINE_START or ends_open) and last < used else 0.0
        if carried + width > room:            # a word longer than the line: broken anywhere
            extra = math.ceil((carried + width) / room) - 1
            count += extra
            used = carried + width - extra * room
        else:
            used = carried + width
        last, ends_open = width, token in NO_LINE_END
    return count


def row_height(line_count: int, size: float = FONT_SIZE) -> float:
    """Row height in points for line_count lines at size points (a number with a short, exact decimal form)."""
    return round(line_count * LINE_EM * size + PADDING, 2)
