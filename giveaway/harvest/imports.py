"""Import comments from a CSV or JSON file into a contest: whole or not at all.

Small files are imported within the request (:func:`import_comments`); large
ones by a background job (:mod:`giveaway.harvest.import_jobs`). Both store
through :func:`store_file`, in one transaction under the contest's row lock.
"""
from __future__ import annotations

from typing import BinaryIO, Callable, Optional

from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.locking import require_comments_allowed
from giveaway.contests.models import Contest
from giveaway.db_maintenance import analyze
from giveaway.db_types import utcnow
from giveaway.errors import Conflict, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.import_messages import import_error_text
from giveaway.harvest.models import ImportFile
from giveaway.harvest.service import active_import_job, request_evaluation
from giveaway.harvest.store import StoreCount, store_comments
from giveaway.sources.fileimport import CommentFile, ImportFileError, format_for

BATCH_SIZE = 5000

#: Called after each stored batch with (rows read so far, comments stored so far).
Progress = Callable[[int, int], None]


def file_error(exc: ImportFileError) -> ValidationFailed:
    """The refusal of a malformed file, naming its line, on the form's file field."""
    where = _("line %(n)d: ", n=exc.line) if exc.line else ""
    return ValidationFailed({"file": _("The file was not imported (%(where)s%(reason)s).",
                                       where=where, reason=import_error_text(exc))})


def store_file(contest: Contest, fileobj: BinaryIO, filename: str, actor: str,
               progress: Optional[Progress] = None,
               expected_rows: Optional[int] = None) -> ImportFile:
    """Store every comment of the file in the caller's transaction (no commit); return its record.

    The contest's row lock is taken first and held until the caller commits; the
    state is checked again before each batch is stored, so a freeze racing the
    import comes wholly before it or after it. The contest is marked as waiting
    for an evaluation in the same transaction.

    :raise ImportFileError: at the first malformed line (rolled back: nothing stored).
    :raise Conflict: when the contest takes no comments, or a comment id is stored
        under another network (rolled back).
    """
    require_comments_allowed(contest)
    try:
        parsed = CommentFile(fileobj, format_for(filename), expected_rows=expected_rows)
        record = ImportFile(contest_id=contest.id, filename=filename[:255], sha256="",
                            imported_by=actor)
        db.session.add(record)
        db.session.flush()
        now, count = utcnow(), StoreCount()
        for batch in parsed.batches(BATCH_SIZE):
            count += store_comments(contest.id, batch, now, import_id=record.id)
            if progress is not None:
                progress(parsed.rows, count.new + count.seen)
    except BaseException:
        db.session.rollback()
        raise
    record.sha256, record.rows = parsed.sha256, parsed.rows
    record.comments_new, record.comments_seen = count.new, count.seen
    request_evaluation(contest.id)
    audit.append(actor, "comments.import", "contest", contest.public_id,
                 {"file": record.filename, "sha256": record.sha256, "rows": record.rows,
                  "new": count.new, "seen": count.seen, "duplicates": parsed.duplicates})
    db.session.flush()
    return record


def import_comments(contest: Contest, fileobj: BinaryIO, filename: str, actor: str,
                    progress: Optional[Callable[[int], None]] = None) -> ImportFile:
    """Import every comment of the file now and return the import's record (committed).

    ``progress``, if given, is called with the number of rows read so far. The
    evaluation job is queued once the comments are committed.

    :raise ValidationFailed: naming the line and the reason when the file is
        malformed; nothing of it is stored then.
    :raise Conflict: when the contest no longer accepts comments (read under its
        row lock, held until the whole file is committed), or while a file is being
        imported into it in the background.
    """
    if active_import_job(contest) is not None:
        raise Conflict(_("A file is already being imported into this contest: wait until it "
                         "is done (its progress shows on the import page)."))
    try:
        record = store_file(contest, fileobj, filename, actor,
                            None if progress is None else lambda rows, _stored: progress(rows))
    except ImportFileError as exc:
        raise file_error(exc) from None
    db.session.commit()
    analyze("comment")  # PostgreSQL plans the next reads from the table as it is now
    db.session.commit()
    from giveaway.jobs import enqueue
    enqueue("eligibility.evaluate", contest.id)
    return record
