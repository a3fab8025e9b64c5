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

__all__ = ["DEFAULT_NETWORK", "account_key", "entry_key", "parse_account_key", "check_network"]

DEFAULT_NETWORK = "ig"
_NETWORK_RE = re.compile(r"[a-z][a-z0-9_-]{0,31}")
# Ids may hold anything printable except "/" (the key separator) and whitespace.
_BAD_ID_RE = re.compile(r"[/\s\x00-\x1f\x7f]")


def check_network(network: str) -> str:
    """Return ``network`` if it is a valid network code (``ig``, ``tiktok``, ``fb``…).

    :raises ValueError: otherwise.
    """
    if not isinstance(network, str) or not _NETWORK_RE.fullmatch(network):
        raise ValueError(f"invalid network code {network!r}")
    return network


def _check_id(kind: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{kind} must be a str, got {type(value).__name__}")
    if not value or _BAD_ID_RE.search(value):
        raise ValueError(f"invalid {kind} {value!r}: empty, or contains '/' or whitespace")
    return value


def _nfc(key: str) -> str:
    return key if key.isascii() else unicodedata.normalize("NFC", key)


def account_key(network: str, user_id: str) -> str:
    """Return ``<network>:<user id>`` (NFC).

    :raises ValueError, TypeError: on an invalid network code or user id.
    """
    return _nfc(f"{check_network(network)}:{_check_id('user_id', user_id)}")


def entry_key(account: str, comment_id: str, per_comment: bool) -> str:
    """Return the draw entry key for a comment of the account ``account`` (an account key).

    :raises ValueError, TypeError: on an invalid comment id.
    """
    if not per_comment:
        return account
    return _nfc(f"{account}/comment:{_check_id('comment_id', comment_id)}")


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
