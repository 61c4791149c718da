"""compiler/validity.py: a catalog's status on a date, and where the run date comes from."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from compiler.validity import EXPIRED, IN_FORCE, PENDING, REPEALED, catalog_status, day, in_force, run_date

HEADER = {"effective": "2024-01-01", "expires": "2025-01-01"}


@pytest.mark.parametrize("on, status", [
    ("2023-12-31", PENDING), ("2024-01-01", IN_FORCE), ("2024-12-31", IN_FORCE), ("2025-01-01", EXPIRED)])
def test_status_turns_on_the_dates(on, status):
    assert catalog_status(HEADER, on).status == status


def test_repeal_wins_over_expiry_and_carries_its_reason():
    header = {**HEADER, "repealed": "2024-06-01", "repeal_reason": "被2024年版目录取代"}
    assert catalog_status(header, "2024-05-31").status == IN_FORCE
    state = catalog_status(header, "2025-02-01")
    assert (state.status, state.repealed, state.reason) == (REPEALED, "2024-06-01", "被2024年版目录取代")
    assert "被2024年版目录取代" in state.label and "2024-06-01" in state.label
    assert not state.in_force and state.key == "repealed"


def test_labels_name_the_deciding_date():
    assert catalog_status(HEADER, "2023-01-01").label == "未生效(2024-01-01 起生效)"
    assert catalog_status(HEADER, "2026-01-01").label == "已失效(2025-01-01 失效)"
    assert catalog_status(HEADER, "2026-01-01").label_en == "expired on 2025-01-01"
    assert catalog_status({}, "2026-01-01").label == "有效"


def test_a_model_object_reads_like_a_mapping():
    class Head:
        effective, expires, repealed, repeal_reason = "2024-01-01", "2025-01-01", None, None
    assert catalog_status(Head(), "2025-06-01").status == EXPIRED
    assert not in_force(Head(), "2025-06-01") and in_force(Head(), "")


def test_dates_that_are_not_real_days_are_ignored():
    assert day("2024-02-30") is None and day("2024-2-3") is None and day(20240101) is None
    assert catalog_status({"expires": "2024-02-30"}, "2030-01-01").status == IN_FORCE


def test_run_date_prefers_the_option_then_the_config_then_the_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")   # 2023-11-14
    assert run_date("2024-03-01", "2025-01-01") == "2024-03-01"
    assert run_date(None, "2025-01-01") == "2025-01-01"
    assert run_date() == "2023-11-14"


def test_the_today_option_sets_the_run_date_and_refuses_a_bad_one(tmp_path, monkeypatch):
    import click

    from compiler.commands.common import today, today_option

    @click.command()
    @today_option
    def show():
        click.echo(today())
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(show, ["--today", "2024-07-01"]).output.strip() == "2024-07-01"
    bad = runner.invoke(show, ["--today", "2024-13-01"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    (tmp_path / "gkml.yaml").write_text('today: "2022-02-02"\n', encoding="utf-8")
    assert runner.invoke(show, []).output.strip() == "2022-02-02"
