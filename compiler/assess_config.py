"""The `assess:` section of gkml.yaml: the scorecard's weights and due dates, with their defaults.

The schema (schema/config.schema.json) has already refused negative weights and dates that are no
day of the calendar; what reaches here is well-formed. docs/assess.md documents the defaults.
"""
from __future__ import annotations

from dataclasses import dataclass

# Points taken off 100 for each problem (seed 000: the office's assessment counts in the annual
# disclosure score, 评估结果纳入年度政务公开考评成绩). Order: the scorecard's column order.
WEIGHTS: dict[str, float] = {
    "missing_area": 10,       # a required area without a catalog (GK401)
    "upper_missing": 2,       # an upper item not implemented (GK603)
    "weakened": 2,            # an item weakening its upper item (GK604-GK606, GK608, GK609)
    "placeholder": 1,         # a placeholder responsible unit (GK413)
    "invalid_citation": 1,    # a basis citing a repealed, lapsed, not yet effective or unknown document
    "undeclared_change": 2,   # a change not declared in `changes` (GK901, only with --since)
    "late": 5,                # submitted after the due date
}
FULL_MARKS = 100
LEVEL_KEYS = ("province", "city", "county", "township")


@dataclass(frozen=True)
class Settings:
    """The effective scorecard settings: one weight per problem, due dates by region code or level."""

    weights: dict
    due: dict          # "" -> one date for every region; level or region code -> date

    def due_for(self, code: str, level: str | None) -> str:
        """The due date of a region: its own, else its level's, else the general one ("" when none)."""
        return self.due.get(code) or self.due.get(level or "") or self.due.get("", "")


    def written_due(self) -> str | dict | None:
        """The due dates as the configuration wrote them: one date, a mapping, or None."""
        if list(self.due) == [""]:
            return self.due[""]
        return dict(self.due) or None


def of(section: dict) -> Settings:
    """Settings from the config's `assess` mapping (defaults where a key is absent)."""
    weights = dict(WEIGHTS)
    weights.update({k: v for k, v in (section.get("weights") or {}).items() if k in WEIGHTS})
    due = section.get("due")
    dates = {"": due} if isinstance(due, str) else {str(k): v for k, v in (due or {}).items()}
    return Settings(weights, dates)


def number(value: float) -> str:
    """A weight or score as written: 10, not 10.0; 2.5 stays 2.5."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def settings(section: dict) -> list[tuple[str, str]]:
    """(setting, value) rows for `gkml config`, defaults included."""
    current = of(section)
    rows = [(f"assess.weights.{k}", number(v)) for k, v in current.weights.items()]
    if not current.due:
        rows.append(("assess.due", "(无)"))
    for key, date in current.due.items():
        rows.append((f"assess.due.{key}" if key else "assess.due", date))
    return rows
