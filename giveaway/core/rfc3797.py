"""RFC 3797: the key string of declared public values, and §4 selection.

MD5 is used because RFC 3797 specifies it; it only spreads a public key
string over positions, no secret or collision resistance is involved.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterable, Sequence

from .encoding import u16
from .errors import InvalidInput

MAX_PICKS = 1 << 16  # the counter is a u16
_KEY_STRING = re.compile(r"(?:(?:(?:0|[1-9][0-9]*)\.)+/)+")


def key_string(sources: Iterable[Iterable[int]]) -> str:
    """Return the RFC 3797 key string of ``sources``.

    Each value is written in decimal without leading zeros and followed by
    ".", the values of a source sorted ascending, each source closed by "/".
    Raises InvalidInput("beacon.sources") for a negative or non-integer value
    or an empty source.
    """
    parts = []
    for i, source in enumerate(sources):
        values = list(source)
        if not values:
            raise InvalidInput(f"beacon.sources[{i}]", "a source needs at least one value")
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise InvalidInput(f"beacon.sources[{i}]", f"{v!r} is not a non-negative integer")
        parts.append("".join(f"{v}." for v in sorted(values)) + "/")
    if not parts:
        raise InvalidInput("beacon.sources", "at least one source is needed")
    return "".join(parts)


def parse_key_string(text: str) -> list[list[int]]:
    """Return the sources written in a canonical key string.

    Raises InvalidInput("beacon.key_string") if ``text`` is not of the form
    produced by :func:`key_string` (including the ascending order).
    """
    if not isinstance(text, str) or not _KEY_STRING.fullmatch(text):
        raise InvalidInput("beacon.key_string", "is not an RFC 3797 key string of integers")
    sources = [[int(v) for v in part.split(".")[:-1]] for part in text.split("/")[:-1]]
    if key_string(sources) != text:
        raise InvalidInput("beacon.key_string", "values of a source must be in ascending order")
    return sources


def select_positions(key: str, pool: int, count: int) -> list[int]:
    """Return ``count`` distinct 1-based positions picked from ``1…pool`` by RFC 3797 §4.

    For ``i = 0, 1, …``: ``MD5(u16(i) ‖ key ‖ u16(i))`` as a 128-bit integer,
    modulo the number of positions still in the pool, picks one of the
    remaining positions (in ascending order), which leaves the pool.
    Raises InvalidInput unless ``0 ≤ count ≤ pool`` and ``count ≤ 65536``.
    """
    if pool < 1 or not 0 <= count <= pool:
        raise InvalidInput("pool", f"cannot pick {count} of {pool}")
    if count > MAX_PICKS:
        raise InvalidInput("pool", f"RFC 3797 numbers at most {MAX_PICKS} picks")
    data = key.encode("utf-8")
    taken: list[int] = []  # 0-based, kept sorted; never more than ``count`` items
    picks = []
    for i in range(count):
        prefix = u16(i)
        digest = hashlib.md5(prefix + data + prefix, usedforsecurity=False).digest()
        rank = int.from_bytes(digest, "big") % (pool - i)
        position = _nth_remaining(taken, rank)
        bisect.insort(taken, position)
        picks.append(position + 1)
    return picks


def _nth_remaining(taken: Sequence[int], rank: int) -> int:
    # The rank-th (0-based) position not in ``taken``, without a list of the pool.
    position = rank
    for t in taken:
        if t <= position:
            position += 1
        else:
            break
    return position

