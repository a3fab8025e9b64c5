"""Validating the fields of an imported comment; each raises ``ValueError`` with a clear reason."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from giveaway.core.sources import normalise_pk

__all__ = ["no_nul", "parse_created_at", "parse_network", "parse_parent", "required_id"]

_NETWORK = re.compile(r"^[a-z0-9_-]{1,16}$")
_UNIX = re.compile(r"^\d+(\.\d+)?$")
# Before Instagram existed, or absurdly far ahead: a unit mistake (ms, µs).
_MIN_TS = datetime(2010, 1, 1, tzinfo=timezone.utc).timestamp()
_MAX_TS = datetime(2100, 1, 1, tzinfo=timezone.utc).timestamp()


def no_nul(value: str, name: str) -> str:
    """``value`` unchanged. :raises ValueError: if it holds NUL (PostgreSQL cannot store it)."""
    if "\x00" in value:
        raise ValueError(f"NUL character in {name} (not allowed in text)")
    return value


def required_id(value: object, name: str) -> str:
    """The normalised identifier. :raises ValueError: if empty or malformed."""
    if value is None or value == "":
        raise ValueError(f"empty {name}")
    if isinstance(value, float):
        raise ValueError(f"{name} must be an integer or a string, not a decimal number")
    try:
        return normalise_pk(value)
    except ValueError as exc:
        raise ValueError(f"invalid {name}: {exc}") from None


def parse_parent(value: str) -> str | None:
    """None for an empty cell, else the normalised parent id."""
    if not value:
        return None
    value = value.strip()
    return required_id(value, "parent_id") if value else None


def parse_network(value: object) -> str:
    """The network code, ``"ig"`` when empty."""
    if not isinstance(value, str):
        raise ValueError(f"invalid network {value!r}")
    value = value.strip().lower() or "ig"
    if not _NETWORK.match(value):
        raise ValueError(f"invalid network {value!r} (letters, digits, '-' or '_', at most 16)")
    return value


def parse_created_at(value: object) -> datetime:
    """A UTC datetime from ISO 8601 with an offset (or ``Z``), or Unix seconds.

    :raises ValueError: for a naive or unreadable date, or one outside 2010–2100.
    """
    if isinstance(value, bool):
        raise ValueError(f"bad created_at {value!r}")
    if type(value) is str and value.isdigit() and value.isascii():
        stamp = int(value)  # Unix seconds, the common case, first
    elif isinstance(value, (int, float)):
        stamp = float(value)
    elif isinstance(value, str):
        text = value.strip()
        if _UNIX.match(text):
            stamp = float(text)
        else:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(f"bad created_at {value!r}: expected ISO 8601 with an offset "
                                 "(2024-05-01T12:00:00+02:00) or Unix seconds") from None
            if moment.utcoffset() is None:
                raise ValueError(f"bad created_at {value!r}: no timezone offset")
            stamp = moment.timestamp()
    else:
        raise ValueError(f"bad created_at {value!r}")
    if not _MIN_TS <= stamp < _MAX_TS:
        raise ValueError(f"bad created_at {value!r}: outside 2010-2100 (milliseconds instead "
                         "of seconds?)")
    return datetime.fromtimestamp(stamp, tz=timezone.utc)
