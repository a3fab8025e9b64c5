"""Background job: recompute a contest's verdicts after new comments arrived."""
from __future__ import annotations

from giveaway.contests.models import Contest
from giveaway.eligibility.service import evaluate_contest
from giveaway.errors import Conflict
from giveaway.extensions import db


def evaluate_job(contest_id: int) -> None:
    """Evaluate the contest unless its entries are frozen (then nothing may change)."""
    contest = db.session.get(Contest, contest_id)
    if contest is None or contest.status not in ("draft", "open", "closed"):
        return
    try:
        evaluate_contest(contest, "worker")
    except Conflict:
        db.session.rollback()
