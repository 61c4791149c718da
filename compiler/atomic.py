"""Atomic writes: write beside the target, then swap, so a failure never leaves half a file or folder."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO, Callable


def write_text(path: Path, text: str) -> None:
    """Replace path with text atomically (temp file in the same folder, fsync, rename)."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes | list[bytes], durable: bool = True, mode: int | None = None) -> None:
    """Replace path with data (bytes, or a list of parts written one after another) atomically;
    durable fsyncs first (a cache entry need not be), mode defaults to what a plain open() would
    give (mkstemp alone would make it 0600)."""
    write_with(path, lambda fh: fh.writelines([data] if isinstance(data, bytes) else data), durable, mode)


def write_with(path: Path, fill: Callable[[BinaryIO], object], durable: bool = True, mode: int | None = None) -> None:
    """Replace path atomically with what fill writes to the open (seekable) file; durable and mode as write_bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if mode != 0o600:
            os.chmod(tmp, _mode_for(path) if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _mode_for(path: Path) -> int:
    """The existing file's permissions, else 0666 less the process umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_new(path: Path, data: bytes) -> bool:
    """Create path with data only if it does not exist (never overwrites); False when it exists."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return True


def swap_dir(staging: Path, target: Path) -> None:
    """Put a fully written staging folder in place of target; the old one is removed only after."""
    target = Path(target)
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
