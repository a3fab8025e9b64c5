"""Words for when something may happen: a Paris date and time, and how long to wait."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import format_datetime, ngettext


def format_paris(moment: datetime) -> str:
    """``moment`` as a full date and time in the display time zone (Paris), in the user's language."""
    return format_datetime(moment, "full")


def format_wait(delta: timedelta) -> str:
    """A wait as days, hours and minutes (rounded up to the minute), e.g. « 2 jours 3 h 5 min »."""
    seconds = delta.days * 86400 + delta.seconds + (1 if delta.microseconds else 0)
    minutes = max(1, -(-seconds // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(num)d day", "%(num)d days", days))
    if hours:
        parts.append(ngettext("%(num)d h", "%(num)d h", hours))
    if minutes:
        parts.append(ngettext("%(num)d min", "%(num)d min", minutes))
    return " ".join(parts)
