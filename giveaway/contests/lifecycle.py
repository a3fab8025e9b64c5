"""The status lifecycle ``draft → open → closed → frozen → drawn → archived``.

Every transition goes through :func:`_transition`: it locks the contest's row
(:mod:`.locking`), re-reads the state there and moves it with a conditional
UPDATE, so two requests racing for the same transition cannot both succeed, and
a transition never interleaves with a write that the state it leaves allowed.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.labels import STATUS_LABELS
from giveaway.contests.locking import lock
from giveaway.contests.models import Contest, ContestStatus
from giveaway.db_types import utcnow
from giveaway.errors import Conflict
from giveaway.extensions import db

if TYPE_CHECKING:
    from giveaway.draws.commitment import BeaconChoice

S = ContestStatus
NEXT_STATUS: dict[ContestStatus, ContestStatus] = {
    S.DRAFT: S.OPEN, S.OPEN: S.CLOSED, S.CLOSED: S.FROZEN, S.FROZEN: S.DRAWN,
    S.DRAWN: S.ARCHIVED}


def _transition(contest: Contest, target: ContestStatus, **values) -> None:
    """Move ``contest`` to ``target`` inside the caller's transaction (no commit).

    :raise Conflict: when the state stored now does not lead to ``target``
        (the transaction is rolled back then).
    """
    source = lock(contest)
    if NEXT_STATUS.get(source) != target:
        db.session.rollback()
        raise Conflict(_("A %(source)s contest cannot become %(target)s.",
                         source=STATUS_LABELS[source], target=STATUS_LABELS[target]))
    result = db.session.execute(
        sa.update(Contest).where(Contest.id == contest.id, Contest.status == source)
        .values(status=target, **values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(_("This contest was changed by someone else in the meantime; "
                         "reload the page."))
    db.session.refresh(contest)


def opening_problems(contest: Contest, now: Optional[datetime] = None) -> list[str]:
    """Why the contest cannot open now (an empty list when it can)."""
    now = now or utcnow()
    problems = []
    if contest.status != S.DRAFT:
        problems.append(_("Only a draft contest can be opened."))
    if contest.current_rules is None:
        problems.append(_("Write the rules (règlement) before opening."))
    if not contest.posts:
        problems.append(_("Add at least one post link before opening."))
    if not contest.partners:
        problems.append(_("Choose at least one partner before opening."))
    if contest.closes_at <= now:
        problems.append(_("The closing time is already past."))
    return problems


def open_contest(contest: Contest, actor: str, now: Optional[datetime] = None,
                 beacon: Optional["BeaconChoice"] = None) -> Contest:
    """Open a draft contest: its rules and settings are frozen from now on, and the draw
    is committed (seed, salt, commitment, declared public randomness).

    :raise Conflict: listing every reason it cannot open.
    :raise ValidationFailed: for an unusable beacon choice.
    """
    from giveaway.core.timestamps import commitment_imprint
    from giveaway.draws.commitment import BeaconChoice, commit_draw, declaration
    from giveaway.draws.timestamping import schedule_timestamps
    from giveaway.eligibility.rules_doc import rules_document, rules_sha256
    now = now or utcnow()
    problems = opening_problems(contest, now)
    if problems:
        raise Conflict(" ".join(problems))
    rules = contest.current_rules
    _transition(contest, S.OPEN, opened_at=now)
    eligibility_sha256 = rules_sha256(contest)
    try:
        setup = commit_draw(contest, beacon or BeaconChoice(), now, rules.sha256,
                            eligibility_sha256)
    except Exception:
        db.session.rollback()
        raise
    audit.append(actor, "contest.open", "contest", contest.public_id,
                 {"rules_version": rules.version, "rules_sha256": rules.sha256,
                  "eligibility": rules_document(contest),
                  "eligibility_sha256": eligibility_sha256,
                  "commitment": setup.commitment, "salt": setup.salt,
                  "winners": contest.winners, "alternates": contest.alternates,
                  "beacon": declaration(setup)})
    schedule_timestamps(contest, "commitment",
                        commitment_imprint(bytes.fromhex(setup.commitment)))
    db.session.commit()
    return contest


def close_contest(contest: Contest, actor: str, now: Optional[datetime] = None) -> Contest:
    """Close an open contest to entries. :raise Conflict: when it is not open."""
    now = now or utcnow()
    _transition(contest, S.CLOSED, closed_at=now)
    audit.append(actor, "contest.close", "contest", contest.public_id, {})
    db.session.commit()
    return contest


def archive_contest(contest: Contest, actor: str) -> Contest:
    """Archive a drawn contest (nothing of it changes any more). :raise Conflict: unless drawn."""
    _transition(contest, S.ARCHIVED)
    audit.append(actor, "contest.archive", "contest", contest.public_id, {})
    db.session.commit()
    return contest


def mark_frozen(contest: Contest, now: datetime) -> None:
    """Move a closed contest to ``frozen`` inside the freeze's transaction (no commit)."""
    _transition(contest, S.FROZEN, frozen_at=now)


def mark_drawn(contest: Contest, now: datetime) -> None:
    """Move a frozen contest to ``drawn`` inside the draw's transaction (no commit)."""
    _transition(contest, S.DRAWN)
