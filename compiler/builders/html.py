"""The static portal: Jinja2 templates rendered into pages with relative links only.

Every page gets ``root``, the relative path back to the site root ("" / "../" / "../../"), so the
site works from file:// and from any sub-path of a web server. Autoescaping is on for every
.html template and undefined variables are errors, so a template mistake fails the build
instead of publishing a half-empty page.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import __version__, vocabulary
from ..diagnostics import Diagnostic, Severity
from ..model import Item
from ..resources import templates_dir
from ..vocabulary import LEVEL_NAMES, LEVEL_OF_ZH, LEVEL_ORDER
from .common import (Page, RegionView, Site, build_moment, catalog_blocks, channel_marks, level_columns,
                     source_epoch)
from . import records_view
from .outputs import Context, File

STATIC_FILES = ("gkml.css", "search.js")
ROOTS = ("site",)


def environment(folder: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment of the portal templates (autoescaped, strict)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder or templates_dir())),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.globals.update(version=__version__, level_name=lambda lv: LEVEL_NAMES.get(lv, lv or ""),
                       channel_marks=channel_marks,
                       built=build_moment().date().isoformat() if source_epoch() is not None else "")
    return env


@dataclass(slots=True)
class Row:
    """One table row of a catalog page: the item and, on the first row of a block, the block span."""

    item: Item
    number: int
    span: int                 # rows the 序号/一级事项 cells cover (0 on the rows they cover)
    upper: tuple[str, str] | None      # (href, label) of the item this one implements
    lower: list[tuple[str, str]]       # (href, label) of the items implementing this one


def _href(site: Site, from_page: Page | None, root: str, item_id: str) -> str | None:
    page = site.item_page.get(item_id)
    if page is None:
        return None
    if page is from_page:
        return f"#{item_id}"
    return f"{root}{page.html_path}#{item_id}"


def _label(site: Site, item_id: str) -> str:
    page = site.item_page.get(item_id)
    item = site.items_by_id.get(item_id)
    if page is None or item is None:
        return item_id
    return f"{page.region_name} · {item.title}"


def page_links(site: Site, page: Page, root: str = "../../") -> list[tuple[tuple[str, str] | None, list[tuple[str, str]]]]:
    """(upper link, lower links) of every item of a catalog page: all a page shows of other catalogs."""
    out = []
    lower_of = site.lower
    for item in page.catalog.items:
        upper = None
        if item.implements:
            href = _href(site, page, root, item.implements)
            upper = (href, _label(site, item.implements)) if href else ("", item.implements)
        lower = []
        for low in lower_of.get(item.id or "", ()):
            href = _href(site, page, root, low.id or "")
            if href:
                lower.append((href, _label(site, low.id or "")))
        out.append((upper, lower))
    return out


def catalog_rows(site: Site, page: Page, root: str) -> list[Row]:
    """The rows of a catalog page, with block spans and vertical links."""
    rows = []
    blocks = catalog_blocks(page.catalog)
    starts = {first: (n, last - first + 1) for n, (first, last) in enumerate(blocks, 1)}
    number = 0
    for index, (item, (upper, lower)) in enumerate(zip(page.catalog.items, page_links(site, page, root))):
        span = 0
        if index in starts:
            number, span = starts[index]
        rows.append(Row(item, number, span, upper, lower))
    return rows


@dataclass(slots=True)
class Cell:
    """One cell of the coverage matrix."""

    status: str              # covered | missing | incomplete | not-required
    count: int
    href: str | None


@dataclass(slots=True)
class CoverageRow:
    """One region of the coverage matrix."""

    code: str
    name: str
    level: str
    href: str | None
    cells: list[Cell]


def coverage_matrix(site: Site, project, diagnostics) -> tuple[list[str], list[CoverageRow], list]:
    """(areas, rows, legal gaps) of the coverage page, from compiler.coverage (shared with `gkml coverage`)."""
    from .. import coverage
    first_page: dict[tuple[str, str], Page] = {}
    for page in site.pages:
        first_page.setdefault((page.code, page.area_name), page)
    known = {r.code for r in site.regions}
    matrix = coverage.compute(project, list(diagnostics), legal=True)
    rows = []
    for row in sorted(matrix.rows, key=lambda r: (LEVEL_ORDER.get(r.level, 9), r.code)):
        cells = []
        for area in matrix.areas:
            cell = matrix.cells[(row.code, area)]
            page = first_page.get((row.code, area))
            cells.append(Cell(cell.status, cell.matters, page.html_path if page else None))
        rows.append(CoverageRow(row.code, row.name, row.level,
                                f"regions/{row.code}.html" if row.code in known else None, cells))
    return list(matrix.areas), rows, matrix.gaps


def _regions_by_level(site: Site) -> list[tuple[str, list[RegionView]]]:
    levels: dict[str, list[RegionView]] = {}
    for region in site.regions:
        levels.setdefault(region.level, []).append(region)
    return sorted(levels.items(), key=lambda kv: LEVEL_ORDER.get(kv[0], 9))


def _departments(region: RegionView) -> list[tuple[str, int, list[str]]]:
    units: dict[str, tuple[int, set[str]]] = {}
    for page in region.pages:
        for item in page.catalog.items:
            name = item.responsible_unit or "(未填写)"
            count, areas = units.get(name, (0, set()))
            areas.add(page.area_name)
            units[name] = (count + 1, areas)
    return [(name, count, sorted(areas)) for name, (count, areas) in sorted(units.items())]


def region_chain(site: Site, region: RegionView) -> list[RegionView]:
    """The regions above region, from the top down."""
    chain, seen = [], set()
    code = region.parent
    while code and code not in seen:
        seen.add(code)
        parent = site.region(code)
        if parent is None:
            break
        chain.insert(0, parent)
        code = parent.parent
    return chain


def page_count(site: Site) -> int:
    """How many HTML pages a build writes: the home page, one per region and per catalog, coverage, warnings, search."""
    return 1 + len(site.regions) + len(site.pages) + 3


def common_context(site: Site, warnings: list[Diagnostic]) -> dict:
    """What every page shows besides its own content: the warning count in the navigation."""
    # the province's totals are on the home page only: on every page, an edit that adds a
    # matter would render all of them again (thousands at province scale)
    return {"warning_count": len(warnings)}


def totals(site: Site) -> dict:
    """The home page's totals: regions, catalogs and matters."""
    return {"total_items": site.total_items, "total_catalogs": len(site.pages), "total_regions": len(site.regions)}


def render_index(env: jinja2.Environment, site: Site, common: dict) -> str:
    """index.html."""
    return env.get_template("index.html").render(
        root="", title="政务公开事项目录", levels=_regions_by_level(site), site=site, **totals(site), **common)


def render_region(env: jinja2.Environment, site: Site, region: RegionView, common: dict) -> str:
    """regions/<code>.html."""
    children = [r for r in site.regions if r.parent == region.code]
    return env.get_template("region.html").render(
        root="../", title=f"{region.name}政务公开事项目录", region=region, chain=region_chain(site, region),
        children=children, departments=_departments(region), **common)


def render_catalog(env: jinja2.Environment, site: Site, page: Page, common: dict) -> str:
    """catalogs/<code>/<slug>.html."""
    root = "../../"
    return env.get_template("catalog.html").render(
        root=root, title=page.title, page=page, region=site.region(page.code), rows=catalog_rows(site, page, root),
        levels=level_columns([page.catalog]), audiences=vocabulary.get("audience").canonical,
        methods=vocabulary.get("method").canonical, level_key=LEVEL_OF_ZH, **common)


def render_coverage(env: jinja2.Environment, site: Site, project, diagnostics, common: dict) -> str:
    """coverage.html."""
    areas, rows, gaps = coverage_matrix(site, project, diagnostics)
    names = {r.code: r.name for r in rows}
    gap_groups: dict[str, list] = {}
    for gap in gaps:
        gap_groups.setdefault(names.get(gap.region, gap.region), []).append(gap)
    return env.get_template("coverage.html").render(
        root="", title="覆盖情况", areas=areas, rows=rows, gaps=list(gap_groups.items()), **common)


def render_warnings(env: jinja2.Environment, site: Site, warnings: list[Diagnostic], common: dict) -> str:
    """warnings.html."""
    return env.get_template("warnings.html").render(
        root="", title="当前警告", groups=_warning_groups(site, warnings), **common)


def render_search(env: jinja2.Environment, site: Site, common: dict) -> str:
    """search.html."""
    return env.get_template("search.html").render(root="", title="一站式检索", total_items=site.total_items, **common)


def _warning_groups(site: Site, warnings: list[Diagnostic]):
    groups: dict[str, list[tuple[Diagnostic, str | None]]] = {}
    for d in warnings:
        href = _href(site, None, "", d.item) if d.item else None
        groups.setdefault(d.file, []).append((d, href))
    return sorted(groups.items())


def static_files() -> list[tuple[str, bytes]]:
    """(relative path, bytes) of the portal's static files."""
    folder = templates_dir() / "static"
    return [(f"static/{name}", (folder / name).read_bytes()) for name in STATIC_FILES]


def outputs(ctx: Context) -> list[File]:
    """Every page of the portal with what it shows (compiler/builders/outputs.py)."""
    site, result = ctx.site, ctx.result
    env = environment()
    env.globals.update(records_view.template_globals(result.project, site))   # the catalog page's partials
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        env.get_template(name)   # syntax errors surface here, before any worker starts
    common = common_context(site, ctx.warnings)
    common_key = sorted(common.items())
    out = [File("site/index.html", (ctx.registry, common_key, [
        (r.code, r.name, r.level, [(q.html_path, q.area_name, q.catalog.department, len(q.catalog.items))
                                   for q in r.pages]) for r in site.regions]),
        lambda job: render_index(env, site, common))]
    for region in site.regions:
        children = [(c.code, c.name, c.items) for c in site.regions if c.parent == region.code]
        chain = [(c.code, c.name) for c in region_chain(site, region)]
        out.append(File(f"site/{region.html_path}", (ctx.registry, common_key, region.code, region.name, region.level,
                                                     [ctx.state(q) for q in region.pages], children, chain),
                        lambda job, region=region: render_region(env, site, region, common)))
    # a page shows of other catalogs only the items linked to its own (vertical links: label and
    # href); those come from its neighbours, the catalogs holding either end of such a link
    neighbours: list[set[int]] = [set() for _ in site.pages]
    for n, q in enumerate(site.pages):
        for item in q.catalog.items:
            if item.implements:
                up = site.item_page.get(item.implements)
                if up is not None:
                    m = ctx.number[id(up)]
                    neighbours[n].add(m)
                    neighbours[m].add(n)
                    own = site.item_page.get(item.id or "")
                    if own is not None:   # with duplicate ids the link may point at another page
                        neighbours[m].add(ctx.number[id(own)])
    for n, page in enumerate(site.pages):
        out.append(File(f"site/{page.html_path}",
                        (ctx.registry, common_key, ctx.pages[n], [ctx.pages[m] for m in sorted(neighbours[n])],
                         result.project.today),   # validity and ended citations are judged on the run date
                        lambda job, page=page: render_catalog(env, site, page, common), catalog=n))
    # the coverage page shows, per region and key area, the catalogs and their number of matters,
    # and the requirements no matter of a region cites (compiler/coverage.py): keyed by exactly
    # those, so that an edit of a matter's wording does not render it again
    cited = [(c.file, c.region, c.area, len(c.items), sorted({r for i in c.items for r in i.requirements}))
             for c in result.project.catalogs]
    errors = sorted(d.file for d in result.diagnostics if d.severity is Severity.ERROR)
    out.append(File("site/coverage.html", (ctx.registry, common_key, cited, errors,
                                           [state._replace(digest=None) for state in ctx.pages]),
                    lambda job: render_coverage(env, site, result.project, result.diagnostics, common)))
    out.append(File("site/warnings.html", (ctx.everything, common_key),
                    lambda job: render_warnings(env, site, ctx.warnings, common)))
    out.append(File("site/search.html", (ctx.everything, common_key), lambda job: render_search(env, site, common)))
    out += [File(f"site/{rel}", None, lambda job, data=data: data) for rel, data in static_files()]
    return out


def summary(ctx: Context) -> list[tuple[str, str, int]]:
    """The pages a build writes, for its closing line."""
    return [("个网页", "pages", page_count(ctx.site))]
