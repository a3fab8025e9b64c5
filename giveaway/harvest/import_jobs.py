"""Large comment files imported by the background worker, with progress (:class:`ImportJob`).

The view saves the upload under ``instance/imports/`` with a random name and
records a queued job (:func:`queue_import`); the worker claims it
(:func:`claim`), reads the whole file once to check it without locking
anything (``reading``), then stores it through
:func:`~giveaway.harvest.imports.store_file`, as a small file is: one
transaction under the contest's row lock (``storing``), whole or not at all.
The job's row turns ``evaluating`` in that same transaction; the evaluation job
ends it (``done``). A refusal or a crash ends it ``failed``, with a code and
parameters worded on display (:mod:`.import_progress`); the upload is deleted.

Live counts go beside the queue (Huey's key-value store): while storing, the
job's own transaction may hold SQLite's only write lock, so progress cannot be
committed to the database. They double as the job's heartbeat: a job silent
for longer than ``LEASE`` is run again by :func:`recover_import_jobs` (at most
``MAX_ATTEMPTS`` times in all), then failed.
"""
from __future__ import annotations

import os
import secrets
import shutil
import time
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO, Optional

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError

from giveaway.contests.locking import require_comments_allowed
from giveaway.contests.models import Contest
from giveaway.db_types import utcnow
from giveaway.errors import Conflict
from giveaway.extensions import db
from giveaway.harvest.imports import file_error
from giveaway.harvest.models import ACTIVE_IMPORT_STATES, EvaluationRequest, ImportJob
from giveaway.harvest.service import active_import_job
from giveaway.sources.fileimport import ImportFileError, format_for

LEASE = timedelta(seconds=120)  # a running job silent this long has lost its worker
REQUEUE_AFTER = timedelta(minutes=10)  # a job still queued this long is queued again
MAX_ATTEMPTS = 3
BUSY_RETRY_SECONDS = 15  # the contest's lock was held too long: try again after this
ORPHAN_AGE = timedelta(hours=1)  # an upload no job waits for is deleted after this
REPORT_EVERY = 0.25  # seconds between two live progress reports
READ_BATCH = 1000


class LeaseLost(Exception):
    """Another worker took the job over (this one was presumed dead)."""


def upload_folder() -> Path:
    """``instance/imports/``, created private to the app's user."""
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def estimate_rows(fileobj: BinaryIO, filename: str) -> int:
    """How many comments the file likely holds (0 if its name is neither .csv nor .json).

    A CSV's lines less its header (a text spanning lines counts more); a JSON
    file's ``"created_at_utc"`` keys, one per comment. Reads the stream once in
    1 MiB chunks and puts it back at its start.
    """
    try:
        fmt = format_for(filename)
    except ImportFileError:
        return 0
    needle = b"\n" if fmt == "csv" else b'"created_at_utc"'
    count, tail, last = 0, b"", b""
    fileobj.seek(0)
    while chunk := fileobj.read(1 << 20):
        data = tail + chunk
        count += data.count(needle)
        tail, last = data[-(len(needle) - 1):] if len(needle) > 1 else b"", chunk[-1:]
    fileobj.seek(0)
    if fmt == "csv":
        count += 1 if last not in (b"", b"\n") else 0  # a last line without its newline
        count -= 1  # the header
    return max(count, 0)


def wants_background(estimated_rows: int) -> bool:
    """Whether a file of about this many rows is imported by the background worker."""
    return estimated_rows >= current_app.config["IMPORT_BACKGROUND_ROWS"]


def queue_import(contest: Contest, fileobj: BinaryIO, filename: str, actor: str,
                 expected_rows: int) -> ImportJob:
    """Save the upload and record a queued job for it (flushed; the caller commits, then calls
    :func:`launch`, or :func:`discard_upload` if the commit fails).

    :raise ValidationFailed: when the name is neither .csv nor .json.
    :raise Conflict: when the contest takes no comments (read under its row lock), or
        another file is being imported into it (refused by the database itself when two
        uploads race).
    """
    try:
        fmt = format_for(filename)
    except ImportFileError as exc:
        raise file_error(exc) from None
    name = f"{secrets.token_urlsafe(24)}.{fmt}"
    path = upload_folder() / name
    try:  # saved before the contest is locked: copying a large file takes a while
        fileobj.seek(0)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
            shutil.copyfileobj(fileobj, out, 1 << 20)
            size = out.tell()
        require_comments_allowed(contest)
        if active_import_job(contest) is not None:
            db.session.rollback()
            raise _busy()
        job = ImportJob(contest_id=contest.id, filename=filename[:255], stored_name=name,
                        size=size, expected_rows=expected_rows, state="queued",
                        created_by=actor, error_params={})
        db.session.add(job)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            raise _busy() from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return job


def _busy() -> Conflict:
    return Conflict(_("A file is already being imported into this contest: wait until it is "
                      "done (its progress shows on the import page)."))


def launch(job: ImportJob) -> None:
    """Queue the job for the worker (once the caller has committed it)."""
    from giveaway.jobs import enqueue
    enqueue("harvest.import", job.id)


def discard_upload(job: ImportJob) -> None:
    """Delete the job's saved upload, if it is still there."""
    (upload_folder() / job.stored_name).unlink(missing_ok=True)


def latest_job(contest: Contest) -> Optional[ImportJob]:
    """The contest's most recent background import, whatever its state."""
    return db.session.scalar(sa.select(ImportJob).where(ImportJob.contest_id == contest.id)
                             .order_by(ImportJob.id.desc()).limit(1))


def _progress_key(job_id: int) -> str:
    return f"giveaway:import-job:{job_id}"


def publish(job_id: int, rows: int, stored: int) -> None:
    """Post the job's live counts (and its heartbeat) beside the queue."""
    current_app.extensions["huey"].put(_progress_key(job_id),
                                       {"rows": rows, "stored": stored, "at": time.time()})


def live_counts(job: ImportJob) -> dict:
    """The running job's latest live counts (``rows``, ``stored``, ``at``), or ``{}``."""
    if job.state not in ("reading", "storing"):
        return {}
    return current_app.extensions["huey"].get(_progress_key(job.id), peek=True) or {}


def forget(job_id: int) -> None:
    """Drop the job's live counts (it has ended)."""
    current_app.extensions["huey"].delete(_progress_key(job_id))


def claim(job_id: int) -> Optional[str]:
    """Take the job if it is queued (committed); return its lease token, or None."""
    token, now = secrets.token_hex(8), utcnow()
    result = db.session.execute(sa.update(ImportJob).where(
        ImportJob.id == job_id, ImportJob.state == "queued").values(
        state="reading", worker_token=token, attempts=ImportJob.attempts + 1,
        started_at=sa.func.coalesce(ImportJob.started_at, now), heartbeat_at=now)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return token if result.rowcount == 1 else None


def recover_import_jobs() -> list[int]:
    """Queue again the jobs whose worker died (or fail them after ``MAX_ATTEMPTS``), and the
    jobs queued long ago that nobody took; end the jobs whose evaluation is over; delete
    uploads no job waits for. Returns the ids of the jobs queued again."""
    from giveaway.jobs import enqueue
    now, queued = utcnow(), []
    fresh = {"populate_existing": True}
    running = list(db.session.scalars(sa.select(ImportJob).where(
        ImportJob.state.in_(("reading", "storing"))).execution_options(**fresh)))
    for job in running:
        beats = [job.heartbeat_at.timestamp() if job.heartbeat_at else 0.0,
                 live_counts(job).get("at", 0.0)]
        if max(beats) > (now - LEASE).timestamp():
            continue
        exists = (upload_folder() / job.stored_name).exists()
        retry = exists and job.attempts < MAX_ATTEMPTS
        values = ({"state": "queued", "worker_token": "", "heartbeat_at": now} if retry else
                  {"state": "failed", "error_code": "interrupted", "error_params": {},
                   "ended_at": now})
        if not _update_if_unchanged(job, values):
            continue
        if retry:
            queued.append(job.id)
        else:
            discard_upload(job)
            forget(job.id)
    stale = now - REQUEUE_AFTER
    for job in list(db.session.scalars(sa.select(ImportJob).where(
            ImportJob.state == "queued",
            sa.func.coalesce(ImportJob.heartbeat_at, ImportJob.created_at) < stale)
            .execution_options(**fresh))):
        if _update_if_unchanged(job, {"heartbeat_at": now}):
            queued.append(job.id)
    _end_evaluated_jobs()
    _delete_orphan_uploads(now)
    for job_id in queued:
        enqueue("harvest.import", job_id)
    return queued


def _update_if_unchanged(job: ImportJob, values: dict) -> bool:
    """Apply ``values`` if the job is still as read (committed); False if it moved on, or
    if SQLite's write lock is held (by that very job, alive)."""
    try:
        result = db.session.execute(sa.update(ImportJob).where(
            ImportJob.id == job.id, ImportJob.state == job.state,
            ImportJob.worker_token == job.worker_token).values(**values)
            .execution_options(synchronize_session=False))
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        return False
    return result.rowcount == 1


def _end_evaluated_jobs() -> None:
    """Jobs left ``evaluating`` whose contest no longer waits for an evaluation are done."""
    waiting = sa.select(EvaluationRequest.contest_id).where(EvaluationRequest.failed_at.is_(None))
    try:
        db.session.execute(sa.update(ImportJob).where(
            ImportJob.state == "evaluating", ImportJob.contest_id.not_in(waiting))
            .values(state="done", ended_at=utcnow()).execution_options(synchronize_session=False))
        db.session.commit()
    except OperationalError:
        db.session.rollback()


def _delete_orphan_uploads(now) -> None:
    """Delete uploads older than ``ORPHAN_AGE`` that no queued or running job names."""
    waiting = set(db.session.scalars(sa.select(ImportJob.stored_name).where(
        ImportJob.state.in_(ACTIVE_IMPORT_STATES))))
    limit = (now - ORPHAN_AGE).timestamp()
    for path in upload_folder().iterdir():
        if path.name not in waiting and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
