"""The build: a validated catalog set → site/, excel/ and data/ under one output folder.

Like mkdocs' build, everything is gathered first (the check result and the publication model),
then every file is rendered into a private staging folder beside the output, and only a
complete staging folder replaces the previous build, in one rename. A failing build (template
error, full disk, Ctrl-C) removes its staging folder and leaves the previous build untouched.
The build only ever replaces its own output folder, and refuses folders it did not create.

Incremental: every output file has a key, the hash of exactly what it depends on (gkml's code,
the templates, the bytes of the catalog files it shows, the registry, and whatever it shows of
other catalogs, such as vertical links and totals). The previous build's keys are kept in
.gkml-manifest.json; a file whose key is unchanged (and that was not touched since) is hard-linked from the
previous build into the staging folder instead of being rendered again, so a rebuild after a
one-file edit renders only what that edit can change, and gives the same bytes as a build from
scratch (tests/test_build_incremental.py checks this over random edit sequences).
"""
from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import json
import marshal
import multiprocessing
import os
import pickle
import queue
import re
import shutil
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Container, Iterator

from .atomic import swap_dir
from .cache import Cache, digest
from .builders import excel, html, jsondata, search
from .builders.common import Page, Site, gather, source_epoch
from .diagnostics import Severity
from .pipeline import Result, fingerprint
from .sources import UsageError

MARKER = ".gkml-build"
MARKER_TEXT = "This folder is written by `gkml build` and replaced as a whole on every build.\n" \
              "本目录由 gkml build 生成,每次生成时整体替换;请不要在其中存放其他文件。\n"
MANIFEST = ".gkml-manifest.json"   # output path -> key and size, of the build it sits in
MANIFEST_VERSION = 2
PARTS = ".gkml-parts"              # scratch folder inside staging, removed before the swap
SHEETS = ".gkml-sheets"            # every catalog's sheet rows, kept for the next build's workbooks
OUTPUT_ENTRIES = {"site", "excel", "data", MARKER, MANIFEST, SHEETS}
SEARCH_FOLDER = "site/search/"
SEARCH_RECORDS = "site/search/r/"   # the index's records: outputs of their own (plan)
KEEP_BEHIND = 4    # the search index's state is written again when more catalogs than this changed since


@dataclass(frozen=True)
class Stats:
    """What a build wrote."""

    pages: int
    workbooks: int
    data_files: int
    items: int
    warnings: int
    reused: int = 0           # files taken unchanged from the previous build


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


def _file_part(text: str) -> str:
    # names become file names on Windows too: no separators or reserved characters
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .") or "_"


def region_workbook_name(code: str, name: str) -> str:
    """excel/ file name of a region's workbook."""
    return f"region-{_file_part(code)}-{_file_part(name)}.xlsx"


def area_workbook_name(slug: str, name: str) -> str:
    """excel/ file name of an area's workbook across all regions."""
    return f"area-{_file_part(slug)}-{_file_part(name)}.xlsx"


# ---------------------------------------------------------------------------------------------
# Keys: what each output depends on


def _hash(*parts: object) -> str:
    # repr of str/int/tuple/list/None is stable across runs and processes
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def templates_digest() -> str:
    """Hash of every file under the templates folder (names and bytes)."""
    folder = html.templates_dir()
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


@dataclass
class Plan:
    """Every output of a build with its key, and the inputs the render tasks share."""

    site: Site
    result: Result
    base: str                                     # gkml code, templates, SOURCE_DATE_EPOCH
    outputs: dict[str, str] = field(default_factory=dict)             # rel -> key, in build order
    page_html: list[str] = field(default_factory=list)                # per page: its rel paths
    page_data: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)                   # per page: its sheet rows (SHEETS)
    fragments: list[str] = field(default_factory=list)                # per page: catalogs.json fragment key
    books: list[tuple[str, str, list[tuple[str, int]]]] = field(default_factory=list)  # rel, title, (sheet, page)
    groups: dict[str, str] = field(default_factory=dict)   # folder prefix -> key of all it depends on
    search_keys: tuple[str, list[str]] = ("", [])          # the search index's context and per-page keys


def plan(site: Site, result: Result) -> Plan:
    """The outputs of a build and their keys (model fields and file digests only: no raw data)."""
    digests = {f.catalog.file: f.digest for f in result.files if f.catalog is not None}
    registry = _hash(sorted((f.source.name, f.digest) for f in result.files if f.source.kind == "registry"))
    base = _hash(fingerprint(), templates_digest(), source_epoch(), MANIFEST_VERSION)
    p = Plan(site, result, base)
    warnings = warnings_of(result)
    common = html.common_context(site, warnings)
    common_key = _hash(sorted(common.items()))
    everything = _hash(registry, [(c.file, digests.get(c.file)) for c in result.project.catalogs],
                       result.project.today, common_key)

    def add(rel: str, *parts: object) -> None:
        p.outputs[rel] = _hash(base, rel, *parts)

    number = {id(q): n for n, q in enumerate(site.pages)}
    states = [(q.catalog.file, digests.get(q.catalog.file), q.html_path, q.data_path, q.region_name, q.area_name,
               q.area_slug) for q in site.pages]

    def page_state(page: Page) -> tuple:
        return states[number[id(page)]]

    add("site/index.html", registry, common_key,
        [(r.code, r.name, r.level, [(q.html_path, q.area_name, q.catalog.department, len(q.catalog.items))
                                    for q in r.pages]) for r in site.regions])
    for region in site.regions:
        children = [(c.code, c.name, c.items) for c in site.regions if c.parent == region.code]
        chain = [(c.code, c.name) for c in html._chain(site, region)]
        add(f"site/{region.html_path}", registry, common_key, region.code, region.name, region.level,
            [page_state(q) for q in region.pages], children, chain)
    # a page shows of other catalogs only the items linked to its own (vertical links: label and
    # href); those come from its neighbours, the catalogs holding either end of such a link
    neighbours: list[set[int]] = [set() for _ in site.pages]
    item_page = site.item_page
    for n, q in enumerate(site.pages):
        mine = neighbours[n]
        for item in q.catalog.items:
            if item.implements:
                up = item_page.get(item.implements)
                if up is not None:
                    m = number[id(up)]
                    mine.add(m)
                    neighbours[m].add(n)
                    own = item_page.get(item.id or "")
                    if own is not None:   # with duplicate ids the link may point at another page
                        neighbours[m].add(number[id(own)])
    for n, page in enumerate(site.pages):
        rel = f"site/{page.html_path}"
        p.page_html.append(rel)
        add(rel, registry, common_key, states[n], [states[m] for m in sorted(neighbours[n])])
    # the coverage page shows, per region and key area, the catalogs and their number of matters,
    # and the requirements no matter of a region cites (compiler/coverage.py): keyed by exactly
    # those, so that an edit of a matter's wording does not render it again
    cited = [(c.file, c.region, c.area, len(c.items), sorted({r for i in c.items for r in i.requirements}))
             for c in result.project.catalogs]
    errors = sorted(d.file for d in result.diagnostics if d.severity is Severity.ERROR)
    add("site/coverage.html", registry, common_key, cited, errors, [state[:1] + state[2:] for state in states])
    for rel in ("site/warnings.html", "site/search.html"):
        add(rel, everything)
    for rel, _ in html.static_files():
        add(f"site/{rel}")
    # the search index is one province-wide structure (compiler/builders/search.py), computed as a
    # whole under one key over every catalog; once computed, each file is keyed by its own bytes,
    # so an edit rewrites only the files whose text changed (Builder._search)
    p.groups[SEARCH_FOLDER] = _hash(base, SEARCH_FOLDER, everything, list(site.areas), states)
    # what lets the next build update the index rather than compute it again (search.IndexState):
    # a page whose key is unchanged has the same matters, field for field
    p.search_keys = (_hash(base, "search state", registry), [_hash(state) for state in states])
    # but its records (r/) are keyed one by one: each shows a fixed run of matter numbers, and each
    # catalog has room to grow (search.capacity), so an edit renders only the records of its catalog
    for n, spans in search.record_spans(site):
        add(f"{SEARCH_RECORDS}{n}.js", registry, [(page_state(q), place, lo, hi, row) for q, place, lo, hi, row in spans])
    for page, state in zip(site.pages, states):
        p.fragments.append(_hash(base, "fragment", registry, state))
        rel = f"data/{page.data_path}"
        p.page_data.append(rel)
        add(rel, registry, state)
        # a catalog's rows in the workbooks: kept, so that after an edit a workbook re-reads only
        # the catalogs that changed (an area's workbook holds that area of every region)
        rel = f"{SHEETS}/{page.data_path.removesuffix('.json')}.sheet"
        p.sheets.append(rel)
        add(rel, registry, state)
    add("data/catalogs.json", registry, hashlib.blake2b(jsondata.catalogs_head(site)).hexdigest(), p.fragments)
    for region in site.regions:
        rel = f"excel/{region_workbook_name(region.code, region.name)}"
        sheets = [(q.area_name, number[id(q)]) for q in region.pages]
        p.books.append((rel, f"{region.name}政务公开事项目录汇总", sheets))
    for name, slug in site.areas:
        pages = [q for q in site.pages if q.area_name == name]
        if pages:
            rel = f"excel/{area_workbook_name(slug, name)}"
            p.books.append((rel, f"{name}领域政务公开事项目录汇总", [(q.region_name, number[id(q)]) for q in pages]))
    for rel, title, sheets in p.books:
        add(rel, registry, title, [(name, states[n]) for name, n in sheets])
    add(MARKER, MARKER_TEXT)
    return p


# ---------------------------------------------------------------------------------------------
# The previous build


@dataclass
class Previous:
    """What the previous build in the output folder can lend: files whose key matches."""

    root: Path | None = None
    files: dict[str, list] = field(default_factory=dict)         # rel -> [key, size]
    groups: dict[str, str] = field(default_factory=dict)         # folder prefix -> its key
    fragments: dict[str, tuple[int, int]] = field(default_factory=dict)   # key -> (offset, length)
    written_ns: int = 0                                          # mtime of the manifest: the build's end

    def reusable(self, rel: str, key: str) -> bool:
        """True when the previous build has rel with this key, untouched since it was written."""
        entry = self.files.get(rel)
        if self.root is None or entry is None or entry[0] != key:
            return False
        try:
            st = os.stat(os.path.join(self.root, rel))
        except OSError:
            return False
        # a file changed by hand after the build (newer than the manifest, or resized) is never
        # carried over; the manifest itself stays free of timestamps, so builds repeat byte for byte
        return st.st_size == entry[1] and st.st_mtime_ns <= self.written_ns

    def group(self, prefix: str, key: str, outputs: Container[str] = ()) -> list[str] | None:
        """The files of a group (folder) when it was built under key and every file is untouched, else None.

        Files in outputs have keys of their own and are not part of the group.
        """
        if self.groups.get(prefix) != key:
            return None
        rels = [rel for rel in self.files if rel.startswith(prefix) and rel not in outputs]
        return rels if rels and all(self.reusable(rel, self.files[rel][0]) for rel in rels) else None


def previous_build(target: Path) -> Previous:
    """The manifest of the build in target; an empty Previous when it is missing or unreadable."""
    try:
        path = target / MANIFEST
        written = os.stat(path).st_mtime_ns
        data = json.loads(path.read_text("utf-8"))
        if data.get("version") != MANIFEST_VERSION or not isinstance(data.get("files"), dict):
            return Previous()
        files = {rel: entry for rel, entry in data["files"].items()
                 if isinstance(entry, list) and len(entry) == 2 and ".." not in rel.split("/")}
        groups = data.get("groups", {})
        prev = Previous(target, files, written_ns=written,
                        groups={k: v for k, v in groups.items() if isinstance(k, str) and isinstance(v, str)})
        if prev.reusable("data/catalogs.json", files.get("data/catalogs.json", [None])[0]):
            prev.fragments = {key: (offset, length) for key, offset, length in data.get("fragments", [])}
        return prev
    except (OSError, ValueError, TypeError, AttributeError):
        return Previous()


# ---------------------------------------------------------------------------------------------
# Tasks


Task = tuple[str, Callable[[Path], object]]


def _write(root: Path, rel: str, data: bytes | str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


@contextlib.contextmanager
def _raw_data(catalogs):
    """Let a task read raw item data; catalogs that were compact are compacted again after it."""
    compact = [c for c in catalogs if c._data is None]
    try:
        yield
    finally:
        for c in compact:
            c.compact()   # memory stays flat: a worker does not keep every catalog it reloaded


class Builder:
    """The render tasks of one build: per catalog first (the only ones reading raw data), then the rest."""

    def __init__(self, p: Plan, prev: Previous, staging: Path, state: tuple[Cache, str] | None = None,
                 previous_state: "_Prefetch | None" = None):
        self.p = p
        self.state = state   # where the search index's state is kept (cache, name), when the cache is on
        self.saver: multiprocessing.process.BaseProcess | None = None
        self.previous_state = previous_state   # the index's state, read while the build plans
        self.pid = os.getpid()
        self.site = p.site
        self.result = p.result
        self.prev = prev
        self.staging = staging
        self.parts = staging / PARTS
        self.env = html.environment()
        for name in self.env.list_templates(filter_func=lambda n: n.endswith(".html")):
            self.env.get_template(name)   # syntax errors surface here, before any worker starts
        self.warnings = warnings_of(p.result)
        self.common = html.common_context(self.site, self.warnings)
        self.reused = {rel for rel, key in p.outputs.items() if prev.reusable(rel, key)}
        self.groups_todo = []
        for prefix, key in p.groups.items():
            rels = prev.group(prefix, key, p.outputs)
            # a reusable index is computed again once if the cache has no state of it, so that
            # the next edit can update it (after a --no-cache build, say)
            if rels is None or (prefix == SEARCH_FOLDER and state and not state[0].has("search", state[1])):
                self.groups_todo.append(prefix)
            else:
                self.reused.update(rels)
        self.xf = excel.canonical_xf()

    def todo(self, rel: str) -> bool:
        return rel not in self.reused

    def link_reused(self, root: Path) -> None:
        """Hard-link every reusable file of the previous build into root (copy where links fail)."""
        made: set[str] = set()
        source, dest = str(self.prev.root), str(root)
        for rel in sorted(self.reused):   # plain strings: ten thousand files, pathlib would double the time
            folder = os.path.dirname(rel)
            if folder not in made:
                os.makedirs(os.path.join(dest, folder), exist_ok=True)
                made.add(folder)
            old, new = os.path.join(source, rel), os.path.join(dest, rel)
            if not _link(old, new):
                shutil.copy2(old, new)

    def catalog_tasks(self) -> list[Task]:
        """Per catalog: its page, its data file, and what the assembly tasks need of its raw data."""
        json_todo = self.todo("data/catalogs.json")
        out = []
        for n, page in enumerate(self.site.pages):
            want = (self.todo(self.p.page_html[n]), self.todo(self.p.page_data[n]),
                    json_todo and self.p.fragments[n] not in self.prev.fragments, self.todo(self.p.sheets[n]))
            if any(want):
                out.append((f"catalog {page.catalog.file}", lambda root, n=n, want=want: self._catalog(root, n, *want)))
        return out

    def _catalog(self, root: Path, n: int, page_html: bool, data: bool, fragment: bool, body: bool) -> None:
        page = self.site.pages[n]
        with _raw_data([page.catalog]):
            if page_html:
                _write(root, self.p.page_html[n], html.render_catalog(self.env, self.site, page, self.common))
            if data or fragment:
                whole, part = jsondata.catalog_outputs(page)
                if data:
                    _write(root, self.p.page_data[n], whole)
                if fragment:
                    _write(root, f"{PARTS}/{n}.json", part)
            if body:
                catalog = page.catalog
                text = excel.sheet_body(catalog, excel.catalog_sheet_title(catalog, self.site.registry),
                                        excel.catalog_columns(catalog), self.xf)
                _write(root, self.p.sheets[n], zlib.compress(marshal.dumps(tuple(text)), 1))

    def part_tasks(self) -> list[Task]:
        """Workbooks and data/catalogs.json, assembled from the per-catalog parts: biggest first."""
        site, out = self.site, []
        index = {id(q.catalog): n for n, q in enumerate(site.pages)}
        books = sorted(self.p.books, key=lambda b: -sum(len(site.pages[n].catalog.items) for _, n in b[2]))
        for rel, title, sheets in books:
            if self.todo(rel):
                pairs = [(name, site.pages[n].catalog) for name, n in sheets]
                out.append((rel, lambda root, rel=rel, pairs=pairs, title=title: _workbook(
                    root / rel, pairs, site.registry, title, lambda c, t, cols, xf: self._body(c, t, cols, xf, index))))
        if self.todo("data/catalogs.json"):
            out.insert(min(1, len(out)), ("data/catalogs.json", self._catalogs_json))
        return out

    def model_tasks(self) -> list[Task]:
        """Everything rendered from model fields alone (no raw data, no parts): the search index first."""
        site, out = self.site, []
        # the two search tasks first: the longest single task, then the next (the search
        # records), so that neither is left running alone at the end
        if SEARCH_FOLDER in self.groups_todo:
            out.append((SEARCH_FOLDER, self._search))
        records = {int(rel[len(SEARCH_RECORDS):-3]) for rel in self.p.outputs
                   if rel.startswith(SEARCH_RECORDS) and self.todo(rel)}
        if records:
            out.append((SEARCH_RECORDS, lambda root: self._records(root, records)))
        pages = [("site/index.html", lambda: html.render_index(self.env, site, self.common)),
                 ("site/coverage.html", lambda: html.render_coverage(self.env, site, self.result.project,
                                                                      self.result.diagnostics, self.common)),
                 ("site/warnings.html", lambda: html.render_warnings(self.env, site, self.warnings, self.common)),
                 ("site/search.html", lambda: html.render_search(self.env, site, self.common))]
        pages += [(f"site/{r.html_path}", lambda r=r: html.render_region(self.env, site, r, self.common))
                  for r in site.regions]
        pages += [(f"site/{rel}", lambda data=data: data) for rel, data in html.static_files()]
        pages.append((MARKER, lambda: MARKER_TEXT))
        for rel, render in pages:
            if self.todo(rel):
                out.append((rel, lambda root, rel=rel, render=render: _write(root, rel, render())))
        return out

    def _search(self, root: Path) -> dict[str, str]:
        """Write the search index but its records; a file whose bytes the previous build has is linked from it.

        Returns rel -> key (the key of each file is its bytes: the index is computed as a whole).
        """
        with _collector_off():   # millions of new lists and strings, none in a cycle: nothing to collect
            if self.state is None:
                index = search.index_files(self.site)
            else:
                cache, name = self.state
                # read and verified in a thread while the build planned; unpickled here
                previous = cache.loads(self.previous_state.result() if self.previous_state else cache.read("search", name))
                self.previous_state = None
                previous = previous if isinstance(previous, search.IndexState) else None
                index, state = search.build_index(self.site, self.p.search_keys, previous)
                # a state a few catalogs behind is as good a start for the next build (it reads
                # those catalogs again, a few ms each) and spares writing tens of MB after each edit
                behind = search.pages_behind(self.site, self.p.search_keys, previous)
                if behind is None or behind > KEEP_BEHIND:
                    self._save_state(cache, name, state)
                del previous
        keys = {}
        made: set[str] = set()
        dest, source = str(root), str(self.prev.root)
        for rel, text in index:   # plain strings: thousands of files
            full = f"site/{rel}"
            if not full.startswith(SEARCH_FOLDER) or ".." in full.split("/"):
                raise ValueError(f"search index file outside {SEARCH_FOLDER}: {rel}")
            data = text.encode("utf-8")
            keys[full] = key = _hash(self.p.base, full, hashlib.blake2b(data, digest_size=16).hexdigest())
            path = os.path.join(dest, full)
            folder = os.path.dirname(path)
            if folder not in made:
                os.makedirs(folder, exist_ok=True)
                made.add(folder)
            # creating a file costs far more than linking one: an edit changes few of these files
            if not (self.prev.reusable(full, key) and _link(os.path.join(source, full), path)):
                with open(path, "wb") as fh:
                    fh.write(data)
        return keys

    def _save_state(self, cache: Cache, name: str, state: search.IndexState) -> None:
        """Put the index's state in the cache, in a forked process when it is big (tens of MB to sign and write)."""
        if self.site.total_items < PARALLEL_FROM_ITEMS or os.getpid() != self.pid or \
                "fork" not in multiprocessing.get_all_start_methods():
            cache.put("search", name, state)
            return
        # the build goes on meanwhile; finish_saving() waits for it before the build returns
        self.saver = multiprocessing.get_context("fork").Process(target=cache.put, args=("search", name, state))
        self.saver.start()

    def finish_saving(self) -> None:
        """Wait for the index's state to be in the cache (a no-op when it was put in this process)."""
        if self.saver is not None:
            self.saver.join()
            self.saver = None

    def _records(self, root: Path, numbers: set[int]) -> None:
        (root / SEARCH_RECORDS).mkdir(parents=True, exist_ok=True)
        for rel, text in search.record_files(self.site, numbers):
            (root / "site" / rel).write_bytes(text.encode("utf-8"))

    def _body(self, catalog, title, columns, xf, index) -> excel.SheetBody:
        path = self.staging / self.p.sheets[index[id(catalog)]]
        if xf == self.xf and path.exists():
            return excel.SheetBody(*marshal.loads(zlib.decompress(path.read_bytes())))
        with _raw_data([catalog]):
            return excel.sheet_body(catalog, title, columns, xf)

    def _catalogs_json(self, root: Path) -> list[tuple[str, int, int]]:
        """data/catalogs.json from the per-catalog parts and unchanged spans of the previous file."""
        path = root / "data/catalogs.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.ExitStack() as stack:
            old = stack.enter_context(open(self.prev.root / "data/catalogs.json", "rb")) if self.prev.fragments else None

            def fragment(n: int, page: Page, fh) -> None:
                span = self.prev.fragments.get(self.p.fragments[n])
                part = self.parts / f"{n}.json"
                if span is not None and old is not None:
                    old.seek(span[0])
                    fh.write(old.read(span[1]))
                elif part.exists():
                    fh.write(part.read_bytes())
                else:
                    with _raw_data([page.catalog]):
                        fh.write(jsondata.catalog_fragment(page))
            spans = jsondata.write_catalogs_file(path, self.site, fragment)
        return [(key, offset, length) for key, (offset, length) in zip(self.p.fragments, spans)]


def _link(source: Path | str, dest: Path | str) -> bool:
    """Hard-link source to dest; False where the file system refuses (the caller writes or copies)."""
    try:
        os.link(source, dest)
        return True
    except OSError:
        return False


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _workbook(path: Path, sheets, registry, title: str, bodies) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    excel.write_catalogs_workbook(path, sheets, registry=registry, summary=title, bodies=bodies)


PARALLEL_FROM_ITEMS = 5000   # below this, starting worker processes costs more than it saves


def build(result: Result, out: Path, inputs: list[Path],
          progress: Callable[[int], contextlib.AbstractContextManager] | None = None, jobs: int = 0,
          reuse: bool = True) -> Stats:
    """Render a clean check result into out (replacing a previous build); atomic and deterministic.

    jobs: worker processes (0 = one per CPU for large sets, 1 = none). reuse: take files whose
    key is unchanged from the previous build in out (False: render everything).
    """
    target = check_output(out, inputs)
    # the model is millions of long-lived objects: keep the collector off them (it would rescan
    # them for nothing, and in forked workers its bookkeeping would copy every page they share)
    gc.freeze()
    try:
        return _build(result, target, progress, jobs, reuse)
    finally:
        gc.unfreeze()


def _build(result: Result, target: Path, progress, jobs: int, reuse: bool) -> Stats:
    _drop_positions(result)
    cache = Cache() if reuse else None
    state = (cache, digest("search index state", str(target))) if cache is not None and cache.enabled else None
    # the search index's state (tens of MB to read and verify) is read while the build plans (not
    # unpickled: that would hold the interpreter lock the plan needs)
    prefetch = _Prefetch(cache.read, "search", state[1]) if state and cache.has("search", state[1]) else None
    try:
        site = gather(result.project.catalogs, result.project.registry)
        p = plan(site, result)
        prev = previous_build(target) if reuse and target.exists() else Previous()
    finally:
        if prefetch is not None:
            prefetch.result()   # no thread may run when the helpers are forked
    workers = _workers(jobs, site.total_items)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    builder = None
    try:
        builder = Builder(p, prev, staging, state, prefetch)
        # one list of tasks: the search index first (this process's), linking the reused files
        # and the per-catalog tasks, the other pages, then the workbooks and catalogs.json, which
        # read the parts the linking and per-catalog tasks write
        model = builder.model_tasks()
        search_tasks = [task for task in model if task[0] in (SEARCH_FOLDER, SEARCH_RECORDS)]
        link = [("link reused", builder.link_reused)] if builder.reused else []
        # the workbooks and catalogs.json read the parts that linking and the per-catalog tasks
        # write: they wait for those only, not for the search index, so that after an edit they
        # run beside it
        parts = link + builder.catalog_tasks()
        gate = _Gate(len(parts))
        work = (search_tasks + [(label, gate.opening(run)) for label, run in parts] + model[len(search_tasks):]
                + [(label, gate.behind(run)) for label, run in builder.part_tasks()])
        with (progress(len(work)) if progress else _no_progress()) as bar:
            fragments = None
            keys = {rel: prev.files[rel][0] for rel in builder.reused if rel not in p.outputs}
            for label, value in _run(work, staging, workers, bar):
                if label == "data/catalogs.json":
                    fragments = value
                elif label == SEARCH_FOLDER:
                    keys.update(value)
        shutil.rmtree(staging / PARTS, ignore_errors=True)
        if fragments is None:   # catalogs.json reused as a whole: its fragments are unchanged
            fragments = [(k, *prev.fragments[k]) for k in p.fragments] if prev.fragments else []
        _write_manifest(staging, p, keys, fragments, prev, builder.reused)
        _fsync_tree(staging, skip=builder.reused)
        _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if builder is not None:
            builder.finish_saving()
    workbooks = sum(1 for rel in p.outputs if rel.startswith("excel/"))
    data_files = sum(1 for rel in p.outputs if rel.startswith("data/"))
    return Stats(html.page_count(site), workbooks, data_files, site.total_items, len(warnings_of(result)),
                 len(builder.reused))


class _Gate:
    """Tasks that wait for others (in any process) to finish: made before the helpers are forked."""

    def __init__(self, count: int):
        self.count = count
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
                if _helper_died():   # its task will never be counted
                    raise RuntimeError(HELPER_DIED)
                time.sleep(0.002)
            return run(root)
        return waiting


class _Prefetch:
    """A call run in a thread while the build goes on; result() waits for it."""

    def __init__(self, fn: Callable, *args: object):
        self._value: object = None
        self._thread = threading.Thread(target=self._call, args=(fn, args), daemon=True)
        self._thread.start()

    def _call(self, fn: Callable, args: tuple) -> None:
        with contextlib.suppress(Exception):   # a cache that cannot be read is a miss
            self._value = fn(*args)

    def result(self) -> object:
        self._thread.join()
        return self._value


def _drop_positions(result: Result) -> None:
    # the build never needs positions (diagnostics carry their own); at province scale they are
    # a third of the model's memory, which every forked worker would otherwise carry too
    for f in result.files:
        if f.catalog is not None and f.catalog._positions is not None:
            f.catalog._positions = None
            if f.parsed.positions:
                f.parsed.positions = {}


def _write_manifest(staging: Path, p: Plan, group_files: dict[str, str], fragments, prev: Previous,
                    reused: Container[str]) -> None:
    """.gkml-manifest.json: every output with its key and size; group_files: the keys of the groups' files."""
    outputs = dict(p.outputs)
    outputs.update(sorted(group_files.items()))
    files = {}
    root = str(staging)
    for rel, key in outputs.items():   # plain strings: twenty thousand files
        # a reused file is the previous build's (a link to it, or a copy): its size is known
        files[rel] = [key, prev.files[rel][1] if rel in reused else os.stat(os.path.join(root, rel)).st_size]
    data = {"version": MANIFEST_VERSION, "files": files, "groups": dict(sorted(p.groups.items())),
            "fragments": [list(f) for f in fragments]}
    (staging / MANIFEST).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")


def _workers(jobs: int, items: int) -> int:
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if jobs == 0:
        return (os.cpu_count() or 1) if items >= PARALLEL_FROM_ITEMS else 1
    return jobs


_FORKED: list[Task] = []
_HELPERS: list[tuple[int, multiprocessing.process.BaseProcess]] = []   # (parent pid, helper) of the running _run
HELPER_DIED = "生成进程意外退出(可能是内存不足);未生成。"


def _helper_died() -> bool:
    """Whether a helper of this process's running _run has died (False in a helper: it has none)."""
    return any(parent == os.getpid() and helper.exitcode not in (None, 0) for parent, helper in _HELPERS)


def _claim(claimed) -> int:
    """The next task nobody has taken (the shared counter's value, then incremented)."""
    with claimed.get_lock():
        n = claimed.value
        claimed.value = n + 1
    return n


def template_place(exc: BaseException) -> str:
    """template file:line of a Jinja2 error, '?' when unknown (syntax errors carry it; runtime errors only in the traceback)."""
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
    return f"{Path(name).name}:{line}" if name else "?"


def _helper(claimed, done, staging: str) -> None:
    """A forked helper: take tasks until none is left, send back (index, ok, value or exception)."""
    root = Path(staging)
    while (n := _claim(claimed)) < len(_FORKED):
        try:
            done.put((n, True, _FORKED[n][1](root)))
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


def _run(work: list[Task], staging: Path, workers: int, bar) -> Iterator[tuple[str, object]]:
    """Run tasks in this process and workers - 1 forked helpers; yields (label, return value) as they finish.

    This process starts with the first task (the longest: the search index, which reads most of
    the model; a forked process would copy it page by page as it touched it), then takes tasks
    like the helpers do, from one shared counter: as many processes as workers, never one more
    (a third process on two cores only slows the other two). Each task writes its own files, so
    the output is the same bytes whatever the scheduling.
    """
    global _FORKED
    if workers <= 1 or len(work) <= 1:
        for label, run in work:
            value = run(staging)
            bar.update(1)
            yield label, value
        return
    _FORKED = work          # inherited by the forked helpers: nothing is pickled but results
    context = multiprocessing.get_context("fork")
    claimed = context.Value("q", 1)    # task 0 is this process's
    done = context.Queue()
    helpers = [context.Process(target=_helper, args=(claimed, done, str(staging)), daemon=True)
               for _ in range(min(workers - 1, len(work) - 1))]
    _HELPERS[:] = [(os.getpid(), helper) for helper in helpers]
    pending = len(work)

    def finished(block: bool) -> Iterator[tuple[str, object]]:
        nonlocal pending
        while pending:
            try:
                index, ok, value = done.get(timeout=0.2) if block else done.get_nowait()
            except queue.Empty:
                if not block:
                    return
                if _helper_died():
                    raise RuntimeError(HELPER_DIED) from None
                continue
            if not ok:
                raise value           # a helper's exception, re-raised here
            pending -= 1
            bar.update(1)
            yield work[index][0], value

    try:
        for helper in helpers:
            helper.start()
        n = 0
        while n < len(work):
            value = work[n][1](staging)
            pending -= 1
            bar.update(1)
            yield work[n][0], value
            yield from finished(block=False)   # a helper's failure stops the build early
            n = _claim(claimed)
        yield from finished(block=True)
        for helper in helpers:
            helper.join()
    finally:
        for helper in helpers:   # on failure or Ctrl-C: stop writing before the staging folder is removed
            if helper.is_alive():
                helper.terminate()
        for helper in helpers:
            if helper.pid is not None:
                helper.join()
        done.close()
        _FORKED = []
        _HELPERS.clear()


class _NoBar:
    def update(self, n: int) -> None:
        pass


@contextlib.contextmanager
def _no_progress() -> Iterator[_NoBar]:
    yield _NoBar()


def _fsync_tree(root: Path, skip: set[str] = frozenset()) -> None:
    """Make the new build durable before it becomes visible (the rename is only as good as the data).

    Linux: one syncfs() of the file system (a province build is ten thousand files; one fsync
    each costs seconds). Elsewhere: fsync every file, except those linked from the previous
    build, which that build made durable.
    """
    if os.name != "posix":
        return
    if _syncfs(root):
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


def _syncfs(root: Path) -> bool:
    """syncfs(2) on root's file system; False when unavailable or failing."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    syncfs.argtypes = [ctypes.c_int]
    fd = os.open(root, os.O_RDONLY)
    try:
        return syncfs(fd) == 0
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
        _remove_tree(staging)   # staging now holds the previous build
    else:
        swap_dir(staging, target)


def _remove_tree(root: Path) -> None:
    """Remove a previous build (tens of thousands of files): its biggest folder in a second thread.

    Unlinking is a system call that lets the other thread run, so two threads take about
    two thirds of the time of one; nothing forks while this runs (the build is done).
    """
    site = root / "site"
    worker = threading.Thread(target=shutil.rmtree, args=(site,), kwargs={"ignore_errors": True})
    worker.start()
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                if entry.name == "site":
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
