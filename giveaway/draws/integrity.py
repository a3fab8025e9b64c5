"""Cross-checks of frozen data against the audit log (run by ``flask audit verify``).

The chain proves the log was not edited; these checks prove the stored leaf
lists and verdicts still match what the log recorded at freeze time.
"""
from __future__ import annotations

import sqlalchemy as sa

from giveaway.audit.models import AuditRecord
from giveaway.contests.models import Contest
from giveaway.core import freeze_entries, merkle_root
from giveaway.draws.commitment import setup_of
from giveaway.draws.freeze import counted_keys, frozen_leaves
from giveaway.draws.models import Freeze
from giveaway.extensions import db


def frozen_data_problems() -> list[str]:
    """One line per frozen contest whose stored data no longer matches its freeze record."""
    problems = []
    for freeze, contest in db.session.execute(
            sa.select(Freeze, Contest).join(Contest, Contest.id == Freeze.contest_id)
            .order_by(Contest.id)).all():
        logged = db.session.scalar(sa.select(AuditRecord.details).where(
            AuditRecord.action == "contest.freeze", AuditRecord.object_id == contest.public_id)
            .order_by(AuditRecord.seq.desc()).limit(1)) or {}
        leaves = frozen_leaves(freeze)
        root = merkle_root(leaves).hex() if leaves else ""
        if (root, len(leaves)) != (logged.get("merkle_root"), logged.get("count")) or \
                (root, len(leaves)) != (freeze.merkle_root, freeze.count):
            problems.append(f"{contest.public_id}: the stored leaf list does not match the "
                            f"frozen root and count recorded in the audit log")
            continue
        if contest.purged_at is None:
            setup = setup_of(contest)
            again = freeze_entries(bytes.fromhex(setup.salt), counted_keys(contest))
            if again != leaves:
                problems.append(f"{contest.public_id}: the stored verdicts no longer give the "
                                "frozen leaf list")
    return problems
