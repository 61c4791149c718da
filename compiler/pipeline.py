"""The check pipeline: gather every file, parse, schema, model, file rules; then project rules.

load (with positions) → schema → model → rules → diagnostics. Reading files is the only I/O;
every stage after it is pure, so a file's result depends on its bytes alone and can be cached
or computed in another process.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, make, ordered
from .loader import Parsed, parse
from .model import Catalog, Project, build_catalog
from .registry import Registry, build_registry
from .rules import file_rules, project_rules
from .schema import validate
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


@dataclass(slots=True)
class Result:
    """The outcome of a check: the project model, every file's result and all diagnostics, sorted."""

    project: Project
    files: list[FileResult]
    diagnostics: list[Diagnostic]

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
        if source.kind == "catalog":
            catalog = build_catalog(parsed)
            if catalog is not None:
                for rule in file_rules():
                    diagnostics.extend(rule.fn(catalog))
    return FileResult(source, digest, parsed, catalog, diagnostics)


def read_and_check(source: Source) -> FileResult:
    """Read one file (errors as values) and run the per-file stage."""
    try:
        raw = source.path.read_bytes()
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
    have = {s.path.resolve() for s in sources}
    for folder in find_registry(list(options.paths)):
        for extra in discover([str(folder)], base):
            if extra.path.resolve() not in have:
                sources.append(extra)
                have.add(extra.path.resolve())
    return sorted(sources, key=lambda s: s.name)


def run_files(sources: list[Source], options: Options) -> list[FileResult]:
    """The per-file stage over every source (cached and parallel where available)."""
    return [read_and_check(s) for s in sources]


def check(options: Options, today: str = "") -> Result:
    """Run the whole check and return its result; never raises for bad catalog input."""
    sources = gather(options)
    files = run_files(sources, options)
    return assemble(files, today)


def assemble(files: list[FileResult], today: str = "") -> Result:
    """The project stage: registry, project rules, and the sorted report."""
    files = sorted(files, key=lambda f: f.source.name)
    registry: Registry = build_registry([f.parsed for f in files if f.source.kind == "registry" and f.parsed.data is not None])
    catalogs = [f.catalog for f in files if f.catalog is not None]
    project = Project(catalogs, registry, {f.source.name: f.parsed.positions for f in files if f.source.kind == "registry"}, today)
    diagnostics: list[Diagnostic] = [d for f in files for d in f.diagnostics]
    for rule in project_rules():
        diagnostics.extend(rule.fn(project))
    return Result(project, files, ordered(diagnostics))


def fingerprint() -> str:
    """Everything besides a file's bytes that changes a per-file result (for caches)."""
    from . import resources
    h = hashlib.blake2b(digest_size=16)
    h.update(__version__.encode())
    for kind in ("catalog", "registry"):
        h.update(resources.schema_text(kind).encode())
    return h.hexdigest()
