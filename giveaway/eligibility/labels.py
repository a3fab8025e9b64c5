"""Words for the eligibility codes (reasons, flags, manual decisions), in the interface language.

The core names what it decides with codes (:data:`giveaway.core.eligibility.REASON_CODES`,
:data:`~giveaway.core.eligibility.FLAG_CODES`); these tables are the only place they
become words, through Flask-Babel. An unknown code reads « other reason » rather than
showing itself.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from giveaway.i18n import words_for

#: A sentence for each reason code, for the entry page, the public lookup and the PDF.
REASON_SENTENCES = {
    "deleted": _l("Comment deleted since it was harvested."),
    "early": _l("Comment posted before the contest opened."),
    "late": _l("Comment posted after the contest closed."),
    "reply_not_counted": _l("Replies to other comments do not count."),
    "excluded_account": _l("Account excluded from the contest (organiser, partner or staff)."),
    "blocked": _l("Account on the organiser's block list."),
    "recent_winner": _l("Account won a recent contest."),
    "too_few_mentions": _l("Not enough distinct mentions of other accounts."),
    "missing_hashtag": _l("A required hashtag is missing."),
    "missing_keyword": _l("A required keyword is missing."),
    "duplicate_account": _l("Only the account's first valid comment counts."),
    "over_cap": _l("The account already reached the maximum number of entries."),
}

#: A few words for each reason code, for totals, filters and badges (the sentence explains it).
REASON_LABELS = {
    "deleted": _l("deleted"),
    "early": _l("too early"),
    "late": _l("too late"),
    "reply_not_counted": _l("reply"),
    "excluded_account": _l("excluded account"),
    "blocked": _l("block list"),
    "recent_winner": _l("recent winner"),
    "too_few_mentions": _l("too few mentions"),
    "missing_hashtag": _l("hashtag missing"),
    "missing_keyword": _l("keyword missing"),
    "duplicate_account": _l("account already counted"),
    "over_cap": _l("over the cap"),
}

FLAG_LABELS = {
    "same_text": _l("same text as other accounts"),
    "same_mentions": _l("same mentions as other accounts"),
    "burst": _l("burst of comments"),
    "empty_profile": _l("empty profile"),
}

#: Staff's manual decisions on one entry (``ManualDecision.decision``), as the ledger shows them.
DECISION_LABELS = {
    "exclude": _l("excluded by hand"),
    "include": _l("counted by hand"),
}


def reason_sentence(code: str) -> str:
    """The sentence explaining a reason code, in the interface language."""
    return words_for(REASON_SENTENCES, code, _("Other reason."))


def reason_label(code: str) -> str:
    """A few words for a reason code, in the interface language (« other reason » if unknown)."""
    return words_for(REASON_LABELS, code, _("other reason"))


def flag_label(code: str) -> str:
    """A few words for a suspicion flag code, in the interface language."""
    return words_for(FLAG_LABELS, code, _("other signal"))


def decision_label(decision: str) -> str:
    """A manual decision (``exclude``/``include``) in words."""
    return words_for(DECISION_LABELS, decision, _("other decision"))
