"""Errors raised by service functions; views and CLI commands turn them into messages."""
from __future__ import annotations


class ServiceError(Exception):
    """A refused operation, with a message meant for the person who asked."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    """The object does not exist, or the caller may not know that it does."""

    status_code = 404


class Forbidden(ServiceError):
    """The caller's role does not allow the operation."""

    status_code = 403


class Conflict(ServiceError):
    """The operation clashes with the current state (duplicate, wrong status)."""

    status_code = 409


class ValidationFailed(ServiceError):
    """Input is invalid; ``errors`` maps each field name to what is wrong with it.

    ``message`` (and ``str()``) joins the messages alone, never the field names:
    it is what a view flashes when the form has no field to attach a message to,
    and each message names what it is about in words.
    """

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(_sentence(str(msg)) for msg in errors.values()))
        self.errors = errors


def _sentence(message: str) -> str:
    """``message`` ending with a full stop (or its own final punctuation) so several read well."""
    message = message.strip()
    return message if not message or message[-1] in ".!?…" else message + "."
