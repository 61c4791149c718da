"""The build: a validated catalog set → site/, excel/ and data/ under one output folder.

Like mkdocs' build, everything is gathered first (the check result and the publication model),
then every file is rendered into a private staging folder beside the output, and only a
complete staging folder replaces the previous build, in one rename. A failing build (template
error, full disk, Ctrl-C) removes its staging folder and leaves the previous build untouched.
The build only ever replaces its own output folder, and refuses folders it did not create.
"""
from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .atomic import swap_dir
from .builders import excel, html, jsondata, search
from .builders.common import Site, gather
from .diagnostics import Severity
from .pipeline import Result
from .sources import UsageError

MARKER = ".gkml-build"
MARKER_TEXT = "This folder is written by `gkml build` and replaced as a whole on every build.\n" \
              "本目录由 gkml build 生成,每次生成时整体替换;请不要在其中存放其他文件。\n"
OUTPUT_ENTRIES = {"site", "excel", "data", MARKER}


@dataclass(frozen=True)
class Stats:
    """What a build wrote."""

    pages: int
    workbooks: int
    data_files: int
    items: int
    warnings: int


def check_output(out: Path, inputs: list[Path]) -> Path:
    """The absolute output folder, or UsageError when writing there could destroy other files."""
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
        entries = {p.name for p in target.iterdir()}
        if entries and MARKER not in entries:
            raise UsageError(f"输出目录 {out} 不是空目录,也不是 gkml 生成的目录(没有 {MARKER});"
                             "为避免删除其中的文件,已停止。请换一个目录或先清空它。")
        foreign = sorted(entries - OUTPUT_ENTRIES)
        if foreign:
            raise UsageError(f"输出目录 {out} 中有不是 gkml 生成的文件:{'、'.join(foreign[:5])};"
                             "为避免删除它们,已停止。请移走这些文件或换一个目录。")
    return target


def warnings_of(result: Result):
    """The warnings of a check result, in report order."""
    return [d for d in result.diagnostics if d.severity is Severity.WARNING]


Task = tuple[str, Callable[[Path], None]]


def tasks(site: Site, result: Result) -> list[Task]:
    """Every unit of work, in a fixed order: (label, function writing into the staging folder)."""
    out: list[Task] = []
    registry = result.project.registry
    warnings = warnings_of(result)

    def write(rel: str, data: bytes | str) -> Callable[[Path], None]:
        def run(root: Path) -> None:
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return run

    # lazy: one page per task, so the progress bar moves while pages render
    rendered = html.render_pages(site, warnings, project=result.project, diagnostics=result.diagnostics)

    def next_page(root: Path) -> None:
        rel, text = next(rendered)
        write(f"site/{rel}", text)(root)

    out += [("site page", next_page)] * html.page_count(site)
    for rel, data in html.static_files():
        out.append((f"site/{rel}", write(f"site/{rel}", data)))
    out.append(("site/search/manifest.js", lambda root: write("site/search/manifest.js", search.manifest(site))(root)))
    for region in site.regions:
        rel = f"site/{search.shard_path(region.code)}"
        out.append((rel, lambda root, rel=rel, code=region.code: write(rel, search.shard(site, code))(root)))
    out.append(("data/catalogs.json", lambda root: jsondata.write_catalogs_file(_parent(root / "data/catalogs.json"), site)))
    for page in site.pages:
        rel = f"data/{page.data_path}"
        out.append((rel, lambda root, rel=rel, page=page: write(rel, jsondata.catalog_file(page))(root)))
    for region in site.regions:
        rel = f"excel/{region_workbook_name(region.code, region.name)}"
        sheets = [(p.area_name, p.catalog) for p in region.pages]
        title = f"{region.name}政务公开事项目录汇总"
        out.append((rel, lambda root, rel=rel, sheets=sheets, title=title: _workbook(root / rel, sheets, registry, title)))
    for name, slug in site.areas:
        pages = [p for p in site.pages if p.area_name == name]
        if not pages:
            continue
        rel = f"excel/{area_workbook_name(slug, name)}"
        sheets = [(p.region_name, p.catalog) for p in pages]
        title = f"{name}领域政务公开事项目录汇总"
        out.append((rel, lambda root, rel=rel, sheets=sheets, title=title: _workbook(root / rel, sheets, registry, title)))
    out.append((MARKER, write(MARKER, MARKER_TEXT)))
    return out


def _parent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _file_part(text: str) -> str:
    # names become file names on Windows too: no separators or reserved characters
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .") or "_"


def region_workbook_name(code: str, name: str) -> str:
    """excel/ file name of a region's workbook."""
    return f"region-{_file_part(code)}-{_file_part(name)}.xlsx"


def area_workbook_name(slug: str, name: str) -> str:
    """excel/ file name of an area's workbook across all regions."""
    return f"area-{_file_part(slug)}-{_file_part(name)}.xlsx"


def _workbook(path: Path, sheets, registry, title: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    excel.write_catalogs_workbook(path, sheets, registry=registry, summary=title)


PARALLEL_FROM_ITEMS = 5000   # below this, starting worker processes costs more than it saves


def build(result: Result, out: Path, inputs: list[Path],
          progress: Callable[[int], contextlib.AbstractContextManager] | None = None, jobs: int = 0) -> Stats:
    """Render a clean check result into out (replacing a previous build); atomic and deterministic.

    jobs: worker processes for the workbooks (0 = one per CPU for large sets, 1 = none).
    """
    target = check_output(out, inputs)
    site = gather(result.project.catalogs, result.project.registry)
    work = tasks(site, result)
    workers = _workers(jobs, site.total_items)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    try:
        with (progress(len(work)) if progress else _no_progress()) as bar:
            if workers > 1:
                _run_parallel(work, staging, workers, bar)
            else:
                for _, run in work:
                    run(staging)
                    bar.update(1)
        _fsync_tree(staging)
        _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    workbooks = sum(1 for label, _ in work if label.startswith("excel/"))
    data_files = sum(1 for label, _ in work if label.startswith("data/"))
    return Stats(html.page_count(site), workbooks, data_files, site.total_items, len(warnings_of(result)))


def _workers(jobs: int, items: int) -> int:
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if jobs == 0:
        return (os.cpu_count() or 1) if items >= PARALLEL_FROM_ITEMS else 1
    return jobs


_FORKED: list[Task] = []


def _run_forked(index: int, staging: str) -> None:
    _FORKED[index][1](Path(staging))


def _run_parallel(work: list[Task], staging: Path, workers: int, bar) -> None:
    """Workbooks (80 % of the time at province scale) in forked workers while this process renders the rest.

    Each task writes its own files, so the output is the same bytes as a sequential build.
    """
    global _FORKED
    books = [t for t in work if t[0].startswith("excel/")]
    rest = [t for t in work if not t[0].startswith("excel/")]
    _FORKED = books          # inherited by the forked workers: nothing is pickled but an index
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        pending = [pool.apply_async(_run_forked, (n, str(staging))) for n in range(len(books))]
        pool.close()
        for _, run in rest:
            run(staging)
            bar.update(1)
        for job in pending:
            job.get()        # re-raises a worker's exception here
            bar.update(1)
        pool.join()
    finally:
        pool.terminate()     # on failure or Ctrl-C: stop writing before the staging folder is removed
        pool.join()
        _FORKED = []


class _NoBar:
    def update(self, n: int) -> None:
        pass


@contextlib.contextmanager
def _no_progress() -> Iterator[_NoBar]:
    yield _NoBar()


def _fsync_tree(root: Path) -> None:
    # make the new build durable before it becomes visible (the rename is only as good as the data)
    if os.name != "posix":
        return
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False when unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _replace(staging: Path, target: Path) -> None:
    """Put staging in place of target; the previous build is removed only once the new one is in place."""
    if not target.exists():
        os.rename(staging, target)
    elif _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)   # staging now holds the previous build
    else:
        swap_dir(staging, target)
