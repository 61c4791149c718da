"""Identity rules across the whole catalog set."""
from __future__ import annotations

from ..diagnostics import make, related
from ..model import Project
from ..validity import in_force
from . import project_rule


@project_rule("GK303", reach="id")
def unique_ids(project: Project):
    """Item ids are unique across the catalogs in force (a superseded catalog may keep its successor's ids)."""
    first: dict[str, object] = {}
    items = (item for catalog in project.catalogs if in_force(catalog, project.today) for item in catalog.items)
    for item in items:
        if item.id is None:
            continue
        seen = first.get(item.id)
        if seen is None:
            first[item.id] = item
            continue
        other = seen
        yield make("GK303", item.file, item.mark("id"), item.key_path("id"), item.id, id=item.id,
                   other=f"{other.file}:{other.mark('id')[0] + 1}",
                   related=[related(other.file, other.mark("id"), other.key_path("id"), other.id, "首次出现", "first use")])


RULES = [unique_ids]
