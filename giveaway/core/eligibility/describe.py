"""What the rules say, clause by clause, as codes and parameters (codes in, words out).

The app words each clause in the reader's language
(:func:`giveaway.eligibility.rule_sentences.rule_sentences`); the core keeps
no sentences of its own. Dates are the rules' UTC datetimes: the reader's
side shows them in Paris time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .rules import EligibilityRules

__all__ = ["RULE_CLAUSE_CODES", "RuleClause", "describe_rules"]

#: Every clause code :func:`describe_rules` may return, in the order it returns them.
RULE_CLAUSE_CODES: tuple[str, ...] = (
    "window_both",  # opens_at, closes_at (UTC datetimes, both included)
    "window_from",  # opens_at
    "window_until",  # closes_at
    "per_account",  # one entry per account: its first valid comment
    "per_comment",  # each valid comment is an entry
    "per_comment_cap",  # cap: entries per account at most
    "min_mentions",  # n: distinct other accounts to mention
    "mentions_not_self",  # own account, organiser, partners do not count as mentions
    "mentions_must_be_new",  # an account tagged in an earlier entry does not count again
    "required_hashtags",  # items (without "#"), accent_insensitive
    "required_keywords",  # items, accent_insensitive
    "replies_count",
    "replies_not_counted",
    "excluded_accounts",  # organiser, partners (handles without "@"), staff (bool)
    "block_list",
    "recent_winners",  # days
    "deleted_not_counted",
    "must_follow",  # whom: "organiser", "partner" or "both"
    "adults_only",
)


@dataclass(frozen=True)
class RuleClause:
    """One clause of the rules: ``code`` (one of :data:`RULE_CLAUSE_CODES`) and its values."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


def describe_rules(rules: EligibilityRules) -> list[RuleClause]:
    """Return the clauses a reader needs, in reading order. Staff handles are never included
    (only that staff accounts are excluded); the block list clause is always there."""
    out: list[RuleClause] = []
    opens, closes = rules.opens_at, rules.closes_at
    if opens and closes:
        out.append(RuleClause("window_both", {"opens_at": opens, "closes_at": closes}))
    elif opens:
        out.append(RuleClause("window_from", {"opens_at": opens}))
    elif closes:
        out.append(RuleClause("window_until", {"closes_at": closes}))
    cap = rules.max_entries_per_account
    if not rules.per_comment:
        out.append(RuleClause("per_account"))
    elif cap is None:
        out.append(RuleClause("per_comment"))
    else:
        out.append(RuleClause("per_comment_cap", {"cap": cap}))
    if rules.min_mentions:
        out.append(RuleClause("min_mentions", {"n": rules.min_mentions}))
        out.append(RuleClause("mentions_not_self"))
        if rules.mentions_must_be_new and rules.per_comment:
            out.append(RuleClause("mentions_must_be_new"))
    for code, items in (("required_hashtags", rules.required_hashtags),
                        ("required_keywords", rules.required_keywords)):
        if items:
            out.append(RuleClause(code, {"items": tuple(items),
                                         "accent_insensitive": rules.match_accent_insensitive}))
    out.append(RuleClause("replies_count" if rules.replies_count else "replies_not_counted"))
    if rules.organiser_handles or rules.partner_handles or rules.staff_handles:
        out.append(RuleClause("excluded_accounts", {
            "organiser": tuple(rules.organiser_handles),
            "partners": tuple(rules.partner_handles),
            "staff": bool(rules.staff_handles)}))
    out.append(RuleClause("block_list"))
    if rules.recent_winner_days:
        out.append(RuleClause("recent_winners", {"days": rules.recent_winner_days}))
    out.append(RuleClause("deleted_not_counted"))
    if rules.must_follow != "none":
        out.append(RuleClause("must_follow", {"whom": rules.must_follow}))
    if rules.min_age_18:
        out.append(RuleClause("adults_only"))
    return out
