"""Translatable names of contest states, shared by templates and messages."""
from flask_babel import lazy_gettext as _l

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
    label = STATUS_LABELS.get(status)
    return str(label) if label is not None else str(_l("unknown state"))
