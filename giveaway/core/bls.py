"""BLS12-381 signature check for drand's ``bls-unchained-g1-rfc9380`` scheme.

Signatures are on G1 (48 bytes compressed), public keys on G2 (96 bytes).
py_ecc's ready-made ciphersuites sign on G2, so the pairing check is written
out here with py_ecc's primitives: ``e(sig, g2) == e(H(m), pk)``, computed
as one product of two Miller loops and a single final exponentiation.
A check takes about a quarter of a second in pure Python.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from py_ecc.bls.hash_to_curve import hash_to_G1
from py_ecc.bls.point_compression import decompress_G1, decompress_G2
from py_ecc.optimized_bls12_381 import (
    FQ12,
    G2,
    curve_order,
    final_exponentiate,
    is_inf,
    multiply,
    neg,
    pairing,
)

G1_BYTES = 48
G2_BYTES = 96


# Keyed by the key's bytes, so the cache can only ever return that key's own point;
# it saves the G2 subgroup check (≈ 0.05 s) on every round of a pinned chain.
@functools.lru_cache(maxsize=8)
def _public_key_point(public_key: bytes) -> Any:
    """Return the G2 point of a compressed public key, or None if it is unusable."""
    try:
        point = decompress_G2((int.from_bytes(public_key[:48], "big"),
                               int.from_bytes(public_key[48:], "big")))
    except (ValueError, AssertionError):
        return None
    if is_inf(point) or not is_inf(multiply(point, curve_order)):
        return None
    return point


def verify_g1_signature(public_key: bytes, message: bytes, signature: bytes, dst: bytes) -> bool:
    """Return True when ``signature`` (G1) signs ``message`` under ``public_key`` (G2).

    The message is hashed to G1 with RFC 9380 (SHA-256, SSWU, random oracle)
    and domain separation tag ``dst``.  Returns False for malformed points,
    points outside the prime-order subgroup, the point at infinity, or a
    signature that does not verify; never raises for bad bytes.
    """
    if len(public_key) != G2_BYTES or len(signature) != G1_BYTES:
        return False
    pk_point = _public_key_point(bytes(public_key))
    try:
        sig_point = decompress_G1(int.from_bytes(signature, "big"))
    except (ValueError, AssertionError):
        return False
    if pk_point is None or is_inf(sig_point) or not is_inf(multiply(sig_point, curve_order)):
        return False
    msg_point = hash_to_G1(message, dst, hashlib.sha256)
    product = (pairing(G2, sig_point, final_exponentiate=False)
               * pairing(pk_point, neg(msg_point), final_exponentiate=False))
    return final_exponentiate(product) == FQ12.one()
