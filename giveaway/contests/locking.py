"""The contest row lock every write path takes, and what each state lets it write.

A check made when work starts can be overtaken by a freeze committed while the
work runs. So every write to a contest's data (comments, verdicts, manual
decisions, rules, state) first locks the contest's row inside the transaction
that will commit the write, re-reads the state there, and refuses when the
state does not allow the write. Two such transactions on one contest never
overlap: a freeze and an import (or a harvest page) racing each other commit
one after the other, and the second sees the first.

- PostgreSQL: ``SELECT … FOR NO KEY UPDATE`` — the lock an ``UPDATE`` of the row
  takes, so it also waits for a state change in flight; unlike ``FOR UPDATE``
  it does not wait for transactions that merely insert rows referring to the
  contest (a foreign key takes ``FOR KEY SHARE``), which would invite deadlocks.
- SQLite: an ``UPDATE`` of the row that changes nothing, which makes the
  transaction a write transaction (SQLite has one writer at a time) before the
  state is read.

Take the lock first in a transaction, before any other write.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.attributes import set_committed_value

from giveaway.contests.labels import STATUS_LABELS
from giveaway.contests.models import Contest, ContestStatus
from giveaway.errors import Conflict, NotFound
from giveaway.extensions import db


class StateRefused(Conflict):
    """The contest's state, read under its row lock, does not allow the write."""


class ContestBusy(Conflict):
    """The contest's row lock could not be had in time (another write holds it)."""


S = ContestStatus
#: States in which comments may be stored (file import, harvest start, resume, pages).
COMMENT_STATES = frozenset({S.OPEN, S.CLOSED})
#: States in which verdicts may be (re)computed and manual decisions recorded.
VERDICT_STATES = frozenset({S.DRAFT, S.OPEN, S.CLOSED})
#: States in which the settings, the rules document and the eligibility rules may change.
SETTINGS_STATES = frozenset({S.DRAFT})
#: Past the freeze: the entries can no longer change.
FROZEN_STATES = frozenset({S.FROZEN, S.DRAWN, S.ARCHIVED})

#: How long a write waits for another one holding the contest's lock before it is refused
#: (« try again in a moment »): shorter than a web worker's timeout.
LOCK_WAIT_SECONDS = 20.0

# PostgreSQL: lock not available, statement or lock timeout, deadlock.
_LOCK_WAIT_SQLSTATES = {"55P03", "57014", "40P01"}


def lock_contest(contest_id: int) -> ContestStatus:
    """Lock the contest's row for the caller's transaction; return its state as stored now.

    Waits up to ``LOCK_WAIT_SECONDS`` for a write holding the lock.

    :raise NotFound: when the contest does not exist (any more).
    :raise ContestBusy: when the lock could not be had in time (the transaction is
        rolled back).
    """
    try:
        if db.session.get_bind().dialect.name == "sqlite":
            status = _lock_sqlite(contest_id)
        else:
            status = _lock_postgresql(contest_id)
    except OperationalError as exc:
        if not _is_lock_wait(exc):
            raise
        db.session.rollback()
        raise ContestBusy(_("Another change to this contest is being saved; try again in a "
                            "moment.")) from None
    if status is None:
        db.session.rollback()
        raise NotFound(_("This contest no longer exists."))
    return ContestStatus(status)


def _lock_sqlite(contest_id: int):
    """A no-op UPDATE makes this a write transaction: SQLite's one writer at a time."""
    previous = db.session.scalar(sa.text("PRAGMA busy_timeout"))
    db.session.execute(sa.text(f"PRAGMA busy_timeout = {int(LOCK_WAIT_SECONDS * 1000)}"))
    try:
        db.session.execute(sa.update(Contest).where(Contest.id == contest_id)
                           .values(status=Contest.status)
                           .execution_options(synchronize_session=False))
    finally:
        db.session.execute(sa.text(f"PRAGMA busy_timeout = {int(previous)}"))
    return db.session.scalar(sa.select(Contest.status).where(Contest.id == contest_id))


def _lock_postgresql(contest_id: int):
    """``FOR NO KEY UPDATE``, waiting at most ``LOCK_WAIT_SECONDS`` for it."""
    db.session.execute(sa.text(f"SET LOCAL lock_timeout = '{int(LOCK_WAIT_SECONDS * 1000)}ms'"))
    status = db.session.scalar(sa.select(Contest.status).where(Contest.id == contest_id)
                               .with_for_update(key_share=True))
    db.session.execute(sa.text("SET LOCAL lock_timeout TO DEFAULT"))
    return status


def _is_lock_wait(exc: OperationalError) -> bool:
    if getattr(exc.orig, "sqlstate", None) in _LOCK_WAIT_SQLSTATES:
        return True
    return "database is locked" in str(exc.orig)


def lock(contest: Contest) -> ContestStatus:
    """:func:`lock_contest` for a loaded contest, whose ``status`` is set to the value read."""
    status = lock_contest(contest.id)
    set_committed_value(contest, "status", status)
    return status


def refuse(message: str) -> StateRefused:
    """Roll the transaction back (releasing the lock) and return the refusal to raise."""
    db.session.rollback()
    return StateRefused(message)


def require_comments_allowed(contest: Contest) -> ContestStatus:
    """Lock the contest; :raise Conflict: unless it takes comments (open or closed)."""
    status = lock(contest)
    if status in FROZEN_STATES:
        raise refuse(_("The entries of this contest are frozen: no comment can be added."))
    if status not in COMMENT_STATES:
        raise refuse(_("A %(status)s contest does not take comments.",
                       status=STATUS_LABELS[status]))
    return status


def require_verdicts_allowed(contest: Contest) -> ContestStatus:
    """Lock the contest; :raise Conflict: once its entries are frozen."""
    status = lock(contest)
    if status not in VERDICT_STATES:
        raise refuse(_("The entries of this contest are frozen: verdicts can no longer "
                       "change."))
    return status


def require_settings_allowed(contest: Contest) -> ContestStatus:
    """Lock the contest; :raise Conflict: unless it is still a draft."""
    status = lock(contest)
    if status not in SETTINGS_STATES:
        raise refuse(_("This contest is %(status)s: its settings and rules are frozen.",
                       status=STATUS_LABELS[status]))
    return status
