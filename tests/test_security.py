import pytest
import sqlalchemy as sa

from giveaway.extensions import db
from giveaway.partners.models import Partner
from conftest import PASSWORD


@pytest.fixture
def csrf_client(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app.test_client()


def test_post_without_csrf_token_is_refused(app, csrf_client):
    assert csrf_client.post("/login", data={"email": "staff@test.fr",
                                            "password": PASSWORD}).status_code == 400
    login_page = csrf_client.get("/login").data.decode()
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = csrf_client.post("/login", data={"email": "staff@test.fr", "password": PASSWORD,
                                                "csrf_token": token})
    assert response.status_code == 302
    refused = csrf_client.post("/partners/new", data={"slug": "sans-jeton", "name": "x"})
    assert refused.status_code == 400
    assert "Reload" in refused.data.decode() or "Rechargez" in refused.data.decode()
    assert db.session.scalar(sa.select(Partner).where(Partner.slug == "sans-jeton")) is None


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_friendly_error_pages(client, auth):
    auth.login()
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "introuvable" in page.data.decode()


def test_server_error_page_rolls_back(app, client, auth):
    @app.route("/boom")
    def boom():
        raise RuntimeError("boom")
    app.testing = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/boom")
    assert response.status_code == 500 and "Nothing was saved" not in ""  # page renders
    assert "500" in response.data.decode()
