"""The build's task scheduler: this process and forked helpers take tasks from one shared counter.

Each task writes its own files under the staging folder and returns a small value, so the
output is the same bytes whatever the scheduling (docs/data.md, "Parallel").
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import queue
import time
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

PARALLEL_FROM_ITEMS = 5000   # below this, starting worker processes costs more than it saves
HELPER_DIED = "生成进程意外退出(可能是内存不足);未生成。"


class Task(NamedTuple):
    """One unit of work: a label (what the progress and the results name) and what to run in the staging folder."""

    label: str
    run: Callable[[Path], object]


def workers_for(jobs: int, items: int) -> int:
    """How many processes a build of this many matters uses (jobs 0: one per CPU for large sets)."""
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if jobs == 0:
        return (os.cpu_count() or 1) if items >= PARALLEL_FROM_ITEMS else 1
    return jobs


def template_place(exc: BaseException) -> str:
    """template path:line of a Jinja2 error, '?' when unknown (syntax errors carry it; runtime errors only in the traceback)."""
    kept = getattr(exc, "template_place", None)
    if isinstance(kept, str):    # found in a helper, where the traceback was
        return kept
    name, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not name:
        tb = exc.__traceback__
        while tb is not None:   # Jinja2 rewrites frames of template code to the template's file and line
            if tb.tb_frame.f_code.co_filename.endswith((".html", ".j2")):
                name, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    return f"{name}:{line}" if name else "?"


def _claim(claimed) -> int:
    """The next task nobody has taken (the shared counter's value, then incremented)."""
    with claimed.get_lock():
        n = claimed.value
        claimed.value = n + 1
    return n


def _helper(work: list[Task], claimed, done, staging: str) -> None:
    """A forked helper: take tasks until none is left, send back (index, ok, value or exception)."""
    root = Path(staging)
    while (n := _claim(claimed)) < len(work):
        try:
            done.put((n, True, work[n][1](root)))
        except BaseException as exc:      # Ctrl-C too: the parent decides what happens next
            # a traceback does not cross processes: keep the template's file and line on the error
            with contextlib.suppress(AttributeError, TypeError):
                exc.template_place = template_place(exc)
            try:
                pickle.loads(pickle.dumps(exc))   # what the parent will have to unpickle
            except Exception:
                exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            done.put((n, False, exc))
            return


class Pool:
    """The processes of one build: this one and workers - 1 forked helpers (made when run starts)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pid = os.getpid()
        self.helpers: list[multiprocessing.process.BaseProcess] = []

    def helper_died(self) -> bool:
        """Whether a helper of this pool has died (False in a helper: it has none)."""
        return os.getpid() == self.pid and any(h.exitcode not in (None, 0) for h in self.helpers)

    def gate(self, count: int) -> "Gate":
        """A gate for tasks that wait for count others (made before the helpers are forked)."""
        return Gate(count, self)

    def run(self, work: list[Task], staging: Path, bar) -> Iterator[tuple[str, object]]:
        """Run every task once; yields (label, return value) as they finish.

        This process starts with the first task (the longest: the search index, which reads most of
        the model; a forked process would copy it page by page as it touched it), then takes tasks
        like the helpers do, from one shared counter: as many processes as workers, never one more
        (a third process on two cores only slows the other two).
        """
        if self.workers <= 1 or len(work) <= 1:
            for label, run in work:
                value = run(staging)
                bar.update(1)
                yield label, value
            return
        context = multiprocessing.get_context("fork")
        claimed = context.Value("q", 1)    # task 0 is this process's
        done = context.Queue()
        # the work list reaches the helpers by fork (a forked Process keeps its arguments as
        # they are): nothing is pickled but results
        self.helpers = [context.Process(target=_helper, args=(work, claimed, done, str(staging)), daemon=True)
                        for _ in range(min(self.workers - 1, len(work) - 1))]
        pending = len(work)

        def finished(block: bool) -> Iterator[tuple[str, object]]:
            nonlocal pending
            while pending:
                try:
                    index, ok, value = done.get(timeout=0.2) if block else done.get_nowait()
                except queue.Empty:
                    if not block:
                        return
                    if self.helper_died():
                        raise RuntimeError(HELPER_DIED) from None
                    continue
                if not ok:
                    raise value           # a helper's exception, re-raised here
                pending -= 1
                bar.update(1)
                yield work[index][0], value

        try:
            for helper in self.helpers:
                helper.start()
            n = 0
            while n < len(work):
                label, run = work[n]
                value = run(staging)
                pending -= 1
                bar.update(1)
                yield label, value
                yield from finished(block=False)   # a helper's failure stops the build early
                n = _claim(claimed)
            yield from finished(block=True)
            for helper in self.helpers:
                helper.join()
        finally:
            for helper in self.helpers:   # on failure or Ctrl-C: stop writing before the staging folder is removed
                if helper.is_alive():
                    helper.terminate()
            for helper in self.helpers:
                if helper.pid is not None:
                    helper.join()
            done.close()
            self.helpers = []


class Gate:
    """Tasks that wait for others (in any process) to finish: made before the helpers are forked."""

    def __init__(self, count: int, pool: Pool):
        self.count = count
        self.pool = pool
        self.done = multiprocessing.Value("q", 0)

    def opening(self, run: Callable[[Path], object]) -> Callable[[Path], object]:
        """run, counted as one of those waited for when it ends (even by an error: the build then stops)."""
        def counted(root: Path) -> object:
            try:
                return run(root)
            finally:
                with self.done.get_lock():
                    self.done.value += 1
        return counted

    def behind(self, run: Callable[[Path], object]) -> Callable[[Path], object]:
        """run, once every counted task has ended (they come first in the task list, so all are taken)."""
        def waiting(root: Path) -> object:
            while self.done.value < self.count:
                if self.pool.helper_died():   # its task will never be counted
                    raise RuntimeError(HELPER_DIED)
                time.sleep(0.002)
            return run(root)
        return waiting


class NoBar:
    """A progress bar that shows nothing."""

    def update(self, n: int) -> None:
        """Nothing."""


@contextlib.contextmanager
def no_progress() -> Iterator[NoBar]:
    """A context giving a NoBar (in place of click's progress bar)."""
    yield NoBar()
