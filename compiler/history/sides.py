"""Reading one side of a diff: a git revision, the working tree or a folder (the only I/O of history).

A side is a table of catalog file names (relative to the compared root) → git blob ids, and a way
to read the bytes of some of them. Blob ids say which files differ, so only those are read:
`git ls-tree` for a revision, git's index for a working tree in git (only the files it lists as
modified or untracked are read and hashed), the blob hash of the bytes for any other folder. Git
is read with `git` subprocesses (ls-tree, ls-files, cat-file --batch, grep), never by checking
anything out.
"""
from __future__ import annotations

import hashlib
import os
import re
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


# implements: "x" / 'x' / x in a block or flow mapping (the key possibly quoted); a value that is not
# on the line, or not plain, sends the file to be read (implementing() never misses a file)
_IMPLEMENTS = re.compile(rb"""["']?implements["']?\s*:\s*(?:"([^"\\]*)"|'([^']*)'|([^,}\]#]*))""")


def _kind(name: str) -> str | None:
    """"catalog" or "registry" for a YAML file gkml reads, else None."""
    if not name.endswith(YAML_SUFFIXES) or any(p.startswith(".") for p in name.split("/")):
        return None
    return kind_of(Path(name))


@dataclass
class Side:
    """One side of a diff: its label, the commit it names (None for files) and its catalog blobs."""

    label: str
    root: str                      # the compared folder as the user sees it ("catalogs", "old")
    commit: str | None
    blobs: dict[str, str]          # name relative to root -> blob id
    cwd: str = "."
    registry: dict[str, str] = field(default_factory=dict)   # the registry files, likewise
    _bytes: dict[str, bytes] = field(default_factory=dict)
    folder: Path | None = None     # files read from here on demand (a working tree known to git)
    _uses: tuple | None = None     # implementing(): (implements value -> names, names to read whatever the ids)

    def shown(self, name: str) -> str:
        """The file name as the user sees it (root prefixed)."""
        return f"{self.root.rstrip('/')}/{name}" if self.root not in ("", ".") else name

    def read(self, names: list[str]) -> dict[str, bytes]:
        """The bytes of the named files (one `git cat-file --batch` for a revision)."""
        missing = [n for n in names if n not in self._bytes]
        if missing and self.commit is not None:
            ids = [self.blobs.get(n) or self.registry[n] for n in missing]
            out = _git(["cat-file", "--batch"], self.cwd, ("\n".join(ids) + "\n").encode())
            pos = 0
            for name in missing:
                end = out.index(b"\n", pos)
                size = int(out[pos:end].split()[2])
                self._bytes[name] = out[end + 1:end + 1 + size]
                pos = end + 1 + size + 1
        elif missing and self.folder is not None:
            for name in missing:
                self._bytes[name] = (self.folder / name).read_bytes()
        return {n: self._bytes[n] for n in names}

    def containing(self, needles: list[str]) -> list[str]:
        """Names of the files whose text contains any of needles (git grep for a revision)."""
        if not needles:
            return []
        if self.commit is not None or self.folder is not None:
            args = ["-l"]
            for n in needles:
                args += ["-e", n]
            names = []
            for entry in self._grep(args).split(b"\0"):
                rel = self._relative(entry.decode("utf-8", "surrogateescape").removeprefix(f"{self.commit}:"))
                if rel in self.blobs:
                    names.append(rel)
            return sorted(set(names))
        coded = [n.encode("utf-8") for n in needles]
        raws = self.read(sorted(self.blobs))
        return [n for n, raw in raws.items() if any(c in raw for c in coded)]

    def implementing(self, ids: list[str]) -> list[str]:
        """Names of the files that may hold an item whose implements is one of ids (a superset: the
        caller reads them). One `git grep` of the side's implements lines serves every level of an
        impact chain: a scan of every blob per level took 2.5 s of a 3.9 s diff at county scale."""
        if self.commit is None and self.folder is None:
            return self.containing(ids)
        if self._uses is None:
            self._uses = self._implements_lines()
        values, always = self._uses
        names = set(always)
        for i in ids:
            names |= values.get(i, set())
        return sorted(names)

    def _grep(self, args: list[str]) -> bytes:
        """`git grep -F -z` over a revision's blobs or the working tree's files (untracked ones too)."""
        where = [self.commit] if self.commit is not None else ["--untracked", "--no-exclude-standard"]
        try:
            return _git(["grep", "-F", "-z", "--no-color", *args, *where, "--", self.root or "."], self.cwd)
        except UsageError:  # exit 1: nothing found
            return b""

    def _implements_lines(self) -> tuple[dict[str, set[str]], set[str]]:
        out = self._grep(["-e", "implements"])
        prefix = f"{self.commit}:"
        values: dict[bytes, set[str]] = {}
        always: set[str] = set()
        names: dict[bytes, str | None] = {}   # one lookup per file, not per line (160,000 lines at county scale)
        for line in out.split(b"\n"):
            path, _, text = line.partition(b"\0")
            rel = names.get(path, "")
            if rel == "":
                rel = names[path] = self._relative(path.decode("utf-8", "surrogateescape").removeprefix(prefix))
                if rel not in self.blobs:
                    names[path] = rel = None
            if rel is None:
                continue
            for found in _IMPLEMENTS.finditer(text):
                value = found.group(1) or found.group(2) or (found.group(3) or b"").strip()
                if value and value[:1] not in b"|>&*!\"'":
                    values.setdefault(value, set()).add(rel)
                else:   # a block scalar, an alias, a value on the next line: read the file to know
                    always.add(rel)
        return {k.decode("utf-8", "replace"): v for k, v in values.items()}, always

    def _relative(self, path: str) -> str:
        root = self.root.strip("/")
        return path[len(root) + 1:] if root not in ("", ".") and path.startswith(root + "/") else path


def _folder(path: Path, label: str) -> Side:
    tables: dict[str, dict[str, str]] = {"catalog": {}, "registry": {}}
    raws: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for filename in filenames:
            full = Path(dirpath, filename)
            name = full.relative_to(path).as_posix()
            kind = _kind(name)
            if kind is None:
                continue
            raw = full.read_bytes()
            raws[name] = raw
            tables[kind][name] = blob_id(raw)
    return Side(label, path.as_posix(), None, tables["catalog"], registry=tables["registry"], _bytes=raws)


def _worktree(root: str, cwd: str, label: str) -> Side | None:
    """The working tree's files under root from git's index: the blob ids of files git knows to be
    unchanged (its stat cache), hashing only the modified and untracked ones; None outside git."""
    try:
        staged = _git(["ls-files", "-s", "-z", "--", root], cwd)
        changed = _git(["ls-files", "-m", "-d", "-o", "-z", "--", root], cwd)
    except UsageError:
        return None
    stripped = root.strip("/")

    def relative(path: bytes) -> str:
        name = path.decode("utf-8", "surrogateescape")
        return name[len(stripped) + 1:] if stripped not in ("", ".") and name.startswith(stripped + "/") else name
    dirty = {relative(p) for p in changed.split(b"\0") if p}
    tables: dict[str, dict[str, str]] = {"catalog": {}, "registry": {}}
    folder = Path(cwd, root)
    raws: dict[str, bytes] = {}
    for entry in staged.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        name = relative(path)
        # a link (git's blob is its target's name) or a conflicted entry: hash what the file holds
        if meta.startswith(b"120000") or meta.split()[2:3] != [b"0"]:
            dirty.add(name)
        kind = _kind(name) if not meta.startswith(b"160000") else None   # not a submodule
        if kind is not None and name not in dirty:
            tables[kind][name] = meta.split()[1].decode()
    for name in sorted(dirty):
        kind = _kind(name)
        full = folder / name
        if kind is not None and full.is_file():   # a deleted file is gone from this side
            raws[name] = full.read_bytes()
            tables[kind][name] = blob_id(raws[name])
    return Side(label, root, None, tables["catalog"], cwd, tables["registry"], raws, folder)


def _revision(spec: str, root: str, cwd: str) -> Side:
    commit = _git(["rev-parse", "--verify", "--quiet", spec + "^{commit}"], cwd).decode().strip()
    out = _git(["ls-tree", "-r", "-z", commit, "--", root or "."], cwd)
    tables: dict[str, dict[str, str]] = {"catalog": {}, "registry": {}}
    stripped = root.strip("/")
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, oid = meta.split()
        name = path.decode("utf-8", "surrogateescape")
        if stripped not in ("", ".") and name.startswith(stripped + "/"):
            name = name[len(stripped) + 1:]
        which = _kind(name) if kind == b"blob" else None
        if which is not None:
            tables[which][name] = oid.decode()
    return Side(spec, root, commit, tables["catalog"], cwd, tables["registry"])


def open_side(spec: str, root: str = "catalogs", cwd: str = ".") -> Side:
    """The side a spec names: WORKTREE (the files under root), a folder, or a git revision."""
    if spec == WORKTREE:
        folder = Path(cwd, root)
        if not folder.is_dir():
            raise UsageError(f"目录文件夹不存在:{root}", f"no such folder: {root}")
        known = _worktree(root, cwd, "工作区")
        if known is not None:
            return known
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


def region_names(*sides: Side) -> dict[str, str]:
    """Region code -> name from the registry files of the sides (the first side's name wins)."""
    from ..loader import parse
    from ..registry import build_registry
    out: dict[str, str] = {}
    for side in reversed(sides):
        # read the regions files only (registry/regions.yaml by convention; the document library is
        # large and has none), every registry file when none is named so
        names = sorted(n for n in side.registry if "region" in n.rsplit("/", 1)[-1]) or sorted(side.registry)
        parsed = [parse(raw, side.shown(name)) for name, raw in side.read(names).items() if b"regions:" in raw]
        out.update({code: region.name for code, region in build_registry(parsed).regions.items()})
    return out


def differing(old: Side, new: Side) -> list[str]:
    """Names whose blob differs between the sides (present on one side only included), sorted."""
    return sorted(n for n in set(old.blobs) | set(new.blobs) if old.blobs.get(n) != new.blobs.get(n))
