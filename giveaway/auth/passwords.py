"""Argon2 password hashing, with the cost taken from the configuration."""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app


@lru_cache(maxsize=4)
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _current() -> PasswordHasher:
    return _hasher(current_app.config["PASSWORD_HASH_PROFILE"])


def hash_password(password: str) -> str:
    """Return the Argon2id hash of ``password``."""
    return _current().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown account (None) costs the same time."""
    hasher = _current()
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and \
            password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than the current ones."""
    return _current().check_needs_rehash(password_hash)


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not a real password")
