"""The RFC 3161 token on a sealed certificate file: it cannot travel inside what it covers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .checks import CheckResult, failed, note, passed
from .document import Certificate
from .encoding import format_timestamp
from .timestamps import (CLOCK_SKEW, TimestampError, TimestampUnverifiable, certificate_imprint,
                         read_token)


def check_certificate_token(token: bytes, body: bytes, cert: Certificate,
                            trusted_roots: Sequence[bytes] | None = None) -> list[CheckResult]:
    """Check ``token`` against the certificate file's exact bytes ``body``.

    FAIL when it covers other bytes, does not verify, or states a time before
    ``drawn_at`` (beyond the allowed clock skew); OK names the authority and time.
    """
    try:
        info = read_token(token, certificate_imprint(body), trusted_roots)
    except TimestampUnverifiable as exc:
        return [note("certificate-timestamp", f"not checked: {exc}", "timestamp_unchecked")]
    except TimestampError as exc:
        return [failed("certificate-timestamp", f"the certificate file's time-stamp: {exc}")]
    when = format_timestamp(info.gen_time)
    drawn_at = cert.drawn_at
    slack = CLOCK_SKEW + dt.timedelta(seconds=info.accuracy_seconds or 0)
    if drawn_at is not None and info.gen_time < drawn_at - slack:
        return [failed("certificate-timestamp", f"the certificate is time-stamped at {when}, "
                                                "before its drawn_at: the stated time is false")]
    return [passed("certificate-timestamp", f"this exact certificate file existed at {when} "
                                            f"({info.tsa_name})")]
