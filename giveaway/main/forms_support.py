"""Glue between WTForms and service errors.

A form shows all its problems in one round: the view runs the form's own
validators, then the service's checks on what could be read, and
:func:`merge_errors` puts each service problem on its field (a field the form
already refused keeps the form's message only, so nothing is said twice).
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import flash
from flask_wtf import FlaskForm

from giveaway.errors import ServiceError, ValidationFailed


def _as_list(messages: str | list[str]) -> list[str]:
    return [messages] if isinstance(messages, str) else list(messages)


def merge_errors(form: FlaskForm, errors: Mapping[str, str | list[str]]) -> bool:
    """Attach ``errors`` (field name → message or messages) to fields without an error yet;
    flash those for no field. Return True when the form now has any error."""
    for name, messages in errors.items():
        field = getattr(form, name, None)
        if field is None:
            for message in _as_list(messages):
                flash(message, "danger")
        elif not field.errors:
            field.errors = _as_list(messages)
    return has_errors(form)


def has_errors(form: FlaskForm) -> bool:
    """True when any field of ``form`` carries an error."""
    return any(field.errors for field in form)


def show_service_error(form: FlaskForm, exc: ServiceError) -> None:
    """Attach a refused operation's messages to the form fields, or flash them."""
    if isinstance(exc, ValidationFailed):
        for field_name, message in exc.errors.items():
            field = getattr(form, field_name, None)
            if field is not None:
                field.errors = [*field.errors, message] if isinstance(field.errors, list) \
                    else [message]
            else:
                flash(message, "danger")
    else:
        flash(exc.message, "danger")
