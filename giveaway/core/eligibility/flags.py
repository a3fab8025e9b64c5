"""Suspicion flags: patterns shown to staff for review. They never exclude a comment.

- ``same_text``: the same *text skeleton* from at least ``same_text_min_accounts``
  (3) distinct accounts. The skeleton is the normalised, accent-folded text
  without mentions, keeping only letters and digits (so spacing, punctuation,
  emoji, case, accents, ``#`` signs and the people tagged do not matter). A
  skeleton shorter than ``same_text_min_chars`` (25) is ignored: short phrases
  ("je participe", "merci") are written independently by many real people.
- ``same_mentions``: the same set of at least 2 countable mentions (not the
  author, nor organiser/partner handles when ``rules`` is given) used by at
  least ``same_mentions_min_accounts`` (3) distinct accounts.
- ``burst``: at least ``burst_count`` (5) comments from one account within
  ``burst_seconds`` (60) seconds, bounds included; every comment of such a
  window is flagged.
- ``empty_profile``: the record has ``profile_empty=True``.

Grouping uses a 64-bit BLAKE2b digest of the skeleton or mention set, so memory
is linear in the number of comments and nothing is compared pairwise.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from .gcpause import gc_paused
from .inputs import CommentLike, read_comment
from .rules import EligibilityRules
from .text import extract_mentions, normalize, normalize_handle, strip_mentions

__all__ = ["FLAG_CODES", "Flag", "compute_flags", "group_members"]

FLAG_CODES = ("same_text", "same_mentions", "burst", "empty_profile")
_NOT_ALNUM = re.compile(r"[\W_]+")


class Flag(NamedTuple):
    """One flag on a comment; ``group`` links the comments flagged together."""

    code: str
    group: str


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _note(owners: dict[int, str | set[str]], digest: int, account: str) -> None:
    """Record that ``account`` produced ``digest`` (a str while there is only one owner)."""
    owner = owners.setdefault(digest, account)
    if isinstance(owner, set):
        owner.add(account)
    elif owner != account:
        owners[digest] = {owner, account}


def compute_flags(
    comments: Iterable[CommentLike],
    rules: EligibilityRules | None = None,
    *,
    same_text_min_accounts: int = 3,
    same_text_min_chars: int = 25,
    same_mentions_min_accounts: int = 3,
    burst_count: int = 5,
    burst_seconds: float = 60.0,
) -> dict[str, tuple[Flag, ...]]:
    """Return ``{comment_id: flags}`` for the flagged comments only, flags in ``FLAG_CODES`` order.

    The result does not depend on the input order. The cyclic garbage
    collector is paused meanwhile (see ``gcpause``).

    :raises ValueError: on an invalid comment record or a duplicate ``comment_id``.
    :raises TypeError: if a record attribute has the wrong type.
    """
    uncountable = (
        frozenset(rules.organiser_handles + rules.partner_handles) if rules else frozenset()
    )
    with gc_paused():
        rows, text_owners, mention_owners = _scan(comments, uncountable, same_text_min_chars)
        rows.sort()  # evaluation order: (created_at, comment_id)
        bursts = _bursts(rows, burst_count, timedelta(seconds=burst_seconds))
        flags: dict[str, tuple[Flag, ...]] = {}
        for _, cid, _, text_digest, mention_digest, empty in rows:
            found = []
            if text_digest is not None and _crowd(text_owners[text_digest], same_text_min_accounts):
                found.append(Flag("same_text", f"same_text:{text_digest:016x}"))
            if mention_digest is not None and _crowd(
                mention_owners[mention_digest], same_mentions_min_accounts
            ):
                found.append(Flag("same_mentions", f"same_mentions:{mention_digest:016x}"))
            if cid in bursts:
                found.append(Flag("burst", bursts[cid]))
            if empty:
                found.append(Flag("empty_profile", "empty_profile"))
            if found:
                flags[cid] = tuple(found)
        return flags


_Owners = dict[int, "str | set[str]"]


def _scan(
    comments: Iterable[CommentLike], uncountable: frozenset[str], min_chars: int
) -> tuple[list[tuple], _Owners, _Owners]:
    """One pass in input order: per comment, its text and mention-set digests.

    :returns: rows ``(created_at, comment_id, account, text digest, mention digest,
        profile_empty)`` and, per digest, the account(s) that produced it.
    """
    rows = []
    text_owners: _Owners = {}
    mention_owners: _Owners = {}
    accounts: dict[tuple[str, str], str] = {}
    seen_ids: set[str] = set()
    for comment in comments:
        cid, account, username, text, created, _, _ = read_comment(comment, accounts)
        if cid in seen_ids:
            raise ValueError(f"duplicate comment_id {cid!r}")
        seen_ids.add(cid)
        norm = normalize(text)
        # NFD splits accents off their letters; removing every non-alphanumeric
        # character then drops them together with spaces, punctuation and emoji.
        skeleton = _NOT_ALNUM.sub("", unicodedata.normalize("NFD", strip_mentions(norm)))
        text_digest = None
        if len(skeleton) >= min_chars:
            text_digest = _digest(skeleton)
            _note(text_owners, text_digest, account)
        mention_digest = None
        mentions = extract_mentions(norm)
        if len(mentions) >= 2:
            mentions = mentions.difference(uncountable, (normalize_handle(username),))
            if len(mentions) >= 2:
                mention_digest = _digest(" ".join(sorted(mentions)))
                _note(mention_owners, mention_digest, account)
        empty = getattr(comment, "profile_empty", False) is True
        rows.append((created, cid, account, text_digest, mention_digest, empty))
    return rows, text_owners, mention_owners


def _bursts(rows: list[tuple], count: int, span: timedelta) -> dict[str, str]:
    """Return ``{comment_id: group}`` for comments in a burst; ``rows`` in time order."""
    recent: dict[str, list[tuple[datetime, str]]] = {}
    bursts: dict[str, str] = {}
    for created, cid, account, *_ in rows:
        window = recent.get(account)
        if window is None:
            recent[account] = window = []
        window.append((created, cid))
        while created - window[0][0] > span:
            del window[0]
        if len(window) >= count:
            bursts.update((w_cid, "burst:" + account) for _, w_cid in window)
            del window[: len(window) - count + 1]  # the rest is flagged already
    return bursts


def _crowd(owners: str | set[str], minimum: int) -> bool:
    return (len(owners) if isinstance(owners, set) else 1) >= minimum


def group_members(flags: dict[str, tuple[Flag, ...]]) -> dict[str, tuple[str, ...]]:
    """Return ``{group key: sorted comment ids}`` from ``compute_flags``' result."""
    groups: dict[str, list[str]] = {}
    for comment_id, found in flags.items():
        for flag in found:
            groups.setdefault(flag.group, []).append(comment_id)
    return {group: tuple(sorted(ids)) for group, ids in sorted(groups.items())}
