"""Exceptions raised by the draw core.

Every error that comes from bad input carries the name of the offending field,
spelled as in the certificate document (``entries.count``, ``beacon.round`` …),
so that the web page and the command-line verifier can say what is wrong
without a traceback.
"""

from __future__ import annotations

import datetime as _dt


class ProtocolError(Exception):
    """Base class of every error raised by :mod:`giveaway.core`."""


class InvalidInput(ProtocolError, ValueError):
    """A parameter or a value is unusable; ``field`` names it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class InvalidDocument(InvalidInput):
    """A certificate document (or its leaf list) cannot be verified at all."""


class BeaconError(ProtocolError):
    """Base class of the errors about a randomness beacon."""


class BeaconNotYetAvailable(BeaconError):
    """The beacon round exists only in the future: wait until ``available_at``."""

    def __init__(self, round_number: int, available_at: _dt.datetime) -> None:
        super().__init__(
            f"drand round {round_number} is not available before {available_at.isoformat()}"
        )
        self.round = round_number
        self.available_at = available_at


class BeaconUnavailable(BeaconError):
    """No endpoint could be reached or none answered usably (transient: retry later)."""


class BeaconVerificationError(BeaconError):
    """The beacon value does not verify (bad BLS signature, wrong randomness…).

    This is never transient: a beacon that fails verification must not be used.
    """


class KeyFileError(ProtocolError):
    """A signing or public key file cannot be read or parsed."""


class TimestampError(ProtocolError):
    """An RFC 3161 time-stamp could not be obtained, or a token does not verify.

    The message is a plain reason (no credentials, no token bytes), fit for a log
    line or a verification report.
    """


class TimestampUnverifiable(TimestampError):
    """A token is well formed and covers the right imprint, but its signature
    cannot be checked: it carries no root certificate and none was given.

    ``info`` holds what the token states (a ``TokenInfo``), unverified.
    """

    def __init__(self, reason: str, info: object) -> None:
        super().__init__(reason)
        self.info = info
