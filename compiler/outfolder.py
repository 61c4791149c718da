"""The output folder of a build: which folders may be replaced, the lock, the staging folder and the swap.

A build renders into a private staging folder beside the output (same file system) and only a
complete staging folder replaces the previous build, in one rename. These are the file-system
steps around that: refusing folders gkml did not write, one build at a time per output folder,
removing the staging folders of builds that died, making the new build durable, and swapping.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Callable, Container, Iterator

from .atomic import swap_dir
from .sources import UsageError

MARKER = ".gkml-build"
MARKER_TEXT = "This folder is written by `gkml build` and replaced as a whole on every build.\n" \
              "本目录由 gkml build 生成,每次生成时整体替换;请不要在其中存放其他文件。\n"


def check_output(out: Path, inputs: list[Path], entries: Container[str]) -> Path:
    """The absolute output folder, or UsageError when writing there could destroy other files.

    entries: the names a build writes at the top of its output folder (anything else is foreign).
    """
    out = Path(out)
    if out.is_symlink():
        raise UsageError(f"输出目录 {out} 是符号链接;请用 --out 指定一个真实目录。")
    target = out.resolve()
    cwd = Path.cwd().resolve()
    if target == cwd:
        raise UsageError(f"不能把当前目录 {out} 用作输出目录(每次生成都会整体替换输出目录);请用 --out 指定子目录,如 build。")
    for given in inputs:
        source = given.resolve()
        if source == target or source.is_relative_to(target):
            raise UsageError(f"输出目录 {out} 包含输入 {given};生成时会整体替换输出目录,请换一个目录。")
        if target.is_relative_to(source):
            raise UsageError(f"输出目录 {out} 位于输入 {given} 之内;请把输出放在目录文件之外,如 build。")
    if target.exists():
        if not target.is_dir():
            raise UsageError(f"输出路径 {out} 已存在且不是目录。")
        names = {p.name for p in target.iterdir()}
        if names and MARKER not in names:
            raise UsageError(f"输出目录 {out} 不是空目录,也不是 gkml 生成的目录(没有 {MARKER});"
                             "为避免删除其中的文件,已停止。请换一个目录或先清空它。")
        foreign = sorted(name for name in names if name not in entries)
        if foreign:
            raise UsageError(f"输出目录 {out} 中有不是 gkml 生成的文件:{'、'.join(foreign[:5])};"
                             "为避免删除它们,已停止。请移走这些文件或换一个目录。")
    return target


# ---------------------------------------------------------------------------------------------
# One build at a time


def lock_path(target: Path) -> Path:
    """The lock file of an output folder: beside it, like its staging folders."""
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def locked(target: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock (flock on .NAME.lock beside it); waiting() is called once if another build holds it.

    Held from before the previous build is read until the new one is in place and the search
    index's cache entry (one per output folder) is written, so two builds never read or splice
    from a folder the other is writing. The lock file is removed on release: a build that
    finds, once it holds the lock, that its file was removed or replaced meanwhile locks again.
    """
    try:
        import fcntl
    except ImportError:     # not POSIX (Windows): builds of one folder are not serialised there
        yield
        return
    path = lock_path(target)
    told = False
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if waiting is not None and not told:
                    waiting()
                    told = True
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)          # the holder removed the file on release: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


# ---------------------------------------------------------------------------------------------
# Staging folders


def new_staging(target: Path) -> Path:
    """A new staging folder beside target, named after this process (.NAME.staging-PID-XXXX)."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-{os.getpid()}-", dir=target.parent))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True       # someone else's process
    return True


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove the staging folders that builds of target left when they died (kill -9, power loss); returns them.

    Called with the lock held, so no build that locks is using any of them; a folder named
    with the pid of a living process is still kept (a build of a gkml from before the lock),
    and one without a pid is a dead build's from before the pid was in the name.
    """
    pattern = re.compile(rf"\.{re.escape(target.name)}\.staging-(?:(\d+)-)?[^/]*")
    removed = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            match = pattern.fullmatch(entry.name)
            if not match or not entry.is_dir(follow_symlinks=False):
                continue
            pid = int(match.group(1)) if match.group(1) else None
            if pid is not None and pid != os.getpid() and _alive(pid):
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


# ---------------------------------------------------------------------------------------------
# Durable, then visible


def fsync_tree(root: Path, skip: Container[str] = frozenset()) -> None:
    """Make the new build durable before it becomes visible (the rename is only as good as the data).

    Linux: one syncfs() of the file system (a province build is ten thousand files; one fsync
    each costs seconds). Elsewhere: fsync every file, except those linked from the previous
    build, which that build made durable.
    """
    if os.name != "posix":
        return
    if syncfs(root):
        return
    for dirpath, _, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
            if rel in skip:
                continue
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def syncfs(root: Path) -> bool:
    """syncfs(2) on root's file system; False when unavailable or failing."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.syncfs
    except (OSError, AttributeError):
        return False
    call.argtypes = [ctypes.c_int]
    fd = os.open(root, os.O_RDONLY)
    try:
        return call(fd) == 0
    finally:
        os.close(fd)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def replace(staging: Path, target: Path) -> None:
    """Put staging in place of target; the previous build is removed only once the new one is in place."""
    if not target.exists():
        os.rename(staging, target)
    elif exchange(staging, target):
        remove_tree(staging)   # staging now holds the previous build
    else:
        swap_dir(staging, target)


def remove_tree(root: Path, biggest: str = "site") -> None:
    """Remove a previous build (tens of thousands of files): its biggest folder in a second thread.

    Unlinking is a system call that lets the other thread run, so two threads take about
    two thirds of the time of one; nothing forks while this runs (the build is done).
    """
    worker = threading.Thread(target=shutil.rmtree, args=(root / biggest,), kwargs={"ignore_errors": True})
    worker.start()
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                if entry.name == biggest:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
    except OSError:
        pass   # whatever is left goes with the folder itself, below
    finally:
        worker.join()
    shutil.rmtree(root, ignore_errors=True)


def link(source: Path | str, dest: Path | str) -> bool:
    """Hard-link source to dest; False where the file system refuses (the caller writes or copies)."""
    try:
        os.link(source, dest)
        return True
    except OSError:
        return False
