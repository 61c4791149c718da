"""The output protocol: what a builder module declares, and what the build engine (compiler/build.py) gives it.

A builder module has ROOTS (the names it writes at the top of the output folder) and
outputs(ctx) -> the outputs it writes, each with its path, what its content depends on (key:
any value with a stable repr; the engine adds gkml's code, the templates and the path) and how
to render it. It may also have summary(ctx) -> [(Chinese noun, English noun, count)] for the
build's closing line. The engine keys every output, reuses what the previous build has under
the same key, renders the rest (in parallel), writes the manifest and swaps the folder in.

Kinds of output:
- File: one file. With catalog=n it reads catalog n's raw data and is rendered in that
  catalog's task, beside the catalog's other such files (one read of its data for all of
  them; job.once shares work between them); with after=True it reads what those tasks wrote
  (job.root) and waits for them.
- Spliced: a head, one fragment per catalog, a tail. Fragments whose key the previous file
  had are copied from it, the others rendered in their catalog's task.
- Batch: files that share work, rendered in one task (only those whose key changed).
- Group: a folder computed as a whole under one key, first and in this process; each file it
  gives is then keyed by its own bytes, and linked from the previous build when they match.
- Copy: a second name for another output (a File or Spliced, by its path), keyed by that
  output's key and hard-linked to it once every task has ended (the portal's downloads).
"""
from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, NamedTuple

from .common import Page, Site

if TYPE_CHECKING:
    from ..pipeline import Result

Content = bytes | str


def key_of(*parts: object) -> str:
    """The hash of parts: their repr, stable across runs and processes for str, int, tuple, list, None, named tuples."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class _PageFields(NamedTuple):
    file: str
    digest: str | None
    html_path: str
    data_path: str
    region_name: str
    area_name: str
    area_slug: str


class PageState(_PageFields):
    """What a catalog's page, data file and rows depend on of it: its file's bytes (digest), paths and names."""

    # no __slots__: each state keeps its repr, what the keys it is part of are made of (key_of).
    # A page's state is in a dozen outputs' keys, and formatting it again for each was 1.4 s of
    # the build after a one-file edit (py-spy, 24 s build; benchmarks/RESULTS.md, issue 22)
    def __repr__(self) -> str:
        text = self.__dict__.get("repr")
        if text is None:
            text = self.__dict__["repr"] = super().__repr__()
        return text


@dataclass
class Context:
    """What every builder plans its outputs from (model fields and digests: no raw data)."""

    site: Site
    result: "Result"
    warnings: list
    base: str                          # key of gkml's code, the templates and SOURCE_DATE_EPOCH
    registry: str                      # key of the registry files
    pages: list[PageState]             # per page of site.pages
    everything: str                    # key of every catalog file, the registry and the day
    number: dict[int, int]             # id(page) -> its index in site.pages
    cache: Any = None                  # gkml's cache when the build may use it (else None)
    target: Path | None = None         # the output folder
    prefetch: Callable[..., Any] = None   # prefetch(fn, *args) -> handle with .result() and .take(): fn in a thread
    background: Callable[..., None] = None  # background(fn, *args): run after rendering, before the build returns
    scorecard: Any = None              # assess.Scorecard for site/staff/assess.html (None: no such page)
    options: dict = field(default_factory=dict)   # what the command passes to builders (site info, --staff)
    theme: Any = None                  # the templates (compiler/builders/theme.py): packaged, or the project's over them

    def state(self, page: Page) -> PageState:
        """The PageState of a page."""
        return self.pages[self.number[id(page)]]


@dataclass
class Job:
    """What a render function is given: the staging folder, and in a catalog's task its number."""

    root: Path
    n: int | None = None
    memo: dict = field(default_factory=dict)

    def once(self, name: str, make: Callable[[], Any]) -> Any:
        """make(), computed once per task under name (outputs of one catalog share a normalisation)."""
        if name not in self.memo:
            self.memo[name] = make()
        return self.memo[name]


class File(NamedTuple):
    """One output file: render(job) gives its content (or writes job.root / rel itself and gives None)."""

    rel: str
    key: object
    render: Callable[[Job], Content | None]
    catalog: int | None = None     # reads this catalog's raw data: rendered in its task
    after: bool = False            # reads the files catalog tasks write: runs once they ended
    weight: int = 0                # among after outputs, heavier first


class Spliced(NamedTuple):
    """head + sep.join(fragment per catalog) + tail; fragments are kept from the previous file by key."""

    rel: str
    key: object                              # of head and tail
    head: Callable[[], bytes]
    fragments: list[tuple[int, object]]      # (catalog number, key of its fragment)
    render_fragment: Callable[[Job], bytes]  # in catalog job.n's task
    sep: bytes = b""
    tail: bytes = b""
    weight: int = 0


class Batch(NamedTuple):
    """Files rendered together: render(job, wanted rels) -> (rel, content) of those."""

    label: str
    files: list[tuple[str, object]]          # (rel, key)
    render: Callable[[Job, set[str]], Iterable[tuple[str, Content]]]


class Group(NamedTuple):
    """A folder computed as a whole: render(job) -> (rel, content) of every file under prefix."""

    prefix: str
    key: object
    render: Callable[[Job], Iterable[tuple[str, Content]]]
    redo: bool = False     # compute it even when the previous build has it (e.g. to make a cache entry)


class Copy(NamedTuple):
    """The file rel holds the same bytes as the output source (declared by any builder)."""

    rel: str
    source: str


Output = File | Spliced | Batch | Group | Copy


@contextlib.contextmanager
def raw_data(catalog) -> Iterator[None]:
    """Let a render read a catalog's raw data; a catalog that was compact is compacted again after it."""
    compact = catalog.is_compact
    try:
        yield
    finally:
        if compact:
            catalog.compact()   # memory stays flat: a worker does not keep every catalog it reloaded
