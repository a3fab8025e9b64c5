"""The connected Instagram account: its instagrapi settings, encrypted at rest.

The settings hold session cookies, so they are encrypted with a key derived
from the application's secret key, never logged and never shown back.
"""
from __future__ import annotations

import json
from typing import Optional

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.core.sources import SourcePaused, SourceThrottled
from giveaway.errors import Conflict, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.models import InstagramSession
from giveaway.secretbox import InvalidToken, open_secret, seal
from giveaway.sources import instagram


def current_session() -> Optional[InstagramSession]:
    """The stored account, or None before any connection."""
    return db.session.scalar(sa.select(InstagramSession).order_by(InstagramSession.id).limit(1))


def save_settings(username: str, settings: dict, actor: str) -> InstagramSession:
    """Store (replace) the account's settings, encrypted, and mark it connected."""
    record = current_session() or InstagramSession(username=username)
    record.username = username
    record.user_pk = str((settings.get("authorization_data") or {}).get("ds_user_id") or "") \
        or None
    record.settings_encrypted = seal("instagram-session", json.dumps(settings).encode())
    record.status, record.status_detail = "connected", ""
    db.session.add(record)
    audit.append(actor, "instagram.connect", "instagram", username, {})
    db.session.commit()
    return record


def load_settings() -> dict:
    """Return the decrypted settings.

    :raise Conflict: when no account is connected, or the secret key changed.
    """
    record = current_session()
    if record is None:
        raise Conflict(_("No Instagram account is connected."))
    try:
        return json.loads(open_secret("instagram-session", record.settings_encrypted))
    except InvalidToken:
        raise Conflict(_("The stored Instagram session cannot be read (the secret key changed?): "
                         "reconnect the account.")) from None


def set_status(status: str, detail: str = "") -> None:
    """Record that the session needs staff (``challenge``, ``login_required``…)."""
    record = current_session()
    if record is not None:
        record.status, record.status_detail = status, detail[:2000]
        db.session.commit()


def connect(username: str, password: str, code: Optional[str], actor: str) -> InstagramSession:
    """Log in to Instagram and store the session.

    :raise ValidationFailed: ``code`` when Instagram asks for a two-factor code,
        ``password`` when it refuses the credentials.
    :raise Conflict: for a challenge or a request to wait.
    """
    username = username.strip().lstrip("@")
    try:
        settings = instagram.login(username, password, code or None,
                                   api_base=current_app.config.get("IG_API_BASE"))
    except SourcePaused as exc:
        if exc.reason == "two_factor":
            raise ValidationFailed({"code": _("Instagram sent a security code: enter it.")}) \
                from None
        raise Conflict(_("Instagram wants to check this login: approve it in the Instagram app "
                         "(« C'était moi »), then connect again, or import a session file.")) \
            from None
    except instagram.LoginFailed:
        raise ValidationFailed({"password": _("Instagram refused this username or password.")}) \
            from None
    except SourceThrottled:
        raise Conflict(_("Instagram asks to wait a few minutes before logging in again.")) \
            from None
    return save_settings(username, settings, actor)


def import_settings_file(path: str, actor: str) -> InstagramSession:
    """Store a session file written by instagrapi's ``dump_settings``.

    :raise ValidationFailed: when the file is not such a session.
    """
    try:
        settings = instagram.settings_from_file(path)
    except (OSError, ValueError) as exc:
        raise ValidationFailed({"file": _("Not an instagrapi session file: %(e)s",
                                          e=str(exc)[:200])}) from None
    username = str(settings.get("username") or
                   (settings.get("authorization_data") or {}).get("ds_user_id") or "instagram")
    return save_settings(username, settings, actor)
