"""Account keys and entry keys (``draw-protocol.md``, step 2 "Entries").

An *account key* identifies one account on one network: ``<network>:<user id>``
— ``ig:<Instagram user pk>`` for Instagram. Usernames change, the user id does
not, so accounts are always keyed on the id. The *entry key* is the account key
when one entry per account counts, and ``<account key>/comment:<comment id>``
when each valid comment counts.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "DEFAULT_NETWORK",
    "MAX_ID_LENGTH",
    "MAX_NETWORK_LENGTH",
    "IdProblem",
    "account_key",
    "check_id",
    "check_network",
    "entry_key",
    "id_problem",
    "parse_account_key",
]

DEFAULT_NETWORK = "ig"
#: What the database stores (``comment.user_id``, ``comment_id``, ``parent_id``: 64
#: characters; ``network``: 16); the engine refuses more, so nothing stored can break it.
MAX_ID_LENGTH = 64
MAX_NETWORK_LENGTH = 16
_NETWORK_RE = re.compile(r"[a-z][a-z0-9_-]{0,15}")
#: Separators of account and entry keys (``ig:<id>/comment:<id>``).
FORBIDDEN_ID_CHARS = "/:"


class IdProblem(NamedTuple):
    """Why a value cannot be an id: ``code`` is ``"empty"``, ``"too_long"`` (``detail``:
    the length) or ``"forbidden_char"`` (``detail``: the first offending character)."""

    code: str
    detail: str = ""


def id_problem(value: str) -> IdProblem | None:
    """The one rule for user, comment and parent ids, or None when ``value`` is a valid id.

    An id is 1 to ``MAX_ID_LENGTH`` printable characters, without whitespace,
    ``/`` or ``:`` (the key separators); control and format characters, NUL,
    lone surrogates and unassigned code points are refused. Imports and
    harvests check ids with this function before storing them, and the engine
    with :func:`check_id`, so a stored comment can always be evaluated.
    """
    if not value:
        return IdProblem("empty")
    if len(value) > MAX_ID_LENGTH:
        return IdProblem("too_long", str(len(value)))
    if value.isascii() and value.isalnum():
        return None  # the common case, first
    for char in value:
        if char in FORBIDDEN_ID_CHARS or char.isspace() or not char.isprintable():
            return IdProblem("forbidden_char", char)
    if not value.isascii() and len(unicodedata.normalize("NFC", value)) > MAX_ID_LENGTH:
        return IdProblem("too_long", str(len(unicodedata.normalize("NFC", value))))  # keys are NFC
    return None


def check_network(network: str) -> str:
    """Return ``network`` if it is a valid network code (``ig``, ``tiktok``, ``fb``…).

    :raises ValueError: otherwise (a lowercase letter, then up to 15 letters,
        digits, ``-`` or ``_``).
    """
    if not isinstance(network, str) or not _NETWORK_RE.fullmatch(network):
        raise ValueError(f"invalid network code {network!r}")
    return network


def check_id(kind: str, value: object) -> str:
    """Return ``value`` if :func:`id_problem` finds nothing wrong with it.

    :raises TypeError: if it is not a str. :raises ValueError: otherwise, naming ``kind``.
    """
    if not isinstance(value, str):
        raise TypeError(f"{kind} must be a str, got {type(value).__name__}")
    problem = id_problem(value)
    if problem is not None:
        raise ValueError(f"invalid {kind} {value[:80]!r}: {problem.code} {problem.detail!r}")
    return value


def _nfc(key: str) -> str:
    return key if key.isascii() else unicodedata.normalize("NFC", key)


def account_key(network: str, user_id: str) -> str:
    """Return ``<network>:<user id>`` (NFC).

    :raises ValueError, TypeError: on an invalid network code or user id.
    """
    return _nfc(f"{check_network(network)}:{check_id('user_id', user_id)}")


def entry_key(account: str, comment_id: str, per_comment: bool) -> str:
    """Return the draw entry key for a comment of the account ``account`` (an account key).

    :raises ValueError, TypeError: on an invalid comment id.
    """
    if not per_comment:
        return account
    return _nfc(f"{account}/comment:{check_id('comment_id', comment_id)}")


def parse_account_key(text: str) -> str:
    """Return the account key for ``"123"`` (an Instagram pk) or ``"tiktok:123"``.

    A value without a ``network:`` prefix is an Instagram user pk.

    :raises ValueError: if the value is not a valid account reference.
    """
    if not isinstance(text, str):
        raise ValueError(f"expected a string, got {type(text).__name__}")
    text = text.strip()
    network, sep, user_id = text.partition(":")
    if sep and _NETWORK_RE.fullmatch(network):
        return account_key(network, user_id)
    return account_key(DEFAULT_NETWORK, text)
