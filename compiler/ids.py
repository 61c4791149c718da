"""Item ids and registry entries written for people: one id convention, <地区代码>-<领域简称>-<序号>.

The embedded default, the README and docs/format.md number items 341321-sa-001: the region's
code, the key area's short Latin tag, a three-digit serial. `gkml init` and `gkml import` write
new ids the same way, so a catalog set keeps one style whichever tool wrote its items.
"""
from __future__ import annotations

import json
import re

_CODE = r"[0-9]{6}(?:[0-9]{3}|[0-9]{6})?"   # GB/T 2260, or the 9/12-digit statistical codes
_ID = re.compile(rf"^{_CODE}-([a-z0-9]+)-[0-9]{{3,}}$")


def is_region_code(text: str) -> bool:
    """6 digits, or 9 or 12 for a township (the registry schema's pattern)."""
    return re.fullmatch(_CODE, text) is not None


def area_tag(slug: str | None, known_ids=()) -> str:
    """The area's short tag: the one its existing ids use (341300-ee-001 → ee), else the slug's
    initials (social-assistance → sa; a one-word slug stays whole)."""
    for known in known_ids:
        found = _ID.match(known or "")
        if found:
            return found.group(1)
    words = [w for w in (slug or "").split("-") if w]
    if not words:
        return "catalog"
    return words[0] if len(words) == 1 else "".join(w[0] for w in words)


def item_id(region: str, tag: str, serial: int) -> str:
    """341321-sa-001."""
    return f"{region}-{tag}-{serial:03d}"


def guessed_region(code: str, registered) -> tuple[str, str | None]:
    """(level, parent) a GB/T 2260 code implies: XX0000 a province, XXXX00 a city, other 6-digit
    codes a county, 9 or 12 digits a township under its county's first 6 digits."""
    if len(code) > 6:
        return "township", code[:6]
    if code.endswith("0000"):
        return "province", None
    if code.endswith("00"):
        return "city", code[:2] + "0000"
    city, province = code[:4] + "00", code[:2] + "0000"
    return "county", (city if city in registered or province not in registered else province)


def region_lines(code: str, registered) -> str:
    """The line to add under regions: in regions.yaml for an unregistered code."""
    level, parent = guessed_region(code, registered)
    tail = f", parent: {json.dumps(parent)}" if parent else ""
    return f"  - {{code: {json.dumps(code)}, name: 填写地区名称, level: {level}{tail}}}"


def unit_lines(name: str, region: str, stems) -> str:
    """The lines to add under units: in units.yaml for an unregistered unit."""
    lines = [f"  - name: {name}", f"    region: {json.dumps(region)}"]
    if stems:
        lines.append(f"    stems: [{', '.join(stems)}]")
    return "\n".join(lines)
