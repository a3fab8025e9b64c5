"""Suspicion flags: patterns shown to staff for review. They never exclude a comment.

- ``same_text``: the same *substance* (see ``sametext``: the text without
  mentions, hashtags, required keywords and stock phrases such as « je
  participe », « merci », « bonne chance à tous »; accents, case, punctuation,
  emoji and spacing do not matter) from at least ``same_text_min_accounts`` (3)
  distinct accounts. A substance shorter than ``same_text_min_chars`` (20
  letters or digits) is ignored: short phrases are written independently by
  many real people. So is a substance the contest itself shows to be common:
  one written by at least ``same_text_common_min_accounts`` (20) accounts that
  are also more than ``same_text_common_percent`` (5) % of the contest's
  distinct accounts — a sentence the caption suggested, not a ring. The flag
  points at copy-paste rings; one account repeating itself is no ring (it is
  flagged only with the ring when its text is the ring's).
- ``same_mentions``: the same set of at least 2 countable mentions (not the
  author, nor organiser/partner handles when ``rules`` is given) used by at
  least ``same_mentions_min_accounts`` (3) distinct accounts.
- ``burst``: at least ``burst_count`` (5) comments from one account within
  ``burst_seconds`` (60) seconds, bounds included; every comment of such a
  window is flagged.
- ``empty_profile``: the record has ``profile_empty=True``.

Grouping uses a 64-bit BLAKE2b digest of the substance or mention set, so memory
is linear in the number of comments and nothing is compared pairwise.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

from .gcpause import gc_paused
from .inputs import CommentFields, CommentLike, read_comment, sort_comments
from .rules import EligibilityRules
from .sametext import common_phrases_pattern, plain_words, substance_of_words
from .text import extract_mentions, normalize, normalize_handle

__all__ = ["FLAG_CODES", "Flag", "FlagScanner", "compute_flags", "group_members"]

FLAG_CODES = ("same_text", "same_mentions", "burst", "empty_profile")


class Flag(NamedTuple):
    """One flag on a comment; ``group`` links the comments flagged together."""

    code: str
    group: str


def _digest(text: str) -> int:
    """A 64-bit digest, never 0 (0 stands for "no digest")."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") or 1


_Owners = dict[int, "str | set[str]"]


def _note(owners: _Owners, digest: int, account: str) -> None:
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
    same_text_min_chars: int = 20,
    same_text_common_min_accounts: int = 20,
    same_text_common_percent: int = 5,
    same_mentions_min_accounts: int = 3,
    burst_count: int = 5,
    burst_seconds: float = 60.0,
) -> dict[str, tuple[Flag, ...]]:
    """Return ``{comment_id: flags}`` for the flagged comments only, flags in ``FLAG_CODES`` order.

    The result does not depend on the input order (the comments are sorted
    into evaluation order, then fed to a ``FlagScanner``). The cyclic garbage
    collector is paused meanwhile (see ``gcpause``).

    :raises ValueError: on an invalid comment record or a duplicate ``comment_id``.
    :raises TypeError: if a record attribute has the wrong type.
    """
    with gc_paused():
        ordered = sort_comments(comments)
        scanner = FlagScanner(
            rules,
            same_text_min_accounts=same_text_min_accounts,
            same_text_min_chars=same_text_min_chars,
            same_text_common_min_accounts=same_text_common_min_accounts,
            same_text_common_percent=same_text_common_percent,
            same_mentions_min_accounts=same_mentions_min_accounts,
            burst_count=burst_count,
            burst_seconds=burst_seconds,
        )
        seen_ids: set[str] = set()
        for comment in ordered:
            scanner.add(comment)
            if comment.comment_id in seen_ids:
                raise ValueError(f"duplicate comment_id {comment.comment_id!r}")
            seen_ids.add(comment.comment_id)
        return {ordered[position].comment_id: found
                for position, found in scanner.flags().items()}


class FlagScanner:
    """Flags computed in one streaming pass over comments in evaluation order.

    ``add`` each comment in (``created_at``, ``comment_id``) order (e.g. from a
    database cursor), then ``flags()`` gives the flags by position (0 for the
    first comment added). Memory: two 8-byte digests per comment, the distinct
    digests with their account(s), the set of accounts seen, a short burst
    window per recently active account, and a memo of at most 16,384 recent
    word strings (the stock phrases recur); no other comment text is kept.
    """

    _PRUNE_EVERY = 4096  # comments between two sweeps of idle burst windows
    _SUBSTANCES_KEPT = 16384  # the memo of substances is emptied when it reaches this size

    def __init__(
        self,
        rules: EligibilityRules | None = None,
        *,
        same_text_min_accounts: int = 3,
        same_text_min_chars: int = 20,
        same_text_common_min_accounts: int = 20,
        same_text_common_percent: int = 5,
        same_mentions_min_accounts: int = 3,
        burst_count: int = 5,
        burst_seconds: float = 60.0,
    ) -> None:
        self.uncountable = (
            frozenset(rules.organiser_handles + rules.partner_handles) if rules else frozenset()
        )
        self.text_min_accounts, self.text_min_chars = same_text_min_accounts, same_text_min_chars
        self.common_min_accounts = same_text_common_min_accounts
        self.common_percent = same_text_common_percent
        self.phrases = common_phrases_pattern(
            (rules.required_hashtags + rules.required_keywords) if rules else ())
        self.all_accounts: set[str] = set()
        self.substances: dict[str, str] = {}  # plain words -> substance (a bounded memo)
        self.mentions_min_accounts = same_mentions_min_accounts
        self.burst_count, self.burst_span = burst_count, timedelta(seconds=burst_seconds)
        self.text_digests = array("Q")  # per position; 0: none
        self.mention_digests = array("Q")
        self.text_owners: _Owners = {}
        self.mention_owners: _Owners = {}
        self.empty_profiles: list[int] = []
        self.bursts: dict[int, str] = {}  # position -> burst group
        self.windows: dict[str, list[tuple[datetime, int]]] = {}  # account -> recent comments
        self.accounts: dict[tuple[str, str], str] = {}
        self.last_created: datetime | None = None

    def add(self, comment: CommentLike) -> int:
        """Scan the next comment; return its position.

        :raises ValueError: on an invalid record, or one older than the previous comment.
        :raises TypeError: if a record attribute has the wrong type.
        """
        fields = read_comment(comment, self.accounts)
        return self.add_read(fields, normalize(fields.text),
                             getattr(comment, "profile_empty", False) is True)

    def add_read(
        self,
        fields: CommentFields,
        normalized_text: str,
        profile_empty: bool,
        mentions: frozenset[str] | None = None,
    ) -> int:
        """``add`` for a comment already read, given its ``normalize``d text.

        ``mentions`` is ``extract_mentions(normalized_text)`` when already computed.

        :raises ValueError: if the comment is older than the previous one.
        """
        cid, account, username, _, created, _, _ = fields
        if self.last_created is not None and created < self.last_created:
            raise ValueError(f"comment {cid!r} is older than the previous one")
        self.last_created = created
        position = len(self.text_digests)
        norm = normalized_text
        self.all_accounts.add(account)
        text_digest = 0
        # (a text shorter than the minimum has no longer substance: skip the work)
        if len(norm) >= self.text_min_chars and len(
                found := self._substance(norm)) >= self.text_min_chars:
            text_digest = _digest(found)
            _note(self.text_owners, text_digest, account)
        mention_digest = 0
        if mentions is None:
            mentions = extract_mentions(norm)
        if len(mentions) >= 2:
            mentions = mentions.difference(self.uncountable, (normalize_handle(username),))
            if len(mentions) >= 2:
                mention_digest = _digest(" ".join(sorted(mentions)))
                _note(self.mention_owners, mention_digest, account)
        self.text_digests.append(text_digest)
        self.mention_digests.append(mention_digest)
        if profile_empty:
            self.empty_profiles.append(position)
        self._burst(account, created, position)
        return position

    def _substance(self, normalized_text: str) -> str:
        """``sametext.substance``, remembered for the words seen lately (stock phrases recur)."""
        words = plain_words(normalized_text)
        found = self.substances.get(words)
        if found is None:
            if len(self.substances) >= self._SUBSTANCES_KEPT:
                self.substances.clear()
            found = self.substances[words] = substance_of_words(words, self.phrases)
        return found

    def _burst(self, account: str, created: datetime, position: int) -> None:
        window = self.windows.get(account)
        if window is None:  # most comments: the account's first in a while
            self.windows[account] = [(created, position)]
        else:
            window.append((created, position))
            oldest = created - self.burst_span
            while window[0][0] < oldest:
                del window[0]
            if len(window) >= self.burst_count:
                self.bursts.update((w_position, "burst:" + account) for _, w_position in window)
                del window[: len(window) - self.burst_count + 1]  # the rest is flagged already
        if position % self._PRUNE_EVERY == 0:  # forget accounts quiet for longer than the span
            self.windows = {a: w for a, w in self.windows.items()
                            if created - w[-1][0] <= self.burst_span}

    def flags(self) -> dict[int, tuple[Flag, ...]]:
        """Return ``{position: flags}`` for the flagged comments, flags in ``FLAG_CODES`` order."""
        found: dict[int, list[Flag]] = {}
        # a substance from this many accounts is common in this contest, not a ring
        common = max(self.common_min_accounts,
                     len(self.all_accounts) * self.common_percent // 100 + 1)
        for code, digests, owners, minimum, maximum in (
            ("same_text", self.text_digests, self.text_owners, self.text_min_accounts, common),
            ("same_mentions", self.mention_digests, self.mention_owners,
             self.mentions_min_accounts, None),
        ):
            crowds = {digest for digest, who in owners.items() if _crowd(who, minimum, maximum)}
            if crowds:
                for position, digest in enumerate(digests):
                    if digest in crowds:
                        found.setdefault(position, []).append(Flag(code, f"{code}:{digest:016x}"))
        for position in sorted(self.bursts):
            found.setdefault(position, []).append(Flag("burst", self.bursts[position]))
        for position in self.empty_profiles:
            found.setdefault(position, []).append(Flag("empty_profile", "empty_profile"))
        return {position: tuple(found[position]) for position in sorted(found)}


def _crowd(owners: str | set[str], minimum: int, maximum: int | None) -> bool:
    """True if ``minimum`` <= the number of owners, and < ``maximum`` when one is given."""
    count = len(owners) if isinstance(owners, set) else 1
    return count >= minimum and (maximum is None or count < maximum)


def group_members(flags: dict[str, tuple[Flag, ...]]) -> dict[str, tuple[str, ...]]:
    """Return ``{group key: sorted comment ids}`` from ``compute_flags``' result."""
    groups: dict[str, list[str]] = {}
    for comment_id, found in flags.items():
        for flag in found:
            groups.setdefault(flag.group, []).append(comment_id)
    return {group: tuple(sorted(ids)) for group, ids in sorted(groups.items())}
