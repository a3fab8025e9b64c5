"""The draw: once, exactly as committed. Every attempt is audit-logged."""
from __future__ import annotations

import time
from datetime import datetime
from typing import Callable, Optional, Sequence

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, OperationalError

from giveaway.audit import service as audit
from giveaway.contests.lifecycle import mark_drawn
from giveaway.contests.locking import lock
from giveaway.contests.models import Contest, ContestStatus
from giveaway.core import (BeaconNotYetAvailable, DeclaredValuesBeacon, InvalidInput, NoBeacon,
                           QUICKNET, draw, entry_leaf, fetch_drand_beacon)
from giveaway.core.declaration import parse_declaration
from giveaway.core.errors import BeaconError
from giveaway.core.selection import draw_as_declared
from giveaway.core.timestamps import certificate_imprint
from giveaway.db_types import utcnow
from giveaway.draws.certificate import harvest_snapshot, seal_certificate
from giveaway.draws.commitment import declaration_document, setup_of
from giveaway.draws.freeze import beacon_time, counted_keys, frozen_leaves
from giveaway.draws.masking import mask_handle
from giveaway.draws.models import Candidate, Draw, DrawSetup, Freeze
from giveaway.draws.timestamping import schedule_timestamps
from giveaway.draws.waiting import format_paris, format_wait
from giveaway.errors import Conflict, ServiceError, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.models import Comment
from giveaway.secretbox import open_seed


class BeaconPending(ServiceError):
    """The declared randomness does not exist yet; ``available_at`` says when it will."""

    status_code = 409

    def __init__(self, message: str, available_at: Optional[datetime]):
        super().__init__(message)
        self.available_at = available_at


Declared = Optional[Sequence[Sequence[int | str]]]


def _beacon(setup: DrawSetup, freeze: Freeze, declared: Declared, fetch: Callable):
    if setup.beacon_kind == "none":
        return NoBeacon()
    deadline = beacon_time(setup)
    if freeze.frozen_at >= deadline:
        raise Conflict(_("The entries were frozen after the declared randomness existed: that "
                         "round may not be used. Declare a later one with a reason."))
    if setup.beacon_kind == "rfc3797":
        _check_available(setup, deadline)
        if not declared:
            raise ValidationFailed({"values": _("Enter the declared public values.")})
        _check_declared_shape(setup, declared)
        try:
            return DeclaredValuesBeacon.from_sources(declared, setup.beacon_description)
        except InvalidInput as exc:
            raise ValidationFailed({"values": exc.reason}) from None
    try:
        beacon = fetch(setup.drand_round, list(current_app.config["DRAND_URLS"]))
        beacon.verify()
    except BeaconNotYetAvailable as exc:
        raise BeaconPending(_("The drand round %(r)d is not out yet (due %(t)s).",
                              r=setup.drand_round, t=format_paris(deadline)), deadline) from exc
    except BeaconError as exc:
        raise Conflict(_("The drand round could not be used: %(e)s", e=str(exc))) from None
    return beacon


def _check_available(setup: DrawSetup, available_at: datetime) -> None:
    """:raise BeaconPending: before the declared values exist (gdraw-v2), with the wait."""
    now = utcnow()
    if setup.protocol == "gdraw-v2" and now < available_at:
        raise BeaconPending(_("Too early: the declared values (%(what)s) do not exist before "
                              "%(when)s. Wait %(wait)s more.", what=setup.beacon_description,
                              when=format_paris(available_at), wait=format_wait(available_at - now)),
                            available_at)


def wait_before_draw(setup: Optional[DrawSetup]) -> Optional[str]:
    """How long until a gdraw-v2 draw may run, in words; None when it may run now."""
    deadline = beacon_time(setup) if setup is not None and setup.protocol == "gdraw-v2" else None
    now = utcnow()
    return format_wait(deadline - now) if deadline is not None and now < deadline else None


def _check_declared_shape(setup: DrawSetup, declared: Sequence[Sequence[object]]) -> None:
    """:raise ValidationFailed: when the values do not have the declared sources and counts."""
    expected = [s["count"] for s in setup.declared_sources or []]
    if not expected:
        return
    given = [len(source) for source in declared]
    if given != expected:
        raise ValidationFailed({"values": _(
            "The declaration announced %(n)d source(s) of %(counts)s value(s); you entered "
            "%(m)d source(s) of %(given)s value(s). Type every value, sources separated by « / ».",
            n=len(expected), counts=" / ".join(map(str, expected)), m=len(given),
            given=" / ".join(map(str, given)))})


def _handle_of(contest: Contest, network: str, user_id: str) -> str:
    return db.session.scalar(sa.select(Comment.username).where(
        Comment.contest_id == contest.id, Comment.network == network, Comment.user_id == user_id)
        .order_by(Comment.created_at.desc(), Comment.id.desc()).limit(1)) or ""


def _candidates(contest: Contest, setup: DrawSetup, leaves: list[bytes], result) -> list:
    salt = bytes.fromhex(setup.salt)
    picked = {leaves[i] for i in (*result.winners, *result.alternates)}
    key_of = {}
    for key in counted_keys(contest):
        leaf = entry_leaf(salt, key)
        if leaf in picked:
            key_of[leaf] = key
    rows = []
    order = [(i, "winner") for i in result.winners] + [(i, "alternate") for i in result.alternates]
    if len(key_of) != len(picked):
        raise Conflict(_("The stored verdicts no longer match the frozen entries: run "
                         "« flask --app giveaway audit verify »."))
    for position, (index, drawn_as) in enumerate(order):
        key = key_of[leaves[index]]
        network, rest = key.split(":", 1)
        user_id = rest.split("/", 1)[0]
        handle = _handle_of(contest, network, user_id)
        rows.append(Candidate(
            contest_id=contest.id, position=position, drawn_as=drawn_as, leaf_index=index,
            leaf=leaves[index].hex(), entry_key=key, network=network, user_id=user_id,
            handle=handle, masked_handle=mask_handle(handle),
            status="to_contact" if drawn_as == "winner" else "standby"))
    return rows


def run_draw(contest: Contest, actor: str, declared: Declared = None,
             fetch: Callable = fetch_drand_beacon) -> Draw:
    """Run the contest's one draw and return it; every refusal is audit-logged too.

    :raise BeaconPending: when the drand round is still in the future (wait, retry).
    :raise Conflict: when already drawn, not frozen, or the beacon cannot be used.
    """
    try:
        return _run(contest, actor, declared, fetch)
    except ServiceError as exc:
        db.session.rollback()
        _log_refusal(contest, actor, exc.message)
        raise
    except IntegrityError:
        db.session.rollback()
        _log_refusal(contest, actor, "already drawn (concurrent request)")
        raise Conflict(_("This contest has already been drawn.")) from None
    except OperationalError:  # SQLite: another request holds the write lock (it is drawing)
        db.session.rollback()
        _log_refusal(contest, actor, "database busy with another draw request")
        raise Conflict(_("Another draw request is being processed; reload the page to see "
                         "its result.")) from None


def _log_refusal(contest: Contest, actor: str, message: str) -> None:
    """Audit-log a refused attempt, retrying while concurrent requests append to the log.

    :raise OperationalError: if the log stays unwritable for about 30 seconds.
    """
    deadline = time.monotonic() + 30
    while True:
        try:
            audit.append(actor, "draw.refused", "contest", contest.public_id, {"why": message})
            db.session.commit()
            return
        except (IntegrityError, OperationalError):
            db.session.rollback()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _check_drawable(contest: Contest, status: ContestStatus, setup: Optional[DrawSetup],
                    freeze: Optional[Freeze]) -> None:
    """:raise Conflict: unless the contest is frozen and not drawn yet."""
    if db.session.get(Draw, contest.id) is not None or status in (ContestStatus.DRAWN,
                                                                   ContestStatus.ARCHIVED):
        raise Conflict(_("This contest has already been drawn."))
    if freeze is None or setup is None or status != ContestStatus.FROZEN:
        raise Conflict(_("Freeze the entries before the draw."))


def _run(contest: Contest, actor: str, declared, fetch) -> Draw:
    setup = setup_of(contest)
    freeze = db.session.get(Freeze, contest.id)
    _check_drawable(contest, contest.status, setup, freeze)  # before fetching any beacon
    declared_time = (setup.draw_time, setup.drand_round)
    beacon = _beacon(setup, freeze, declared, fetch)
    leaves = frozen_leaves(freeze)
    result = _select(setup, contest, beacon, leaves)
    now = utcnow()
    deadline = beacon_time(setup)
    if setup.protocol == "gdraw-v2" and deadline is not None and now < deadline:
        raise BeaconPending(_("The draw may not run before the declared time (%(t)s).",
                              t=format_paris(deadline)), deadline)
    # From here on the contest's row is locked (after the beacon fetch, which may take
    # seconds): the state and the declared time as stored now decide.
    status = lock(contest)
    db.session.refresh(setup)
    _check_drawable(contest, status, setup, freeze)
    if (setup.draw_time, setup.drand_round) != declared_time:
        raise Conflict(_("A later draw time was declared in the meantime; reload the page."))
    record = Draw(contest_id=contest.id, drawn_at=now, operator=actor,
                  beacon=beacon.to_document(), audit_head=audit.head_hash(),
                  harvest=harvest_snapshot(contest), result={
                      "winners": [{"index": i, "leaf": leaves[i].hex()} for i in result.winners],
                      "alternates": [{"index": i, "leaf": leaves[i].hex()}
                                     for i in result.alternates]})
    db.session.add(record)
    db.session.flush()  # the primary key refuses a second draw here
    mark_drawn(contest, now)
    db.session.add_all(_candidates(contest, setup, leaves, result))
    db.session.flush()
    body = seal_certificate(contest, record)
    audit.append(actor, "contest.draw", "contest", contest.public_id,
                 {"beacon": record.beacon, "result": record.result, "count": freeze.count,
                  "merkle_root": freeze.merkle_root,
                  "certificate_sha256": record.certificate_sha256})
    if setup.protocol == "gdraw-v2":
        schedule_timestamps(contest, "certificate", certificate_imprint(body))
    db.session.commit()
    return record


def _select(setup: DrawSetup, contest: Contest, beacon, leaves: list[bytes]):
    """The result of the draw: as declared (v2: D bound in; method gdraw or rfc3797)."""
    if setup.protocol == "gdraw-v2":
        declaration = parse_declaration(declaration_document(setup))
        # The RFC 3797 method uses no seed: a seed no key can open does not stop it.
        seed = open_seed(setup.seed_sealed) if declaration.method != "rfc3797" else None
        return draw_as_declared(seed, declaration, beacon, leaves)
    seed = open_seed(setup.seed_sealed)  # SeedUnreadable: refused and audit-logged
    return draw(seed, contest.public_id, winners=contest.winners,
                alternates=contest.alternates, beacon=beacon, leaves=leaves)


def draw_of(contest: Contest) -> Optional[Draw]:
    """The contest's draw, or None."""
    return db.session.get(Draw, contest.id)


def drand_round_time(setup: DrawSetup) -> Optional[datetime]:
    """When the declared drand round is produced (None for other beacons)."""
    return QUICKNET.round_time(setup.drand_round) if setup.drand_round else None
