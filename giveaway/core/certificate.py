"""Building the certificate document (gdraw-v1 step 8).

The verifiable core members keep the names of the protocol; the app adds
its own members through ``extra`` (ignored by verification, covered by the
signature).  Sign the result with :func:`giveaway.core.signing.sign_document`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from .beacons import Beacon
from .declaration import parse_declaration
from .document import PROTOCOL
from .encoding import format_timestamp
from .errors import InvalidInput
from .protocol import SALT_BYTES, SEED_BYTES, check_bytes, commitment
from .selection import METHOD_GDRAW, DrawResult

CORE_MEMBERS = frozenset({"protocol", "method", "draw_id", "commitment", "committed_at", "salt",
                          "seed", "winners", "alternates", "entries", "beacon", "result",
                          "signature"})
CORE_MEMBERS_V2 = CORE_MEMBERS | {"declaration", "declaration_sha256", "drawn_at",
                                  "redeclarations", "timestamps"}


def build_certificate(*, draw_id: str, winners: int, alternates: int, beacon: Beacon,
                      result: DrawResult, leaves: Sequence[bytes], leaves_location: str,
                      frozen_at: dt.datetime, seed: bytes | None = None,
                      salt: bytes | None = None, committed_at: dt.datetime | None = None,
                      extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the unsigned certificate document of a finished draw.

    ``leaves`` is the frozen list L the draw ran on (to state each picked
    leaf), ``leaves_location`` where it is published (URL, or path relative
    to the certificate file).  ``seed`` and ``salt`` are required by the
    gdraw-v1 method, optional with rfc3797.  Raises InvalidInput naming the
    field for missing or inconsistent values, or an ``extra`` member that
    would shadow a core member.
    """
    if len(leaves) != result.count:
        raise InvalidInput("entries.count", "the leaves are not those the draw ran on")
    if result.method == METHOD_GDRAW and (seed is None or salt is None):
        raise InvalidInput("seed" if seed is None else "salt", "is required by gdraw-v1")
    doc: dict[str, Any] = {"protocol": PROTOCOL, "method": result.method, "draw_id": draw_id}
    if seed is not None:
        check_bytes(seed, SEED_BYTES, "seed")
        doc["commitment"] = commitment(draw_id, seed).hex()
        doc["seed"] = seed.hex()
    if salt is not None:
        doc["salt"] = check_bytes(salt, SALT_BYTES, "salt").hex()
    if committed_at is not None:
        doc["committed_at"] = format_timestamp(committed_at)
    doc["winners"] = winners
    doc["alternates"] = alternates
    doc["entries"] = {"count": result.count, "merkle_root": result.merkle_root.hex(),
                      "leaves": leaves_location, "frozen_at": format_timestamp(frozen_at)}
    doc["beacon"] = beacon.to_document()
    doc["result"] = _result(result, leaves)
    return _with_extra(doc, extra, CORE_MEMBERS)


def build_certificate_v2(*, declaration: Mapping[str, Any], seed: bytes, beacon: Beacon,
                         result: DrawResult, leaves: Sequence[bytes], leaves_location: str,
                         frozen_at: dt.datetime, drawn_at: dt.datetime,
                         redeclarations: Sequence[Mapping[str, Any]] = (),
                         timestamps: Sequence[Mapping[str, Any]] = (),
                         extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the unsigned gdraw-v2 certificate of a finished draw.

    ``declaration`` is D as published at opening: the draw id, salt, method,
    ``k``, ``a`` and ``committed_at`` are taken from it.  ``redeclarations``
    are the signed redeclaration records, ``timestamps`` the RFC 3161 tokens
    (``{"subject", "tsa", "token"}``).  Raises InvalidInput naming the field
    for an unusable declaration or values that disagree with it.
    """
    decl = parse_declaration(dict(declaration))
    if len(leaves) != result.count:
        raise InvalidInput("entries.count", "the leaves are not those the draw ran on")
    if result.method != decl.method:
        raise InvalidInput("method", "the draw did not use the declared method")
    doc: dict[str, Any] = {
        "protocol": decl.document["protocol"], "method": decl.method, "draw_id": decl.draw_id,
        "declaration": dict(declaration), "declaration_sha256": decl.digest.hex(),
        "commitment": commitment(decl.draw_id, check_bytes(seed, SEED_BYTES, "seed"),
                                 decl.digest).hex(),
        "committed_at": decl.document["committed_at"], "salt": decl.salt.hex(),
        "seed": seed.hex(), "winners": decl.winners, "alternates": decl.alternates,
        "entries": {"count": result.count, "merkle_root": result.merkle_root.hex(),
                    "leaves": leaves_location, "frozen_at": format_timestamp(frozen_at)},
        "beacon": beacon.to_document(),
        "redeclarations": [dict(r) for r in redeclarations],
        "drawn_at": format_timestamp(drawn_at),
        "result": _result(result, leaves),
    }
    if timestamps:
        doc["timestamps"] = [dict(t) for t in timestamps]
    return _with_extra(doc, extra, CORE_MEMBERS_V2)


def _result(result: DrawResult, leaves: Sequence[bytes]) -> dict[str, Any]:
    return {"winners": [{"index": i, "leaf": leaves[i].hex()} for i in result.winners],
            "alternates": [{"index": i, "leaf": leaves[i].hex()} for i in result.alternates]}


def _with_extra(doc: dict[str, Any], extra: Mapping[str, Any] | None,
                core: frozenset[str]) -> dict[str, Any]:
    for name, value in (extra or {}).items():
        if name in core:
            raise InvalidInput(name, "is a core member and cannot be given as extra")
        doc[name] = value
    return doc
