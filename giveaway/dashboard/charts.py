"""Comments and counted entries over time: hourly for two days after opening, then daily.

The database groups the contest's comments by UTC hour (a GROUP BY on the
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

from giveaway.contests.models import Contest
from giveaway.core.paris import PARIS, to_paris
from giveaway.db_types import utcnow
from giveaway.eligibility.models import Verdict
from giveaway.extensions import db
from giveaway.harvest.models import Comment

HOURLY_HOURS = 48
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

    @property
    def partial_day(self) -> bool:
        """True for a daily bucket that starts after midnight (the first one)."""
        return not self.hourly and to_paris(self.start).hour != 0


@dataclass
class Timeline:
    """The buckets in order, plus comments stamped before opening or after closing."""

    buckets: list[Bucket] = field(default_factory=list)
    before: list[int] = field(default_factory=lambda: [0, 0])
    after: list[int] = field(default_factory=lambda: [0, 0])

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


def _paris_midnight_after(moment: datetime) -> datetime:
    day = to_paris(moment).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, tzinfo=PARIS).astimezone(timezone.utc)


def _frame(first: int, last: int) -> list[Bucket]:
    """Empty buckets covering epoch hours ``first..last``: 48 hourly, then Paris days."""
    buckets = [Bucket(_at(h), _at(h + 1), True)
               for h in range(first, min(last + 1, first + HOURLY_HOURS))]
    start = _at(first + HOURLY_HOURS)
    while start <= _at(last):
        end = _paris_midnight_after(start)
        buckets.append(Bucket(start, end, False))
        start = end
    return buckets


def timeline(contest: Contest, now: Optional[datetime] = None) -> Timeline:
    """The contest's comments per bucket, from opening to closing (or now, if sooner).

    A draft (no comment can be stored yet) or a contest opening later has no bucket.
    """
    result = Timeline()
    if contest.status == "draft":
        return result
    rows = _hour_counts(contest)
    first = int(contest.opens_at.timestamp()) // _HOUR
    until = min(now or utcnow(), contest.closes_at)
    last = max([int(until.timestamp()) // _HOUR] + [h for h, phase, _n, _c in rows if phase == 0])
    if last < first:
        last = first - 1  # opens later: no bucket
    result.buckets = _frame(first, last)
    days = {to_paris(b.start).date(): b for b in result.buckets if not b.hourly}
    for hour, phase, comments, counted in rows:
        if phase:
            target = result.before if phase < 0 else result.after
            target[0] += comments
            target[1] += counted
            continue
        bucket = (result.buckets[hour - first] if hour < first + HOURLY_HOURS
                  else days[to_paris(_at(hour)).date()])
        bucket.comments += comments
        bucket.counted += counted
    return result
