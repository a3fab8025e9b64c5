"""The signed follow-up chain of a drawn contest: one record per public event after the draw."""
from __future__ import annotations

import hashlib
from typing import Any, Optional

import sqlalchemy as sa

from giveaway.audit import service as audit
from giveaway.contests.models import Contest
from giveaway.core import sign_document
from giveaway.core.followup import build_followup, record_bytes
from giveaway.db_types import utcnow
from giveaway.draws.certificate import sealed_certificate
from giveaway.draws.keys import signing_key
from giveaway.draws.models import Draw, FollowupRecord
from giveaway.extensions import db


def append_followup(contest: Contest, event: dict[str, Any]) -> Optional[FollowupRecord]:
    """Sign and store the next follow-up record for ``event`` (public facts only; no commit).

    Returns None before the draw. Two writers racing for the same ``seq`` are
    stopped by the unique constraint (the loser's transaction fails whole).
    """
    if sealed_certificate(contest) is None:
        return None
    record = db.session.get(Draw, contest.id)
    last = db.session.scalar(sa.select(FollowupRecord).where(
        FollowupRecord.contest_id == contest.id).order_by(FollowupRecord.seq.desc()).limit(1))
    unsigned = build_followup(
        draw_id=contest.public_id, certificate_sha256=record.certificate_sha256,
        seq=(last.seq + 1) if last else 1,
        previous_sha256=last.sha256 if last else record.certificate_sha256,
        at=utcnow(), event=event, audit_head=audit.head_hash())
    body = record_bytes(sign_document(unsigned, signing_key()))
    row = FollowupRecord(contest_id=contest.id, seq=unsigned["seq"], body=body,
                         sha256=hashlib.sha256(body).hexdigest())
    db.session.add(row)
    db.session.flush()
    return row


def followup_bodies(contest: Contest) -> list[bytes]:
    """The stored records' bytes, in order."""
    return list(db.session.scalars(sa.select(FollowupRecord.body).where(
        FollowupRecord.contest_id == contest.id).order_by(FollowupRecord.seq)))


def followup_json(contest: Contest) -> bytes:
    """The chain as a JSON array whose items are the stored records, byte for byte."""
    return b"[" + b",\n".join(followup_bodies(contest)) + b"]\n"
