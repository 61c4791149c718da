"""The check pipeline: gather every file, parse, schema, model, file rules; then project rules.

load (with positions) → schema → model → rules → diagnostics. Reading files is the only I/O;
every stage after it is pure, so a file's result depends on its bytes alone and can be cached
or computed in another process.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import multiprocessing
import os
import secrets
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from . import __version__, dated, fields, named, scope, suppress
from . import config as project_config
from .cache import Cache, digest
from .dated import Known
from .diagnostics import Diagnostic, make, ordered
from .loader import Parsed, parse
from .model import Catalog, Project, build_catalog, reload_all
from .registry import Registry, build_registry
from .runstate import RunState, Scoped, Seen, Stat, TablesEntry, cached_registry, loaded_tables, stored_tables
from .rules import file_rules, project_rules
from .schema import drop_empty, validate
from .sources import Source, discover, find_registry


@dataclass(frozen=True)
class Options:
    """What the user asked for; built by the CLI, read by the pipeline."""

    paths: tuple[str, ...] = ("catalogs",)
    lang: str = "zh"
    strict: bool = False
    jobs: int = 0          # 0 = automatic
    cache: bool = True
    cache_dir: str | None = None
    base: str = "."
    config: str | None = None      # --config FILE; else gkml.yaml is looked for upward from base
    whole_set: bool = False        # files named alone: check their whole catalog set, report on them only


@dataclass(slots=True)
class FileResult:
    """Everything one file contributes: parsed data, its model and its file-local diagnostics."""

    source: Source
    digest: str
    parsed: Parsed
    catalog: Catalog | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    semantic: str = ""  # semantic_digest, when computed before the data was dropped
    directives: tuple = ()  # suppression comments (compiler/suppress.py)
    dates: Known | None = None  # a catalog's submission and last change (dated.py), for the scorecard

    def compact(self, keep_semantic: bool = True) -> "FileResult":
        """Drop a catalog's raw data and positions (reloaded on demand) for cheap transfer."""
        if self.catalog is not None:
            if keep_semantic and not self.semantic:
                self.semantic = semantic_digest(self)
            self.catalog.compact()
            self.parsed = Parsed(self.parsed.file, None, {}, self.parsed.diagnostics)
        return self


@dataclass(slots=True)
class Result:
    """The outcome of a check: the project model, every file's result and all diagnostics, sorted."""

    project: Project | None
    files: list[FileResult]
    diagnostics: list[Diagnostic]
    counts: tuple[int, int, int] | None = None  # files, catalogs, items (set when project is None)
    directives: dict = field(default_factory=dict)   # name -> suppression comments (light results)
    sizes: dict = field(default_factory=dict)        # name -> (catalogs, items) (light results)
    settings: str = ""    # the configured rule levels, for output keys (the findings depend on them)
    suppressed: list = field(default_factory=list)   # suppress.Suppressed, after rule levels and comments

    def totals(self) -> tuple[int, int, int]:
        """Number of files, catalogs and items checked."""
        if self.counts is not None:
            return self.counts
        catalogs = self.project.catalogs if self.project else []
        return len(self.files), len(catalogs), sum(len(c.items) for c in catalogs)

    def exit_code(self, strict: bool = False) -> int:
        """0 clean, 1 errors (or warnings with strict; an info never fails)."""
        if any(d.severity.value == "error" for d in self.diagnostics):
            return 1
        if strict and any(d.severity.value == "warning" for d in self.diagnostics):
            return 1
        return 0


def check_bytes(source: Source, raw: bytes) -> FileResult:
    """The per-file stage: a pure function of the file's bytes and name."""
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    parsed = parse(raw, source.name)
    diagnostics = list(parsed.diagnostics)
    catalog = None
    if parsed.data is not None:
        diagnostics.extend(validate(parsed, source.kind))
        drop_empty(parsed, diagnostics)
        if source.kind == "catalog":
            catalog = build_catalog(parsed, os.path.abspath(source.location) if source.location else "")
            if catalog is not None:
                for part in catalog.parts():   # a file of sections: each area's catalog
                    for rule in file_rules():
                        diagnostics.extend(rule.fn(part))
    return FileResult(source, digest, parsed, catalog, diagnostics, directives=suppress.scan_bytes(raw),
                      dates=dated.read(catalog) if catalog is not None else None)


def read_and_check(source: Source) -> FileResult:
    """Read one file (errors as values) and run the per-file stage."""
    try:
        raw = source.read_bytes()
    except OSError as exc:
        parsed = Parsed(source.name)
        diag = make("GK111", source.name, (0, 0), reason=exc.strerror or str(exc))
        parsed.diagnostics.append(diag)
        return FileResult(source, "", parsed, None, [diag])
    return check_bytes(source, raw)


def gather(options: Options, config: project_config.Config | None = None) -> list[Source]:
    """Every input file, plus the registry found beside or above the inputs (or named by the config)."""
    base = Path(options.base)
    sources = discover(list(options.paths), base)
    # a project configuration is never a catalog, wherever it sits
    sources = [s for s in sources if not s.name.endswith(project_config.NAME) or s.path.name != project_config.NAME]
    if config is not None and config.ignore:
        sources = [s for s in sources if not config.ignored(s.path)]
    # only a registry file can be the same file as one the registry folder adds (by name or link)
    have = {s.path.resolve() for s in sources if s.kind == "registry" and not s.problem}
    named = config is not None and config.registry is not None
    for folder in [config.registry] if named else find_registry(list(options.paths)):
        for extra in discover([str(folder)], base):
            if extra.problem:
                if extra.name not in {s.name for s in sources}:
                    sources.append(extra)
            elif extra.path.resolve() not in have:
                sources.append(replace(extra, kind="registry") if named else extra)  # whatever the folder's name
                have.add(extra.path.resolve())
    return sorted(sources, key=lambda s: s.name)


def _check_chunk_data(sources: list[Source], keep_semantic: bool = False) -> list[FileResult]:
    # in a worker, for commands that read every catalog's data (build): keep the data packed (a
    # third of its memory as objects, and a smaller pickle to send), drop the positions table
    # (half the memory; it reloads on demand for the few items with a finding)
    out = []
    for source in sources:
        result = read_and_check(source)
        if result.catalog is not None:
            if keep_semantic and not result.semantic:
                result.semantic = semantic_digest(result)
            result.catalog.drop_positions()
            result.catalog.pack()
            result.parsed = Parsed(result.parsed.file, None, {}, result.parsed.diagnostics)
        out.append(result)
    return out


def _check_chunk_compact(sources: list[Source], keep_semantic: bool = False) -> list[FileResult]:
    # in a worker: send back the model without raw data and positions (reloaded on demand)
    return [read_and_check(s).compact(keep_semantic) for s in sources]


def _jobs(options: Options, count: int) -> int:
    if options.jobs:
        return options.jobs
    if count < PARALLEL_MIN_FILES:
        return 1  # starting workers costs more than checking a few dozen files
    return max(1, min(os.cpu_count() or 1, 8))


PARALLEL_MIN_FILES = 200
CHUNK_FILES = 24


def _size(source: Source) -> int:
    try:
        return source.stat().st_size
    except OSError:
        return 0


def run_files(sources: list[Source], options: Options, compact: bool = False,
              digests: dict[str, str] | None = None) -> list[FileResult]:
    """The per-file stage over every source: from the cache where the bytes are known, else
    computed, in worker processes when there are many; the order of results never depends on
    scheduling (they are sorted by file name afterwards). Cached results are compact (their raw
    data and positions reload on demand); digests (name -> content digest) spares re-reading."""
    cache = Cache(Path(options.cache_dir) if options.cache_dir else None) if options.cache else None
    fp = fingerprint()
    results: list[FileResult] = []
    todo: list[Source] = []
    keys: dict[str, str] = {}
    if cache is not None and cache.enabled:
        for source in sources:
            known = (digests or {}).get(source.name)
            if known is None:
                try:
                    known = hashlib.blake2b(source.read_bytes(), digest_size=16).hexdigest()
                except OSError:
                    todo.append(source)
                    continue
            key = _file_key(fp, source, known)
            keys[source.name] = key
            hit = _cached_result(cache, key, source)
            if hit is not None:
                results.append(hit)
            else:
                todo.append(source)
    else:
        todo = list(sources)
    keep_semantic = cache is not None and cache.enabled
    jobs = _jobs(options, len(todo))
    if jobs > 1:
        # small chunks, largest first: the parent unpickles one while the workers check the next
        todo.sort(key=lambda s: _size(s), reverse=True)
        chunks = [todo[i:i + CHUNK_FILES] for i in range(0, len(todo), CHUNK_FILES)]
        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        work = functools.partial(_check_chunk_compact if compact else _check_chunk_data, keep_semantic=keep_semantic)
        with ctx.Pool(jobs) as pool:
            fresh = [r for chunk in pool.imap_unordered(work, chunks) for r in chunk]
    elif compact:
        fresh = _check_chunk_compact(todo, keep_semantic)
    else:
        fresh = _check_chunk_data(todo, keep_semantic)
    if cache is not None and cache.enabled:
        for result in fresh:
            key = keys.get(result.source.name)
            if key is not None:
                _put_compact(cache, key, result)
    return results + fresh


def _file_key(fp: str, source: Source, content_digest: str) -> str:
    """The cache key of a file's result: gkml's fingerprint, the file's name and kind, its bytes' digest."""
    return digest("file", fp, source.name, source.kind, content_digest)


def _cached_result(cache: Cache, key: str, source: Source) -> FileResult | None:
    """source's result stored under key (None when absent or another file's), reloading from source."""
    hit = cache.get("file", key)
    if not isinstance(hit, FileResult) or hit.source.name != source.name:
        return None
    hit.source = source
    if hit.catalog is not None:   # where its raw data reloads from (abspath: no syscall)
        hit.catalog.origin = os.path.abspath(source.location)
    return hit


def _put_compact(cache: Cache, key: str, result: FileResult) -> None:
    """Store a compact copy of result without changing the caller's (possibly full) result."""
    if not result.semantic:
        result.semantic = semantic_digest(result)
    if result.catalog is None:
        cache.put("file", key, result)
        return
    parsed = result.parsed
    try:
        with result.catalog.compacted():
            result.parsed = Parsed(parsed.file, None, {}, parsed.diagnostics)
            cache.put("file", key, result)
    finally:
        result.parsed = parsed


# Item keys no project rule reads (the field table's `local` rows): an edit confined to them (and
# to nothing that moves a line) cannot change a cross-catalog finding. tests/test_incremental.py
# checks this claim by mutating exactly these keys and comparing the project rules' output.
LOCAL_ONLY_KEYS = fields.LOCAL_ITEM_KEYS


def semantic_digest(result: FileResult) -> str:
    """Hash of everything in a file that project rules can see: data less LOCAL_ONLY_KEYS, and positions."""
    if result.semantic:
        return result.semantic
    data = result.parsed.data
    if result.source.kind == "catalog" and isinstance(data, dict) and isinstance(data.get("items"), list):
        items = [{k: v for k, v in item.items() if k not in LOCAL_ONLY_KEYS} if isinstance(item, dict) else item
                 for item in data["items"]]
        data = dict(data, items=items)
    # repr, not marshal: marshal's output depends on object sharing, which a pickle round trip changes
    blob = repr((result.source.kind, data, result.parsed.positions)).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(blob, digest_size=20).hexdigest()


def _seen(result: FileResult) -> Seen:
    """The run state's record of one file's result."""
    catalog = result.catalog
    return Seen(result.digest, semantic_digest(result), tuple(result.diagnostics),
                len(catalog.parts()) if catalog is not None else 0, len(catalog.items) if catalog is not None else 0, result.directives)


def check(options: Options, today: str = "", need_model: bool = True) -> Result:
    """Run the whole check and return its result; never raises for bad catalog input.

    With the cache on, unchanged files come from it (compact: their raw data reloads on demand)
    and the cross-catalog findings of the last run are reused when no file changed anything
    project rules can see. With need_model=False (validate) a cached run may answer without
    building the model at all: the Result then has counts and diagnostics, project=None, files=[].
    """
    config = project_config.load(options.config, Path(options.base))
    today = today or config.today   # the run date validity is judged on (compiler/validity.py)
    only: tuple[str, ...] = ()
    if options.whole_set:
        paths, only = named.catalog_sets(options.paths, Path(options.base), config.registry)
        options = replace(options, paths=paths)
    sources = gather(options, config)
    paused = gc.isenabled()
    gc.disable()  # millions of long-lived acyclic objects: collections would rescan them for nothing
    try:
        if options.cache:
            result = _check_cached(sources, options, today, need_model, config.digest_parts())
        else:
            files = run_files(sources, options, compact=not need_model)
            result = assemble(files, today, _jobs(options, len(files)))
        return _finish(result, config, only, {s.name for s in sources if s.kind == "registry"})
    finally:
        if paused:
            gc.enable()


def _finish(result: Result, config: project_config.Config, only: tuple[str, ...], registry: set[str]) -> Result:
    """Rule levels, suppression comments and the config's own findings; with only, the report
    narrowed to those files (the whole set was checked, for the cross-catalog rules)."""
    directives = result.directives or {f.source.name: f.directives for f in result.files if f.directives}
    if not directives and not config.file and not only:
        return result   # no config, no comment: the findings as the checks made them
    diagnostics, result.suppressed = suppress.apply(result.diagnostics, directives, config.levels)
    result.settings = repr(sorted(config.levels.items())) if config.levels else ""
    if only:
        wanted = set(only)
        diagnostics = [d for d in diagnostics if d.file in wanted]
        result.suppressed = [s for s in result.suppressed if s.diagnostic.file in wanted]
        # counted: the named files and the registry read with them (as when a file was checked alone)
        wanted |= registry
        if result.counts is None:
            sizes = {f.source.name: (len(f.catalog.parts()) if f.catalog is not None else 0,
                                     len(f.catalog.items) if f.catalog is not None else 0)
                     for f in result.files if f.source.name in wanted}
        else:
            sizes = {n: size for n, size in result.sizes.items() if n in wanted}
        result.counts = (len(sizes), sum(c for c, _ in sizes.values()), sum(i for _, i in sizes.values()))
    diagnostics.extend(config.diagnostics)   # the configuration governs every file: always reported
    result.diagnostics = ordered(diagnostics)
    return result


def _check_cached(sources: list[Source], options: Options, today: str, need_model: bool,
                  settings: tuple[str, ...] = ()) -> Result:
    cache = Cache(Path(options.cache_dir) if options.cache_dir else None)
    if not cache.enabled:
        return assemble(run_files(sources, options, compact=not need_model), today, _jobs(options, len(sources)))
    fp = fingerprint()
    run_key = digest("run", fp, today, str(Path(options.base).resolve()), *options.paths, *settings)
    state = cache.get("run", run_key)
    if not isinstance(state, RunState):
        state = None
    now = time.time_ns()
    stat: dict = {}
    digests: dict[str, str] = {}
    raws: dict[str, bytes] = {}
    for source in sources:
        try:
            st = source.stat()
        except OSError:
            continue
        old = state.stat.get(source.name) if state else None
        # a file written within 2 s of the last save may have changed without changing its stat
        if old is not None and old.same_file(st) and st.st_mtime_ns < state.saved_ns - 2_000_000_000:
            digests[source.name] = old.digest
        else:
            try:
                raw = source.read_bytes()
            except OSError:
                continue
            raws[source.name] = raw
            digests[source.name] = hashlib.blake2b(raw, digest_size=16).hexdigest()
        stat[source.name] = Stat.of(st, digests[source.name])
    names = [s.name for s in sources]
    same_files = state is not None and set(names) == set(state.files) and len(digests) == len(names)
    if same_files and not need_model:
        changed = [s for s in sources if state.files[s.name].digest != digests[s.name]]
        if not changed:
            _save(cache, run_key, now, stat, state.files, Scoped(state.project, None), state.tables)
            return _light_result(state.files, state.project)
        fresh = {}
        for source in changed:
            raw = raws.get(source.name)
            fresh[source.name] = check_bytes(source, raw) if raw is not None else read_and_check(source)
        edited = {n: r for n, r in fresh.items() if semantic_digest(r) != state.files[n].semantic}
        scoped = _scoped(cache, fp, run_key, state, sources, edited, today) if edited else Scoped(state.project, None)
        if scoped is not None:
            files = dict(state.files)
            for source in changed:
                r = fresh[source.name]
                files[source.name] = _seen(r)
                _put_compact(cache, _file_key(fp, source, r.digest), r)
            _save(cache, run_key, now, stat, files, scoped, state.tables)
            return _light_result(files, scoped.project)
    files_full = run_files(sources, options, compact=not need_model, digests=digests)
    edited = {f.source.name: f for f in files_full if same_files and semantic_digest(f) != state.files[f.source.name].semantic}
    scoped = None
    if same_files:
        by_name = {f.source.name: f for f in files_full}
        scoped = _scoped(cache, fp, run_key, state, sources, edited, today, by_name.get) if edited else Scoped(state.project, None)
    result = assemble(files_full, today, _jobs(options, len(files_full)),
                      project_diagnostics=scoped.project if scoped is not None else None)
    if scoped is None:
        file_diags = {d for f in files_full for d in f.diagnostics}
        scoped = Scoped(tuple(d for d in result.diagnostics if d not in file_diags), scope.tables_of(result.project))
    _save(cache, run_key, now, stat, {f.source.name: _seen(f) for f in files_full}, scoped,
          state.tables if state is not None else "")
    return result


def _scoped(cache: Cache, fp: str, run_key: str, state: RunState, sources: list[Source],
            edited: dict[str, FileResult], today: str, have=None) -> Scoped | None:
    """The project findings after the catalogs in edited (name -> new result) changed, re-running
    only the part of the set they reach (compiler/scope.py), and the updated tables; None when only
    a full run can tell (a header or the registry changed, or something is not in the cache)."""
    entry = cache.get("scope", run_key)
    if not (isinstance(entry, TablesEntry) and state.tables and entry.token == state.tables):
        return None
    tables = loaded_tables(cache, entry)
    if tables is None:
        return None
    by_name = {s.name: s for s in sources}
    if any(by_name[name].kind != "catalog" for name in edited):
        return None

    def last(name: str) -> FileResult | None:  # the file's result as the last run saw it
        return _cached_result(cache, _file_key(fp, by_name[name], state.files[name].digest), by_name[name])

    def cached(name: str) -> FileResult | None:
        return (have(name) if have is not None else None) or last(name)

    before = {name: getattr(last(name), "catalog", None) for name in edited}
    if any(c is None for c in before.values()):
        return None
    registry_names = [s.name for s in sources if s.kind == "registry"]

    def built() -> Registry | None:
        files = [cached(name) for name in registry_names]
        if any(f is None for f in files):
            return None
        return build_registry([f.parsed for f in files if f.parsed.data is not None])

    # the registry files are as the last run saw them (an edit of one runs everything)
    registry = cached_registry(cache, digest("registry", fp, *(f"{n}\0{state.files[n].digest}" for n in registry_names)),
                               built)
    if registry is None:
        return None
    rules = project_rules()
    try:
        plan = scope.plan(tables, before, {n: r.catalog for n, r in edited.items()}, registry, rules)
    except LookupError:   # an id shard is gone from the cache
        return None
    if plan is None:
        return None

    loaded: dict[str, Catalog] = {}

    def load(name: str) -> Catalog:
        if name not in loaded:
            found = edited[name] if name in edited else cached(name)
            if found is None or found.catalog is None:
                raise LookupError(name)
            loaded[name] = found.catalog
        return loaded[name]

    positions = _RegistryPositions(registry_names, cached)
    try:
        findings, fresh = scope.rerun(plan, tables, rules, load, registry, positions, today, state.project)
        wanting = [c for c in loaded.values() if any(part.needs_positions for part in c.parts())]
        if wanting:  # a finding marks a compact catalog: load it, and re-run with its positions
            reload_all(wanting)
            findings, fresh = scope.rerun(plan, tables, rules, load, registry, positions, today, state.project)
    except LookupError:
        return None
    return Scoped(tuple(ordered(findings)), fresh)


class _RegistryPositions(Mapping):
    """The registry files' positions for a scoped re-run, each file's read from the cache when a
    finding first points into it (rarely: a development zone's unknown area); a miss raises
    LookupError, and the caller runs everything."""

    def __init__(self, names: list[str], cached: Callable[[str], FileResult | None]):
        self.names, self.cached, self.read = names, cached, {}

    def __getitem__(self, name: str) -> dict:
        if name not in self.names:
            raise KeyError(name)
        if name not in self.read:
            found = self.cached(name)
            if found is None:
                raise LookupError(name)
            self.read[name] = found.parsed.positions
        return self.read[name]

    def __iter__(self):
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def _save(cache: Cache, run_key: str, now: int, stat: dict[str, Stat], files: dict[str, Seen], scoped: Scoped,
          token: str) -> None:
    # tables (200,000 ids) go in an entry of their own, read only when an edit needs them; the
    # token ties them to this state, so a state and tables saved by two runs at once never mix
    if scoped.tables is not None:
        token = secrets.token_hex(8)
        entry = stored_tables(cache, token, scoped.tables)
        if entry is None:
            token = ""   # not stored: the next edit runs everything
        else:
            cache.put("scope", run_key, entry)
    cache.put("run", run_key, RunState(now, stat, files, scoped.project, token))


def _light_result(files: dict[str, Seen], project: tuple) -> Result:
    diagnostics = [d for seen in files.values() for d in seen.diagnostics] + list(project)
    counts = (len(files), sum(s.catalogs for s in files.values()), sum(s.items for s in files.values()))
    return Result(None, [], ordered(diagnostics), counts,
                  directives={name: seen.directives for name, seen in files.items() if seen.directives},
                  sizes={name: (seen.catalogs, seen.items) for name, seen in files.items()})


def run_project_rules(project: Project, jobs: int = 1) -> list[Diagnostic]:
    """Every project rule over project; rules are independent, so with jobs > 1 they run in
    forked workers that inherit the model and its index (output order is fixed by sorting).

    Rules do no I/O: a rule whose findings mark a compact catalog (a cached one, without its
    positions) runs again once those catalogs are reloaded here, so every position is real."""
    rules = project_rules()
    items = sum(len(c.items) for c in project.catalogs)
    if jobs <= 1 or items < PARALLEL_MIN_ITEMS or not sys.platform.startswith("linux"):
        runs = [_run_rule(rule, project) for rule in rules]
    else:
        from . import index
        index.of(project)  # built once here, shared copy-on-write by the workers
        # the citation sweep GK711-GK716 share, likewise: computed in each worker it cost every
        # worker that drew one of those rules a pass over the province's items (0.16-0.7 s of CPU
        # each, measured at full scale), and they run last, so it lengthened the stage's tail
        from .rules import bases
        project.registry.library().sweep(project, bases.notable)
        with multiprocessing.get_context("fork").Pool(jobs, initializer=_adopt, initargs=(project,)) as pool:
            runs = pool.map(_run_in_worker, range(len(rules)), chunksize=1)
    wanting = {name for _, names in runs for name in names}
    if wanting:
        reload_all(c for c in project.catalogs if c.file in wanting)
        runs = [_run_rule(rule, project) if names else (found, names) for rule, (found, names) in zip(rules, runs)]
    return [d for found, _ in runs for d in found]


def _run_rule(rule, project: Project) -> tuple[list[Diagnostic], tuple[str, ...]]:
    """A rule's findings over project, and the compact catalogs they mark (to reload and run it again)."""
    found = list(rule.fn(project))
    wanting = []
    for catalog in project.catalogs:
        if catalog.needs_positions:
            wanting.append(catalog.file)
            catalog.needs_positions = False
    return found, tuple(wanting)


# Module state of a rule worker only (the parent never sets it): the project it inherits by fork.
# Passing it with each task instead would pickle the whole model to every worker: 0.15 s for a
# tenth-scale set (22,000 matters), about 1.5 s a worker for a province.
_WORKER_PROJECT: list[Project] = []


def _adopt(project: Project) -> None:
    _WORKER_PROJECT[:] = [project]


def _run_in_worker(position: int) -> tuple[list[Diagnostic], tuple[str, ...]]:
    return _run_rule(project_rules()[position], _WORKER_PROJECT[0])


PARALLEL_MIN_ITEMS = 20_000


def assemble(files: list[FileResult], today: str = "", jobs: int = 1,
             project_diagnostics: tuple[Diagnostic, ...] | None = None) -> Result:
    """The project stage: registry, project rules, and the sorted report."""
    files = sorted(files, key=lambda f: f.source.name)
    registry: Registry = build_registry([f.parsed for f in files if f.source.kind == "registry" and f.parsed.data is not None])
    catalogs = [part for f in files if f.catalog is not None for part in f.catalog.parts()]
    project = Project(catalogs, registry, {f.source.name: f.parsed.positions for f in files if f.source.kind == "registry"}, today)
    diagnostics: list[Diagnostic] = [d for f in files for d in f.diagnostics]
    if project_diagnostics is None:
        diagnostics.extend(run_project_rules(project, jobs))
    else:  # unchanged since a cached run: its cross-catalog findings still hold
        diagnostics.extend(project_diagnostics)
    return Result(project, files, ordered(diagnostics))


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Everything besides a file's bytes that changes a per-file result: gkml's own code and
    version, and the schemas (for caches; templates are added by the build's own keys)."""
    from . import resources
    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode())
        h.update(path.read_bytes())
    for kind in ("catalog", "registry"):
        h.update(resources.schema_text(kind).encode())
    return h.hexdigest()
