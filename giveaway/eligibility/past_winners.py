"""Past winners: who won one of an organiser's contests, for the "recent winner" rule.

A row is written when a drawn winner **claims the prize** (see
:func:`giveaway.draws.followup.set_status`), keyed on the organiser and the
account (network + user id, never the handle: a handle can be renamed or
taken by someone else). ``won_at`` is the time of the draw, the moment the
contest was won. :func:`giveaway.eligibility.context.evaluation_context`
reads the rows back for later contests of the same organiser.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa

from giveaway.contests.models import Contest
from giveaway.eligibility.models import PastWinner
from giveaway.extensions import db


def record_past_winner(contest: Contest, network: str, user_id: str,
                       won_at: datetime) -> Optional[PastWinner]:
    """Add the account as a winner of ``contest`` (no commit: the caller's transaction).

    Idempotent: the same account of the same contest is recorded once; the
    existing row is returned. Returns None for an account without a user id
    (its data already purged): a handle alone is never recorded.
    """
    if not user_id:
        return None
    existing = db.session.scalar(sa.select(PastWinner).where(
        PastWinner.organiser_handle == contest.organiser_handle,
        PastWinner.network == network, PastWinner.user_id == user_id,
        PastWinner.contest_id == contest.id).limit(1))
    if existing is not None:
        return existing
    row = PastWinner(organiser_handle=contest.organiser_handle, network=network,
                     user_id=user_id, handle=None, contest_id=contest.id, won_at=won_at)
    db.session.add(row)
    db.session.flush()
    return row
