"""Write comments into a contest's append-only store, in batches.

New comments are inserted; comments already stored only get their
``last_seen_at`` (and the run that saw them) moved. Text, author and time stay
as first harvested. The caller owns the transaction; every write here first
locks the contest's row in it and checks that the contest, as stored now,
takes comments, so nothing lands in a frozen contest whatever the caller
checked when its work began.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Optional

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from giveaway.contests.locking import require_comments_allowed
from giveaway.contests.models import Contest
from giveaway.core.sources import RawComment
from giveaway.errors import Conflict, NotFound
from giveaway.extensions import db
from giveaway.harvest.models import Comment

# Stay well under SQLite's bound-parameter limit in IN (...) lists.
_LOOKUP_CHUNK = 900


@dataclass
class StoreCount:
    """How many comments of a batch were new, and how many were already stored."""

    new: int = 0
    seen: int = 0

    def __iadd__(self, other: "StoreCount") -> "StoreCount":
        self.new += other.new
        self.seen += other.seen
        return self


def _require_collecting(contest_id: int) -> None:
    contest = db.session.get(Contest, contest_id)
    if contest is None:
        raise NotFound(_("This contest no longer exists."))
    require_comments_allowed(contest)


def _shared_comment_id(contest_id: int, network: str, ids: list[str]) -> Optional[str]:
    """A comment id of ``ids`` this contest already stores under another network, if any.

    The engine identifies a contest's comments by id alone: two networks sharing
    one would make the contest impossible to evaluate, so it is refused here.
    """
    other = sa.and_(Comment.contest_id == contest_id, Comment.network != network)
    if db.session.scalar(sa.select(Comment.id).where(other).limit(1)) is None:
        return None  # one network so far: nothing to share (the usual case, one index probe)
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        found = db.session.scalar(sa.select(Comment.comment_id).where(
            other, Comment.comment_id.in_(ids[start:start + _LOOKUP_CHUNK])).limit(1))
        if found is not None:
            return found
    return None


def _insert_new(rows: list[dict]) -> set[str]:
    """Insert the rows whose (contest, network, comment id) is not stored yet; return their ids.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING`` per batch (SQLite and
    PostgreSQL alike): the unique index decides what is new, with no lookup
    first that a planner working from stale statistics could turn into a scan
    per batch.
    """
    dialect = db.session.connection().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (insert(Comment).on_conflict_do_nothing(
        index_elements=["contest_id", "network", "comment_id"]).returning(Comment.comment_id))
    return set(db.session.scalars(statement, rows))


def store_comments(contest_id: int, comments: Iterable[RawComment], now: datetime, *,
                   post_id: Optional[int] = None, import_id: Optional[int] = None,
                   run_id: Optional[int] = None) -> StoreCount:
    """Store a batch of comments for a contest and return how many were new.

    A comment repeated inside the batch counts once (its first occurrence).

    :raise Conflict: when the contest no longer takes comments, or a comment id
        is already stored under another network (the transaction is rolled back:
        nothing of it is stored).
    """
    _require_collecting(contest_id)
    by_network: dict[str, dict[str, RawComment]] = {}
    for comment in comments:
        by_network.setdefault(comment.network, {}).setdefault(comment.comment_id, comment)
    count = StoreCount()
    for network in sorted(by_network):
        batch = by_network[network]
        shared = _shared_comment_id(contest_id, network, list(batch))
        if shared is not None:
            db.session.rollback()
            raise Conflict(_("The comment « %(id)s » is already stored for another network: "
                             "two networks cannot share a comment id in one contest. Nothing "
                             "of this batch was stored.", id=shared))
        new = _insert_new([
            {"contest_id": contest_id, "post_id": post_id, "import_id": import_id,
             "network": network, "comment_id": c.comment_id, "user_id": c.user_id,
             "username": c.username, "text": c.text, "created_at": c.created_at,
             "parent_id": c.parent_id, "first_seen_at": now, "last_seen_at": now,
             "last_seen_run_id": run_id} for c in batch.values()])
        seen = sorted(set(batch) - new)
        for start in range(0, len(seen), _LOOKUP_CHUNK):
            db.session.execute(sa.update(Comment).where(
                Comment.contest_id == contest_id, Comment.network == network,
                Comment.comment_id.in_(seen[start:start + _LOOKUP_CHUNK]),
            ).values(last_seen_at=now, last_seen_run_id=run_id, disappeared_at=None)
                .execution_options(synchronize_session=False))
        count += StoreCount(new=len(new), seen=len(seen))
    return count


def mark_disappeared(contest_id: int, post_id: int, run_id: int, now: datetime) -> int:
    """After a complete harvest of a post, flag its comments the run did not see.

    Returns how many comments were newly flagged. Nothing is deleted.

    :raise Conflict: when the contest no longer takes comments (rolled back).
    """
    _require_collecting(contest_id)
    result = db.session.execute(sa.update(Comment).where(
        Comment.contest_id == contest_id, Comment.post_id == post_id,
        Comment.disappeared_at.is_(None),
        sa.or_(Comment.last_seen_run_id.is_(None), Comment.last_seen_run_id != run_id),
    ).values(disappeared_at=now).execution_options(synchronize_session=False))
    return result.rowcount
