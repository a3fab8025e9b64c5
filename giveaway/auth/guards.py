"""View decorators that check roles and login freshness on the server."""
from __future__ import annotations

import time
from functools import wraps

from flask import abort, current_app, session
from flask_login import current_user, login_required, login_fresh

from giveaway.extensions import login_manager

LOGIN_TIME_KEY = "_giveaway_login_at"


def mark_login_time() -> None:
    """Record that the user just proved their password (login or re-authentication)."""
    session[LOGIN_TIME_KEY] = int(time.time())


def _login_is_recent() -> bool:
    at = session.get(LOGIN_TIME_KEY, 0)
    return login_fresh() and time.time() - at <= current_app.config["FRESH_LOGIN_SECONDS"]


def role_required(*roles: str):
    """Allow only logged-in users with one of ``roles``. :raise 403: for the others."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


staff_required = role_required("admin", "staff")
admin_required = role_required("admin")


def recent_login_required(view):
    """Ask for the password again when the login is older than ``FRESH_LOGIN_SECONDS``.

    Used before irreversible actions (opening a contest, the draw).
    """
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not _login_is_recent():
            return login_manager.needs_refresh()
        return view(*args, **kwargs)
    return wrapped
