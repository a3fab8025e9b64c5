"""Translatable names of a drawn candidate's follow-up states."""
from flask_babel import lazy_gettext as _l

CANDIDATE_STATUS_LABELS = {
    "standby": _l("alternate, waiting"),
    "to_contact": _l("to contact"),
    "contacted": _l("contacted"),
    "claimed": _l("prize claimed"),
    "declined": _l("declined"),
    "no_answer": _l("no answer by the deadline"),
    "disqualified": _l("disqualified"),
}
