"""Helpers shared by the ``flask`` commands."""
from contextlib import contextmanager

import click

from giveaway.errors import ServiceError, ValidationFailed
from giveaway.extensions import db


@contextmanager
def service_errors():
    """Turn a refused service call into a clean CLI error (exit 1), rolling back."""
    try:
        yield
    except ValidationFailed as exc:
        db.session.rollback()
        lines = "\n".join(f"  {field}: {msg}" for field, msg in exc.errors.items())
        raise click.ClickException(f"invalid input:\n{lines}") from None
    except ServiceError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from None
