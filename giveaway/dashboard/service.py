"""Counts for a partner's dashboard, read from stored evaluations (no per-comment work).

Every function here returns numbers, dates, statuses and post URLs only: no
handle, comment text or user id ever leaves this module.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from giveaway.auth.models import User
from giveaway.contests.labels import status_label
from giveaway.contests.models import Contest
from giveaway.contests.service import list_contests
from giveaway.core.paris import to_paris
from giveaway.eligibility.models import Evaluation
from giveaway.errors import NotFound
from giveaway.extensions import db
from giveaway.harvest.models import Comment, HarvestRun, ImportFile
from giveaway.harvest.service import PostCompleteness
from giveaway.partners.models import Partner

DRAWN_STATUSES = ("drawn", "archived")


@dataclass(frozen=True)
class Counts:
    """A contest's numbers as of its latest evaluation (``evaluated_at`` None: never evaluated)."""

    comments: Optional[int] = None
    participants: Optional[int] = None
    entries: Optional[int] = None
    excluded: Optional[int] = None
    by_reason: dict[str, int] = field(default_factory=dict)
    manual_exclusions: int = 0
    evaluated_at: Optional[datetime] = None

    @classmethod
    def from_evaluation(cls, evaluation: Optional[Evaluation]) -> "Counts":
        """The counts stored in an evaluation's totals, or empty counts for None."""
        if evaluation is None:
            return cls()
        totals = evaluation.totals or {}
        return cls(comments=totals.get("comments", 0), participants=totals.get("accounts", 0),
                   entries=totals.get("entries", 0), excluded=totals.get("excluded", 0),
                   by_reason=dict(totals.get("by_reason") or {}),
                   manual_exclusions=totals.get("manual_exclusions", 0),
                   evaluated_at=evaluation.evaluated_at)


@dataclass(frozen=True)
class ContestSummary:
    """One row of the partner's summary table."""

    contest: Contest
    counts: Counts


@dataclass(frozen=True)
class ContestDashboard:
    """Everything the dashboard shows about one contest."""

    contest: Contest
    counts: Counts
    posts: list[PostCompleteness]
    last_run: Optional[HarvestRun]
    last_import_at: Optional[datetime]
    live_comments: Optional[int]  # counted now, only when no evaluation exists yet
    certificate_url: Optional[str]


def _latest_evaluations(contest_ids: list[int]) -> dict[int, Evaluation]:
    """The latest evaluation of each contest, in one query."""
    if not contest_ids:
        return {}
    latest = (sa.select(sa.func.max(Evaluation.id)).where(Evaluation.contest_id.in_(contest_ids))
              .group_by(Evaluation.contest_id))
    return {e.contest_id: e for e in db.session.scalars(
        sa.select(Evaluation).where(Evaluation.id.in_(latest.scalar_subquery())))}


def summaries(partner: Partner) -> list[ContestSummary]:
    """The partner's contests, newest first, each with its latest counts (two queries)."""
    contests = list_contests(partner=partner)
    evaluations = _latest_evaluations([c.id for c in contests])
    return [ContestSummary(c, Counts.from_evaluation(evaluations.get(c.id))) for c in contests]


def partner_contest(partner: Partner, public_id: str) -> Contest:
    """The partner's contest with that public id.

    :raise NotFound: when there is none, or it is another partner's (indistinguishably).
    """
    contest = db.session.scalar(sa.select(Contest).where(
        Contest.public_id == public_id, Contest.partners.any(Partner.id == partner.id)))
    if contest is None:
        raise NotFound(_("No such contest."))
    return contest


def partner_users(partner: Partner) -> list[User]:
    """The partner's user accounts, by e-mail."""
    return list(db.session.scalars(sa.select(User).where(User.partner_id == partner.id)
                                   .order_by(User.email)))


def certificate_url(contest: Contest) -> Optional[str]:
    """The public certificate's address once the contest is drawn, else None."""
    return f"/c/{contest.public_id}" if contest.status in DRAWN_STATUSES else None


def _harvests(contest: Contest) -> tuple[list[PostCompleteness], Optional[HarvestRun]]:
    """Per post, announced (latest harvest that saw it) and stored comments; the latest run.

    Same numbers as :func:`giveaway.harvest.service.completeness`, but counted on the
    ``post_id`` index alone (not by reading each comment row of the contest).
    """
    post_ids = [post.id for post in contest.posts]
    stored = dict(db.session.execute(
        sa.select(Comment.post_id, sa.func.count()).where(Comment.post_id.in_(post_ids))
        .group_by(Comment.post_id)).all()) if post_ids else {}
    runs = list(db.session.scalars(sa.select(HarvestRun).where(
        HarvestRun.contest_id == contest.id).order_by(HarvestRun.id)))
    announced = {stats["post_id"]: stats["announced"] for run in runs
                 for stats in run.post_stats or [] if stats.get("announced") is not None}
    posts = [PostCompleteness(p.url, announced.get(p.id), stored.get(p.id, 0))
             for p in contest.posts]
    return posts, (runs[-1] if runs else None)


def contest_dashboard(contest: Contest) -> ContestDashboard:
    """Counts, completeness per post and latest harvest of one contest (a fixed few queries)."""
    counts = Counts.from_evaluation(_latest_evaluations([contest.id]).get(contest.id))
    posts, last_run = _harvests(contest)
    last_import_at = db.session.scalar(sa.select(sa.func.max(ImportFile.imported_at))
                                       .where(ImportFile.contest_id == contest.id))
    live = None if counts.evaluated_at else db.session.scalar(
        sa.select(sa.func.count()).select_from(Comment).where(Comment.contest_id == contest.id))
    return ContestDashboard(contest, counts, posts, last_run, last_import_at, live,
                            certificate_url(contest))


#: The export's columns: the ``Counts``/``Contest`` attribute each reads, and its heading.
EXPORT_COLUMNS = (
    ("contest", _l("Contest")),
    ("public_id", _l("Public id")),
    ("status", _l("State")),
    ("opens_at", _l("Opens (Paris time)")),
    ("closes_at", _l("Closes (Paris time)")),
    ("comments", _l("Comments")),
    ("participants", _l("Participants")),
    ("counted_entries", _l("Counted entries")),
    ("excluded", _l("Excluded")),
    ("counted_at", _l("Counted at (Paris time)")),
)


def _cell(value) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula is neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_paris(value).isoformat(timespec="minutes")
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(partner: Partner) -> str:
    """The summary table as CSV text (one row per contest, counts only, ISO 8601 Paris times),
    headings and states in the interface language (« tiré au sort », never ``drawn``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([str(heading) for _key, heading in EXPORT_COLUMNS])
    for row in summaries(partner):
        c, n = row.contest, row.counts
        writer.writerow([_cell(v) for v in (
            c.title, c.public_id, status_label(c.status), c.opens_at, c.closes_at, n.comments,
            n.participants, n.entries, n.excluded, n.evaluated_at)])
    return out.getvalue()
