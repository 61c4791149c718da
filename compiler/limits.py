"""Size limits of one catalog file, in one place: the loader refuses past them, the importer never
writes past them, and the importer's sheet limit is derived from them.

Nodes are counted as the loader counts them (compiler/loader.py): every scalar, key or value, and
every mapping or list, once; count_nodes gives the same number for plain data.
"""
from __future__ import annotations

MAX_BYTES = 8 * 1024 * 1024      # one catalog of a few hundred matters is < 1 MiB
MAX_NODES = 500_000               # expanded nodes, aliases counted at their full size
MAX_DEPTH = 64

# The smallest item an import can write: {id, matter, source: {file, sheet, row, cells: {matter}}}
# is 17 nodes, so a sheet of more rows than this can never become one loadable catalog.
MIN_IMPORTED_ITEM_NODES = 17
MAX_SHEET_ROWS = MAX_NODES // MIN_IMPORTED_ITEM_NODES    # 29 411 rows of one sheet or Word table
MAX_SHEET_COLS = 200


def count_nodes(value: object) -> int:
    """Nodes of plain data (dicts, lists, scalars) as compiler.loader counts them when reading it back."""
    count = 0
    stack = [value]
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            count += len(node)           # the keys
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


def min_text_bytes(value: object) -> int:
    """A lower bound of the UTF-8 size of the YAML text of plain data: its strings and keys alone."""
    total = 0
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            total += sum(len(str(k).encode("utf-8")) for k in node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            total += len(node.encode("utf-8"))
    return total


class CatalogTooLarge(ValueError):
    """A catalog whose YAML text would be over a limit: what was measured and the limit."""

    def __init__(self, what: str, size: int, limit: int):
        super().__init__(f"{what} {size} > {limit}")
        self.what = what        # "nodes" | "bytes"
        self.size = size
        self.limit = limit


def check_size(data: object, max_nodes: int = MAX_NODES, max_bytes: int = MAX_BYTES) -> int:
    """The node count of data, or CatalogTooLarge when it (or its text, at the least) is over a limit."""
    nodes = count_nodes(data)
    if nodes > max_nodes:
        raise CatalogTooLarge("nodes", nodes, max_nodes)
    least = min_text_bytes(data)
    if least > max_bytes:
        raise CatalogTooLarge("bytes", least, max_bytes)
    return nodes
