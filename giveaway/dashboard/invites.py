"""One-time invite links for partner users: set a password, then you are logged in.

The link is signed (itsdangerous, the app secret, salt ``partner-invite``),
lasts seven days and carries the user id and a fingerprint of the user's
current password hash: setting a password changes the hash, so the link dies
once used (and so does any older link).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from giveaway.audit import service as audit
from giveaway.auth.models import User
from giveaway.auth.passwords import hash_password
from giveaway.auth.service import MIN_PASSWORD_LENGTH, create_user, end_sessions
from giveaway.db_types import utcnow
from giveaway.errors import ServiceError, ValidationFailed
from giveaway.extensions import db
from giveaway.partners.models import Partner

SALT = "partner-invite"
MAX_AGE_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Invite:
    """A new invite: the account it is for, its token and when it stops working."""

    user: User
    token: str
    expires_at: datetime


class InvalidInvite(ServiceError):
    """The link is malformed, expired, already used, or its account cannot be invited."""

    status_code = 400


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, user.password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def create_invite(user: User, actor: str) -> str:
    """Return a new invite token for a partner user (audit-logged, committed).

    :raise InvalidInvite: when the account is not an active partner user.
    """
    if user.role != "partner" or not user.active:
        raise InvalidInvite(_("Only an active partner account can be invited."))
    token = _serializer().dumps({"u": user.id, "f": _fingerprint(user)})
    audit.append(actor, "user.invite", "user", user.id,
                 {"email": user.email, "partner": user.partner.slug if user.partner else None,
                  "valid_days": MAX_AGE_SECONDS // 86400})
    db.session.commit()
    return token


def invite(user: User, actor: str) -> Invite:
    """:func:`create_invite`, with the moment the link expires (same raises)."""
    token = create_invite(user, actor)
    # Said to the minute, rounded down: the link never dies before the time it announces.
    expires_at = (utcnow() + timedelta(seconds=MAX_AGE_SECONDS)).replace(second=0,
                                                                          microsecond=0)
    return Invite(user=user, token=token, expires_at=expires_at)


def invite_new_partner_user(email: str, partner: Partner, actor: str) -> Invite:
    """Create a partner account without a password and return its invite (committed).

    The account gets a random password nobody knows: the person can only log in
    after choosing their own with the link.

    :raise ValidationFailed: on a bad e-mail. :raise Conflict: when the e-mail is used.
    """
    user = create_user(email, secrets.token_urlsafe(32), "partner", partner, actor=actor)
    return invite(user, actor)


def read_invite(token: str) -> User:
    """Return the user an invite token is for.

    :raise InvalidInvite: when it is forged, older than seven days, already
        used (the password changed since) or the account is no longer an
        active partner user.
    """
    try:
        payload = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except SignatureExpired:
        raise InvalidInvite(_("This invite link has expired; ask for a new one.")) from None
    except BadSignature:
        raise InvalidInvite(_("This invite link is not valid.")) from None
    user = db.session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    if user is None or user.role != "partner" or not user.active:
        raise InvalidInvite(_("This invite link is not valid."))
    if not hmac.compare_digest(str(payload.get("f", "")), _fingerprint(user)):
        raise InvalidInvite(_("This invite link has already been used; ask for a new one."))
    return user


def accept_invite(token: str, password: str) -> User:
    """Set the invited user's password and return the user (audit-logged, committed).

    :raise InvalidInvite: as :func:`read_invite`.
    :raise ValidationFailed: when the password is shorter than ten characters.
    """
    user = read_invite(token)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed({"password": _("The password must have at least %(n)d "
                                              "characters.", n=MIN_PASSWORD_LENGTH)})
    user.password_hash = hash_password(password)
    end_sessions(user)  # a link forwarded to someone else must not leave their sessions open
    user.last_login_at = utcnow()
    audit.append(user.email, "user.invite_accepted", "user", user.id, {"password_changed": True})
    db.session.commit()
    return user
