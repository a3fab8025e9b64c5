"""gdraw-v1 step 6: the HMAC-SHA-256 word stream and unbiased ``below(n)``."""

from __future__ import annotations

import hmac

from .encoding import TAG, u64
from .errors import InvalidInput

_TWO_64 = 1 << 64


class Stream:
    """The deterministic stream ``x_j = u64(HMAC(K, TAG ‖ "/u64" ‖ u64(j))[:8])``.

    ``tag`` is the protocol's TAG: ``gdraw-v1`` (default) or ``gdraw-v2``.
    """

    def __init__(self, key: bytes, tag: bytes = TAG) -> None:
        self._key = bytes(key)
        self._prefix = tag + b"/u64"
        self._next = 0

    @property
    def words_used(self) -> int:
        """Return how many words have been drawn so far."""
        return self._next

    def word(self, j: int) -> int:
        """Return ``x_j`` without moving the stream."""
        digest = hmac.digest(self._key, self._prefix + u64(j), "sha256")
        return int.from_bytes(digest[:8], "big")

    def next_word(self) -> int:
        """Return the next word ``x_j`` and advance ``j``."""
        x = self.word(self._next)
        self._next += 1
        return x

    def below(self, n: int) -> int:
        """Return an integer uniform in ``[0, n)`` by rejection sampling.

        Words ``≥ 2^64 − (2^64 mod n)`` are skipped, so there is no modulo
        bias.  Raises InvalidInput("n") unless ``1 ≤ n ≤ 2^64``.
        """
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= _TWO_64:
            raise InvalidInput("n", "below(n) needs 1 ≤ n ≤ 2^64")
        limit = _TWO_64 - (_TWO_64 % n)
        while True:
            x = self.next_word()
            if x < limit:
                return x % n
