"""The assessment scorecard (`gkml assess`): per region and per department, at every level, the
figures the provincial disclosure office scores (seed 000: 评估结果纳入年度政务公开考评成绩).

Pure over a check result: every figure is a count of the findings `gkml validate` reports and of
the cells `gkml coverage` shows (never a rule run again), plus catalog facts (matters, dates).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import coverage as cov
from . import index as idx
from .assess_config import FULL_MARKS, Settings
from .assess_dates import Dates
from .diagnostics import Diagnostic
from .model import Catalog, Project
from .rules.vertical import held_uppers

REGION, DEPARTMENT = "region", "department"
ON_TIME, LATE, MISSING = "on-time", "late", "missing"

# Which findings each figure counts (docs/assess.md lists them; rule levels set off remove them).
MISSING_AREA = ("GK401",)
UPPER_MISSING = ("GK603",)
WEAKENED = ("GK604", "GK605", "GK606", "GK608", "GK609")
PLACEHOLDER = ("GK413",)
INVALID_CITATION = ("GK711", "GK713", "GK715")
UNDECLARED = ("GK901",)
COUNTED = {code: figure for figure, codes in (("areas", MISSING_AREA), ("upper", UPPER_MISSING), ("weakened", WEAKENED),
                                              ("placeholders", PLACEHOLDER), ("citations", INVALID_CITATION),
                                              ("undeclared", UNDECLARED)) for code in codes}


@dataclass(frozen=True)
class Fact:
    """One piece of evidence behind a figure: a finding (code, its diagnostic) or a catalog fact."""

    figure: str              # areas | matters | upper | weakened | placeholders | citations | undeclared | dates
    file: str
    line: int
    code: str = ""           # the finding's code; "" for a catalog fact
    diagnostic: Diagnostic | None = None
    text: str = ""           # a catalog fact, in Chinese
    text_en: str = ""


@dataclass
class Row:
    """One line of the scorecard: a region, or one department of a region."""

    kind: str                # region | department
    code: str                # the region's code (a department's region)
    name: str                # the region's or the department's name
    level: str
    parent: str              # the upper region's code (a department: its region's code)
    areas_required: int = 0
    areas_covered: int = 0
    catalogs: int = 0
    matters: int = 0
    upper_required: int = 0
    upper_implemented: int = 0
    weakened: int = 0
    placeholders: int = 0
    invalid_citations: int = 0
    undeclared: int | None = None    # None: not assessed (no --since)
    last_change: str = ""
    submitted: str = ""
    due: str = ""
    status: str = ""                 # on-time | late | missing | "" (no due date)
    score: float = FULL_MARKS
    rank: int = 0
    facts: list[Fact] = field(default_factory=list)

    @property
    def deductions(self) -> dict[str, int]:
        """How many times each weight is taken off (the configuration's weight names)."""
        return {"missing_area": self.areas_required - self.areas_covered,
                "upper_missing": self.upper_required - self.upper_implemented,
                "weakened": self.weakened, "placeholder": self.placeholders,
                "invalid_citation": self.invalid_citations, "undeclared_change": self.undeclared or 0,
                "late": 1 if self.status == LATE else 0}


@dataclass
class Scorecard:
    """Every row, ranked within its level and kind, and the settings that scored them."""

    rows: list[Row]
    settings: Settings
    since: str = ""

    def levels(self) -> list[str]:
        """The levels present, province first."""
        present = {r.level for r in self.rows}
        return [lv for lv in idx.LEVELS if lv in present] + sorted(present - set(idx.LEVELS))

    def at(self, level: str) -> list[Row]:
        """The rows of one level: regions ranked, then departments ranked."""
        return [r for r in self.rows if r.level == level]

    def find(self, wanted: str) -> list[Row]:
        """The rows of a region named by code or name (its own row and its departments')."""
        codes = {r.code for r in self.rows if r.kind == REGION and wanted in (r.code, r.name)}
        return [r for r in self.rows if r.code in codes]


def compute(project: Project, diagnostics, settings: Settings, dates: Dates, since: str = "") -> Scorecard:
    """The scorecard of a checked project (diagnostics: the check's, plus --since findings)."""
    index = idx.of(project)
    registry = project.registry
    matrix = cov.compute(project, diagnostics)
    by_file = {c.file: c for c in project.catalogs}
    rows: list[Row] = []
    for entry in matrix.rows:
        region = registry.regions.get(entry.code)
        row = Row(REGION, entry.code, entry.name, entry.level, (region.parent or "") if region else "")
        catalogs = list(index.catalogs_by_region.get(entry.code, ()))
        departments = _departments(index, entry.code, catalogs)
        required = [matrix.cells[(entry.code, a)] for a in matrix.areas if matrix.cells[(entry.code, a)].required]
        covered = {c.area for c in required if c.status != cov.MISSING}
        row.areas_required, row.areas_covered = len(required), len(covered)
        held = held_uppers(index, entry.code)
        row.upper_required = len(held)
        held_by_area = Counter(index.area_key(u.catalog) for u in held)
        _fill(row, catalogs, dates, since)
        rows.append(row)
        for name, own in departments.items():
            dept = Row(DEPARTMENT, entry.code, name, entry.level, entry.code)
            # the areas it leads count against it when missing (GK401 goes to the lead unit)
            led = {c.area for c in required if _leads(index, entry.code, c.area, name)}
            dept.areas_required, dept.areas_covered = len(led), len(led & covered)
            dept.upper_required = sum(held_by_area[a] for a in {index.area_key(c) for c in own})
            _fill(dept, own, dates, since)
            rows.append(dept)
    _assign(rows, diagnostics, by_file, index)
    for row in rows:
        row.upper_implemented = row.upper_required - sum(1 for f in row.facts if f.code in UPPER_MISSING)
        row.due = settings.due_for(row.code, row.level)
        row.status = _status(row)
        row.score = score(row, settings)
        row.facts.sort(key=lambda f: (f.figure, f.file, f.line, f.code))
    _rank(rows)
    return Scorecard(rows, settings, since)


def score(row: Row, settings: Settings) -> float:
    """100 less each weight times its count, never below 0."""
    taken = sum(settings.weights[name] * count for name, count in row.deductions.items())
    left = max(0.0, round(float(FULL_MARKS - taken), 4))
    return int(left) if left.is_integer() else left


def _departments(index: idx.Index, code: str, catalogs: list[Catalog]) -> dict[str, list[Catalog]]:
    """The region's catalogs by compiling department, and the lead unit of each required area
    it has no catalog for (so the department answerable for a missing catalog has its row)."""
    out: dict[str, list[Catalog]] = {}
    for catalog in sorted(catalogs, key=lambda c: c.file):
        out.setdefault(_department_name(index, catalog), []).append(catalog)
    region = index.region(code)
    if region is not None and index.in_scope(code):
        for area in index.required_areas(region):
            if (code, area.name) not in index.catalogs_by_cell and area.lead:
                units = index.units_with_stem(code, area.lead)
                out.setdefault(units[0].name if units else f"{area.lead}(牵头部门)", [])
    return dict(sorted(out.items()))


def _department_name(index: idx.Index, catalog: Catalog) -> str:
    """The registered name of a catalog's department (its text when it is not registered)."""
    match = index.resolve_unit(catalog.department, catalog.region)
    return match.unit.name if match is not None else (catalog.department or "(未写编制单位)")


def _leads(index: idx.Index, code: str, area_name: str, department: str) -> bool:
    """Whether a department is the registry's lead unit of an area in a region."""
    area = index.registry.areas.get(area_name)
    if area is None or not area.lead:
        return False
    match = index.resolve_unit(department, code)
    stems = match.unit.stems if match is not None else ()
    return area.lead in stems or area.lead in department


def _fill(row: Row, catalogs: list[Catalog], dates: Dates, since: str) -> None:
    """Catalog facts: matters, the last change and the submission date."""
    row.catalogs = len(catalogs)
    row.matters = sum(len(c.items) for c in catalogs)
    row.undeclared = 0 if since else None
    last = first = None
    for catalog in catalogs:
        row.facts.append(Fact("matters", catalog.file, 1, text=f"{catalog.area or '?'}:{len(catalog.items)} 项",
                              text_en=f"{catalog.area or '?'}: {len(catalog.items)} matters"))
        known = dates.of(catalog)
        if known.last and (last is None or known.last[0] > last[0]):
            last = (known.last[0], catalog.file, known.last[1])
        if known.first and (first is None or known.first[0] > first[0]):
            first = (known.first[0], catalog.file, known.first[1])
    if last:
        row.last_change = last[0]
        row.facts.append(Fact("dates", last[1], last[2], text=f"最近调整 {last[0]}", text_en=f"last change {last[0]}"))
    if first:
        row.submitted = first[0]
        row.facts.append(Fact("dates", first[1], first[2], text=f"报送日期 {first[0]}(最后报送的目录)",
                              text_en=f"submitted {first[0]} (the last catalog submitted)"))


def _assign(rows: list[Row], diagnostics, by_file: dict[str, Catalog], index: idx.Index) -> None:
    """Each counted finding to its region's row and its department's row."""
    regions = {r.code: r for r in rows if r.kind == REGION}
    departments = {(r.code, r.name): r for r in rows if r.kind == DEPARTMENT}
    seen_weakened: set[tuple] = set()
    for d in diagnostics:
        figure = COUNTED.get(d.code)
        if figure is None:
            continue
        args = dict(d.args)
        catalog = by_file.get(d.file)
        if d.code in MISSING_AREA or d.code in UPPER_MISSING:
            code = args.get("region", "")
        else:
            code = catalog.region if catalog is not None else ""
        row = regions.get(code or "")
        if row is None:
            continue
        fact = Fact(figure, d.file, d.line, d.code, d)
        targets = [row]
        if d.code in MISSING_AREA:
            area = index.registry.areas.get(args.get("area", ""))
            lead = [r for (c, n), r in departments.items() if c == code and area is not None and _leads(index, code, area.name, n)]
            targets += lead[:1]
        elif catalog is not None and catalog.region == code:
            dept = departments.get((code, _department_name(index, catalog)))
            if dept is not None:
                targets.append(dept)
        for target in targets:
            target.facts.append(fact)
            if figure == "weakened":
                key = (target.kind, target.code, target.name, d.file, d.item or str(d.line))
                if key in seen_weakened:
                    continue   # one item weakening several elements counts once
                seen_weakened.add(key)
                target.weakened += 1
            elif figure == "placeholders":
                target.placeholders += 1
            elif figure == "citations":
                target.invalid_citations += 1
            elif figure == "undeclared" and target.undeclared is not None:
                target.undeclared += 1


def _status(row: Row) -> str:
    """on-time, late or missing against the due date ("" when no due date applies)."""
    if not row.due:
        return ""
    if row.areas_covered < row.areas_required or not row.submitted:
        return MISSING
    return LATE if row.submitted > row.due else ON_TIME


def _rank(rows: list[Row]) -> None:
    """Rank within each level and kind by score (equal scores share a rank: 1, 1, 3); the rows
    are reordered: each level's regions ranked, then its departments ranked."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.level, row.kind), []).append(row)
    order = {lv: n for n, lv in enumerate(idx.LEVELS)}
    rows.clear()
    for (level, kind) in sorted(groups, key=lambda k: (order.get(k[0], 99), k[0], k[1] != REGION)):
        ranked = sorted(groups[(level, kind)], key=lambda r: (-r.score, r.code, r.name))
        for n, row in enumerate(ranked):
            row.rank = ranked[n - 1].rank if n and ranked[n - 1].score == row.score else n + 1
        rows.extend(ranked)
