"""Everything of an import that becomes a path: region codes, area slugs, and the final check that
each output stays inside --out (symlinks included). Pure except for resolving paths.

A catalog's file is <out>/<region>/<slug>.yaml: the region is a code of digits only, the slug is the
registry's (its schema pattern) or, for an area not in the registry, imp<8 hex digits of the
SHA-256 of its name>, so no text of a table or an option ever reaches the file system as written.
"""
from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

from ..ids import is_region_code

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")   # registry.schema.json's slug, at most 64 characters
UNREGISTERED_PREFIX = "imp"   # one word: compiler/ids.area_tag keeps it whole as the ids' tag
# names Windows will not create in any folder, whatever the extension (CON.yaml included)
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


def region_problem(code: str) -> str | None:
    """Why a region code cannot be used (in Chinese), or None when it is a valid code."""
    if is_region_code(code):     # GB/T 2260 (6 digits) or a township's 9 or 12 (compiler/ids.py)
        return None
    return _why(code, ("含有空字符(NUL);", "含有路径字符,不能作为文件夹名;", f"长 {len(code)} 个字符;"),
                "地区代码须为 6 位数字(省、市、县,GB/T 2260),或 9 位、12 位数字(乡镇街道,统计用区划代码)")


def region_problem_en(code: str) -> str:
    """The English reason for region_problem."""
    return _why(code, ("it contains a NUL character; ", "it contains path characters; ", f"{len(code)} characters long; "),
                "a region code is 6 digits (province, city, county: GB/T 2260) or 9 or 12 digits (township: statistical division code)")


def _why(code: str, reasons: tuple[str, str, str], rule: str) -> str:
    nul, path, long = reasons
    if "\x00" in code:
        return nul + rule
    if "/" in code or "\\" in code or ".." in code:
        return path + rule
    return (long if len(code) > 40 else "") + rule


def shown_value(value: str, limit: int = 200) -> str:
    """A value as it may be printed in a message: control characters escaped, cut to limit."""
    text = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in value)
    return text if len(text) <= limit else text[:limit] + f"…(共 {len(value)} 个字符)"


def slug_ok(slug: str) -> bool:
    """A registry slug that can safely be a file name on every system."""
    return bool(SLUG.match(slug)) and slug.split(".")[0] not in _RESERVED


def unregistered_slug(area: str) -> str:
    """The stable file name and id tag of an area missing from the registry: imp<8 hex digits>.

    A hash of the NFKC-normalised name without spaces: the same area always gets the same slug,
    two areas (almost surely) different ones, and the slug is plain ASCII whatever the name holds."""
    key = "".join(unicodedata.normalize("NFKC", area).split())
    return UNREGISTERED_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def escape(out: Path, target: Path) -> tuple[str, str] | None:
    """Why writing target would leave the folder out (zh, en), or None when it stays inside."""
    root = Path(os.path.realpath(out))
    if target.is_symlink():
        return "目标文件是符号链接", "the target file is a symlink"
    parent = Path(os.path.realpath(target.parent))
    if parent != root and root not in parent.parents:
        return (f"其所在文件夹实际位于 {parent}(符号链接指向 --out 之外)",
                f"its folder is really {parent} (a symlink pointing outside --out)")
    return None
