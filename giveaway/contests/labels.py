"""Translatable names of contest states, shared by templates and messages."""
from flask_babel import lazy_gettext as _l

from giveaway.i18n import words_for

STATUS_LABELS = {
    "draft": _l("draft"),
    "open": _l("open"),
    "closed": _l("closed"),
    "frozen": _l("frozen"),
    "drawn": _l("drawn"),
    "archived": _l("archived"),
}


def status_label(status: str) -> str:
    """A contest state in words, in the interface language (never the code)."""
    return words_for(STATUS_LABELS, status, _l("unknown state"))
