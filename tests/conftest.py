"""Fixtures in the flaskr style: ``app``, ``client``, ``runner`` and ``auth``.

Each test gets a fresh database: a SQLite file in a temporary folder, or, when
``GIVEAWAY_TEST_DATABASE_URI`` is set (CI sets it to the machine's PostgreSQL),
that database with every table dropped and created again.
"""
from __future__ import annotations

import contextlib
import contextvars
import os
from datetime import timedelta

import pytest
import time_machine
from flask import has_app_context
from flask.testing import FlaskClient

from giveaway import create_app
from giveaway.auth.service import create_user
from giveaway.contests.service import ContestData, create_contest
from giveaway.db_types import utcnow
from giveaway.extensions import db
from giveaway.partners.service import PartnerData, create_partner

pytest_plugins = ["conftest_tsa"]

PASSWORD = "correct horse battery"
TEST_DATABASE_URI = os.environ.get("GIVEAWAY_TEST_DATABASE_URI")


class IsolatedClient(FlaskClient):
    """A test client whose requests run in their own app context, as in production.

    The ``app`` fixture keeps an app context pushed for the test's own database
    work; without this, every request would share it (and its ``g``, cached
    locale and logged-in user), hiding bugs. After each request the test's
    session forgets what it had loaded, so it sees what the request wrote.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)  # streamed bodies run inside the request's context
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture
def app(tmp_path):
    uri = TEST_DATABASE_URI or f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": uri,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "WTF_CSRF_ENABLED": False,  # tests/test_security.py runs with CSRF on
        "ORGANISER_HANDLE": "gers_tourisme",
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "HUEY_IMMEDIATE": True,
        "IG_DELAY_RANGE": None,
        "TSA_URLS": (),  # no test reaches a real authority; tests/conftest_tsa.py has a local one
    }, instance_path=str(tmp_path / "instance"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_accounts()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def seed_accounts() -> None:
    """An admin, a staff member, two partners with one user each."""
    wine = create_partner(PartnerData(slug="vins-du-gers", name="Vins du Gers",
                                      instagram_handle="vins_du_gers"), actor="test")
    duck = create_partner(PartnerData(slug="canard-gascon", name="Canard gascon"), actor="test")
    create_user("admin@test.fr", PASSWORD, "admin")
    create_user("staff@test.fr", PASSWORD, "staff")
    create_user("wine@test.fr", PASSWORD, "partner", wine)
    create_user("duck@test.fr", PASSWORD, "partner", duck)


def make_contest(public_id: str = "coffret-noel", partner: str = "vins-du-gers",
                 rules: str | None = "# Règlement\nUn gagnant.", **overrides):
    """Create a draft contest closing in a week; keyword arguments override ContestData."""
    now = utcnow().replace(microsecond=0)
    values = dict(title="Coffret de Noël", public_id=public_id, organiser_handle="gers_tourisme",
                  opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=7),
                  partner_slugs=[partner], post_urls=["https://www.instagram.com/p/Cabc123XYZ/"],
                  prize_description="Un coffret", winners=1, alternates=2)
    values.update(overrides)
    return create_contest(ContestData(**values), actor="test", rules_text=rules)


@contextlib.contextmanager
def after_beacon(contest, minutes: int = 1):
    """Run the block as if the contest's declared randomness existed ``minutes`` ago."""
    from giveaway.draws.commitment import setup_of
    from giveaway.draws.freeze import beacon_time
    with time_machine.travel(beacon_time(setup_of(contest)) + timedelta(minutes=minutes),
                             tick=True):
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str = "staff@test.fr", password: str = PASSWORD):
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)
