"""RFC 6962 Merkle tree over leaves that are already leaf hashes.

The tree is computed bottom-up, level by level: pair neighbours, and carry an
odd last node up unchanged.  That builds exactly the RFC 6962 tree (split at
the largest power of two smaller than n), without recursion or slice copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from hashlib import sha256

from .errors import InvalidInput

_NODE = b"\x01"


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return ``H(0x01 ‖ left ‖ right)``, the hash of an interior node."""
    return sha256(_NODE + left + right).digest()


def _next_level(level: Sequence[bytes]) -> list[bytes]:
    n = len(level)
    parents = [sha256(_NODE + level[i] + level[i + 1]).digest() for i in range(0, n - 1, 2)]
    if n % 2:
        parents.append(level[n - 1])
    return parents


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """Return the RFC 6962 Merkle Tree Hash of ``leaves`` (used as leaf hashes).

    Raises InvalidInput("entries.count") for an empty list.
    """
    if not leaves:
        raise InvalidInput("entries.count", "the tree needs at least one leaf")
    level = leaves
    while len(level) > 1:
        level = _next_level(level)
    return level[0]


def audit_path(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """Return the RFC 6962 audit path of ``leaves[index]``, nearest sibling first.

    Raises InvalidInput("index") when ``index`` is outside the list.
    """
    if not 0 <= index < len(leaves):
        raise InvalidInput("index", f"{index} is outside 0…{len(leaves) - 1}")
    path: list[bytes] = []
    level = leaves
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(level[sibling])
        level = _next_level(level)
        index //= 2
    return path


def root_from_audit_path(leaf: bytes, index: int, count: int, path: Sequence[bytes]) -> bytes:
    """Return the root implied by ``leaf`` at ``index`` of ``count`` and its path.

    Follows RFC 9162 §2.1.3.2.  Raises InvalidInput("audit_path") when the
    path has the wrong length for (index, count).
    """
    if not 0 <= index < count:
        raise InvalidInput("index", f"{index} is outside 0…{count - 1}")
    fn, sn, r = index, count - 1, leaf
    for p in path:
        if sn == 0:
            raise InvalidInput("audit_path", "is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidInput("audit_path", "is shorter than the tree is deep")
    return r


def verify_audit_path(leaf: bytes, index: int, count: int, path: Sequence[bytes],
                      root: bytes) -> bool:
    """Return True when ``path`` proves ``leaf`` is at ``index`` in the tree ``root``.

    Returns False (never raises) for a path of the wrong shape.
    """
    try:
        return root_from_audit_path(leaf, index, count, path) == root
    except InvalidInput:
        return False
