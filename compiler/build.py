"""The build: a validated catalog set → every output the builders declare, under one output folder.

Like mkdocs' build: gather (the check result and the publication model), key every output,
reuse or render, write the manifest, swap. The builders (compiler/builders/, listed in
builders.BUILDERS) declare what they write, each output with its path, what its content depends
on and how to render it (compiler/builders/outputs.py); this engine knows no output by name.

Every file is rendered into a private staging folder beside the output, and only a complete
staging folder replaces the previous build, in one rename (compiler/outfolder.py). A failing
build (template error, full disk, Ctrl-C) removes its staging folder and leaves the previous
build untouched. The build only ever replaces its own output folder, refuses folders it did not
create, and holds the folder's lock from reading the previous build to the swap.

Incremental: every output's key is the hash of gkml's code, the templates, the path and what
the builder says the content depends on. The previous build's keys are in .gkml-manifest.json
(compiler/manifest.py); a file whose key is unchanged (and that was not touched since) is
hard-linked from the previous build instead of being rendered again, so a rebuild after a
one-file edit renders only what that edit can change, and gives the same bytes as a build from
scratch (tests/test_build_incremental.py checks this over random edit sequences).
"""
from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .builders.common import gather, source_epoch
from .builders.installed import BUILDERS
from .builders.outputs import Batch, Context, Copy, File, Group, Job, Output, PageState, Spliced, key_of, raw_data
from .cache import Cache
from .diagnostics import Severity
from .loader import Parsed
from .manifest import MANIFEST, MANIFEST_VERSION, Previous, Span, previous_build, write_manifest
from .outfolder import (MARKER, MARKER_TEXT, check_output, fsync_tree, link, locked, new_staging,
                        remove_stale_staging, replace)
from . import validity
from .pipeline import Result, fingerprint
from .builders import theme as themes
from .tasks import PARALLEL_FROM_ITEMS, Pool, Task, no_progress, template_place, workers_for

__all__ = ["Stats", "build", "entries", "template_place", "warnings_of"]

PARTS = ".gkml-parts"   # scratch folder inside staging (spliced fragments), removed before the swap


@dataclass(frozen=True)
class Stats:
    """What a build wrote: (Chinese noun, English noun, count) per kind of output, matters, warnings, reused files."""

    counts: tuple[tuple[str, str, int], ...]
    items: int
    warnings: int
    reused: int = 0           # files taken unchanged from the previous build


def entries() -> set[str]:
    """The names a build writes at the top of its output folder (anything else there is foreign)."""
    return {MARKER, MANIFEST, *(root for module in BUILDERS for root in module.ROOTS)}


def warnings_of(result: Result):
    """The warnings of a check result, in report order."""
    return [d for d in result.diagnostics if d.severity is Severity.WARNING]


def build(result: Result, out: Path, inputs: list[Path],
          progress: Callable[[int], contextlib.AbstractContextManager] | None = None, jobs: int = 0,
          reuse: bool = True, waiting: Callable[[], None] | None = None, scorecard=None,
          options: dict | None = None, theme: themes.Theme | None = None) -> Stats:
    """Render a clean check result into out (replacing a previous build); atomic and deterministic.

    jobs: worker processes (0 = one per CPU for large sets, 1 = none). reuse: take files whose
    key is unchanged from the previous build in out (False: render everything). waiting: called
    once when another build of out holds its lock (this one then waits for it). scorecard: an
    assess.Scorecard for the staff page site/staff/assess.html (None: no such page). options: what
    the command passes to the builders (Context.options: the site information, --staff). theme: the
    templates (default: the packaged ones; compiler/builders/theme.py).
    """
    target = check_output(out, inputs, entries())
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target, waiting):
        remove_stale_staging(target)
        with _collector_settled() as settle:
            return _build(result, target, progress, jobs, reuse, scorecard, options or {},
                          theme or themes.packaged(), settle)


@contextlib.contextmanager
def _collector_settled() -> Iterator[Callable[[], None]]:
    """The cyclic collector around a build: off while it plans, then kept off everything planned."""
    # the model is millions of long-lived objects: keep the collector off them (it would rescan
    # them for nothing, and in forked workers its bookkeeping would copy every page they share).
    # Planning adds millions more (keys, page states, the previous manifest) and no garbage cycle:
    # the collector's automatic passes over them freed nothing and took 3.3 s of a 20 s build
    # after a one-file edit, and each process's first full collection while writing workbooks
    # rescanned them all again, 0.9 s each (issue 22, benchmarks/RESULTS.md)
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()

    def settle() -> None:
        # called once planned, before the workers are forked: rendering does make garbage cycles
        # (the workbooks: builders/workbooks.py collects after them)
        gc.freeze()
        if enabled:
            gc.enable()
    try:
        yield settle
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _build(result: Result, target: Path, progress, jobs: int, reuse: bool, scorecard=None,
           options: dict | None = None, theme: themes.Theme | None = None,
           settle: Callable[[], None] = lambda: None) -> Stats:
    _pack_raw_data(result)
    cache = Cache() if reuse else None
    site = gather(result.project.catalogs, result.project.registry, result.project.today or validity.run_date())
    side = _SideWork(site.total_items)
    try:
        ctx = _context(site, result, cache if cache is not None and cache.enabled else None, target, side,
                       theme or themes.packaged())
        ctx.scorecard = scorecard
        ctx.options = options or {}
        planned = [list(module.outputs(ctx)) for module in BUILDERS]
        prev = previous_build(target) if reuse and target.exists() else Previous()
    finally:
        side.join_threads()   # no thread may run when the helpers are forked
    staging = new_staging(target)
    try:
        engine = _Engine(ctx, [o for outputs in planned for o in outputs], prev)
        pool = Pool(workers_for(jobs, site.total_items))
        work = engine.tasks(pool)
        settle()   # everything planned is as long-lived as the model (_collector_settled)
        with (progress(len(work)) if progress else no_progress()) as bar:
            for label, value in pool.run(work, staging, bar):
                engine.finished(label, value)
        engine.copy(staging)
        shutil.rmtree(staging / PARTS, ignore_errors=True)
        write_manifest(staging, engine.manifest_files(), engine.groups, engine.spans(), prev, engine.reused)
        fsync_tree(staging, skip=engine.reused)
        replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        side.join_processes()
    counts = tuple(c for module in BUILDERS if hasattr(module, "summary") for c in module.summary(ctx))
    return Stats(counts, site.total_items, len(ctx.warnings), len(engine.reused))


def _context(site, result: Result, cache: Cache | None, target: Path, side: "_SideWork", theme: themes.Theme) -> Context:
    """What the builders plan from: the model, and the keys every builder shares (registry, pages, everything)."""
    digests = {f.catalog.file: f.digest for f in result.files if f.catalog is not None}
    registry = key_of(sorted((f.source.name, f.digest) for f in result.files if f.source.kind == "registry"))
    # any template change (packaged or the project's override) changes every key: what a template
    # renders cannot be told from outside it (a block of base.html is on every page)
    base = key_of(fingerprint(), theme.digest(), source_epoch(), MANIFEST_VERSION)
    # the configured rule levels decide which findings the warnings page lists (compiler/config.py)
    everything = key_of(registry, [(c.file, digests.get(c.file)) for c in result.project.catalogs],
                        result.project.today, *((result.settings,) if result.settings else ()))
    pages = [PageState(q.catalog.file, digests.get(q.catalog.file), q.html_path, q.data_path, q.region_name,
                       q.area_name, q.area_slug) for q in site.pages]
    return Context(site, result, warnings_of(result), base, registry, pages, everything,
                   {id(q): n for n, q in enumerate(site.pages)}, cache, target, side.prefetch, side.background,
                   theme=theme)


def _pack_raw_data(result: Result) -> None:
    # the build never needs positions (diagnostics carry their own); at province scale they are
    # a third of the model's memory, which every forked worker would otherwise carry too. The raw
    # data is read a catalog at a time (builders.outputs.raw_data): packed, it is a third.
    for f in result.files:
        if f.catalog is not None:
            f.catalog.drop_positions()
            f.catalog.pack()
            if f.parsed.positions or f.parsed.data is not None:
                f.parsed = Parsed(f.parsed.file, None, {}, f.parsed.diagnostics)


def _write(root: Path, rel: str, data: bytes | str | None) -> None:
    if data is None:     # the render wrote it
        return
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


class _Engine:
    """The keyed outputs of one build, what the previous build lends, and the tasks that render the rest."""

    def __init__(self, ctx: Context, outputs: list[Output], prev: Previous):
        self.ctx, self.prev = ctx, prev
        self.base = ctx.base
        self.keys: dict[str, str] = {}                  # rel -> key, in build order (the manifest's)
        self.files: list[tuple[str, File]] = []
        self.spliced: list[tuple[Spliced, list[str]]] = []   # with its fragments' keys
        self.batches: list[Batch] = []
        self.group_outputs: list[Group] = []
        copies = [o for o in outputs if isinstance(o, Copy)]
        outputs = [o for o in outputs if not isinstance(o, Copy)]
        for output in outputs:
            if isinstance(output, Group):
                self.group_outputs.append(output)
                continue
            if isinstance(output, Batch):
                self.batches.append(output)
                for rel, key in output.files:
                    self._add(rel, key)
                continue
            self._add(output.rel, output.key)
            if isinstance(output, File):
                self.files.append((output.rel, output))
            else:
                fragment_keys = [key_of(self.base, output.rel, "fragment", key) for _, key in output.fragments]
                self.keys[output.rel] = key_of(self.keys[output.rel], fragment_keys)
                self.spliced.append((output, fragment_keys))
        # a copy is keyed by its source's key (declared by any builder: resolved after all of them)
        self.copies = [(c.rel, c.source) for c in copies]
        for rel, source in self.copies:
            self._add(rel, ("copy", self.keys[source]))
        self._add(MARKER, MARKER_TEXT)   # the engine's own file: this folder is a build
        self.files.append((MARKER, File(MARKER, MARKER_TEXT, lambda job: MARKER_TEXT)))
        self.reused = {rel for rel, key in self.keys.items() if prev.reusable(rel, key)}
        self.groups = {g.prefix: key_of(self.base, g.prefix, g.key) for g in self.group_outputs}
        self.groups_todo = []
        self.group_files: dict[str, str] = {}           # rel -> key of the groups' files
        for group in self.group_outputs:
            rels = prev.group(group.prefix, self.groups[group.prefix], self.keys)
            if rels is None or group.redo:
                self.groups_todo.append(group)
            else:
                self.reused.update(rels)
                self.group_files.update((rel, prev.files[rel].key) for rel in rels)
        self.new_spans: dict[str, list[Span]] = {}

    def _add(self, rel: str, key: object) -> None:
        if rel in self.keys or ".." in rel.split("/"):
            raise ValueError(f"output declared twice or outside the output folder: {rel}")
        self.keys[rel] = key_of(self.base, rel, key)

    def todo(self, rel: str) -> bool:
        """Whether rel must be rendered (the previous build cannot lend it)."""
        return rel not in self.reused

    # -- the tasks, in the order they are taken ----------------------------------------------

    def tasks(self, pool: Pool) -> list[Task]:
        """Groups first (this process's: the longest), batches, then the per-catalog tasks and linking,
        the other files, and last the files made of what the per-catalog tasks wrote."""
        first = [Task(g.prefix, lambda root, g=g: self._group(root, g)) for g in self.groups_todo]
        for batch in self.batches:
            wanted = {rel for rel, _ in batch.files if self.todo(rel)}
            if wanted:
                first.append(Task(batch.label, lambda root, b=batch, w=wanted: self._batch(root, b, w)))
        opening = [Task("link reused", self._link_reused)] if self.reused else []
        opening += self._catalog_tasks()
        model = [Task(rel, lambda root, rel=rel, f=f: _write(root, rel, f.render(Job(root))))
                 for rel, f in self.files if f.catalog is None and not f.after and self.todo(rel)]
        after = [(f.weight, Task(rel, lambda root, rel=rel, f=f: _write(root, rel, f.render(Job(root)))))
                 for rel, f in self.files if f.after and self.todo(rel)]
        after += [(s.weight, Task(s.rel, lambda root, i=i: self._splice(root, i)))
                  for i, (s, _) in enumerate(self.spliced) if self.todo(s.rel)]
        after.sort(key=lambda pair: -pair[0])
        # the files made of the per-catalog parts wait for those tasks only, not for the groups,
        # so that after an edit they run beside the search index
        gate = pool.gate(len(opening))
        return (first + [Task(t.label, gate.opening(t.run)) for t in opening] + model
                + [Task(t.label, gate.behind(t.run)) for _, t in after])

    def copy(self, root: Path) -> None:
        """Make the copies the previous build could not lend: hard links to their sources (copies where links fail)."""
        for rel, source in self.copies:
            if self.todo(rel):
                path = root / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                if not link(str(root / source), str(path)):
                    shutil.copy2(root / source, path)

    def _catalog_tasks(self) -> list[Task]:
        """One task per catalog: every file and fragment that reads its raw data, from one read of it."""
        files: dict[int, list[File]] = {}
        for rel, f in self.files:
            if f.catalog is not None and self.todo(rel):
                files.setdefault(f.catalog, []).append(f)
        fragments: dict[int, list[tuple[int, Spliced]]] = {}
        for s_number, (s, keys) in enumerate(self.spliced):
            if self.todo(s.rel):
                spans = self.prev.spliced.get(s.rel, {})
                for (n, _), key in zip(s.fragments, keys):
                    if key not in spans:
                        fragments.setdefault(n, []).append((s_number, s))
        site = self.ctx.site
        out = []
        for n in sorted(files.keys() | fragments.keys()):
            out.append(Task(f"catalog {site.pages[n].catalog.file}",
                            lambda root, n=n: self._catalog(root, n, files.get(n, []), fragments.get(n, []))))
        return out

    def _catalog(self, root: Path, n: int, files: list[File], fragments: list[tuple[int, Spliced]]) -> None:
        job = Job(root, n)
        with raw_data(self.ctx.site.pages[n].catalog):
            for f in files:
                _write(root, f.rel, f.render(job))
            for s_number, s in fragments:
                _write(root, f"{PARTS}/{s_number}/{n}", s.render_fragment(job))

    def _link_reused(self, root: Path) -> None:
        """Hard-link every reusable file of the previous build into root (copy where links fail)."""
        made: set[str] = set()
        source, dest = str(self.prev.root), str(root)
        for rel in sorted(self.reused):   # plain strings: ten thousand files, pathlib would double the time
            folder = os.path.dirname(rel)
            if folder not in made:
                os.makedirs(os.path.join(dest, folder), exist_ok=True)
                made.add(folder)
            old, new = os.path.join(source, rel), os.path.join(dest, rel)
            if not link(old, new):
                shutil.copy2(old, new)

    def _group(self, root: Path, group: Group) -> dict[str, str]:
        """Write a group's files; a file whose bytes the previous build has is linked from it. Returns rel -> key."""
        keys = {}
        made: set[str] = set()
        dest, source = str(root), str(self.prev.root)
        for rel, text in group.render(Job(root)):   # plain strings: thousands of files
            if not rel.startswith(group.prefix) or ".." in rel.split("/") or rel in self.keys:
                raise ValueError(f"file outside its group {group.prefix}: {rel}")
            data = text.encode("utf-8") if isinstance(text, str) else text
            keys[rel] = key = key_of(self.base, rel, hashlib.blake2b(data, digest_size=16).hexdigest())
            path = os.path.join(dest, rel)
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            # creating a file costs far more than linking one: an edit changes few of these files
            if not (self.prev.reusable(rel, key) and link(os.path.join(source, rel), path)):
                with open(path, "wb") as fh:
                    fh.write(data)
        return keys

    def _batch(self, root: Path, batch: Batch, wanted: set[str]) -> None:
        for rel, content in batch.render(Job(root), wanted):
            if rel not in wanted:
                raise ValueError(f"{batch.label} gave a file it was not asked for: {rel}")
            _write(root, rel, content)

    def _splice(self, root: Path, number: int) -> list[Span]:
        """A spliced file from the per-catalog parts and unchanged spans of the previous file."""
        s, keys = self.spliced[number]
        path = root / s.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        spans = self.prev.spliced.get(s.rel, {})
        parts = root / PARTS / str(number)
        out = []
        with contextlib.ExitStack() as stack:
            old = stack.enter_context(open(self.prev.root / s.rel, "rb")) if spans else None
            fh = stack.enter_context(open(path, "wb"))
            fh.write(s.head())
            for i, ((n, _), key) in enumerate(zip(s.fragments, keys)):
                if i:
                    fh.write(s.sep)
                start = fh.tell()
                span = spans.get(key)
                part = parts / str(n)
                if span is not None and old is not None:
                    old.seek(span[0])
                    fh.write(old.read(span[1]))
                elif part.exists():
                    fh.write(part.read_bytes())
                else:
                    with raw_data(self.ctx.site.pages[n].catalog):
                        fh.write(s.render_fragment(Job(root, n)))
                out.append(Span(key, start, fh.tell() - start))
            fh.write(s.tail)
        return out

    # -- what the tasks leave for the manifest -------------------------------------------------

    def finished(self, label: str, value: object) -> None:
        """Keep what a finished task returned for the manifest (a group's file keys, a splice's spans)."""
        if any(label == g.prefix for g in self.groups_todo):
            self.group_files.update(value)
        elif any(label == s.rel for s, _ in self.spliced):
            self.new_spans[label] = value

    def manifest_files(self) -> dict[str, str]:
        """Every output with its key: the declared ones in build order, then the groups' files."""
        files = dict(self.keys)
        files.update(sorted(self.group_files.items()))
        return files

    def spans(self) -> dict[str, list[Span]]:
        """Every spliced file's fragment spans (a reused file keeps the previous build's)."""
        out = {}
        for s, keys in self.spliced:
            if s.rel in self.new_spans:
                out[s.rel] = self.new_spans[s.rel]
            else:
                spans = self.prev.spliced.get(s.rel, {})
                out[s.rel] = [Span(k, *spans[k]) for k in keys] if all(k in spans for k in keys) else []
        return out


class _Prefetch:
    """A call run in a thread while the build goes on; result() waits for it, take() hands it over."""

    def __init__(self, fn: Callable, *args: object):
        self._value: object = None
        self._thread = threading.Thread(target=self._call, args=(fn, args), daemon=True)
        self._thread.start()

    def _call(self, fn: Callable, args: tuple) -> None:
        with contextlib.suppress(Exception):   # a cache that cannot be read is a miss
            self._value = fn(*args)

    def result(self) -> object:
        """The call's value (None when it failed), once it has ended."""
        self._thread.join()
        return self._value

    def take(self) -> object:
        """The call's value, which this handle then lets go of (a payload need not outlive its one use)."""
        value, self._value = self.result(), None
        return value


class _SideWork:
    """Work beside the build: reads in threads while it plans, writes in a forked process while it renders."""

    def __init__(self, items: int):
        self.items = items
        self.pid = os.getpid()
        self.threads: list[_Prefetch] = []
        self.processes: list[multiprocessing.process.BaseProcess] = []

    def prefetch(self, fn: Callable, *args: object) -> _Prefetch:
        """fn(*args) in a thread, joined before any helper is forked."""
        self.threads.append(_Prefetch(fn, *args))
        return self.threads[-1]

    def background(self, fn: Callable, *args: object) -> None:
        """fn(*args) in a forked process when the set is big (the build goes on), else now; done before the build returns."""
        if self.items < PARALLEL_FROM_ITEMS or os.getpid() != self.pid or \
                "fork" not in multiprocessing.get_all_start_methods():
            fn(*args)
            return
        process = multiprocessing.get_context("fork").Process(target=fn, args=args)
        process.start()   # which lets go of fn and args here: the child has its copy
        self.processes.append(process)

    def join_threads(self) -> None:
        """Wait for every prefetch."""
        for thread in self.threads:
            thread.result()

    def join_processes(self) -> None:
        """Wait for every background process."""
        for process in self.processes:
            process.join()
        self.processes = []
