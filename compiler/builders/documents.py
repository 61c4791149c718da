"""The 文件库's document pages: one page per document (its metadata and who cites it) and, for a
document that many matters cite, pages of its citing matters by region.

A document cited by at most SMALL matters keeps its rows on its own page, as one table: one page
reads better than a list of regions leading to pages of a few rows. A document cited more often
(the 政府信息公开条例 is cited by every catalog of the province) lists on its page the citing
regions by level (province → city → county → township, in site order) with their counts and
links, and its matters go on pages documents/<id>/<code>.html: a region's page lists its own
matters and those of the regions under it (a heading each, id="r<code>"), unless that makes more
than LIMIT rows; then it keeps its own and each region below gets a page by the same rule. So a
page stays under about 100 KB at any scale, and a document has a page per city at most, a page
per county only where a city's are too many (the pages per township the many small files a full
province would need: a hundred documents by 1,500 townships). A region page drops the region and
level columns: its headings say them.

Every page is keyed by the catalogs its rows come from (each one's PageState: its file's digest,
paths and names) and the names of the regions it lists, not by the rows themselves: making the
rows of every document for the keys took 9 s of a 41 s edit build at full scale (1.6 million
citations). So an edit of one catalog renders again, of each document it cites, the page holding
that catalog's region, and nothing else; the region pages of one document are one task (Batch),
rendering only its changed pages.
"""
from __future__ import annotations

from ..index import level_name
from ..rules.bases import current
from ..vocabulary import LEVEL_ORDER
from .outputs import Batch, File, key_of
from .records_view import document_path

SMALL = 300    # citing matters a document's own page lists itself (about 40 KB of rows)
LIMIT = 1000   # rows a region page holds before the regions under it get pages of their own (about 100 KB)


def region_page(doc_id: str, code: str) -> str:
    """Where the page of a document's matters cited in one region (and those under it) lives, from the site root."""
    return f"documents/{doc_id}/{code}.html"


class _Tree:
    """The built regions as a tree: roots and children in site order, each region's parent, name, level and rank."""

    def __init__(self, site):
        known = {r.code for r in site.regions}
        self.children: dict[str, list[str]] = {}
        self.roots: list[str] = []
        self.info: dict[str, tuple[int, str, str]] = {}
        self.parent: dict[str, str] = {}
        for rank, r in enumerate(site.regions):
            self.info[r.code] = (rank, r.name, r.level)
            if r.parent in known and r.parent != r.code:
                self.children.setdefault(r.parent, []).append(r.code)
                self.parent[r.code] = r.parent
            else:
                self.roots.append(r.code)

    def walk(self, code: str):
        """code and every region under it, depth first (a county, then its townships)."""
        yield code
        for child in self.children.get(code, ()):
            yield from self.walk(child)

    def layout(self, counts: dict[str, int]) -> dict[str, list[str]]:
        """{page's region: the citing regions it lists, depth first}, from each citing region's number
        of rows: a region's subtree on one page while it holds at most LIMIT rows, else the region's
        own rows and a layout of each child."""
        total: dict[str, int] = {}

        def count(code: str) -> int:
            total[code] = counts.get(code, 0) + sum(count(c) for c in self.children.get(code, ()))
            return total[code]

        pages: dict[str, list[str]] = {}

        def place(code: str) -> None:
            if not total[code]:
                return
            if total[code] <= LIMIT:
                pages[code] = [c for c in self.walk(code) if c in counts]
                return
            if code in counts:
                pages[code] = [code]
            for child in self.children.get(code, ()):
                place(child)

        for root in self.roots:
            count(root)
            place(root)
        return pages

    def sections(self, codes: list[str], rows: dict[str, list]) -> list[tuple[str, str, str, list[tuple]]]:
        """[(code, name, level, rows)] of the regions codes."""
        return [(code, *self.info[code][1:], rows[code]) for code in codes]


def _citing(cites) -> tuple[dict[str, int], dict[str, list]]:
    """({region code: its matters citing a document}, {region code: the pages they are on}), in site
    order, from the document's [(page, [items])] (records.citations)."""
    counts: dict[str, int] = {}
    pages: dict[str, list] = {}
    for page, items in cites:
        code = page.code
        counts[code] = counts.get(code, 0) + len(items)
        pages.setdefault(code, []).append(page)
    return counts, pages


def _sources(ctx, tree: _Tree, pages: dict[str, list], codes) -> list:
    """What the rows of these regions are made of: each region's name and level, the state of each citing catalog."""
    return [(code, tree.info[code][1:], [ctx.state(page) for page in pages[code]]) for code in codes]


def _rows(cites) -> dict[str, list[tuple]]:
    """{region code: [(area, href, id, title)]} of a document's citing matters, in site order."""
    out: dict[str, list[tuple]] = {}
    for page, items in cites:
        out.setdefault(page.code, []).extend((page.area_name, f"{page.html_path}#{item.id}" if item.id
                                              else page.html_path, item.id or "", item.title) for item in items)
    return out


def _flat_rows(tree: _Tree, rows: dict) -> list[dict]:
    """The rows of a small document's page: every citing matter with its region and level."""
    return [{"region": name, "level": level_name(level), "area": area, "href": href, "id": item_id, "title": title}
            for _, name, level, cited in tree.sections(list(rows), rows) for area, href, item_id, title in cited]


def _region_list(tree: _Tree, doc_id: str, counts: dict[str, int], pages: dict) -> list[tuple[str, list[dict]]]:
    """[(level name, [{name, parent, count, href}])] of the citing regions, by level then site order."""
    holder = {code: page for page, codes in pages.items() for code in codes}
    entries = []
    for code, count in counts.items():
        rank, name, level = tree.info[code]
        parent = tree.parent.get(code) if level == "township" else None
        href = region_page(doc_id, holder[code]) + (f"#r{code}" if code != holder[code] else "")
        entries.append((LEVEL_ORDER.get(level, 9), rank, level,
                        {"name": name, "parent": tree.info[parent][1] if parent else "", "count": count,
                         "href": href}))
    entries.sort(key=lambda e: e[:2])
    grouped: list[tuple[str, list[dict]]] = []
    for _, _, level, entry in entries:
        if not grouped or grouped[-1][0] != level_name(level):
            grouped.append((level_name(level), []))
        grouped[-1][1].append(entry)
    return grouped


def pages(ctx, env, common: dict, common_key, by_doc: dict) -> list:
    """The document pages: a File per document, and a Batch per often cited document of its region pages."""
    site, project = ctx.site, ctx.result.project
    tree = _Tree(site)
    out: list = []
    for doc in project.registry.documents.values():
        cites = by_doc.get(doc.id, ())
        successor = current(project, doc)
        successor = successor if successor is not doc else None
        counts, pages = _citing(cites)
        total = sum(counts.values())
        # the pages make their rows when they render: kept for the whole build, the rows were
        # 21 MiB of the tenth-scale build's 187 MiB peak (memray)
        if total <= SMALL:
            out.append(File(f"site/{document_path(doc.id)}",
                            (ctx.registry, common_key, "rows", key_of(_sources(ctx, tree, pages, counts))),
                            lambda job, doc=doc, cites=cites, total=total, successor=successor: env.get_template("document.html").render(
                                root="../", title=doc.title, doc=doc, total=total, regions=None,
                                cited=_flat_rows(tree, _rows(cites)), document_path=document_path,
                                successor=successor, **common)))
            continue
        layout = tree.layout(counts)
        listing = _region_list(tree, doc.id, counts, layout)
        out.append(File(f"site/{document_path(doc.id)}", (ctx.registry, common_key, "regions", key_of(listing)),
                        lambda job, doc=doc, total=total, listing=listing, successor=successor:
                        env.get_template("document.html").render(
                            root="../", title=doc.title, doc=doc, total=total, regions=listing, cited=(),
                            townships=any(e["parent"] for _, entries in listing for e in entries),
                            document_path=document_path, successor=successor, **common)))
        files = [(f"site/{region_page(doc.id, code)}", (ctx.registry, common_key, key_of(code, _sources(ctx, tree, pages, codes))))
                 for code, codes in layout.items()]
        out.append(Batch(f"documents/{doc.id}/", files,
                         lambda job, wanted, doc=doc, cites=cites: _render_regions(env, common, tree, doc, cites, wanted)))
    return out


def _render_regions(env, common: dict, tree: _Tree, doc, cites, wanted: set[str]):
    """(rel, html) of the wanted region pages of one document."""
    template = env.get_template("document_region.html")
    layout = {code: codes for code, codes in tree.layout(_citing(cites)[0]).items()
              if f"site/{region_page(doc.id, code)}" in wanted}
    listed = {c for codes in layout.values() for c in codes}
    rows = _rows([group for group in cites if group[0].code in listed])   # an edit renders a region's page or two
    for code, codes in layout.items():
        rel = f"site/{region_page(doc.id, code)}"
        name = tree.info[code][1]
        sections = [{"code": c, "name": n, "rows": r} for c, n, _, r in tree.sections(codes, rows)]
        yield rel, template.render(root="../../", title=f"{name} · {doc.title}", doc=doc, unit_name=name,
                                   below=codes != [code], sections=sections, total=sum(len(s["rows"]) for s in sections),
                                   document_path=document_path, **common)
