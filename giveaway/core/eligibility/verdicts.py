"""Evaluate comments against the rules: one verdict per comment.

Comments are decided in the total order (``created_at``, ``comment_id``), so
the result does not depend on the input order. Each comment gets every
*intrinsic* failing reason (deleted, early, late, reply, excluded, blocked,
recent winner, too few mentions, hashtag, keyword). Among the comments with no
such reason, ``per_account`` counts each account's first one and marks the
others ``duplicate_account``; ``per_comment`` counts the first
``max_entries_per_account`` (all when None) and marks the rest ``over_cap``.

Accounts are identified by ``<network>:<user id>``, never by username: a user
renamed between two harvests is one account. Handle-based exclusions
(organiser, partner, staff, block list, recent winners) and self-mentions take
every username seen for the account into account. With
``mentions_must_be_new``, a handle already mentioned in an earlier *counted*
comment of the same account does not count again (so the rule only matters
with ``per_comment``; a comment rejected for, say, a missing hashtag does not
"use up" the people it tagged).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from .engine import ACCOUNT_BITS, Engine, Verdict
from .gcpause import gc_paused
from .flags import FlagScanner
from .inputs import CommentLike, EvaluationContext, read_comment
from .reasons import REASON_CODES
from .rules import EligibilityRules
from .text import extract_mentions, normalize, normalize_handle

__all__ = ["Verdict", "evaluate", "iter_verdicts", "tally", "counted_entry_keys"]


def evaluate(
    comments: Iterable[CommentLike],
    rules: EligibilityRules,
    context: EvaluationContext | None = None,
) -> list[Verdict]:
    """Return one verdict per comment, in evaluation order, whatever the input order.

    One pass over the records in input order (validation, intrinsic checks,
    usernames per account), a sort of compact rows, one pass of per-account
    decisions. Memory: the rows (~100 bytes a comment) and the verdicts. The
    cyclic garbage collector is paused meanwhile (see ``gcpause``).

    :raises ValueError: on an invalid record or a duplicate ``comment_id``.
    :raises TypeError: if a record attribute has the wrong type.
    """
    engine = Engine(rules, context or EvaluationContext())
    with gc_paused():
        return _evaluate(engine, comments)


def _evaluate(engine: Engine, comments: Iterable[CommentLike]) -> list[Verdict]:
    rows = []
    seen_ids: set[str] = set()
    account_bits: dict[str, int] = {}
    first_name: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for comment in comments:
        row = engine.row(comment)
        _, cid, account, mask, _, _ = row
        if cid in seen_ids:
            raise ValueError(f"duplicate comment_id {cid!r}")
        seen_ids.add(cid)
        rows.append(row)
        if mask & ACCOUNT_BITS:
            account_bits[account] = account_bits.get(account, 0) | (mask & ACCOUNT_BITS)
        username = comment.username
        if first_name.setdefault(account, username) != username:
            names.setdefault(account, {first_name[account]}).add(username)
    del seen_ids, first_name
    aliases = {account: frozenset(map(normalize_handle, found)) for account, found in names.items()}
    rows.sort()
    verdicts: list = rows  # each row is replaced by its verdict: frees memory as it goes
    for i, row in enumerate(rows):
        account = row[2]
        if account in aliases:
            row = engine.with_aliases(row, aliases[account])
        verdicts[i] = engine.decide(row, account_bits.get(account, 0))
    return verdicts


def iter_verdicts(
    comments: Iterable[CommentLike],
    rules: EligibilityRules,
    context: EvaluationContext | None = None,
    *,
    aliases: Mapping[str, Collection[str]] | None = None,
    scanner: FlagScanner | None = None,
) -> Iterator[Verdict]:
    """Yield verdicts for comments *already sorted* by (``created_at``, ``comment_id``).

    Streaming: holds per-account state only. ``aliases`` maps an account key
    to every username known for the account (e.g. from a database query);
    without it, each comment's own username is used for handle-based
    exclusions and self-mentions. Given the same aliases, the verdicts equal
    ``evaluate``'s. A ``scanner`` is fed every comment too (sharing the
    validation and text normalisation), so one pass also yields the flags.

    :raises ValueError: if the input is not strictly ascending, or a record is invalid.
    :raises TypeError: if a record attribute has the wrong type.
    """
    engine = Engine(rules, context or EvaluationContext())
    normalised = {
        account: frozenset(map(normalize_handle, found))
        for account, found in (aliases or {}).items()
    }
    last = None
    for comment in comments:
        if scanner is None:
            row = engine.row(comment)
        else:  # the comment is read, its text normalised and its mentions found once for both
            fields = read_comment(comment, engine.accounts)
            norm = normalize(fields.text)
            mentions = extract_mentions(norm)
            row = engine.row_of(fields, norm, mentions)
            scanner.add_read(fields, norm, getattr(comment, "profile_empty", False) is True,
                             mentions)
        if last is not None and not last < row[:2]:
            raise ValueError(
                f"comments not strictly sorted by (created_at, comment_id) at {row[1]!r}"
            )
        last = row[:2]
        extra, account = 0, row[2]
        if account in normalised:
            names = normalised[account] | {normalize_handle(comment.username)}
            row = engine.with_aliases(row, names)
            extra = engine.handle_bits(names)
        yield engine.decide(row, extra)


def tally(verdicts: Iterable[Verdict]) -> dict[str, int]:
    """Return ``{"total", "counted", "excluded", <each reason code>: count}``.

    A comment with several reasons is counted under each of them.
    """
    counts = dict.fromkeys(("total", "counted", "excluded", *REASON_CODES), 0)
    for verdict in verdicts:
        counts["total"] += 1
        counts["counted" if verdict.counted else "excluded"] += 1
        for code in verdict.reasons:
            counts[code] += 1
    return counts


def counted_entry_keys(verdicts: Iterable[Verdict]) -> list[str]:
    """Return the distinct entry keys of the counted verdicts, sorted."""
    return sorted({v.entry_key for v in verdicts if v.counted and v.entry_key is not None})
