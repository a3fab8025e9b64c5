"""The signature step of verification: unsigned, valid, or failed — and against which key."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .checks import CheckResult, failed, note, passed
from .errors import KeyFileError
from .signing import ALGORITHM, key_id, parse_public_key, signature_is_valid

SELF_EMBEDDED_NOTE = (
    "the signature was checked against the public key embedded in the document itself: "
    "this proves the document is intact, not who signed it; check it against the "
    "organiser's published key (--public-key) to prove its origin")


def check_signature(doc: dict[str, Any],
                    public_key: Ed25519PublicKey | None = None) -> list[CheckResult]:
    """Return the signature step's results for ``doc``.

    Unsigned → a NOTE (code "unsigned"), or a FAIL (same code) when the
    organiser's ``public_key`` is given; present but malformed, made by
    another key, or not matching → FAIL; valid → OK, plus a NOTE (code
    "self_embedded_key") when no ``public_key`` was supplied.
    """
    sig = doc.get("signature")
    if sig is None:
        if public_key is not None:
            return [failed("signature", "unsigned: the document carries no signature, but the "
                                        "organiser's key was given: a genuine certificate is "
                                        "signed", "unsigned")]
        return [note("signature", "unsigned: the document carries no signature", "unsigned")]
    if not isinstance(sig, dict) or not isinstance(sig.get("value"), str):
        return [failed("signature", "signature.value is missing or not a string")]
    if sig.get("alg") != ALGORITHM:
        return [failed("signature", f"signature.alg is {sig.get('alg')!r}, "
                                    f"only {ALGORITHM!r} is supported")]
    embedded = public_key is None
    if embedded:
        raw = sig.get("public_key")
        if raw is None:
            return [note("signature", "signed, but not checked: the document embeds no "
                                      "public key; supply the organiser's key (--public-key)",
                         "signature_unchecked")]
        try:
            public_key = parse_public_key(raw) if isinstance(raw, str) else None
        except KeyFileError:
            public_key = None
        if public_key is None:
            return [failed("signature", "signature.public_key is not 64 hex digits")]
    assert public_key is not None
    stated_id = sig.get("key_id")
    if stated_id is not None and str(stated_id).lower() != key_id(public_key):
        return [failed("signature", f"signature.key_id {stated_id} is not the id of the "
                                    f"public key used ({key_id(public_key)})")]
    if not signature_is_valid(doc, sig["value"], public_key):
        return [failed("signature", "the Ed25519 signature does not match the document "
                                    "(changed after signing, or signed by another key)")]
    out = [passed("signature", f"valid Ed25519 signature, key id {key_id(public_key)}")]
    if embedded:
        out.append(note("signature", SELF_EMBEDDED_NOTE, "self_embedded_key"))
    return out
