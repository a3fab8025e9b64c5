"""Stored verdicts, manual decisions, evaluations, the shared block list and past winners."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from giveaway.db_types import UTCDateTime, utcnow
from giveaway.extensions import db


class Verdict(db.Model):
    """The current verdict on one stored comment (recomputed in bulk while rules allow).

    ``reasons`` and ``flags`` are comma-delimited with a leading and trailing
    comma (``,late,too_few_mentions,``) so one reason can be filtered with LIKE.
    ``manual`` is ``exclude`` or ``include`` when staff overrode the rules.
    """

    __tablename__ = "verdict"
    __table_args__ = (
        sa.Index("ix_verdict_contest_counted", "contest_id", "counted"),
    )

    comment_pk: Mapped[int] = mapped_column(
        sa.ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"))
    counted: Mapped[bool] = mapped_column()
    reasons: Mapped[str] = mapped_column(sa.String(300), default=",")
    flags: Mapped[str] = mapped_column(sa.String(300), default=",")
    entry_key: Mapped[Optional[str]] = mapped_column(sa.String(160))
    manual: Mapped[Optional[str]] = mapped_column(sa.String(8))


class VerdictReason(db.Model):
    """One reason code of a verdict, copied out of ``Verdict.reasons`` for the review filter.

    The primary key is in review order within one reason (time, then comment),
    so the first page of comments excluded for a rare reason is a short index
    range, not a walk through a million comments. Derived data: written and
    deleted with the verdicts (hence no foreign key to the comment).
    """

    __tablename__ = "verdict_reason"
    __table_args__ = ({"sqlite_with_rowid": False},)

    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    comment_pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)


class VerdictFlag(db.Model):
    """One suspicion flag of a verdict, copied out of ``Verdict.flags`` for the review filter.

    Keyed in review order within one flag code, like ``VerdictReason``;
    ``flag_group`` links the comments flagged together. Derived data: written and
    deleted with the verdicts.
    """

    __tablename__ = "verdict_flag"
    __table_args__ = ({"sqlite_with_rowid": False},)

    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    comment_pk: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    flag_group: Mapped[str] = mapped_column(sa.String(200))


class ManualDecision(db.Model):
    """Staff's written override of the rules for one comment (latest one applies)."""

    __tablename__ = "manual_decision"
    __table_args__ = (
        sa.CheckConstraint("decision IN ('exclude', 'include')", name="decision_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    comment_pk: Mapped[int] = mapped_column(sa.ForeignKey("comment.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(sa.String(8))
    justification: Mapped[str] = mapped_column(sa.Text)
    actor: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Evaluation(db.Model):
    """One evaluation of a contest's comments: when, under which rules, with what totals."""

    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    evaluated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rules_sha256: Mapped[str] = mapped_column(sa.String(64))
    totals: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class BlockedAccount(db.Model):
    """The block list shared by every contest, managed by admins."""

    __tablename__ = "blocked_account"
    __table_args__ = (sa.UniqueConstraint("network", "handle", name="uq_blocked_account_network_handle"),
                      sa.UniqueConstraint("network", "user_id",
                                          name="uq_blocked_account_network_user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[str] = mapped_column(sa.String(16), default="ig")
    handle: Mapped[Optional[str]] = mapped_column(sa.String(64))
    user_id: Mapped[Optional[str]] = mapped_column(sa.String(64))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    added_by: Mapped[str] = mapped_column(sa.String(254))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PastWinner(db.Model):
    """An account that won a contest, for the cross-contest "recent winner" rule.

    Written when a draw's winner claims the prize
    (:mod:`giveaway.eligibility.past_winners`: keyed on the user id, ``handle``
    left empty, ``won_at`` the draw's time), or by an admin for wins made
    before this engine; read by every later evaluation of the organiser's
    contests (:mod:`giveaway.eligibility.context`).
    """

    __tablename__ = "past_winner"
    __table_args__ = (sa.Index("ix_past_winner_organiser_won", "organiser_handle", "won_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_handle: Mapped[str] = mapped_column(sa.String(30))
    network: Mapped[str] = mapped_column(sa.String(16), default="ig")
    user_id: Mapped[Optional[str]] = mapped_column(sa.String(64))
    handle: Mapped[Optional[str]] = mapped_column(sa.String(64))
    contest_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("contest.id", ondelete="SET NULL"))
    won_at: Mapped[datetime] = mapped_column(UTCDateTime)
