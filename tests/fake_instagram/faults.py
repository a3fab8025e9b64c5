"""Faults the fake Instagram can inject, at given request numbers or at random.

Request numbers count, from 1, the requests served per endpoint
(``"info"``, ``"comments"``, ``"replies"``, ``"friendship"``); a retry is a
new request, so a fault listed once fires once.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

# Answers that replace the page: (status, JSON body or raw bytes).
ERRORS: dict[str, tuple[int, dict | bytes]] = {
    "throttle": (429, {"message": "", "status": "fail"}),
    "please_wait": (400, {"message": "Please wait a few minutes before you try again.",
                          "status": "fail"}),
    "rate_limit": (400, {"message": "Rate limited", "error_type": "rate_limit_error",
                         "status": "fail"}),
    "feedback_required": (400, {"message": "feedback_required", "spam": True,
                                "feedback_title": "Action bloquée",
                                "feedback_message": "Réessayez plus tard.", "status": "fail"}),
    "challenge": (400, {"message": "challenge_required", "status": "fail",
                        "challenge": {"url": "https://i.instagram.com/challenge/1/abc/",
                                      "api_path": "/challenge/1/abc/", "hide_webview_header": True,
                                      "lock": True, "logout": False, "native_flow": True}}),
    "login_required": (403, {"message": "login_required", "logout_reason": 2, "status": "fail"}),
    "bare_404": (404, b"Not Found"),
    "media_not_found": (404, {"message": "Media not found or unavailable", "status": "fail"}),
    "server_error": (500, b"<html><body>Internal Server Error</body></html>"),
}
# Faults that alter a successful page rather than replace it.
PAGE_FAULTS = {"short_page", "empty_page", "repeat_cursor", "missing_user_pk"}
# Faults in how the bytes travel.
TRANSPORT_FAULTS = {"truncated", "cut", "slow"}
KINDS = set(ERRORS) | PAGE_FAULTS | TRANSPORT_FAULTS


@dataclass
class _Rule:
    kind: str
    endpoint: str
    at: set[int]
    rate: float
    rng: random.Random
    fired: list[int] = field(default_factory=list)


class Faults:
    """The fault plan of one fake server; thread-safe."""

    def __init__(self) -> None:
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self.slow_seconds = 2.0

    def add(self, kind: str, *, endpoint: str = "comments", at=(), rate: float = 0.0,
            seed: int = 0) -> _Rule:
        """Inject ``kind`` on the ``endpoint`` requests numbered in ``at``, or with
        probability ``rate`` on each (``rate=1`` makes it persistent).

        :raises ValueError: for an unknown kind.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown fault {kind!r}; choose from {sorted(KINDS)}")
        rule = _Rule(kind, endpoint, set(at), rate, random.Random(seed))
        with self._lock:
            self._rules.append(rule)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def take(self, endpoint: str, number: int) -> list[str]:
        """The fault kinds firing on request ``number`` of ``endpoint``."""
        kinds = []
        with self._lock:
            for rule in self._rules:
                if rule.endpoint not in (endpoint, "any"):
                    continue
                if number in rule.at or (rule.rate and rule.rng.random() < rule.rate):
                    rule.fired.append(number)
                    kinds.append(rule.kind)
        return kinds

    def fired(self) -> dict[str, int]:
        """How many times each kind fired so far."""
        with self._lock:
            out: dict[str, int] = {}
            for rule in self._rules:
                out[rule.kind] = out.get(rule.kind, 0) + len(rule.fired)
            return out
