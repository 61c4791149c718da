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

from .. import validity, vocabulary
from ..diagnostics import Diagnostic, Severity
from ..model import Item
from ..vocabulary import LEVEL_NAMES, LEVEL_OF_ZH, LEVEL_ORDER
from .common import Page, RegionView, Site, catalog_blocks, level_columns
from . import metadata, opendata, records_view, workbooks
from .outputs import Context, Copy, File
from .theme import Theme, environment

STATIC_FILES = ("gkml.css", "search-words.js", "search.js")
ROOTS = ("site",)
DOWNLOADS = "downloads/"      # under site/: copies of the workbooks and data, so an offline copy of site/ has them
STAFF = "staff/"              # under site/: the staff pages, written by `gkml build --staff` only
# the footer's lines (主办单位 …) from the site: section of gkml.yaml (compiler/config.py), in this order
FOOTER = (("host", "主办单位"), ("organizer", "承办单位"), ("contact", "联系方式"), ("site_code", "网站标识码"),
          ("icp", "ICP备案号"), ("police", "公网安备号"))


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


# A level with more regions than this is listed on the home page by the regions above them (each
# of whose pages lists its own): a province's 1,483 townships made the home page 181 KiB, not 18
GROUPED_ABOVE = 200


def regions_by_level(site: Site) -> list[tuple[str, list[RegionView], list[tuple[RegionView, int]] | None]]:
    """(level, its regions, and for a level of many regions the regions above them with how many each has)."""
    levels: dict[str, list[RegionView]] = {}
    for region in site.regions:
        levels.setdefault(region.level, []).append(region)
    by_code = {r.code: r for r in site.regions}
    out = []
    for level, regions in sorted(levels.items(), key=lambda kv: LEVEL_ORDER.get(kv[0], 9)):
        groups = None
        if len(regions) > GROUPED_ABOVE and all(r.parent in by_code for r in regions):
            counts: dict[str, int] = {}
            for region in regions:
                counts[region.parent] = counts.get(region.parent, 0) + 1   # type: ignore[index]
            groups = [(by_code[code], n) for code, n in counts.items()]
        out.append((level, regions, groups))
    return out


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


def page_count(site: Site, staff: bool = False) -> int:
    """How many HTML pages a build writes: the home page, one per region and per catalog, coverage, search (and the staff pages)."""
    return 1 + len(site.regions) + len(site.pages) + 2 + (3 if staff else 0)


def site_info(options: dict) -> dict:
    """The footer's facts from the site: section of gkml.yaml: (label, value) lines and the logo's path; empty by default."""
    given = options.get("site") or {}
    lines = [(label, str(given[key])) for key, label in FOOTER if given.get(key)]
    logo = options.get("logo")
    return {"lines": lines, "logo": f"static/{logo[0]}" if logo else ""}


def common_context(site: Site, warnings: list[Diagnostic], options: dict | None = None) -> dict:
    """What every page shows besides its own content: the site's footer facts."""
    # the province's totals are on the home page only, the warning count on the staff pages only:
    # on every page, an edit that adds a matter or a warning would render all of them again
    return {"site_info": site_info(options or {})}


def totals(site: Site) -> dict:
    """The home page's totals: regions, catalogs and matters."""
    return {"total_items": site.total_items, "total_catalogs": len(site.pages), "total_regions": len(site.regions)}


def downloads_of_region(site: Site, region: RegionView) -> list[tuple[str, str]]:
    """(site path, label) of a region's downloads: its workbook, each catalog's JSON, its level's open-data CSV."""
    out = [(f"{DOWNLOADS}excel/{workbooks.region_workbook_name(region.code, region.name)}",
            f"{region.name}全部目录(Excel 工作簿,每个领域一个工作表)")]
    out += [(f"{DOWNLOADS}data/{q.data_path}", f"{q.area_name}目录(JSON 数据)") for q in region.pages]
    if region.pages:
        level = opendata.level_of(region.level)
        out.append((f"{DOWNLOADS}data/{opendata.resource_path(level)}",
                    f"{LEVEL_NAMES.get(level, '其他')}全部公开事项(开放数据 CSV)"))
    return out


def downloads_of_page(site: Site, page: Page) -> list[tuple[str, str]]:
    """(site path, label) of a catalog page's downloads: its JSON, its region's and its area's workbooks, the level's CSV."""
    level = opendata.level_of(page.region_level)
    return [(f"{DOWNLOADS}data/{page.data_path}", "本目录(JSON 数据)"),
            (f"{DOWNLOADS}excel/{workbooks.region_workbook_name(page.code, page.region_name)}",
             f"{page.region_name}全部目录(Excel 工作簿,本领域在“{page.area_name}”工作表)"),
            (f"{DOWNLOADS}excel/{workbooks.area_workbook_name(page.area_slug, page.area_name)}",
             f"各地区{page.area_name}目录(Excel 工作簿)"),
            (f"{DOWNLOADS}data/{opendata.resource_path(level)}", f"{LEVEL_NAMES.get(level, '其他')}全部公开事项(开放数据 CSV)")]


def render_index(env: jinja2.Environment, site: Site, common: dict) -> str:
    """index.html."""
    return env.get_template("index.html").render(
        root="", title="政务公开事项目录", levels=regions_by_level(site), site=site, **totals(site), **common)


def render_region(env: jinja2.Environment, site: Site, region: RegionView, common: dict) -> str:
    """regions/<code>.html."""
    children = [r for r in site.regions if r.parent == region.code]
    return env.get_template("region.html").render(
        root="../", title=f"{region.name}政务公开事项目录", region=region, chain=region_chain(site, region),
        children=children, departments=_departments(region), downloads=downloads_of_region(site, region), **common)


def render_catalog(env: jinja2.Environment, site: Site, page: Page, common: dict, index_number: str = "",
                   today: str = "") -> str:
    """catalogs/<code>/<slug>.html (reads the catalog's raw data: rendered in its catalog's task)."""
    root = "../../"
    region = site.region(page.code)
    return env.get_template("catalog.html").render(
        root=root, title=page.title, page=page, region=region, chain=region_chain(site, region) if region else [],
        rows=catalog_rows(site, page, root), levels=level_columns([page.catalog]),
        audiences=vocabulary.get("audience").canonical, methods=vocabulary.get("method").canonical,
        level_key=LEVEL_OF_ZH, info=metadata.block(page.catalog.data, page.catalog.department, index_number, today),
        downloads=downloads_of_page(site, page), **common)


def render_coverage(env: jinja2.Environment, site: Site, project, diagnostics, common: dict, staff: bool = False) -> str:
    """coverage.html (staff/coverage.html with the requirements' ids)."""
    areas, rows, gaps = coverage_matrix(site, project, diagnostics)
    names = {r.code: r.name for r in rows}
    from ..coverage import townships_under
    rows, townships = townships_under(rows, project.registry)   # folded under their county (a partial)
    gap_groups: dict[str, list] = {}
    for gap in gaps:
        gap_groups.setdefault(names.get(gap.region, gap.region), []).append(gap)
    return env.get_template("coverage.html").render(
        root="../" if staff else "", title="覆盖情况(工作人员)" if staff else "覆盖情况", areas=areas, rows=rows,
        townships=townships, gaps=list(gap_groups.items()), staff=staff, **common)


def render_warnings(env: jinja2.Environment, site: Site, warnings: list[Diagnostic], common: dict) -> str:
    """staff/warnings.html."""
    return env.get_template("warnings.html").render(
        root="../", title="当前警告", groups=_warning_groups(site, warnings, "../"), warning_count=len(warnings),
        **common)


def render_staff(env: jinja2.Environment, site: Site, warnings: list[Diagnostic], common: dict) -> str:
    """staff/index.html: the staff section's start page."""
    return env.get_template("staff.html").render(root="../", title="工作人员页面", warning_count=len(warnings),
                                                 **common)


def render_search(env: jinja2.Environment, site: Site, common: dict) -> str:
    """search.html."""
    return env.get_template("search.html").render(root="", title="一站式检索", total_items=site.total_items, **common)


def _warning_groups(site: Site, warnings: list[Diagnostic], root: str = ""):
    groups: dict[str, list[tuple[Diagnostic, str | None]]] = {}
    for d in warnings:
        href = _href(site, None, root, d.item) if d.item else None
        groups.setdefault(d.file, []).append((d, href))
    return sorted(groups.items())


def static_files(theme: Theme) -> list[tuple[str, bytes]]:
    """(relative path, bytes) of the portal's static files (the project's templates/static/ replaces or adds)."""
    return theme.static_files(STATIC_FILES)


def _downloads(site: Site) -> list[Copy]:
    """The downloads every region and catalog page links: copies of excel/ and data/ files under site/downloads/."""
    wanted: dict[str, None] = {}
    for region in site.regions:
        wanted.update((rel, None) for rel, _ in downloads_of_region(site, region))
    for page in site.pages:
        wanted.update((rel, None) for rel, _ in downloads_of_page(site, page))
    return [Copy(f"site/{rel}", rel.removeprefix(DOWNLOADS)) for rel in wanted]


def outputs(ctx: Context) -> list[File | Copy]:
    """Every page of the portal with what it shows (compiler/builders/outputs.py)."""
    site, result = ctx.site, ctx.result
    env = environment(ctx.theme)
    env.globals.update(records_view.template_globals(result.project, site))   # the catalog page's partials
    env.globals["basis_cell"] = records_view.basis_cell(env, not ctx.theme or not ctx.theme.overrides("partials/basis.html"))
    for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
        env.get_template(name)   # syntax errors surface here, before any worker starts
    common = common_context(site, ctx.warnings, ctx.options)
    common_key = sorted(common.items())
    out: list[File | Copy] = [File("site/index.html", (ctx.registry, common_key, [
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
    # the metadata block: 索引号 from the model (known now), 有效性 on the run date (compiler/validity.py)
    numbers = metadata.index_numbers(site)
    today = (result.project.today if result.project else "") or validity.run_date()
    for n, page in enumerate(site.pages):
        chain = [(c.code, c.name) for c in region_chain(site, site.region(page.code))] if site.region(page.code) else []
        out.append(File(f"site/{page.html_path}",
                        (ctx.registry, common_key, ctx.pages[n], [ctx.pages[m] for m in sorted(neighbours[n])],
                         chain, numbers[n], today),
                        lambda job, page=page, n=n: render_catalog(env, site, page, common, numbers[n], today),
                        catalog=n))
    # the coverage page shows, per region and key area, the catalogs and their number of matters,
    # and the requirements no matter of a region cites (compiler/coverage.py): keyed by exactly
    # those, so that an edit of a matter's wording does not render it again
    cited = [(c.file, c.region, c.area, len(c.items), sorted({r for i in c.items for r in i.requirements}))
             for c in result.project.catalogs]
    errors = sorted(d.file for d in result.diagnostics if d.severity is Severity.ERROR)
    coverage_key = (ctx.registry, common_key, cited, errors, [state._replace(digest=None) for state in ctx.pages])
    out.append(File("site/coverage.html", coverage_key,
                    lambda job: render_coverage(env, site, result.project, result.diagnostics, common)))
    if ctx.options.get("staff"):
        out.append(File(f"site/{STAFF}index.html", (ctx.everything, common_key),
                        lambda job: render_staff(env, site, ctx.warnings, common)))
        out.append(File(f"site/{STAFF}warnings.html", (ctx.everything, common_key),
                        lambda job: render_warnings(env, site, ctx.warnings, common)))
        out.append(File(f"site/{STAFF}coverage.html", coverage_key,
                        lambda job: render_coverage(env, site, result.project, result.diagnostics, common, staff=True)))
    out.append(File("site/search.html", (ctx.registry, common_key, site.total_items),
                    lambda job: render_search(env, site, common)))
    out += [File(f"site/{rel}", None, lambda job, data=data: data) for rel, data in static_files(ctx.theme)]
    logo = ctx.options.get("logo")
    if logo:
        out.append(File(f"site/static/{logo[0]}", ("logo", logo[1]), lambda job, data=logo[1]: data))
    out += _downloads(site)
    return out


def summary(ctx: Context) -> list[tuple[str, str, int]]:
    """The pages a build writes, for its closing line."""
    return [("个网页", "pages", page_count(ctx.site, bool(ctx.options.get("staff"))))]
