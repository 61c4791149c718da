"""Time limits: the real phrasings of DOMAIN.md §4 and the default catalogs, read as working days."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler import timelimits
from compiler.pipeline import Options, check

DEFAULT = Path(__file__).resolve().parent.parent / "catalogs"

CAL = 5 / 7

CASES = [
    ("信息形成或者变更之日起20个工作日内", "days", 20),
    ("自该信息形成或者变更之日起20个工作日内予以公开", "days", 20),
    ("信息形成20个工作日内公开", "days", 20),
    ("20工作日", "days", 20),
    ("10个工作日", "days", 10),
    ("２０个工作日内", "days", 20),              # full-width digits
    ("二十个工作日内", "days", 20),               # Chinese numerals
    ("信息形成之日起十五个工作日内", "days", 15),
    ("每季度结束后20个工作日内", "days", 20),
    ("作出许可决定之日起7个工作日内", "days", 7),
    ("3日内", "days", 3 * CAL),                   # calendar days
    ("7天内", "days", 7 * CAL),
    ("自收到评标报告之日起3日内公示，公示期不少于3日", "days", 3 * CAL),
    ("1个月内", "days", 30 * CAL),
    ("一周内", "days", 5),
    ("实时公开", "immediate", 0),
    ("即时公开", "immediate", 0),
    ("事件发生后及时发布，处置进展实时更新", "prompt", None),
    ("及时公开", "prompt", None),
    ("征收补偿方案拟定后及时公布，征求意见期限不少于30日", "prompt", None),  # 30 days is a minimum period
    ("每年1月31日前", "date", None),
    ("次年3月31日前公开上年度报告", "date", None),
    ("长期", "lasting", None),
    ("公示期不少于7日", None, None),
    ("按规定公开", None, None),
    ("", None, None),
]


@pytest.mark.parametrize("text, kind, days", CASES)
def test_phrasings(text, kind, days):
    parsed = timelimits.parse(text)
    assert parsed.kind == kind
    if days is None:
        assert parsed.working_days is None
    else:
        assert parsed.working_days == pytest.approx(days)
    assert timelimits.working_days(text) == parsed.working_days


def test_not_text_is_not_understood():
    assert timelimits.parse(None).kind is None
    assert timelimits.working_days(None) is None


def test_longer():
    assert timelimits.longer("30个工作日", "信息形成或者变更之日起20个工作日内") is True
    assert timelimits.longer("10个工作日", "20工作日") is False
    assert timelimits.longer("20工作日", "20个工作日内") is False
    assert timelimits.longer("3个工作日", "3日内") is True        # 3 working days may be 5 calendar days
    assert timelimits.longer("及时公开", "20工作日") is None      # not comparable
    assert timelimits.longer("写不清", "20工作日") is None


def test_describe():
    assert timelimits.describe(timelimits.parse("20工作日")) == "20 个工作日"
    assert timelimits.describe(timelimits.parse("20工作日"), "en") == "20 working days"
    assert timelimits.describe(timelimits.parse("实时公开")) == "实时"
    assert timelimits.describe(timelimits.parse("乱写")) == "无法识别"


def test_every_limit_of_the_default_is_understood():
    result = check(Options(paths=(str(DEFAULT),)))
    limits = {i.time_limit for c in result.project.catalogs for i in c.items if i.time_limit}
    assert len(limits) > 10
    for text in limits:
        assert timelimits.parse(text).kind is not None, text


@given(st.integers(min_value=1, max_value=999))
def test_working_days_roundtrip(n):
    assert timelimits.working_days(f"信息形成或者变更之日起{n}个工作日内") == n
    assert timelimits.working_days(f"{n}工作日") == n


@given(st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=400))
def test_order_follows_numbers(a, b):
    assert timelimits.longer(f"{a}个工作日内", f"{b}个工作日内") is (a > b)


@given(st.text(max_size=60))
def test_never_raises(text):
    parsed = timelimits.parse(text)
    assert parsed.kind in (None, "days", "immediate", "prompt", "date", "lasting")
    assert parsed.working_days is None or parsed.working_days >= 0
