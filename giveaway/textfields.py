"""Text and dates a person typed, checked before the database sees them, refused in words.

Services call these (the CLI and the web go through the services) and the
forms' validators in :mod:`giveaway.main.validation` word their refusals the
same way: one message per problem, in the interface language, never a field
name as a prefix.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Optional

from flask_babel import gettext as _

from giveaway.core.textcheck import text_problem

#: The dates a contest may use: a typo (year 9999, year 1) is refused, not stored.
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)
LONGEST_CONTEST = timedelta(days=2 * 366)


def text_error(value: Optional[str], max_length: Optional[int] = None, *,
               single_line: bool = True) -> Optional[str]:
    """Why ``value`` cannot be stored, in words, or None (also for None).

    ``single_line`` refuses control characters (line breaks, tabs…) too.
    """
    if value is None:
        return None
    problem = text_problem(value, max_length, single_line=single_line)
    if problem is None:
        return None
    if problem.code == "nul":
        return _("This text contains a NUL character (U+0000), which cannot be stored.")
    if problem.code == "surrogate":
        return _("This text contains an invalid character (%(char)s).", char=problem.detail)
    if problem.code == "control":
        return _("This text contains a control character (%(char)s, e.g. a line break or a "
                 "tab): remove it.", char=problem.detail)
    return _("At most %(max)d characters (this text has %(n)d).", max=max_length,
             n=len(value))


def date_error(moment: Optional[datetime]) -> Optional[str]:
    """Why ``moment`` (aware) is not a date a contest may use, in words, or None."""
    if moment is None:
        return None
    if moment.tzinfo is None or not EARLIEST <= moment < LATEST:
        return _("Choose a date between the years 2000 and 2099.")
    return None
