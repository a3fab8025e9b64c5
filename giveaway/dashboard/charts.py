"""Comments and counted entries over time, in buckets of one size per chart.

One rule: a contest whose window (opening to closing) lasts at most
:data:`HOURLY_SPAN` is counted per hour, a longer one per Paris calendar day, so
every bar of a chart stands for the same length of time (a day is a calendar day:
23 or 25 hours when the clocks change) and no bar is a surge made of a longer
bucket. The database groups the contest's comments by UTC hour (a GROUP BY on the
``(contest_id, created_at)`` index, and one on the counted verdicts: a few hundred
rows back whatever the number of comments); hours are gathered into Paris days
here. Paris is a whole number of hours from UTC, so an hour never straddles a
Paris midnight. :mod:`.chart_svg` draws the result.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Optional

import sqlalchemy as sa
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _

from giveaway.contests.models import Contest
from giveaway.core.paris import PARIS, to_paris
from giveaway.db_types import utcnow
from giveaway.eligibility.models import Verdict
from giveaway.extensions import db
from giveaway.harvest.models import Comment

#: Windows up to this long are counted per hour (at most 72 bars), longer ones per day.
HOURLY_SPAN = timedelta(days=3)
_HOUR = 3600


@dataclass
class Bucket:
    """Comments (and counted ones) created in ``[start, end)``, UTC."""

    start: datetime
    end: datetime
    hourly: bool
    comments: int = 0
    counted: int = 0

    @property
    def label(self) -> str:
        """A short label in Paris time and the interface language."""
        if self.hourly:
            return format_datetime(self.start, "E d MMM HH:mm")
        return format_date(to_paris(self.start).date(), "E d MMM")


@dataclass
class Timeline:
    """The buckets in order (all hours, or all Paris days: ``hourly``), plus comments
    stamped before opening or after closing."""

    buckets: list[Bucket] = field(default_factory=list)
    before: list[int] = field(default_factory=lambda: [0, 0])
    after: list[int] = field(default_factory=lambda: [0, 0])
    hourly: bool = True

    @property
    def caption(self) -> str:
        """What one bar stands for, in the interface language."""
        if self.hourly:
            return _("One bar per hour (Paris time).")
        return _("One bar per day (Paris time).")

    @property
    def comments(self) -> int:
        return sum(b.comments for b in self.buckets) + self.before[0] + self.after[0]

    @property
    def counted(self) -> int:
        return sum(b.counted for b in self.buckets) + self.before[1] + self.after[1]


def _hour_key(column, dialect: str):
    """SQL for ``'YYYY-MM-DD HH'`` (UTC) of a naive-UTC timestamp column, on either database."""
    if dialect == "postgresql":
        return sa.func.to_char(column, "YYYY-MM-DD HH24")
    return sa.func.substr(column, 1, 13)  # SQLite stores 'YYYY-MM-DD HH:MM:SS.ffffff'


def _grouped(contest: Contest, counted_only: bool) -> list[tuple[str, int, int]]:
    """``(hour key, phase, count)`` rows; phase is -1 before opening, 0 in the window, 1 after.

    All comments come from the ``(contest_id, created_at)`` index alone; counted ones
    from the ``(contest_id, counted)`` verdict index, then their comments by key.
    """
    dialect = db.session.get_bind().dialect.name
    hour = _hour_key(Comment.created_at, dialect).label("hour")
    phase = sa.case((Comment.created_at < contest.opens_at, -1),
                    (Comment.created_at > contest.closes_at, 1), else_=0).label("phase")
    query = sa.select(hour, phase, sa.func.count())
    if counted_only:
        query = (query.select_from(Verdict).join(Comment, Comment.id == Verdict.comment_pk)
                 .where(Verdict.contest_id == contest.id, Verdict.counted.is_(True)))
    else:
        query = query.where(Comment.contest_id == contest.id)
    return [tuple(row) for row in db.session.execute(query.group_by(hour, phase))]


def _hour_counts(contest: Contest) -> list[tuple[int, int, int, int]]:
    """``(epoch hour, phase, comments, counted)`` rows, from two GROUP BY queries."""
    merged: dict[tuple[int, int], list[int]] = {}
    for index, counted_only in ((0, False), (1, True)):
        for key, phase, count in _grouped(contest, counted_only):
            hour = int(datetime.strptime(key, "%Y-%m-%d %H").replace(
                tzinfo=timezone.utc).timestamp()) // _HOUR
            merged.setdefault((hour, phase), [0, 0])[index] += count
    return [(hour, phase, n, c) for (hour, phase), (n, c) in sorted(merged.items())]


def _at(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * _HOUR, timezone.utc)


def _paris_midnight(moment: datetime, days: int = 0) -> datetime:
    """The Paris midnight starting the day of ``moment`` (plus ``days`` days), in UTC."""
    day = to_paris(moment).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, tzinfo=PARIS).astimezone(timezone.utc)


def hourly_for(contest: Contest) -> bool:
    """The one rule: per hour when the contest's window lasts at most :data:`HOURLY_SPAN`."""
    return contest.closes_at - contest.opens_at <= HOURLY_SPAN


def _frame(first: int, last: int, hourly: bool) -> list[Bucket]:
    """Empty buckets covering epoch hours ``first..last``: each hour, or each Paris day."""
    if hourly:
        return [Bucket(_at(h), _at(h + 1), True) for h in range(first, last + 1)]
    buckets, start = [], _paris_midnight(_at(first))
    while start <= _at(last):
        end = _paris_midnight(start, 1)
        buckets.append(Bucket(start, end, False))
        start = end
    return buckets


def timeline(contest: Contest, now: Optional[datetime] = None) -> Timeline:
    """The contest's comments per bucket, from opening to closing (or now, if sooner).

    A draft (no comment can be stored yet) or a contest opening later has no bucket.
    """
    result = Timeline(hourly=hourly_for(contest))
    if contest.status == "draft":
        return result
    rows = _hour_counts(contest)
    first = int(contest.opens_at.timestamp()) // _HOUR
    until = min(now or utcnow(), contest.closes_at)
    last = max([int(until.timestamp()) // _HOUR] + [h for h, phase, _n, _c in rows if phase == 0])
    if last < first:
        last = first - 1  # opens later: no bucket
    result.buckets = _frame(first, last, result.hourly)
    days = {to_paris(b.start).date(): b for b in result.buckets}
    for hour, phase, comments, counted in rows:
        if phase:
            target = result.before if phase < 0 else result.after
            target[0] += comments
            target[1] += counted
            continue
        bucket = (result.buckets[hour - first] if result.hourly
                  else days[to_paris(_at(hour)).date()])
        bucket.comments += comments
        bucket.counted += counted
    return result
