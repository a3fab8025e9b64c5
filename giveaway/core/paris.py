"""Wall-clock time in Europe/Paris: what staff type and read, converted to UTC for storage."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


class NonexistentLocalTime(ValueError):
    """The wall-clock time is skipped by a daylight-saving change (e.g. 02:30 in late March)."""


def paris_to_utc(local: datetime) -> datetime:
    """Interpret a naive wall-clock time as Paris time and return it in UTC.

    An ambiguous time (the repeated hour in October) is taken at its first
    occurrence, as a person reading a clock would expect.

    :raise NonexistentLocalTime: for a time that does not exist in Paris.
    """
    if local.tzinfo is not None:
        return local.astimezone(timezone.utc)
    aware = local.replace(tzinfo=PARIS, fold=0)
    back = aware.astimezone(timezone.utc).astimezone(PARIS).replace(tzinfo=None)
    if back != local:
        raise NonexistentLocalTime(local.isoformat())
    return aware.astimezone(timezone.utc)


def to_paris(moment: datetime) -> datetime:
    """Return an aware datetime as Paris wall-clock time (aware, Europe/Paris)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(PARIS)
