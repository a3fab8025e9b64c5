"""Failed logins are limited per account and per address, with the wait shown; behind a
proxy the address comes from X-Forwarded-For only when PROXY_FIX_X_FOR says so."""
import re
from datetime import timedelta

import pytest
import time_machine
from werkzeug.middleware.proxy_fix import ProxyFix

from giveaway import create_app
from giveaway.db_types import utcnow
from giveaway.extensions import db
from conftest import PASSWORD, IsolatedClient

WRONG = "not the password"


def _login(client, email="staff@test.fr", password=WRONG, address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post("/login", data={"email": email, "password": password}, headers=headers)


def _wait_minutes(response) -> int:
    """The wait the page shows, in minutes (French: « Trop d'essais : réessayez dans N min. »)."""
    text = response.data.decode().replace("&#39;", "'")
    match = re.search(r"Trop d'essais : réessayez dans (\d+) min\.", text)
    assert match, text
    return int(match.group(1))


def test_an_account_waits_after_too_many_wrong_passwords(app, client):
    statuses = [_login(client).status_code for _ in range(10)]
    assert statuses == [200] * 10
    refused = _login(client, password=PASSWORD)  # even the right password waits
    assert refused.status_code == 429
    assert _wait_minutes(refused) == 15
    assert 840 < int(refused.headers["Retry-After"]) <= 900
    assert client.get("/partners/").status_code == 302  # not logged in
    # A colleague behind the same address is not locked out by those typos.
    assert _login(client, "admin@test.fr", PASSWORD).status_code == 302
    client.post("/logout")
    with time_machine.travel(utcnow() + timedelta(minutes=5)):
        assert _wait_minutes(_login(client, password=PASSWORD)) == 10
    with time_machine.travel(utcnow() + timedelta(minutes=16)):
        assert _login(client, password=PASSWORD).status_code == 302


def test_the_last_allowed_failure_already_says_how_long_to_wait(app, client):
    for _ in range(9):
        assert "Trop d" not in _login(client).data.decode()
    assert _wait_minutes(_login(client)) == 15


def test_an_address_trying_many_accounts_is_slowed(app, client):
    app.config["LOGIN_ADDRESS_LIMIT"] = "5 per 15 minutes"
    for i in range(5):
        assert _login(client, f"someone{i}@test.fr").status_code == 200
    refused = _login(client, "admin@test.fr", PASSWORD)
    assert refused.status_code == 429 and _wait_minutes(refused) == 15


def test_reauthentication_counts_for_the_account(app, client, auth):
    auth.login()
    for _ in range(10):
        assert client.post("/reauthenticate", data={"password": WRONG}).status_code == 200
    refused = client.post("/reauthenticate", data={"password": PASSWORD})
    assert refused.status_code == 429 and _wait_minutes(refused) == 15


@pytest.fixture
def second_app(app, tmp_path):
    """Build another app on the same database (closing its connections afterwards)."""
    made = []

    def build(**settings):
        made.append(_app_behind_proxy(app, tmp_path / str(len(made)), **settings))
        return made[-1]
    yield build
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def _app_behind_proxy(app, tmp_path, **settings):
    proxied = create_app({
        "TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
        "PASSWORD_HASH_PROFILE": "CHEAPEST", "HUEY_IMMEDIATE": True,
        "LOGIN_ADDRESS_LIMIT": "5 per 15 minutes", **settings,
    }, instance_path=str(tmp_path / "proxied"))
    proxied.test_client_class = IsolatedClient
    return proxied


def test_behind_a_configured_proxy_each_client_address_counts_apart(second_app):
    proxied = second_app(PROXY_FIX_X_FOR=1, PROXY_FIX_X_PROTO=1)
    assert isinstance(proxied.wsgi_app, ProxyFix)
    assert proxied.wsgi_app.x_for == 1 and proxied.wsgi_app.x_proto == 1
    client = proxied.test_client()
    for i in range(5):
        _login(client, f"someone{i}@test.fr", address="203.0.113.7")
    assert _login(client, "admin@test.fr", PASSWORD, address="203.0.113.7").status_code == 429
    assert _login(client, "admin@test.fr", PASSWORD, address="198.51.100.2").status_code == 302


def test_forwarded_headers_are_ignored_unless_configured(second_app):
    plain = second_app()
    assert not isinstance(plain.wsgi_app, ProxyFix)
    client = plain.test_client()
    for i in range(5):
        _login(client, f"someone{i}@test.fr", address="203.0.113.7")
    # Anyone can send X-Forwarded-For: without PROXY_FIX_X_FOR it changes nothing.
    assert _login(client, "admin@test.fr", PASSWORD, address="198.51.100.2").status_code == 429
