"""gdraw-v1 steps 1–3 and 5: seed, commitment, entry leaves, freeze, transcript.

Standard library only; no floating point, no ``random``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import operator
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol

from .encoding import TAG, TAG_V2, lp, sha256, u16, u32, u64, utf8
from .errors import InvalidInput

SEED_BYTES = 32
SALT_BYTES = 16
LEAF_BYTES = 32
MAX_COUNT = 2**32 - 1
MAX_PLACES = 2**16 - 1


class BeaconValue(Protocol):
    """What the transcript needs from a beacon (see :mod:`giveaway.core.beacons`)."""

    @property
    def beacon_id(self) -> str: ...

    @property
    def round(self) -> int: ...

    @property
    def value(self) -> bytes: ...


def new_seed() -> bytes:
    """Return a fresh secret seed S: 32 bytes from :mod:`secrets`."""
    return secrets.token_bytes(SEED_BYTES)


def new_salt() -> bytes:
    """Return a fresh public salt: 16 bytes from :mod:`secrets`."""
    return secrets.token_bytes(SALT_BYTES)


def check_bytes(value: bytes, size: int, field: str) -> bytes:
    """Return ``value`` if it is ``size`` bytes; raise InvalidInput(field) otherwise."""
    if not isinstance(value, (bytes, bytearray)) or len(value) != size:
        raise InvalidInput(field, f"must be {size} bytes")
    return bytes(value)


def commitment(draw_id: str, seed: bytes, declaration_digest: bytes | None = None) -> bytes:
    """Return the commitment C.

    gdraw-v1 (no ``declaration_digest``): ``C = H("gdraw-v1" ‖ "/commit" ‖ lp(draw_id) ‖ S)``;
    gdraw-v2: ``C = H("gdraw-v2" ‖ "/commit" ‖ lp(draw_id) ‖ d ‖ S)`` with ``d = H(canonical(D))``.
    Raises InvalidInput("draw_id") / ("seed") / ("declaration") for an unusable value.
    """
    check_bytes(seed, SEED_BYTES, "seed")
    if declaration_digest is None:
        return sha256(TAG, b"/commit", _lp_text(draw_id, "draw_id"), seed)
    d = check_bytes(declaration_digest, LEAF_BYTES, "declaration")
    return sha256(TAG_V2, b"/commit", _lp_text(draw_id, "draw_id"), d, seed)


def normalize_key(key: str) -> str:
    """Return the NFC form of an entry key; raise InvalidInput("key") if empty."""
    if not isinstance(key, str) or not key:
        raise InvalidInput("key", "an entry key must be a non-empty string")
    return unicodedata.normalize("NFC", key)


def entry_leaf(salt: bytes, key: str) -> bytes:
    """Return ``H(0x00 ‖ salt ‖ UTF-8(NFC(key)))``, the leaf of one entry."""
    check_bytes(salt, SALT_BYTES, "salt")
    return sha256(b"\x00", salt, utf8(normalize_key(key), "key"))


def freeze_leaves(leaves: Iterable[bytes]) -> list[bytes]:
    """Return the distinct ``leaves`` sorted bytewise ascending (the list L).

    Raises InvalidInput("entries.leaves") for a leaf that is not 32 bytes and
    InvalidInput("entries.count") when L would be empty or hold 2^32 leaves.
    """
    distinct = set()
    for leaf in leaves:
        if not isinstance(leaf, bytes) or len(leaf) != LEAF_BYTES:
            raise InvalidInput("entries.leaves", f"every leaf must be {LEAF_BYTES} bytes")
        distinct.add(leaf)
    frozen = sorted(distinct)
    check_count(len(frozen))
    return frozen


def entry_leaves(salt: bytes, keys: Iterable[str]) -> list[bytes]:
    """Return the leaf of each of ``keys``, in the same order (duplicates kept).

    Raises as :func:`entry_leaf`.
    """
    prefix = b"\x00" + check_bytes(salt, SALT_BYTES, "salt")
    nfc = unicodedata.normalize
    leaves = []
    for key in keys:
        if not isinstance(key, str) or not key:
            raise InvalidInput("key", "an entry key must be a non-empty string")
        leaves.append(hashlib.sha256(prefix + utf8(nfc("NFC", key), "key")).digest())
    return leaves


def freeze_entries(salt: bytes, keys: Iterable[str]) -> list[bytes]:
    """Return L for entry ``keys``: their leaves, distinct, sorted ascending.

    Raises as :func:`entry_leaf` and :func:`freeze_leaves`.
    """
    return freeze_leaves(entry_leaves(salt, keys))


def check_count(count: int) -> int:
    """Return ``count`` if ``1 ≤ count < 2^32``; raise InvalidInput("entries.count")."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise InvalidInput("entries.count", "must be an integer")
    if count < 1:
        raise InvalidInput("entries.count", "there must be at least one entry")
    if count > MAX_COUNT:
        raise InvalidInput("entries.count", "must be below 2^32")
    return count


def check_places(winners: int, alternates: int) -> None:
    """Raise InvalidInput unless ``1 ≤ winners ≤ 65535`` and ``0 ≤ alternates ≤ 65535``."""
    for field, value, low in (("winners", winners, 1), ("alternates", alternates, 0)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(field, "must be an integer")
        if not low <= value <= MAX_PLACES:
            raise InvalidInput(field, f"must be between {low} and {MAX_PLACES}")


def check_sorted_leaves(leaves: Sequence[bytes]) -> None:
    """Raise InvalidInput("entries.leaves") unless ``leaves`` are ascending 32-byte strings.

    Strictly ascending: sorted and distinct.

    The message names the first offending position (0-based index).
    """
    if all(map(operator.lt, leaves, itertools.islice(leaves, 1, None))) \
            and all(isinstance(leaf, bytes) and len(leaf) == LEAF_BYTES for leaf in leaves):
        return
    for i, leaf in enumerate(leaves):
        if not isinstance(leaf, bytes) or len(leaf) != LEAF_BYTES:
            raise InvalidInput("entries.leaves", f"leaf {i} is not {LEAF_BYTES} bytes")
        if i and not leaves[i - 1] < leaf:
            what = "a duplicate" if leaves[i - 1] == leaf else "out of order"
            raise InvalidInput("entries.leaves",
                               f"leaf {i} is {what} (leaves must be strictly ascending)")


def transcript(draw_id: str, count: int, root: bytes, winners: int, alternates: int,
               beacon: BeaconValue, declaration_digest: bytes | None = None) -> bytes:
    """Return the transcript T of the draw.

    gdraw-v1: ``T = TAG ‖ lp(draw_id) ‖ u32(N) ‖ root ‖ u16(k) ‖ u16(a) ‖ lp(beacon_id)
    ‖ u64(R) ‖ lp(B)`` with TAG = "gdraw-v1"; gdraw-v2 (``declaration_digest`` d given):
    TAG = "gdraw-v2" and d follows ``lp(draw_id)``.

    Raises InvalidInput naming the field that does not fit its encoding.
    """
    check_count(count)
    check_places(winners, alternates)
    check_bytes(root, LEAF_BYTES, "entries.merkle_root")
    try:
        round_bytes = u64(beacon.round)
        value = lp(beacon.value)
    except ValueError:
        raise InvalidInput("beacon", "round or value does not fit its encoding") from None
    head = [TAG, _lp_text(draw_id, "draw_id")]
    if declaration_digest is not None:
        head = [TAG_V2, _lp_text(draw_id, "draw_id"),
                check_bytes(declaration_digest, LEAF_BYTES, "declaration")]
    return b"".join((*head, u32(count), root, u16(winners), u16(alternates),
                     _lp_text(beacon.beacon_id, "beacon"), round_bytes, value))


def derive_key(seed: bytes, transcript_bytes: bytes) -> bytes:
    """Return ``K = HMAC-SHA-256(S, T)``."""
    check_bytes(seed, SEED_BYTES, "seed")
    return hmac.digest(seed, transcript_bytes, "sha256")


def _lp_text(text: str, field: str) -> bytes:
    data = utf8(text, field)
    if len(data) > 0xFFFF:
        raise InvalidInput(field, "is longer than 65535 bytes")
    return lp(data)
