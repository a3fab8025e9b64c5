"""Append to and verify the hash-chained audit log.

Each record's hash covers its own fields and the previous record's hash, so
editing, deleting or reordering any record breaks the chain from there on.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa

from giveaway.audit.models import AuditRecord
from giveaway.db_types import utcnow
from giveaway.extensions import db

GENESIS_HASH = "0" * 64
_PG_AUDIT_LOCK = 0x61756469  # "audi": serialises appends on PostgreSQL


def record_hash(seq: int, created_at: datetime, actor: str, action: str, object_type: str,
                object_id: str, details: dict[str, Any], prev_hash: str) -> str:
    """Return the hex SHA-256 of a record's canonical JSON form."""
    body = {
        "seq": seq, "created_at": created_at.isoformat(timespec="microseconds"),
        "actor": actor, "action": action, "object_type": object_type,
        "object_id": object_id, "details": details, "prev_hash": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(actor: str, action: str, object_type: str, object_id: str | int,
           details: Optional[dict[str, Any]] = None) -> AuditRecord:
    """Add a record to the current transaction (the caller commits) and return it.

    ``details`` must hold JSON values only; it is stored as given.
    """
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK})
    last = session.scalar(sa.select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1))
    seq = last.seq + 1 if last else 1
    prev_hash = last.hash if last else GENESIS_HASH
    details = json.loads(json.dumps(details or {}))  # fail early on non-JSON values
    created_at = utcnow()
    record = AuditRecord(
        seq=seq, created_at=created_at, actor=actor, action=action,
        object_type=object_type, object_id=str(object_id), details=details, prev_hash=prev_hash,
        hash=record_hash(seq, created_at, actor, action, object_type, str(object_id), details,
                         prev_hash),
    )
    session.add(record)
    session.flush()
    return record


@dataclass(frozen=True)
class ChainReport:
    """Result of :func:`verify_chain`: ``broken_seq`` is None when the chain is whole."""

    records: int
    head: str
    broken_seq: Optional[int] = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify_chain() -> ChainReport:
    """Walk the log in order and return where it first breaks, if anywhere."""
    query = sa.select(AuditRecord).order_by(AuditRecord.seq).execution_options(yield_per=1000)
    result = db.session.scalars(query)
    try:
        return _walk(result)
    finally:
        result.close()  # a streamed result left open holds a server-side cursor


def _walk(records) -> ChainReport:
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    for record in records:
        if record.seq != expected_seq:
            return ChainReport(count, expected_prev, expected_seq,
                               f"record {expected_seq} is missing (found {record.seq})")
        if record.prev_hash != expected_prev:
            return ChainReport(count, expected_prev, record.seq,
                               "its previous-hash does not match the record before it")
        recomputed = record_hash(record.seq, record.created_at, record.actor, record.action,
                                 record.object_type, record.object_id, record.details,
                                 record.prev_hash)
        if recomputed != record.hash:
            return ChainReport(count, expected_prev, record.seq,
                               "its content was changed after it was written")
        expected_prev, expected_seq, count = record.hash, expected_seq + 1, count + 1
    return ChainReport(count, expected_prev)


def head_hash() -> str:
    """Return the hash of the latest record (the genesis hash for an empty log)."""
    last = db.session.scalar(sa.select(AuditRecord.hash).order_by(AuditRecord.seq.desc()).limit(1))
    return last or GENESIS_HASH
