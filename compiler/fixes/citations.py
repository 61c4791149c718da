"""Fixes for the citation rules (compiler/rules/bases.py)."""
from __future__ import annotations

from . import Target, fix


@fix("GK711", "已废止、失效的依据改为引用继任文件", "cite the successor of a repealed or expired basis")
def cite_successor(target: Target) -> bool:
    """The ended citation, as written, becomes the library's form of its successor (superseded_by);
    an article written with it is dropped, since the successor numbers its articles anew."""
    value, old, new = target.value(), target.args.get("citation"), target.args.get("replacement")
    if not (isinstance(value, str) and old and new and old in value):
        return False
    return target.set(value.replace(old, new, 1))
