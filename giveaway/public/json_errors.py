"""A missing JSON document answers in JSON: ``/c/<unknown>.json`` is read by programs."""
from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Response, jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import NotFound


class JsonNotFound(NotFound):
    """A 404 on an address that serves JSON: answered by :func:`json_404`."""


def json_not_found(view: Callable) -> Callable:
    """Make any 404 of ``view`` a :class:`JsonNotFound`."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except NotFound as exc:
            raise JsonNotFound() from exc
    return wrapper


def json_404(exc: JsonNotFound) -> tuple[Response, int]:
    """``{"error": "not_found", "message": …}`` (the message in the visitor's language), 404."""
    return jsonify(error="not_found", message=_("Nothing is published at this address.")), 404
