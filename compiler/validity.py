"""A catalog's validity (有效性) on a date, and the one place the run date comes from.

Seed 002 gives every published document 有效性, 生效时间 and 废止时间; a catalog is the same: it is
in force from `effective`, runs out at `expires` (失效) and may be repealed earlier by a decision
(`repealed`, with `repeal_reason`). A catalog not in force on the run date is still published,
marked, but does not count for coverage nor for the duplicate rule (a superseded catalog kept
beside its successor is normal).

The run date is the date every check and build judges validity on: `--today YYYY-MM-DD`, else the
`today:` of gkml.yaml, else SOURCE_DATE_EPOCH's day, else the real (UTC) date. The portal's
有效/未生效/已失效 marks therefore depend on the build date: two builds on different days may
differ; give --today (or SOURCE_DATE_EPOCH) to build the same bytes on any day.
"""
from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone

IN_FORCE, PENDING, EXPIRED, REPEALED = "有效", "未生效", "已失效", "已废止"
STATUSES = (IN_FORCE, PENDING, EXPIRED, REPEALED)
STATUS_EN = {IN_FORCE: "in force", PENDING: "not yet in force", EXPIRED: "expired", REPEALED: "repealed"}
STATUS_KEY = {IN_FORCE: "valid", PENDING: "pending", EXPIRED: "expired", REPEALED: "repealed"}  # CSS class, JSON


@dataclass(frozen=True, slots=True)
class Validity:
    """A catalog's status on one date, with the dates it was judged from (ISO texts or None)."""

    status: str                  # one of STATUSES
    on: str                      # the date judged (the run date)
    effective: str | None = None
    expires: str | None = None
    repealed: str | None = None
    reason: str | None = None    # why it was repealed (repeal_reason), when it was

    @property
    def in_force(self) -> bool:
        """True when the catalog counts (coverage, duplicates) on the date."""
        return self.status == IN_FORCE

    @property
    def key(self) -> str:
        """A plain-ASCII name of the status (valid, pending, expired, repealed), for CSS and JSON."""
        return STATUS_KEY[self.status]

    @property
    def label(self) -> str:
        """The status with its deciding date, in Chinese: 有效(2024-01-01 起), 已失效(2023-12-31 失效) …"""
        if self.status == REPEALED:
            return f"已废止({self.repealed} 废止{'：' + self.reason if self.reason else ''})"
        if self.status == EXPIRED:
            return f"已失效({self.expires} 失效)"
        if self.status == PENDING:
            return f"未生效({self.effective} 起生效)"
        if self.expires:
            return f"有效({self.effective + ' 起,' if self.effective else ''}至 {self.expires})"
        return f"有效({self.effective} 起)" if self.effective else "有效"

    @property
    def label_en(self) -> str:
        """The status with its deciding date, in English."""
        if self.status == REPEALED:
            return f"repealed on {self.repealed}" + (f": {self.reason}" if self.reason else "")
        if self.status == EXPIRED:
            return f"expired on {self.expires}"
        if self.status == PENDING:
            return f"in force from {self.effective}"
        return "in force" + (f" from {self.effective}" if self.effective else "") + (f" until {self.expires}" if self.expires else "")

    def as_json(self) -> dict:
        """The record as gkml's JSON data carries it."""
        return {"status": self.status, "key": self.key, "on": self.on, "effective": self.effective,
                "expires": self.expires, "repealed": self.repealed, "reason": self.reason}


def day(value: object) -> str | None:
    """A real YYYY-MM-DD date as its text; None when absent or not a real day (the schema and GK205 say so)."""
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str) or len(value) != 10:
        return None
    return _text_day(value)


@functools.lru_cache(maxsize=4096)
def _text_day(value: str) -> str | None:
    # a province's 25,000 catalogs carry a few hundred distinct dates, asked for each time a
    # project is indexed (four times in a re-check after adding a matter): parse each once
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


def _header(source: object) -> tuple:
    """(effective, expires, repealed, reason) of a catalog model object or a header mapping."""
    if isinstance(source, Mapping):
        get = source.get
    else:
        def get(key):
            return getattr(source, key, None)
    reason = get("repeal_reason")
    return (day(get("effective")), day(get("expires")), day(get("repealed")),
            reason.strip() or None if isinstance(reason, str) else None)


def catalog_status(source: object, today: str) -> Validity:
    """The validity on `today` (YYYY-MM-DD) of a catalog (model object or its header mapping).

    废止 wins over 失效 when both dates have passed; a day is in force from `effective` on and
    until the day before `expires` or `repealed` (the date named is the first day it is not)."""
    effective, expires, repealed, reason = _header(source)
    on = day(today) or run_date()
    if repealed is not None and repealed <= on:
        status = REPEALED
    elif expires is not None and expires <= on:
        status = EXPIRED
    elif effective is not None and effective > on:
        status = PENDING
    else:
        status = IN_FORCE
    return Validity(status, on, effective, expires, repealed, reason)


def in_force(source: object, today: str) -> bool:
    """True when the catalog counts on `today` (an empty today: always, as for a check without a date)."""
    return not today or catalog_status(source, today).in_force


def run_date(option: str | None = None, configured: str | None = None) -> str:
    """The run date: --today, else the config's today, else SOURCE_DATE_EPOCH's day, else the real UTC date."""
    for given in (option, configured):
        if given and day(given):
            return day(given)  # type: ignore[return-value]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else datetime.now(timezone.utc)
    return moment.date().isoformat()
