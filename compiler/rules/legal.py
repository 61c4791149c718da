"""The legal floor: items cite the disclosure requirements (条例 arts. 20 and 21) they satisfy."""
from __future__ import annotations

from .. import index as idx
from ..diagnostics import make, related
from ..model import Project
from ..vocabulary import LEVEL_OF_NAME
from . import project_rule


@project_rule("GK701", "GK702", reach="catalog")
def requirements_cited(project: Project):
    """Cited legal-floor requirements are registered and apply at the item's levels."""
    registry = project.registry
    if not registry.requirements:
        return
    index = idx.of(project)
    choices = list(registry.requirements)
    for catalog in project.catalogs:
        own = index.level_of(catalog.region) or catalog.level
        for item in catalog.items:
            levels = {LEVEL_OF_NAME[lv] for lv in item.levels if lv in LEVEL_OF_NAME} or ({own} if own else set())
            for n, rid in enumerate(item.requirements):
                requirement = registry.requirements.get(rid)
                if requirement is None:
                    yield make("GK701", catalog.file, item.mark("requirements", n), item.key_path("requirements", n), item.id, value=rid, **idx.did_you_mean(rid, choices))
                elif requirement.levels and levels and not levels & set(requirement.levels):
                    names = "、".join(idx.level_name(lv) for lv in sorted(levels, key=idx.LEVELS.index))
                    yield make("GK702", catalog.file, item.mark("requirements", n), item.key_path("requirements", n), item.id, value=rid, title=requirement.title,
                               levels=names, levels_en=", ".join(sorted(levels, key=idx.LEVELS.index)),
                               related=[related(requirement.where.file, requirement.where.mark, requirement.where.path,
                                                None, "公开要求登记", "requirement entry")])


RULES = [requirements_cited]
