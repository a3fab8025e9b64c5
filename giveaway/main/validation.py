"""Bad input refused at the door: form validators, bounded numbers, a guard on every request.

Forms attach :class:`Storable` and :class:`DateBetween` to their fields, so a
refusal is a French message on the field; views read numbers from the query
string with :func:`bounded_int`. :func:`refuse_unstorable_input` runs before
every request: a NUL byte anywhere in the query string, the form or the path
(which PostgreSQL cannot store or even compare) is a 400 with a message, and a
number in the path beyond 64 bits (which SQLite cannot bind) a 404.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Optional

from flask import abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from wtforms.validators import StopValidation

from giveaway.textfields import EARLIEST, LATEST, text_error

#: The largest id a database integer column holds.
MAX_DB_INT = 2 ** 63 - 1
_INTEGER = re.compile(r"-?[0-9]{1,30}")


class RefusedInput(BadRequest):
    """A 400 whose ``description`` is a message for the person (shown on the error page)."""


class Storable:
    """WTForms validator: refuse text the database cannot store (NUL, lone surrogates,
    control characters in a one-line field, more than ``max_length`` characters)."""

    def __init__(self, max_length: Optional[int] = None, *, single_line: bool = True):
        self.max_length = max_length
        self.single_line = single_line

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str):
            problem = text_error(field.data, self.max_length, single_line=self.single_line)
            if problem is not None:
                raise StopValidation(problem)


class DateBetween:
    """WTForms validator: a naive date (Paris wall-clock time) between 2000 and 2099.

    Stops a year-1 or year-9999 date before anything converts it (and overflows).
    """

    message = _l("Choose a date between the years 2000 and 2099.")

    def __call__(self, form, field) -> None:
        value = field.data
        if isinstance(value, datetime) and not (
                EARLIEST.replace(tzinfo=None) <= value.replace(tzinfo=None)
                < LATEST.replace(tzinfo=None)):
            raise StopValidation(str(self.message))


def bounded_int(value: Optional[str], default: int, minimum: int, maximum: int) -> int:
    """``value`` as an int within [``minimum``, ``maximum``] (clamped); ``default`` when it
    is missing or not a whole number."""
    text = (value or "").strip()
    number = int(text) if _INTEGER.fullmatch(text) else default
    return max(minimum, min(maximum, number))


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key)
                                    if isinstance(v, str)) for key in values)


def refuse_unstorable_input() -> None:
    """Before every request. :raise 400: on a NUL byte in the query, form or path.
    :raise 404: on a number in the path too large for a database id."""
    view_args = request.view_args or {}
    if _has_nul(request.args) or any(isinstance(v, str) and "\x00" in v
                                     for v in view_args.values()):
        raise RefusedInput(description=str(NUL_MESSAGE))
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data") and _has_nul(request.form):
        raise RefusedInput(description=str(NUL_MESSAGE))
    if any(isinstance(v, int) and not isinstance(v, bool) and abs(v) > MAX_DB_INT
           for v in view_args.values()):
        abort(404)


NUL_MESSAGE = _l("What you sent contains a NUL character (U+0000), which is never accepted. "
                 "Remove it and try again.")
