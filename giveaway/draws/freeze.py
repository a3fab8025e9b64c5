"""Step 3: freeze the counted entries into the sorted leaf list, before the beacon exists."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.lifecycle import mark_frozen
from giveaway.contests.locking import FROZEN_STATES, lock
from giveaway.contests.models import Contest, ContestStatus
from giveaway.core import QUICKNET, freeze_entries, merkle_root, sign_document
from giveaway.core.declaration import BeaconDeclaration, parse_declaration
from giveaway.core.errors import InvalidInput
from giveaway.core.redeclaration import build_redeclaration, effective_beacon
from giveaway.core.timestamps import freeze_imprint
from giveaway.db_types import utcnow
from giveaway.draws.commitment import beacon_declaration, declaration_document, setup_of
from giveaway.draws.keys import signing_key
from giveaway.draws.models import DrawSetup, Freeze
from giveaway.eligibility.models import Verdict
from giveaway.eligibility.service import record_evaluation
from giveaway.errors import Conflict, ServiceError, ValidationFailed
from giveaway.extensions import db
from giveaway.draws.timestamping import schedule_timestamps
from giveaway.harvest.service import active_run


#: A later draw time may be declared until the draw (after a late freeze, typically).
REDECLARE_STATES = frozenset({ContestStatus.OPEN, ContestStatus.CLOSED, ContestStatus.FROZEN})


def beacon_time(setup: DrawSetup) -> Optional[datetime]:
    """When the declared randomness comes into existence (None for commit-only)."""
    if setup.beacon_kind == "drand":
        return QUICKNET.round_time(setup.drand_round)
    if setup.beacon_kind == "rfc3797":
        return setup.draw_time
    return None


def counted_keys(contest: Contest) -> list[str]:
    """The entry keys of every counted verdict (distinct, sorted)."""
    return sorted(set(db.session.scalars(sa.select(Verdict.entry_key).where(
        Verdict.contest_id == contest.id, Verdict.counted.is_(True),
        Verdict.entry_key.is_not(None)))))


def freeze_contest(contest: Contest, actor: str, now: Optional[datetime] = None) -> Freeze:
    """Recompute the verdicts one last time and freeze the counted entries: ``closed → frozen``.

    One transaction, holding the contest's row lock from its first statement:
    an import or a harvest page racing the freeze commits wholly before it (and
    is evaluated here) or is refused after it. A refused freeze changes nothing.

    :raise Conflict: unless the contest is closed, has no harvest under way, has
        at least one counted entry, and the beacon does not exist yet.
    """
    now = now or utcnow()
    try:
        return _freeze(contest, actor, now)
    except ServiceError:
        db.session.rollback()
        raise


def _freeze(contest: Contest, actor: str, now: datetime) -> Freeze:
    status = lock(contest)
    if status in FROZEN_STATES:
        raise Conflict(_("The entries are already frozen."))
    setup = setup_of(contest)
    if status != ContestStatus.CLOSED or setup is None:
        raise Conflict(_("Close the contest before freezing its entries."))
    db.session.refresh(setup)  # as stored now (a later draw time may just have been declared)
    if active_run(contest) is not None:
        raise Conflict(_("A harvest is under way: wait for it to end before freezing."))
    deadline = beacon_time(setup)
    if deadline is not None and now >= deadline:
        raise Conflict(_("Too late: the public randomness (%(when)s) already exists. Declare a "
                         "later draw time, with a reason, before freezing.",
                         when=deadline.isoformat()))
    evaluation = record_evaluation(contest, actor)
    keys = counted_keys(contest)
    if not keys:
        raise Conflict(_("No entry is counted: there is nothing to freeze. Harvest or import "
                         "the comments, or review the eligibility rules, then try again."))
    leaves = freeze_entries(bytes.fromhex(setup.salt), keys)
    root = merkle_root(leaves).hex()
    mark_frozen(contest, now)
    freeze = Freeze(contest_id=contest.id, frozen_at=now, count=len(leaves), merkle_root=root,
                    leaves=b"".join(leaves))
    db.session.add(freeze)
    audit.append(actor, "contest.freeze", "contest", contest.public_id,
                 {"count": len(leaves), "merkle_root": root, "frozen_at": now.isoformat(),
                  "evaluation": evaluation.id, "totals": evaluation.totals})
    if setup.protocol == "gdraw-v2":
        schedule_timestamps(contest, "freeze",
                            freeze_imprint(contest.public_id, len(leaves), bytes.fromhex(root)))
    db.session.commit()
    db.session.refresh(contest)
    return freeze


def redeclare_beacon(contest: Contest, draw_time: datetime, reason: str, actor: str,
                     now: Optional[datetime] = None) -> DrawSetup:
    """Declare a later draw time (a later drand round) after a late freeze; an anomaly.

    :raise ValidationFailed: without a reason, or for a time not in the future.
    :raise Conflict: once the contest is drawn (checked under the contest's row lock).
    """
    now = now or utcnow()
    if len(reason.strip()) < 10:
        raise ValidationFailed({"reason": _("Explain why, in at least 10 characters.")})
    if draw_time <= now + timedelta(minutes=1):
        raise ValidationFailed({"draw_time": _("The new draw time must be in the future.")})
    status = lock(contest)
    setup = setup_of(contest)
    if setup is None or status not in REDECLARE_STATES:
        db.session.rollback()
        raise Conflict(_("Only an open, closed or frozen contest can change its draw time."))
    db.session.refresh(setup)
    if setup.protocol == "gdraw-v2":
        anomaly = _signed_redeclaration(setup, draw_time, reason, now)
    else:
        old = {"draw_time": setup.draw_time.isoformat(), "drand_round": setup.drand_round}
        setup.draw_time = draw_time
        if setup.beacon_kind == "drand":
            setup.drand_round = QUICKNET.round_at(draw_time)
        anomaly = {"at": now.isoformat(), "kind": "beacon_redeclared", "reason": reason.strip(),
                   "before": old, "after": {"draw_time": draw_time.isoformat(),
                                            "drand_round": setup.drand_round}}
    setup.anomalies = [*setup.anomalies, anomaly]
    audit.append(actor, "draw.redeclare", "contest", contest.public_id, anomaly)
    db.session.commit()
    return setup


def effective_beacon_of(setup: DrawSetup) -> BeaconDeclaration:
    """The gdraw-v2 beacon in force: the last redeclared one, else the one in D."""
    return effective_beacon(parse_declaration(declaration_document(setup)), setup.anomalies)


def _signed_redeclaration(setup: DrawSetup, draw_time: datetime, reason: str,
                          now: datetime) -> dict:
    """A signed gdraw-v2 redeclaration record moving the beacon to ``draw_time``.

    :raise ValidationFailed: when the new time is not later than the beacon in force.
    """
    declared = parse_declaration(declaration_document(setup))
    previous = effective_beacon_of(setup)
    sources = [(s.name, s.count) for s in previous.sources]
    new = beacon_declaration(setup.beacon_kind, draw_time, previous.description, sources)
    try:
        record = build_redeclaration(declaration=declared, seq=len(setup.anomalies) + 1, at=now,
                                     reason=reason, previous=previous, beacon=new)
    except InvalidInput:
        raise ValidationFailed({"draw_time": _(
            "The new draw time must come after the one declared.")}) from None
    setup.draw_time, setup.drand_round = new.time, new.round
    return sign_document(record, signing_key())


def frozen_leaves(freeze: Freeze) -> list[bytes]:
    """The frozen list L as 32-byte leaves."""
    data = freeze.leaves
    return [data[i:i + 32] for i in range(0, len(data), 32)]
