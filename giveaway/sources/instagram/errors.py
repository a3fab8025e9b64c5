"""Mapping instagrapi's exceptions to the source errors the app understands.

Throttles are retried, challenges and lost sessions pause for staff,
feedback_required and missing media stop the run, malformed answers are bad
pages (raw kept for diagnosis).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import requests
from instagrapi import exceptions as ig
from pydantic import ValidationError

from giveaway.core.sources import (
    BadPage,
    SourceError,
    SourcePaused,
    SourceStopped,
    SourceThrottled,
)

from .transport import TruncatedResponse

__all__ = ["NETWORK_DELAY", "PLEASE_WAIT_DELAY", "THROTTLE_DELAY", "mapped_errors", "raw_answer",
           "translate"]

THROTTLE_DELAY = 60.0
PLEASE_WAIT_DELAY = 300.0
NETWORK_DELAY = 5.0
RAW_LIMIT = 256 * 1024


def raw_answer(client) -> object:
    """The last answer the client received: parsed JSON if any, else text (bounded)."""
    if client is None:
        return None
    if getattr(client, "last_json", None):
        return client.last_json
    response = getattr(client, "last_response", None)
    if response is not None and response._content is not None:  # noqa: SLF001 - body may be unread
        return response.content[:RAW_LIMIT].decode("utf-8", "replace")
    return None


def _retry_after(exc: Exception, default: float) -> float:
    response = getattr(exc, "response", None)
    try:
        return max(default, float(response.headers["Retry-After"]))
    except (AttributeError, KeyError, TypeError, ValueError):
        return default


def _status(exc: Exception) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None) or getattr(exc, "code", None)


def translate(exc: BaseException, client=None) -> SourceError | None:
    """The :class:`SourceError` standing for ``exc``, or ``None`` if it is not an
    Instagram or transport failure (a bug: let it propagate).
    """
    name = exc.__class__.__name__
    if isinstance(exc, SourceError):
        return exc
    if isinstance(exc, ig.PleaseWaitFewMinutes):
        return SourceThrottled("Instagram asks to wait a few minutes.", reason="please_wait",
                               retry_after=_retry_after(exc, PLEASE_WAIT_DELAY))
    if isinstance(exc, (ig.ClientThrottledError, ig.RateLimitError)):
        return SourceThrottled("Instagram rate limit.", reason="rate_limited",
                               retry_after=_retry_after(exc, THROTTLE_DELAY))
    if isinstance(exc, ig.FeedbackRequired):
        return SourceStopped("feedback_required",
                             f"Instagram blocked the action (feedback_required): {exc}")
    if isinstance(exc, (ig.SentryBlock, ig.AccountSuspended)):
        return SourceStopped("account_blocked", f"Instagram blocked this account ({name}).")
    if isinstance(exc, ig.ChallengeError):
        return SourcePaused("challenge", "Instagram asks to verify the account (challenge).")
    if isinstance(exc, (ig.LoginRequired, ig.ClientLoginRequired, ig.ClientUnauthorizedError,
                        ig.ClientForbiddenError)):
        return SourcePaused("login_required", f"The Instagram session is no longer valid ({name}).")
    if isinstance(exc, (ig.NotFoundError, ig.ClientNotFoundError, ig.MediaUnavailable,
                        ig.InvalidMediaId)):
        return SourceStopped("media_not_found", "Instagram says the post does not exist.")
    if isinstance(exc, TruncatedResponse):
        return BadPage(str(exc), raw=exc.partial[:RAW_LIMIT], reason="truncated")
    if isinstance(exc, ig.ClientIncompleteReadError):
        return BadPage(str(exc), raw=raw_answer(client), reason="truncated")
    if isinstance(exc, ig.ClientJSONDecodeError):
        return BadPage("Instagram sent invalid JSON.", raw=raw_answer(client),
                       reason="invalid_json")
    if isinstance(exc, ValidationError):
        return BadPage(f"Instagram sent an item we cannot read: {exc.error_count()} error(s), "
                       f"first: {exc.errors()[0].get('loc')}", raw=raw_answer(client),
                       reason="invalid_item")
    if isinstance(exc, (ig.ClientConnectionError, ig.ClientRequestTimeout,
                        requests.exceptions.Timeout, requests.exceptions.ConnectionError)):
        return SourceThrottled(f"Network trouble talking to Instagram ({name}).", reason="network",
                               retry_after=NETWORK_DELAY)
    if isinstance(exc, ig.ClientError):
        status = _status(exc)
        reason = "server_error" if status and status >= 500 else "unexpected_answer"
        return BadPage(f"Unexpected answer from Instagram (HTTP {status}, {name}): {exc}",
                       raw=raw_answer(client), reason=reason)
    return None


@contextmanager
def mapped_errors(client=None) -> Iterator[None]:
    """Re-raise Instagram and transport failures inside the block as :class:`SourceError`.

    Anything :func:`translate` does not know (a bug) propagates unchanged.
    """
    try:
        yield
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - narrowed by translate()
        mapped = translate(exc, client)
        if mapped is None:
            raise
        raise mapped from exc
