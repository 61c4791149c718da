"""A content-keyed cache of per-file results and of whole reports, safe to share between runs.

Keys are hashes of everything that changes a result: the file's bytes and name, the schema,
the gkml version (pipeline.fingerprint) and, for whole reports, the date rules compare with.
Entries are pickles signed with a per-user key (HMAC): the cache lives outside the project by
default, and a planted or corrupt entry fails the signature and is rebuilt, never trusted.
Every write goes to a temporary file renamed into place, so two runs at once cannot tear it.

The cache is bounded: at most once every PRUNE_EVERY seconds a run removes entries older than
$GKML_CACHE_MAX_DAYS (30) days, then the oldest until the total is under $GKML_CACHE_MAX_MB (512)
MB. One run prunes at a time (a lock); a run reading an entry as it is removed keeps its open file
or sees a miss, never a torn entry.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
import time
from pathlib import Path
from typing import BinaryIO, Callable

from .atomic import write_with

MAGIC = b"GKMLC1"
_SIG = 32
PRUNE_EVERY = 6 * 3600
DEFAULT_MAX_MB = 512
DEFAULT_MAX_DAYS = 30
STALE_TEMP = 3600          # a temporary file this old belongs to a run that died
_STAMP, _KEY = "pruned", "key"


def default_dir() -> Path:
    """$GKML_CACHE_DIR, else $XDG_CACHE_HOME/gkml, else ~/.cache/gkml."""
    if os.environ.get("GKML_CACHE_DIR"):
        return Path(os.environ["GKML_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gkml"


class Cache:
    """Signed pickle entries under one folder; every failure degrades to a miss."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root is not None else default_dir()
        self.key = self._load_key()
        if self.key is not None and _due(self.root):
            prune(self.root)

    @property
    def enabled(self) -> bool:
        return self.key is not None

    def _load_key(self) -> bytes | None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            path = self.root / "key"
            try:
                key = path.read_bytes()
                if len(key) == 32:
                    return key
            except FileNotFoundError:
                pass
            key = secrets.token_bytes(32)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(key)
            return key
        except FileExistsError:  # another run created it first
            try:
                key = (self.root / "key").read_bytes()
                return key if len(key) == 32 else None
            except OSError:
                return None
        except OSError:
            return None  # read-only home, full disk …: run without a cache

    def _path(self, space: str, name: str) -> Path:
        return self.root / space / name[:2] / name

    def _file(self, space: str, name: str) -> str:
        # plain strings: a check reads thousands of entries, and pathlib would cost more than the reads
        return os.path.join(self.root, space, name[:2], name)

    def has(self, space: str, name: str) -> bool:
        """True when an entry is stored under (space, name) (it may still prove corrupt on get)."""
        return self.key is not None and os.path.isfile(self._file(space, name))

    def get(self, space: str, name: str):
        """The object stored under (space, name), or None when absent, corrupt or forged."""
        return self.loads(self.read(space, name))

    def read(self, space: str, name: str) -> memoryview | None:
        """The signed payload stored under (space, name), verified but not unpickled (loads does that); None when absent, corrupt or forged.

        Reading and verifying let other threads run; unpickling does not.
        """
        if self.key is None:
            return None
        try:
            with open(self._file(space, name), "rb") as fh:
                blob = fh.read()
        except OSError:
            return None
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _SIG:
            return None
        sig = blob[len(MAGIC): len(MAGIC) + _SIG]
        payload = memoryview(blob)[len(MAGIC) + _SIG:]   # no copy: entries can be tens of MB
        if not hmac.compare_digest(sig, hmac.new(self.key, payload, hashlib.sha256).digest()):
            return None
        return payload

    @staticmethod
    def loads(payload: memoryview | None):
        """The object in a payload from read() (None for None, or when it does not unpickle)."""
        if payload is None:
            return None
        try:
            return pickle.loads(payload)
        except Exception:  # a version skew or a torn write that still matched: treat as a miss
            return None

    def put_named(self, space: str, value: object) -> str | None:
        """Store value under a name made from its content, and return the name (None when not stored).

        An entry already stored under that name is the same content: it is not written again."""
        if self.key is None:
            return None
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            return None
        name = hashlib.blake2b(payload, digest_size=20).hexdigest()
        if not os.path.isfile(self._file(space, name)):
            self._write(space, name, lambda signed: signed.write(payload))
        return name

    def put(self, space: str, name: str, value: object) -> None:
        """Store value under (space, name) atomically; failures are ignored."""
        if self.key is not None:
            # pickled straight into the file, signed as it goes: the search index's state is a
            # 230 MB pickle at province scale, which held whole beside the build took its largest
            # process past 2 GB (issue 22, benchmarks/RESULTS.md)
            self._write(space, name, lambda signed: pickle.dump(value, signed, protocol=pickle.HIGHEST_PROTOCOL))

    def _write(self, space: str, name: str, fill: Callable[["_Signed"], object]) -> None:
        """Store what fill writes as the payload of (space, name), after MAGIC and its signature; failures are ignored."""
        def entry(fh: BinaryIO) -> None:
            fh.write(MAGIC)
            fh.write(bytes(_SIG))   # the signature's place, filled once the payload is written
            signed = _Signed(fh, hmac.new(self.key, digestmod=hashlib.sha256))
            fill(signed)
            fh.seek(len(MAGIC))
            fh.write(signed.mac.digest())
        try:
            # private, not fsynced: a lost entry is only a cache miss
            write_with(self._path(space, name), entry, durable=False, mode=0o600)
        except Exception:
            return


class _Signed:
    """A file that also feeds what is written to it to a MAC."""

    def __init__(self, fh: BinaryIO, mac: hmac.HMAC):
        self.fh, self.mac = fh, mac

    def write(self, data) -> int:
        """Write data, and sign it."""
        self.mac.update(data)
        return self.fh.write(data)


def limits() -> tuple[int, int]:
    """(bytes, seconds): the size and age bounds, from $GKML_CACHE_MAX_MB and $GKML_CACHE_MAX_DAYS."""
    def number(name: str, default: int) -> int:
        value = os.environ.get(name, "")
        return int(value) if value.isdigit() else default
    return number("GKML_CACHE_MAX_MB", DEFAULT_MAX_MB) * 1024 * 1024, number("GKML_CACHE_MAX_DAYS", DEFAULT_MAX_DAYS) * 86400


def _due(root: Path) -> bool:
    try:
        return time.time() - os.stat(root / _STAMP).st_mtime > PRUNE_EVERY
    except OSError:
        return True


def entries(root: Path) -> list[tuple[float, int, str, str]]:
    """(mtime, size, space, path) of every file under root but the key and the stamp."""
    found = []
    for dirpath, _dirs, files in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        if rel == ".":
            continue
        space = rel.split(os.sep, 1)[0]
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue   # removed by another run meanwhile
            found.append((st.st_mtime, st.st_size, space, path))
    return found


def prune(root: Path, max_bytes: int | None = None, max_age: int | None = None, now: float | None = None) -> tuple[int, int]:
    """Remove expired entries, then the oldest beyond the size bound; (files, bytes) removed.
    Skipped (0, 0) while another run prunes."""
    default_bytes, default_age = limits()
    max_bytes = default_bytes if max_bytes is None else max_bytes
    max_age = default_age if max_age is None else max_age
    now = time.time() if now is None else now
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX: left unbounded rather than racing
        return 0, 0
    try:
        stamp = os.open(root / _STAMP, os.O_WRONLY | os.O_CREAT, 0o600)
    except OSError:
        return 0, 0
    try:
        try:
            fcntl.flock(stamp, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return 0, 0
        os.utime(stamp)
        removed = freed = 0
        listed = sorted(entries(root))
        total = sum(size for _, size, _, _ in listed)
        for mtime, size, _space, path in listed:
            temp = os.path.basename(path).startswith(".")
            expired = now - mtime > (STALE_TEMP if temp else max_age)
            if not expired and (temp or total <= max_bytes):
                continue
            try:
                os.unlink(path)
            except OSError:
                continue
            removed, freed, total = removed + 1, freed + size, total - size
        return removed, freed
    finally:
        os.close(stamp)


def clear(root: Path) -> tuple[int, int]:
    """Remove every entry (the signing key stays); (files, bytes) removed."""
    removed = freed = 0
    for _mtime, size, _space, path in entries(root):
        try:
            os.unlink(path)
        except OSError:
            continue
        removed, freed = removed + 1, freed + size
    return removed, freed


def digest(*parts: str | bytes) -> str:
    """A short hex key over parts."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()
