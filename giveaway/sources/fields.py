"""Validating the fields of an imported or harvested comment, before anything is stored.

Ids follow the engine's own rule (:func:`giveaway.core.eligibility.id_problem`)
and the network code its :func:`~giveaway.core.eligibility.keys.check_network`,
so a stored comment can always be evaluated, frozen and drawn; lengths follow
the database columns; NUL and lone surrogates are refused. Each check raises
:class:`FieldError`, a ``ValueError`` carrying a code, the field and the
values a message needs (codes in, words out).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from giveaway.core.eligibility.keys import (MAX_ID_LENGTH, MAX_NETWORK_LENGTH, check_network,
                                            id_problem)
from giveaway.core.sources import RawComment, normalise_pk
from giveaway.core.textcheck import text_problem

__all__ = ["MAX_TEXT", "MAX_USERNAME", "FieldError", "check_comment", "check_stored_id",
           "check_text", "check_username", "parse_created_at", "parse_network", "parse_parent",
           "required_id", "shown"]

MAX_USERNAME = 64  # comment.username
# Instagram allows 2,200 characters, Facebook 8,000: more is not a comment.
MAX_TEXT = 10_000
_UNIX = re.compile(r"^[0-9]+(\.[0-9]+)?$")
# Before Instagram existed, or absurdly far ahead: a unit mistake (ms, µs).
MIN_CREATED = datetime(2010, 1, 1, tzinfo=timezone.utc)
MAX_CREATED = datetime(2100, 1, 1, tzinfo=timezone.utc)
_MIN_TS, _MAX_TS = MIN_CREATED.timestamp(), MAX_CREATED.timestamp()


class FieldError(ValueError):
    """A field of a comment refused: ``field`` (``user_id``…), ``code`` (``empty``,
    ``too_long``, ``forbidden_char``, ``nul``, ``surrogate``, ``control``, ``bad_type``,
    ``not_text``, ``decimal``, ``negative``, ``bad_date``, ``naive_date``,
    ``date_out_of_range``, ``bad_network``) and ``params`` (``value``, ``char``, ``max``);
    ``str()`` is an English reason naming the field as ``label`` (for logs, the CLI, tests)."""

    def __init__(self, field: str, code: str, label: str | None = None, **params: object):
        template = _ENGLISH.get(code, "invalid {label}")
        super().__init__(template.format_map({"label": label or field, "value": "",
                                              "char": "", "max": "", **params}))
        self.field = field
        self.code = code
        self.params = params


# English reasons, for logs, the CLI and tests; the app words the codes itself.
_ENGLISH = {
    "empty": "empty {label}",
    "too_long": "{label} too long (at most {max} characters)",
    "forbidden_char": "invalid {label} '{value}': forbidden character {char}",
    "nul": "NUL character in {label} (not allowed in text)",
    "surrogate": "invalid character {char} in {label} (lone surrogate)",
    "control": "control character {char} in {label}",
    "bad_type": "invalid {label} {value}: not an integer or a string",
    "not_text": "invalid {label} {value}: not a string",
    "decimal": "{label} must be an integer or a string, not a decimal number",
    "negative": "invalid {label} {value}: negative",
    "bad_date": "bad created_at '{value}': expected ISO 8601 with an offset "
                "(2024-05-01T12:00:00+02:00) or Unix seconds",
    "naive_date": "bad created_at '{value}': no timezone offset",
    "date_out_of_range": "bad created_at '{value}': outside 2010-2100 (milliseconds instead "
                         "of seconds?)",
    "bad_network": "invalid network '{value}' (a lowercase letter, then letters, digits, '-' "
                   "or '_', at most {max})",
}


def shown(value: object, limit: int = 40) -> str:
    """``value`` as it may be quoted in a message: short, every invisible character as U+XXXX."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    return "".join(_char(c) if not c.isprintable() or (c.isspace() and c != " ") else c
                   for c in text)


def _char(char: str) -> str:
    return char if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def required_id(value: object, field: str, label: str | None = None) -> str:
    """The normalised identifier (``" 0123 "`` → ``"123"``); ``label`` names it in English.

    :raises FieldError: if empty, not an integer or a string, or refused by the engine's rule.
    """
    if value is None or value == "":
        raise FieldError(field, label=label, code="empty")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise FieldError(field, label=label, code="bad_type", value=shown(value))
    if isinstance(value, float):
        raise FieldError(field, label=label, code="decimal", value=shown(value))
    if isinstance(value, int) and value < 0:
        raise FieldError(field, label=label, code="negative", value=shown(value))
    if isinstance(value, int) and value >= 10 ** MAX_ID_LENGTH:  # str() of 5,000 digits raises
        raise FieldError(field, label=label, code="too_long", max=MAX_ID_LENGTH)
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise FieldError(field, label=label, code="empty")
        if len(value) > MAX_ID_LENGTH:  # before int(): a 5,000-digit string raises there
            raise FieldError(field, label=label, code="too_long", max=MAX_ID_LENGTH)
    try:
        text = normalise_pk(value)
    except ValueError:
        text = value if isinstance(value, str) else str(value)
    return check_stored_id(text, field, label)


def check_stored_id(text: str, field: str, label: str | None = None) -> str:
    """``text`` if the engine's id rule accepts it. :raises FieldError: naming what it refuses."""
    problem = id_problem(text)
    if problem is None:
        return text
    if problem.code == "too_long":
        raise FieldError(field, label=label, code="too_long", max=MAX_ID_LENGTH)
    if problem.code == "empty":
        raise FieldError(field, label=label, code="empty")
    raise FieldError(field, label=label, code="forbidden_char", value=shown(text),
                     char=_char(problem.detail))


def parse_parent(value: object, label: str = "parent_id") -> str | None:
    """None for an empty cell, else the normalised parent id. :raises FieldError:"""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return required_id(value, "parent_id", label)


def parse_network(value: object) -> str:
    """The network code, ``"ig"`` when empty. :raises FieldError: unless the engine accepts it."""
    if not isinstance(value, str):
        raise FieldError("network", "bad_network", value=shown(value), max=MAX_NETWORK_LENGTH)
    value = value.strip().lower() or "ig"
    try:
        return check_network(value)
    except ValueError:
        raise FieldError("network", "bad_network", value=shown(value),
                         max=MAX_NETWORK_LENGTH) from None


def check_text(value: object, field: str = "text", max_length: int = MAX_TEXT,
               single_line: bool = False) -> str:
    """``value`` unchanged. :raises FieldError: unless a storable text of at most ``max_length``."""
    if not isinstance(value, str):
        raise FieldError(field, "not_text", value=shown(value))
    problem = text_problem(value, max_length, single_line=single_line)
    if problem is None:
        return value
    if problem.code == "too_long":
        raise FieldError(field, "too_long", max=max_length)
    raise FieldError(field, problem.code, char=problem.detail)


def check_username(value: object) -> str:
    """The username, stripped (empty allowed). :raises FieldError: as :func:`check_text`."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError("username", "not_text", value=shown(value))
    return check_text(value.strip(), "username", MAX_USERNAME, single_line=True)


def parse_created_at(value: object) -> datetime:
    """A UTC datetime from ISO 8601 with an offset (or ``Z``), or Unix seconds.

    :raises FieldError: for a naive or unreadable date, or one outside 2010–2100.
    """
    if isinstance(value, bool):
        raise FieldError("created_at", "bad_date", value=shown(value))
    if isinstance(value, str) and len(value) > 64:
        raise FieldError("created_at", "bad_date", value=shown(value))
    if type(value) is str and value.isdigit() and value.isascii():
        stamp: float = int(value)  # Unix seconds, the common case, first
    elif isinstance(value, (int, float)):
        stamp = value
    elif isinstance(value, str):
        text = value.strip()
        if _UNIX.match(text):
            stamp = float(text)
        else:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                moment = None
            if moment is None:
                raise FieldError("created_at", "bad_date", value=shown(value))
            if moment.utcoffset() is None:
                raise FieldError("created_at", "naive_date", value=shown(value))
            stamp = moment.timestamp()
    else:
        raise FieldError("created_at", "bad_date", value=shown(value))
    if not _MIN_TS <= stamp < _MAX_TS:  # also false for NaN
        raise FieldError("created_at", "date_out_of_range", value=shown(value))
    return datetime.fromtimestamp(stamp, tz=timezone.utc)


def check_comment(comment: RawComment) -> RawComment:
    """``comment`` if every field passes the checks an import makes, for other sources.

    :raises FieldError: naming the first field refused.
    """
    check_stored_id(comment.comment_id, "comment_id")
    check_stored_id(comment.user_id, "user_id")
    if comment.parent_id is not None:
        check_stored_id(comment.parent_id, "parent_id")
    parse_network(comment.network)
    check_username(comment.username)
    check_text(comment.text)
    if not MIN_CREATED <= comment.created_at < MAX_CREATED:
        raise FieldError("created_at", "date_out_of_range",
                         value=shown(comment.created_at.isoformat()))
    return comment
