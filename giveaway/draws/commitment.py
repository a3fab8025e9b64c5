"""Step 1 of the protocol, at opening: seed, salt, the declaration D and the commitment."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Optional

from flask_babel import force_locale
from flask_babel import gettext as _

from giveaway.contests.models import Contest
from giveaway.core import QUICKNET, canonical_json, commitment, new_salt, new_seed
from giveaway.core.caption import caption_code as core_caption_code
from giveaway.core.declaration import (NO_BEACON, BeaconDeclaration, build_declaration,
                                       declaration_digest, declared_values_declaration,
                                       drand_declaration)
from giveaway.core.errors import InvalidInput
from giveaway.core.paris import paris_to_utc, to_paris
from giveaway.draws.models import DrawSetup
from giveaway.errors import ValidationFailed
from giveaway.extensions import db
from giveaway.i18n import long_date
from giveaway.secretbox import seal

BEACON_KINDS = ("drand", "rfc3797", "none")
METHODS = ("gdraw", "rfc3797")
DEFAULT_DRAW_DELAY = timedelta(hours=24)
#: The default declared values: the EuroMillions draw (Tuesdays and Fridays, 21:00 Paris).
EUROMILLIONS_DAYS = (1, 4)  # Monday is 0
EUROMILLIONS_HOUR = 21
EUROMILLIONS_SOURCES = (("EuroMillions : les 5 numéros", 5), ("EuroMillions : les 2 étoiles", 2))


@dataclass
class BeaconChoice:
    """The public randomness declared at opening.

    ``drand``: the quicknet round at ``draw_time`` (default: 24 h after the close).
    ``rfc3797``: public values named in ``description`` that come into existence at
    ``draw_time`` (default: the first EuroMillions draw 24 h after the close), from
    ``sources`` (name, number of values; default EuroMillions' 5 numbers and 2 stars),
    typed in at draw time. ``none``: commit-only, weaker; it needs an admin's explicit
    choice (``commit_only_confirmed``). ``method`` is ``gdraw`` or ``rfc3797`` (declared
    values only), fixed now.
    """

    kind: str = "drand"
    draw_time: Optional[datetime] = None
    description: str = ""
    commit_only_confirmed: bool = False
    sources: list[tuple[str, int]] = field(default_factory=list)
    method: str = "gdraw"


def default_lottery_time(closes_at: datetime) -> datetime:
    """The first EuroMillions draw (21:00 Paris, Tuesday or Friday) at least 24 h after the close."""
    day = to_paris(closes_at + DEFAULT_DRAW_DELAY)
    for offset in range(8):
        candidate = (day + timedelta(days=offset)).replace(hour=EUROMILLIONS_HOUR, minute=0,
                                                          second=0, microsecond=0)
        when = paris_to_utc(candidate.replace(tzinfo=None))
        if candidate.weekday() in EUROMILLIONS_DAYS and when >= closes_at + DEFAULT_DRAW_DELAY:
            return when
    raise AssertionError("a Tuesday or Friday comes within 8 days")


def default_lottery_description(draw_time: datetime,
                                sources: Optional[list[tuple[str, int]]]) -> str:
    """« EuroMillions du mardi 1er décembre 2026 » when the declared values are EuroMillions'
    (every source names it) drawn at ``draw_time`` (a Tuesday or Friday, 21:00 Paris); else "".

    The description goes into the sealed declaration, in French like the sources' names.
    """
    local = to_paris(draw_time)
    if local.weekday() not in EUROMILLIONS_DAYS or (local.hour, local.minute) != (
            EUROMILLIONS_HOUR, 0):
        return ""
    if not all("euromillions" in name.casefold() for name, _count in
               (sources or EUROMILLIONS_SOURCES)):
        return ""
    with force_locale("fr"):
        return f"EuroMillions du {long_date(draw_time)}"


def caption_code(setup: DrawSetup, public_id: str) -> str:
    """The code staff paste into the Instagram caption before entries close (it pins C)."""
    return core_caption_code(setup.protocol, public_id, bytes.fromhex(setup.commitment))


def _check_choice(contest: Contest, choice: BeaconChoice) -> datetime:
    """Return the draw time; :raise ValidationFailed: naming the field otherwise."""
    if choice.kind not in BEACON_KINDS:
        raise ValidationFailed({"beacon": _("Unknown source of public randomness.")})
    if choice.method not in METHODS or (choice.method == "rfc3797" and choice.kind != "rfc3797"):
        raise ValidationFailed({"method": _(
            "The RFC 3797 method needs declared public values.")})
    if choice.kind == "rfc3797":
        draw_time = choice.draw_time or default_lottery_time(contest.closes_at)
    else:
        draw_time = choice.draw_time or contest.closes_at + DEFAULT_DRAW_DELAY
    if draw_time <= contest.closes_at:
        raise ValidationFailed({"draw_time": _(
            "The draw time must come after the close, to leave time to freeze the entries.")})
    if choice.kind == "rfc3797" and not choice.description.strip():
        choice.description = default_lottery_description(draw_time, choice.sources)
        if not choice.description:
            raise ValidationFailed({"description": _(
                "Name the public values (e.g. « EuroMillions du mardi 2 décembre 2026 »).")})
    if choice.kind == "none" and not choice.commit_only_confirmed:
        raise ValidationFailed({"beacon": _(
            "A draw without public randomness is weaker; only an admin can choose it, "
            "explicitly.")})
    return draw_time


def beacon_declaration(kind: str, draw_time: datetime, description: str,
                       sources: list[tuple[str, int]]) -> BeaconDeclaration:
    """The beacon member of D for a choice.

    :raise ValidationFailed: for declared sources that D cannot hold.
    """
    if kind == "drand":
        return drand_declaration(QUICKNET.round_at(draw_time), QUICKNET.chain_hash)
    if kind == "rfc3797":
        try:
            return declared_values_declaration(draw_time, description.strip(),
                                               list(sources or EUROMILLIONS_SOURCES))
        except InvalidInput:
            raise ValidationFailed({"sources": _(
                "Name each source of values and how many values it gives (1 to 1,000).")}) \
                from None
    return NO_BEACON


def commit_draw(contest: Contest, choice: BeaconChoice, now: datetime,
                rules_sha256: str, eligibility_sha256: str) -> DrawSetup:
    """Create the contest's seed, salt, declaration D and commitment (flushed, not committed).

    D binds the salt, the method, the numbers of winners and alternates, the
    declared randomness (drand round, or sources and the time they exist), the
    window and both rules' hashes; ``C = H("gdraw-v2" ‖ "/commit" ‖ lp(id) ‖ H(D) ‖ S)``.

    :raise ValidationFailed: for an unknown beacon or method, a draw time before the
        close, a declared beacon without description or sources, or commit-only without
        an admin's confirmation.
    """
    draw_time = _check_choice(contest, choice)
    beacon = beacon_declaration(choice.kind, draw_time, choice.description, choice.sources)
    seed, salt = new_seed(), new_salt()
    committed_at = now.replace(microsecond=0)
    try:
        document = build_declaration(
            draw_id=contest.public_id, salt=salt, method=choice.method,
            winners=contest.winners, alternates=contest.alternates, beacon=beacon,
            opens_at=contest.opens_at, closes_at=contest.closes_at, rules_sha256=rules_sha256,
            eligibility_sha256=eligibility_sha256, committed_at=committed_at)
    except InvalidInput:
        # What a form can get wrong is checked above; this leaves the RFC 3797 limit.
        raise ValidationFailed({"method": _(
            "The RFC 3797 method draws at most 65,536 winners and alternates together.")}) \
            from None
    digest = declaration_digest(document)
    setup = DrawSetup(
        contest_id=contest.id, seed_sealed=seal("draw-seed", seed), salt=salt.hex(),
        commitment=commitment(contest.public_id, seed, digest).hex(), committed_at=committed_at,
        beacon_kind=choice.kind, draw_time=beacon.time or draw_time,
        drand_round=beacon.round, beacon_description=choice.description.strip(),
        anomalies=[], protocol="gdraw-v2", method=choice.method,
        declaration=canonical_json(document).decode("utf-8"), declaration_sha256=digest.hex(),
        declared_sources=[{"name": s.name, "count": s.count} for s in beacon.sources] or None)
    db.session.add(setup)
    db.session.flush()
    return setup


def declaration_document(setup: DrawSetup) -> Optional[dict[str, Any]]:
    """D as published (gdraw-v2), or None for a gdraw-v1 contest."""
    return json.loads(setup.declaration) if setup.declaration else None


def setup_of(contest: Contest) -> Optional[DrawSetup]:
    """The contest's draw setup, or None before it opened."""
    return db.session.get(DrawSetup, contest.id)


def declaration(setup: DrawSetup) -> dict:
    """The beacon declaration as published at opening (JSON values; D itself for gdraw-v2)."""
    if setup.declaration:
        return {"protocol": setup.protocol, "declaration": declaration_document(setup),
                "declaration_sha256": setup.declaration_sha256}
    return {"kind": setup.beacon_kind, "draw_time": setup.draw_time.isoformat(),
            "drand_chain": QUICKNET.chain_hash.hex() if setup.beacon_kind == "drand" else None,
            "drand_round": setup.drand_round, "description": setup.beacon_description}
