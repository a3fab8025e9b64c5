"""Human sentences for reason and flag codes, in the interface language."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from giveaway.core.eligibility import REASON_SENTENCES_EN, REASON_SENTENCES_FR

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


def reason_sentence(code: str) -> str:
    """The sentence explaining a reason code, French or English as the interface is."""
    sentences = REASON_SENTENCES_FR if str(get_locale()) == "fr" else REASON_SENTENCES_EN
    return sentences.get(code, code)


def reason_label(code: str) -> str:
    """A few words for a reason code, in the interface language (the code if unknown)."""
    return str(REASON_LABELS.get(code, code))


def flag_label(code: str) -> str:
    """A few words for a suspicion flag code, in the interface language."""
    return str(FLAG_LABELS.get(code, code))
