"""RFC 3161 time-stamps on a contest's commitment, frozen list and sealed certificate.

Opening, freeze and the draw call :func:`schedule_timestamps` inside their own
transaction: it adds one pending :class:`DrawTimestamp` row per authority of
``TSA_URLS`` and nothing else, so a TSA that is down can never fail them. When
that transaction commits, the ``draws.timestamps`` job is queued for the
contest (a session ``after_commit`` hook, registered once below; a rollback
forgets it). The job runs :func:`fetch_pending`; the periodic job retries
what is still pending every ten minutes, up to :data:`MAX_ATTEMPTS` tries.

``DrawTimestamp.token`` holds the TSA's DER reply (``TimeStampResp``) byte
for byte, as :mod:`giveaway.core.timestamps` explains.
"""
from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session, SessionTransaction

from giveaway.contests.models import Contest
from giveaway.core.errors import TimestampError, TimestampUnverifiable
from giveaway.core.timestamps import SUBJECTS, read_token, request_token
from giveaway.draws.models import TIMESTAMP_SUBJECTS, DrawTimestamp
from giveaway.extensions import db

log = logging.getLogger(__name__)

FETCH_JOB = "draws.timestamps"  # registered in giveaway.jobs
MAX_ATTEMPTS = 20
_QUEUE_KEY = "draws.timestamps.contests"  # Session.info: contests to queue after commit


@dataclass(frozen=True)
class TimestampLine:
    """One time-stamp as the pages show it: ``status`` is "done" or "pending"."""

    subject: str  # commitment | freeze | certificate
    tsa: str  # the authority's URL
    gen_time: Optional[datetime]
    status: str


@dataclass(frozen=True)
class FetchOutcome:
    """What a :func:`fetch_pending` run did: tokens obtained, rows still pending."""

    obtained: int
    pending: int


def tsa_urls() -> list[str]:
    """Return the configured authorities (``TSA_URLS``: a list, or a string of URLs), deduplicated."""
    value = current_app.config.get("TSA_URLS") or ()
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return list(dict.fromkeys(url.strip() for url in value if url and url.strip()))


def schedule_timestamps(contest: Contest, subject: str, imprint: bytes) -> list[DrawTimestamp]:
    """Add a pending time-stamp of ``imprint`` on ``subject`` per configured TSA; return the rows.

    Runs in the caller's transaction and never commits nor touches the network;
    the fetch job is queued once the caller commits. Idempotent per (contest,
    subject, TSA): an existing row is kept, or reset if it was for another imprint.
    Raises ValueError for an unknown subject or an imprint that is not 32 bytes.
    """
    if subject not in TIMESTAMP_SUBJECTS or len(imprint) != 32:
        raise ValueError("a time-stamp needs a known subject and a SHA-256 imprint")
    if contest.id is None:
        db.session.flush()
    existing = {row.tsa_url: row for row in db.session.scalars(sa.select(DrawTimestamp).where(
        DrawTimestamp.contest_id == contest.id, DrawTimestamp.subject == subject))}
    rows = []
    for url in tsa_urls():
        if len(url) > 255:
            log.warning("TSA URL longer than 255 characters ignored")
            continue
        row = existing.get(url)
        if row is None:
            row = DrawTimestamp(contest_id=contest.id, subject=subject, tsa_url=url,
                                imprint=imprint.hex(), attempts=0, last_error="")
            db.session.add(row)
        elif row.imprint != imprint.hex():
            row.imprint, row.token, row.gen_time = imprint.hex(), None, None
            row.attempts, row.last_error = 0, ""
        rows.append(row)
    if rows:
        db.session.info.setdefault(_QUEUE_KEY, set()).add(contest.id)
    return rows


def enqueue_pending(contest_id: int) -> None:
    """Queue the job fetching contest ``contest_id``'s pending tokens.

    Never raises: when the queue cannot take it, the periodic retry will.
    """
    # Looked up by name (not through giveaway.jobs, which imports this package).
    task = current_app.extensions.get("huey_tasks", {}).get(FETCH_JOB)
    if task is None:
        log.warning("no %s job registered; pending time-stamps wait for the retry", FETCH_JOB)
        return
    try:
        task(contest_id)
    except Exception:  # the queue (e.g. Redis) is down: the periodic job catches up
        log.warning("could not queue time-stamping of contest %s", contest_id, exc_info=True)


def fetch_pending(contest_id: Optional[int] = None) -> FetchOutcome:
    """Ask the TSAs for every pending token (of one contest, or all) tried fewer than
    MAX_ATTEMPTS times; commit after each. Returns the counts; never raises for a TSA.
    """
    query = sa.select(DrawTimestamp.id, DrawTimestamp.tsa_url, DrawTimestamp.imprint).where(
        DrawTimestamp.token.is_(None), DrawTimestamp.attempts < MAX_ATTEMPTS)
    if contest_id is not None:
        query = query.where(DrawTimestamp.contest_id == contest_id)
    rows = db.session.execute(query.order_by(DrawTimestamp.id)).all()
    db.session.commit()  # hold no transaction open while waiting for the network
    timeout = current_app.config.get("TSA_TIMEOUT", 10.0)
    obtained = 0
    for row_id, url, imprint_hex in rows:
        values: dict[str, Any] = {"attempts": DrawTimestamp.attempts + 1}
        try:
            imprint = bytes.fromhex(imprint_hex)
            token = request_token(url, imprint, timeout)
            values.update(token=token, gen_time=_stated_time(token, imprint), last_error="")
        except (TimestampError, ValueError) as exc:
            values["last_error"] = str(exc)[:500]
            log.info("time-stamp %s still pending: %s", row_id, values["last_error"])
        # Only a still-pending row is written: a concurrent run may have filled it.
        updated = db.session.execute(sa.update(DrawTimestamp).where(
            DrawTimestamp.id == row_id, DrawTimestamp.token.is_(None)).values(**values))
        db.session.commit()
        if updated.rowcount and "token" in values:
            obtained += 1
    return FetchOutcome(obtained, len(rows) - obtained)


def _stated_time(token: bytes, imprint: bytes) -> datetime:
    """The token's time, once its signature is checked against the chain it carries.

    A token without its root is kept (a verifier holding the TSA's root checks it).
    Raises TimestampError for a token that does not verify.
    """
    try:
        return read_token(token, imprint).gen_time
    except TimestampUnverifiable as exc:
        return exc.info.gen_time


def certificate_timestamps(contest: Contest) -> list[dict[str, str]]:
    """Return the certificate's ``timestamps`` member: obtained commitment and freeze
    tokens as ``{"subject", "tsa", "token" (base64 DER reply)}``, sorted by (subject, tsa).
    """
    rows = db.session.scalars(sa.select(DrawTimestamp).where(
        DrawTimestamp.contest_id == contest.id, DrawTimestamp.subject.in_(SUBJECTS),
        DrawTimestamp.token.is_not(None)))
    entries = [{"subject": row.subject, "tsa": row.tsa_url,
                "token": base64.b64encode(row.token).decode("ascii")} for row in rows]
    return sorted(entries, key=lambda entry: (entry["subject"], entry["tsa"]))


def certificate_token(contest: Contest) -> Optional[bytes]:
    """Return the first obtained token on the sealed certificate (DER reply), or None."""
    return db.session.scalar(sa.select(DrawTimestamp.token).where(
        DrawTimestamp.contest_id == contest.id, DrawTimestamp.subject == "certificate",
        DrawTimestamp.token.is_not(None)).order_by(DrawTimestamp.id).limit(1))


def timestamp_lines(contest: Contest) -> list[TimestampLine]:
    """Return every time-stamp of ``contest`` for the pages, in timeline order, then by TSA."""
    rows = db.session.scalars(sa.select(DrawTimestamp).where(
        DrawTimestamp.contest_id == contest.id))
    lines = [TimestampLine(row.subject, row.tsa_url, row.gen_time,
                           "done" if row.token is not None else "pending") for row in rows]
    return sorted(lines, key=lambda line: (TIMESTAMP_SUBJECTS.index(line.subject), line.tsa))


@sa.event.listens_for(db.session, "after_commit")
def _queue_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: wait for the real commit
        return
    contest_ids = session.info.pop(_QUEUE_KEY, None)
    if contest_ids and has_app_context():
        for contest_id in sorted(contest_ids):
            enqueue_pending(contest_id)


@sa.event.listens_for(db.session, "after_transaction_end")
def _forget_after_rollback(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction: committed or rolled back
        session.info.pop(_QUEUE_KEY, None)
