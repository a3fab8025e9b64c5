"""Human sentences for reason and flag codes, in the interface language."""
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from giveaway.core.eligibility import REASON_SENTENCES_EN, REASON_SENTENCES_FR

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
