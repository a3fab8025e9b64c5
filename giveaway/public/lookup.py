"""« Suis-je compté ? »: a participant checks their own handle, and learns nothing else."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from giveaway.contests.models import Contest
from giveaway.core.eligibility import REASON_CODES
from giveaway.eligibility.models import Verdict
from giveaway.extensions import db
from giveaway.harvest.models import Comment


@dataclass(frozen=True)
class LookupAnswer:
    """``found`` False: no comment under that handle; else counted, or the reasons why not."""

    found: bool
    counted: bool = False
    reasons: tuple[str, ...] = ()


def am_i_counted(contest: Contest, handle: str) -> LookupAnswer:
    """Look up the comments posted under ``handle`` (case-insensitive, without ``@``).

    Counted when any of them is counted; otherwise the reasons of all of them.
    """
    handle = handle.strip().lstrip("@").lower()[:64]
    if not handle:
        return LookupAnswer(found=False)
    rows = db.session.execute(
        sa.select(Verdict.counted, Verdict.reasons)
        .join(Comment, Comment.id == Verdict.comment_pk)
        .where(Comment.contest_id == contest.id, sa.func.lower(Comment.username) == handle)
        .limit(500)).all()
    if not rows:
        return LookupAnswer(found=False)
    if any(counted for counted, _reasons in rows):
        return LookupAnswer(found=True, counted=True)
    codes = {code for _counted, reasons in rows for code in reasons.strip(",").split(",") if code}
    return LookupAnswer(found=True, reasons=tuple(c for c in REASON_CODES if c in codes))
