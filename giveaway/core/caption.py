"""The caption code: what staff paste into the Instagram caption at opening.

``"gdraw-v2 <draw_id> <first 32 hex digits of C>"``: 128 bits of the
commitment, so an organiser cannot prepare two declarations with the same
code (a collision needs about 2^64 tries).  gdraw-v1 captions carried 16.
"""

from __future__ import annotations

from .checks import CheckResult, failed, passed
from .document import Certificate

CODE_HEX = {"gdraw-v1": 16, "gdraw-v2": 32}


def caption_code(protocol: str, draw_id: str, commitment: bytes) -> str:
    """Return the caption code for a draw's commitment."""
    return f"{protocol} {draw_id} {commitment.hex()[:CODE_HEX[protocol]]}"


def check_caption(cert: Certificate, caption: str) -> CheckResult:
    """Check a caption code seen elsewhere (on Instagram) against the certificate."""
    words = caption.split()  # any white space: captions are pasted from anywhere
    if len(words) < 3 or words[0] not in CODE_HEX:
        return failed("caption", f"{caption!r} is not a caption code "
                                 "(\"gdraw-v2 <draw id> <code>\")")
    protocol, draw_id, code = words[0], " ".join(words[1:-1]), words[-1]  # ids may hold spaces
    if protocol != cert.protocol or draw_id != " ".join(cert.draw_id.split()):
        return failed("caption", f"the caption names {protocol} {draw_id!r}, the certificate "
                                 f"is {cert.protocol} {cert.draw_id!r}")
    if cert.commitment is None:
        return failed("caption", "the certificate has no commitment for a caption to pin")
    if len(code) != CODE_HEX[protocol] or code.lower() != cert.commitment.hex()[:len(code)]:
        return failed("caption", "the caption's code is not the start of the certificate's "
                                 "commitment: the draw is not the one announced")
    return passed("caption", "the caption code seen elsewhere pins this commitment")


def check_expected_commitment(cert: Certificate, expected: bytes) -> CheckResult:
    """Check a commitment published elsewhere against the certificate's."""
    if cert.commitment == expected:
        return passed("commitment-published", "the commitment is the one published elsewhere")
    return failed("commitment-published", "the certificate's commitment is not the one "
                                          "published elsewhere")
