"""Contest, its posts and its versioned rules document (règlement)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from giveaway.db_types import UTCDateTime, utcnow
from giveaway.extensions import db
from giveaway.partners.models import Partner


class ContestStatus(StrEnum):
    """A contest's state; the transitions between them are in :mod:`.lifecycle`."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    FROZEN = "frozen"
    DRAWN = "drawn"
    ARCHIVED = "archived"


STATUSES = tuple(ContestStatus)


class _StatusType(TypeDecorator):
    """The status as its text (kept to the known values by a CHECK), read as a ContestStatus.

    :raise ValueError: when binding a value that is not a state.
    """

    impl = sa.String(16)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else ContestStatus(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else ContestStatus(value)


contest_partner = sa.Table(
    "contest_partner",
    db.metadata,
    sa.Column("contest_id", sa.ForeignKey("contest.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("partner_id", sa.ForeignKey("partner.id"), primary_key=True),
)


class Contest(db.Model):
    """A jeu-concours: one prize offer, one or more posts, one draw."""

    __tablename__ = "contest"
    __table_args__ = (
        sa.CheckConstraint(  # 'draft', 'open', 'closed', 'frozen', 'drawn', 'archived'
            "status IN (" + ", ".join(f"'{state}'" for state in ContestStatus) + ")",
            name="status_known"),
        sa.CheckConstraint("opens_at < closes_at", name="opens_before_closes"),
        sa.CheckConstraint("winners >= 1 AND alternates >= 0", name="places_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    organiser_handle: Mapped[str] = mapped_column(sa.String(30))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    prize_description: Mapped[str] = mapped_column(sa.Text, default="")
    winners: Mapped[int] = mapped_column(default=1)
    alternates: Mapped[int] = mapped_column(default=0)
    alcohol_prize: Mapped[bool] = mapped_column(default=False)
    # How the winner gets the prize: "pickup" (at prize_pickup_place) or "postal".
    prize_delivery: Mapped[str] = mapped_column(sa.String(8), default="pickup",
                                                server_default="pickup")
    prize_pickup_place: Mapped[str] = mapped_column(sa.String(200), default="",
                                                    server_default="")
    status: Mapped[ContestStatus] = mapped_column(_StatusType, default=ContestStatus.DRAFT,
                                                  index=True)
    eligibility: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    closed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    frozen_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    purged_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    partners: Mapped[list[Partner]] = relationship(
        secondary=contest_partner, order_by=Partner.name)
    posts: Mapped[list["ContestPost"]] = relationship(
        back_populates="contest", order_by="ContestPost.position", cascade="all, delete-orphan")
    rules_versions: Mapped[list["RulesVersion"]] = relationship(
        back_populates="contest", order_by="RulesVersion.version", cascade="all, delete-orphan")

    @property
    def current_rules(self) -> Optional["RulesVersion"]:
        """The latest rules version, or None before any was written."""
        return self.rules_versions[-1] if self.rules_versions else None

    def __repr__(self) -> str:
        return f"<Contest {self.public_id} {self.status}>"


class ContestPost(db.Model):
    """An Instagram post (or reel) whose comments are the contest's entries."""

    __tablename__ = "contest_post"
    __table_args__ = (sa.UniqueConstraint("contest_id", "shortcode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(sa.String(300))
    shortcode: Mapped[str] = mapped_column(sa.String(64))
    position: Mapped[int] = mapped_column(default=0)

    contest: Mapped[Contest] = relationship(back_populates="posts")


class RulesVersion(db.Model):
    """One version of the rules document; frozen once the contest opens."""

    __tablename__ = "rules_version"
    __table_args__ = (sa.UniqueConstraint("contest_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    text: Mapped[str] = mapped_column(sa.Text)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(254), default="")

    contest: Mapped[Contest] = relationship(back_populates="rules_versions")
