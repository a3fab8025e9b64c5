"""Partner (local producer) records."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from giveaway.db_types import UTCDateTime, utcnow
from giveaway.extensions import db


class Partner(db.Model):
    """A local producer who offers prizes and sees its contests' counts."""

    __tablename__ = "partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    contact: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    logo_url: Mapped[Optional[str]] = mapped_column(sa.String(500))
    instagram_handle: Mapped[Optional[str]] = mapped_column(sa.String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Partner {self.slug}>"
