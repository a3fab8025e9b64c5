"""RFC 3161 time-stamps on the steps of a gdraw-v2 draw: imprints, fetching, reading, checking.

A time-stamping authority (TSA) signs ``(imprint, time)``; the imprint is the
SHA-256 of what is being dated:

- commitment: ``H("gdraw-v2" ‖ "/tsa/commitment" ‖ C)``;
- freeze: ``H("gdraw-v2" ‖ "/tsa/freeze" ‖ lp(UTF-8(draw_id)) ‖ u32(N) ‖ root)``;
- certificate: ``H(the sealed certificate's bytes)``, so that
  ``openssl ts -verify -data certificate.json -in reply.tsr -CAfile root.pem`` works.

What is stored and carried is the TSA's whole reply, DER ``TimeStampResp``
(status "granted" and the ``TimeStampToken``), byte for byte as received:
rfc3161-client reads replies, not bare tokens, and ``openssl ts -verify -in``
takes it as is. "Token" below means that reply. :func:`request_token` (from
:mod:`.timestamp_fetch`) fetches one.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from rfc3161_client import PKIStatus, TimeStampResponse, VerificationError, VerifierBuilder

from .checks import CheckResult, failed, note, passed
from .encoding import TAG_V2, format_timestamp, lp, u32, utf8
from .errors import InvalidDocument, InvalidInput, TimestampError, TimestampUnverifiable
from .timestamp_fetch import SHA256_OID, check_digest, decode_reply, request_token, short_reason

SUBJECTS = ("commitment", "freeze")  # what the certificate's ``timestamps`` member may cover
CLOCK_SKEW = dt.timedelta(seconds=60)
SHA256_OID = x509.ObjectIdentifier("2.16.840.1.101.3.4.2.1")
_MAX_REPLY = 256 * 1024
_STEP = "timestamp"

__all__ = ["CLOCK_SKEW", "SUBJECTS", "TokenInfo", "certificate_imprint", "check_timestamps",
           "commitment_imprint", "freeze_imprint", "read_token", "request_token"]


def commitment_imprint(c: bytes) -> bytes:
    """Return the imprint time-stamped at opening for the 32-byte commitment ``c``.

    Raises InvalidInput("commitment") when ``c`` is not 32 bytes.
    """
    check_digest(c, "commitment")
    return hashlib.sha256(TAG_V2 + b"/tsa/commitment" + c).digest()


def freeze_imprint(draw_id: str, count: int, root: bytes) -> bytes:
    """Return the imprint time-stamped at freeze for ``N = count`` leaves of Merkle ``root``.

    Raises InvalidInput("draw_id" | "entries.count" | "entries.merkle_root").
    """
    draw_id_bytes = utf8(draw_id, "draw_id")
    check_digest(root, "entries.merkle_root")
    try:
        body = lp(draw_id_bytes) + u32(count)
    except ValueError as exc:
        field = "draw_id" if len(draw_id_bytes) > 0xFFFF else "entries.count"
        raise InvalidInput(field, str(exc)) from None
    return hashlib.sha256(TAG_V2 + b"/tsa/freeze" + body + root).digest()


def certificate_imprint(body: bytes) -> bytes:
    """Return the imprint time-stamped at the draw: SHA-256 of the sealed certificate bytes."""
    return hashlib.sha256(body).digest()


@dataclass(frozen=True)
class TokenInfo:
    """What a verified token states: when, who signed it (subject, issuer), its serial."""

    gen_time: dt.datetime  # aware, UTC
    tsa_name: str  # the signing certificate's subject (RFC 4514)
    issuer: str  # the signing certificate's issuer (RFC 4514)
    serial: int
    accuracy_seconds: float | None
    pinned: bool = False  # True when checked against a given root, not one the token carries


def read_token(token: bytes, imprint: bytes,
               trusted_roots: Sequence[bytes] | None = None) -> TokenInfo:
    """Verify ``token`` (a DER reply) for ``imprint`` and return what it states.

    Checked: the reply is granted; its imprint is SHA-256 ``imprint``; the CMS
    signature is valid with the signing certificate carried in the token; that
    certificate has the (critical) timeStamping extended key usage and chains,
    through the certificates carried, to a root. The root is one of
    ``trusted_roots`` (PEM, each may hold several certificates) when given,
    else a self-signed certificate carried in the token (self-consistency only:
    anyone can make such a token; the report names the issuer for a human to judge).
    Raises TimestampError with the reason; TimestampUnverifiable (with ``.info``)
    when no root is given and the token carries none.
    """
    response = decode_reply(token, "token")
    if response.status != PKIStatus.GRANTED:
        raise TimestampError("the reply is not a granted time-stamp")
    try:
        tst = response.tst_info
        if tst.message_imprint.hash_algorithm != SHA256_OID:
            raise TimestampError("the token's imprint is not SHA-256")
        if tst.message_imprint.message != imprint:
            raise TimestampError("the token covers another imprint")
        certs = [x509.load_der_x509_certificate(c) for c in response.signed_data.certificates]
        signer = _signer(response, certs)
        accuracy = tst.accuracy
        info = TokenInfo(tst.gen_time.astimezone(dt.timezone.utc),
                         signer.subject.rfc4514_string(), signer.issuer.rfc4514_string(),
                         tst.serial_number, _seconds(accuracy) if accuracy else None)
    except ValueError as exc:
        raise TimestampError(f"malformed token ({exc})") from None
    if trusted_roots:
        roots = _load_roots(trusted_roots)
        info = dataclasses.replace(info, pinned=True)
    else:
        roots = [c for c in certs if _self_signed(c)]
    if not roots:
        raise TimestampUnverifiable("the token carries no root certificate: its signature "
                                    "can only be checked with the TSA's root", info)
    try:
        VerifierBuilder(roots=roots).build().verify(response, imprint)
    except (VerificationError, ValueError) as exc:
        raise TimestampError(f"signature or certificate chain does not verify "
                             f"({short_reason(exc)})") from None
    return info


def check_timestamps(entries: Any, *, commitment: bytes | None, draw_id: str,
                     count: int | None, root: bytes | None, committed_at: dt.datetime,
                     frozen_at: dt.datetime | None, beacon_time: dt.datetime | None,
                     trusted_roots: Sequence[bytes] | None = None) -> list[CheckResult]:
    """Return the verification lines for a certificate's ``timestamps`` member.

    ``entries`` is a list of ``{"subject": "commitment"|"freeze", "tsa": url,
    "token": base64 DER reply}`` (None or empty: not time-stamped). Per token:
    FAIL when it does not verify or states a time before the event it covers
    (beyond CLOCK_SKEW plus its accuracy); NOTE when it is late (a commitment
    after the freeze, a freeze at or after the beacon time), or unverifiable;
    OK otherwise, naming the authority and the time. Times are aware datetimes.
    Raises InvalidDocument("timestamps…") for a malformed member.
    """
    if entries is None or entries == []:
        return [note(_STEP, "not timestamped", "not_timestamped")]
    if not isinstance(entries, list):
        raise InvalidDocument("timestamps", "must be a list")
    parsed = [_parse_entry(entry, f"timestamps[{i}]") for i, entry in enumerate(entries)]
    results: list[CheckResult] = []
    for i, (subject, tsa, token) in enumerate(parsed):
        if subject == "commitment":
            if commitment is None:
                raise InvalidDocument(f"timestamps[{i}]", "the document has no commitment")
            imprint, event = commitment_imprint(commitment), committed_at
            late_after, late = frozen_at, "after the freeze"
        else:
            if count is None or root is None or frozen_at is None:
                raise InvalidDocument(f"timestamps[{i}]", "the document has no frozen list")
            imprint, event = freeze_imprint(draw_id, count, root), frozen_at
            late_after, late = beacon_time, "at or after the beacon time"
        results.append(_check_one(subject, tsa, token, imprint, event, late_after, late,
                                  trusted_roots))
    covered = {subject for subject, _, _ in parsed}
    results += [note(_STEP, f"{subject} not timestamped", "not_timestamped")
                for subject in SUBJECTS if subject not in covered]
    return results


def _check_one(subject: str, tsa: str, token: bytes, imprint: bytes, event: dt.datetime,
               late_after: dt.datetime | None, late: str,
               trusted_roots: Sequence[bytes] | None) -> CheckResult:
    what = f"{subject} timestamp from {tsa}"
    try:
        info = read_token(token, imprint, trusted_roots)
    except TimestampUnverifiable as exc:
        stated = exc.info
        return note(_STEP, f"{what} states {format_timestamp(stated.gen_time)} "
                           f"({stated.tsa_name}), not checked: {exc}", "timestamp_unchecked")
    except TimestampError as exc:
        return failed(_STEP, f"{what}: {exc}", "timestamp_invalid")
    when = format_timestamp(info.gen_time)
    slack = CLOCK_SKEW + dt.timedelta(seconds=info.accuracy_seconds or 0)
    if info.gen_time < event - slack:
        return failed(_STEP, f"{what} states {when}, before the {subject} "
                             f"({format_timestamp(event)}): the stated time is false",
                      "timestamp_before_event")
    by = f"{info.tsa_name}, issued by {info.issuer}"
    if not info.pinned:
        by += ", root carried in the token"
    # A commitment stamped at the freeze instant still precedes the list; a freeze
    # stamped at the beacon time no longer precedes the randomness.
    if late_after is not None and (info.gen_time > late_after or (
            subject == "freeze" and info.gen_time == late_after)):
        return note(_STEP, f"{what} ({by}) at {when}, {late}: it proves less",
                    "timestamp_late")
    return passed(_STEP, f"{subject} timestamped at {when} by {by} ({tsa})", "timestamp")


def _parse_entry(entry: Any, field: str) -> tuple[str, str, bytes]:
    if not isinstance(entry, dict):
        raise InvalidDocument(field, "must be an object")
    subject, tsa, token = entry.get("subject"), entry.get("tsa"), entry.get("token")
    if subject not in SUBJECTS:
        raise InvalidDocument(f"{field}.subject", f"must be one of {', '.join(SUBJECTS)}")
    if not isinstance(tsa, str) or not tsa:
        raise InvalidDocument(f"{field}.tsa", "must be the TSA's URL")
    if not isinstance(token, str):
        raise InvalidDocument(f"{field}.token", "must be a base64 string")
    try:
        return subject, tsa, base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidDocument(f"{field}.token", "is not valid base64") from None


def _signer(response: TimeStampResponse, certs: list[x509.Certificate]) -> x509.Certificate:
    signer_infos = list(response.signed_data.signer_infos)
    if len(signer_infos) != 1:
        raise TimestampError(f"the token has {len(signer_infos)} signers, not one")
    info = signer_infos[0]
    for cert in certs:
        if cert.issuer == info.issuer and cert.serial_number == info.serial_number:
            return cert
    raise TimestampError("the token does not carry its signing certificate")


def _load_roots(pems: Sequence[bytes]) -> list[x509.Certificate]:
    try:
        return [cert for pem in pems for cert in x509.load_pem_x509_certificates(pem)]
    except ValueError:
        raise InvalidInput("trusted_roots", "not PEM certificates") from None


def _self_signed(cert: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _seconds(accuracy: Any) -> float:
    return accuracy.seconds + (accuracy.millis or 0) / 1000 + (accuracy.micros or 0) / 1000000
