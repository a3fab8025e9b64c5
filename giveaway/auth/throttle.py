"""Failed logins counted per account and per client address, in the rate-limit storage.

Two separate counters, so that a colleague's typos (on their own account, from
the same office address) never lock you out: too many failures on one account
make that account wait (``LOGIN_ACCOUNT_LIMIT``); far more failures from one
address, across accounts, make every login from there wait
(``LOGIN_ADDRESS_LIMIT``). The storage is ``RATELIMIT_STORAGE_URI``: Redis when
several workers serve (``require_production_settings`` insists), so every
worker sees the same counts. Accounts are keyed by a hash of the e-mail.
"""
from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import STRATEGIES, RateLimiter

EXTENSION = "giveaway.login_throttle"


def init_app(app: Flask) -> None:
    """Open the counters' storage for ``app`` (each app its own, even in one process)."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"],
                                  **app.config.get("RATELIMIT_STORAGE_OPTIONS", {}))
    strategy = app.config.get("RATELIMIT_STRATEGY", "fixed-window")
    app.extensions[EXTENSION] = STRATEGIES[strategy](storage)


def _limiter() -> RateLimiter:
    return current_app.extensions[EXTENSION]


def _counters(email: str | None) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "") or "giveaway"
    counters = [(item, (prefix, "login-address", request.remote_addr or "unknown"))
                for item in parse_many(current_app.config["LOGIN_ADDRESS_LIMIT"])]
    if email is not None:
        account = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        counters += [(item, (prefix, "login-account", account))
                     for item in parse_many(current_app.config["LOGIN_ACCOUNT_LIMIT"])]
    return counters


def seconds_to_wait(email: str | None) -> int:
    """How long this address, or this account, must wait before trying again (0: no wait)."""
    limiter, now = _limiter(), time.time()
    waits = [limiter.get_window_stats(item, *keys).reset_time - now
             for item, keys in _counters(email) if not limiter.test(item, *keys)]
    return max(1, math.ceil(max(waits))) if waits else 0


def record_failure(email: str | None) -> None:
    """Count one failed attempt for this address and this account."""
    limiter = _limiter()
    for item, keys in _counters(email):
        limiter.hit(item, *keys)


def minutes(seconds: int) -> int:
    """A wait in whole minutes, rounded up (at least 1)."""
    return max(1, math.ceil(seconds / 60))
