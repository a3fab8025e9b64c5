"""Reading a contest's comments for evaluation: streamed in evaluation order, with their aliases."""
from __future__ import annotations

from typing import Iterator, NamedTuple, Optional

import sqlalchemy as sa

from giveaway.contests.models import Contest
from giveaway.core.eligibility import account_key
from giveaway.extensions import db
from giveaway.harvest.models import Comment

FETCH_ROWS = 10_000  # comments fetched at a time
_new_row = tuple.__new__  # skips NamedTuple's Python-level __new__ (a million rows)


class StoredComment(NamedTuple):
    """A stored comment in the shape the eligibility engine reads, with its primary key."""

    pk: int
    comment_id: str
    user_id: str
    username: str
    text: str
    created_at: object
    parent_id: Optional[str]
    network: str
    deleted: bool
    stored_created_at: object  # created_at as the database driver returns it


def comment_id_shared_by_networks(contest: Contest) -> Optional[str]:
    """A comment id that two networks use in this contest, if any.

    The engine identifies comments by id alone: they must be unique in a contest.
    """
    of_contest = Comment.contest_id == contest.id
    if db.session.scalar(sa.select(sa.func.count(sa.distinct(Comment.network)))
                         .where(of_contest)) < 2:
        return None  # (contest, network, comment id) is unique
    return db.session.scalar(sa.select(Comment.comment_id).where(of_contest)
                             .group_by(Comment.comment_id).having(sa.func.count() > 1).limit(1))


def usernames_of_renamed_accounts(contest: Contest) -> dict[str, set[str]]:
    """Every username of the accounts seen under more than one, by account key.

    One pass: the distinct (network, user id, username) triples come off the
    ``(contest, network, user, username)`` index in order, and a window count
    per account keeps those with several names. No plan can turn this into a
    join of the comments with themselves, whatever the table statistics say.
    """
    names = (sa.select(Comment.network, Comment.user_id, Comment.username)
             .where(Comment.contest_id == contest.id).distinct().subquery())
    per_account = sa.func.count().over(partition_by=(names.c.network, names.c.user_id))
    counted = sa.select(names, per_account.label("names")).subquery()
    aliases: dict[str, set[str]] = {}
    for network, user_id, username in db.session.execute(
            sa.select(counted.c.network, counted.c.user_id, counted.c.username)
            .where(counted.c.names > 1)):
        aliases.setdefault(account_key(network, user_id), set()).add(username)
    return aliases


def comments_in_order(contest: Contest) -> Iterator[StoredComment]:
    """The contest's comments in evaluation order (``created_at``, ``comment_id``), streamed.

    Comment ids compare by code point, as in Python: a binary collation (the
    SQLite default; "C" on PostgreSQL, whose default collation follows the locale).
    """
    connection = db.session.connection()
    comment_id = Comment.comment_id
    if connection.dialect.name == "postgresql":
        comment_id = comment_id.collate("C")
    # created_at once more as the driver returns it, to copy into verdict_reason as is
    stored_created = sa.type_coerce(Comment.created_at, sa.types.NullType())
    query = (sa.select(Comment.id, Comment.comment_id, Comment.user_id, Comment.username,
                       Comment.text, Comment.created_at, sa.func.nullif(Comment.parent_id, ""),
                       Comment.network, Comment.disappeared_at.is_not(None), stored_created)
             .where(Comment.contest_id == contest.id).order_by(Comment.created_at, comment_id))
    result = connection.execute(query.execution_options(yield_per=FETCH_ROWS))
    try:
        for row in result:  # already in StoredComment's field order and types
            yield _new_row(StoredComment, row)
    finally:
        result.close()

