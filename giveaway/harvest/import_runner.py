"""The background import job's body: read the saved upload, store it, hand over to the evaluation.

See :mod:`giveaway.harvest.import_jobs` for the states and the queue side. The
job's row is only written by the worker holding its lease token, so a worker
presumed dead that wakes up cannot overwrite what its successor recorded.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import sqlalchemy as sa

from giveaway.contests.locking import ContestBusy, StateRefused
from giveaway.contests.models import Contest
from giveaway.db_maintenance import analyze
from giveaway.db_types import utcnow
from giveaway.errors import Conflict, NotFound
from giveaway.extensions import db
from giveaway.harvest.import_jobs import (BUSY_RETRY_SECONDS, READ_BATCH, REPORT_EVERY,
                                          LeaseLost, forget, publish, upload_folder)
from giveaway.harvest.imports import store_file
from giveaway.harvest.models import ImportJob
from giveaway.sources.fileimport import CommentFile, ImportFileError, format_for

log = logging.getLogger(__name__)


class ImportRun:
    """One worker's run of a claimed job: read, store, hand over to the evaluation."""

    def __init__(self, job_id: int, token: str):
        self.job_id, self.token = job_id, token
        self._reported = 0.0
        self.ended = True  # False: the upload is still needed (retried, or taken over)

    def run(self) -> None:
        """Run the job to its end; every outcome is recorded on the job, none raised."""
        job = db.session.get(ImportJob, self.job_id)
        if job is None:
            return  # its contest was deleted, and the job with it
        path = upload_folder() / job.stored_name
        try:
            self._run(job, path)
        except ImportFileError as exc:
            self._fail("file", {"line": exc.line, "code": exc.code, "field": exc.field,
                                "params": exc.params})
        except ContestBusy:
            self._retry_later()
        except StateRefused:
            self._fail("refused", {"status": str(db.session.scalar(
                sa.select(Contest.status).where(Contest.id == job.contest_id)) or "")})
        except NotFound:
            db.session.rollback()  # the contest was deleted, and its jobs with it
        except Conflict as exc:
            self._fail("conflict", {"message": exc.message})
        except FileNotFoundError:
            self._fail("missing", {})
        except LeaseLost:
            db.session.rollback()
            self.ended = False
            log.warning("import job %s was taken over by another worker", self.job_id)
        except Exception as exc:
            log.exception("import job %s failed", self.job_id)
            self._fail("crashed", {"error": exc.__class__.__name__})
        finally:
            if self.ended:
                path.unlink(missing_ok=True)
                forget(self.job_id)

    def _run(self, job: ImportJob, path: Path) -> None:
        contest_id, filename, actor = job.contest_id, job.filename, job.created_by
        rows = self._read(path, filename, job.expected_rows)
        self._update(state="storing", rows_read=rows, heartbeat_at=utcnow())
        db.session.commit()
        contest = db.session.get(Contest, contest_id)
        if contest is None:
            raise NotFound("gone")
        with open(path, "rb") as fileobj:
            record = store_file(contest, fileobj, filename, actor, self._report,
                                expected_rows=rows)
        now = utcnow()  # under the contest's lock: what an evaluation started later includes
        self._update(state="evaluating", rows_read=record.rows, import_id=record.id,
                     comments_stored=record.comments_new + record.comments_seen,
                     comments_new=record.comments_new, stored_at=now, heartbeat_at=now)
        db.session.commit()
        analyze("comment")
        db.session.commit()
        from giveaway.jobs import enqueue
        enqueue("eligibility.evaluate", contest_id)

    def _read(self, path: Path, filename: str, expected: int) -> int:
        """Check the whole file, locking nothing; return its comment count.

        :raise ImportFileError: at its first malformed line.
        """
        with open(path, "rb") as fileobj:
            parsed = CommentFile(fileobj, format_for(filename), expected_rows=expected or None)
            for _batch in parsed.batches(READ_BATCH):
                self._report(parsed.rows, 0)
        self._report(parsed.rows, 0, force=True)
        return parsed.rows

    def _report(self, rows: int, stored: int, force: bool = False) -> None:
        if force or time.monotonic() - self._reported >= REPORT_EVERY:
            self._reported = time.monotonic()
            publish(self.job_id, rows, stored)

    def _update(self, **values) -> None:
        """Update the job in the current transaction if this worker still holds it.

        :raise LeaseLost: otherwise (rolled back).
        """
        result = db.session.execute(sa.update(ImportJob).where(
            ImportJob.id == self.job_id, ImportJob.worker_token == self.token).values(**values)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:
            db.session.rollback()
            raise LeaseLost()

    def _fail(self, code: str, params: dict) -> None:
        db.session.rollback()
        try:
            self._update(state="failed", error_code=code, error_params=params,
                         ended_at=utcnow())
        except LeaseLost:
            self.ended = False
            return
        db.session.commit()

    def _retry_later(self) -> None:
        """The contest stayed locked by another write: queue the job again, a while later."""
        from giveaway.jobs import enqueue
        self.ended = False
        db.session.rollback()
        try:
            self._update(state="queued", worker_token="", attempts=ImportJob.attempts - 1)
        except LeaseLost:
            return
        db.session.commit()
        enqueue("harvest.import", self.job_id, delay=BUSY_RETRY_SECONDS)
