"""Which cross-catalog findings an edit can change, and the catalogs a re-run of them needs.

A province is ~3,700 catalogs. An edit that adds a matter to one of them, or changes an `implements`
or a responsible unit, can only change the findings of the catalogs it is tied to: its own region
(duplicates, lead units), the items sharing its ids (unique ids), and the key areas its chains run
through (vertical consistency). Each project rule declares that reach (rules/__init__.py). This
module keeps the tables that tie catalogs together (Tables, saved with the run state), plans a
re-run for a set of edited catalogs (plan), and runs the rules over just those catalogs, merging
the new findings into the last run's (rerun). It is pure: the pipeline loads what a plan names.

Why a re-run over part of the set gives the full run's findings, reach by reach:

- catalog, region, id: a finding at a catalog (or about an id) reads only that catalog, its
  region's catalogs, or the items with that id; the re-run loads all of them.
- chain: a finding at a catalog of area A reads items that `implements` reaches from A's items,
  and items that reach A's items (through any number of levels). Tables.links ties two areas
  when an item of one implements an item of the other, or one id is used in both; a re-run takes
  the edited catalogs' areas, the areas their old and new ids and targets were used in, and the
  areas where an id they now define was dangling, then everything linked to those. Catalogs of
  other areas are present as headers only, so which regions have which catalogs (GK401's concern,
  and the chain's missing tiers) is seen in full.
- chain, narrowed to a line: when every `implements` of those areas resolves on its region's line
  (to the region above it for the area: no GK602, GK610, nor an unregistered region; Tables.irregular
  says which areas have one), an item's chain climbs the region tree, so only the edited regions
  and the regions below them can have a chain finding that reads an edited item (GK603 about a
  region: the uppers it must hold come from its ancestors, its own items reach them). The re-run
  then redoes those regions' findings, loading their line (ancestors too) rather than the areas
  across the province: a township edits in its own line of 4 regions, not in 1,600. That needs the
  edit to leave the tables' links, dangling ids and suggestions as they were (the same targets,
  no id of another file, no dangling id defined, no implemented id removed); rerun checks what the
  tables cannot tell and otherwise redoes the areas whole. At full scale (benchmarks/run.py, medians
  of 5, this machine) adding a matter to a township's file of sections re-checks in 0.84 s: its 15
  areas whole reach half the province (4.0 s), and a full run took 9.0 s; to a city catalog, 0.79 s
  instead of 1.04 s.
- headers: a re-run is planned only when no header changed, so these findings stand.

A plan is refused (None: run everything) when a catalog's header changes (a section's, in a file of
sections), a file stops or starts being a catalog or gains or loses a section, or a rule's reach is
"project". tests/test_scope.py checks the claim: over random
edit sequences the scoped findings and tables equal a full run's.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, Mapping, NamedTuple

from . import index as idx
from .diagnostics import Diagnostic
from .idtable import Sharded
from .model import SECTION_MARK, Catalog, Project
from .rules import Rule, vertical

SCOPED = ("catalog", "region", "id", "chain")


class Head(NamedTuple):
    """A catalog's header as the rules see it; an edit that changes it re-runs everything.

    A tuple: the 25,755 heads of a full province are read back from the cache with tuple.__new__
    (runstate.loaded_tables), 0.04 s instead of 0.14-0.25 s as frozen dataclasses (session 33)."""

    header: tuple   # Catalog.header()
    area_key: str   # the registry's name of the area (the written text when unregistered)

    @property
    def region(self) -> str:
        """The region code as the index groups catalogs by it ("" when none)."""
        return self.header[0] or ""


def head_of(catalog: Catalog, registry) -> Head:
    """The header of catalog, its area resolved through registry as index.area_key does."""
    area = registry.area(catalog.area)
    return Head(catalog.header(), area.name if area else (catalog.area or ""))


def shell(name: str, head: Head) -> Catalog:
    """A catalog with its header and no items: tells the index a catalog is there."""
    file, section = split_name(name)
    return Catalog(file, {}, {"items": []}, *head.header, [], "", section=section)


def split_name(name: str) -> tuple[str, int | None]:
    """(file, section) of a catalog's name (model.Catalog.name); section None for a whole file."""
    file, mark, place = name.rpartition(SECTION_MARK)
    return (file, int(place)) if mark and place.isdigit() else (name, None)


def _run_order(name: str) -> tuple[str, int]:
    """The place of a catalog in a full run: by file, then section."""
    file, section = split_name(name)
    return file, section or 0


def name_of_finding(finding: Diagnostic, heads: Mapping[str, "Head"]) -> str:
    """The name of the catalog a finding is at: its file, or the section of a file of sections its path is in."""
    path = finding.path or ""
    if path.startswith("/areas/"):
        place = path.split("/")[2]
        name = f"{finding.file}{SECTION_MARK}{place}"
        if name in heads:
            return name
    return finding.file


@dataclass(frozen=True)
class Tables:
    """What ties the catalogs of the last run together (saved with the run state)."""

    heads: Mapping[str, Head]                 # catalog name (its file, or file#areas/k) -> header
    first: Mapping[str, str]                  # item id -> first file (in file order) using it
    later: Mapping[str, tuple[str, ...]]      # item id -> the other files using it, when any
    links: Mapping[str, frozenset[str]]       # area key -> other area keys tied to it
    dangling: Mapping[str, frozenset[str]]    # area key -> ids implemented there that no item has
    suggest: Mapping[str, frozenset[str]]     # area key -> regions whose ids GK601 suggests from (no catalog of the area there)
    irregular: frozenset[str] = frozenset()   # areas with an `implements` resolving off its region's line (vertical.off_line)


@dataclass(frozen=True)
class Plan:
    """What a scoped re-run redoes: the edited catalogs, and the regions, ids and areas they reach."""

    files: frozenset[str]       # the edited files
    changed: frozenset[str]     # their catalogs: each file, or each section of a file of sections
    regions: frozenset[str]
    ids: frozenset[str]
    areas: frozenset[str]
    region_files: tuple[str, ...]
    id_files: tuple[str, ...]
    area_files: tuple[str, ...]
    below: frozenset[str] | None = None   # narrowed to a line: the edited regions and those below them
    line: frozenset[str] = frozenset()    # narrowed to a line: below and the edited regions' ancestors
    line_files: tuple[str, ...] = ()      # narrowed to a line: the areas' catalogs of those regions
    ties: Mapping[str, tuple] | None = None  # narrowed to a line: each edited catalog's ties before the edit (_ties)


class IdUse(NamedTuple):
    """Where each item id is used, over catalogs in file order."""

    first_item: dict              # id -> the first item with it
    first: dict[str, str]         # id -> the first file using it
    later: dict[str, tuple[str, ...]]  # id -> the other files using it, when any


def _ids(catalogs: Iterable[Catalog]) -> IdUse:
    """Where each id of catalogs is used (first item, first file, later files)."""
    first_item: dict = {}
    first: dict[str, str] = {}
    later: dict[str, list[str]] = {}
    for catalog in catalogs:
        name = catalog.name
        for item in catalog.items:
            key = item.id
            if key is None:
                continue
            seen = first.get(key)
            if seen is None:
                first[key] = name
                first_item[key] = item
            elif seen != name:
                more = later.setdefault(key, [])
                if not more or more[-1] != name:
                    more.append(name)
    return IdUse(first_item, first, {k: tuple(v) for k, v in later.items()})


def _chains(catalogs: Iterable[Catalog], heads: Mapping[str, Head], first_item: Mapping, index: idx.Index):
    """(links, dangling, suggest, irregular) from the `implements` of catalogs, resolving ids through first_item."""
    links: dict[str, set[str]] = {}
    dangling: dict[str, set[str]] = {}
    suggest: dict[str, set[str]] = {}
    irregular: set[str] = set()
    for catalog in catalogs:
        area = heads[catalog.name].area_key
        expected = None
        for item in catalog.items:
            target = item.implements
            if not target:
                continue
            upper = first_item.get(target)
            if upper is not None:
                other = heads[upper.catalog.name].area_key
                if other != area:
                    links.setdefault(area, set()).add(other)
                    links.setdefault(other, set()).add(area)
                if area not in irregular and vertical.off_line(index, item, upper):
                    irregular.add(area)
                continue
            dangling.setdefault(area, set()).add(target)
            # GK601 suggests ids of the expected upper region: of its catalog of this area, or
            # of all its catalogs when it has none of this area (see vertical.implements_resolve)
            if expected is None:
                expected = vertical.expected_upper(index, catalog) or ""
            if expected and not index.catalogs_by_cell.get((expected, area)):
                suggest.setdefault(area, set()).add(expected)
    return links, dangling, suggest, irregular


def _shared(heads: Mapping[str, Head], first: Mapping[str, str], later: Mapping[str, tuple[str, ...]],
            links: dict[str, set[str]]) -> None:
    """Tie the areas of every id used in more than one file (an item may resolve to either)."""
    for key, files in later.items():
        areas = {heads[first[key]].area_key, *(heads[f].area_key for f in files)}
        if len(areas) > 1:
            for area in areas:
                links.setdefault(area, set()).update(areas - {area})


def _frozen(table: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in table.items()}


def tables_of(project: Project) -> Tables:
    """The tables of a whole project (after a full run)."""
    heads = {c.name: head_of(c, project.registry) for c in project.catalogs}
    index = idx.of(project)
    first_item = index.items_by_id  # the first item with each id, in file order, as the rules resolve it
    first = Sharded.of({key: item.catalog.name for key, item in first_item.items()})
    later: dict[str, tuple[str, ...]] = {}
    if sum(1 for c in project.catalogs for i in c.items if i.id is not None) != len(first):
        later = _ids(project.catalogs).later  # some id is used twice (GK303): find where
    links, dangling, suggest, irregular = _chains(project.catalogs, heads, first_item, index)
    _shared(heads, first, later, links)
    return Tables(heads, first, later, _frozen(links), _frozen(dangling), _frozen(suggest), frozenset(irregular))


def _files_of(tables: Tables, key: str) -> tuple[str, ...]:
    found = tables.first.get(key)
    return () if found is None else (found, *tables.later.get(key, ()))


def _closure(areas: set[str], links: Mapping[str, frozenset[str]]) -> set[str]:
    todo, seen = list(areas), set(areas)
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def plan(tables: Tables, before: Mapping[str, Catalog | None], after: Mapping[str, Catalog | None],
         registry, rules: Iterable[Rule]) -> Plan | None:
    """The re-run for catalogs edited from before[name] to after[name]; None when only a full run can tell."""
    if any(rule.reach not in SCOPED and rule.reach != "headers" for rule in rules):
        return None
    heads = tables.heads
    ids: set[str] = set()
    targets: set[str] = set()
    changed: set[str] = set()
    for name, new in after.items():
        old = before.get(name)
        if old is None or new is None or len(old.parts()) != len(new.parts()):
            return None   # a section added or removed renames the sections after it
        # a file of sections stands for one catalog per section: each keeps its header, and its
        # items may move between them (every section is redone: they share the file's ids)
        for part in new.parts():
            if heads.get(part.name) is None or head_of(part, registry) != heads[part.name]:
                return None
            changed.add(part.name)
        ids.update(i.id for c in (old, new) for i in c.items if i.id is not None)   # a file's items: all its sections'
        targets.update(i.implements for i in new.items if i.implements)
    regions = {heads[name].region for name in changed}
    id_files = set(changed)
    areas = {heads[name].area_key for name in changed}
    for key in ids:
        found = _files_of(tables, key)
        id_files.update(found)
        areas.update(heads[f].area_key for f in found)      # implementers of the id are tied there
    for key in targets:
        areas.update(heads[f].area_key for f in _files_of(tables, key))
    for area, missing in tables.dangling.items():
        if not ids.isdisjoint(missing):                     # an id defined now may resolve them
            areas.add(area)
    for area, uppers in tables.suggest.items():
        if not regions.isdisjoint(uppers):
            areas.add(area)
    areas = _closure(areas, tables.links)
    area_files = tuple(n for n, h in heads.items() if h.area_key in areas)
    below = _below(tables, registry, regions, ids, changed, areas)
    line: frozenset[str] = frozenset()
    ties = None
    if below is not None:
        line = below.union(*(registry.ancestors(code) for code in regions))
        ties = {part.name: _ties(part, heads, lambda key: _old_area(tables, key))
                for old in before.values() if old is not None for part in old.parts()}
    return Plan(frozenset(after), frozenset(changed), frozenset(regions), frozenset(ids), frozenset(areas),
                tuple(n for n, h in heads.items() if h.region in regions),
                tuple(sorted(id_files)), area_files,
                below, line, tuple(n for n in area_files if heads[n].region in line), ties)


def _old_area(tables: Tables, key: str) -> str | None:
    """The area of the catalog an id resolved to in the last run (None: it resolved nowhere)."""
    found = tables.first.get(key)
    return None if found is None else tables.heads[found].area_key


def _ties(catalog: Catalog, heads: Mapping[str, Head], area_of: Callable[[str], str | None]) -> tuple:
    """What a catalog adds to the tables (_chains): (the other areas its `implements` resolve to,
    its dangling ids), resolving each id to its catalog's area with area_of (None: dangling)."""
    own = heads[catalog.name].area_key
    areas: set[str] = set()
    dangling: set[str] = set()
    for item in catalog.items:
        if item.implements:
            area = area_of(item.implements)
            if area is None:
                dangling.add(item.implements)
            elif area != own:
                areas.add(area)
    return frozenset(areas), frozenset(dangling)


def _below(tables: Tables, registry, regions: set[str], ids: set[str], changed: set[str],
           areas: set[str]) -> frozenset[str] | None:
    """The edited regions and every region below them, when what the tables tell allows narrowing
    the chain re-run to their lines (module docstring); None: redo the areas whole."""
    if not areas.isdisjoint(tables.irregular) or any(r not in registry.regions for r in regions):
        return None
    if any(not ids.isdisjoint(missing) for missing in tables.dangling.values()):
        return None   # an id defined now resolves implements anywhere in the province
    for key in ids:
        found = tables.first.get(key)
        if key in tables.later or (found is not None and found not in changed):
            return None   # an id of another file too: which item it resolves to may change anywhere
    children: dict[str, list[str]] = {}
    for region in registry.regions.values():
        if region.parent:
            children.setdefault(region.parent, []).append(region.code)
    below: set[str] = set()
    todo = list(regions)
    while todo:
        code = todo.pop()
        if code not in below:
            below.add(code)
            todo.extend(children.get(code, ()))
    return frozenset(below)


def _redone(plan: Plan, heads: Mapping[str, Head], reach: str, finding: Diagnostic, about: str = "") -> bool:
    """Whether a finding of a rule of this reach belongs to the part of the set plan re-runs."""
    if reach == "catalog":
        return finding.file in plan.files
    if reach == "id":
        return finding.item in plan.ids
    head = heads.get(name_of_finding(finding, heads))
    if head is None:
        return False
    if reach == "region":
        return head.region in plan.regions
    if reach == "chain":
        if head.area_key not in plan.areas:
            return False
        if plan.below is None:
            return True
        return (dict(finding.args).get(about) if about else head.region) in plan.below
    return False


def rerun(plan: Plan, tables: Tables, rules: Iterable[Rule], load: Callable[[str], Catalog], registry,
          registry_positions: dict, today: str, old: Iterable[Diagnostic]) -> tuple[list[Diagnostic], Tables]:
    """The last run's project findings with the plan's part re-run, and the tables updated to match.

    load(name) gives a catalog as edited; it is asked only for the catalogs the plan reaches, and
    any exception it raises (a cache miss) propagates: the caller then runs everything."""
    heads = tables.heads
    rules = list(rules)
    loaded: dict[str, Catalog] = {}

    def part(name: str) -> Catalog:   # a file's catalog, or one section of a file of sections
        file, section = split_name(name)
        found = load(file)
        return found if section is None else found.parts()[section]

    def project(names: Iterable[str], shells: bool = False, wanted: frozenset[str] | None = None) -> Project:
        real = {}
        for name in names:
            if name not in loaded:
                loaded[name] = part(name)
            real[name] = loaded[name]
        if not shells:
            catalogs = [real[name] for name in sorted(real, key=_run_order)]
        elif wanted is None:   # every catalog in the full run's order (the heads'), a shell where not loaded
            catalogs = [shell(name, head) if (found := real.get(name)) is None else found for name, head in heads.items()]
        else:   # narrowed to the lines: only their regions' catalogs are looked up (module docstring);
            # 2,000 shells instead of 25,755 at full scale, 0.08 s of a re-check after adding a matter (session 33)
            line = plan.line
            catalogs = [shell(name, head) if (found := real.get(name)) is None else found
                        for name, head in heads.items() if name in real or head.region in line]
            catalogs += [real[name] for name in sorted(real.keys() - heads.keys(), key=_run_order)]  # none: plan() names them from the heads
        return Project(catalogs, registry, registry_positions, today, regions_wanted=wanted)

    parts = {"catalog": project(plan.changed), "region": project(plan.region_files), "id": project(plan.id_files)}
    uses = _ids(parts["id"].catalogs)
    fresh = None
    if plan.below is not None:
        parts["chain"] = _line_project(plan, tables, project, loaded)
        if not _line_holds(plan, tables, parts["chain"], loaded, uses):
            plan = replace(plan, below=None, line=frozenset(), line_files=(), ties=None)
    if plan.below is None:
        parts["chain"], fresh = _area_project(plan, heads, project, loaded)

    reach_of = {code: rule.reach for rule in rules for code in rule.codes}
    about_of = {code: rule.about for rule in rules for code in rule.codes}
    kept = [d for d in old if not _redone(plan, heads, reach_of.get(d.code, "project"), d, about_of.get(d.code, ""))]
    found: list[Diagnostic] = []
    for reach in SCOPED:  # grouped by part: each part's index is built once
        for rule in rules:
            if rule.reach == reach:
                found.extend(d for d in rule.fn(parts[reach]) if _redone(plan, heads, reach, d, rule.about))

    later = dict(tables.later)
    for key in plan.ids:
        later.pop(key, None)
    stored = tables.first if isinstance(tables.first, Sharded) else Sharded.of(tables.first)
    first = stored.updated(plan.ids, {k: v for k, v in uses.first.items() if k in plan.ids})
    later.update((k, v) for k, v in uses.later.items() if k in plan.ids)
    if fresh is None:   # narrowed to a line: the edit left the ties as they were (_line_holds)
        return kept + found, Tables(heads, first, later, tables.links, tables.dangling, tables.suggest, tables.irregular)

    links, dangling, suggest, irregular = fresh
    # ids used in more than one file tie areas; such ties of the re-run areas stay among them
    _shared(heads, first, {k: v for k, v in later.items() if heads[first[k]].area_key in plan.areas}, links)

    def merged(table: Mapping[str, frozenset[str]], fresh: dict) -> dict:
        out = {k: v for k, v in table.items() if k not in plan.areas}
        out.update(_frozen(fresh))
        return out

    return kept + found, Tables(heads, first, later, merged(tables.links, links), merged(tables.dangling, dangling),
                                merged(tables.suggest, suggest), (tables.irregular - plan.areas) | irregular)


def _area_project(plan: Plan, heads: Mapping[str, Head], project, loaded: dict) -> tuple[Project, tuple]:
    """The chain rules' project over the plan's areas whole, and the tables' parts of those areas (_chains)."""
    chain = project(plan.area_files, shells=True)
    index = idx.of(chain)
    fresh = _chains([loaded[n] for n in plan.area_files], heads, index.items_by_id, index)
    wanted = {region for regions in fresh[2].values() for region in regions}
    # GK601 suggests from every catalog of an upper region that lacks the area: load those too (their
    # items resolve nothing of these areas, or their areas would be tied to them)
    in_areas = set(plan.area_files)
    extra = [n for n, h in heads.items() if h.region in wanted and n not in in_areas]
    return (project([*plan.area_files, *extra], shells=True) if extra else chain), fresh


def _line_project(plan: Plan, tables: Tables, project, loaded: dict) -> Project:
    """The chain rules' project over the plan's areas in the edited regions' lines, with every
    catalog of a region in those lines that GK601 suggests from (as _area_project)."""
    wanted = {r for area in plan.areas for r in tables.suggest.get(area, ()) if r in plan.line}
    in_line = set(plan.line_files)
    extra = [n for n, h in tables.heads.items() if h.region in wanted and n not in in_line]
    return project([*plan.line_files, *extra], shells=True, wanted=plan.below)


def _line_holds(plan: Plan, tables: Tables, chain: Project, loaded: Mapping[str, Catalog], uses: IdUse) -> bool:
    """Whether the edit left the tables' ties as they were and stayed on its regions' lines, so a
    re-run over the lines gives the full run's findings (module docstring); else redo the areas."""
    heads, index = tables.heads, idx.of(chain)
    if any(key in uses.later for key in plan.ids):
        return False   # an id now used twice: which item it resolves to is the file order's
    edited = [loaded[name] for name in sorted(plan.changed)]
    now = {item.id: item for catalog in edited for item in catalog.items if item.id is not None}
    for key, item in now.items():
        before = _old_area(tables, key) if tables.first.get(key) in plan.changed else None
        if before is not None and before != heads[item.catalog.name].area_key:
            return False   # an id moved to another area's section: its implementers' ties move
    gone = plan.ids - now.keys()
    if gone and any(i.implements in gone for c in chain.catalogs for i in c.items if i.implements):
        return False   # an id implemented below is removed: it dangles there now

    def area_now(key: str) -> str | None:
        upper = index.items_by_id.get(key)
        found = tables.first.get(key)
        if found is not None and found not in plan.changed and (upper is None or upper.catalog.name != found):
            raise LookupError(key)   # resolves to a catalog off the line
        return None if upper is None else heads[upper.catalog.name].area_key

    for catalog in edited:
        for item in catalog.items:
            upper = index.items_by_id.get(item.implements) if item.implements else None
            if upper is not None and vertical.off_line(index, item, upper):
                return False
        try:
            if _ties(catalog, heads, area_now) != plan.ties.get(catalog.name):
                return False
        except LookupError:
            return False
    return True
