"""Translatable names of a drawn candidate's follow-up states, time-stamps and events."""
from flask_babel import gettext as _
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

TIMESTAMP_SUBJECT_LABELS = {
    "commitment": _l("commitment (opening)"),
    "freeze": _l("frozen list (freeze)"),
    "certificate": _l("certificate (draw)"),
}

FOLLOW_CHECK_LABELS = {"yes": _l("follows"), "no": _l("does not follow"),
                       "unknown": _l("could not be checked")}


def followup_sentence(event: dict) -> str:
    """One public follow-up event in words (positions are 1-based for people)."""
    position = event.get("position", 0) + 1
    if event.get("kind") == "follow_check":
        return _("Position %(p)d: follow check — %(r)s", p=position,
                 r=FOLLOW_CHECK_LABELS.get(event.get("result"), event.get("result")))
    status = CANDIDATE_STATUS_LABELS.get(event.get("status"), event.get("status"))
    sentence = _("Position %(p)d: %(s)s", p=position, s=status)
    if "replacement_position" in event:
        replacement = event["replacement_position"]
        sentence += " — " + (_("the prize goes to position %(p)d", p=replacement + 1)
                             if replacement is not None else _("no alternate left"))
    return sentence
