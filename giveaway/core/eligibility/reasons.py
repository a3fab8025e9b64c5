"""Exclusion reason codes, in their fixed order (codes in, words out).

The order is the order of ``Verdict.reasons``: the most fundamental reason
comes first (a deleted comment is "deleted" before it is "missing_hashtag").
The app words each code in the reader's language
(:mod:`giveaway.eligibility.labels`).
"""

from __future__ import annotations

__all__ = ["REASON_CODES"]

REASON_CODES: tuple[str, ...] = (
    "deleted",
    "early",
    "late",
    "reply_not_counted",
    "excluded_account",
    "blocked",
    "recent_winner",
    "too_few_mentions",
    "missing_hashtag",
    "missing_keyword",
    "duplicate_account",
    "over_cap",
)
