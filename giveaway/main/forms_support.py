"""Glue between WTForms and service errors."""
from flask import flash
from flask_wtf import FlaskForm

from giveaway.errors import ServiceError, ValidationFailed


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
