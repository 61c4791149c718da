"""`gkml basis`: the document library as a table, what a repeal touches, the unresolved citations."""
from __future__ import annotations

import io
import json
from dataclasses import asdict, dataclass

from .citations import title_key
from .index import level_name
from .model import Project

FIELDS = ("id", "title", "number", "type", "status", "issuer", "published", "effective", "ended",
          "superseded_by", "cited")
HEADINGS = {"zh": ("编号", "名称", "文号", "类型", "状态", "制定机关", "公布", "施行", "废止/失效", "继任", "引用事项数"),
            "en": FIELDS}


@dataclass(frozen=True, slots=True)
class Citing:
    """One item citing a document (or an unresolved title), where it does so."""

    region: str
    region_name: str
    level: str
    file: str
    line: int
    item: str
    matter: str
    text: str


def citing(project: Project):
    """(document id or None, normalised title, Citing) of every citation in the project, in file order."""
    regions = project.registry.regions
    for catalog in project.catalogs:
        region = catalog.region or ""
        name = regions[region].name if region in regions else ""
        for item in catalog.items:
            for n, text in enumerate(item.basis):
                for r in project.bases_of(text):
                    where = Citing(region, name, catalog.level or "", catalog.file, item.mark("basis", n)[0] + 1,
                                   item.id or "", item.title, r.citation.text)
                    yield (r.document.id if r.document else None), title_key(r.citation.title or r.citation.text), r, where


def table(project: Project) -> list[dict]:
    """One row per library document, with how many matters cite it."""
    items: dict[str, set] = {}
    for doc_id, _, _, where in citing(project):
        if doc_id:
            items.setdefault(doc_id, set()).add((where.file, where.item, where.matter))
    rows = []
    for doc in project.registry.documents.values():
        rows.append({"id": doc.id, "title": doc.title, "number": doc.number, "type": doc.type, "status": doc.status,
                     "issuer": doc.issuer, "published": doc.published or "", "effective": doc.effective or "",
                     "ended": doc.ended or "", "superseded_by": doc.superseded_by or "", "cited": len(items.get(doc.id, ()))})
    return rows


def impact(project: Project, wanted: str) -> tuple[object | None, list[Citing]]:
    """The document named by wanted (an id or a citation) and every citation of it."""
    documents = project.registry.documents
    doc = documents.get(wanted)
    if doc is None:
        found = [r.document for r in project.bases_of(wanted) if r.document is not None]
        doc = found[0] if found else None
    if doc is None:
        return None, []
    return doc, [where for doc_id, _, _, where in citing(project) if doc_id == doc.id]


def unknown(project: Project) -> list[tuple[str, list[Citing]]]:
    """Citations that resolve to nothing, grouped by normalised title, most cited first."""
    groups: dict[str, list[Citing]] = {}
    for doc_id, key, r, where in citing(project):
        if r.unknown:
            groups.setdefault(key, []).append(where)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def _line(where: Citing) -> str:
    return f"{where.file}:{where.line}"


def render(kind: str, data, fmt: str, lang: str) -> str | bytes:
    """The output of one view (table, impact, unknown) in one format."""
    en = lang == "en"
    if kind == "table":
        heads = HEADINGS["en" if en else "zh"]
        rows = [[str(row[f]) for f in FIELDS] for row in data]
    elif kind == "impact":
        heads = ("region", "name", "level", "file:line", "item", "matter", "citation") if en else \
            ("地区代码", "地区", "层级", "位置", "事项编号", "事项", "引用")
        rows = [[w.region, w.region_name, w.level if en else level_name(w.level), _line(w), w.item, w.matter, w.text]
                for w in data]
    else:
        heads = ("title", "count", "where") if en else ("名称", "引用次数", "位置")
        rows = [[key, str(len(ws)), "、".join(_line(w) for w in ws[:5]) + (" …" if len(ws) > 5 else "")] for key, ws in data]
    if fmt == "json":
        if kind == "table":
            body = data
        elif kind == "impact":
            body = [asdict(w) for w in data]
        else:
            body = [{"title": key, "count": len(ws), "citations": [asdict(w) for w in ws]} for key, ws in data]
        return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
        lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    if fmt == "xlsx":
        return _xlsx(heads, rows)
    return "\n".join("\t".join(row) for row in [list(heads), *rows]) + "\n"


def _xlsx(heads, rows) -> bytes:
    """A one-sheet workbook (fixed creation date, so the same table gives the same bytes)."""
    import datetime

    import xlsxwriter
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.set_properties({"created": datetime.datetime(2000, 1, 1)})
    sheet = book.add_worksheet("文件库")
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, heads, bold)
    for r, row in enumerate(rows, 1):
        sheet.write_row(r, 0, row)
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
