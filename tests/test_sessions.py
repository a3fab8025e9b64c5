"""Sessions can be revoked: logout, a password change and deactivation end every session.

Flask's session is a signed cookie, so "logging out" a copy of it needs a
server-side version: the login id is ``id:session_version``. Each test copies a
browser's cookies (the session, and the remember-me cookie alone, as a browser
restarted after closing would send), acts, then replays the copies.
"""
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from giveaway.auth import service
from giveaway.auth.models import User
from giveaway.extensions import db
from conftest import PASSWORD

STAFF_PAGE = "/partners/"
NEW_PASSWORD = "a brand new password"


def _user(email="staff@test.fr") -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _logged_in_browser(app, email="staff@test.fr"):
    browser = app.test_client()
    response = browser.post("/login", data={"email": email, "password": PASSWORD,
                                            "remember": "y"})
    assert response.status_code == 302
    return browser


def _copies(app, browser) -> dict:
    """Two new browsers: one with the session cookie only, one with the remember cookie only."""
    copies = {}
    for name in ("session", "remember_token"):
        cookie = browser.get_cookie(name)
        assert cookie is not None, name
        copy = app.test_client()
        copy.set_cookie(name, cookie.value)
        copies[name] = copy
    return copies


def _may_enter(browser) -> bool:
    response = browser.get(STAFF_PAGE)
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
        return False
    assert response.status_code == 200
    return True


def _logout(app, browser):
    assert browser.post("/logout").status_code == 302


def _admin_sets_password(app, browser):
    admin = _logged_in_browser(app, "admin@test.fr")
    user = _user()
    response = admin.post(f"/admin/users/{user.id}", data={
        "email": user.email, "role": "staff", "partner": "", "password": NEW_PASSWORD,
        "active": "y"})
    assert response.status_code == 302


def _user_changes_password(app, browser):
    response = browser.post("/account/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _may_enter(browser)  # the browser that changed it stays logged in


def _admin_deactivates(app, browser):
    admin = _logged_in_browser(app, "admin@test.fr")
    user = _user()
    response = admin.post(f"/admin/users/{user.id}", data={
        "email": user.email, "role": "staff", "partner": "", "password": ""})
    assert response.status_code == 302
    # Even once reactivated, the old cookies stay dead.
    service.update_user(_user(), "staff", None, True, None, actor="test")


@pytest.mark.parametrize("event", [_logout, _admin_sets_password, _user_changes_password,
                                   _admin_deactivates])
def test_old_session_and_remember_cookies_stop_working(app, event):
    browser = _logged_in_browser(app)
    copies = _copies(app, browser)
    assert all(_may_enter(copy) for copy in copies.values())  # the copies work before
    copies = _copies(app, browser)  # fresh copies (the remember copy logged itself in)
    event(app, browser)
    assert not _may_enter(copies["session"])
    assert not _may_enter(copies["remember_token"])


def test_logout_ends_the_sessions_of_other_browsers(app):
    laptop, phone = _logged_in_browser(app), _logged_in_browser(app)
    _logout(app, phone)
    assert not _may_enter(laptop)
    assert _may_enter(_logged_in_browser(app))  # logging in again works


def test_a_wrong_current_password_changes_nothing(app, client, auth):
    auth.login()
    version = _user().session_version
    response = client.post("/account/password", data={
        "current_password": "not my password", "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 200
    assert "pas votre mot de passe actuel." in response.data.decode()
    assert _user().session_version == version
    assert service.check_password(_user(), PASSWORD)


def test_a_login_id_without_version_is_refused(app, client):
    """Sessions made before versions existed held the bare id: they log in again."""
    with client.session_transaction() as session:
        session["_user_id"] = str(_user().id)
        session["_fresh"] = True
    assert not _may_enter(client)
    assert service.load_user(f"{_user().id}:{_user().session_version}") is not None
    for bad in ("", "x:0", "1:", f"{_user().id}:-1", None):
        assert service.load_user(bad) is None


def test_remember_me_lasts_at_most_30_days(app):
    browser = _logged_in_browser(app)
    cookie = browser.get_cookie("remember_token")
    expires = cookie.expires.replace(tzinfo=timezone.utc) if cookie.expires.tzinfo is None \
        else cookie.expires
    days = (expires - datetime.now(timezone.utc)).total_seconds() / 86400
    assert 29 < days <= 30
