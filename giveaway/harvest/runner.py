"""The harvest job: every post of a contest, page by page, checkpointed.

A run is claimed with a conditional UPDATE (a lease with a random token), so
two workers never run it at once; after every page the comments, the cursor
and the counters are committed together, so a killed worker resumes from the
last page without losing or doubling a comment. Each page's commit checks,
under the contest's row lock, that the contest still takes comments; a run
whose contest was frozen meanwhile stops there, storing nothing more.
"""
from __future__ import annotations

import json
import math
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Optional

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.locking import require_comments_allowed
from giveaway.contests.models import Contest, ContestPost
from giveaway.core.sources import CommentPage, SourceError, SourcePaused, SourceThrottled
from giveaway.db_maintenance import analyze
from giveaway.db_types import utcnow
from giveaway.errors import Conflict
from giveaway.extensions import db
from giveaway.harvest import ig_session
from giveaway.harvest.models import HarvestRun
from giveaway.harvest.service import active_run, stale_before, start_harvest
from giveaway.harvest.store import mark_disappeared, store_comments
from giveaway.sources import instagram
from giveaway.sources.harvest import HarvestResult, harvest


class LeaseLost(Exception):
    """Another worker took the run over (this one was presumed dead)."""


def claimable(now):
    """SQL condition: a run nobody works on that may start now."""
    return sa.or_(
        HarvestRun.status == "queued",
        sa.and_(HarvestRun.status == "waiting", HarvestRun.not_before <= now),
        sa.and_(HarvestRun.status.in_(("running", "waiting")),
                sa.or_(HarvestRun.heartbeat_at.is_(None),  # (a claim always sets it)
                       HarvestRun.heartbeat_at < now - stale_before())))


def seconds_until_claimable(run: HarvestRun, now: Optional[datetime] = None) -> int:
    """How many seconds (at least 1) until ``run`` may be claimed, if nothing else happens."""
    now = now or utcnow()
    times = []
    if run.heartbeat_at is not None:
        times.append(run.heartbeat_at + stale_before())
    if run.status == "waiting" and run.not_before is not None:
        times.append(run.not_before)
    if not times:
        return 1
    return max(1, math.ceil((min(times) - now).total_seconds()))


def claim(run_id: int) -> Optional[str]:
    """Take the run if it is queued or its worker stopped beating; return the lease token."""
    token, now = secrets.token_hex(8), utcnow()
    result = db.session.execute(sa.update(HarvestRun).where(
        HarvestRun.id == run_id,
        claimable(now),
    ).values(status="running", worker_token=token, heartbeat_at=now, not_before=None,
             started_at=sa.func.coalesce(HarvestRun.started_at, now))
        .execution_options(synchronize_session=False))
    db.session.commit()
    return token if result.rowcount == 1 else None


class HarvestBusy(Conflict):
    """A live process holds the contest's harvest; it may be taken over in ``seconds``."""

    def __init__(self, run_id: int, seconds: int):
        super().__init__(_("harvest already under way (can be taken over in %(n)d s)",
                           n=seconds))
        self.run_id, self.seconds = run_id, seconds


@dataclass(frozen=True)
class Claimed:
    """A run this process now holds (``token``); ``previous`` its state before, if it existed."""

    run_id: int
    token: str
    previous: Optional[str] = None


def claim_here(contest: Contest, actor: str, include_replies: bool = False) -> Claimed:
    """Start a harvest of ``contest`` to run in this process, or take its active one over.

    A run whose worker stopped beating for longer than the lease
    (``HARVEST_LEASE_SECONDS``), or a queued one no worker picked up, is taken
    over here; nothing else is needed (no worker).

    :raise HarvestBusy: while another process holds the run's lease (try again later).
    :raise Conflict: when the contest takes no comments (read under its row lock), no
        Instagram account is connected, or the harvest is paused (Instagram needs staff).
    """
    run = active_run(contest)
    if run is None:
        run = start_harvest(contest, actor, include_replies, queue=False)
        previous = None
    else:
        previous = run.status
        if previous == "paused":
            raise Conflict(_("The harvest of this contest is paused: Instagram needs you. "
                             "Reconnect the account, then resume it from the contest page."))
        require_comments_allowed(contest)
    token = claim(run.id)
    if token is None:
        db.session.refresh(run)
        raise HarvestBusy(run.id, seconds_until_claimable(run))
    if previous is not None:
        audit.append(actor, "harvest.takeover", "harvest_run", run.id,
                     {"contest": contest.public_id, "was": previous})
        db.session.commit()
    return Claimed(run.id, token, previous)


class HarvestJob:
    """One claimed run, driven to its end or to a pause."""

    def __init__(self, run_id: int, token: str):
        self.run = db.session.get(HarvestRun, run_id)
        self.contest = db.session.get(Contest, self.run.contest_id)
        self.token = token

    def _beat(self, **values) -> None:
        """Commit ``values`` on the run if this worker still holds it. :raise LeaseLost:"""
        result = db.session.execute(sa.update(HarvestRun).where(
            HarvestRun.id == self.run.id, HarvestRun.worker_token == self.token)
            .values(heartbeat_at=utcnow(), **values).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            db.session.rollback()
            raise LeaseLost(self.run.id)
        db.session.commit()
        db.session.refresh(self.run)

    def refuse(self, message: str) -> None:
        """Stop for good: the contest stopped taking comments (frozen…) under this run."""
        audit.append("worker", "harvest.stopped", "harvest_run", self.run.id,
                     {"contest": self.contest.public_id, "pages": self.run.pages,
                      "new": self.run.comments_new, "seen": self.run.comments_seen,
                      "reason": "contest_frozen"})
        self._beat(status="stopped", end_reason="contest_frozen", last_error=message,
                   ended_at=utcnow())

    def postpone(self, message: str, seconds: int = 60) -> None:
        """Wait and retry from the checkpoint: another write held the contest too long."""
        self._beat(status="waiting", end_reason="contest_busy", last_error=message,
                   not_before=utcnow() + timedelta(seconds=seconds))
        from giveaway.jobs import enqueue
        enqueue("harvest.run", self.run.id, delay=seconds)

    def pause(self, reason: str, message: str) -> None:
        """Stop here until staff act (reconnect the account), keeping the checkpoint."""
        self._beat(status="paused", end_reason=reason, last_error=message)

    def _sleep(self, seconds: float) -> None:
        """Back off, beating every few seconds so the lease stays ours."""
        self._beat(status="waiting")
        remaining = seconds
        while remaining > 0:
            step = min(remaining, 5.0)
            time.sleep(step)
            remaining -= step
            self._beat()
        self._beat(status="running")

    def _store_page(self, post: ContestPost, page: CommentPage) -> None:
        count = store_comments(self.contest.id, page.comments, utcnow(), post_id=post.id,
                               run_id=self.run.id)
        stats = [dict(s) for s in self.run.post_stats]
        stats[-1]["pages"] += 1
        stats[-1]["new"] += count.new
        stats[-1]["seen"] += count.seen
        self._beat(pages=HarvestRun.pages + 1, cursor=page.cursor, post_stats=stats,
                   comments_new=HarvestRun.comments_new + count.new,
                   comments_seen=HarvestRun.comments_seen + count.seen)

    def run_posts(self, client) -> None:
        """Harvest each remaining post; record how the run ended."""
        posts = self.contest.posts
        while self.run.post_index < len(posts):
            post = posts[self.run.post_index]
            if len(self.run.post_stats) <= self.run.post_index:
                try:
                    info = instagram.resolve_post(client, post.url)
                except SourceError as exc:
                    return self._finish(HarvestResult(end_reason=_end_reason(exc), error=exc,
                                                      errors=[str(exc)], detail=getattr(
                                                          exc, "reason", None)))
                entry = {"post_id": post.id, "url": post.url, "media_id": info.media_id,
                         "announced": info.comment_count, "pages": 0, "new": 0, "seen": 0,
                         "complete": False}
                self._beat(post_stats=[*self.run.post_stats, entry])
            entry = self.run.post_stats[self.run.post_index]
            info = instagram.PostInfo(media_pk=entry["media_id"].split("_")[0],
                                      media_id=entry["media_id"],
                                      owner_pk=entry["media_id"].split("_")[1],
                                      comment_count=entry["announced"], comments_disabled=False)
            source = instagram.InstagramCommentSource(client, info, self.run.include_replies)
            result = harvest(source, self.run.cursor, lambda page: self._store_page(post, page),
                             sleep=self._sleep)
            if not result.complete:
                return self._finish(result)
            stats = [dict(s) for s in self.run.post_stats]
            stats[-1]["complete"] = True
            mark_disappeared(self.contest.id, post.id, self.run.id, utcnow())
            self._beat(post_index=self.run.post_index + 1, cursor=None, post_stats=stats,
                       errors=[*self.run.errors, *result.errors][-50:])
        self._finish(HarvestResult(end_reason="done"))

    def _finish(self, result: HarvestResult) -> None:
        status = {"done": "complete", "paused": "paused", "throttled": "waiting",
                  "stopped": "stopped", "bad_page": "failed"}[result.end_reason]
        errors = [*self.run.errors, *result.errors][-50:]
        if result.bad_raw is not None:
            errors.append(f"raw answer kept in {self._keep_raw(result.bad_raw)}")
        last_error = str(result.error) if result.error else ""
        self._beat(status=status, end_reason=result.detail or result.end_reason,
                   errors=errors, last_error=last_error,
                   ended_at=utcnow() if status in ("complete", "stopped", "failed") else None)
        if isinstance(result.error, SourcePaused):
            ig_session.set_status(result.error.reason, last_error)
        audit.append("worker", f"harvest.{status}", "harvest_run", self.run.id,
                     {"contest": self.contest.public_id, "pages": self.run.pages,
                      "new": self.run.comments_new, "seen": self.run.comments_seen,
                      "reason": result.detail or result.end_reason})
        db.session.commit()
        if self.run.comments_new:
            analyze("comment")
            db.session.commit()
        from giveaway.jobs import enqueue
        if self.run.comments_new:
            enqueue("eligibility.evaluate", self.contest.id)
        if status == "waiting":
            delay = int(result.retry_after or 300)
            self._beat(not_before=utcnow() + timedelta(seconds=delay))
            enqueue("harvest.run", self.run.id, delay=delay)

    def _keep_raw(self, raw: object) -> str:
        folder = Path(current_app.instance_path) / "harvest-diagnostics"
        folder.mkdir(exist_ok=True)
        path = folder / f"run-{self.run.id}-{utcnow():%Y%m%dT%H%M%S}.json"
        path.write_text(raw if isinstance(raw, str) else json.dumps(raw, default=str),
                        encoding="utf-8")
        return path.name


def _end_reason(exc: SourceError) -> str:
    if isinstance(exc, SourcePaused):
        return "paused"
    if isinstance(exc, SourceThrottled):
        return "throttled"
    return "stopped"
