"""The portal over time and over the legal bases: the 目录调整 page (every declared change of the
province, filtered in the browser), the 文件库 page and one page per document (every matter citing
it, across the levels), data/documents.json (the library and the resolved citation ids), and the
template functions the catalog page's partials call: its validity, its 更新记录, its bases linked to
their documents. Everything is read from the files, never from git, so a tarball builds too.

The validity marks and the struck-through ended citations are judged on the run date
(compiler/validity.py): outputs showing them are keyed by that date.
"""
from __future__ import annotations

from markupsafe import Markup

from ..index import level_name
from .common import Site
from .documents import pages as document_pages
from .html import common_context
from .outputs import Context, File, Job, Spliced, key_of
from .records_view import TYPES, change_record, document_path
from .theme import environment

ROOTS = ()   # pages under site/ (html's root) and data under data/ (jsondata's)
CHANGES_PAGE, DOCUMENTS_PAGE, DOCUMENTS_DATA = "site/changes.html", "site/documents.html", "data/documents.json"
_SPLIT = "<!--gkml:rows-->"


# ---------------------------------------------------------------------------------------------
# who cites what


def citations(project, site: Site) -> tuple[dict, dict]:
    """({document id: [(page, [its items citing it])]}, {item id: [document ids]}) over every published
    catalog, in page order."""
    by_doc: dict[str, list] = {}
    by_item: dict[str, list] = {}
    # matters cite the same bases over and over: 1.6 million resolutions at full scale took 9 s of
    # an edit build, one per distinct list of bases 0.2 s
    resolved: dict[tuple, list[str]] = {}
    for page in site.pages:
        mine: dict[str, list] = {}
        for item in page.catalog.items:
            bases = item.basis   # a tuple (model.Item)
            ids = resolved.get(bases)
            if ids is None:
                ids = resolved[bases] = []
                for text in bases:
                    for r in project.bases_of(text):
                        if r.document is not None and r.document.id not in ids:
                            ids.append(r.document.id)
            if not ids:
                continue
            for doc_id in ids:
                found = mine.get(doc_id)
                if found is None:
                    mine[doc_id] = [item]
                else:
                    found.append(item)
            if item.id:
                by_item.setdefault(item.id, ids)
        for doc_id, items in mine.items():
            by_doc.setdefault(doc_id, []).append((page, items))
    return by_doc, by_item


def cited_ids(groups) -> list[str]:
    """The ids of a document's citing items, in page order."""
    return [item.id for _, items in groups for item in items if item.id]


def documents_data(project, site: Site, by_doc: dict, by_item: dict) -> bytes:
    """data/documents.json: the library with the items citing each document, and each item's document ids."""
    from .jsondata import data_header, dumps_rows
    documents = [{"id": d.id, "title": d.title, "number": d.number, "issuer": d.issuer, "type": d.type,
                  "status": d.status, "published": d.published, "effective": d.effective, "ended": d.ended,
                  "superseded_by": d.superseded_by, "link": d.link, "articles": list(d.articles), "note": d.note,
                  "page": document_path(d.id), "cited_by": cited_ids(by_doc.get(d.id, ()))}
                 for d in project.registry.documents.values()]
    return dumps_rows({**data_header("documents"), "documents": documents, "citations": by_item}, ("documents", "citations"))


# ---------------------------------------------------------------------------------------------
# What the build writes (compiler/builders/outputs.py)


def _facets(site: Site) -> dict:
    regions = [(r.code, r.name) for r in site.regions]
    levels = sorted({r.level for r in site.regions}, key=lambda lv: [r.level for r in site.regions].index(lv))
    return {"regions": regions, "levels": [(lv, level_name(lv)) for lv in levels],
            "areas": [name for name, _ in site.areas], "types": TYPES}


def outputs(ctx: Context) -> list:
    """The 目录调整 page (spliced: one fragment of rows per catalog), the 文件库 and document pages, data/documents.json."""
    site, project = ctx.site, ctx.result.project
    env = environment(ctx.theme)
    common = common_context(site, ctx.warnings, ctx.options)
    common_key = sorted(common.items())
    facets = _facets(site)
    whole = env.get_template("changes.html").render(root="", title="目录调整", rows=Markup(_SPLIT),
                                                     **facets, **common)
    head, tail = whole.split(_SPLIT)
    rows = env.get_template("partials/change_rows.html")

    def fragment(job: Job) -> bytes:
        page = site.pages[job.n]
        return rows.render(page=page, record=change_record(page), root="").encode("utf-8")

    out: list = [Spliced(CHANGES_PAGE, (ctx.registry, common_key, facets), lambda: head.encode("utf-8"),
                         [(n, (ctx.registry, state)) for n, state in enumerate(ctx.pages)], fragment,
                         tail=tail.encode("utf-8"))]
    by_doc, by_item = citations(project, site)
    counts = {doc_id: sum(len(items) for _, items in groups) for doc_id, groups in by_doc.items()}
    documents = list(project.registry.documents.values())
    issuers = sorted({d.issuer for d in documents if d.issuer})
    statuses = sorted({d.status for d in documents})
    types = sorted({d.type for d in documents})
    out.append(File(DOCUMENTS_PAGE, (ctx.registry, common_key, sorted(counts.items())),
                    lambda job: env.get_template("documents.html").render(
                        root="", title="文件库", documents=documents, counts=counts, issuers=issuers,
                        statuses=statuses, types=types, document_path=document_path, **common)))
    out += document_pages(ctx, env, common, common_key, by_doc)
    out.append(File(DOCUMENTS_DATA, (ctx.registry, key_of(sorted((k, [i.id for _, items in v for i in items]) for k, v in by_doc.items()))),
                    lambda job: documents_data(project, site, by_doc, by_item)))
    return out


def summary(ctx: Context) -> list[tuple[str, str, int]]:
    """The document pages a build writes, for its closing line."""
    return [("个文件页", "document pages", len(ctx.site.registry.documents))]

