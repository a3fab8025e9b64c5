"""The eligibility rules in sentences, in the interface language (the public page, the staff form).

The core says what the rules contain as clauses with codes
(:func:`giveaway.core.eligibility.describe_rules`); this module words each one
through Flask-Babel, dates in Paris time (« mardi 1er décembre 2026 à 20 h 00 »).
"""
from __future__ import annotations

from typing import Callable

from flask_babel import gettext as _
from flask_babel import ngettext

from giveaway.core.eligibility import EligibilityRules, RuleClause, describe_rules
from giveaway.i18n import long_datetime


def rule_sentences(rules: EligibilityRules) -> list[str]:
    """The rules as plain sentences a participant reads, in the interface language.

    :raises KeyError: for a clause code this module does not word (a core change
        without its words: the tests walk every code).
    """
    return [word_clause(clause) for clause in describe_rules(rules)]


def word_clause(clause: RuleClause) -> str:
    """One clause in words. :raises KeyError: for an unknown clause code."""
    return _WORDS[clause.code](clause.params)


def _join(items: list[str]) -> str:
    """« a, b et c » / "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s", first=", ".join(items[:-1]), last=items[-1])


def _handles(handles) -> str:
    return ", ".join("@" + h for h in handles)


def _matching(p: dict) -> str:
    return (_("case and accents ignored") if p["accent_insensitive"]
            else _("case ignored, accents must match"))


def _hashtags(p: dict) -> str:
    items = _join(["#" + tag for tag in p["items"]])
    what = ngettext("the hashtag %(items)s", "the hashtags %(items)s", len(p["items"]),
                    items=items)
    return _("The comment must contain %(what)s (%(how)s).", what=what, how=_matching(p))


def _keywords(p: dict) -> str:
    items = _join([_("“%(keyword)s”", keyword=k) for k in p["items"]])
    what = ngettext("the keyword %(items)s", "the keywords %(items)s", len(p["items"]),
                    items=items)
    return _("The comment must contain %(what)s (%(how)s).", what=what, how=_matching(p))


def _excluded(p: dict) -> str:
    who = []
    if p["organiser"]:
        who.append(_("of the organiser (%(handles)s)", handles=_handles(p["organiser"])))
    if p["partners"]:
        who.append(ngettext("of the partner (%(handles)s)", "of the partners (%(handles)s)",
                            len(p["partners"]), handles=_handles(p["partners"])))
    if p["staff"]:
        who.append(_("of staff members"))
    return _("The accounts %(who)s may not take part.", who=_join(who))


def _follow(p: dict) -> str:
    whom = {"organiser": _("the organiser's account"), "partner": _("the partner's account"),
            "both": _("the organiser's and the partner's accounts")}[p["whom"]]
    return _("The winner must follow %(whom)s; this is checked at the draw.", whom=whom)


_WORDS: dict[str, Callable[[dict], str]] = {
    "window_both": lambda p: _(
        "Comments posted from %(opens)s to %(closes)s (Paris time), both included, count.",
        opens=long_datetime(p["opens_at"]), closes=long_datetime(p["closes_at"])),
    "window_from": lambda p: _("Comments posted from %(opens)s (Paris time) onwards count.",
                               opens=long_datetime(p["opens_at"])),
    "window_until": lambda p: _("Comments posted until %(closes)s included (Paris time) count.",
                                closes=long_datetime(p["closes_at"])),
    "per_account": lambda p: _("One comment per account counts: the first valid one."),
    "per_comment": lambda p: _("Each valid comment counts as one entry."),
    "per_comment_cap": lambda p: ngettext(
        "Each valid comment counts as one entry, up to %(num)d per account.",
        "Each valid comment counts as one entry, up to %(num)d per account.", p["cap"]),
    "min_mentions": lambda p: ngettext(
        "At least %(num)d mention of another account is required.",
        "At least %(num)d distinct mentions of other accounts are required.", p["n"]),
    "mentions_not_self": lambda p: _(
        "Mentioning your own account, the organiser or a partner does not count."),
    "mentions_must_be_new": lambda p: _(
        "An account already mentioned in an earlier entry from the same participant does not "
        "count again."),
    "required_hashtags": _hashtags,
    "required_keywords": _keywords,
    "replies_count": lambda p: _("Replies to other comments count."),
    "replies_not_counted": lambda p: _("Replies to other comments do not count."),
    "excluded_accounts": _excluded,
    "block_list": lambda p: _("Accounts on the organiser's block list do not count."),
    "recent_winners": lambda p: ngettext(
        "Accounts that won one of the organiser's contests in the last day do not count.",
        "Accounts that won one of the organiser's contests in the last %(num)d days do not "
        "count.", p["days"]),
    "deleted_not_counted": lambda p: _("A comment deleted before the draw does not count."),
    "must_follow": _follow,
    "adults_only": lambda p: _(
        "Adults only (18 or over); the winner's age is checked when the prize is handed over."),
}
