"""Building an instagrapi client that is safe to run in a background worker.

- all traffic goes through :class:`RoutingAdapter` (api_base, real timeout,
  no invisible retries), even after ``set_settings``/``load_settings``;
- no pause before each request beyond ``delay_range``;
- challenges never read stdin: they raise :class:`SourcePaused`;
- instagrapi's DEBUG logging (which dumps whole answers) is dropped.

Session settings hold cookies: they are secrets, never log them.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Sequence

from instagrapi import Client
from instagrapi.exceptions import BadCredentials, BadPassword, TwoFactorRequired

from giveaway.core.sources import SourceError, SourcePaused, SourceThrottled

from .errors import translate
from .transport import RoutingAdapter

__all__ = ["DEFAULT_DELAY_RANGE", "LoginFailed", "close_client", "login", "make_client",
           "settings_from_file"]

DEFAULT_DELAY_RANGE = (1.0, 3.0)
DEFAULT_TIMEOUT = 30.0

# Transport knobs we own: stored settings must not bring back instagrapi's defaults.
_OVERRIDES = {
    "private_transport": "requests",
    "public_transport": "requests",
    "request_timeout": 0,
    "session_retry_total": 0,
    "public_request_retries_count": 0,
}

logger = logging.getLogger("giveaway.instagrapi")
logger.addFilter(lambda record: record.levelno >= logging.INFO)


class LoginFailed(SourceError):
    """Login refused; ``reason`` is ``"bad_credentials"`` or ``"error"``."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


def _refuse_challenge(username, choice=None):
    raise SourcePaused("challenge", "Instagram asks for a security code: enter it in the web UI.")


def _refuse_password_change(username):
    raise SourcePaused("challenge", "Instagram asks for a password change on this account.")


class RoutedClient(Client):
    """instagrapi's Client whose sessions always use our :class:`RoutingAdapter`,
    and whose settings can never turn back on its pauses and retries.
    """

    def __init__(self, *args, api_base: str | None = None, timeout: float = DEFAULT_TIMEOUT,
                 **kwargs):
        # Set before super().__init__, which mounts adapters through the hooks below.
        self._routing = (api_base, timeout)
        super().__init__(*args, **kwargs)
        self._mount(self.graphql)

    def set_settings(self, settings: dict) -> bool:
        """instagrapi's ``set_settings`` (also used by ``load_settings``), our knobs kept."""
        return super().set_settings(dict(settings, **_OVERRIDES))

    def _mount(self, session) -> None:
        adapter = RoutingAdapter(*self._routing)
        previous = set(session.adapters.values())
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        for old in previous:
            old.close()

    def _configure_private_session_retry(self, private_transport=None):
        self.private_transport = self._private_adapter_transport = "requests"
        self._mount(self.private)

    def _configure_public_session_retry(self):
        self._mount(self.public)

    def is_routed(self) -> bool:
        """True if every session sends through a :class:`RoutingAdapter`."""
        return all(isinstance(a, RoutingAdapter)
                   for s in (self.private, self.public, self.graphql) for a in s.adapters.values())


def make_client(settings: dict | None = None, api_base: str | None = None,
                timeout: float = DEFAULT_TIMEOUT,
                delay_range: Sequence[float] | None = DEFAULT_DELAY_RANGE) -> RoutedClient:
    """Build a client from stored session ``settings`` (no network call).

    ``api_base`` (e.g. ``GIVEAWAY_IG_API_BASE``) receives all Instagram
    traffic; ``None`` means the real Instagram. ``timeout`` bounds each
    request's connect and read; ``delay_range`` is the random pause before
    each request (``None`` for none, in tests).
    """
    client = RoutedClient(
        settings=dict(settings or {}, **_OVERRIDES),  # the constructor skips set_settings
        delay_range=list(delay_range) if delay_range else None,
        logger=logger,
        api_base=api_base,
        timeout=timeout,
        with_challenge_flow=False,
        **_OVERRIDES,
    )
    client.challenge_code_handler = _refuse_challenge
    client.change_password_handler = _refuse_password_change
    if not client.is_routed():  # an instagrapi upgrade renamed the hooks we rely on
        raise RuntimeError("instagrapi client sessions are not routed through RoutingAdapter")
    return client


def close_client(client: Client) -> None:
    """Close the client's HTTP sessions (call when a job is done with it)."""
    for name in ("private", "public", "graphql"):
        session = getattr(client, name, None)
        if session is not None:
            session.close()


def login(username: str, password: str, verification_code: str | None = None, *,
          api_base: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> dict:
    """Log in and return the session settings to store (encrypted) for later runs.

    :raises SourcePaused: ``"two_factor"`` when a code is needed (call again
        with ``verification_code``), ``"challenge"`` for a checkpoint.
    :raises LoginFailed: bad credentials or another refusal.
    :raises SourceThrottled: Instagram asks to wait.
    """
    client = make_client(None, api_base=api_base, timeout=timeout)
    try:
        try:
            client.login(username, password, verification_code=verification_code or "")
        except TwoFactorRequired as exc:
            raise SourcePaused("two_factor", "Instagram asks for a two-factor code.") from exc
        except (BadPassword, BadCredentials) as exc:
            raise LoginFailed("bad_credentials",
                              "Instagram refused the username or password.") from exc
        except Exception as exc:  # noqa: BLE001 - mapped below, unknown ones re-raised
            mapped = translate(exc, client)
            if mapped is None or mapped is exc:
                raise
            if isinstance(mapped, (SourcePaused, SourceThrottled)):
                raise mapped from exc
            raise LoginFailed("error", f"Instagram refused the login ({exc.__class__.__name__}).") \
                from exc
        return client.get_settings()
    finally:
        close_client(client)


def settings_from_file(path: str | Path) -> dict:
    """Read settings written by instagrapi's ``dump_settings``.

    :raises ValueError: if the file is not a JSON object with session cookies.
    """
    with open(path, encoding="utf-8") as fp:
        settings = json.load(fp)
    if not isinstance(settings, dict) or not (settings.get("cookies")
                                              or settings.get("authorization_data")):
        raise ValueError(f"{path}: not an instagrapi session (no cookies or authorization_data)")
    return settings
