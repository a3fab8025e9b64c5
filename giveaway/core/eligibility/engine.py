"""The rules compiled for fast evaluation: per-comment checks, then per-account decisions.

Internal to the package; ``verdicts`` drives it. A comment goes through two
steps:

1. ``Engine.row`` — pure per comment: validates the record and computes the
   *intrinsic* reasons (everything except mentions, duplicates and caps) and
   the countable mentions;
2. ``Engine.decide`` — called in (``created_at``, ``comment_id``) order, keeps
   per-account state only: mention count (``mentions_must_be_new``), first
   valid comment (``per_account``) or cap (``per_comment``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import NamedTuple

from .inputs import CommentFields, CommentLike, EvaluationContext, read_comment
from .keys import entry_key
from .reasons import REASON_CODES
from .rules import EligibilityRules
from .text import (
    extract_hashtags,
    extract_mentions,
    fold_accents,
    keyword_pattern,
    normalize,
    normalize_handle,
    normalize_hashtag,
)

BIT = {code: 1 << i for i, code in enumerate(REASON_CODES)}
# Reasons that hold for every comment of an account once one username matches.
ACCOUNT_BITS = BIT["excluded_account"] | BIT["blocked"] | BIT["recent_winner"]
_DELETED, _EARLY, _LATE = BIT["deleted"], BIT["early"], BIT["late"]
_new = tuple.__new__  # builds a Verdict without the Python-level NamedTuple.__new__


def _index(*groups: tuple[int, Collection[str]]) -> dict[str, int]:
    """Return ``{member: OR of the bits of every group holding it}``."""
    index: dict[str, int] = {}
    for bit, members in groups:
        for member in members:
            index[member] = index.get(member, 0) | bit
    return index


class Verdict(NamedTuple):
    """The outcome for one comment (an immutable named tuple: cheap for a million comments).

    ``reasons`` is empty when counted, else in ``REASON_CODES`` order (most
    fundamental first); ``entry_key`` is the draw entry key when counted, else None.
    """

    comment_id: str
    counted: bool
    reasons: tuple[str, ...]
    entry_key: str | None


# The per-comment result of step 1, a plain tuple that sorts in evaluation order
# (comment ids are unique): (created_at, comment_id, account key, intrinsic
# reason bits, distinct countable mentions (a tuple, only for
# mentions_must_be_new) or their number, text). With only atomic
# members an exact tuple is untracked by the cyclic garbage collector, which
# keeps full collections cheap with a million rows alive.
Row = tuple[datetime, str, str, int, "tuple[str, ...] | int", str]


class Engine:
    """Evaluation state for one run. Not thread-safe; create one per evaluation."""

    def __init__(self, rules: EligibilityRules, context: EvaluationContext) -> None:
        self.ai = ai = rules.match_accent_insensitive
        self.hashtags = frozenset(normalize_hashtag(t, ai) for t in rules.required_hashtags)
        self.keywords = [keyword_pattern(k, ai) for k in rules.required_keywords]
        self.uncountable = frozenset(rules.organiser_handles + rules.partner_handles)
        winners_on = rules.recent_winner_days > 0
        # handle or account key -> the reason bits it triggers
        self.by_handle = _index(
            (BIT["excluded_account"], self.uncountable | set(rules.staff_handles)),
            (BIT["blocked"], context.blocked_handles),
            (BIT["recent_winner"], context.recent_winner_handles if winners_on else ()),
        )
        self.by_account = _index(
            (BIT["excluded_account"], rules.excluded_user_ids),
            (BIT["blocked"], context.blocked_accounts),
            (BIT["recent_winner"], context.recent_winner_accounts if winners_on else ()),
        )
        self.opens, self.closes = rules.opens_at, rules.closes_at
        self.reply_bit = 0 if rules.replies_count else BIT["reply_not_counted"]
        self.min_mentions = rules.min_mentions
        self.must_be_new = rules.mentions_must_be_new and rules.min_mentions > 0
        self.cap = rules.max_entries_per_account if rules.per_comment else 1
        self.per_comment = rules.per_comment
        self.need_username = bool(self.by_handle or self.min_mentions)
        self.need_text = bool(self.min_mentions or self.hashtags or self.keywords)
        self.accounts: dict[tuple[str, str], str] = {}  # (network, user id) -> account key
        self.counted: dict[str, int] = {}
        self.used_mentions: dict[str, set[str]] = {}  # per account, for must_be_new
        self.handles: dict[str, str] = {}  # one string object per mentioned handle
        self.reasons_cache: dict[int, tuple[str, ...]] = {}

    def handle_bits(self, names: Collection[str]) -> int:
        """Return the reason bits that the normalised usernames ``names`` trigger."""
        mask = 0
        for name in names:
            mask |= self.by_handle.get(name, 0)
        return mask

    def mentions(self, normalized_text: str, names: Collection[str]) -> frozenset[str]:
        """Return the countable mentions: not the author (``names``), organiser or partner."""
        return extract_mentions(normalized_text).difference(self.uncountable, names)

    def with_aliases(self, row: Row, names: Collection[str]) -> Row:
        """Return ``row`` without mentions of the author's normalised usernames ``names``.

        ``names`` must include the comment's own username.
        """
        if not self.min_mentions:
            return row
        created, cid, account, mask, _, text = row
        mentions = self.mentions(normalize(text), names)
        return (created, cid, account, mask, self._compact(mentions), text)

    def _compact(self, mentions: frozenset[str]) -> tuple[str, ...] | int:
        """Return what a row keeps of its mentions: the handles (shared strings) or their number."""
        if not self.must_be_new:
            return len(mentions)
        return tuple(map(self.handles.setdefault, mentions, mentions))

    def row(self, comment: CommentLike) -> Row:
        """Validate ``comment`` and compute its intrinsic reasons (pure; no per-account state).

        :raises ValueError, TypeError: on an invalid record.
        """
        fields = read_comment(comment, self.accounts)
        return self.row_of(fields, normalize(fields.text) if self.need_text else "")

    def row_of(
        self, fields: CommentFields, normalized_text: str, mentions: frozenset[str] | None = None
    ) -> Row:
        """``row`` for a comment already read, given its ``normalize``d text (if ``need_text``).

        ``mentions`` is ``extract_mentions(normalized_text)`` when already computed.
        """
        cid, account, username, text, created, is_reply, deleted = fields
        mask = _DELETED if deleted else 0
        if self.opens is not None and created < self.opens:
            mask |= _EARLY
        if self.closes is not None and created > self.closes:
            mask |= _LATE
        if is_reply:
            mask |= self.reply_bit
        if self.by_account:
            mask |= self.by_account.get(account, 0)
        if self.need_username:
            username = normalize_handle(username)
            if self.by_handle:
                mask |= self.by_handle.get(username, 0)
        countable: tuple[str, ...] | int = 0
        if self.need_text:
            norm = normalized_text
            if self.min_mentions:
                found = extract_mentions(norm) if mentions is None else mentions
                if username in found or not self.uncountable.isdisjoint(found):
                    found = found.difference(self.uncountable, (username,))
                countable = self._compact(found)
            if self.hashtags and not self.hashtags <= extract_hashtags(norm, self.ai):
                mask |= BIT["missing_hashtag"]
            if self.keywords:
                folded = fold_accents(norm) if self.ai else norm
                if not all(pattern.search(folded) for pattern in self.keywords):
                    mask |= BIT["missing_keyword"]
        return (created, cid, account, mask, countable, text)

    def decide(self, row: Row, extra_mask: int = 0) -> Verdict:
        """Return the verdict for ``row``, the next comment in evaluation order.

        ``extra_mask`` adds account-level reasons found elsewhere (other usernames).
        """
        _, cid, account, mask, mentions, _ = row
        mask |= extra_mask
        if isinstance(mentions, tuple):
            used = self.used_mentions.get(account)
            count = len(mentions)
            if used and not used.isdisjoint(mentions):
                count -= len(used.intersection(mentions))
        else:
            count = mentions
        if count < self.min_mentions:
            mask |= BIT["too_few_mentions"]
        if mask:
            return _new(Verdict, (cid, False, self.reasons(mask), None))
        entries = self.counted.get(account, 0)
        if self.cap is not None and entries >= self.cap:
            code = "over_cap" if self.per_comment else "duplicate_account"
            return _new(Verdict, (cid, False, self.reasons(BIT[code]), None))
        self.counted[account] = entries + 1
        if isinstance(mentions, tuple):
            self.used_mentions.setdefault(account, set()).update(mentions)
        return _new(Verdict, (cid, True, (), entry_key(account, cid, self.per_comment)))

    def reasons(self, mask: int) -> tuple[str, ...]:
        """Return the (shared) tuple of reason codes for a bit mask."""
        found = self.reasons_cache.get(mask)
        if found is None:
            found = tuple(code for code in REASON_CODES if mask & BIT[code])
            self.reasons_cache[mask] = found
        return found
