"""Forgetting: non-winners' personal data goes after the claim window plus N days.

Kept: the certificate's inputs (commitment, seed, frozen leaves, the draw,
masked winners), the evaluation totals and the audit log. Deleted: every
stored comment (handles, texts, user ids) and the verdicts on them, and the
raw Instagram answers a harvest of the contest kept for diagnosis
(``instance/harvest-diagnostics/run-<run id>-<UTC time>.json``); drawn
candidates keep only their masked handle. Any raw answer older than the same
period (claim window plus retention) goes too, whatever its contest (one
never drawn, or deleted).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from flask import current_app

from giveaway.audit import service as audit
from giveaway.contests.models import Contest
from giveaway.db_types import utcnow
from giveaway.draws.models import Candidate, Draw
from giveaway.eligibility.models import ManualDecision
from giveaway.eligibility.service import delete_verdicts
from giveaway.extensions import db
from giveaway.harvest.models import Comment, HarvestRun

#: The folder where a harvest keeps the raw answers it could not read.
DIAGNOSTICS_FOLDER = "harvest-diagnostics"


def purge_deadline(record: Draw) -> datetime:
    """When a drawn contest's personal data may go."""
    return record.drawn_at + _period()


def due_contests(now: Optional[datetime] = None) -> list[Contest]:
    """Drawn contests past their purge deadline and not yet purged."""
    now = now or utcnow()
    rows = db.session.execute(sa.select(Contest, Draw).join(Draw, Draw.contest_id == Contest.id)
                              .where(Contest.purged_at.is_(None)).order_by(Contest.id)).all()
    return [contest for contest, record in rows if purge_deadline(record) <= now]


def _period() -> timedelta:
    config = current_app.config
    return timedelta(days=config["CLAIM_WINDOW_DAYS"] + config["RETENTION_DAYS"])


def _diagnostics() -> Path:
    return Path(current_app.instance_path) / DIAGNOSTICS_FOLDER


def diagnostic_files(contest: Contest) -> list[Path]:
    """The raw answers kept by the contest's harvests (``run-<id>-<time>.json``)."""
    folder = _diagnostics()
    if not folder.is_dir():
        return []
    run_ids = db.session.scalars(sa.select(HarvestRun.id).where(
        HarvestRun.contest_id == contest.id))
    return sorted(path for run_id in run_ids for path in folder.glob(f"run-{run_id}-*.json"))


def _written_at(path: Path) -> datetime:
    """The UTC time in the file's name, else its modification time."""
    try:
        stamp = path.stem.rsplit("-", 1)[1]
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
    except (IndexError, ValueError):
        return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)


def _unlink(paths: list[Path]) -> int:
    removed = 0
    for path in paths:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def purge_stale_diagnostics(now: Optional[datetime] = None) -> int:
    """Delete raw harvest answers older than claim window + retention; return how many."""
    folder = _diagnostics()
    if not folder.is_dir():
        return 0
    deadline = (now or utcnow()) - _period()
    return _unlink([path for path in sorted(folder.glob("*.json"))
                    if _written_at(path) <= deadline])


def purge_contest(contest: Contest, actor: str, now: Optional[datetime] = None) -> int:
    """Delete the contest's comments, verdicts and raw harvest answers, mask the candidates.

    Returns the number of comments deleted. The files go once the database
    work is committed (a rolled-back purge deletes nothing).
    """
    now = now or utcnow()
    files = diagnostic_files(contest)
    delete_verdicts(contest)
    db.session.execute(sa.delete(ManualDecision).where(ManualDecision.contest_id == contest.id))
    deleted = db.session.execute(sa.delete(Comment).where(Comment.contest_id == contest.id))
    db.session.execute(sa.update(Candidate).where(Candidate.contest_id == contest.id).values(
        handle=Candidate.masked_handle, user_id="", status_reason=""))
    contest.purged_at = now
    audit.append(actor, "contest.purge", "contest", contest.public_id,
                 {"comments_deleted": deleted.rowcount, "diagnostic_files": len(files)})
    db.session.commit()
    _unlink(files)
    return deleted.rowcount


def purge_due(actor: str = "worker", now: Optional[datetime] = None) -> dict[str, int]:
    """Purge every contest that is due, then stale raw harvest answers.

    Returns the comments deleted per contest.
    """
    purged = {contest.public_id: purge_contest(contest, actor, now)
              for contest in due_contests(now)}
    purge_stale_diagnostics(now)
    return purged
