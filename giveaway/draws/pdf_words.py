"""The legal notices of a certificate in the reader's language, for the PDF.

A certificate stores its notices as signed (in French). The PDF prints them in
the language asked for; a notice this module does not know is printed as stored.
"""
from flask_babel import lazy_gettext as _l

from giveaway.i18n import words_for

NOTICE_LABELS = {
    "instagram": _l("This contest is in no way sponsored, endorsed or administered by, or "
                    "associated with, Instagram. Instagram is released from all liability."),
    "data": _l("Account names and comments serve this contest only; those of the participants "
               "who did not win are deleted after the period for claiming prizes. Only salted "
               "hashes of the entries and the masked winners are published."),
    "health": _l("Alcohol abuse is dangerous for your health; drink in moderation."),
}


def notice_text(key: str, stored: str) -> str:
    """The notice ``key`` in the interface language; ``stored`` when the key is unknown."""
    return words_for(NOTICE_LABELS, key, stored)
