"""Byte encodings shared by every step of gdraw-v1.

Integers are unsigned big-endian, ``lp`` prefixes a byte string with its
length as ``u16``, hex is read strictly, JSON is serialised canonically and
timestamps are ISO 8601 in UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from .errors import InvalidDocument, InvalidInput

TAG = b"gdraw-v1"
TAG_V2 = b"gdraw-v2"
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def uint(n: int, size: int) -> bytes:
    """Return ``n`` as ``size`` big-endian bytes; raise ValueError if it does not fit."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < 1 << (8 * size):
        raise ValueError(f"{n!r} is not an unsigned {8 * size}-bit integer")
    return n.to_bytes(size, "big")


def u16(n: int) -> bytes:
    """Return ``n`` as 2 big-endian bytes."""
    return uint(n, 2)


def u32(n: int) -> bytes:
    """Return ``n`` as 4 big-endian bytes."""
    return uint(n, 4)


def u64(n: int) -> bytes:
    """Return ``n`` as 8 big-endian bytes."""
    return uint(n, 8)


def lp(data: bytes) -> bytes:
    """Return ``u16(len(data)) ‖ data``; raise ValueError above 65535 bytes."""
    return u16(len(data)) + data


def sha256(*parts: bytes) -> bytes:
    """Return SHA-256 of the concatenation of ``parts``."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part)
    return h.digest()


def utf8(text: str, field: str) -> bytes:
    """Return ``text`` encoded as UTF-8; raise InvalidInput(field) if it cannot be."""
    if not isinstance(text, str):
        raise InvalidInput(field, "must be a string")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(field, "is not valid Unicode text") from None


def parse_hex(value: Any, field: str, length: int | None = None) -> bytes:
    """Return the bytes written as hex in ``value``.

    Raises InvalidInput(field) when ``value`` is not a string of hex digit
    pairs (either case, no spaces), or does not decode to ``length`` bytes.
    """
    if not isinstance(value, str):
        raise InvalidInput(field, "must be a hex string")
    if not _HEX.fullmatch(value):
        raise InvalidInput(field, "is not valid hex")
    data = bytes.fromhex(value)
    if length is not None and len(data) != length:
        raise InvalidInput(field, f"must be {length} bytes ({2 * length} hex digits), "
                                  f"got {len(data)}")
    return data


def canonical_json(obj: Any) -> bytes:
    """Return the canonical UTF-8 JSON of ``obj``: sorted keys, no whitespace.

    Raises InvalidInput("document") if ``obj`` holds a float (floats have no
    portable canonical form) or a value JSON cannot represent.
    """
    _reject_floats(obj, "document")
    try:
        text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)
        return text.encode("utf-8")
    except (TypeError, ValueError, UnicodeEncodeError) as exc:
        raise InvalidInput("document", f"cannot be serialised canonically ({exc})") from None


def _reject_floats(obj: Any, path: str) -> None:
    if isinstance(obj, float):
        raise InvalidInput(path, "floating-point numbers are not allowed")
    if isinstance(obj, dict):
        for key, value in obj.items():
            _reject_floats(value, f"{path}.{key}")
    elif isinstance(obj, (list, tuple)):
        for i, value in enumerate(obj):
            _reject_floats(value, f"{path}[{i}]")


def format_timestamp(when: dt.datetime) -> str:
    """Return ``when`` as ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z`` in UTC.

    Raises InvalidInput("timestamp") for a naive datetime.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidInput("timestamp", "must be timezone-aware")
    when = when.astimezone(dt.timezone.utc)
    spec = "seconds" if when.microsecond == 0 else "microseconds"
    return when.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def parse_timestamp(value: Any, field: str) -> dt.datetime:
    """Return the aware datetime written in ``value`` (ISO 8601 with a zone).

    Raises InvalidInput(field) when it is not a string, not ISO 8601, or has
    no time zone.
    """
    if not isinstance(value, str):
        raise InvalidInput(field, "must be an ISO 8601 timestamp string")
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, f"is not an ISO 8601 timestamp: {value!r}") from None
    if when.tzinfo is None:
        raise InvalidInput(field, "must carry a time zone (e.g. a final 'Z')")
    return when


def parse_strict_timestamp(value: Any, field: str) -> dt.datetime:
    """Return the UTC instant of a v2 timestamp: ``YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z`` only.

    Raises InvalidDocument(field) for anything else (another offset, no
    zone, a date alone): one spelling per instant leaves nothing to interpret.
    """
    if not isinstance(value, str) or not _STRICT_TIME.fullmatch(value):
        raise InvalidDocument(field, "must be a UTC timestamp like 2026-12-01T20:00:00Z")
    try:
        return dt.datetime.fromisoformat(value[:-1]).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        raise InvalidDocument(field, f"is not a valid date and time: {value!r}") from None


_STRICT_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
                          r"(?:\.[0-9]{1,6})?Z")


def unix_seconds(when: dt.datetime, *, ceil: bool = False) -> int:
    """Return whole seconds since the Unix epoch (floor, or ceiling if ``ceil``).

    Integer arithmetic only: ``datetime.timestamp()`` would go through a float.
    Raises InvalidInput("timestamp") for a naive datetime.
    """
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidInput("timestamp", "must be timezone-aware")
    delta = when - _EPOCH
    seconds = delta.days * 86400 + delta.seconds
    if ceil and delta.microseconds:
        seconds += 1
    return seconds


def from_unix_seconds(seconds: int) -> dt.datetime:
    """Return the aware UTC datetime ``seconds`` after the Unix epoch."""
    return _EPOCH + dt.timedelta(seconds=seconds)
