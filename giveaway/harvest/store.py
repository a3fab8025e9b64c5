"""Write comments into a contest's append-only store, in batches.

New comments are inserted; comments already stored only get their
``last_seen_at`` (and the run that saw them) moved. Text, author and time stay
as first harvested. The caller owns the transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Optional

import sqlalchemy as sa

from giveaway.core.sources import RawComment
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


def _existing_ids(contest_id: int, network: str, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), _LOOKUP_CHUNK):
        chunk = ids[start:start + _LOOKUP_CHUNK]
        found.update(db.session.scalars(sa.select(Comment.comment_id).where(
            Comment.contest_id == contest_id, Comment.network == network,
            Comment.comment_id.in_(chunk))))
    return found


def store_comments(contest_id: int, comments: Iterable[RawComment], now: datetime, *,
                   post_id: Optional[int] = None, import_id: Optional[int] = None,
                   run_id: Optional[int] = None) -> StoreCount:
    """Store a batch of comments for a contest and return how many were new.

    A comment repeated inside the batch counts once (its first occurrence).
    """
    by_network: dict[str, dict[str, RawComment]] = {}
    for comment in comments:
        by_network.setdefault(comment.network, {}).setdefault(comment.comment_id, comment)
    count = StoreCount()
    for network in sorted(by_network):
        batch = by_network[network]
        existing = _existing_ids(contest_id, network, list(batch))
        rows = [
            {"contest_id": contest_id, "post_id": post_id, "import_id": import_id,
             "network": network, "comment_id": c.comment_id, "user_id": c.user_id,
             "username": c.username, "text": c.text, "created_at": c.created_at,
             "parent_id": c.parent_id, "first_seen_at": now, "last_seen_at": now,
             "last_seen_run_id": run_id}
            for cid, c in batch.items() if cid not in existing
        ]
        if rows:
            db.session.execute(sa.insert(Comment), rows)
        seen = sorted(existing)
        for start in range(0, len(seen), _LOOKUP_CHUNK):
            db.session.execute(sa.update(Comment).where(
                Comment.contest_id == contest_id, Comment.network == network,
                Comment.comment_id.in_(seen[start:start + _LOOKUP_CHUNK]),
            ).values(last_seen_at=now, last_seen_run_id=run_id, disappeared_at=None)
                .execution_options(synchronize_session=False))
        count += StoreCount(new=len(rows), seen=len(existing))
    return count


def mark_disappeared(contest_id: int, post_id: int, run_id: int, now: datetime) -> int:
    """After a complete harvest of a post, flag its comments the run did not see.

    Returns how many comments were newly flagged. Nothing is deleted.
    """
    result = db.session.execute(sa.update(Comment).where(
        Comment.contest_id == contest_id, Comment.post_id == post_id,
        Comment.disappeared_at.is_(None),
        sa.or_(Comment.last_seen_run_id.is_(None), Comment.last_seen_run_id != run_id),
    ).values(disappeared_at=now).execution_options(synchronize_session=False))
    return result.rowcount
