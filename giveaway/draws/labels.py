"""Translatable names of a drawn candidate's follow-up states, time-stamps and events."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from giveaway.i18n import words_for

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

#: Public categories of a replacement (``Candidate.public_reason``, follow-up events).
#: Staff's free-text note is never shown publicly; only one of these is.
PUBLIC_REASON_LABELS = {
    "declined": _l("declined the prize"),
    "no_answer": _l("no answer by the deadline"),
    "under_18": _l("under 18"),
    "not_following": _l("does not follow the required account"),
    "other": _l("other reason"),
}
PUBLIC_REASONS = tuple(PUBLIC_REASON_LABELS)


def _words(table: dict, code: object) -> str:
    """``table[code]`` as text; a code the table does not know reads « unknown »."""
    return words_for(table, code, _("unknown"))


def candidate_status_label(status: str) -> str:
    """A drawn candidate's follow-up state in words (``standby`` → « suppléant, en attente »)."""
    return _words(CANDIDATE_STATUS_LABELS, status)


def public_reason_label(code: str) -> str:
    """The public category of a replacement in words."""
    return _words(PUBLIC_REASON_LABELS, code)


def timestamp_subject_label(subject: str) -> str:
    """What a time-stamp covers (``commitment``, ``freeze``, ``certificate``) in words."""
    return _words(TIMESTAMP_SUBJECT_LABELS, subject)


def follow_check_label(result: str) -> str:
    """A follow check's result (``yes``, ``no``, ``unknown``) in words."""
    return _words(FOLLOW_CHECK_LABELS, result)


def followup_sentence(event: dict) -> str:
    """One public follow-up event in words (positions are 1-based for people)."""
    position = event.get("position", 0) + 1
    if event.get("kind") == "follow_check":
        if event.get("by") == "staff":  # checked by hand (how: staff only, never here)
            return _("Position %(p)d: follow check by the organiser's team — %(r)s",
                     p=position, r=follow_check_label(event.get("result")))
        return _("Position %(p)d: follow check — %(r)s", p=position,
                 r=follow_check_label(event.get("result")))
    status = candidate_status_label(event.get("status"))
    reason = event.get("public_reason")
    if reason in PUBLIC_REASON_LABELS and reason != event.get("status"):
        sentence = _("Position %(p)d: %(s)s (%(r)s)", p=position, s=status,
                     r=PUBLIC_REASON_LABELS[reason])
    else:
        sentence = _("Position %(p)d: %(s)s", p=position, s=status)
    if "replacement_position" in event:
        replacement = event["replacement_position"]
        sentence += " — " + (_("the prize goes to position %(p)d", p=replacement + 1)
                             if replacement is not None else _("no alternate left"))
    return sentence


def public_operator(operator: object) -> str:
    """The certificate's operator as shown: its public label, or "the organiser".

    Certificates name the operator by ``OPERATOR_PUBLIC_LABEL``; anything that
    looks like an e-mail address (an older certificate, a mistaken setting) is
    shown as "the organiser", never as written.
    """
    if not operator or operator == "organiser" or "@" in str(operator):
        return _("the organiser")
    return str(operator)
