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
