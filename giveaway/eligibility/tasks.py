"""Background job: recompute a contest's verdicts after new comments arrived.

The contest's :class:`~giveaway.harvest.models.EvaluationRequest` says on
screen that its totals are being recomputed; the job clears it once every
comment stored before the job began is judged, or marks it failed.
"""
from __future__ import annotations

from giveaway.contests.locking import VERDICT_STATES, ContestBusy, StateRefused
from giveaway.contests.models import Contest
from giveaway.db_types import utcnow
from giveaway.eligibility.service import evaluate_contest
from giveaway.errors import Conflict
from giveaway.extensions import db
from giveaway.harvest.service import evaluation_failed, evaluation_settled

BUSY_RETRY_SECONDS = 30  # another write held the contest too long: try again after this


def evaluate_job(contest_id: int) -> None:
    """Evaluate the contest unless its entries are frozen (then nothing may change).

    A contest kept locked by another write is tried again later; a refusal (two
    networks sharing a comment id) or a crash is recorded for staff to see.
    """
    started = utcnow()
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        return
    if contest.status in VERDICT_STATES:
        try:
            evaluate_contest(contest, "worker")
        except ContestBusy:
            db.session.rollback()
            from giveaway.jobs import enqueue
            enqueue("eligibility.evaluate", contest_id, delay=BUSY_RETRY_SECONDS)
            return
        except StateRefused:
            db.session.rollback()  # frozen meanwhile: the freeze judged every comment itself
        except Conflict:
            db.session.rollback()
            _failed(contest_id)
            return
        except Exception:
            db.session.rollback()
            _failed(contest_id)
            raise  # the queue logs it
    evaluation_settled(contest_id, started)
    db.session.commit()


def _failed(contest_id: int) -> None:
    evaluation_failed(contest_id)
    db.session.commit()
