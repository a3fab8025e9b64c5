"""What the engine reads: the comment record protocol and the evaluation context."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from operator import attrgetter
from typing import NamedTuple, Protocol

from .keys import DEFAULT_NETWORK, account_key, parse_account_key
from .text import is_valid_handle, normalize_handle

__all__ = ["CommentLike", "EvaluationContext", "CommentFields", "read_comment", "sort_comments"]

_new_tuple = tuple.__new__
_NETWORK_PREFIX_RE = re.compile(r"[a-z][a-z0-9_-]{0,31}:")


class CommentLike(Protocol):
    """Any object with these attributes can be evaluated (e.g. ``sources.RawComment``).

    Optional attributes read with a default: ``network`` (``"ig"``),
    ``deleted`` (False: the comment disappeared in a later harvest) and, for
    flags only, ``profile_empty`` (False).
    """

    comment_id: str
    user_id: str  # stable account id (Instagram user pk)
    username: str  # may change between harvests
    text: str
    created_at: datetime  # timezone-aware
    parent_id: str | None  # set for a reply


class CommentFields(NamedTuple):
    """The validated fields of one comment, with its account key."""

    comment_id: str
    account: str
    username: str
    text: str
    created_at: datetime
    is_reply: bool
    deleted: bool


def read_comment(
    comment: CommentLike, accounts: dict[tuple[str, str], str] | None = None
) -> CommentFields:
    """Read and validate a comment record.

    ``accounts`` is an optional cache of validated account keys, keyed by
    (network, user id), to share one key string per account.

    :returns: its fields, ``account`` being ``<network>:<user id>``.
    :raises TypeError: if an attribute has the wrong type.
    :raises ValueError: on a naive ``created_at``, an empty id or an invalid network.
    """
    comment_id, username, text = comment.comment_id, comment.username, comment.text
    created_at, parent_id = comment.created_at, comment.parent_id
    deleted = getattr(comment, "deleted", False)
    network, user_id = getattr(comment, "network", DEFAULT_NETWORK), comment.user_id
    if not (
        type(comment_id) is str
        and type(username) is str
        and type(text) is str
        and (parent_id is None or type(parent_id) is str)
        and type(deleted) is bool
        and isinstance(created_at, datetime)
        and created_at.tzinfo is not None
        and (created_at.tzinfo is timezone.utc or created_at.utcoffset() is not None)
        and comment_id
    ):
        _explain(comment)
    account = accounts.get((network, user_id)) if accounts is not None else None
    if account is None:
        try:
            account = account_key(network, user_id)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"comment {comment_id!r}: {exc}") from None
        if accounts is not None:
            accounts[(network, user_id)] = account
    fields = (comment_id, account, username, text, created_at, parent_id is not None, deleted)
    return _new_tuple(CommentFields, fields)  # skips the Python-level NamedTuple.__new__


def _explain(comment: CommentLike) -> None:
    """Raise the precise error for a record that failed the fast checks, if it is invalid."""
    cid = comment.comment_id
    for name in ("comment_id", "username", "text"):
        value = getattr(comment, name)
        if not isinstance(value, str):
            raise TypeError(f"comment {cid!r}: {name} must be a str, got {type(value).__name__}")
    if not cid:
        raise ValueError("comment_id must not be empty")
    if comment.parent_id is not None and not isinstance(comment.parent_id, str):
        raise TypeError(f"comment {cid!r}: parent_id must be a str or None")
    if not isinstance(getattr(comment, "deleted", False), bool):
        raise TypeError(f"comment {cid!r}: deleted must be a bool")
    created_at = comment.created_at
    if not isinstance(created_at, datetime) or created_at.utcoffset() is None:
        raise ValueError(f"comment {cid!r}: created_at must be a timezone-aware datetime")
    # Otherwise the record is valid (str subclasses, for instance).


_sort_key = attrgetter("created_at", "comment_id")


def sort_comments(comments: Iterable[CommentLike]) -> list[CommentLike]:
    """Return a new list of the comments in evaluation order (``created_at``, ``comment_id``).

    :raises ValueError, TypeError: on a record that cannot be ordered (e.g. a naive ``created_at``).
    """
    items = list(comments)
    try:
        items.sort(key=_sort_key)
    except TypeError:
        for comment in items:
            read_comment(comment)  # raises the precise error
        raise
    return items


@dataclass(frozen=True)
class EvaluationContext:
    """Cross-contest inputs supplied when evaluating (not part of the rules document).

    ``*_accounts`` hold account keys (``ig:123``), ``*_handles`` normalised
    handles; a handle matches on any network and against every username seen
    for the account. ``recent_winner_*`` are the winners of the last
    ``rules.recent_winner_days`` days, as selected by the caller; they are
    ignored when that rule is 0.

    :raises ValueError: on an invalid account key or handle.
    :raises TypeError: if a field is a single string instead of a collection.
    """

    blocked_accounts: frozenset[str] = frozenset()
    blocked_handles: frozenset[str] = frozenset()
    recent_winner_accounts: frozenset[str] = frozenset()
    recent_winner_handles: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in ("blocked_accounts", "blocked_handles", "recent_winner_accounts",
                     "recent_winner_handles"):  # fmt: skip
            if isinstance(getattr(self, name), str):
                raise TypeError(f"{name}: expected a collection of strings, not a string")
        for name in ("blocked_accounts", "recent_winner_accounts"):
            object.__setattr__(self, name, frozenset(map(parse_account_key, getattr(self, name))))
        for name in ("blocked_handles", "recent_winner_handles"):
            handles = frozenset(map(normalize_handle, getattr(self, name)))
            bad = sorted(h for h in handles if not is_valid_handle(h))
            if bad:
                raise ValueError(f"{name}: not a valid handle: {bad[0]!r}")
            object.__setattr__(self, name, handles)

    @classmethod
    def from_identifiers(
        cls, blocked: Iterable[str] = (), recent_winners: Iterable[str] = ()
    ) -> EvaluationContext:
        """Build a context from mixed lists of handles and account ids.

        ``@name`` is a handle; ``network:id`` an account key; a value of digits
        only an Instagram user pk; anything else a handle.

        :raises ValueError: on a value that is neither.
        :raises TypeError: if a list is given as a single string.
        """
        blocked_accounts, blocked_handles = _split(blocked)
        winner_accounts, winner_handles = _split(recent_winners)
        return cls(blocked_accounts, blocked_handles, winner_accounts, winner_handles)


def _split(values: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
    if isinstance(values, str):
        raise TypeError("expected a collection of strings, not a string")
    accounts, handles = set(), set()
    for value in values:
        value = value.strip()
        if value.startswith("@") or not (value.isdigit() or _NETWORK_PREFIX_RE.match(value)):
            handles.add(value)
        else:
            accounts.add(value)
    return frozenset(accounts), frozenset(handles)
