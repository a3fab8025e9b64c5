"""A background import's progress in words and numbers: for its page and its JSON endpoint.

Codes in, words out: the job records its state and counts, and a failure as a
code with parameters; this module words them in the interface language. The
JSON carries no file name, no person and no text from the file: only the
phase, the counts and the sentence built from them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext

from giveaway.contests.labels import status_label
from giveaway.contests.locking import FROZEN_STATES
from giveaway.contests.models import Contest
from giveaway.db_types import utcnow
from giveaway.harvest import import_jobs
from giveaway.harvest.imports import file_error
from giveaway.harvest.models import ImportJob
from giveaway.harvest.service import EvaluationState, evaluation_state
from giveaway.sources.fileimport import ImportFileError

#: Share of the bar for reading the file; storing fills the rest up to ``STORED``.
READ_SHARE, STORED = 10, 95
#: A job still queued this long after it was sent (or last taken) says the worker is late.
LATE = timedelta(minutes=1)


@dataclass(frozen=True)
class ImportProgress:
    """Where a background import stands.

    ``phase`` is the job's state, except that an ``evaluating`` job whose
    contest no longer waits for an evaluation is ``done``.
    """

    phase: str
    rows_read: int
    expected_rows: int
    stored: int
    new: int
    percent: int
    late: bool = False  # queued for long: no worker seems to be running

    @property
    def finished(self) -> bool:
        return self.phase in ("done", "failed")


def progress_of(job: ImportJob, evaluation: EvaluationState) -> ImportProgress:
    """The job's progress: its recorded counts, or the live ones while it runs."""
    live = import_jobs.live_counts(job)
    phase = job.state
    if phase == "evaluating" and not evaluation.pending:
        phase = "done"
    rows = max(job.rows_read, live.get("rows", 0))
    stored = max(job.comments_stored, live.get("stored", 0))
    expected = max(job.expected_rows, rows, 1)
    if phase == "reading":
        percent = READ_SHARE * rows // expected
    elif phase == "storing":
        percent = READ_SHARE + (STORED - READ_SHARE) * stored // max(job.rows_read, stored, 1)
    elif phase in ("evaluating", "done"):
        percent = 100
    else:
        percent = 0
    late = phase == "queued" and utcnow() - (job.heartbeat_at or job.created_at) > LATE
    return ImportProgress(phase=phase, rows_read=rows, expected_rows=job.expected_rows,
                          stored=stored, new=job.comments_new, percent=min(percent, 100),
                          late=late)


def _n(value: int) -> str:
    return format_decimal(value)


def progress_text(progress: ImportProgress) -> str:
    """One sentence: « 12 000 lignes lues sur ~60 000 », « évaluation en cours »…"""
    phase, rows, stored = progress.phase, progress.rows_read, progress.stored
    if phase == "queued" and progress.late:
        return _("The background work has not started yet. If it does not start within a few "
                 "minutes, tell your administrator (the « flask worker » service must be "
                 "running).")
    if phase == "queued":
        return _("Waiting for the background worker to start…")
    if phase == "reading":
        return ngettext("%(count)s row read of about %(total)s",
                        "%(count)s rows read of about %(total)s", rows, count=_n(rows),
                        total=_n(max(progress.expected_rows, rows)))
    if phase == "storing":
        return ngettext("%(count)s comment stored of %(total)s",
                        "%(count)s comments stored of %(total)s", stored, count=_n(stored),
                        total=_n(max(rows, stored)))
    if phase == "evaluating":
        return ngettext("%(count)s comment stored; evaluation in progress…",
                        "%(count)s comments stored; evaluation in progress…", stored,
                        count=_n(stored))
    if phase == "done":
        return ngettext("Done: %(count)s comment imported (new: %(new)s).",
                        "Done: %(count)s comments imported (new: %(new)s).", stored,
                        count=_n(stored), new=_n(progress.new))
    return _("The import failed.")


def error_text(job: ImportJob) -> str:
    """Why the job failed, in words (naming the line for a malformed file)."""
    code, params = job.error_code, job.error_params or {}
    if code == "file":
        exc = ImportFileError(params.get("line") or 0, "", code=params.get("code") or "invalid",
                              field=params.get("field"), **(params.get("params") or {}))
        return file_error(exc).errors["file"]
    if code == "refused":
        status = params.get("status", "")
        if status in FROZEN_STATES:
            return _("The file was not imported: the entries of this contest were frozen "
                     "before it could be stored. Nothing of it was stored.")
        return _("The file was not imported: a %(status)s contest does not take comments.",
                 status=status_label(status))
    if code == "conflict":
        return _("The file was not imported: %(reason)s", reason=params.get("message", ""))
    if code == "missing":
        return _("The uploaded file could not be found any more. Nothing of it was stored: "
                 "import it again.")
    if code == "interrupted":
        return _("The import stopped: the background worker was interrupted several times. "
                 "Nothing of the file was stored: import it again.")
    return _("The import failed on an unexpected error. Nothing of the file was stored: "
             "import it again, and tell your administrator if it happens again.")


def progress_payload(contest: Contest, job: Optional[ImportJob]) -> dict:
    """What the progress endpoint answers: the latest job's progress (or None) and whether
    the contest's verdicts are being recomputed. No personal data, no file name."""
    evaluation = evaluation_state(contest)
    payload: dict = {"job": None, "evaluation": {"pending": evaluation.pending,
                                                 "failed": evaluation.failed}}
    if job is not None:
        progress = progress_of(job, evaluation)
        payload["job"] = {"id": job.id, "phase": progress.phase, "percent": progress.percent,
                          "rows_read": progress.rows_read,
                          "expected_rows": progress.expected_rows,
                          "comments_stored": progress.stored, "finished": progress.finished,
                          "text": progress_text(progress)}
    return payload
