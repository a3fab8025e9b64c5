"""Driving any :class:`CommentSource` to the end: retries, back-off, checkpoints.

``on_page(page)`` is where the app stores the page's comments and its cursor
in ONE transaction; the driver resumes from the last cursor ``on_page``
accepted, so a failure between pages loses nothing, and a page fetched twice
is de-duplicated by the store on ``(network, comment_id)``. If ``on_page``
raises, the exception propagates: restart later from the stored cursor.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from giveaway.core.sources import (
    BadPage,
    CommentPage,
    CommentSource,
    SourceError,
    SourcePaused,
    SourceStopped,
    SourceThrottled,
)

__all__ = ["HarvestResult", "backoff", "harvest"]

END_REASONS = ("done", "paused", "stopped", "throttled", "bad_page")
INVALID_NOTE = "invalid_comment:"


@dataclass
class HarvestResult:
    """How a run ended.

    ``end_reason`` is one of ``END_REASONS``; ``detail`` the pause/stop reason
    (e.g. ``"challenge"``, ``"media_not_found"``); ``cursor`` the last cursor
    committed through ``on_page`` (resume from it); ``errors`` one line per
    failure met, retried or not; ``notes`` anomalies reported by pages;
    ``retry_after`` the suggested delay before rescheduling a throttled run;
    ``bad_raw`` the raw answer of the last bad page, for diagnosis;
    ``skipped`` the comments a source left out as invalid (page notes
    ``invalid_comment:<field>:<code>``), counted by field and code; when any
    were, one line of ``errors`` says how many (no id, handle or text).
    """

    end_reason: str
    pages: int = 0
    comments: int = 0
    cursor: dict | None = None
    detail: str | None = None
    error: SourceError | None = None
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    retry_after: float | None = None
    bad_raw: object = None
    skipped: Counter = field(default_factory=Counter)

    @property
    def complete(self) -> bool:
        return self.end_reason == "done"


def backoff(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Capped exponential delay for the ``attempt``-th retry (1-based), with up to 50 % jitter."""
    delay = min(cap, base * 2 ** (attempt - 1))
    return min(cap, delay * rng.uniform(1.0, 1.5))


def harvest(
    source: CommentSource,
    start_cursor: dict | None,
    on_page: Callable[[CommentPage], object],
    sleep: Callable[[float], object] = time.sleep,
    *,
    max_bad_page_retries: int = 5,
    max_throttle_retries: int = 6,
    bad_page_delay: float = 2.0,
    max_delay: float = 900.0,
    rng: random.Random | None = None,
) -> HarvestResult:
    """Run ``source`` from ``start_cursor`` until done, paused, stopped or out of retries.

    Retry budgets count consecutive failures: any stored page resets them.
    A throttle waits ``backoff(n, exc.retry_after, max_delay)``; a bad page
    ``backoff(n, bad_page_delay, max_delay)``.

    :returns: a :class:`HarvestResult`; never raises a :class:`SourceError`.
    :raises Exception: whatever ``on_page`` raises, and programming errors.
    """
    result = _drive(source, start_cursor, on_page, sleep, max_bad_page_retries,
                    max_throttle_retries, bad_page_delay, max_delay, rng or random.Random())
    if result.skipped:
        kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(result.skipped.items()))
        result.errors.append(f"skipped {sum(result.skipped.values())} invalid comment(s), "
                             f"not stored: {kinds}")
    return result


def _drive(source, start_cursor, on_page, sleep, max_bad_page_retries, max_throttle_retries,
           bad_page_delay, max_delay, rng) -> HarvestResult:
    result = HarvestResult(end_reason="done", cursor=start_cursor)
    throttles = bad_pages = 0
    while True:
        try:
            for page in source.pages(result.cursor):
                on_page(page)
                result.cursor = page.cursor
                result.pages += 1
                result.comments += len(page.comments)
                for note in page.notes:
                    if note.startswith(INVALID_NOTE):
                        result.skipped[note[len(INVALID_NOTE):]] += 1
                    else:
                        result.notes.append(note)
                throttles = bad_pages = 0
                if page.done:
                    return result
            return result
        except SourceThrottled as exc:
            throttles += 1
            result.errors.append(_describe(exc))
            if throttles > max_throttle_retries:
                return _end(result, "throttled", exc, retry_after=exc.retry_after)
            sleep(backoff(throttles, exc.retry_after, max_delay, rng))
        except BadPage as exc:
            bad_pages += 1
            result.errors.append(_describe(exc))
            result.bad_raw = exc.raw
            if bad_pages > max_bad_page_retries:
                return _end(result, "bad_page", exc)
            sleep(backoff(bad_pages, bad_page_delay, max_delay, rng))
        except (SourcePaused, SourceStopped) as exc:
            result.errors.append(_describe(exc))
            reason = "paused" if isinstance(exc, SourcePaused) else "stopped"
            return _end(result, reason, exc, detail=exc.reason)
        except SourceError as exc:  # a subclass this driver does not know: do not retry
            result.errors.append(_describe(exc))
            return _end(result, "stopped", exc, detail=getattr(exc, "reason", None))


def _describe(exc: SourceError) -> str:
    reason = getattr(exc, "reason", "")
    return f"{exc.__class__.__name__}({reason}): {exc}"


def _end(result: HarvestResult, reason: str, exc: SourceError, **extra) -> HarvestResult:
    result.end_reason = reason
    result.error = exc
    for key, value in extra.items():
        setattr(result, key, value)
    return result
