"""Dates and numbers in the interface language (Flask-Babel), shown in Paris time.

French reads « mardi 1er décembre 2026 à 20 h 00 » and « 1 956 »; English is
British — « Tuesday 1 December 2026 at 20:00 », « 01/12/2026, 20:00 », « 1,956 » —
so a day never reads as a month. Works wherever Flask-Babel does (a request, or
an app context under ``force_locale``).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

__all__ = ["format_moment", "format_number", "is_french", "long_date", "long_datetime",
           "output_locale", "words_for"]

_BRITISH = Locale.parse("en_GB")


def output_locale() -> Locale:
    """The locale dates and numbers are written in: the interface's, English as British."""
    locale = get_locale() or Locale.parse("fr")
    return _BRITISH if locale.language == "en" else locale


def is_french() -> bool:
    """True when the interface speaks French (the default)."""
    locale = get_locale()
    return locale is None or locale.language == "fr"


def _local(moment: datetime) -> datetime:
    return moment.astimezone(get_timezone())


def long_date(moment: datetime) -> str:
    """The Paris date with its weekday: « mardi 1er décembre 2026 », « Tuesday 1 December 2026 »."""
    local = _local(moment)
    locale = output_locale()
    if locale.language == "fr":
        day = "1er" if local.day == 1 else str(local.day)
        return (f"{babel_dates.format_date(local, 'EEEE', locale=locale)} {day} "
                f"{babel_dates.format_date(local, 'MMMM y', locale=locale)}")
    return babel_dates.format_date(local, "EEEE d MMMM y", locale=locale)


def clock_time(moment: datetime) -> str:
    """The Paris time of day: « 20 h 00 », « 23 h 59 min 59 s »; « 20:00 », « 23:59:59 »."""
    local = _local(moment)
    seconds = local.second or local.microsecond
    if output_locale().language == "fr":
        text = f"{local.hour} h {local.minute:02d}"
        return f"{text} min {local.second:02d} s" if seconds else text
    return f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"


def long_datetime(moment: datetime) -> str:
    """« mardi 1er décembre 2026 à 20 h 00 » / « Tuesday 1 December 2026 at 20:00 » (Paris)."""
    return _("%(date)s at %(time)s", date=long_date(moment), time=clock_time(moment))


def format_moment(moment: datetime, fmt: str = "medium") -> str:
    """``moment`` in Paris time: ``"full"`` is :func:`long_datetime`; ``"short"``,
    ``"medium"``, ``"long"`` or a CLDR pattern go through Babel in :func:`output_locale`."""
    if fmt == "full":
        return long_datetime(moment)
    return babel_dates.format_datetime(moment, fmt, tzinfo=get_timezone(),
                                       locale=output_locale())


def format_number(number: int | float | None) -> str:
    """A count with the language's digit grouping: « 1 956 » (narrow no-break space), « 1,956 »."""
    if number is None:
        return "—"
    return babel_numbers.format_decimal(number, locale=output_locale())


def words_for(table: Mapping[Any, Any], code: object, fallback: object) -> str:
    """``table[code]`` (a lazy string) in the interface language; ``fallback`` for a code the
    table does not know, so a code never shows itself."""
    label = table.get(code)
    return str(label if label is not None else fallback)
