"""gdraw-v2 redeclarations: a late freeze moves the draw to a later beacon, in the open.

A redeclaration is a signed record (reason, the beacon it replaces, the new
one, when) chained to the declaration by its digest.  Verifiers check that
each one moves strictly later, list it as an anomaly, and use the last
beacon declared for the timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .checks import CheckResult, failed, note
from .declaration import BeaconDeclaration, Declaration, parse_beacon_declaration
from .encoding import format_timestamp, parse_strict_timestamp
from .errors import InvalidInput
from .signature_check import check_signature

RECORD_TYPE = "gdraw-v2/redeclaration"


def build_redeclaration(*, declaration: Declaration, seq: int, at: dt.datetime, reason: str,
                        previous: BeaconDeclaration, beacon: BeaconDeclaration) -> dict[str, Any]:
    """Return the unsigned redeclaration record number ``seq`` (1, 2, …).

    Raises InvalidInput when the new beacon is not of the same kind, not
    strictly later than ``previous``, or not after ``at`` (it must not exist yet).
    """
    if beacon.kind != previous.kind or beacon.kind == "none":
        raise InvalidInput("beacon.kind", "a redeclaration keeps the kind of randomness")
    assert beacon.time is not None and previous.time is not None
    if not beacon.time > previous.time:
        raise InvalidInput("beacon", "the new beacon must come after the one it replaces")
    if not beacon.time > at:
        raise InvalidInput("beacon", "the new beacon must not exist yet")
    if not reason.strip():
        raise InvalidInput("reason", "say why")
    return {"type": RECORD_TYPE, "draw_id": declaration.draw_id,
            "declaration_sha256": declaration.digest.hex(), "seq": seq,
            "at": format_timestamp(at.replace(microsecond=0)), "reason": reason.strip(),
            "previous": previous.to_document(), "beacon": beacon.to_document()}


def effective_beacon(declaration: Declaration,
                     records: Sequence[dict[str, Any]]) -> BeaconDeclaration:
    """Return the beacon in force: the last redeclared one, else the declared one.

    Raises InvalidDocument for a record whose beacon is malformed.
    """
    beacon = declaration.beacon
    for i, record in enumerate(records):
        beacon = parse_beacon_declaration(record.get("beacon"),
                                          f"redeclarations[{i}].beacon")
    return beacon


def check_redeclarations(declaration: Declaration, records: Sequence[dict[str, Any]],
                         public_key: Ed25519PublicKey | None) -> list[CheckResult]:
    """Return one anomaly note per record, and a FAIL for each broken rule.

    Each record must name this draw and declaration, follow on from the
    beacon in force (same kind, strictly later, not yet in existence when
    declared, declared after the commitment) and carry a valid signature.
    """
    out: list[CheckResult] = []
    current = declaration.beacon
    for i, record in enumerate(records):
        field = f"redeclarations[{i}]"
        try:
            problem, new = _record_problem(declaration, record, i, current)
        except InvalidInput as exc:  # InvalidDocument included
            problem, new = f"{exc.field}: {exc.reason}", None
        if problem:
            out.append(failed("redeclaration", f"{field}: {problem}"))
        out += [failed("redeclaration", f"{field}: {message}")
                for message in _signature_problems(record, public_key)]
        if new is not None:
            out.append(note("redeclaration", _describe(record, current, new), "beacon_redeclared"))
            current = new
    return out


def _signature_problems(record: dict[str, Any],
                        public_key: Ed25519PublicKey | None) -> list[str]:
    # A redeclaration must be signed, and checked against the certificate's key (never
    # against a key the record brings along: anyone can sign with their own).
    if public_key is None:
        return ["cannot be checked: the certificate is unsigned and no organiser key was given"]
    return [r.message for r in check_signature(record, public_key)
            if r.code in ("unsigned", "signature_unchecked") or not r.ok]


def _record_problem(declaration: Declaration, record: dict[str, Any], i: int,
                    current: BeaconDeclaration) -> tuple[str, BeaconDeclaration | None]:
    field = f"redeclarations[{i}]"
    if record.get("type") != RECORD_TYPE:
        return f"type must be {RECORD_TYPE!r}", None
    if record.get("draw_id") != declaration.draw_id:
        return "names another draw", None
    if record.get("declaration_sha256") != declaration.digest.hex():
        return "is chained to another declaration", None
    if record.get("seq") != i + 1:
        return f"seq must be {i + 1} (records in order, none missing)", None
    at = parse_strict_timestamp(record.get("at"), f"{field}.at")
    if not isinstance(record.get("reason"), str) or not record["reason"].strip():
        return "gives no reason", None
    previous = parse_beacon_declaration(record.get("previous"), f"{field}.previous")
    if previous != current:
        return "does not replace the beacon in force", None
    new = parse_beacon_declaration(record.get("beacon"), f"{field}.beacon")
    if new.kind != current.kind or new.kind == "none":
        return "changes the kind of randomness", None
    assert new.time is not None and current.time is not None
    if not new.time > current.time:
        return "does not move to a later beacon", None
    if not new.time > at:
        return "declares a beacon that already existed", None
    if at < declaration.committed_at:
        return "is dated before the commitment", None
    return "", new


def _describe(record: dict[str, Any], old: BeaconDeclaration, new: BeaconDeclaration) -> str:
    assert old.time is not None and new.time is not None
    return (f"anomaly: on {record['at']} the beacon was redeclared from "
            f"{format_timestamp(old.time)} to {format_timestamp(new.time)} "
            f"(later, as required); reason given: {record['reason']}")
