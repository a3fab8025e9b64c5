"""drand chains: pinned parameters, round ↔ time, and round signature checks.

Only chains pinned here are accepted: a certificate naming another chain
hash cannot be verified, because its public key would come from the
certificate itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .encoding import from_unix_seconds, sha256, u64, unix_seconds
from .errors import BeaconVerificationError, InvalidInput


@dataclass(frozen=True)
class DrandChain:
    """A drand network's pinned parameters (unchained rounds, G1 signatures)."""

    name: str
    chain_hash: bytes
    public_key: bytes
    genesis_time: int
    period: int
    scheme: str
    dst: bytes

    def round_time(self, round_number: int) -> dt.datetime:
        """Return when round ``round_number`` (≥ 1) is produced, in UTC."""
        check_round(round_number)
        try:
            return from_unix_seconds(self.genesis_time + (round_number - 1) * self.period)
        except OverflowError:
            raise InvalidInput("beacon.round", "is produced after the year 9999") from None

    def round_at(self, when: dt.datetime) -> int:
        """Return the first round produced at or after the aware datetime ``when``."""
        t = unix_seconds(when, ceil=True)
        if t <= self.genesis_time:
            return 1
        return 1 + (t - self.genesis_time + self.period - 1) // self.period

    def verify(self, round_number: int, signature: bytes) -> None:
        """Check the BLS signature of ``round_number``.

        The signed message is ``SHA-256(u64(round))``.  Raises
        BeaconVerificationError when it does not verify.
        """
        check_round(round_number)
        # py_ecc takes a third of a second to import: load it only when a round is checked.
        from .bls import verify_g1_signature

        message = sha256(u64(round_number))
        if not verify_g1_signature(self.public_key, message, signature, self.dst):
            raise BeaconVerificationError(
                f"drand round {round_number}: the BLS signature does not verify "
                f"against the pinned public key of {self.name}")


QUICKNET = DrandChain(
    name="drand quicknet",
    chain_hash=bytes.fromhex("52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"),
    public_key=bytes.fromhex(
        "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c"
        "8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb"
        "5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"),
    genesis_time=1692803367,
    period=3,
    scheme="bls-unchained-g1-rfc9380",
    dst=b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_",
)

KNOWN_CHAINS: dict[bytes, DrandChain] = {QUICKNET.chain_hash: QUICKNET}


def chain_for(chain_hash: bytes) -> DrandChain:
    """Return the pinned chain with ``chain_hash``.

    Raises InvalidInput("beacon.chain_hash") for a chain that is not pinned.
    """
    try:
        return KNOWN_CHAINS[chain_hash]
    except KeyError:
        raise InvalidInput("beacon.chain_hash",
                           f"unknown drand chain {chain_hash.hex()} (only "
                           f"{', '.join(c.name for c in KNOWN_CHAINS.values())} is pinned)") \
            from None


def check_round(round_number: int) -> int:
    """Return ``round_number`` if it is an integer in ``1 … 2^64−1``.

    Raises InvalidInput("beacon.round") otherwise.
    """
    if isinstance(round_number, bool) or not isinstance(round_number, int) \
            or not 1 <= round_number < 1 << 64:
        raise InvalidInput("beacon.round", "must be an integer between 1 and 2^64−1")
    return round_number
