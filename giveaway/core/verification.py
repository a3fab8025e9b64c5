"""Verifying a certificate against its leaf list: one CheckResult per step.

Shared by the command-line verifier, the app's verification page and the
tests.  Unusable input raises InvalidDocument (naming the field); anything
that can be checked is reported, failures included, never raised.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .beacons import COMMIT_ONLY_WARNING, DeclaredValuesBeacon, DrandBeacon, NoBeacon
from .caption import check_caption, check_expected_commitment
from .checks import CheckResult, failed, note, passed
from .declaration import BeaconDeclaration
from .declared_checks import check_beacon_declared, check_declaration, check_timeline_v2
from .document import Certificate, Pick, parse_certificate
from .encoding import TAG, TAG_V2, format_timestamp
from .errors import BeaconVerificationError, InvalidDocument, InvalidInput, KeyFileError
from .merkle import audit_path, merkle_root, verify_audit_path
from .protocol import check_sorted_leaves, commitment, derive_key, entry_leaf, transcript
from .redeclaration import check_redeclarations, effective_beacon
from .rfc3797 import key_string, parse_key_string
from .selection import METHOD_GDRAW, METHOD_GDRAW_V2, draw_rfc3797, select
from .signature_check import check_signature
from .signing import parse_public_key
from .timestamps import check_timestamps


def verify_certificate(doc: dict[str, Any], leaves: Sequence[bytes],
                       public_key: Ed25519PublicKey | None = None, *,
                       expected_commitment: bytes | None = None, caption: str | None = None,
                       tsa_roots: Sequence[bytes] | None = None) -> list[CheckResult]:
    """Return the result of every verification step of ``doc`` against ``leaves``.

    ``public_key`` is the organiser's published key: with it an unsigned
    document fails; without it the key embedded in the signature (if any) is
    used, which proves integrity only.  ``expected_commitment`` / ``caption``
    are what a participant saw published elsewhere; ``tsa_roots`` (PEM) the
    time-stamping authorities' roots to require.  Raises InvalidDocument when
    the document is unusable (missing or malformed member, unknown beacon
    kind or drand chain, N or k out of range).
    """
    cert = parse_certificate(doc)
    results = [passed("document", f"{cert.protocol} certificate ({cert.method}) of draw "
                                  f"{cert.draw_id!r}: N={cert.count}, k={cert.winners}, "
                                  f"a={cert.alternates}, beacon {cert.beacon.kind}")]
    if cert.is_v2:
        results += _check_v2_declared(cert, doc, public_key)
    else:
        results += _check_commitment(cert)
    if expected_commitment is not None:
        results.append(check_expected_commitment(cert, expected_commitment))
    if caption is not None:
        results.append(check_caption(cert, caption))
    results += _check_leaves(cert, leaves)
    results += _check_beacon(cert)
    if cert.is_v2:
        effective = effective_beacon(cert.declaration, cert.redeclarations)
        results += check_timeline_v2(cert, effective)
        results += _check_timestamps(cert, effective, tsa_roots)
    else:
        results += _check_timeline(cert)
    try:
        results += _check_selection(cert)
    except InvalidInput as exc:
        raise InvalidDocument(exc.field, exc.reason) from None
    results += _check_result_leaves(cert, leaves)
    results += check_signature(doc, public_key)
    return results


def _check_v2_declared(cert: Certificate, doc: dict[str, Any],
                       public_key: Ed25519PublicKey | None) -> list[CheckResult]:
    assert cert.declaration is not None
    effective = effective_beacon(cert.declaration, cert.redeclarations)
    return (check_declaration(cert, doc.get("declaration_sha256"))
            + check_redeclarations(cert.declaration, cert.redeclarations,
                                   public_key or embedded_public_key(doc))
            + check_beacon_declared(cert, effective))


def embedded_public_key(doc: dict[str, Any]) -> Ed25519PublicKey | None:
    """The public key a document's signature embeds, or None (integrity only: not who signed).

    Redeclarations and follow-ups are signed with the certificate's key; without
    the organiser's key they are checked against this one.
    """
    sig = doc.get("signature")
    raw = sig.get("public_key") if isinstance(sig, dict) else None
    try:
        return parse_public_key(raw) if isinstance(raw, str) else None
    except KeyFileError:
        return None


def _check_timestamps(cert: Certificate, effective: BeaconDeclaration,
                      tsa_roots: Sequence[bytes] | None) -> list[CheckResult]:
    assert cert.commitment is not None and cert.committed_at and cert.frozen_at
    return check_timestamps(cert.timestamps or [], commitment=cert.commitment,
                            draw_id=cert.draw_id, count=cert.count, root=cert.merkle_root,
                            committed_at=cert.committed_at, frozen_at=cert.frozen_at,
                            beacon_time=effective.time, trusted_roots=tsa_roots)


def _check_commitment(cert: Certificate) -> list[CheckResult]:
    if cert.seed is None or cert.commitment is None:
        return [note("commitment", "no seed commitment: the rfc3797 method relies on the "
                                   "declared public values alone")]
    if commitment(cert.draw_id, cert.seed) != cert.commitment:
        return [failed("commitment", "the revealed seed does not match the commitment "
                                     "H(TAG ‖ \"/commit\" ‖ lp(draw_id) ‖ seed)")]
    return [passed("commitment", "the revealed seed matches the published commitment")]


def _check_leaves(cert: Certificate, leaves: Sequence[bytes]) -> list[CheckResult]:
    out = []
    try:
        check_sorted_leaves(leaves)
        out.append(passed("leaf-order", "the leaf list is strictly ascending (sorted, distinct)"))
    except InvalidInput as exc:
        out.append(failed("leaf-order", f"entries.leaves: {exc.reason}"))
    if len(leaves) == cert.count:
        out.append(passed("leaf-count", f"the leaf list holds entries.count = {cert.count} leaves"))
    else:
        out.append(failed("leaf-count", f"the leaf list holds {len(leaves)} leaves, "
                                        f"entries.count says {cert.count}"))
    if not leaves:
        out.append(failed("merkle-root", "the leaf list is empty"))
    elif merkle_root(leaves) == cert.merkle_root:
        out.append(passed("merkle-root", f"Merkle root {cert.merkle_root.hex()}"))
    else:
        out.append(failed("merkle-root", f"the leaf list's Merkle root is "
                                         f"{merkle_root(leaves).hex()}, entries.merkle_root "
                                         f"says {cert.merkle_root.hex()}"))
    return out


def _check_beacon(cert: Certificate) -> list[CheckResult]:
    beacon = cert.beacon
    if isinstance(beacon, NoBeacon):
        return [passed("beacon", "commit-only: no external randomness (R = 0, B empty)"),
                note("beacon", COMMIT_ONLY_WARNING.text, COMMIT_ONLY_WARNING.code)]
    if isinstance(beacon, DrandBeacon):
        out = []
        stated = cert.beacon_member["randomness"].lower()
        if stated == beacon.randomness.hex():
            out.append(passed("beacon", f"drand round {beacon.round}: randomness = "
                                        "SHA-256(signature)"))
        else:
            out.append(failed("beacon", "beacon.randomness is not SHA-256(beacon.signature)"))
        try:
            beacon.verify()
            out.append(passed("beacon-signature", f"BLS signature of round {beacon.round} "
                                                  f"verifies against the pinned "
                                                  f"{beacon.chain.name} public key"))
        except BeaconVerificationError as exc:
            out.append(failed("beacon-signature", str(exc)))
        return out
    return [_check_key_string(beacon)]


def _check_key_string(beacon: DeclaredValuesBeacon) -> CheckResult:
    try:
        if beacon.sources is not None and key_string(beacon.sources) != beacon.key_string:
            return failed("beacon", f"beacon.key_string {beacon.key_string!r} is not the key "
                                    f"string of beacon.sources ({key_string(beacon.sources)!r})")
        parse_key_string(beacon.key_string)
    except InvalidInput as exc:
        return failed("beacon", f"{exc.field}: {exc.reason}")
    return passed("beacon", f"declared values, key string {beacon.key_string!r}")


def _check_timeline(cert: Certificate) -> list[CheckResult]:
    out = []
    if cert.committed_at and cert.frozen_at:
        if cert.committed_at <= cert.frozen_at:
            out.append(passed("timeline", "the commitment precedes the freeze of the entries"))
        else:
            out.append(failed("timeline", "committed_at is after entries.frozen_at: the seed "
                                          "was committed after the list was frozen"))
    beacon = cert.beacon
    if isinstance(beacon, DrandBeacon) and cert.frozen_at is not None:
        at = beacon.chain.round_time(beacon.round)
        if cert.frozen_at < at:
            out.append(passed("timeline", f"the entries were frozen before round "
                                          f"{beacon.round} existed ({format_timestamp(at)})"))
        else:
            out.append(failed("timeline", f"entries.frozen_at is not before the time of round "
                                          f"{beacon.round} ({format_timestamp(at)}): the "
                                          "randomness could be known before the freeze"))
    return out


def _check_selection(cert: Certificate) -> list[CheckResult]:
    if cert.method in (METHOD_GDRAW, METHOD_GDRAW_V2):
        assert cert.seed is not None  # parse_certificate requires it for these methods
        digest = cert.declaration.digest if cert.is_v2 else None
        t = transcript(cert.draw_id, cert.count, cert.merkle_root, cert.winners,
                       cert.alternates, cert.beacon, digest)
        key = derive_key(cert.seed, t)
        derivation = passed("derivation", f"K = HMAC(seed, T) = {key.hex()}")
        won, alt = select(key, cert.count, cert.winners, cert.alternates,
                          TAG_V2 if cert.is_v2 else TAG)
    else:
        assert isinstance(cert.beacon, DeclaredValuesBeacon)
        res = draw_rfc3797(cert.beacon, winners=cert.winners, alternates=cert.alternates,
                           root=cert.merkle_root, count=cert.count)
        derivation = passed("derivation", "RFC 3797 §4 positions from the key string")
        won, alt = list(res.winners), list(res.alternates)
    problems = [p for p in (_compare("winners", cert.result_winners, won),
                            _compare("alternates", cert.result_alternates, alt)) if p]
    if problems:
        return [derivation, failed("selection", "; ".join(problems))]
    return [derivation, passed("selection", f"winners {won} and alternates {alt} "
                                            "are those the draw gives")]


def _compare(name: str, stated: Sequence[Pick], expected: Sequence[int]) -> str:
    indexes = [p.index for p in stated]
    if len(indexes) != len(expected):
        return f"result.{name} lists {len(indexes)}, the draw gives {len(expected)}"
    for i, (got, want) in enumerate(zip(indexes, expected)):
        if got != want:
            return f"result.{name}[{i}].index is {got}, the draw gives {want}"
    return ""


def _check_result_leaves(cert: Certificate, leaves: Sequence[bytes]) -> list[CheckResult]:
    for name, picks in (("winners", cert.result_winners), ("alternates", cert.result_alternates)):
        for i, pick in enumerate(picks):
            if pick.index >= len(leaves) or leaves[pick.index] != pick.leaf:
                return [failed("result-leaves", f"result.{name}[{i}].leaf is not leaf "
                                                f"{pick.index} of the list")]
    return [passed("result-leaves", "each winner's and alternate's leaf is the one at its index")]


@dataclass(frozen=True)
class InclusionProof:
    """Where an entry's leaf sits in L, and its RFC 6962 audit path."""

    key: str
    leaf: bytes
    index: int | None  # None when the leaf is not in the list
    path: tuple[bytes, ...]
    valid: bool


def prove_inclusion(doc: dict[str, Any], leaves: Sequence[bytes], key: str) -> InclusionProof:
    """Return the inclusion proof of entry ``key`` against the document's root and count.

    Raises InvalidDocument when the document is unusable or has no salt.
    """
    cert = parse_certificate(doc)
    if cert.salt is None:
        raise InvalidDocument("salt", "is absent: the leaf of an entry cannot be computed")
    try:
        leaf = entry_leaf(cert.salt, key)
    except InvalidInput as exc:
        raise InvalidDocument("entry", exc.reason) from None
    index = bisect.bisect_left(leaves, leaf)
    if index >= len(leaves) or leaves[index] != leaf:
        return InclusionProof(key, leaf, None, (), False)
    path = tuple(audit_path(leaves, index))
    valid = verify_audit_path(leaf, index, cert.count, path, cert.merkle_root)
    return InclusionProof(key, leaf, index, path, valid)
