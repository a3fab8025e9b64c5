"""gdraw-v2: the declaration D fixed at opening, its digest, and its beacon's time.

``D`` is a JSON object holding everything the draw depends on apart from the
entries and the randomness itself: the salt, the method, the numbers of
winners and alternates, *which* randomness will be used and when it comes
into existence, the entry window and the rules' hashes.  Its digest
``d = H(canonical(D))`` is bound into the commitment and the transcript, so
nothing declared can be changed afterwards without breaking both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .drand import chain_for
from .encoding import (canonical_json, format_timestamp, parse_hex, parse_strict_timestamp,
                       sha256, utf8)
from .errors import InvalidDocument, InvalidInput
from .protocol import SALT_BYTES, check_places
from .rfc3797 import MAX_PICKS as RFC3797_MAX_PICKS

PROTOCOL_V2 = "gdraw-v2"
METHODS_V2 = ("gdraw", "rfc3797")
BEACON_KINDS_V2 = ("drand", "declared", "none")
MAX_SOURCES = 64
MAX_VALUES_PER_SOURCE = 1000
MAX_TEXT = 500


@dataclass(frozen=True)
class DeclaredSource:
    """One declared source of public values: its name and how many values it gives."""

    name: str
    count: int


@dataclass(frozen=True)
class BeaconDeclaration:
    """Which randomness the draw will use, and ``time``: when it comes into existence.

    ``kind`` is ``drand`` (``chain_hash``, ``round``), ``declared`` (``sources``,
    ``description``) or ``none`` (``time`` is None).
    """

    kind: str
    time: dt.datetime | None
    chain_hash: bytes | None = None
    round: int | None = None
    sources: tuple[DeclaredSource, ...] = ()
    description: str = ""

    def to_document(self) -> dict[str, Any]:
        """Return the ``beacon`` member of D (JSON values only)."""
        if self.kind == "drand":
            assert self.chain_hash is not None and self.time is not None
            return {"kind": "drand", "chain_hash": self.chain_hash.hex(), "round": self.round,
                    "round_time": format_timestamp(self.time)}
        if self.kind == "declared":
            assert self.time is not None
            return {"kind": "declared", "available_at": format_timestamp(self.time),
                    "description": self.description,
                    "sources": [{"name": s.name, "count": s.count} for s in self.sources]}
        return {"kind": "none"}


@dataclass(frozen=True)
class Declaration:
    """The decoded declaration D, and ``digest`` = H(canonical(D))."""

    draw_id: str
    salt: bytes
    method: str
    winners: int
    alternates: int
    beacon: BeaconDeclaration
    opens_at: dt.datetime
    closes_at: dt.datetime
    rules_sha256: str
    eligibility_sha256: str
    committed_at: dt.datetime
    document: dict[str, Any]
    digest: bytes


def drand_declaration(round_number: int, chain_hash: bytes) -> BeaconDeclaration:
    """Return the declaration of drand round ``round_number`` of the pinned chain.

    Raises InvalidInput for an unknown chain or a round out of range.
    """
    chain = chain_for(chain_hash)
    return BeaconDeclaration("drand", chain.round_time(round_number), chain.chain_hash,
                             round_number)


def declared_values_declaration(available_at: dt.datetime, description: str,
                                sources: list[tuple[str, int]]) -> BeaconDeclaration:
    """Return the declaration of public values that exist from ``available_at``.

    ``sources`` lists (name, number of values).  Raises InvalidInput naming
    the field for an empty description, no source, or a count out of range.
    """
    decl = BeaconDeclaration("declared", _utc(available_at), sources=tuple(
        DeclaredSource(name, count) for name, count in sources), description=description)
    _check_declared(decl, "beacon")
    return decl


NO_BEACON = BeaconDeclaration("none", None)


def build_declaration(*, draw_id: str, salt: bytes, method: str, winners: int,
                      alternates: int, beacon: BeaconDeclaration, opens_at: dt.datetime,
                      closes_at: dt.datetime, rules_sha256: str, eligibility_sha256: str,
                      committed_at: dt.datetime) -> dict[str, Any]:
    """Return D as a JSON object; times are written to the second (UTC, ``Z``).

    Raises InvalidInput naming the field for any value D cannot hold (the
    result always passes :func:`parse_declaration`).
    """
    doc = {
        "protocol": PROTOCOL_V2, "draw_id": draw_id, "salt": bytes(salt).hex(),
        "method": method, "winners": winners, "alternates": alternates,
        "beacon": beacon.to_document(),
        "opens_at": _second(opens_at), "closes_at": _second(closes_at),
        "rules_sha256": rules_sha256, "eligibility_sha256": eligibility_sha256,
        "committed_at": _second(committed_at),
    }
    try:
        parse_declaration(doc)
    except InvalidDocument as exc:
        raise InvalidInput(exc.field, exc.reason) from None
    return doc


def declaration_digest(doc: dict[str, Any]) -> bytes:
    """Return ``d = H(canonical(D))``."""
    return sha256(canonical_json(doc))


def parse_declaration(doc: Any, field: str = "declaration") -> Declaration:
    """Return the decoded declaration ``doc``.

    Raises InvalidDocument naming the member (``declaration.beacon.round``…)
    when a member is missing, malformed or out of range, or D holds a
    member this version does not know (an unknown member could hide a
    choice made later).
    """
    try:
        return _parse(doc, field)
    except InvalidDocument:
        raise
    except InvalidInput as exc:
        raise InvalidDocument(exc.field, exc.reason) from None


_MEMBERS = frozenset({"protocol", "draw_id", "salt", "method", "winners", "alternates",
                      "beacon", "opens_at", "closes_at", "rules_sha256", "eligibility_sha256",
                      "committed_at"})


def _parse(doc: Any, field: str) -> Declaration:
    if not isinstance(doc, dict):
        raise InvalidDocument(field, "must be an object")
    _exact_members(doc, _MEMBERS, field)
    if doc["protocol"] != PROTOCOL_V2:
        raise InvalidDocument(f"{field}.protocol", f"must be {PROTOCOL_V2!r}")
    draw_id = _text(doc, "draw_id", field, 1, 0xFFFF)
    salt = parse_hex(_typed(doc, "salt", str, field), f"{field}.salt", SALT_BYTES)
    method = _typed(doc, "method", str, field)
    if method not in METHODS_V2:
        raise InvalidDocument(f"{field}.method", "must be 'gdraw' or 'rfc3797'")
    winners, alternates = _typed(doc, "winners", int, field), _typed(doc, "alternates", int, field)
    try:
        check_places(winners, alternates)
    except InvalidInput as exc:
        raise InvalidDocument(f"{field}.{exc.field}", exc.reason) from None
    beacon = parse_beacon_declaration(doc["beacon"], f"{field}.beacon")
    if method == "rfc3797" and beacon.kind != "declared":
        raise InvalidDocument(f"{field}.method", "the rfc3797 method needs declared values")
    if method == "rfc3797" and winners + alternates > RFC3797_MAX_PICKS:
        raise InvalidDocument(f"{field}.alternates", f"the rfc3797 method draws at most "
                                                     f"{RFC3797_MAX_PICKS} positions")
    opens_at, closes_at = _time(doc, "opens_at", field), _time(doc, "closes_at", field)
    if not opens_at < closes_at:
        raise InvalidDocument(f"{field}.closes_at", "must come after opens_at")
    rules = _digest_hex(doc, "rules_sha256", field)
    eligibility = _digest_hex(doc, "eligibility_sha256", field)
    return Declaration(draw_id, salt, method, winners, alternates, beacon, opens_at,
                       closes_at, rules, eligibility, _time(doc, "committed_at", field),
                       doc, declaration_digest(doc))


def parse_beacon_declaration(doc: Any, field: str = "beacon") -> BeaconDeclaration:
    """Return the decoded ``beacon`` member of D; raise InvalidDocument naming the field."""
    try:
        return _parse_beacon(doc, field)
    except InvalidDocument:
        raise
    except InvalidInput as exc:
        raise InvalidDocument(exc.field, exc.reason) from None


def _parse_beacon(doc: Any, field: str) -> BeaconDeclaration:
    if not isinstance(doc, dict):
        raise InvalidDocument(field, "must be an object")
    kind = doc.get("kind")
    if kind == "none":
        _exact_members(doc, {"kind"}, field)
        return NO_BEACON
    if kind == "drand":
        _exact_members(doc, {"kind", "chain_hash", "round", "round_time"}, field)
        chain = chain_for(parse_hex(_typed(doc, "chain_hash", str, field),
                                    f"{field}.chain_hash", 32))
        round_number = _typed(doc, "round", int, field)
        decl = drand_declaration(round_number, chain.chain_hash)
        if _time(doc, "round_time", field) != decl.time:
            raise InvalidDocument(f"{field}.round_time", f"is not the time of round "
                                                         f"{round_number} of {chain.name}")
        return decl
    if kind == "declared":
        _exact_members(doc, {"kind", "available_at", "description", "sources"}, field)
        raw = _typed(doc, "sources", list, field)
        sources = []
        for i, item in enumerate(raw):
            where = f"{field}.sources[{i}]"
            if not isinstance(item, dict):
                raise InvalidDocument(where, "must be an object with name and count")
            _exact_members(item, {"name", "count"}, where)
            sources.append(DeclaredSource(_text(item, "name", where, 1, MAX_TEXT),
                                          _typed(item, "count", int, where)))
        decl = BeaconDeclaration("declared", _time(doc, "available_at", field),
                                 sources=tuple(sources),
                                 description=_text(doc, "description", field, 1, MAX_TEXT))
        _check_declared(decl, field)
        return decl
    raise InvalidDocument(f"{field}.kind", "must be 'drand', 'declared' or 'none'")


def _check_declared(decl: BeaconDeclaration, field: str) -> None:
    if not decl.description.strip():
        raise InvalidInput(f"{field}.description", "name the public values")
    if not 1 <= len(decl.sources) <= MAX_SOURCES:
        raise InvalidInput(f"{field}.sources", f"declare 1 to {MAX_SOURCES} sources")
    for i, source in enumerate(decl.sources):
        if not isinstance(source.name, str) or not source.name.strip():
            raise InvalidInput(f"{field}.sources[{i}].name", "name each source")
        if isinstance(source.count, bool) or not isinstance(source.count, int) \
                or not 1 <= source.count <= MAX_VALUES_PER_SOURCE:
            raise InvalidInput(f"{field}.sources[{i}].count",
                               f"must be between 1 and {MAX_VALUES_PER_SOURCE}")


def _exact_members(doc: dict[str, Any], names: frozenset[str] | set[str], field: str) -> None:
    for name in sorted(names):
        if name not in doc:
            raise InvalidDocument(f"{field}.{name}", "is missing")
    extra = sorted(set(doc) - set(names))
    if extra:
        raise InvalidDocument(f"{field}.{extra[0]}", "is not a member of this version")


def _typed(doc: dict[str, Any], name: str, kind: type, field: str) -> Any:
    value = doc.get(name)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidDocument(f"{field}.{name}", f"must be {_KINDS[kind]}")
    return value


_KINDS = {str: "a string", int: "an integer", list: "a list", dict: "an object"}


def _text(doc: dict[str, Any], name: str, field: str, low: int, high: int) -> str:
    value = _typed(doc, name, str, field)
    if not low <= len(utf8(value, f"{field}.{name}")) <= high:
        raise InvalidDocument(f"{field}.{name}", f"must be {low} to {high} bytes of UTF-8")
    return value


def _digest_hex(doc: dict[str, Any], name: str, field: str) -> str:
    value = _typed(doc, name, str, field)
    parse_hex(value, f"{field}.{name}", 32)
    if value != value.lower():
        raise InvalidDocument(f"{field}.{name}", "must be lowercase hex")
    return value


def _time(doc: dict[str, Any], name: str, field: str) -> dt.datetime:
    return parse_strict_timestamp(doc.get(name), f"{field}.{name}")


def _second(when: dt.datetime) -> str:
    return format_timestamp(_utc(when).replace(microsecond=0))


def _utc(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        raise InvalidInput("timestamp", "must be timezone-aware")
    return when.astimezone(dt.timezone.utc)
