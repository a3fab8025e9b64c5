"""Background jobs of the draws feature (registered in :mod:`giveaway.jobs`)."""
from __future__ import annotations

from giveaway.draws.timestamping import fetch_pending


def fetch_timestamps_job(contest_id: int) -> None:
    """Fetch contest ``contest_id``'s pending RFC 3161 tokens (queued after opening,
    freeze and draw commit)."""
    fetch_pending(contest_id)


def retry_timestamps_job() -> None:
    """Retry every pending RFC 3161 token (periodic, every ten minutes)."""
    fetch_pending()
