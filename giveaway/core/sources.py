"""The one interface every comment source implements.

A source (Instagram's private API, an imported file, later Meta's Graph API)
yields :class:`CommentPage` objects. Each page carries a JSON-serialisable
cursor that the caller stores in the same transaction as the page's comments:
calling :meth:`CommentSource.pages` again with that cursor resumes right after
the page, so a killed worker neither loses nor doubles a comment (the store
de-duplicates on ``(network, comment_id)``).

Standard library only: no Flask, SQLAlchemy or instagrapi here.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterator, Literal

__all__ = [
    "BadPage",
    "CommentPage",
    "CommentSource",
    "RawComment",
    "SourceError",
    "SourcePaused",
    "SourceStopped",
    "SourceThrottled",
    "normalise_pk",
]


def normalise_pk(value: object) -> str:
    """Return the canonical text form of an identifier that may arrive as int or str.

    Instagram sends the same kind of ``pk`` sometimes as a JSON number and
    sometimes as a string; ``123``, ``"123"`` and ``" 0123 "`` all become
    ``"123"``. A non-numeric string (an id from another network) is returned
    stripped but otherwise unchanged.

    :raises ValueError: for ``None``, booleans, floats, empty strings and
        strings containing whitespace or control characters.
    """
    if type(value) is str and value.isdigit() and value.isascii() and value[0] != "0":
        return value  # the common case, first
    if isinstance(value, bool) or value is None:
        raise ValueError(f"not an identifier: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"negative identifier: {value!r}")
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"not an identifier: {value!r}")
    text = value.strip()
    if not text:
        raise ValueError("empty identifier")
    if text.isascii() and text.isdigit():
        return str(int(text))
    if not text.isprintable() or any(ch.isspace() for ch in text):
        raise ValueError(f"identifier contains whitespace or control characters: {value!r}")
    return text


@dataclass(frozen=True, slots=True)
class RawComment:
    """One comment exactly as a source reported it (text kept verbatim).

    ``created_at`` must be timezone-aware; it is converted to UTC.
    ``parent_id`` is the top-level comment a reply belongs to, else ``None``.

    :raises ValueError: on an empty id or a naive ``created_at``.
    """

    comment_id: str
    user_id: str
    username: str
    text: str
    created_at: datetime
    parent_id: str | None = None
    network: str = "ig"
    post_ref: str | None = None

    def __post_init__(self) -> None:
        if not self.comment_id:
            raise ValueError("empty comment_id")
        if not self.user_id:
            raise ValueError("empty user_id")
        if self.created_at.tzinfo is timezone.utc:
            return
        offset = self.created_at.utcoffset()
        if offset is None:
            raise ValueError("created_at must be timezone-aware")
        if offset != timedelta(0) or self.created_at.tzinfo is not timezone.utc:
            object.__setattr__(self, "created_at", self.created_at.astimezone(timezone.utc))


@dataclass(slots=True)
class CommentPage:
    """One page of comments and the cursor to checkpoint after storing it.

    ``cursor`` is JSON-serialisable; ``None`` only on a source that cannot
    resume. ``done`` is true on the last page of the run (which may be
    empty). ``raw`` is the source's raw answer, for diagnosis only.
    ``notes`` records anomalies the source worked around (e.g. a repeated
    cursor that ended a direction of pagination).
    """

    comments: list[RawComment]
    cursor: dict | None
    done: bool
    raw: object | None = None
    notes: tuple[str, ...] = field(default=())


class CommentSource(abc.ABC):
    """Where comments come from. Implementations are iterated by a driver."""

    @abc.abstractmethod
    def pages(self, cursor: dict | None = None) -> Iterator[CommentPage]:
        """Yield pages from the start, or right after the page whose cursor is given.

        After a :class:`SourceError` the caller may call ``pages`` again with
        the last cursor it committed.

        :raises SourceThrottled: retry later from the last cursor.
        :raises BadPage: malformed answer; retry a bounded number of times.
        :raises SourcePaused: staff must act (challenge, login) before resuming.
        :raises SourceStopped: the run cannot continue.
        """


class SourceError(Exception):
    """Base class of the errors a source raises; ``str()`` is safe to show staff."""


class SourceThrottled(SourceError):
    """Transient refusal (rate limit, network trouble): retry from the last cursor.

    ``reason`` is ``"rate_limited"``, ``"please_wait"`` or ``"network"``;
    ``retry_after`` is the suggested minimum delay in seconds.
    """

    def __init__(self, message: str, *, reason: str = "rate_limited", retry_after: float = 60.0):
        super().__init__(message)
        self.reason = reason
        self.retry_after = float(retry_after)


PauseReason = Literal["challenge", "login_required", "two_factor"]


class SourcePaused(SourceError):
    """The account needs staff.

    ``reason`` is ``"challenge"``, ``"login_required"`` or ``"two_factor"``.
    """

    def __init__(self, reason: PauseReason, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


class SourceStopped(SourceError):
    """The run cannot continue, e.g. ``reason`` ``"feedback_required"`` or ``"media_not_found"``."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


class BadPage(SourceError):
    """A malformed answer; ``raw`` keeps what arrived (JSON object, text or bytes)."""

    def __init__(self, message: str, *, raw: object = None, reason: str = "malformed"):
        super().__init__(message)
        self.raw = raw
        self.reason = reason
