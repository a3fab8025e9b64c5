"""Asking an RFC 3161 time-stamping authority (TSA) for a token, over HTTP(S) with urllib.

:func:`request_token` returns the TSA's DER reply (``TimeStampResp``) byte for
byte; :mod:`giveaway.core.timestamps` reads and checks it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request

from cryptography import x509
from rfc3161_client import (HashAlgorithm, PKIStatus, TimestampRequestBuilder, TimeStampResponse,
                            decode_timestamp_response)

from .errors import InvalidInput, TimestampError

SHA256_OID = x509.ObjectIdentifier("2.16.840.1.101.3.4.2.1")
_MAX_REPLY = 256 * 1024


def request_token(url: str, imprint: bytes, timeout: float = 10) -> bytes:
    """Ask the TSA at ``url`` to time-stamp ``imprint``; return its DER reply (see module doc).

    The query asks for SHA-256, a random nonce and the TSA's certificate. The
    reply must be "granted", for this imprint and this nonce; its signature is
    checked by :func:`giveaway.core.timestamps.read_token`, not here.
    Raises TimestampError (network trouble, HTTP error, rejection, mismatch),
    InvalidInput("imprint") when ``imprint`` is not 32 bytes.
    """
    check_digest(imprint, "imprint")
    where = _where(url)
    if not url.startswith(("https://", "http://")):
        raise TimestampError(f"{where}: not an http(s) URL")
    # The builder hashes what it is given and we already hold the hash: build the query
    # for a random placeholder, then put the imprint in place of the placeholder's hash
    # (same length, same position; nothing else in the query is re-encoded).
    placeholder = secrets.token_bytes(32)
    query = TimestampRequestBuilder(placeholder, HashAlgorithm.SHA256, nonce=True,
                                    cert_req=True).build()
    der = query.as_bytes()
    placeholder_hash = hashlib.sha256(placeholder).digest()
    if der.count(placeholder_hash) != 1:  # pragma: no cover - 2**-256
        raise TimestampError(f"{where}: could not build the query")
    body = _post(url, where, der.replace(placeholder_hash, imprint), timeout)
    response = decode_reply(body, where)
    if response.status != PKIStatus.GRANTED:
        detail = "; ".join(response.status_string) or f"status {response.status}"
        raise TimestampError(f"{where}: time-stamp refused ({detail})")
    try:
        info = response.tst_info
        stated_imprint = info.message_imprint
        same = (stated_imprint.hash_algorithm == SHA256_OID
                and stated_imprint.message == imprint and info.nonce == query.nonce)
    except ValueError as exc:
        raise TimestampError(f"{where}: malformed reply ({exc})") from None
    if not same:
        raise TimestampError(f"{where}: the reply is for another query (imprint or nonce)")
    return body


def _post(url: str, where: str, query: bytes, timeout: float) -> bytes:
    request = urllib.request.Request(url, data=query, method="POST",
                                     headers={"Content-Type": "application/timestamp-query"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(_MAX_REPLY + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise TimestampError(f"{where}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise TimestampError(f"{where}: unreachable ({getattr(exc, 'reason', exc)})") from None
    except ValueError:  # e.g. a bad port; its message may repeat the whole URL
        raise TimestampError(f"{where}: invalid URL") from None
    if len(body) > _MAX_REPLY:
        raise TimestampError(f"{where}: reply too large")
    return body


def decode_reply(body: bytes, where: str) -> TimeStampResponse:
    """Return the parsed reply; raise TimestampError("<where>: not an RFC 3161 reply …")."""
    try:
        return decode_timestamp_response(body)
    except ValueError as exc:
        raise TimestampError(f"{where}: not an RFC 3161 reply ({short_reason(exc)})") from None


def check_digest(value: bytes, field: str) -> None:
    """Raise InvalidInput(field) unless ``value`` is 32 bytes (a SHA-256 digest)."""
    if not isinstance(value, bytes) or len(value) != 32:
        raise InvalidInput(field, "must be 32 bytes")


def _where(url: str) -> str:
    """The URL without user information, query or fragment (fit for a log line)."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "TSA"
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", "")) or "TSA"


def short_reason(exc: Exception) -> str:
    """The gist of an rfc3161-client / OpenSSL error (its reasons, not the whole stack)."""
    text = str(exc)
    found = re.findall(r'data: "([^"]+)"|reason: "([^"]+)"|kind: (\w+)', text)
    parts = [next(p for p in group if p) for group in found]
    return "; ".join(dict.fromkeys(parts)) if parts else text[:200]
