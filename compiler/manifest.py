"""The build manifest (.gkml-manifest.json): every output's key and size, for the next, incremental build."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Container, NamedTuple

MANIFEST = ".gkml-manifest.json"   # output path -> key and size, of the build it sits in
MANIFEST_VERSION = 3


class Entry(NamedTuple):
    """One output in the manifest: its key and its size in bytes."""

    key: str
    size: int


class Span(NamedTuple):
    """Where a fragment of a spliced file lies in it: the fragment's key, offset and length."""

    key: str
    offset: int
    length: int


@dataclass
class Previous:
    """What the previous build in the output folder can lend: files whose key matches."""

    root: Path | None = None
    files: dict[str, Entry] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)               # folder prefix -> its key
    spliced: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)  # rel -> fragment key -> (offset, length)
    written_ns: int = 0                                                # mtime of the manifest: the build's end

    def reusable(self, rel: str, key: str) -> bool:
        """True when the previous build has rel with this key, untouched since it was written."""
        entry = self.files.get(rel)
        if self.root is None or entry is None or entry.key != key:
            return False
        try:
            st = os.stat(os.path.join(self.root, rel))
        except OSError:
            return False
        # a file changed by hand after the build (newer than the manifest, or resized) is never
        # carried over; the manifest itself stays free of timestamps, so builds repeat byte for byte
        return st.st_size == entry.size and st.st_mtime_ns <= self.written_ns

    def group(self, prefix: str, key: str, outputs: Container[str] = ()) -> list[str] | None:
        """The files of a group (folder) when it was built under key and every file is untouched, else None.

        Files in outputs have keys of their own and are not part of the group.
        """
        if self.groups.get(prefix) != key:
            return None
        rels = [rel for rel in self.files if rel.startswith(prefix) and rel not in outputs]
        return rels if rels and all(self.reusable(rel, self.files[rel].key) for rel in rels) else None


def previous_build(target: Path) -> Previous:
    """The manifest of the build in target; an empty Previous when it is missing or unreadable."""
    try:
        path = target / MANIFEST
        written = os.stat(path).st_mtime_ns
        data = json.loads(path.read_text("utf-8"))
        if data.get("version") != MANIFEST_VERSION or not isinstance(data.get("files"), dict):
            return Previous()
        files = {rel: Entry(*entry) for rel, entry in data["files"].items()
                 if isinstance(entry, list) and len(entry) == 2 and ".." not in rel.split("/")}
        groups = data.get("groups", {})
        prev = Previous(target, files, written_ns=written,
                        groups={k: v for k, v in groups.items() if isinstance(k, str) and isinstance(v, str)})
        for rel, spans in data.get("spliced", {}).items():
            # the offsets are only good in the very file they were taken from
            if rel in files and prev.reusable(rel, files[rel].key):
                prev.spliced[rel] = {key: (offset, length) for key, offset, length in spans}
        return prev
    except (OSError, ValueError, TypeError, AttributeError):
        return Previous()


def write_manifest(staging: Path, outputs: dict[str, str], groups: dict[str, str],
                   spliced: dict[str, list[Span]], prev: Previous, reused: Container[str]) -> None:
    """Write .gkml-manifest.json into staging: every output (rel -> key) with its size, the groups' keys, the splices' spans."""
    files = {}
    root = str(staging)
    for rel, key in outputs.items():   # plain strings: twenty thousand files
        # a reused file is the previous build's (a link to it, or a copy): its size is known
        files[rel] = [key, prev.files[rel].size if rel in reused else os.stat(os.path.join(root, rel)).st_size]
    data = {"version": MANIFEST_VERSION, "files": files, "groups": dict(sorted(groups.items())),
            "spliced": {rel: [list(s) for s in spans] for rel, spans in sorted(spliced.items())}}
    (staging / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")
