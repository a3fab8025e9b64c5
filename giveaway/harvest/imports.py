"""Import comments from a CSV or JSON file into a contest: whole or not at all."""
from __future__ import annotations

from typing import BinaryIO

from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.locking import require_comments_allowed
from giveaway.contests.models import Contest
from giveaway.db_maintenance import analyze
from giveaway.db_types import utcnow
from giveaway.errors import ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.import_messages import import_error_text
from giveaway.harvest.models import ImportFile
from giveaway.harvest.store import StoreCount, store_comments
from giveaway.sources.fileimport import CommentFile, ImportFileError, format_for

BATCH_SIZE = 5000


def import_comments(contest: Contest, fileobj: BinaryIO, filename: str, actor: str,
                    progress=None) -> ImportFile:
    """Import every comment of the file and return the import's record (committed).

    ``progress``, if given, is called with the number of rows read so far.

    :raise ValidationFailed: naming the line and the reason when the file is
        malformed; nothing of it is stored then.
    :raise Conflict: when the contest no longer accepts comments. The state is read
        under the contest's row lock, taken here and held by this one transaction
        until the whole file is committed, and checked again before each batch is
        stored: a freeze racing the import comes wholly before it or after it.
    """
    require_comments_allowed(contest)
    try:
        parsed = CommentFile(fileobj, format_for(filename))
        record = ImportFile(contest_id=contest.id, filename=filename[:255], sha256="",
                            imported_by=actor)
        db.session.add(record)
        db.session.flush()
        now, count = utcnow(), StoreCount()
        for batch in parsed.batches(BATCH_SIZE):
            count += store_comments(contest.id, batch, now, import_id=record.id)
            if progress is not None:
                progress(parsed.rows)
    except ImportFileError as exc:
        db.session.rollback()
        where = _("line %(n)d: ", n=exc.line) if exc.line else ""
        raise ValidationFailed({"file": _("The file was not imported (%(where)s%(reason)s).",
                                          where=where, reason=import_error_text(exc))}) from None
    except BaseException:
        db.session.rollback()
        raise
    record.sha256, record.rows = parsed.sha256, parsed.rows
    record.comments_new, record.comments_seen = count.new, count.seen
    audit.append(actor, "comments.import", "contest", contest.public_id,
                 {"file": record.filename, "sha256": record.sha256, "rows": record.rows,
                  "new": count.new, "seen": count.seen, "duplicates": parsed.duplicates})
    db.session.commit()
    analyze("comment")  # PostgreSQL plans the next reads from the table as it is now
    db.session.commit()
    from giveaway.jobs import enqueue
    enqueue("eligibility.evaluate", contest.id)
    return record
