"""Manual decisions: staff exclude or re-include one entry, always with a written reason."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.models import Contest
from giveaway.core.eligibility import account_key, entry_key
from giveaway.eligibility.models import ManualDecision, Verdict
from giveaway.eligibility.rules_doc import rules_for
from giveaway.eligibility.service import (distinct_entry_keys, latest_evaluation,
                                          require_unfrozen)
from giveaway.errors import NotFound, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.models import Comment

MIN_JUSTIFICATION = 10
_TOTAL_KEY = {"exclude": "manual_exclusions", "include": "manual_inclusions"}


def decide(contest: Contest, comment_pk: int, decision: str, justification: str,
           actor: str) -> ManualDecision:
    """Record a manual exclusion or inclusion and apply it to the stored verdict.

    :raise NotFound: when the comment is not one of this contest's.
    :raise ValidationFailed: on an unknown decision or a too short justification.
    :raise Conflict: once the entries are frozen (checked under the contest's row lock,
        in the transaction that records the decision).
    """
    justification = (justification or "").strip()
    if decision not in ("exclude", "include"):
        raise ValidationFailed({"decision": _("Choose to exclude or to include.")})
    if len(justification) < MIN_JUSTIFICATION:
        raise ValidationFailed({"justification": _(
            "Explain the decision in at least %(n)d characters.", n=MIN_JUSTIFICATION)})
    require_unfrozen(contest)
    comment = db.session.get(Comment, comment_pk)
    if comment is None or comment.contest_id != contest.id:
        db.session.rollback()
        raise NotFound(_("No such comment in this contest."))
    record = ManualDecision(contest_id=contest.id, comment_pk=comment.id, decision=decision,
                            justification=justification, actor=actor)
    db.session.add(record)
    verdict = db.session.get(Verdict, comment.id)
    if verdict is not None:
        _apply(contest, comment, verdict, decision)
    db.session.flush()
    audit.append(actor, f"entries.manual_{decision}", "contest", contest.public_id,
                 {"comment_id": comment.comment_id, "network": comment.network,
                  "justification": justification})
    db.session.commit()
    return record


def _apply(contest: Contest, comment: Comment, verdict: Verdict, decision: str) -> None:
    was_counted, was_manual = verdict.counted, verdict.manual
    if decision == "exclude":
        verdict.counted, verdict.entry_key = False, None
    elif not verdict.counted:
        per_comment = rules_for(contest).counting == "per_comment"
        verdict.counted = True
        verdict.entry_key = entry_key(account_key(comment.network, comment.user_id),
                                      comment.comment_id, per_comment)
    verdict.manual = decision
    evaluation = latest_evaluation(contest)
    if evaluation is not None:
        totals = dict(evaluation.totals)
        if was_counted != verdict.counted:
            totals["counted"] += 1 if verdict.counted else -1
            totals["excluded"] += -1 if verdict.counted else 1
        if was_manual:
            totals[_TOTAL_KEY[was_manual]] -= 1
        totals[_TOTAL_KEY[decision]] = totals.get(_TOTAL_KEY[decision], 0) + 1
        db.session.flush()
        totals["entries"] = distinct_entry_keys(contest)
        evaluation.totals = totals


def decisions_for(contest: Contest, comment_pk: int) -> list[ManualDecision]:
    """Every manual decision on one comment, oldest first (the ledger)."""
    return list(db.session.scalars(sa.select(ManualDecision).where(
        ManualDecision.contest_id == contest.id, ManualDecision.comment_pk == comment_pk)
        .order_by(ManualDecision.id)))
