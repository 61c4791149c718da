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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import __version__, fields, scope
from .cache import Cache, digest
from .diagnostics import Diagnostic, make, ordered
from .loader import Parsed, parse
from .model import Catalog, Project, build_catalog
from .registry import Registry, build_registry
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


@dataclass(slots=True)
class FileResult:
    """Everything one file contributes: parsed data, its model and its file-local diagnostics."""

    source: Source
    digest: str
    parsed: Parsed
    catalog: Catalog | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    semantic: str = ""  # semantic_digest, when computed before the data was dropped

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

    def totals(self) -> tuple[int, int, int]:
        """Number of files, catalogs and items checked."""
        if self.counts is not None:
            return self.counts
        catalogs = self.project.catalogs if self.project else []
        return len(self.files), len(catalogs), sum(len(c.items) for c in catalogs)

    def exit_code(self, strict: bool = False) -> int:
        """0 clean, 1 errors (or warnings with strict)."""
        if any(d.severity.value == "error" for d in self.diagnostics):
            return 1
        if strict and self.diagnostics:
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
            catalog = build_catalog(parsed, os.path.abspath(source.path) if source.path else "")
            if catalog is not None:
                for rule in file_rules():
                    diagnostics.extend(rule.fn(catalog))
    return FileResult(source, digest, parsed, catalog, diagnostics)


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


def gather(options: Options) -> list[Source]:
    """Every input file, plus the registry found beside or above the inputs."""
    base = Path(options.base)
    sources = discover(list(options.paths), base)
    # only a registry file can be the same file as one the registry folder adds (by name or link)
    have = {s.path.resolve() for s in sources if s.kind == "registry" and not s.problem}
    for folder in find_registry(list(options.paths)):
        for extra in discover([str(folder)], base):
            if extra.problem:
                if extra.name not in {s.name for s in sources}:
                    sources.append(extra)
            elif extra.path.resolve() not in have:
                sources.append(extra)
                have.add(extra.path.resolve())
    return sorted(sources, key=lambda s: s.name)


def _check_chunk_data(sources: list[Source], keep_semantic: bool = False) -> list[FileResult]:
    # in a worker, for commands that read every catalog's data (build): keep the data, drop the
    # positions table (half the memory; it reloads on demand for the few items with a finding)
    out = []
    for source in sources:
        result = read_and_check(source)
        if result.catalog is not None:
            if keep_semantic and not result.semantic:
                result.semantic = semantic_digest(result)
            result.catalog._positions = None
            result.parsed = Parsed(result.parsed.file, result.parsed.data, {}, result.parsed.diagnostics)
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
        hit.catalog.origin = os.path.abspath(source.path)
    return hit


def _put_compact(cache: Cache, key: str, result: FileResult) -> None:
    """Store a compact copy of result without changing the caller's (possibly full) result."""
    if not result.semantic:
        result.semantic = semantic_digest(result)
    catalog = result.catalog
    saved = result.parsed, (catalog._data, catalog._positions) if catalog is not None else None
    try:
        if catalog is not None:
            catalog._data = catalog._positions = None
            result.parsed = Parsed(result.parsed.file, None, {}, result.parsed.diagnostics)
        cache.put("file", key, result)
    finally:
        result.parsed = saved[0]
        if catalog is not None:
            catalog._data, catalog._positions = saved[1]


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


@dataclass
class RunState:
    """What the last cached run saw and found, to answer the next run without redoing it."""

    saved_ns: int
    stat: dict            # name -> (size, mtime_ns, ino, ctime_ns, digest)
    files: dict           # name -> (digest, semantic digest, file diagnostics, catalogs, items)
    project: tuple        # project-rule diagnostics
    tables: str = ""      # token of the scope.Tables saved beside this state ("scope" entry)


def _stat_key(st: os.stat_result) -> tuple:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def check(options: Options, today: str = "", need_model: bool = True) -> Result:
    """Run the whole check and return its result; never raises for bad catalog input.

    With the cache on, unchanged files come from it (compact: their raw data reloads on demand)
    and the cross-catalog findings of the last run are reused when no file changed anything
    project rules can see. With need_model=False (validate) a cached run may answer without
    building the model at all: the Result then has counts and diagnostics, project=None, files=[].
    """
    sources = gather(options)
    paused = gc.isenabled()
    gc.disable()  # millions of long-lived acyclic objects: collections would rescan them for nothing
    try:
        if options.cache:
            return _check_cached(sources, options, today, need_model)
        files = run_files(sources, options, compact=not need_model)
        return assemble(files, today, _jobs(options, len(files)))
    finally:
        if paused:
            gc.enable()


def _check_cached(sources: list[Source], options: Options, today: str, need_model: bool) -> Result:
    cache = Cache(Path(options.cache_dir) if options.cache_dir else None)
    if not cache.enabled:
        return assemble(run_files(sources, options, compact=not need_model), today, _jobs(options, len(sources)))
    fp = fingerprint()
    run_key = digest("run", fp, today, str(Path(options.base).resolve()), *options.paths)
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
        key = _stat_key(st)
        old = state.stat.get(source.name) if state else None
        # a file written within 2 s of the last save may have changed without changing its stat
        if old is not None and old[:4] == key and st.st_mtime_ns < state.saved_ns - 2_000_000_000:
            digests[source.name] = old[4]
        else:
            try:
                raw = source.read_bytes()
            except OSError:
                continue
            raws[source.name] = raw
            digests[source.name] = hashlib.blake2b(raw, digest_size=16).hexdigest()
        stat[source.name] = key + (digests[source.name],)
    names = [s.name for s in sources]
    same_files = state is not None and set(names) == set(state.files) and len(digests) == len(names)
    if same_files and not need_model:
        changed = [s for s in sources if state.files[s.name][0] != digests[s.name]]
        if not changed:
            _save(cache, run_key, now, stat, state.files, state.project, None, state.tables)
            return _light_result(state.files, state.project)
        fresh = {}
        for source in changed:
            raw = raws.get(source.name)
            fresh[source.name] = check_bytes(source, raw) if raw is not None else read_and_check(source)
        edited = {n: r for n, r in fresh.items() if semantic_digest(r) != state.files[n][1]}
        scoped = _scoped(cache, fp, run_key, state, sources, edited, today) if edited else (state.project, None)
        if scoped is not None:
            files = dict(state.files)
            for source in changed:
                r = fresh[source.name]
                files[source.name] = _entry(r)
                _put_compact(cache, _file_key(fp, source, r.digest), r)
            _save(cache, run_key, now, stat, files, *scoped, state.tables)
            return _light_result(files, scoped[0])
    files_full = run_files(sources, options, compact=not need_model, digests=digests)
    edited = {f.source.name: f for f in files_full if same_files and semantic_digest(f) != state.files[f.source.name][1]}
    scoped = None
    if same_files:
        by_name = {f.source.name: f for f in files_full}
        scoped = _scoped(cache, fp, run_key, state, sources, edited, today, by_name.get) if edited else (state.project, None)
    result = assemble(files_full, today, _jobs(options, len(files_full)),
                      project_diagnostics=scoped[0] if scoped is not None else None)
    if scoped is None:
        file_diags = {d for f in files_full for d in f.diagnostics}
        scoped = tuple(d for d in result.diagnostics if d not in file_diags), scope.tables_of(result.project)
    _save(cache, run_key, now, stat, {f.source.name: _entry(f) for f in files_full}, *scoped,
          state.tables if state is not None else "")
    return result


def _scoped(cache: Cache, fp: str, run_key: str, state: RunState, sources: list[Source],
            edited: dict[str, FileResult], today: str, have=None) -> tuple[tuple, scope.Tables] | None:
    """The project findings after the catalogs in edited (name -> new result) changed, re-running
    only the part of the set they reach (compiler/scope.py), and the updated tables; None when only
    a full run can tell (a header or the registry changed, or something is not in the cache)."""
    stored = cache.get("scope", run_key)
    if not (isinstance(stored, tuple) and len(stored) == 2 and state.tables and stored[0] == state.tables
            and isinstance(stored[1], scope.Tables)):
        return None
    by_name = {s.name: s for s in sources}
    if any(by_name[name].kind != "catalog" for name in edited):
        return None

    def last(name: str) -> FileResult | None:  # the file's result as the last run saw it
        return _cached_result(cache, _file_key(fp, by_name[name], state.files[name][0]), by_name[name])

    def cached(name: str) -> FileResult | None:
        return (have(name) if have is not None else None) or last(name)

    registry_files = [cached(s.name) for s in sources if s.kind == "registry"]
    before = {name: getattr(last(name), "catalog", None) for name in edited}
    if any(f is None for f in registry_files) or any(c is None for c in before.values()):
        return None
    registry = build_registry([f.parsed for f in registry_files if f.parsed.data is not None])
    rules = project_rules()
    plan = scope.plan(stored[1], before, {n: r.catalog for n, r in edited.items()}, registry, rules)
    if plan is None:
        return None

    def load(name: str) -> Catalog:
        found = edited[name] if name in edited else cached(name)
        if found is None or found.catalog is None:
            raise LookupError(name)
        return found.catalog

    try:
        findings, tables = scope.rerun(plan, stored[1], rules, load, registry,
                                       {f.source.name: f.parsed.positions for f in registry_files}, today, state.project)
    except LookupError:
        return None
    return tuple(ordered(findings)), tables


def _entry(result: FileResult) -> tuple:
    catalogs = 1 if result.catalog is not None else 0
    items = len(result.catalog.items) if result.catalog is not None else 0
    return (result.digest, semantic_digest(result), tuple(result.diagnostics), catalogs, items)


def _save(cache: Cache, run_key: str, now: int, stat: dict, files: dict, project: tuple,
          tables: scope.Tables | None, token: str) -> None:
    # tables (200,000 ids) go in an entry of their own, read only when an edit needs them; the
    # token ties them to this state, so a state and tables saved by two runs at once never mix
    if tables is not None:
        token = secrets.token_hex(8)
        cache.put("scope", run_key, (token, tables))
    cache.put("run", run_key, RunState(now, stat, files, project, token))


def _light_result(files: dict, project: tuple) -> Result:
    diagnostics = [d for entry in files.values() for d in entry[2]] + list(project)
    counts = (len(files), sum(e[3] for e in files.values()), sum(e[4] for e in files.values()))
    return Result(None, [], ordered(diagnostics), counts)


_FORKED_PROJECT: list = []  # the project a forked rule worker inherits


def _run_rule(position: int) -> list[Diagnostic]:
    return list(project_rules()[position].fn(_FORKED_PROJECT[0]))


def run_project_rules(project: Project, jobs: int = 1) -> list[Diagnostic]:
    """Every project rule over project; rules are independent, so with jobs > 1 they run in
    forked workers that inherit the model and its index (output order is fixed by sorting)."""
    rules = project_rules()
    items = sum(len(c.items) for c in project.catalogs)
    if jobs <= 1 or items < PARALLEL_MIN_ITEMS or not sys.platform.startswith("linux"):
        return [d for rule in rules for d in rule.fn(project)]
    from . import index
    index.of(project)  # built once here, shared copy-on-write by the workers
    _FORKED_PROJECT[:] = [project]
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return [d for found in pool.imap_unordered(_run_rule, range(len(rules))) for d in found]
    finally:
        _FORKED_PROJECT.clear()


PARALLEL_MIN_ITEMS = 20_000


def assemble(files: list[FileResult], today: str = "", jobs: int = 1,
             project_diagnostics: tuple[Diagnostic, ...] | None = None) -> Result:
    """The project stage: registry, project rules, and the sorted report."""
    files = sorted(files, key=lambda f: f.source.name)
    registry: Registry = build_registry([f.parsed for f in files if f.source.kind == "registry" and f.parsed.data is not None])
    catalogs = [f.catalog for f in files if f.catalog is not None]
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
