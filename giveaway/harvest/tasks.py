"""Background jobs of the harvest feature (registered in :mod:`giveaway.jobs`)."""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Optional

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import OperationalError

from giveaway.db_types import utcnow
from giveaway.contests.locking import ContestBusy, StateRefused
from giveaway.errors import ServiceError
from giveaway.extensions import db
from giveaway.harvest import ig_session, import_jobs
from giveaway.harvest.import_runner import ImportRun
from giveaway.harvest.models import EvaluationRequest, HarvestRun
from giveaway.harvest.runner import HarvestJob, LeaseLost, claim, claimable
from giveaway.harvest.service import request_evaluation, stale_before
from giveaway.sources import instagram

log = logging.getLogger(__name__)

#: An evaluation asked for this long ago and neither done nor failed is queued again
#: (its job was lost, or its worker died).
EVALUATION_REQUEUE_AFTER = timedelta(minutes=10)


def make_instagram_client():
    """An instagrapi client on the stored session, routed per configuration."""
    config = current_app.config
    return instagram.make_client(ig_session.load_settings(), api_base=config.get("IG_API_BASE"),
                                 timeout=config["IG_TIMEOUT"],
                                 delay_range=config.get("IG_DELAY_RANGE"))


def run_harvest_job(run_id: int, token: Optional[str] = None) -> None:
    """Claim run ``run_id`` (unless ``token`` says it is already ours) and harvest until
    it ends, pauses, must wait, or its contest stops taking comments."""
    token = token or claim(run_id)
    if token is None:
        return  # another worker has it, or it is no longer queued
    job = HarvestJob(run_id, token)
    try:
        client = make_instagram_client()
    except ServiceError as exc:
        job.pause("login_required", exc.message)
        return
    try:
        job.run_posts(client)
    except LeaseLost:
        log.warning("harvest run %s was taken over by another worker", run_id)
    except ContestBusy as exc:  # a long write (an import, a freeze) held the contest
        log.info("harvest run %s postponed: its contest is busy", run_id)
        try:
            job.postpone(exc.message)
        except LeaseLost:
            pass
    except StateRefused as exc:  # the contest was frozen (…) under the run: nothing stored since
        log.info("harvest run %s stopped: its contest no longer takes comments", run_id)
        try:
            job.refuse(exc.message)
        except LeaseLost:
            pass
    except Exception as exc:
        db.session.rollback()
        log.exception("harvest run %s failed", run_id)
        db.session.execute(sa.update(HarvestRun).where(
            HarvestRun.id == run_id, HarvestRun.worker_token == token)
            .values(status="failed", end_reason="error", ended_at=utcnow(),
                    last_error=f"{exc.__class__.__name__}: {exc}"[:2000]))
        db.session.commit()
    finally:
        instagram.close_client(client)


def recover_orphaned_runs() -> list[int]:
    """Re-queue runs whose worker died (no heartbeat within the lease); return their ids."""
    from giveaway.jobs import enqueue
    now = utcnow()
    run_ids = list(db.session.scalars(sa.select(HarvestRun.id).where(
        claimable(now),
        sa.or_(HarvestRun.heartbeat_at.is_(None), HarvestRun.heartbeat_at < now - stale_before()))
        .order_by(HarvestRun.id)))
    for run_id in run_ids:
        enqueue("harvest.run", run_id)
    return run_ids


def run_import_job(job_id: int) -> None:
    """Claim background import ``job_id`` and run it to its end (see :mod:`.import_jobs`)."""
    token = import_jobs.claim(job_id)
    if token is None:
        return  # another worker has it, or it is no longer queued
    ImportRun(job_id, token).run()


def recover_import_jobs() -> list[int]:
    """Periodic: :func:`giveaway.harvest.import_jobs.recover_import_jobs`."""
    return import_jobs.recover_import_jobs()


def evaluation_queued(contest_id: int) -> None:
    """Record that the contest's evaluation was queued (committed), so its totals show as
    being recomputed. Called by :func:`giveaway.jobs.enqueue`, after the caller's commit.

    Best effort: on SQLite a long write elsewhere may hold the only write lock; the
    evaluation is queued anyway (imports also record it in their own transaction).
    """
    try:
        request_evaluation(contest_id)
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        log.warning("could not mark contest %s as waiting for its evaluation", contest_id)


def recover_evaluations() -> list[int]:
    """Periodic: queue again the evaluations asked for long ago and still neither done nor
    failed; return their contests' ids."""
    from giveaway.jobs import enqueue
    contest_ids = list(db.session.scalars(sa.select(EvaluationRequest.contest_id).where(
        EvaluationRequest.failed_at.is_(None),
        EvaluationRequest.requested_at < utcnow() - EVALUATION_REQUEUE_AFTER)))
    for contest_id in contest_ids:
        enqueue("eligibility.evaluate", contest_id)
    return contest_ids
