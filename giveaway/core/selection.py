"""gdraw-v1 step 7 and the whole draw: leaves + seed + beacon → winners, alternates.

``draw`` is a pure function of its inputs; there is nothing to re-roll.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .beacons import Beacon, DeclaredValuesBeacon
from .declaration import Declaration
from .encoding import TAG, TAG_V2
from .errors import InvalidInput
from .merkle import merkle_root
from .protocol import (LEAF_BYTES, SEED_BYTES, check_bytes, check_count, check_places,
                       check_sorted_leaves, derive_key, transcript)
from .rfc3797 import MAX_PICKS as MAX_RFC3797_PICKS
from .rfc3797 import select_positions
from .stream import Stream

METHOD_GDRAW = "gdraw-v1"
METHOD_GDRAW_V2 = "gdraw"  # gdraw-v2 names the method "gdraw" (steps 5–7 with TAG gdraw-v2)
METHOD_RFC3797 = "rfc3797"


@dataclass(frozen=True)
class DrawResult:
    """The outcome of a draw: indexes into L, and how they were derived.

    ``transcript`` and ``key`` are None for the RFC 3797 method.
    """

    method: str
    count: int
    merkle_root: bytes
    winners: tuple[int, ...]
    alternates: tuple[int, ...]
    transcript: bytes | None = None
    key: bytes | None = None


def partial_fisher_yates(stream: Stream, count: int, places: int) -> list[int]:
    """Return the first ``places`` entries of ``A = [0 … count−1]`` after the partial shuffle.

    For ``i`` in ``0 … places−1``: ``j = i + below(count − i)``, swap ``A[i]``
    and ``A[j]``.  Only the swapped positions are stored (a dict), so memory
    stays O(places) whatever ``count`` is.
    """
    moved: dict[int, int] = {}
    picked = []
    for i in range(places):
        j = i + stream.below(count - i)
        at_i = moved.get(i, i)
        at_j = moved.get(j, j)
        moved[j] = at_i
        moved[i] = at_j
        picked.append(at_j)
    return picked


def select(key: bytes, count: int, winners: int, alternates: int,
           tag: bytes = TAG) -> tuple[list[int], list[int]]:
    """Return (winners, alternates) as indexes into L, from derived key ``key``.

    ``m = min(k + a, N)`` positions are drawn; the first ``min(k, N)`` win.
    ``tag`` is the protocol's TAG (it prefixes every stream word).
    """
    check_count(count)
    check_places(winners, alternates)
    places = min(winners + alternates, count)
    picked = partial_fisher_yates(Stream(key, tag), count, places)
    cut = min(winners, count)
    return picked[:cut], picked[cut:]


def draw(seed: bytes, draw_id: str, *, winners: int, alternates: int, beacon: Beacon,
         leaves: Sequence[bytes] | None = None, root: bytes | None = None,
         count: int | None = None, declaration_digest: bytes | None = None) -> DrawResult:
    """Run steps 5–7 and return the result: gdraw-v1, or gdraw-v2 with ``declaration_digest``.

    Pass either ``leaves`` (the frozen list L: checked strictly ascending,
    its root and count computed) or both ``root`` and ``count``.  Raises
    InvalidInput naming the field for any unusable input.
    """
    check_bytes(seed, SEED_BYTES, "seed")
    count, root = _tree_facts(leaves, root, count)
    t = transcript(draw_id, count, root, winners, alternates, beacon, declaration_digest)
    key = derive_key(seed, t)
    v2 = declaration_digest is not None
    won, alt = select(key, count, winners, alternates, TAG_V2 if v2 else TAG)
    return DrawResult(METHOD_GDRAW_V2 if v2 else METHOD_GDRAW, count, root, tuple(won),
                      tuple(alt), t, key)


def draw_rfc3797(beacon: DeclaredValuesBeacon, *, winners: int, alternates: int,
                 leaves: Sequence[bytes] | None = None, root: bytes | None = None,
                 count: int | None = None) -> DrawResult:
    """Select with the RFC 3797 method: 1-based positions minus one, in pick order.

    Same ``leaves``/``root``/``count`` rules and exceptions as :func:`draw`.
    """
    if not isinstance(beacon, DeclaredValuesBeacon):
        raise InvalidInput("beacon.kind", "the rfc3797 method needs declared public values")
    count, root = _tree_facts(leaves, root, count)
    check_places(winners, alternates)
    places = min(winners + alternates, count)
    if places > MAX_RFC3797_PICKS:
        raise InvalidInput("alternates", f"the rfc3797 method draws at most {MAX_RFC3797_PICKS} "
                                         "positions (winners + alternates)")
    picked = [p - 1 for p in select_positions(beacon.key_string, count, places)]
    cut = min(winners, count)
    return DrawResult(METHOD_RFC3797, count, root, tuple(picked[:cut]), tuple(picked[cut:]))


def draw_as_declared(seed: bytes | None, declaration: Declaration, beacon: Beacon,
                     leaves: Sequence[bytes]) -> DrawResult:
    """Run a gdraw-v2 draw exactly as ``declaration`` (D) fixed it: its method, k and a.

    ``gdraw``: steps 5–7 with H(D) in the transcript; ``rfc3797``: RFC 3797 §4 on
    the declared values (the seed is not used and may be None). Raises as
    :func:`draw` / :func:`draw_rfc3797`.
    """
    places = dict(winners=declaration.winners, alternates=declaration.alternates, leaves=leaves)
    if declaration.method == METHOD_RFC3797:
        if not isinstance(beacon, DeclaredValuesBeacon):
            raise InvalidInput("beacon.kind", "the rfc3797 method needs declared public values")
        return draw_rfc3797(beacon, **places)
    if seed is None:
        raise InvalidInput("seed", "is required by the gdraw method")
    return draw(seed, declaration.draw_id, beacon=beacon, declaration_digest=declaration.digest,
                **places)


def _tree_facts(leaves: Sequence[bytes] | None, root: bytes | None,
                count: int | None) -> tuple[int, bytes]:
    if leaves is not None:
        check_count(len(leaves))
        check_sorted_leaves(leaves)
        return len(leaves), merkle_root(leaves)
    if root is None or count is None:
        raise InvalidInput("entries", "pass the leaves, or both the root and the count")
    return check_count(count), check_bytes(root, LEAF_BYTES, "entries.merkle_root")
