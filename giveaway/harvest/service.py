"""Starting, resuming and describing harvests. The job body is in :mod:`.runner`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from giveaway.audit import service as audit
from giveaway.contests.locking import require_comments_allowed
from giveaway.contests.models import Contest
from giveaway.db_types import utcnow
from giveaway.errors import Conflict, NotFound
from giveaway.extensions import db
from giveaway.harvest.ig_session import current_session
from giveaway.harvest.models import ACTIVE_RUN_STATUSES, Comment, HarvestRun


def active_run(contest: Contest) -> Optional[HarvestRun]:
    """The contest's queued, running, waiting or paused harvest, if any."""
    return db.session.scalar(sa.select(HarvestRun).where(
        HarvestRun.contest_id == contest.id, HarvestRun.status.in_(ACTIVE_RUN_STATUSES)))


def latest_run(contest: Contest) -> Optional[HarvestRun]:
    """The contest's most recent harvest, whatever its state."""
    return db.session.scalar(sa.select(HarvestRun).where(HarvestRun.contest_id == contest.id)
                             .order_by(HarvestRun.id.desc()).limit(1))


def harvest_runs(contest: Contest) -> list[HarvestRun]:
    """Every harvest of the contest, oldest first (their times go on the certificate)."""
    return list(db.session.scalars(sa.select(HarvestRun).where(HarvestRun.contest_id == contest.id)
                                   .order_by(HarvestRun.id)))


def start_harvest(contest: Contest, actor: str, include_replies: bool = False,
                  queue: bool = True) -> HarvestRun:
    """Queue a harvest of every post of the contest and return its run.

    With ``queue=False`` the run is only recorded (``queued``) for the caller
    to run itself (``flask harvest --wait``).

    :raise Conflict: when another harvest of this contest is under way (the
        database refuses a second active run even when two start at once), when
        no Instagram account is connected, or when the contest takes no comments
        (read under the contest's row lock, so a freeze racing the start comes
        wholly before or after it: a freeze never sees no active run and then one).
    """
    require_comments_allowed(contest)
    if current_session() is None:
        db.session.rollback()
        raise Conflict(_("Connect an Instagram account before harvesting."))
    if active_run(contest) is not None:
        db.session.rollback()
        raise Conflict(_("A harvest of this contest is already under way."))
    run = HarvestRun(contest_id=contest.id, status="queued", started_by=actor,
                     include_replies=include_replies, post_stats=[], errors=[])
    db.session.add(run)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("A harvest of this contest is already under way.")) from None
    audit.append(actor, "harvest.start", "contest", contest.public_id,
                 {"run": run.id, "include_replies": include_replies})
    db.session.commit()
    if queue:
        from giveaway.jobs import enqueue
        enqueue("harvest.run", run.id)
    return run


def resume_harvest(run: HarvestRun, actor: str) -> HarvestRun:
    """Queue a paused, waiting or stopped run again from its checkpoint.

    :raise Conflict: when the run is running or complete, or when its contest no
        longer takes comments (read under the contest's row lock: a harvest cannot
        be resumed into a frozen contest).
    """
    if run.status not in ("paused", "waiting", "stopped", "failed"):
        raise Conflict(_("This harvest cannot be resumed."))
    require_comments_allowed(db.session.get(Contest, run.contest_id))
    result = db.session.execute(sa.update(HarvestRun).where(
        HarvestRun.id == run.id, HarvestRun.status == run.status).values(status="queued")
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(_("This harvest changed in the meantime; reload the page."))
    audit.append(actor, "harvest.resume", "harvest_run", run.id, {})
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_("A harvest of this contest is already under way.")) from None
    db.session.refresh(run)
    from giveaway.jobs import enqueue
    enqueue("harvest.run", run.id)
    return run


def get_run(run_id: int) -> HarvestRun:
    """:raise NotFound: when there is no such run."""
    run = db.session.get(HarvestRun, run_id)
    if run is None:
        raise NotFound(_("No such harvest."))
    return run


@dataclass(frozen=True)
class PostCompleteness:
    """Announced versus stored comments for one post."""

    url: str
    announced: Optional[int]
    harvested: int


def completeness(contest: Contest) -> list[PostCompleteness]:
    """Per post: Instagram's announced count (latest harvest) and comments stored."""
    post_ids = [p.id for p in contest.posts]
    stored = dict(db.session.execute(  # by post_id alone: its index answers without the rows
        sa.select(Comment.post_id, sa.func.count()).where(Comment.post_id.in_(post_ids))
        .group_by(Comment.post_id)).all()) if post_ids else {}
    announced: dict[int, int] = {}
    runs = db.session.scalars(sa.select(HarvestRun).where(HarvestRun.contest_id == contest.id)
                              .order_by(HarvestRun.id))
    for run in runs:
        for stats in run.post_stats or []:
            if stats.get("announced") is not None:
                announced[stats["post_id"]] = stats["announced"]
    return [PostCompleteness(p.url, announced.get(p.id), stored.get(p.id, 0))
            for p in contest.posts]


def eta_seconds(run: HarvestRun, contest: Contest) -> Optional[int]:
    """A rough time left for a running harvest, from its rate so far, or None."""
    if run.status != "running" or not run.started_at or run.comments_new + run.comments_seen == 0:
        return None
    total = sum(s.get("announced") or 0 for s in run.post_stats or [])
    done = run.comments_new + run.comments_seen
    if total <= done:
        return None
    elapsed = (utcnow() - run.started_at).total_seconds()
    return int(elapsed / done * (total - done))


def stale_before() -> timedelta:
    """How long a running harvest may go without a heartbeat before it is re-queued."""
    return timedelta(seconds=current_app.config["HARVEST_LEASE_SECONDS"])


def comment_counts(contest: Contest) -> dict[str, int]:
    """Comments stored for the contest, distinct authors, and comments that disappeared."""
    row = db.session.execute(sa.select(
        sa.func.count(), sa.func.count(sa.distinct(Comment.network + ":" + Comment.user_id)),
        sa.func.count(Comment.disappeared_at)).where(Comment.contest_id == contest.id)).one()
    return {"comments": row[0], "accounts": row[1], "disappeared": row[2]}


def harvest_panel(contest: Contest) -> dict:
    """What the contest page shows about harvests: latest run, completeness, counts, imports."""
    from giveaway.eligibility.service import latest_evaluation
    from giveaway.harvest.models import ImportFile
    run = latest_run(contest)
    return {
        "run": run,
        "eta": eta_seconds(run, contest) if run else None,
        "completeness": completeness(contest),
        "counts": comment_counts(contest),
        "imports": list(db.session.scalars(sa.select(ImportFile).where(
            ImportFile.contest_id == contest.id).order_by(ImportFile.id.desc()))),
        "connected": current_session() is not None,
        "evaluation": latest_evaluation(contest),
        "active": run is not None and run.status in ACTIVE_RUN_STATUSES,
    }
