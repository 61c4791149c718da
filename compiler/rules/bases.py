"""Legal bases resolved against the document library: validity, form, type tags (GK711-GK716)."""
from __future__ import annotations

from .. import index as idx
from ..citations import TAG_TYPES
from ..diagnostics import make, related
from ..model import Catalog, Item, Project
from . import project_rule

_ENDED = {"已废止": "废止", "失效": "失效"}
_ENDED_EN = {"已废止": "repealed", "失效": "expired"}
_NO_DATE = "(日期未记录)"


def cited_bases(project: Project, keep):
    """(catalog, item, index, resolution) of the notable citations keep(resolution) accepts, in file order.

    The library sweeps the project once for all these rules (a province's items are looped over
    once, one dict lookup per item; the cold check must stay within 5%) and keeps only the
    citations some rule here reports on."""
    for catalog, item, n, resolution in project.registry.library().sweep(project, notable):
        if keep(resolution):
            yield catalog, item, n, resolution


def notable(r) -> bool:
    """Whether any rule of this family may report on a resolution (date checks come later)."""
    return (r.unknown or r.match in ("number-differs", "title-differs") or _may_have_ended(r)
            or _may_not_be_in_force(r) or _tag_contradicts(r) or (r.document is not None and r.document.status == "已修改"))


def _may_have_ended(r) -> bool:
    return r.document is not None and bool(r.document.ended or r.document.status in _ENDED)


def _may_not_be_in_force(r) -> bool:
    return r.document is not None and bool(r.document.effective or r.document.status == "尚未生效")


def _tag_contradicts(r) -> bool:
    doc, tag = r.document, r.citation.tag
    return doc is not None and bool(tag and doc.type) and doc.type not in TAG_TYPES.get(tag, (doc.type,))


def current(project: Project, doc):
    """The text in force that doc was amended or replaced by (the end of its superseded_by chain)."""
    return latest(project.registry.documents, doc)


def latest(documents: dict, doc):
    """The end of doc's superseded_by chain among documents (doc itself when it has no successor)."""
    seen = {doc.id}
    while doc.superseded_by and doc.superseded_by in documents and doc.superseded_by not in seen:
        doc = documents[doc.superseded_by]
        seen.add(doc.id)
    return doc


def ended_on(doc, on: str) -> str | None:
    """The date doc stopped being in force, if it had by `on` (an ISO date); None while in force."""
    if doc.ended and doc.ended <= on:
        return doc.ended
    if doc.status in _ENDED and not doc.ended:
        return _NO_DATE
    return None


def _at(catalog: Catalog, item: Item, n: int, code: str, doc=None, **args):
    """A finding at the n-th basis of item, pointing at the library entry."""
    rel = [related(doc.where.file, doc.where.mark, doc.where.path, None, "文件库", "document library")] if doc else []
    return make(code, catalog.file, item.mark("basis", n), item.key_path("basis", n), item.id, related=rel, **args)


def _dates(project: Project, catalog: Catalog) -> tuple[str, str]:
    """(the catalog's effective date or today, the later of the two): the dates validity is judged on."""
    today = project.today or "9999-12-31"
    effective = catalog.effective or today
    return effective, max(effective, today)


@project_rule("GK711", reach="catalog")
def basis_repealed(project: Project):
    """A basis citing a document repealed or expired on the catalog's effective date or today."""
    for catalog, item, n, r in cited_bases(project, _may_have_ended):
        doc = r.document
        date = ended_on(doc, _dates(project, catalog)[1])
        if date is None:
            continue
        yield _at(catalog, item, n, "GK711", doc, **ended_args(doc, date, current(project, doc)),
                  citation=r.citation.text)


def ended_args(doc, date: str, successor) -> dict[str, str]:
    """Message arguments naming how and when doc ended and its successor (GK711, the import review)."""
    has = successor is not doc
    status = doc.status if doc.status in _ENDED else "失效"
    return dict(cited=doc.cited(),
                when="已" if date == _NO_DATE else f"已于 {date} ", when_en="" if date == _NO_DATE else f" on {date}",
                status=_ENDED[status], status_en=_ENDED_EN[status],
                successor=f",继任文件是{successor.cited()}" if has else "",
                successor_en=f"; its successor is {successor.cited()}" if has else "",
                fix=f"改为引用{successor.cited()}。" if has else "删除这条依据,或改为引用现行有效的文件。",
                fix_en=f"cite {successor.cited()} instead." if has else "remove this basis or cite a document in force.",
                replacement=successor.cited() if has else "")


@project_rule("GK712", reach="catalog")
def basis_amended(project: Project):
    """A basis citing a text that was amended: the current version."""
    for catalog, item, n, r in cited_bases(project, lambda r: r.document is not None and r.document.status == "已修改"):
        doc = r.document
        if ended_on(doc, _dates(project, catalog)[1]) is None:
            now = current(project, doc)
            if now is doc:   # known to be amended, its current text not yet recorded: never name doc itself
                yield _at(catalog, item, n, "GK712", doc, cited=doc.cited(),
                          current="文件库尚未收录的新文本(请在 documents.yaml 中登记现行文本,并给本文件填写 superseded_by)",
                          current_en="a text not yet in the library (record the current text in documents.yaml and "
                                     "set this document's superseded_by)")
            else:
                yield _at(catalog, item, n, "GK712", doc, cited=doc.cited(), current=now.cited(), current_en=now.cited())


@project_rule("GK713", reach="catalog")
def basis_not_in_force(project: Project):
    """A basis citing a document not yet in force on the catalog's effective date."""
    for catalog, item, n, r in cited_bases(project, _may_not_be_in_force):
        doc = r.document
        on = _dates(project, catalog)[0]
        if (doc.effective and doc.effective > on) or (doc.status == "尚未生效" and not doc.effective):
            since = f"(施行日期 {doc.effective})" if doc.effective else ""
            yield _at(catalog, item, n, "GK713", doc, cited=doc.cited(), date=on, since=since,
                      since_en=f" (in force from {doc.effective})" if doc.effective else "")


@project_rule("GK714", reach="catalog")
def basis_form(project: Project):
    """A basis whose title matches the library's and 文号 does not, or the other way round."""
    for catalog, item, n, r in cited_bases(project, lambda r: r.match in ("number-differs", "title-differs")):
        number = r.match == "number-differs"
        yield _at(catalog, item, n, "GK714", r.document, value=r.citation.text, cited=r.document.cited(),
                  what="文号" if number else "名称", what_en="document number" if number else "title")


@project_rule("GK715", reach="catalog")
def basis_unknown(project: Project):
    """A basis that resolves to no document of the library (with the closest title)."""
    library = project.registry.library()
    if not library.documents:
        return  # a project without a library is not checked against one
    for catalog, item, n, r in cited_bases(project, lambda r: r.unknown):
        yield _at(catalog, item, n, "GK715", value=r.citation.text,
                  **idx.did_you_mean(r.citation.title or r.citation.id, library.titles))


@project_rule("GK716", reach="catalog")
def basis_type_tag(project: Project):
    """A basis whose type tag (【行政法规】) contradicts the library's type."""
    for catalog, item, n, r in cited_bases(project, _tag_contradicts):
        yield _at(catalog, item, n, "GK716", r.document, value=r.citation.text, tag=r.citation.tag, type=r.document.type)


RULES = [basis_repealed, basis_amended, basis_not_in_force, basis_form, basis_unknown, basis_type_tag]
