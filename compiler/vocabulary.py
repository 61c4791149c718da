"""The vocabularies (channels, audience, method, levels, stage), read from the schema's $defs: defined once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import resources


@dataclass(frozen=True)
class Vocabulary:
    """One controlled list: canonical values in template order, and accepted synonyms."""

    name: str
    title: str
    canonical: tuple[str, ...]
    synonyms: dict  # synonym -> canonical

    def canonicalize(self, value: object) -> object:
        """The canonical form of a value (unknown values are returned unchanged)."""
        if type(value) is str:
            return self.synonyms.get(value, value)
        return value

    def accepts(self, value: object) -> bool:
        """Whether the schema accepts value here: canonical, a synonym, or free text after 其他: (channels)."""
        if type(value) is not str:
            return False
        if value in self.canonical or value in self.synonyms:
            return True
        return "其他" in self.canonical and value[:3] in ("其他:", "其他:") and len(value) > 3

    def order(self, value: str) -> int:
        """Position in template order (free-text 其他:… sorts with 其他)."""
        value = self.canonicalize(value)
        if value in self.canonical:
            return self.canonical.index(value)
        if isinstance(value, str) and value.startswith("其他"):
            return self.canonical.index("其他") if "其他" in self.canonical else len(self.canonical)
        return len(self.canonical)


def _find(node: object, name: str) -> dict | None:
    if isinstance(node, dict):
        if node.get("x-gkml-vocabulary") == name:
            return node
        for value in node.values():
            found = _find(value, name)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find(value, name)
            if found is not None:
                return found
    return None


@lru_cache(maxsize=None)
def get(name: str) -> Vocabulary:
    """The vocabulary called name ('channel', 'audience', 'method', 'level', 'stage')."""
    node = _find(resources.schema("catalog")["$defs"], name)
    if node is None:
        raise KeyError(name)
    return Vocabulary(name, node["title"], tuple(node["x-gkml-canonical"]), dict(node["x-gkml-synonyms"]))


# The levels a catalog is written at (schema: level), top down, and their Chinese names (the item
# level vocabulary's canonical values): the one table of level <-> 县级 every layer reads.
LEVELS = ("province", "city", "county", "township")
LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级", "township": "乡级"}
LEVEL_ORDER = {level: n for n, level in enumerate(LEVELS)}
LEVEL_OF_NAME = {name: level for level, name in LEVEL_NAMES.items()}   # 县级 -> county (村级 has no catalog)
LEVEL_OF_ZH = {**LEVEL_OF_NAME, "村级": "village"}                       # every item level, for the portal's keys
