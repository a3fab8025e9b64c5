"""Cross-checks of sealed proofs against the audit log (run by ``flask audit verify``).

Each stored certificate must be the bytes its hash says, carry a valid
signature by the instance's key, name an audit head that exists, and be the
one the draw's audit record names; each follow-up chain must verify and
every record must be named by an audit record.
"""
from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa

from giveaway.audit.models import AuditRecord
from giveaway.audit.service import GENESIS_HASH
from giveaway.contests.models import Contest
from giveaway.core import load_document, parse_public_key
from giveaway.core.errors import InvalidDocument
from giveaway.core.followup import check_followup_chain
from giveaway.core.signature_check import check_signature
from giveaway.core.signing import public_key_hex
from giveaway.draws.keys import signing_key
from giveaway.draws.models import Draw, FollowupRecord
from giveaway.extensions import db


def sealed_proof_problems() -> list[str]:
    """One line per sealed certificate or follow-up record that does not hold."""
    key = parse_public_key(public_key_hex(signing_key().public_key()))
    problems = []
    for record, contest in db.session.execute(
            sa.select(Draw, Contest).join(Contest, Contest.id == Draw.contest_id)
            .where(Draw.certificate.is_not(None)).order_by(Contest.id)).all():
        problems += _certificate_problems(record, contest, key)
        problems += _followup_problems(record, contest, key)
    return problems


def _logged(contest: Contest, action: str, name: str) -> set[str]:
    details = db.session.scalars(sa.select(AuditRecord.details).where(
        AuditRecord.object_id == contest.public_id, AuditRecord.action.in_(action.split("|"))))
    return {d.get(name) for d in details if isinstance(d, dict) and d.get(name)}


def _certificate_problems(record: Draw, contest: Contest, key) -> list[str]:
    where = f"{contest.public_id}: the sealed certificate"
    if hashlib.sha256(record.certificate).hexdigest() != record.certificate_sha256:
        return [f"{where} is not the bytes its stored hash names (changed after the draw)"]
    try:
        document = load_document(record.certificate)
    except InvalidDocument:
        return [f"{where} is not valid JSON"]
    if any(not r.ok or r.code == "unsigned" for r in check_signature(document, key)):
        return [f"{where} is not validly signed by this instance's key"]
    problems = []
    if record.certificate_sha256 not in _logged(contest, "contest.draw|certificate.sealed",
                                                "certificate_sha256"):
        problems.append(f"{where} is not the one the audit log recorded at the draw")
    if not _head_exists(document.get("audit_head")):
        problems.append(f"{where} names an audit head that is not in the log")
    return problems


def _head_exists(head: object) -> bool:
    return head == GENESIS_HASH or bool(isinstance(head, str) and db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditRecord).where(AuditRecord.hash == head)))


def _followup_problems(record: Draw, contest: Contest, key) -> list[str]:
    rows = list(db.session.scalars(sa.select(FollowupRecord).where(
        FollowupRecord.contest_id == contest.id).order_by(FollowupRecord.seq)))
    if not rows:
        return []
    problems = [f"{contest.public_id}: follow-up chain: {r.message}"
                for r in check_followup_chain([row.body for row in rows],
                                              record.certificate_sha256, key) if not r.ok]
    logged = _logged(contest, "winner.status|winner.follow_check", "followup_sha256")
    for row in rows:
        if hashlib.sha256(row.body).hexdigest() != row.sha256 or row.sha256 not in logged:
            problems.append(f"{contest.public_id}: follow-up record {row.seq} is not the one "
                            "the audit log recorded")
        elif not _head_exists(json.loads(row.body).get("audit_head")):
            problems.append(f"{contest.public_id}: follow-up record {row.seq} names an audit "
                            "head that is not in the log")
    return problems
