"""Stored comments (append-only), harvest runs and imported files."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from giveaway.db_types import UTCDateTime, utcnow
from giveaway.extensions import db

ACTIVE_RUN_STATUSES = ("queued", "running", "waiting", "paused")
RUN_STATUSES = ACTIVE_RUN_STATUSES + ("complete", "stopped", "failed")


class Comment(db.Model):
    """A comment as first harvested; later harvests only move ``last_seen_at``.

    Nothing is ever deleted by a harvest: a comment that a complete harvest no
    longer finds gets ``disappeared_at``.
    """

    __tablename__ = "comment"
    __table_args__ = (
        sa.UniqueConstraint("contest_id", "network", "comment_id"),
        sa.Index("ix_comment_contest_created", "contest_id", "created_at"),
        # with the username: the usernames of an account are read from the index alone
        sa.Index("ix_comment_contest_user_name", "contest_id", "network", "user_id", "username"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"))
    post_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("contest_post.id", ondelete="SET NULL"), index=True)
    import_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("import_file.id", ondelete="SET NULL"))
    network: Mapped[str] = mapped_column(sa.String(16))
    comment_id: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[str] = mapped_column(sa.String(64))
    username: Mapped[str] = mapped_column(sa.String(64))
    text: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    parent_id: Mapped[Optional[str]] = mapped_column(sa.String(64))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_run_id: Mapped[Optional[int]] = mapped_column()
    disappeared_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class HarvestRun(db.Model):
    """One harvest of a contest's posts, one after another: progress, checkpoint, outcome.

    ``post_index`` and ``cursor`` are the checkpoint (the post being harvested
    and the cursor after its last stored page); ``post_stats`` holds, per post,
    Instagram's announced comment count and what this run stored.

    At most one active run per contest (a partial unique index): a second
    harvest started at the same time is refused by the database itself.
    """

    __tablename__ = "harvest_run"
    __table_args__ = (
        sa.Index("uq_harvest_run_one_active", "contest_id", unique=True,
                 sqlite_where=sa.text("status IN ('queued', 'running', 'waiting', 'paused')"),
                 postgresql_where=sa.text("status IN ('queued', 'running', 'waiting', 'paused')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    worker_token: Mapped[str] = mapped_column(sa.String(32), default="")
    started_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    not_before: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # throttled: wait
    pages: Mapped[int] = mapped_column(default=0)
    comments_new: Mapped[int] = mapped_column(default=0)
    comments_seen: Mapped[int] = mapped_column(default=0)
    post_index: Mapped[int] = mapped_column(default=0)
    post_stats: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    cursor: Mapped[Optional[dict[str, Any]]] = mapped_column(sa.JSON)
    errors: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    end_reason: Mapped[str] = mapped_column(sa.String(64), default="")
    include_replies: Mapped[bool] = mapped_column(default=False)


class ImportFile(db.Model):
    """A file of comments imported into a contest (another network, another tool)."""

    __tablename__ = "import_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    rows: Mapped[int] = mapped_column(default=0)
    comments_new: Mapped[int] = mapped_column(default=0)
    comments_seen: Mapped[int] = mapped_column(default=0)
    imported_by: Mapped[str] = mapped_column(sa.String(254))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InstagramSession(db.Model):
    """The connected Instagram account: instagrapi settings, encrypted at rest."""

    __tablename__ = "instagram_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64))
    user_pk: Mapped[Optional[str]] = mapped_column(sa.String(64))
    settings_encrypted: Mapped[bytes] = mapped_column(sa.LargeBinary)
    status: Mapped[str] = mapped_column(sa.String(32), default="connected")
    status_detail: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


#: An import job in one of these states holds its contest's import slot (one at a time).
ACTIVE_IMPORT_STATES = ("queued", "reading", "storing")
IMPORT_STATES = ACTIVE_IMPORT_STATES + ("evaluating", "done", "failed")


class ImportJob(db.Model):
    """A large comment file imported in the background: its state and progress.

    The upload waits under ``instance/imports/`` (``stored_name``, random) until
    the job ends. States: ``queued`` → ``reading`` (the whole file is checked,
    nothing locked) → ``storing`` (one transaction under the contest's row lock)
    → ``evaluating`` (comments committed, verdicts being recomputed) → ``done``;
    or ``failed``, with ``error_code`` and ``error_params`` (worded on display).
    While it is storing, the live counts are kept beside the queue (the database
    may be locked by the job's own transaction); the columns hold them at each
    change of state. At most one job per contest is queued, reading or storing.
    """

    __tablename__ = "import_job"
    __table_args__ = (
        sa.Index("uq_import_job_one_active", "contest_id", unique=True,
                 sqlite_where=sa.text("state IN ('queued', 'reading', 'storing')"),
                 postgresql_where=sa.text("state IN ('queued', 'reading', 'storing')")),
        sa.CheckConstraint("state IN ('queued', 'reading', 'storing', 'evaluating', 'done', "
                           "'failed')", name="state_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    expected_rows: Mapped[int] = mapped_column(default=0)  # an estimate, for the bar
    state: Mapped[str] = mapped_column(sa.String(16), default="queued")
    worker_token: Mapped[str] = mapped_column(sa.String(32), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    rows_read: Mapped[int] = mapped_column(default=0)
    comments_stored: Mapped[int] = mapped_column(default=0)
    comments_new: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str] = mapped_column(sa.String(32), default="")
    error_params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    import_id: Mapped[Optional[int]] = mapped_column(
        sa.ForeignKey("import_file.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    stored_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # under the lock
    ended_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class EvaluationRequest(db.Model):
    """A contest whose verdicts are being recomputed: comments arrived after its last evaluation.

    Written when comments are stored and the evaluation job is queued (in the
    import's own transaction, and again by :func:`giveaway.jobs.enqueue`);
    deleted by the evaluation job once it has judged every comment stored before
    ``requested_at``; ``failed_at`` set when it could not. While a row is here
    and not failed, the totals on screen are not the latest: « recalcul en cours ».
    """

    __tablename__ = "evaluation_request"

    contest_id: Mapped[int] = mapped_column(
        sa.ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    failed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
