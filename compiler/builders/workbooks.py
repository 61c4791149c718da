"""What the build writes of the workbooks (compiler/builders/outputs.py): one per region, one per key area.

Each catalog's sheet rows are kept in .gkml-sheets/ (keyed like its page), so that after an
edit a workbook re-reads only the catalogs that changed (an area's workbook holds that area of
every region); the workbooks are then assembled from those rows (compiler/builders/excel.py).
"""
from __future__ import annotations

import gc
import marshal
import re
import zlib

from .. import validity
from . import excel, metadata
from .common import Page
from .outputs import Context, File, Job, raw_data

SHEETS = ".gkml-sheets"            # every catalog's sheet rows, kept for the next build's workbooks
# a written workbook (xlsxwriter's objects and its zip in memory) is cyclic garbage: only the collector
# frees it, and with the model frozen a full collection comes rarely, so every process kept the
# workbooks it wrote (+15 MiB per area workbook at county scale); collected after this many matters
COLLECT_AFTER = 20000
_since_collected = [0]   # matters written by this process since its last collection
ROOTS = ("excel", SHEETS)


def _file_part(text: str) -> str:
    # names become file names on Windows too: no separators or reserved characters
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .") or "_"


def region_workbook_name(code: str, name: str) -> str:
    """excel/ file name of a region's workbook."""
    return f"region-{_file_part(code)}-{_file_part(name)}.xlsx"


def area_workbook_name(slug: str, name: str) -> str:
    """excel/ file name of an area's workbook across all regions."""
    return f"area-{_file_part(slug)}-{_file_part(name)}.xlsx"


def sheet_rel(page: Page) -> str:
    """Where a catalog's sheet rows are kept."""
    return f"{SHEETS}/{page.data_path.removesuffix('.json')}.sheet"


def outputs(ctx: Context) -> list[File]:
    """Each catalog's kept rows (in its catalog's task), then the workbooks assembled from them, biggest first."""
    site = ctx.site
    xf = excel.canonical_xf()
    out = []
    # the title area's metadata: 索引号 from the model, 有效性 on the run date (builders/metadata.py)
    numbers = metadata.index_numbers(site)
    today = (ctx.result.project.today if ctx.result.project else "") or validity.run_date()
    info = {id(q.catalog): numbers[n] for n, q in enumerate(site.pages)}

    def line(catalog) -> str:
        return metadata.workbook_line(catalog.data, info[id(catalog)], today)

    for n, page in enumerate(site.pages):
        def rows(job: Job, catalog=page.catalog) -> bytes:
            text = excel.sheet_body(catalog, excel.catalog_sheet_title(catalog, site.registry),
                                    excel.catalog_columns(catalog), xf, line(catalog))
            return zlib.compress(marshal.dumps(tuple(text)), 1)
        out.append(File(sheet_rel(page), (ctx.registry, ctx.pages[n], numbers[n], today), rows, catalog=n))
    books = [(f"excel/{region_workbook_name(r.code, r.name)}", f"{r.name}政务公开事项目录汇总",
              [(q.area_name, q) for q in r.pages]) for r in site.regions]
    for name, slug in site.areas:
        pages = [q for q in site.pages if q.area_name == name]
        if pages:
            books.append((f"excel/{area_workbook_name(slug, name)}", f"{name}领域政务公开事项目录汇总",
                          [(q.region_name, q) for q in pages]))
    for rel, title, sheets in books:
        def write(job: Job, rel=rel, title=title, sheets=sheets) -> None:
            def body(catalog, sheet_title, columns, book_xf) -> excel.SheetBody:
                path = job.root / sheet_rel(by_catalog[id(catalog)])
                if book_xf == xf and path.exists():
                    return excel.SheetBody(*marshal.loads(zlib.decompress(path.read_bytes())))
                with raw_data(catalog):
                    return excel.sheet_body(catalog, sheet_title, columns, book_xf, line(catalog))
            by_catalog = {id(q.catalog): q for _, q in sheets}
            path = job.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            excel.write_catalogs_workbook(path, [(name, q.catalog) for name, q in sheets], registry=site.registry,
                                          summary=title, bodies=body)
            _collected_after(sum(len(q.catalog.items) for _, q in sheets))
        out.append(File(rel, (ctx.registry, title, today, [(name, ctx.state(q), numbers[ctx.number[id(q)]])
                                                          for name, q in sheets]), write,
                        after=True, weight=sum(len(q.catalog.items) for _, q in sheets)))
    return out


def _collected_after(matters: int) -> None:
    _since_collected[0] += matters
    if _since_collected[0] >= COLLECT_AFTER:
        _since_collected[0] = 0
        gc.collect()


def summary(ctx: Context) -> list[tuple[str, str, int]]:
    """The workbooks a build writes, for its closing line."""
    site = ctx.site
    areas = {q.area_name for q in site.pages}
    return [("个工作簿", "workbooks", len(site.regions) + sum(1 for name, _ in site.areas if name in areas))]
