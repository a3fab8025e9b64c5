"""Reading a certificate document: strict JSON, then a typed view of its core members.

Only the shape is checked here; whether the values agree is verification.
Every problem raises InvalidDocument naming the member (``entries.count``…).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from .beacons import Beacon, DeclaredValuesBeacon, beacon_from_document
from .declaration import parse_declaration
from .encoding import parse_hex, parse_strict_timestamp, parse_timestamp, utf8
from .errors import InvalidDocument, InvalidInput
from .protocol import SALT_BYTES, SEED_BYTES, check_count, check_places
from .selection import METHOD_GDRAW, METHOD_GDRAW_V2, METHOD_RFC3797

PROTOCOL = "gdraw-v1"
PROTOCOL_V2 = "gdraw-v2"


@dataclass(frozen=True)
class Pick:
    """One line of ``result``: an index into L and the leaf the document says is there."""

    index: int
    leaf: bytes


@dataclass(frozen=True)
class Certificate:
    """The verifiable core of a certificate document, decoded."""

    method: str
    draw_id: str
    commitment: bytes | None
    committed_at: dt.datetime | None
    salt: bytes | None
    seed: bytes | None
    winners: int
    alternates: int
    count: int
    merkle_root: bytes
    leaves_location: str | None
    frozen_at: dt.datetime | None
    beacon: Beacon
    beacon_member: dict[str, Any]
    result_winners: tuple[Pick, ...]
    result_alternates: tuple[Pick, ...]
    signature: Any  # the raw ``signature`` member, or None when absent
    protocol: str = PROTOCOL
    # gdraw-v2 only:
    declaration: Any = None  # giveaway.core.declaration.Declaration
    drawn_at: dt.datetime | None = None
    redeclarations: tuple[dict[str, Any], ...] = ()
    timestamps: Any = None  # the raw ``timestamps`` member, or None when absent

    @property
    def is_v2(self) -> bool:
        """True for a gdraw-v2 certificate."""
        return self.protocol == PROTOCOL_V2


def load_document(data: bytes | str) -> dict[str, Any]:
    """Return the JSON object in ``data``.

    Raises InvalidDocument("document") for invalid UTF-8 or JSON, a top level
    that is not an object, a duplicated member name (it would make the signed
    content ambiguous) or a non-finite number.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise InvalidDocument("document", "is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InvalidDocument("document", f"is not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise InvalidDocument("document", "must be a JSON object")
    return doc


def parse_certificate(doc: Any) -> Certificate:
    """Return the typed core of the certificate ``doc``; raise InvalidDocument if unusable."""
    try:
        return _parse(doc)
    except InvalidDocument:
        raise
    except InvalidInput as exc:
        raise InvalidDocument(exc.field, exc.reason) from None


def _parse(doc: Any) -> Certificate:
    if not isinstance(doc, dict):
        raise InvalidDocument("document", "must be a JSON object")
    protocol = _get(doc, "protocol", str)
    if protocol == PROTOCOL_V2:
        return _parse_v2(doc)
    if protocol != PROTOCOL:
        raise InvalidDocument("protocol", f"must be {PROTOCOL!r} or {PROTOCOL_V2!r}")
    method, draw_id = _method_and_id(doc, (METHOD_GDRAW, METHOD_RFC3797))
    optional = method == METHOD_RFC3797
    seed = _hex(doc, "seed", SEED_BYTES, optional)
    salt = _hex(doc, "salt", SALT_BYTES, optional)
    commit = _hex(doc, "commitment", 32, optional)
    committed_at = _time(doc, "committed_at", "committed_at")
    winners, alternates = _get(doc, "winners", int), _get(doc, "alternates", int)
    check_places(winners, alternates)
    entries = _get(doc, "entries", dict)
    count = check_count(_get(entries, "count", int, "entries.count"))
    root = parse_hex(_get(entries, "merkle_root", str, "entries.merkle_root"),
                     "entries.merkle_root", 32)
    location = entries.get("leaves")
    if location is not None and not isinstance(location, str):
        raise InvalidDocument("entries.leaves", "must be a URL or a path")
    frozen_at = _time(entries, "frozen_at", "entries.frozen_at")
    beacon_member = _get(doc, "beacon", dict)
    beacon = beacon_from_document(beacon_member)
    if beacon.kind == "drand" and frozen_at is None:
        raise InvalidDocument("entries.frozen_at", "is required with a drand beacon")
    if optional and not isinstance(beacon, DeclaredValuesBeacon):
        raise InvalidDocument("beacon.kind", "the rfc3797 method needs a beacon of kind rfc3797")
    result = _get(doc, "result", dict)
    return Certificate(method, draw_id, commit, committed_at, salt, seed, winners, alternates,
                       count, root, location, frozen_at, beacon, beacon_member,
                       _picks(result, "winners"), _picks(result, "alternates"),
                       doc.get("signature"))


def _parse_v2(doc: dict[str, Any]) -> Certificate:
    method, draw_id = _method_and_id(doc, (METHOD_GDRAW_V2, METHOD_RFC3797))
    seed = _hex(doc, "seed", SEED_BYTES, False)
    salt = _hex(doc, "salt", SALT_BYTES, False)
    commit = _hex(doc, "commitment", 32, False)
    committed_at = parse_strict_timestamp(doc.get("committed_at"), "committed_at")
    winners, alternates = _get(doc, "winners", int), _get(doc, "alternates", int)
    check_places(winners, alternates)
    declaration = parse_declaration(_get(doc, "declaration", dict))
    parse_hex(_get(doc, "declaration_sha256", str), "declaration_sha256", 32)
    entries = _get(doc, "entries", dict)
    count = check_count(_get(entries, "count", int, "entries.count"))
    root = parse_hex(_get(entries, "merkle_root", str, "entries.merkle_root"),
                     "entries.merkle_root", 32)
    location = _get(entries, "leaves", str, "entries.leaves")
    frozen_at = parse_strict_timestamp(entries.get("frozen_at"), "entries.frozen_at")
    drawn_at = parse_strict_timestamp(doc.get("drawn_at"), "drawn_at")
    beacon_member = _get(doc, "beacon", dict)
    beacon = beacon_from_document(beacon_member)
    if method == METHOD_RFC3797 and not isinstance(beacon, DeclaredValuesBeacon):
        raise InvalidDocument("beacon.kind", "the rfc3797 method needs a beacon of kind rfc3797")
    redeclarations = doc.get("redeclarations", [])
    if not isinstance(redeclarations, list) or \
            not all(isinstance(r, dict) for r in redeclarations):
        raise InvalidDocument("redeclarations", "must be a list of objects")
    result = _get(doc, "result", dict)
    return Certificate(method, draw_id, commit, committed_at, salt, seed, winners, alternates,
                       count, root, location, frozen_at, beacon, beacon_member,
                       _picks(result, "winners"), _picks(result, "alternates"),
                       doc.get("signature"), PROTOCOL_V2, declaration, drawn_at,
                       tuple(redeclarations), doc.get("timestamps"))


def _method_and_id(doc: dict[str, Any], methods: tuple[str, str]) -> tuple[str, str]:
    method = _get(doc, "method", str)
    if method not in methods:
        raise InvalidDocument("method", f"must be {methods[0]!r} or {methods[1]!r}")
    draw_id = _get(doc, "draw_id", str)
    if not draw_id or len(utf8(draw_id, "draw_id")) > 0xFFFF:
        raise InvalidDocument("draw_id", "must be 1 to 65535 bytes of UTF-8")
    return method, draw_id


def _get(obj: dict[str, Any], name: str, kind: type, field: str | None = None) -> Any:
    field = field or name
    if name not in obj:
        raise InvalidDocument(field, "is missing")
    value = obj[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidDocument(field, f"must be {_KIND_NAMES[kind]}")
    return value


_KIND_NAMES = {str: "a string", int: "an integer", dict: "an object", list: "a list"}


def _hex(doc: dict[str, Any], name: str, size: int, optional: bool) -> bytes | None:
    if optional and doc.get(name) is None:
        return None
    return parse_hex(_get(doc, name, str), name, size)


def _time(obj: dict[str, Any], name: str, field: str) -> dt.datetime | None:
    value = obj.get(name)
    return None if value is None else parse_timestamp(value, field)


def _picks(result: dict[str, Any], name: str) -> tuple[Pick, ...]:
    picks = []
    for i, item in enumerate(_get(result, name, list, f"result.{name}")):
        field = f"result.{name}[{i}]"
        if not isinstance(item, dict):
            raise InvalidDocument(field, "must be an object with index and leaf")
        index = _get(item, "index", int, f"{field}.index")
        if index < 0:
            raise InvalidDocument(f"{field}.index", "must not be negative")
        leaf = parse_hex(_get(item, "leaf", str, f"{field}.leaf"), f"{field}.leaf", 32)
        picks.append(Pick(index, leaf))
    return tuple(picks)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise InvalidDocument("document", f"member {key!r} appears twice")
        obj[key] = value
    return obj


def _no_constant(name: str) -> Any:
    raise InvalidDocument("document", f"{name} is not a valid JSON number")
