"""Forgetting: non-winners' personal data goes after the claim window plus N days.

Kept: the certificate's inputs (commitment, seed, frozen leaves, the draw,
masked winners), the evaluation totals and the audit log. Deleted: every
stored comment (handles, texts, user ids) and the verdicts on them; drawn
candidates keep only their masked handle.
"""
from __future__ import annotations

from datetime import datetime, timedelta
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
from giveaway.harvest.models import Comment


def purge_deadline(record: Draw) -> datetime:
    """When a drawn contest's personal data may go."""
    config = current_app.config
    return record.drawn_at + timedelta(days=config["CLAIM_WINDOW_DAYS"] +
                                       config["RETENTION_DAYS"])


def due_contests(now: Optional[datetime] = None) -> list[Contest]:
    """Drawn contests past their purge deadline and not yet purged."""
    now = now or utcnow()
    rows = db.session.execute(sa.select(Contest, Draw).join(Draw, Draw.contest_id == Contest.id)
                              .where(Contest.purged_at.is_(None)).order_by(Contest.id)).all()
    return [contest for contest, record in rows if purge_deadline(record) <= now]


def purge_contest(contest: Contest, actor: str, now: Optional[datetime] = None) -> int:
    """Delete the contest's comments and verdicts, mask the candidates; return comments deleted."""
    now = now or utcnow()
    delete_verdicts(contest)
    db.session.execute(sa.delete(ManualDecision).where(ManualDecision.contest_id == contest.id))
    deleted = db.session.execute(sa.delete(Comment).where(Comment.contest_id == contest.id))
    db.session.execute(sa.update(Candidate).where(Candidate.contest_id == contest.id).values(
        handle=Candidate.masked_handle, user_id="", status_reason=""))
    contest.purged_at = now
    audit.append(actor, "contest.purge", "contest", contest.public_id,
                 {"comments_deleted": deleted.rowcount})
    db.session.commit()
    return deleted.rowcount


def purge_due(actor: str = "worker", now: Optional[datetime] = None) -> dict[str, int]:
    """Purge every contest that is due; return comments deleted per contest."""
    return {contest.public_id: purge_contest(contest, actor, now)
            for contest in due_contests(now)}
