"""Cross-contest inputs of an evaluation: the shared block list and recent winners."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from giveaway.contests.models import Contest
from giveaway.core.eligibility import EligibilityRules, EvaluationContext
from giveaway.eligibility.models import BlockedAccount, PastWinner
from giveaway.extensions import db


def _identifiers(rows) -> list[str]:
    values = []
    for network, user_id, handle in rows:
        if user_id:
            values.append(f"{network}:{user_id}")
        if handle:
            values.append(f"@{handle}")
    return values


def evaluation_context(contest: Contest, rules: EligibilityRules) -> EvaluationContext:
    """The block list, and this organiser's winners of the last ``recent_winner_days`` days.

    "The last N days" are counted back from the contest's **opening**, not from
    the moment of the evaluation: an account that won one of the organiser's
    other contests (claimed its prize) at most N days before this contest
    opened, or since, is a recent winner. Re-evaluating the same contest later
    gives the same verdicts; a contest opened more than N days after the win
    counts the account again.
    """
    blocked = _identifiers(db.session.execute(
        sa.select(BlockedAccount.network, BlockedAccount.user_id, BlockedAccount.handle)
        .order_by(BlockedAccount.id)))
    winners: list[str] = []
    if rules.recent_winner_days:
        since = contest.opens_at - timedelta(days=rules.recent_winner_days)
        winners = _identifiers(db.session.execute(
            sa.select(PastWinner.network, PastWinner.user_id, PastWinner.handle).where(
                PastWinner.organiser_handle == contest.organiser_handle,
                PastWinner.won_at >= since,
                sa.or_(PastWinner.contest_id.is_(None), PastWinner.contest_id != contest.id))
            .order_by(PastWinner.id)))
    return EvaluationContext.from_identifiers(blocked=blocked, recent_winners=winners)
