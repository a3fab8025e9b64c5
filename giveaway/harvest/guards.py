"""Which contests may still receive comments."""
from flask_babel import gettext as _

from giveaway.contests.labels import STATUS_LABELS
from giveaway.contests.models import Contest
from giveaway.errors import Conflict

COLLECTING_STATUSES = ("open", "closed")


def require_collecting(contest: Contest) -> None:
    """:raise Conflict: unless the contest is open or closed (not yet frozen or drawn)."""
    if contest.frozen_at is not None:
        raise Conflict(_("The entries of this contest are frozen: no comment can be added."))
    if contest.status not in COLLECTING_STATUSES:
        raise Conflict(_("A %(status)s contest does not take comments.",
                         status=STATUS_LABELS[contest.status]))
