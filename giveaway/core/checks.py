"""The outcome of one verification step, as shown by the web page and the CLI."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Status(enum.Enum):
    """``OK`` and ``FAIL`` decide the verdict; ``NOTE`` only informs (e.g. unsigned)."""

    OK = "ok"
    FAIL = "fail"
    NOTE = "note"


@dataclass(frozen=True)
class CheckResult:
    """One line of a verification report: the step, its status and what was found."""

    step: str
    status: Status
    message: str
    code: str = ""  # stable identifier for translation, e.g. "commit_only", "unsigned"

    @property
    def ok(self) -> bool:
        """Return False only for a failed check."""
        return self.status is not Status.FAIL

    @property
    def symbol(self) -> str:
        """Return ✓, ✗ or ! for the status."""
        return {Status.OK: "✓", Status.FAIL: "✗", Status.NOTE: "!"}[self.status]


def passed(step: str, message: str, code: str = "") -> CheckResult:
    """Return a passing check."""
    return CheckResult(step, Status.OK, message, code)


def failed(step: str, message: str, code: str = "") -> CheckResult:
    """Return a failing check."""
    return CheckResult(step, Status.FAIL, message, code)


def note(step: str, message: str, code: str = "") -> CheckResult:
    """Return an informative line that does not affect the verdict."""
    return CheckResult(step, Status.NOTE, message, code)


def all_passed(results: list[CheckResult]) -> bool:
    """Return True when no check failed."""
    return all(r.ok for r in results)
