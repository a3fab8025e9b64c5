"""Accounts: creation, password checks, role changes. Every change is audit-logged."""
from __future__ import annotations

import re
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.auth.models import ROLES, User
from giveaway.auth.passwords import hash_password, needs_rehash, verify_password
from giveaway.db_types import utcnow
from giveaway.errors import Conflict, NotFound, ValidationFailed
from giveaway.extensions import db
from giveaway.partners.models import Partner

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def load_user(user_id: str) -> Optional[User]:
    """Flask-Login's loader: the active user of an ``id:version`` login id, or None.

    None too when the version is not the account's current one (logged out, password
    changed, deactivated since) or the id has the older form without a version.
    """
    number, sep, version = str(user_id).partition(":")
    if not sep or not number.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(number))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(user: User) -> None:
    """Make every session and remember-me cookie of ``user`` unusable (the caller commits)."""
    user.session_version = (user.session_version or 0) + 1


def actor_of(user: Optional[User]) -> str:
    """The name an audit record gives to whoever acted: an e-mail, or ``cli``."""
    return user.email if user is not None else "cli"


def _validate(email: str, password: Optional[str], role: str,
              partner: Optional[Partner]) -> dict[str, str]:
    errors = {}
    if not _EMAIL.match(email):
        errors["email"] = _("Enter a valid e-mail address.")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        errors["password"] = _("The password must have at least %(n)d characters.",
                               n=MIN_PASSWORD_LENGTH)
    if role not in ROLES:
        errors["role"] = _("Unknown role.")
    elif (role == "partner") != (partner is not None):
        errors["partner"] = _("A partner user belongs to exactly one partner; "
                              "other roles belong to none.")
    return errors


def create_user(email: str, password: str, role: str, partner: Optional[Partner] = None,
                actor: str = "cli") -> User:
    """Create an account and return it (committed).

    :raise ValidationFailed: on a bad e-mail, short password or role/partner mismatch.
    :raise Conflict: when the e-mail is already used.
    """
    email = email.strip().lower()
    errors = _validate(email, password, role, partner)
    if errors:
        raise ValidationFailed(errors)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Conflict(_("An account already uses the e-mail %(email)s.", email=email))
    user = User(email=email, password_hash=hash_password(password), role=role, partner=partner)
    db.session.add(user)
    db.session.flush()
    audit.append(actor, "user.create", "user", user.id,
                 {"email": email, "role": role, "partner": partner.slug if partner else None})
    db.session.commit()
    return user


def update_user(user: User, role: str, partner: Optional[Partner], active: bool,
                password: Optional[str], actor: str) -> User:
    """Change an account's role, partner, active flag and (optionally) password.

    A new password or a deactivation ends every session of the account.

    :raise ValidationFailed: as for :func:`create_user`.
    """
    errors = _validate(user.email, password, role, partner)
    if errors:
        raise ValidationFailed(errors)
    if password or (user.active and not active):
        end_sessions(user)
    user.role, user.partner, user.active = role, partner, active
    if password:
        user.password_hash = hash_password(password)
    audit.append(actor, "user.update", "user", user.id,
                 {"role": role, "partner": partner.slug if partner else None,
                  "active": active, "password_changed": bool(password)})
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> Optional[User]:
    """Return the active user with these credentials, or None (same timing either way)."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if not verify_password(user.password_hash if user else None, password):
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def change_own_password(user: User, current: str, new: str) -> User:
    """Set a new password after checking the current one; every other session ends
    (committed, audit-logged without the password).

    :raise ValidationFailed: ``current_password`` when it is wrong, ``new_password`` when
        the new one is too short.
    """
    if not verify_password(user.password_hash, current):
        raise ValidationFailed({"current_password": _("This is not your current password.")})
    if len(new) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed({"new_password": _(
            "The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)})
    user.password_hash = hash_password(new)
    end_sessions(user)
    audit.append(user.email, "user.password", "user", user.id, {"password_changed": True})
    db.session.commit()
    return user


def check_password(user: User, password: str) -> bool:
    """True when ``password`` is the user's current password."""
    return verify_password(user.password_hash, password)


def get_user(user_id: int) -> User:
    """Return the user with that id. :raise NotFound: when there is none."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def list_users() -> list[User]:
    """All accounts, by e-mail."""
    return list(db.session.scalars(sa.select(User).order_by(User.email)))
