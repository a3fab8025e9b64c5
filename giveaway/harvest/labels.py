"""Translatable names of harvest run states."""
from flask_babel import lazy_gettext as _l

from giveaway.i18n import words_for

RUN_STATUS_LABELS = {
    "queued": _l("queued"),
    "running": _l("running"),
    "waiting": _l("waiting (Instagram asks to slow down)"),
    "paused": _l("paused: Instagram needs you"),
    "complete": _l("complete"),
    "stopped": _l("stopped"),
    "failed": _l("failed"),
}


def run_status_label(status: str) -> str:
    """A harvest run's state in words, in the interface language (never the code)."""
    return words_for(RUN_STATUS_LABELS, status, _l("unknown state"))


#: Why a harvest stopped or paused (``HarvestRun.end_reason``: the runner's and the source's
#: codes), in words a community manager can act on.
END_REASON_LABELS = {
    "done": _l("every post was read to the end"),
    "contest_frozen": _l("the contest no longer takes comments"),
    "contest_busy": _l("the contest was busy; the harvest tries again in a minute"),
    "login_required": _l("Instagram logged the account out: connect it again"),
    "challenge": _l("Instagram asks the account to confirm it is you: open the Instagram app"),
    "two_factor": _l("Instagram asks for a security code: connect the account again"),
    "please_wait": _l("Instagram asks to wait a few minutes"),
    "rate_limited": _l("Instagram asks to slow down"),
    "network": _l("Instagram could not be reached (network)"),
    "truncated": _l("Instagram sent an incomplete answer"),
    "invalid_json": _l("Instagram sent an unreadable answer"),
    "invalid_item": _l("Instagram sent a comment that cannot be read"),
    "server_error": _l("Instagram had an internal error"),
    "unexpected_answer": _l("Instagram answered something unexpected"),
    "invalid_url": _l("a post link does not lead to an Instagram post"),
    "stopped": _l("stopped"),
    "error": _l("an unexpected error stopped the harvest"),
}


def end_reason_label(code: str) -> str:
    """Why a harvest ended or paused, in words (an unknown code reads « other reason »)."""
    return words_for(END_REASON_LABELS, code, _l("other reason"))
