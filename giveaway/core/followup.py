"""gdraw-v2 follow-up records: what happened after the draw, as a signed hash chain.

The certificate is sealed at the draw; a winner contacted, a prize claimed or
handed to the next alternate afterwards is a new record, never an edit.  Each
record carries the certificate's SHA-256 and the previous record's (the first
one: the certificate's), and is signed with the certificate's key.  Records
are stored and published as the exact bytes signed (canonical JSON).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .checks import CheckResult, failed, passed
from .document import load_document
from .encoding import canonical_json, format_timestamp
from .errors import InvalidDocument
from .signature_check import check_signature

RECORD_TYPE = "gdraw-v2/followup"


def build_followup(*, draw_id: str, certificate_sha256: str, seq: int, previous_sha256: str,
                   at: dt.datetime, event: Mapping[str, Any], audit_head: str) -> dict[str, Any]:
    """Return the unsigned follow-up record number ``seq`` (1, 2, …).

    ``event`` holds public facts only (positions, statuses, public reason
    categories), never a name or a free-text note.
    """
    return {"type": RECORD_TYPE, "draw_id": draw_id, "certificate_sha256": certificate_sha256,
            "seq": seq, "previous_sha256": previous_sha256, "at": format_timestamp(at),
            "event": dict(event), "audit_head": audit_head}


def record_bytes(signed: Mapping[str, Any]) -> bytes:
    """Return the bytes a signed record is stored and published as (its canonical JSON)."""
    return canonical_json(dict(signed))


def check_followup_chain(bodies: Sequence[bytes], certificate_sha256: str,
                         public_key: Ed25519PublicKey | None) -> list[CheckResult]:
    """Check a published follow-up chain against the certificate's SHA-256.

    Each record must be canonical, signed (with ``public_key`` when given),
    name the certificate, be numbered 1, 2, … and carry the previous
    record's hash.  Returns one OK line, or a FAIL naming the first broken
    record.
    """
    previous = certificate_sha256
    for i, body in enumerate(bodies):
        where = f"follow-up record {i + 1}"
        try:
            record = load_document(body)
        except InvalidDocument as exc:
            return [failed("followup", f"{where}: {exc.reason}")]
        problem = _problem(record, body, i, previous, certificate_sha256)
        if problem:
            return [failed("followup", f"{where}: {problem}")]
        bad = [r for r in check_signature(record, public_key)
               if not r.ok or r.code in ("unsigned", "signature_unchecked")]
        if bad:
            return [failed("followup", f"{where}: {bad[0].message}")]
        previous = hashlib.sha256(body).hexdigest()
    return [passed("followup", f"{len(bodies)} follow-up record(s), signed and chained to the "
                               "certificate")]


def _problem(record: dict[str, Any], body: bytes, i: int, previous: str,
             certificate_sha256: str) -> str:
    if record.get("type") != RECORD_TYPE:
        return f"type must be {RECORD_TYPE!r}"
    if record_bytes(record) != body:
        return "is not in canonical form (the bytes signed)"
    if record.get("certificate_sha256") != certificate_sha256:
        return "belongs to another certificate"
    if record.get("seq") != i + 1:
        return f"seq must be {i + 1} (records in order, none missing)"
    if record.get("previous_sha256") != previous:
        return "does not follow the previous record (hash chain broken)"
    return ""
