"""Reading one side of a diff: a git revision, the working tree or a folder (the only I/O of history).

A side is a table of catalog file names (relative to the compared root) → git blob ids, and a way
to read the bytes of some of them. Blob ids say which files differ, so only those are read:
`git ls-tree` for a revision, the blob hash of the bytes for a folder. Git is read with `git`
subprocesses (ls-tree, cat-file --batch, grep), never by checking anything out.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..sources import YAML_SUFFIXES, UsageError, kind_of

WORKTREE = ""  # the spec of the working tree


def blob_id(raw: bytes) -> str:
    """The git blob id of bytes (what `git hash-object` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def _git(args: list[str], cwd: str, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False)
    except OSError as exc:
        raise UsageError(f"无法运行 git:{exc}", f"cannot run git: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]} 失败:{message[-1] if message else done.returncode}",
                         f"git {args[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def _is_catalog(name: str) -> bool:
    return name.endswith(YAML_SUFFIXES) and not any(p.startswith(".") for p in name.split("/")) \
        and kind_of(Path(name)) == "catalog"


@dataclass
class Side:
    """One side of a diff: its label, the commit it names (None for files) and its catalog blobs."""

    label: str
    root: str                      # the compared folder as the user sees it ("catalogs", "old")
    commit: str | None
    blobs: dict[str, str]          # name relative to root -> blob id
    cwd: str = "."
    _bytes: dict[str, bytes] = field(default_factory=dict)

    def shown(self, name: str) -> str:
        """The file name as the user sees it (root prefixed)."""
        return f"{self.root.rstrip('/')}/{name}" if self.root not in ("", ".") else name

    def read(self, names: list[str]) -> dict[str, bytes]:
        """The bytes of the named files (one `git cat-file --batch` for a revision)."""
        missing = [n for n in names if n not in self._bytes]
        if missing and self.commit is not None:
            ids = [self.blobs[n] for n in missing]
            out = _git(["cat-file", "--batch"], self.cwd, ("\n".join(ids) + "\n").encode())
            pos = 0
            for name in missing:
                end = out.index(b"\n", pos)
                size = int(out[pos:end].split()[2])
                self._bytes[name] = out[end + 1:end + 1 + size]
                pos = end + 1 + size + 1
        return {n: self._bytes[n] for n in names}

    def containing(self, needles: list[str]) -> list[str]:
        """Names of the files whose text contains any of needles (git grep for a revision)."""
        if not needles:
            return []
        if self.commit is not None:
            args = ["grep", "-l", "-F", "-z", "--no-color"]
            for n in needles:
                args += ["-e", n]
            try:
                out = _git(args + [self.commit, "--", self.root or "."], self.cwd)
            except UsageError:  # exit 1: nothing found
                return []
            prefix = f"{self.commit}:"
            names = []
            for entry in out.split(b"\0"):
                path = entry.decode("utf-8", "surrogateescape")
                if path.startswith(prefix):
                    path = path[len(prefix):]
                rel = self._relative(path)
                if rel in self.blobs:
                    names.append(rel)
            return sorted(set(names))
        coded = [n.encode("utf-8") for n in needles]
        raws = self.read(sorted(self.blobs))
        return [n for n, raw in raws.items() if any(c in raw for c in coded)]

    def _relative(self, path: str) -> str:
        root = self.root.strip("/")
        return path[len(root) + 1:] if root not in ("", ".") and path.startswith(root + "/") else path


def _folder(path: Path, label: str) -> Side:
    blobs: dict[str, str] = {}
    raws: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in filenames:
            full = Path(dirpath, filename)
            name = full.relative_to(path).as_posix()
            if not _is_catalog(name):
                continue
            raw = full.read_bytes()
            raws[name] = raw
            blobs[name] = blob_id(raw)
    return Side(label, path.as_posix(), None, blobs, _bytes=raws)


def _revision(spec: str, root: str, cwd: str) -> Side:
    commit = _git(["rev-parse", "--verify", "--quiet", spec + "^{commit}"], cwd).decode().strip()
    out = _git(["ls-tree", "-r", "-z", commit, "--", root or "."], cwd)
    blobs: dict[str, str] = {}
    stripped = root.strip("/")
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, oid = meta.split()
        name = path.decode("utf-8", "surrogateescape")
        if stripped not in ("", ".") and name.startswith(stripped + "/"):
            name = name[len(stripped) + 1:]
        if kind == b"blob" and _is_catalog(name):
            blobs[name] = oid.decode()
    return Side(spec, root, commit, blobs, cwd)


def open_side(spec: str, root: str = "catalogs", cwd: str = ".") -> Side:
    """The side a spec names: WORKTREE (the files under root), a folder, or a git revision."""
    if spec == WORKTREE:
        folder = Path(cwd, root)
        if not folder.is_dir():
            raise UsageError(f"目录文件夹不存在:{root}", f"no such folder: {root}")
        side = _folder(folder, "工作区")
        side.root = root
        return side
    if Path(cwd, spec).is_dir():
        side = _folder(Path(cwd, spec), spec)
        side.root = spec.rstrip("/") or spec
        return side
    try:
        return _revision(spec, root, cwd)
    except UsageError:
        raise UsageError(f"“{spec}”既不是文件夹,也不是 git 修订版本(提交、分支或标签)",
                         f"'{spec}' is neither a folder nor a git revision (commit, branch or tag)") from None


def differing(old: Side, new: Side) -> list[str]:
    """Names whose blob differs between the sides (present on one side only included), sorted."""
    return sorted(n for n in set(old.blobs) | set(new.blobs) if old.blobs.get(n) != new.blobs.get(n))
