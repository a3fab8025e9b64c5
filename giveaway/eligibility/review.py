"""The review table: comments with their verdicts, filtered and paginated, and its CSV export."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Iterator, Optional

import sqlalchemy as sa

from giveaway.contests.models import Contest
from giveaway.eligibility.models import Evaluation, Verdict, VerdictFlag, VerdictReason
from giveaway.extensions import db
from giveaway.harvest.models import Comment
from giveaway.harvest.service import EvaluationState, evaluation_state

PAGE_SIZE = 50
#: The last page number asked for that is read as such (50 million rows); a larger one
#: is read as "the last page", as is any page past the end.
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class ReviewFilter:
    """What the reviewer asked for; every field optional."""

    verdict: str = ""  # "counted" | "excluded" | "manual"
    reason: str = ""
    flag: str = ""  # a flag code, or "code:group" for the comments flagged together
    search: str = ""  # part of a handle or of the text

    def indexed(self, contest_id: int) -> list[tuple[type, list]]:
        """The reason and flag conditions, each on its indexed table (reason first)."""
        found: list[tuple[type, list]] = []
        if self.reason:
            found.append((VerdictReason, [VerdictReason.contest_id == contest_id,
                                          VerdictReason.reason == self.reason]))
        if self.flag:
            code, _, group = self.flag.partition(":")
            conditions = [VerdictFlag.contest_id == contest_id, VerdictFlag.code == code]
            if group:
                conditions.append(VerdictFlag.flag_group == group)
            found.append((VerdictFlag, conditions))
        return found

    def apply(self, query: sa.Select) -> sa.Select:
        """Add the verdict and search conditions (reasons and flags are ``_ordered``'s)."""
        if self.verdict == "counted":
            query = query.where(Verdict.counted.is_(True))
        elif self.verdict == "excluded":
            query = query.where(Verdict.counted.is_(False))
        elif self.verdict == "manual":
            query = query.where(Verdict.manual.is_not(None))
        if self.search:
            needle = self.search.strip().lstrip("@")
            query = query.where(sa.or_(Comment.username.icontains(needle, autoescape=True),
                                       Comment.text.icontains(needle, autoescape=True)))
        return query


def _ordered(contest: Contest, review: ReviewFilter) -> sa.Select:
    """The filtered rows in comment time order.

    Filtered by reason or flag, the query starts from that reason's (or flag's)
    index range, already in (time, comment) order: a rare reason's first page
    is found without walking every comment of the contest. A second one is a
    lookup in its own table.
    """
    query = sa.select(Comment, Verdict)
    indexed = review.indexed(contest.id)
    if indexed:
        (driver, conditions), others = indexed[0], indexed[1:]
        query = (query.select_from(driver)
                 .join(Comment, Comment.id == driver.comment_pk)
                 .join(Verdict, Verdict.comment_pk == Comment.id)
                 .where(*conditions).order_by(driver.created_at, driver.comment_pk))
        for table, more in others:
            query = query.where(Comment.id.in_(sa.select(table.comment_pk).where(*more)))
    else:
        query = (query.outerjoin(Verdict, Verdict.comment_pk == Comment.id)
                 .order_by(Comment.created_at, Comment.id))
    return review.apply(query.where(Comment.contest_id == contest.id))


@dataclass(frozen=True)
class ReviewPage:
    """One page of rows (comment, verdict or None), whether another page follows, and
    whether the verdicts are being recomputed (then they, and the totals, are older than
    the latest comments)."""

    rows: list
    page: int
    has_next: bool
    evaluation_state: EvaluationState = EvaluationState()


def review_page(contest: Contest, review: ReviewFilter, page: int = 1) -> ReviewPage:
    """Return page ``page`` (1-based) in comment time order; past the end, the last page."""
    page = min(max(page, 1), MAX_PAGE)
    query = _ordered(contest, review)
    rows = db.session.execute(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    if not rows and page > 1:  # counted only then: the table never counts on its way
        total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        page = max(1, -(-total // PAGE_SIZE))
        rows = db.session.execute(query.offset((page - 1) * PAGE_SIZE)
                                  .limit(PAGE_SIZE + 1)).all()
    evaluated_at = db.session.scalar(sa.select(sa.func.max(Evaluation.evaluated_at)).where(
        Evaluation.contest_id == contest.id))
    return ReviewPage(rows=rows[:PAGE_SIZE], page=page, has_next=len(rows) > PAGE_SIZE,
                      evaluation_state=evaluation_state(contest, evaluated_at))


def flag_codes(verdict: Optional[Verdict]) -> list[tuple[str, str]]:
    """A verdict's flags as (code, group) pairs."""
    if verdict is None:
        return []
    return [tuple(item.split(":", 1)) for item in verdict.flags.strip(",").split(",") if item]


def reason_codes(verdict: Optional[Verdict]) -> list[str]:
    """A verdict's reason codes, in the engine's fixed order."""
    return [code for code in verdict.reasons.strip(",").split(",") if code] if verdict else []


EXPORT_HEADER = ["comment_id", "network", "user_id", "username", "created_at", "verdict",
                 "reasons", "flags", "manual", "entry_key"]


def export_rows(contest: Contest, review: ReviewFilter = ReviewFilter()) -> Iterator[str]:
    """The CSV export, one line at a time (streamed; one row per comment)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")

    def flush() -> str:
        value = out.getvalue()
        out.seek(0)
        out.truncate()
        return value

    writer.writerow(EXPORT_HEADER)
    yield flush()
    query = _ordered(contest, review)
    result = db.session.execute(query.execution_options(yield_per=5000))
    try:
        for comment, verdict in result:
            writer.writerow([
                comment.comment_id, comment.network, comment.user_id,
                _neutralise(comment.username), comment.created_at.isoformat(),
                "" if verdict is None else ("counted" if verdict.counted else "excluded"),
                " ".join(reason_codes(verdict)),
                " ".join(code for code, _group in flag_codes(verdict)),
                (verdict.manual or "") if verdict else "",
                (verdict.entry_key or "") if verdict else ""])
            yield flush()
    finally:
        result.close()


def _neutralise(value: str) -> str:
    """Keep a spreadsheet from running a cell that starts like a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
