import pytest

from giveaway.auth import service
from giveaway.auth.guards import LOGIN_TIME_KEY
from giveaway.auth.models import User
from giveaway.extensions import db
from giveaway.errors import Conflict, ValidationFailed
from conftest import PASSWORD, make_contest


def test_login_and_logout(client, auth):
    assert client.get("/").headers["Location"].startswith("/login")
    response = auth.login()
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert b"staff@test.fr" in client.get("/").data
    cookie = next(c for c in client._cookies.values() if c.key == "session")
    assert cookie.http_only and cookie.same_site == "Lax"
    auth.logout()
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused(client, auth):
    response = auth.login(password="wrong password")
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_logout_needs_post(client, auth):
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_login_is_rate_limited(client, auth):
    statuses = [auth.login(password="nope nope nope").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert auth.login().status_code == 429  # even the right password waits


def test_next_cannot_leave_the_site(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={target}",
                               data={"email": "staff@test.fr", "password": PASSWORD})
        assert response.headers["Location"] == "/"
        client.post("/logout")
    response = client.post("/login?next=/partners/",
                           data={"email": "staff@test.fr", "password": PASSWORD})
    assert response.headers["Location"] == "/partners/"


def test_inactive_account_cannot_log_in(app, client, auth):
    user = db.session.scalar(db.select(User).where(User.email == "staff@test.fr"))
    service.update_user(user, "staff", None, False, None, actor="test")
    auth.login()
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("path", ["/", "/partners/", "/contests/new", "/admin/users",
                                  "/contests/coffret-noel", "/partners/new"])
def test_partner_user_cannot_open_staff_pages(app, client, auth, path):
    make_contest()
    auth.login("wine@test.fr")
    response = client.get(path)
    if path == "/":
        assert response.headers["Location"] == "/dashboard/"
    else:
        assert response.status_code == 403


def test_staff_cannot_manage_accounts(client, auth):
    auth.login()
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data={"email": "x@test.fr", "role": "admin",
                                                 "password": "x" * 12}).status_code == 403
    assert db.session.scalar(db.select(User).where(User.email == "x@test.fr")) is None


def test_admin_creates_a_partner_user(client, auth):
    auth.login("admin@test.fr")
    response = client.post("/admin/users/new", data={
        "email": "New@Test.fr", "role": "partner", "partner": "canard-gascon",
        "password": "long enough password", "active": "y"})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "new@test.fr"))
    assert user.role == "partner" and user.partner.slug == "canard-gascon"
    assert user.password_hash.startswith("$argon2")


def test_admin_form_reports_role_partner_mismatch(client, auth):
    auth.login("admin@test.fr")
    response = client.post("/admin/users/new", data={
        "email": "p@test.fr", "role": "partner", "partner": "", "password": "long enough pw"})
    assert response.status_code == 200
    assert db.session.scalar(db.select(User).where(User.email == "p@test.fr")) is None


def test_service_refuses_duplicates_and_short_passwords(app):
    with pytest.raises(Conflict):
        service.create_user("STAFF@test.fr", PASSWORD, "staff")
    with pytest.raises(ValidationFailed) as info:
        service.create_user("short@test.fr", "short", "staff")
    assert "password" in info.value.errors


def test_opening_needs_a_recent_login(app, client, auth):
    make_contest()
    auth.login()
    with client.session_transaction() as session:
        session[LOGIN_TIME_KEY] -= app.config["FRESH_LOGIN_SECONDS"] + 1
    response = client.post("/contests/coffret-noel/open")
    assert response.status_code == 302 and "/reauthenticate" in response.headers["Location"]
    assert client.post("/reauthenticate", data={"password": "bad password"}).status_code == 200
    response = client.post("/reauthenticate?next=/contests/coffret-noel/open",
                           data={"password": PASSWORD})
    assert response.headers["Location"] == "/contests/coffret-noel/open"
    assert client.post("/contests/coffret-noel/open").status_code == 302
    from giveaway.contests.service import get_contest
    assert get_contest("coffret-noel").status == "open"
