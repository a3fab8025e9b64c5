"""Fetching a drand round over HTTP(S), with fall-over between endpoints.

The caller passes the endpoint list (the app uses ``GIVEAWAY_DRAND_URLS``).
Outcomes: a verified :class:`DrandBeacon`; :class:`BeaconNotYetAvailable`
(wait: the round's time has not come, or every endpoint answered 404/425);
:class:`BeaconUnavailable` (transient: network trouble, retry later);
:class:`BeaconVerificationError` (hard: an endpoint served a round that does
not verify against the pinned key — never use it).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from .beacons import DrandBeacon
from .drand import QUICKNET, DrandChain, check_round
from .errors import BeaconNotYetAvailable, BeaconUnavailable, BeaconVerificationError

DEFAULT_DRAND_URLS: tuple[str, ...] = (
    "https://api.drand.sh",
    "https://api2.drand.sh",
    "https://drand.cloudflare.com",
)
_NOT_YET_STATUSES = frozenset({404, 425})
_MAX_BODY = 64 * 1024

Opener = Callable[..., Any]


def round_url(base: str, chain: DrandChain, round_number: int) -> str:
    """Return ``{base}/{chain_hash}/public/{round}``."""
    return f"{base.rstrip('/')}/{chain.chain_hash.hex()}/public/{round_number}"


def fetch_drand_beacon(round_number: int, urls: Sequence[str] = DEFAULT_DRAND_URLS, *,
                       chain: DrandChain = QUICKNET, timeout: float = 10,
                       now: dt.datetime | None = None,
                       opener: Opener = urllib.request.urlopen) -> DrandBeacon:
    """Return the verified beacon of drand round ``round_number``.

    Tries each endpoint of ``urls`` in order, ``timeout`` seconds each.
    Raises BeaconNotYetAvailable, BeaconUnavailable or BeaconVerificationError
    as described in the module docstring, and InvalidInput("beacon.round")
    for an impossible round number.
    """
    check_round(round_number)
    available_at = chain.round_time(round_number)
    if (now or dt.datetime.now(dt.timezone.utc)) < available_at:
        raise BeaconNotYetAvailable(round_number, available_at)
    not_yet = 0
    failures: list[str] = []
    for base in urls:
        url = round_url(base, chain, round_number)
        if not url.startswith(("https://", "http://")):
            failures.append(f"{base}: not an http(s) URL")
            continue
        try:
            with opener(url, timeout=timeout) as response:
                body = response.read(_MAX_BODY + 1)
        except urllib.error.HTTPError as exc:
            if exc.code in _NOT_YET_STATUSES:
                not_yet += 1
            else:
                failures.append(f"{base}: HTTP {exc.code}")
            exc.close()
            continue
        except (urllib.error.URLError, OSError, ValueError) as exc:
            failures.append(f"{base}: {exc}")
            continue
        signature = _signature_from_body(body, round_number, base, failures)
        if signature is None:
            continue
        beacon = DrandBeacon(chain.chain_hash, round_number, signature)
        beacon.verify()
        return beacon
    if urls and not_yet == len(urls):
        raise BeaconNotYetAvailable(round_number, available_at)
    raise BeaconUnavailable(f"drand round {round_number}: no endpoint answered: "
                            + ("; ".join(failures) or "no endpoint configured"))


def fetch_drand_beacon_for_time(draw_time: dt.datetime, urls: Sequence[str] = DEFAULT_DRAND_URLS,
                                **kwargs: Any) -> DrandBeacon:
    """Return the verified beacon of the first round at or after ``draw_time``.

    Same keyword arguments and exceptions as :func:`fetch_drand_beacon`.
    """
    chain = kwargs.get("chain", QUICKNET)
    return fetch_drand_beacon(chain.round_at(draw_time), urls, **kwargs)


def _signature_from_body(body: bytes, round_number: int, base: str,
                         failures: list[str]) -> bytes | None:
    # A malformed answer is the endpoint's fault: note it and try the next one.
    # A well-formed answer whose randomness is not H(signature) is a lie: hard error.
    if len(body) > _MAX_BODY:
        failures.append(f"{base}: answer too large")
        return None
    try:
        data = json.loads(body)
        if data["round"] != round_number:
            failures.append(f"{base}: answered round {data['round']!r}")
            return None
        signature = bytes.fromhex(data["signature"])
        randomness = bytes.fromhex(data["randomness"])
    except (ValueError, KeyError, TypeError):
        failures.append(f"{base}: malformed answer")
        return None
    if DrandBeacon(b"", round_number, signature).randomness != randomness:
        raise BeaconVerificationError(
            f"drand round {round_number} from {base}: randomness is not SHA-256(signature)")
    return signature
