"""User accounts."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from giveaway.db_types import UTCDateTime, utcnow
from giveaway.extensions import db

if TYPE_CHECKING:
    from giveaway.partners.models import Partner

ROLES = ("admin", "staff", "partner")


class User(UserMixin, db.Model):
    """A person who logs in: an admin, a staff member, or a partner's user."""

    __tablename__ = "user"
    __table_args__ = (
        sa.CheckConstraint("role IN ('admin', 'staff', 'partner')", name="role_known"),
        sa.CheckConstraint("(role = 'partner') = (partner_id IS NOT NULL)",
                           name="partner_iff_partner_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16))
    partner_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("partner.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Bumped by logout-everywhere, a password change or deactivation: every session
    # and remember-me cookie carrying an older version stops working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    partner: Mapped[Optional["Partner"]] = relationship()

    def get_id(self) -> str:
        """Flask-Login's id, kept in the session and the remember-me cookie: ``id:version``.

        Bumping ``session_version`` makes every cookie issued before unusable.
        """
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_staff(self) -> bool:
        """True for admins and staff: both run contests."""
        return self.role in ("admin", "staff")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
