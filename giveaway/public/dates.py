"""Times on the public pages that are not Paris times: the UTC instants a verifier compares."""
from __future__ import annotations

from datetime import datetime, timezone

from babel import dates as babel_dates

from giveaway.i18n import output_locale


def utc_time(moment: datetime | None) -> str:
    """``moment`` in UTC, to the second, as the interface language writes dates
    (« 1 déc. 2026, 20:00:00 », « 1 Dec 2026, 20:00:00 »); « — » for None."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)  # the database's naive UTC
    return babel_dates.format_datetime(moment.replace(microsecond=0), "medium",
                                       tzinfo=timezone.utc, locale=output_locale())
