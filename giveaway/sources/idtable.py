"""A compact table of 64-bit fingerprints, for duplicate checks over large files.

A ``dict`` of a million ints costs ~130 MB; two ``array('q')`` with open
addressing (linear probing, load <= 2/3) cost 16 bytes per slot: 24 to 48
bytes per entry.
"""

from __future__ import annotations

from array import array

__all__ = ["FingerprintTable"]


class FingerprintTable:
    """Map a key fingerprint to a value fingerprint (both non-zero 64-bit ints)."""

    def __init__(self, expected: int = 1 << 14):
        bits = max(10, (max(expected, 1) * 3 // 2).bit_length())
        self._alloc(bits)
        self.count = 0

    def _alloc(self, bits: int) -> None:
        self._mask = (1 << bits) - 1
        self._keys = array("q", bytes(8 << bits))
        self._values = array("q", bytes(8 << bits))

    def setdefault(self, key: int, value: int) -> int | None:
        """Store ``value`` under ``key`` unless present; return the previous value or None."""
        key = key or 1
        keys, mask = self._keys, self._mask
        slot = key & mask
        while True:
            found = keys[slot]
            if found == key:
                return self._values[slot]
            if found == 0:
                keys[slot] = key
                self._values[slot] = value
                self.count += 1
                if self.count * 3 > mask * 2:
                    self._grow()
                return None
            slot = (slot + 1) & mask

    def _grow(self) -> None:
        keys, values = self._keys, self._values
        self._alloc((self._mask + 1).bit_length())
        self.count = 0
        for key, value in zip(keys, values):
            if key:
                self.setdefault(key, value)
