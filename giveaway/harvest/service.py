"""Starting, resuming and describing harvests. The job body is in :mod:`.runner`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from giveaway.audit import service as audit
from giveaway.contests.locking import VERDICT_STATES, require_comments_allowed
from giveaway.contests.models import Contest
from giveaway.db_types import utcnow
from giveaway.errors import Conflict, NotFound
from giveaway.extensions import db
from giveaway.harvest.ig_session import current_session
from giveaway.harvest.models import (ACTIVE_IMPORT_STATES, ACTIVE_RUN_STATUSES, Comment,
                                     EvaluationRequest, HarvestRun, ImportJob)


def active_run(contest: Contest) -> Optional[HarvestRun]:
    """The contest's queued, running, waiting or paused harvest, if any."""
    return db.session.scalar(sa.select(HarvestRun).where(
        HarvestRun.contest_id == contest.id, HarvestRun.status.in_(ACTIVE_RUN_STATUSES)))


def active_import_job(contest: Contest) -> Optional[ImportJob]:
    """The contest's file import queued or running in the background, if any."""
    return db.session.scalar(sa.select(ImportJob).where(
        ImportJob.contest_id == contest.id, ImportJob.state.in_(ACTIVE_IMPORT_STATES)))


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


@dataclass(frozen=True)
class EvaluationState:
    """Whether the contest's verdicts are being recomputed (the totals shown are older),
    or the last try failed, and since when comments wait for it."""

    pending: bool = False
    failed: bool = False
    since: Optional[datetime] = None


def request_evaluation(contest_id: int) -> None:
    """Record, in the caller's transaction, that the contest's verdicts must be recomputed."""
    dialect = db.session.connection().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    db.session.execute(insert(EvaluationRequest).values(
        contest_id=contest_id, requested_at=now, failed_at=None).on_conflict_do_update(
        index_elements=["contest_id"], set_={"requested_at": now, "failed_at": None}))


def evaluation_state(contest: Contest,
                     evaluated_at: Optional[datetime] = None) -> EvaluationState:
    """Whether an evaluation of the contest is queued or running, or failed.

    Past the freeze nothing is pending: the freeze judged every comment itself. Given
    the time of the latest evaluation, one done after the request (staff recomputed the
    verdicts themselves) settles it too.
    """
    request = db.session.get(EvaluationRequest, contest.id, populate_existing=True)
    if request is None or contest.status not in VERDICT_STATES or (
            evaluated_at is not None and evaluated_at >= request.requested_at):
        return EvaluationState()
    return EvaluationState(pending=request.failed_at is None, failed=request.failed_at is not None,
                           since=request.requested_at)


def evaluation_settled(contest_id: int, started: datetime) -> None:
    """After an evaluation that began at ``started`` (no commit): every comment stored before
    then is judged. Clears the request unless a newer one came, and ends the import jobs
    that waited for it."""
    db.session.execute(sa.delete(EvaluationRequest).where(
        EvaluationRequest.contest_id == contest_id, EvaluationRequest.requested_at <= started))
    db.session.execute(sa.update(ImportJob).where(
        ImportJob.contest_id == contest_id, ImportJob.state == "evaluating",
        ImportJob.stored_at <= started).values(state="done", ended_at=utcnow())
        .execution_options(synchronize_session=False))


def evaluation_failed(contest_id: int) -> None:
    """Record (no commit) that the contest's evaluation could not be done: staff must rerun it."""
    db.session.execute(sa.update(EvaluationRequest).where(
        EvaluationRequest.contest_id == contest_id).values(failed_at=utcnow()))


def harvest_panel(contest: Contest) -> dict:
    """What the contest page shows about harvests: latest run, completeness, counts, imports,
    the import running in the background and whether the verdicts are being recomputed."""
    from giveaway.eligibility.service import latest_evaluation
    from giveaway.harvest.import_progress import progress_of, progress_text  # built on this module
    from giveaway.harvest.models import ImportFile
    run = latest_run(contest)
    evaluation = latest_evaluation(contest)
    state = evaluation_state(contest, evaluation.evaluated_at if evaluation else None)
    job = db.session.scalar(sa.select(ImportJob).where(
        ImportJob.contest_id == contest.id,
        ImportJob.state.in_(ACTIVE_IMPORT_STATES + ("evaluating",)))
        .order_by(ImportJob.id.desc()).limit(1))
    progress = progress_of(job, state) if job is not None else None
    if progress is not None and progress.finished:
        job = progress = None
    return {
        "import_job": job,
        "import_progress": progress,
        "import_text": progress_text(progress) if progress is not None else "",
        "evaluation_state": state,
        "run": run,
        "eta": eta_seconds(run, contest) if run else None,
        "completeness": completeness(contest),
        "counts": comment_counts(contest),
        "imports": list(db.session.scalars(sa.select(ImportFile).where(
            ImportFile.contest_id == contest.id).order_by(ImportFile.id.desc()))),
        "connected": current_session() is not None,
        "evaluation": evaluation,
        "active": run is not None and run.status in ACTIVE_RUN_STATUSES,
    }
