"""The partner dashboard's chart: one bucket size per chart (hours for a short contest, Paris
days for a longer one), never both on one axis, and the right count in every bucket."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from giveaway.contests import lifecycle
from giveaway.core.paris import PARIS, to_paris
from giveaway.dashboard.chart_svg import render_svg
from giveaway.dashboard.charts import HOURLY_SPAN, hourly_for, timeline
from giveaway.db_types import utcnow
from conftest import make_contest
from test_dashboard import import_rows

# (minutes after opening) of one comment each, from distinct accounts: every one in the
# window counts; -45 is before opening. Spread over hours and, for a long contest, days.
MINUTES = [-45, 3, 7, 61, 62, 63, 150, 24 * 60 + 5, 26 * 60, 26 * 60 + 1, 47 * 60 + 59]


def opened(span: timedelta, now: datetime):
    """A contest of ``span``, opened 49 h 23 min before ``now`` (not on the hour), with
    :data:`MINUTES` comments."""
    opens = now - timedelta(hours=49, minutes=23)
    contest = make_contest(opens_at=opens, closes_at=opens + span)
    lifecycle.open_contest(contest, "test")
    import_rows(contest, [(f"c{i}", str(5000 + i), f"user_{i}", "Je participe", minutes)
                          for i, minutes in enumerate(MINUTES)])
    return contest


def expected_counts(contest, key) -> Counter:
    """Comments in the window per bucket, by ``key(moment)``, counted here independently."""
    return Counter(key(contest.opens_at + timedelta(minutes=m)) for m in MINUTES if m >= 0)


@pytest.fixture
def now():
    return utcnow().replace(second=0, microsecond=0)


def test_one_rule_picks_the_bucket_size(app, now):
    opens = now - timedelta(hours=1)
    assert hourly_for(make_contest(public_id="court", opens_at=opens,
                                   closes_at=opens + HOURLY_SPAN))
    assert not hourly_for(make_contest(public_id="long", opens_at=opens,
                                       closes_at=opens + HOURLY_SPAN + timedelta(seconds=1)))


def test_a_short_contest_is_counted_per_hour_only(app, now):
    contest = opened(timedelta(days=2, hours=12), now)
    line = timeline(contest, now=now)
    assert line.hourly and all(b.hourly for b in line.buckets)
    for bucket, following in zip(line.buckets, line.buckets[1:]):
        assert bucket.end == following.start  # no gap, no overlap
    assert all(b.end - b.start == timedelta(hours=1) and b.start.minute == 0
               for b in line.buckets)
    assert line.buckets[0].start <= contest.opens_at < line.buckets[0].end
    assert line.buckets[-1].start <= now < line.buckets[-1].end
    per_hour = expected_counts(contest, lambda t: t.replace(minute=0, second=0, microsecond=0))
    assert {b.start: b.comments for b in line.buckets if b.comments} == dict(per_hour)
    assert [b.counted for b in line.buckets] == [b.comments for b in line.buckets]
    assert line.before == [1, 0] and (line.comments, line.counted) == (11, 10)


def test_a_long_contest_is_counted_per_paris_day_only(app, now):
    contest = opened(timedelta(days=9), now)
    line = timeline(contest, now=now)
    assert not line.hourly and not any(b.hourly for b in line.buckets)
    for bucket in line.buckets:  # each a whole Paris calendar day, even the first
        start, end = to_paris(bucket.start), to_paris(bucket.end)
        assert (start.hour, start.minute, end.hour, end.minute) == (0, 0, 0, 0)
        assert end.date() - start.date() == timedelta(days=1)
    for bucket, following in zip(line.buckets, line.buckets[1:]):
        assert bucket.end == following.start
    assert line.buckets[0].start <= contest.opens_at < line.buckets[0].end
    assert line.buckets[-1].start <= now < line.buckets[-1].end
    per_day = expected_counts(contest, lambda t: to_paris(t).date())
    got = {to_paris(b.start).date(): b.comments for b in line.buckets if b.comments}
    assert got == dict(per_day)
    assert sum(per_day.values()) == 10 and line.before == [1, 0]


def test_days_follow_the_paris_calendar_across_a_clock_change(app):
    # Paris goes to winter time on 2026-10-25: that day lasts 25 hours.
    now = datetime(2026, 10, 27, 12, tzinfo=timezone.utc)
    opens = datetime(2026, 10, 23, 21, 30, tzinfo=timezone.utc)  # 23:30 in Paris
    contest = make_contest(opens_at=opens, closes_at=opens + timedelta(days=8))
    lifecycle.open_contest(contest, "test", now=opens - timedelta(minutes=5))
    line = timeline(contest, now=now)
    days = [to_paris(b.start).date().isoformat() for b in line.buckets]
    assert days == ["2026-10-23", "2026-10-24", "2026-10-25", "2026-10-26", "2026-10-27"]
    lengths = [b.end - b.start for b in line.buckets]
    assert lengths[2] == timedelta(hours=25) and set(lengths[:2] + lengths[3:]) == {
        timedelta(hours=24)}
    assert all(b.start == datetime.combine(to_paris(b.start).date(), datetime.min.time(),
                                           tzinfo=PARIS) for b in line.buckets)


@pytest.mark.parametrize("span", [timedelta(days=2, hours=12), timedelta(days=9)])
def test_the_chart_draws_one_bar_per_bucket_all_of_one_width(app, now, span):
    contest = opened(span, now)
    line = timeline(contest, now=now)
    svg = render_svg(line, "Commentaires").decode()
    for serie in (0, 1):
        block = svg.split(f'class="series serie-{serie} color-{serie}"', 1)[1]
        block = block.split('class="series serie-', 1)[0]
        bar = r'<rect [^>]*width="([\d.]+)"[^>]*class="rect reactive tooltip-trigger"'
        widths = re.findall(bar, block)
        assert len(widths) == len(line.buckets)
        assert len(set(widths)) == 1
    unit = "par heure" if line.hourly else "par jour"
    assert unit in svg
