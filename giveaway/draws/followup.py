"""Winners' follow-up: contact, claim, decline, no answer, follow check, substitution."""
from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.locking import lock
from giveaway.contests.models import Contest, ContestStatus
from giveaway.db_types import utcnow
from giveaway.draws.followup_chain import append_followup
from giveaway.draws.labels import PUBLIC_REASONS
from giveaway.draws.models import Candidate, Draw, Substitution
from giveaway.eligibility.past_winners import record_past_winner
from giveaway.eligibility.rules_doc import rules_for
from giveaway.errors import Conflict, NotFound, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.ig_session import current_session
from giveaway.sources.instagram import close_client
from giveaway.sources.instagram import follows as instagram_follows

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


#: The public category a replacement gets when staff give none.
DEFAULT_PUBLIC_REASON = {"declined": "declined", "no_answer": "no_answer",
                         "disqualified": "other"}


def set_status(contest: Contest, candidate: Candidate, status: str, reason: str, actor: str,
               age_confirmed: bool = False, public_reason: Optional[str] = None) -> Candidate:
    """Move a candidate on and commit; a decline, no answer or disqualification promotes
    the next alternate, and a claim records the account as a past winner.

    ``reason`` is staff's private note (kept in ``status_reason`` and the audit
    log, never published); ``public_reason`` is the public category of a
    replacement (one of ``PUBLIC_REASONS``; by default the one the status
    implies, ``other`` for a disqualification), stored in
    ``Candidate.public_reason`` and in the signed follow-up record.

    :raise ValidationFailed: for a move the follow-up does not allow, a missing
        reason on a replacement, an unknown public category, or a claim of an
        alcohol prize without the 18+ check.
    """
    _lock_followup(contest, candidate)
    _move(contest, candidate, status, reason, actor, age_confirmed, public_reason)
    db.session.commit()
    return candidate


def _lock_followup(contest: Contest, candidate: Candidate) -> None:
    """Lock the contest's row for this transaction and re-read the contest's state and the
    candidate, so that the checks which follow see what a concurrent step committed.

    :raise ContestBusy: when another change holds the contest too long.
    """
    lock(contest)
    db.session.refresh(candidate)


def _move(contest: Contest, candidate: Candidate, status: str, reason: str, actor: str,
          age_confirmed: bool = False, public_reason: Optional[str] = None) -> None:
    """:func:`set_status` without the commit (the caller's transaction)."""
    if status not in NEXT.get(candidate.status, ()):
        raise ValidationFailed({"status": _("This step is not possible from here.")})
    reason = reason.strip()
    if status in ENDS_IN_REPLACEMENT and len(reason) < 5:
        raise ValidationFailed({"reason": _(
            "Write a private note on why the prize goes to the next alternate.")})
    if status in ENDS_IN_REPLACEMENT:
        public_reason = public_reason or DEFAULT_PUBLIC_REASON[status]
        if public_reason not in PUBLIC_REASONS:
            raise ValidationFailed({"public_reason": _("Choose the public reason from the list.")})
    else:
        public_reason = None
    if status == "claimed" and contest.alcohol_prize and not (age_confirmed or
                                                              candidate.age_confirmed):
        raise ValidationFailed({"age_confirmed": _(
            "Alcohol prize: confirm that the winner is 18 or over before the handover.")})
    candidate.status, candidate.status_reason = status, reason
    candidate.age_confirmed = candidate.age_confirmed or age_confirmed
    details = {"position": candidate.position, "status": status, "reason": reason}
    event = {"kind": "status", "position": candidate.position, "status": status}
    if status in ENDS_IN_REPLACEMENT:
        candidate.public_reason = public_reason
        replacement = _next_alternate(contest)
        if replacement is not None:
            replacement.status = "to_contact"
        db.session.add(Substitution(contest_id=contest.id, replaced_id=candidate.id,
                                    replacement_id=replacement.id if replacement else None,
                                    reason=reason, actor=actor))
        details["replacement_position"] = replacement.position if replacement else None
        details["public_reason"] = event["public_reason"] = public_reason
        event["replacement_position"] = details["replacement_position"]
    if status == "claimed":
        _record_winner(contest, candidate)
        details["past_winner"] = True
    chained = append_followup(contest, event)
    if chained is not None:
        details["followup_sha256"] = chained.sha256
    audit.append(actor, "winner.status", "contest", contest.public_id, details)


def _record_winner(contest: Contest, candidate: Candidate) -> None:
    """Record the claiming account for the organiser's "recent winner" rule.

    Only a **claim** makes a past winner, not a contact: a winner who declines,
    does not answer or is disqualified received nothing (the prize went to an
    alternate), and excluding them from the organiser's next contests would
    punish people who never benefited. ``won_at`` is the draw's time, when the
    contest was won, so a slow claim does not lengthen the exclusion. A claim
    recorded after another contest's entries were frozen does not change that
    contest (its verdicts are frozen); it applies to every later evaluation.
    """
    record = db.session.get(Draw, contest.id)
    record_past_winner(contest, candidate.network, candidate.user_id,
                       record.drawn_at if record is not None else utcnow())


#: Statuses in which a candidate still waits for the follow check (a prize to hand over).
PENDING = tuple(NEXT)
FOLLOW_RESULTS = {True: "yes", False: "no", None: "unknown"}
MIN_JUSTIFICATION = 10


def follow_check_required(contest: Contest) -> bool:
    """True when the contest's rules say winners must follow an account."""
    return rules_for(contest).must_follow != "none"


def automatic_check_available(contest: Contest) -> bool:
    """True when the connected Instagram account can answer the follow check itself.

    Instagram only tells an account who follows *it*: only the organiser's
    account, connected and known by its id, can check, and only the rule
    "follow the organiser". Otherwise staff check by hand
    (:func:`record_staff_check`).
    """
    if rules_for(contest).must_follow != "organiser":
        return False
    session = current_session()
    return bool(session and session.status == "connected" and session.user_pk)


def record_follow_check(contest: Contest, candidate: Candidate, follows: Optional[bool],
                        actor: str, justification: str = "") -> Candidate:
    """Record a follow check and commit: Instagram's answer, or with a ``justification``
    staff's own check (see :func:`record_staff_check`, which it then is).

    ``None`` (the check failed) is "unknown" and never counts as "no". ``False``
    disqualifies the candidate (public category ``not_following``) and
    promotes the next alternate, in the same transaction.

    :raise Conflict: when the rules require no follow.
    """
    if justification.strip():
        return record_staff_check(contest, candidate, follows, actor, justification)
    if not follow_check_required(contest):
        raise Conflict(_("The rules of this contest do not require following."))
    _lock_followup(contest, candidate)
    _record_follow(contest, candidate, follows, actor, "instagram", "")
    db.session.commit()
    return candidate


def record_staff_check(contest: Contest, candidate: Candidate, follows: object, actor: str,
                       justification: str) -> Candidate:
    """Record staff's own follow check (« suit le compte : oui / non ») and commit.

    ``follows`` must be True or False (staff never record "unknown": not
    checking is leaving it as it is). The justification — how and when staff
    checked — is private: kept on the candidate and in the audit log with the
    actor, never in the signed follow-up record, which carries the result and
    ``"by": "staff"`` only. A "no" disqualifies as :func:`record_follow_check`.

    :raise Conflict: when the rules require no follow, the follow-up is closed
        (the contest is no longer in its drawn state), the candidate is not
        waiting for a prize (to contact or contacted), or its check is already
        answered.
    :raise ValidationFailed: ``follows`` when it is not yes or no,
        ``justification`` when shorter than 10 characters.
    """
    if not follow_check_required(contest):
        raise Conflict(_("The rules of this contest do not require following."))
    _lock_followup(contest, candidate)
    if contest.status != ContestStatus.DRAWN:
        raise Conflict(_("The follow-up of this contest is closed."))
    if candidate.status not in PENDING:
        raise Conflict(_("Only a winner still to contact or contacted can be checked."))
    if candidate.follow_check in ("yes", "no"):
        raise Conflict(_("The follow check of this winner is already recorded."))
    errors = {}
    if follows not in (True, False):
        errors["follows"] = _("Say whether the winner follows the account: yes or no.")
    justification = (justification or "").strip()
    if len(justification) < MIN_JUSTIFICATION:
        errors["justification"] = _(
            "Say how and when you checked (at least 10 characters), e.g. « checked by hand "
            "in the app on 3 December ».")
    if errors:
        raise ValidationFailed(errors)
    _record_follow(contest, candidate, bool(follows), actor, "staff", justification)
    db.session.commit()
    return candidate


def _record_follow(contest: Contest, candidate: Candidate, follows: Optional[bool], actor: str,
                   source: str, justification: str) -> None:
    """Store the result, sign the public event, log it; a "no" disqualifies (no commit)."""
    candidate.follow_check = FOLLOW_RESULTS[follows]
    candidate.follow_check_source = source
    candidate.follow_checked_by, candidate.follow_checked_at = actor, utcnow()
    candidate.follow_justification = justification
    details = {"position": candidate.position, "result": candidate.follow_check, "by": source,
               "justification": justification}
    chained = append_followup(contest, {"kind": "follow_check", "position": candidate.position,
                                        "result": candidate.follow_check, "by": source})
    if chained is not None:
        details["followup_sha256"] = chained.sha256
    audit.append(actor, "winner.follow_check", "contest", contest.public_id, details)
    if follows is False and candidate.status in NEXT:
        _move(contest, candidate, "disqualified", justification or
              _("does not follow the account required by the rules"), actor,
              public_reason="not_following")


def check_follows(contest: Contest, actor: str, client_factory) -> list[Candidate]:
    """Check, in draw order, every candidate to contact whose follow status is not known.

    Only the organiser's account can be checked automatically (it is the one
    logged in); other requirements stay "unknown" for staff to decide.

    :raise Conflict: when no connected account can check (see
        :func:`automatic_check_available`): staff then record their own checks.
    """
    rules = rules_for(contest)
    if rules.must_follow == "none":
        return []
    if not automatic_check_available(contest):
        raise Conflict(_("No connected Instagram account can check follows for this contest: "
                         "check each winner in the Instagram app and record the result below."))
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
            answer = instagram_follows(client, candidate.user_id, session.user_pk)
            record_follow_check(contest, candidate, answer, actor)
            checked.append(candidate)
    finally:
        close_client(client)
