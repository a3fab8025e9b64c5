"""Winners' follow-up: contact, claim, decline, no answer, follow check, substitution."""
from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.models import Contest
from giveaway.draws.followup_chain import append_followup
from giveaway.draws.models import Candidate, Substitution
from giveaway.eligibility.rules_doc import rules_for
from giveaway.errors import Conflict, NotFound, ValidationFailed
from giveaway.extensions import db

#: Status → the statuses staff may move a candidate to.
NEXT = {
    "to_contact": ("contacted", "declined", "no_answer", "disqualified"),
    "contacted": ("claimed", "declined", "no_answer", "disqualified"),
}
ENDS_IN_REPLACEMENT = ("declined", "no_answer", "disqualified")


def candidates(contest: Contest) -> list[Candidate]:
    """Winners then alternates, in draw order."""
    return list(db.session.scalars(sa.select(Candidate).where(Candidate.contest_id == contest.id)
                                   .order_by(Candidate.position)))


def get_candidate(contest: Contest, candidate_id: int) -> Candidate:
    """:raise NotFound: unless the candidate belongs to the contest."""
    candidate = db.session.get(Candidate, candidate_id)
    if candidate is None or candidate.contest_id != contest.id:
        raise NotFound(_("No such candidate."))
    return candidate


def _next_alternate(contest: Contest) -> Optional[Candidate]:
    return db.session.scalar(sa.select(Candidate).where(
        Candidate.contest_id == contest.id, Candidate.status == "standby")
        .order_by(Candidate.position).limit(1))


def set_status(contest: Contest, candidate: Candidate, status: str, reason: str, actor: str,
               age_confirmed: bool = False) -> Candidate:
    """Move a candidate on; a decline, no answer or disqualification promotes the next alternate.

    :raise ValidationFailed: for a move the follow-up does not allow, a missing
        reason on a replacement, or a claim of an alcohol prize without the 18+ check.
    """
    if status not in NEXT.get(candidate.status, ()):
        raise ValidationFailed({"status": _("This step is not possible from here.")})
    reason = reason.strip()
    if status in ENDS_IN_REPLACEMENT and len(reason) < 5:
        raise ValidationFailed({"reason": _("Say why the prize goes to the next alternate.")})
    if status == "claimed" and contest.alcohol_prize and not (age_confirmed or
                                                              candidate.age_confirmed):
        raise ValidationFailed({"age_confirmed": _(
            "Alcohol prize: confirm that the winner is 18 or over before the handover.")})
    candidate.status, candidate.status_reason = status, reason
    candidate.age_confirmed = candidate.age_confirmed or age_confirmed
    details = {"position": candidate.position, "status": status, "reason": reason}
    if status in ENDS_IN_REPLACEMENT:
        replacement = _next_alternate(contest)
        if replacement is not None:
            replacement.status = "to_contact"
        db.session.add(Substitution(contest_id=contest.id, replaced_id=candidate.id,
                                    replacement_id=replacement.id if replacement else None,
                                    reason=reason, actor=actor))
        details["replacement_position"] = replacement.position if replacement else None
    event = {"kind": "status", "position": candidate.position, "status": status}
    if status in ENDS_IN_REPLACEMENT:
        event["replacement_position"] = details["replacement_position"]
    chained = append_followup(contest, event)
    if chained is not None:
        details["followup_sha256"] = chained.sha256
    audit.append(actor, "winner.status", "contest", contest.public_id, details)
    db.session.commit()
    return candidate


def record_follow_check(contest: Contest, candidate: Candidate, follows: Optional[bool],
                        actor: str, justification: str = "") -> Candidate:
    """Record whether a candidate follows the required account(s).

    ``None`` (the check failed) is "unknown" and never counts as "no". ``False``
    disqualifies the candidate and promotes the next alternate.
    """
    if rules_for(contest).must_follow == "none":
        raise Conflict(_("The rules of this contest do not require following."))
    candidate.follow_check = {True: "yes", False: "no", None: "unknown"}[follows]
    details = {"position": candidate.position, "result": candidate.follow_check,
               "justification": justification}
    chained = append_followup(contest, {"kind": "follow_check", "position": candidate.position,
                                        "result": candidate.follow_check})
    if chained is not None:
        details["followup_sha256"] = chained.sha256
    audit.append(actor, "winner.follow_check", "contest", contest.public_id, details)
    db.session.commit()
    if follows is False and candidate.status in NEXT:
        set_status(contest, candidate, "disqualified", justification or
                   _("does not follow the account required by the rules"), actor)
    return candidate


def check_follows(contest: Contest, actor: str, client_factory) -> list[Candidate]:
    """Check, in draw order, every candidate to contact whose follow status is not known.

    Only the organiser's account can be checked automatically (it is the one
    logged in); other requirements stay "unknown" for staff to decide.
    """
    from giveaway.harvest.ig_session import current_session
    from giveaway.sources.instagram import close_client, follows
    rules = rules_for(contest)
    if rules.must_follow == "none":
        return []
    session = current_session()
    client = client_factory()
    checked = []
    try:
        while True:
            pending = [c for c in candidates(contest)
                       if c.status == "to_contact" and c.follow_check in (None, "unknown")
                       and c.network == "ig" and c not in checked]
            if not pending:
                return checked
            candidate = pending[0]
            answer = None
            if rules.must_follow == "organiser" and session and session.user_pk:
                answer = follows(client, candidate.user_id, session.user_pk)
            record_follow_check(contest, candidate, answer, actor)
            checked.append(candidate)
    finally:
        close_client(client)
