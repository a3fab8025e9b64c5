"""Evaluating a contest's comments and storing every verdict in bulk.

The comments are streamed from the database in evaluation order
(``created_at``, ``comment_id``, see ``stream``) through the engine's
``iter_verdicts`` and a ``FlagScanner``; verdicts are written per chunk as they
come (``writer``). Memory holds per-account state, the distinct texts and
mention sets as 8-byte digests, and 24 bytes per comment; never the comments.
"""
from __future__ import annotations

from array import array
from itertools import tee
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.locking import require_verdicts_allowed
from giveaway.contests.models import Contest
from giveaway.core.eligibility import (REASON_CODES, FlagScanner, account_key, entry_key,
                                       iter_verdicts)
from giveaway.core.eligibility.gcpause import gc_paused
from giveaway.db_maintenance import analyze
from giveaway.db_types import utcnow
from giveaway.eligibility.context import evaluation_context
from giveaway.eligibility.models import (Evaluation, ManualDecision, Verdict, VerdictFlag,
                                         VerdictReason)
from giveaway.eligibility.rules_doc import rules_for, rules_sha256
from giveaway.eligibility.stream import (comment_id_shared_by_networks, comments_in_order,
                                         usernames_of_renamed_accounts)
from giveaway.eligibility.writer import VerdictWriter
from giveaway.errors import Conflict
from giveaway.extensions import db
from giveaway.harvest.models import Comment


def require_unfrozen(contest: Contest) -> None:
    """Lock the contest's row for this transaction (take it before writing verdicts).

    :raise Conflict: when the contest's entries, as stored now, are frozen (or drawn…).
    """
    require_verdicts_allowed(contest)


def _manual(contest: Contest) -> dict[int, str]:
    """The latest manual decision per comment."""
    latest: dict[int, str] = {}
    for comment_pk, decision in db.session.execute(
            sa.select(ManualDecision.comment_pk, ManualDecision.decision)
            .where(ManualDecision.contest_id == contest.id).order_by(ManualDecision.id)):
        latest[comment_pk] = decision
    return latest


def evaluate_contest(contest: Contest, actor: str) -> Evaluation:
    """Give every stored comment of the contest a verdict, store them all and commit.

    Returns the evaluation (its totals). The contest's row stays locked until the
    commit, so no comment can arrive between the reading and the writing.

    :raise Conflict: once the entries are frozen, or when two networks share a comment id.
    """
    require_unfrozen(contest)
    try:
        evaluation = record_evaluation(contest, actor)
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
    analyze("verdict", "verdict_reason", "verdict_flag")  # fresh plans for the review screen
    db.session.commit()
    return evaluation


def record_evaluation(contest: Contest, actor: str) -> Evaluation:
    """Recompute and store every verdict of the contest in the caller's transaction (no commit).

    The caller holds the contest's row lock and has checked its state (the
    freeze calls this before freezing).

    :raise Conflict: when two networks share a comment id.
    """
    shared = comment_id_shared_by_networks(contest)
    if shared is not None:
        raise Conflict(_("Two networks use the comment id %(id)s; rename one in its import "
                         "file.", id=shared))
    rules = rules_for(contest)
    context = evaluation_context(contest, rules)
    aliases = usernames_of_renamed_accounts(contest)
    manual = _manual(contest)
    per_comment = rules.counting == "per_comment"
    of_contest = Comment.contest_id == contest.id
    delete_verdicts(contest)
    scanner = FlagScanner(rules)
    pks = array("q")  # by position in evaluation order, for the flags
    counted_total = 0
    by_reason = dict.fromkeys(REASON_CODES, 0)
    by_decision = {"exclude": 0, "include": 0}
    writer = VerdictWriter(contest.id)
    with gc_paused():
        rows, engine_feed = tee(comments_in_order(contest))
        for row, verdict in zip(rows, iter_verdicts(engine_feed, rules, context,
                                                    aliases=aliases, scanner=scanner)):
            pks.append(row.pk)
            counted, key, reasons = verdict.counted, verdict.entry_key, verdict.reasons
            decision = manual.get(row.pk) if manual else None
            if decision is not None:
                by_decision[decision] += 1
                if decision == "exclude":
                    counted, key = False, None
                elif not counted:
                    counted = True
                    key = entry_key(account_key(row.network, row.user_id), row.comment_id,
                                    per_comment)
            if counted:
                counted_total += 1
            for reason in reasons:
                by_reason[reason] += 1
            writer.add(row, reasons, counted, key, decision)
        writer.flush()
        by_flag = writer.set_flags(scanner.flags(), pks)
    summary = {
        "comments": len(pks),
        "accounts": db.session.scalar(sa.select(sa.func.count()).select_from(
            sa.select(Comment.network, Comment.user_id).where(of_contest).distinct().subquery())),
        "counted": counted_total, "excluded": len(pks) - counted_total,
        "entries": counted_total if per_comment or not by_decision["include"]
        else distinct_entry_keys(contest),
        "by_reason": {code: n for code, n in by_reason.items() if n},
        "by_flag": dict(sorted(by_flag.items())),
        "manual_exclusions": by_decision["exclude"],
        "manual_inclusions": by_decision["include"],
    }
    evaluation = Evaluation(contest_id=contest.id, evaluated_at=utcnow(),
                            rules_sha256=rules_sha256(contest), totals=summary)
    db.session.add(evaluation)
    audit.append(actor, "entries.evaluate", "contest", contest.public_id,
                 {"rules_sha256": evaluation.rules_sha256, **summary})
    db.session.flush()
    return evaluation


def delete_verdicts(contest: Contest) -> None:
    """Delete the contest's verdicts with their reason and flag rows (not the manual decisions)."""
    for table in (VerdictReason, VerdictFlag, Verdict):
        db.session.execute(sa.delete(table).where(table.contest_id == contest.id))


def distinct_entry_keys(contest: Contest) -> int:
    """How many distinct entry keys the counted verdicts hold.

    The engine gives each counted comment its own key (one per account, or
    per comment); only a manual inclusion, under one entry per account, can
    repeat the key of a comment already counted.
    """
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(Verdict.entry_key))).where(
        Verdict.contest_id == contest.id, Verdict.counted.is_(True)))


def latest_evaluation(contest: Contest) -> Optional[Evaluation]:
    """The most recent evaluation of the contest, or None."""
    return db.session.scalar(sa.select(Evaluation).where(Evaluation.contest_id == contest.id)
                             .order_by(Evaluation.id.desc()).limit(1))
