"""Step 1 of the protocol, at opening: seed, salt, commitment and the declared beacon."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from flask_babel import gettext as _

from giveaway.contests.models import Contest
from giveaway.core import QUICKNET, commitment, new_salt, new_seed
from giveaway.draws.models import DrawSetup
from giveaway.errors import ValidationFailed
from giveaway.extensions import db
from giveaway.secretbox import seal

BEACON_KINDS = ("drand", "rfc3797", "none")
DEFAULT_DRAW_DELAY = timedelta(hours=24)


@dataclass
class BeaconChoice:
    """The public randomness declared at opening.

    ``drand``: the quicknet round at ``draw_time`` (default: 24 h after the close).
    ``rfc3797``: public values named in ``description`` (e.g. a lottery draw
    after the close), typed in at draw time. ``none``: commit-only, weaker; it
    needs an admin's explicit choice (``commit_only_confirmed``).
    """

    kind: str = "drand"
    draw_time: Optional[datetime] = None
    description: str = ""
    commit_only_confirmed: bool = False


def caption_code(setup: DrawSetup, public_id: str) -> str:
    """The short code staff paste into the Instagram caption before entries close."""
    return f"gdraw-v1 {public_id} {setup.commitment[:16]}"


def commit_draw(contest: Contest, choice: BeaconChoice, now: datetime) -> DrawSetup:
    """Create the contest's seed, salt and commitment (flushed, not committed).

    :raise ValidationFailed: for an unknown beacon, a draw time before the
        close, a declared beacon without description, or commit-only without
        an admin's confirmation.
    """
    if choice.kind not in BEACON_KINDS:
        raise ValidationFailed({"beacon": _("Unknown source of public randomness.")})
    draw_time = choice.draw_time or contest.closes_at + DEFAULT_DRAW_DELAY
    if draw_time <= contest.closes_at:
        raise ValidationFailed({"draw_time": _(
            "The draw time must come after the close, to leave time to freeze the entries.")})
    if choice.kind == "rfc3797" and not choice.description.strip():
        raise ValidationFailed({"description": _(
            "Name the public values (e.g. « EuroMillions du mardi 2 décembre 2026 »).")})
    if choice.kind == "none" and not choice.commit_only_confirmed:
        raise ValidationFailed({"beacon": _(
            "A draw without public randomness is weaker; only an admin can choose it, "
            "explicitly.")})
    seed, salt = new_seed(), new_salt()
    setup = DrawSetup(
        contest_id=contest.id, seed_sealed=seal("draw-seed", seed), salt=salt.hex(),
        commitment=commitment(contest.public_id, seed).hex(), committed_at=now,
        beacon_kind=choice.kind, draw_time=draw_time,
        drand_round=QUICKNET.round_at(draw_time) if choice.kind == "drand" else None,
        beacon_description=choice.description.strip(), anomalies=[])
    db.session.add(setup)
    db.session.flush()
    return setup


def setup_of(contest: Contest) -> Optional[DrawSetup]:
    """The contest's draw setup, or None before it opened."""
    return db.session.get(DrawSetup, contest.id)


def declaration(setup: DrawSetup) -> dict:
    """The beacon declaration as published at opening (JSON values)."""
    return {"kind": setup.beacon_kind, "draw_time": setup.draw_time.isoformat(),
            "drand_chain": QUICKNET.chain_hash.hex() if setup.beacon_kind == "drand" else None,
            "drand_round": setup.drand_round, "description": setup.beacon_description}
