"""The eligibility rules of a contest, and their JSON document.

The publication window is inclusive at both bounds: a comment created exactly
at ``opens_at`` or exactly at ``closes_at`` is on time; one microsecond outside
is ``early`` / ``late``. ``None`` leaves that side open.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from typing import Any

from .keys import parse_account_key
from .text import is_valid_handle, keyword_pattern, normalize_handle, normalize_hashtag

__all__ = ["COUNTING_MODES", "MUST_FOLLOW_CHOICES", "EligibilityRules", "RulesError"]

COUNTING_MODES = ("per_account", "per_comment")
MUST_FOLLOW_CHOICES = ("none", "organiser", "partner", "both")
_HANDLE_FIELDS = ("organiser_handles", "partner_handles", "staff_handles")
_LIST_FIELDS = ("required_hashtags", "required_keywords", *_HANDLE_FIELDS, "excluded_user_ids")
_BOOL_FIELDS = ("mentions_must_be_new", "match_accent_insensitive", "replies_count", "min_age_18")


class RulesError(ValueError):
    """An invalid rules document or value; ``key`` names the offending key (or None)."""

    def __init__(self, key: str | None, message: str) -> None:
        self.key = key
        super().__init__(f"{key}: {message}" if key else message)


@dataclass(frozen=True)
class EligibilityRules:
    """What makes a comment count. Immutable; values are validated and normalised on creation.

    Handles are stored in comparison form (no ``@``, casefolded); hashtags
    without their ``#``; excluded user ids as account keys (``ig:123``).

    :raises RulesError: on any invalid value, naming the field.
    """

    opens_at: datetime | None = None
    closes_at: datetime | None = None
    counting: str = "per_account"
    max_entries_per_account: int | None = None  # per_comment only; None = no cap
    min_mentions: int = 0
    mentions_must_be_new: bool = False
    required_hashtags: tuple[str, ...] = ()
    required_keywords: tuple[str, ...] = ()
    match_accent_insensitive: bool = True
    replies_count: bool = False
    organiser_handles: tuple[str, ...] = ()
    partner_handles: tuple[str, ...] = ()
    staff_handles: tuple[str, ...] = ()
    excluded_user_ids: tuple[str, ...] = ()
    recent_winner_days: int = 0
    must_follow: str = "none"  # declared only: checked when winners are contacted
    min_age_18: bool = False  # declared only: checked when the prize is handed over

    def __post_init__(self) -> None:
        # Frozen: normalised values are stored with object.__setattr__.
        for name in ("opens_at", "closes_at"):
            object.__setattr__(self, name, _utc(name, getattr(self, name)))
        if self.opens_at and self.closes_at and self.closes_at < self.opens_at:
            raise RulesError("closes_at", "must not be before opens_at")
        _choice("counting", self.counting, COUNTING_MODES)
        _choice("must_follow", self.must_follow, MUST_FOLLOW_CHOICES)
        cap = self.max_entries_per_account
        if cap is not None:
            _int("max_entries_per_account", cap, minimum=1)
        _int("min_mentions", self.min_mentions, minimum=0)
        _int("recent_winner_days", self.recent_winner_days, minimum=0)
        for name in _BOOL_FIELDS:
            if not isinstance(getattr(self, name), bool):
                raise RulesError(name, f"expected true or false, got {getattr(self, name)!r}")
        for name in _LIST_FIELDS:
            items = _NORMALISERS[name](name, _strings(name, getattr(self, name)))
            object.__setattr__(self, name, tuple(dict.fromkeys(items)))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EligibilityRules:
        """Build rules from a JSON document (a mapping); missing keys take their default.

        Datetimes are ISO 8601 strings with an offset (``2026-05-12T08:00:00Z``),
        lists are JSON arrays of strings.

        :raises RulesError: on a non-mapping, an unknown key, or a bad value (naming the key).
        """
        if not isinstance(data, Mapping):
            raise RulesError(None, f"rules must be a JSON object, got {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        for key in sorted(map(str, data)):
            if key not in known:
                raise RulesError(key, "unknown rules key")
        values = dict(data)
        for name in ("opens_at", "closes_at"):
            if isinstance(values.get(name), str):
                values[name] = _parse_datetime(name, values[name])
            elif values.get(name) is not None:
                raise RulesError(
                    name, f"expected an ISO 8601 date-time string or null, got {values[name]!r}"
                )
        for name in _LIST_FIELDS:
            if name in values and not isinstance(values[name], list | tuple):
                raise RulesError(name, f"expected a list of strings, got {values[name]!r}")
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-compatible document; ``from_dict(r.to_dict()) == r``."""
        doc: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                value = value.isoformat().replace("+00:00", "Z")
            elif isinstance(value, tuple):
                value = list(value)
            doc[f.name] = value
        return doc

    def replace(self, **changes: Any) -> EligibilityRules:
        """Return a copy with ``changes`` applied (validated again)."""
        return dataclasses.replace(self, **changes)

    @property
    def per_comment(self) -> bool:
        """True when each valid comment is an entry (``counting == "per_comment"``)."""
        return self.counting == "per_comment"


def _utc(name: str, value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise RulesError(name, f"expected a datetime or null, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise RulesError(name, "datetime must be timezone-aware (UTC)")
    return value.astimezone(timezone.utc)


def _parse_datetime(name: str, text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise RulesError(name, f"not an ISO 8601 date-time: {text!r}") from None
    if value.tzinfo is None:
        raise RulesError(name, f"date-time needs a UTC offset or 'Z': {text!r}")
    return value


def _choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise RulesError(name, f"expected one of {', '.join(choices)}; got {value!r}")


def _int(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RulesError(name, f"expected an integer >= {minimum}, got {value!r}")


def _strings(name: str, value: object) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise RulesError(name, f"expected a list of strings, got {value!r}")
    for item in value:
        if not isinstance(item, str):
            raise RulesError(name, f"expected a list of strings, got item {item!r}")
    return list(value)


def _handles(name: str, items: list[str]) -> list[str]:
    out = [normalize_handle(item) for item in items]
    for raw, handle in zip(items, out, strict=True):
        if not is_valid_handle(handle):
            raise RulesError(name, f"not a valid handle: {raw!r}")
    return out


def _hashtags(name: str, items: list[str]) -> list[str]:
    out = [item.strip().removeprefix("#").removeprefix("＃").strip() for item in items]
    for raw, tag in zip(items, out, strict=True):
        body = normalize_hashtag(tag, False)
        if not body or not all(ch.isalnum() or ch == "_" for ch in body):
            raise RulesError(name, f"not a valid hashtag: {raw!r}")
    return out


def _keywords(name: str, items: list[str]) -> list[str]:
    out = [" ".join(item.split()) for item in items]
    for raw, keyword in zip(items, out, strict=True):
        try:
            keyword_pattern(keyword, False)
        except ValueError:
            raise RulesError(name, f"not a valid keyword: {raw!r}") from None
    return out


def _account_ids(name: str, items: list[str]) -> list[str]:
    try:
        return [parse_account_key(item) for item in items]
    except (TypeError, ValueError) as exc:
        raise RulesError(name, str(exc)) from None


_NORMALISERS = {
    "required_hashtags": _hashtags,
    "required_keywords": _keywords,
    "organiser_handles": _handles,
    "partner_handles": _handles,
    "staff_handles": _handles,
    "excluded_user_ids": _account_ids,
}
