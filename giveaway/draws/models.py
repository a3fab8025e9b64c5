"""Commitment, frozen entry list, the draw itself and its candidates."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from giveaway.db_types import UTCDateTime, utcnow
from giveaway.extensions import db


class DrawSetup(db.Model):
    """What is fixed when a contest opens: the secret seed, the salt, the commitment, the beacon.

    The seed is stored encrypted and revealed only on the certificate.
    """

    __tablename__ = "draw_setup"

    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            primary_key=True)
    seed_sealed: Mapped[bytes] = mapped_column(sa.LargeBinary)
    salt: Mapped[str] = mapped_column(sa.String(32))
    commitment: Mapped[str] = mapped_column(sa.String(64))
    committed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    beacon_kind: Mapped[str] = mapped_column(sa.String(16))  # drand | rfc3797 | none
    draw_time: Mapped[datetime] = mapped_column(UTCDateTime)
    drand_round: Mapped[Optional[int]] = mapped_column(sa.BigInteger)
    beacon_description: Mapped[str] = mapped_column(sa.Text, default="")
    anomalies: Mapped[list[Any]] = mapped_column(sa.JSON, default=list)
    # gdraw-v2: the declaration D as published (canonical JSON text, exact bytes) and H(D).
    # v1 contests (opened before v2) keep protocol "gdraw-v1" and no declaration.
    protocol: Mapped[str] = mapped_column(sa.String(16), default="gdraw-v2",
                                          server_default="gdraw-v1")
    method: Mapped[str] = mapped_column(sa.String(16), default="gdraw", server_default="gdraw")
    declaration: Mapped[Optional[str]] = mapped_column(sa.Text)
    declaration_sha256: Mapped[Optional[str]] = mapped_column(sa.String(64))
    # Declared values: [{"name": "EuroMillions 1/12/2026 : boules", "count": 5}, ...]
    declared_sources: Mapped[Optional[list[Any]]] = mapped_column(sa.JSON)


class Freeze(db.Model):
    """The frozen entry list L: sorted distinct leaves, their count and Merkle root."""

    __tablename__ = "freeze"

    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            primary_key=True)
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column()
    merkle_root: Mapped[str] = mapped_column(sa.String(64))
    leaves: Mapped[bytes] = mapped_column(sa.LargeBinary)  # N × 32 bytes, ascending


class Draw(db.Model):
    """The one draw of a contest (the primary key makes a second one impossible)."""

    __tablename__ = "draw"

    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            primary_key=True)
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    operator: Mapped[str] = mapped_column(sa.String(254))
    beacon: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # the certificate's beacon member
    result: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # winners/alternates {index, leaf}
    audit_head: Mapped[str] = mapped_column(sa.String(64))
    # What the certificate states about the harvest, as it stood at the draw (kept after purge).
    harvest: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # The certificate as sealed at the draw: signed once, served byte for byte.
    certificate: Mapped[Optional[bytes]] = mapped_column(sa.LargeBinary)
    certificate_sha256: Mapped[Optional[str]] = mapped_column(sa.String(64))


CANDIDATE_STATUSES = ("standby", "to_contact", "contacted", "claimed", "declined", "no_answer",
                      "disqualified")


class Candidate(db.Model):
    """A drawn winner or alternate, in draw order, and where their follow-up stands."""

    __tablename__ = "candidate"
    __table_args__ = (sa.UniqueConstraint("contest_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    position: Mapped[int] = mapped_column()  # 0-based, winners first, then alternates
    drawn_as: Mapped[str] = mapped_column(sa.String(16))  # winner | alternate
    leaf_index: Mapped[int] = mapped_column()
    leaf: Mapped[str] = mapped_column(sa.String(64))
    entry_key: Mapped[str] = mapped_column(sa.String(160))
    network: Mapped[str] = mapped_column(sa.String(16))
    user_id: Mapped[str] = mapped_column(sa.String(64))
    handle: Mapped[str] = mapped_column(sa.String(64))
    masked_handle: Mapped[str] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(16))
    follow_check: Mapped[Optional[str]] = mapped_column(sa.String(8))  # yes | no | unknown
    # Who answered the follow check: "instagram" (the connected account) or "staff" (by hand,
    # with a justification kept private: staff pages and the audit log only).
    follow_check_source: Mapped[Optional[str]] = mapped_column(sa.String(16))
    follow_checked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    follow_checked_by: Mapped[Optional[str]] = mapped_column(sa.String(254))  # the actor
    follow_justification: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    age_confirmed: Mapped[bool] = mapped_column(default=False)
    status_reason: Mapped[str] = mapped_column(sa.Text, default="")  # staff-only note
    # The public category of a replacement: declined | no_answer | under_18 | not_following
    # | other (shown on public pages; the free-text note never is).
    public_reason: Mapped[Optional[str]] = mapped_column(sa.String(16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Substitution(db.Model):
    """A winner replaced by the next alternate: who, by whom, why, when."""

    __tablename__ = "substitution"

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    replaced_id: Mapped[int] = mapped_column(sa.ForeignKey("candidate.id"))
    replacement_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("candidate.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    actor: Mapped[str] = mapped_column(sa.String(254))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FollowupRecord(db.Model):
    """One signed record of what happened after the draw, chained to the certificate.

    ``body`` is the signed canonical JSON, stored and served as is; ``sha256``
    is its hash, which the next record carries as ``previous``.
    """

    __tablename__ = "followup_record"
    __table_args__ = (sa.UniqueConstraint("contest_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    seq: Mapped[int] = mapped_column()  # 1, 2, 3 … per contest
    body: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


TIMESTAMP_SUBJECTS = ("commitment", "freeze", "certificate")


class DrawTimestamp(db.Model):
    """An RFC 3161 time-stamp token on one step of a draw, from one authority (TSA).

    ``imprint`` is the hex SHA-256 sent to the TSA; ``token`` the DER
    TimeStampToken once obtained (None while pending: a background job retries).
    """

    __tablename__ = "draw_timestamp"
    __table_args__ = (sa.UniqueConstraint("contest_id", "subject", "tsa_url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(sa.ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    subject: Mapped[str] = mapped_column(sa.String(16))  # commitment | freeze | certificate
    imprint: Mapped[str] = mapped_column(sa.String(64))
    tsa_url: Mapped[str] = mapped_column(sa.String(255))
    token: Mapped[Optional[bytes]] = mapped_column(sa.LargeBinary)
    gen_time: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
