"""Evaluating a contest's comments and storing every verdict in bulk."""
from __future__ import annotations

from collections import Counter
from typing import NamedTuple, Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.models import Contest
from giveaway.core.eligibility import (REASON_CODES, account_key, compute_flags, entry_key,
                                       evaluate)
from giveaway.db_types import utcnow
from giveaway.eligibility.context import evaluation_context
from giveaway.eligibility.models import Evaluation, ManualDecision, Verdict
from giveaway.eligibility.rules_doc import rules_for, rules_sha256
from giveaway.errors import Conflict
from giveaway.extensions import db
from giveaway.harvest.models import Comment

_INSERT_CHUNK = 20_000


class _Row(NamedTuple):
    """A stored comment in the shape the eligibility engine reads."""

    comment_id: str
    user_id: str
    username: str
    text: str
    created_at: object
    parent_id: Optional[str]
    network: str
    deleted: bool


def require_unfrozen(contest: Contest) -> None:
    """:raise Conflict: when the contest's entries are frozen (drawn or later)."""
    if contest.status in ("drawn", "archived") or contest.frozen_at is not None:
        raise Conflict(_("The entries of this contest are frozen: verdicts can no longer change."))


def _load(contest: Contest) -> tuple[list[_Row], dict[str, int]]:
    rows, pks = [], {}
    query = sa.select(Comment.id, Comment.comment_id, Comment.user_id, Comment.username,
                      Comment.text, Comment.created_at, Comment.parent_id, Comment.network,
                      Comment.disappeared_at).where(Comment.contest_id == contest.id)
    for pk, cid, uid, name, text, created, parent, network, gone in db.session.execute(
            query.execution_options(yield_per=10_000)):
        if cid in pks:
            raise Conflict(_("Two networks use the comment id %(id)s; rename one in its import "
                             "file.", id=cid))
        pks[cid] = pk
        rows.append(_Row(cid, uid, name, text, created, parent or None, network, gone is not None))
    return rows, pks


def _manual(contest: Contest) -> dict[int, str]:
    """The latest manual decision per comment."""
    latest: dict[int, str] = {}
    for comment_pk, decision in db.session.execute(
            sa.select(ManualDecision.comment_pk, ManualDecision.decision)
            .where(ManualDecision.contest_id == contest.id).order_by(ManualDecision.id)):
        latest[comment_pk] = decision
    return latest


def evaluate_contest(contest: Contest, actor: str) -> Evaluation:
    """Give every stored comment of the contest a verdict and store them all; return totals.

    :raise Conflict: once the entries are frozen.
    """
    require_unfrozen(contest)
    rules = rules_for(contest)
    rows, pks = _load(contest)
    per_comment = rules.counting == "per_comment"
    by_id = {row.comment_id: row for row in rows}
    flags = compute_flags(rows, rules)
    verdicts = evaluate(rows, rules, evaluation_context(contest, rules))
    manual = _manual(contest)
    db.session.execute(sa.delete(Verdict).where(Verdict.contest_id == contest.id))
    totals: Counter = Counter()
    entry_keys: set[str] = set()
    batch = []
    for verdict in verdicts:
        pk = pks[verdict.comment_id]
        decision = manual.get(pk)
        counted, key = verdict.counted, verdict.entry_key
        if decision == "exclude":
            counted, key = False, None
        elif decision == "include" and not counted:
            row = by_id[verdict.comment_id]
            counted = True
            key = entry_key(account_key(row.network, row.user_id), row.comment_id, per_comment)
        comment_flags = flags.get(verdict.comment_id, ())
        if counted:
            entry_keys.add(key)
        totals.update(["counted" if counted else "excluded"])
        totals.update(f"reason:{r}" for r in verdict.reasons)
        totals.update(f"flag:{f.code}" for f in comment_flags)
        if decision:
            totals.update([f"manual:{decision}"])
        batch.append({
            "comment_pk": pk, "contest_id": contest.id, "counted": counted,
            "reasons": "," + ",".join(verdict.reasons) + ",",
            "flags": "," + ",".join(f"{f.code}:{f.group}" for f in comment_flags) + ",",
            "entry_key": key, "manual": decision})
        if len(batch) >= _INSERT_CHUNK:
            db.session.execute(Verdict.__table__.insert(), batch)
            batch = []
    if batch:
        db.session.execute(Verdict.__table__.insert(), batch)
    summary = {
        "comments": len(rows),
        "accounts": len({(r.network, r.user_id) for r in rows}),
        "counted": totals["counted"], "excluded": totals["excluded"],
        "entries": len(entry_keys),
        "by_reason": {code: totals[f"reason:{code}"] for code in REASON_CODES
                      if totals[f"reason:{code}"]},
        "by_flag": {k.split(":", 1)[1]: n for k, n in sorted(totals.items())
                    if k.startswith("flag:")},
        "manual_exclusions": totals["manual:exclude"],
        "manual_inclusions": totals["manual:include"],
    }
    evaluation = Evaluation(contest_id=contest.id, evaluated_at=utcnow(),
                            rules_sha256=rules_sha256(contest), totals=summary)
    db.session.add(evaluation)
    audit.append(actor, "entries.evaluate", "contest", contest.public_id,
                 {"rules_sha256": evaluation.rules_sha256, **summary})
    db.session.commit()
    return evaluation


def latest_evaluation(contest: Contest) -> Optional[Evaluation]:
    """The most recent evaluation of the contest, or None."""
    return db.session.scalar(sa.select(Evaluation).where(Evaluation.contest_id == contest.id)
                             .order_by(Evaluation.id.desc()).limit(1))
