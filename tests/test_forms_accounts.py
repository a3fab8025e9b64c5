"""Partner accounts: created with an invitation (no password), the partner preselected,
help texts that fit, a link and a message ready to send."""
import html
import re

import sqlalchemy as sa

from giveaway.audit.models import AuditRecord
from giveaway.auth.models import User
from giveaway.extensions import db
from conftest import PASSWORD


def user(email: str):
    return db.session.scalar(sa.select(User).where(User.email == email))


def textarea(page: str, field_id: str) -> str:
    found = re.search(rf'<textarea[^>]*id="{field_id}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1))


def test_a_partner_account_is_created_with_an_invitation_and_no_password(client, auth):
    auth.login("admin@test.fr")
    response = client.post("/admin/users/new", data={
        "email": "Marie@Canard-Gascon.fr", "role": "partner", "partner": "canard-gascon",
        "setup": "invite", "password": "", "active": "y"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    link = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', page).group(1)
    assert link.startswith("http://localhost/dashboard/invite/")
    message = textarea(page, "invite-message")
    assert message.startswith("Bonjour,") and link in message
    assert "Canard gascon" in message and "marie@canard-gascon.fr" in message
    assert re.search(r"jusqu'au \w+ \d+(er)? \w+ 20\d\d à \d+ h \d\d :", message)  # its expiry
    assert "Aucun nom de compte ni aucun commentaire de participant" in message  # what they see
    assert 'data-copy-target="invite-message"' in page and 'data-copy-target="invite-link"' in page
    assert "mailto:" in page and "&#39;" not in page.split("mailto:")[1].split('"')[0]
    created = user("marie@canard-gascon.fr")
    assert created.role == "partner" and created.partner.slug == "canard-gascon"
    actions = list(db.session.scalars(sa.select(AuditRecord.action).order_by(AuditRecord.seq)))
    assert actions[-2:] == ["user.create", "user.invite"]
    auth.logout()
    # Nobody can log in before the link is used; the link sets the password, once.
    assert auth.login("marie@canard-gascon.fr", "").status_code == 200
    token = link.rsplit("/", 1)[1]
    chosen = "mon mot de passe à moi"
    done = client.post(f"/dashboard/invite/{token}", data={"password": chosen, "confirm": chosen})
    assert done.status_code == 302
    client.post("/logout")
    assert auth.login("marie@canard-gascon.fr", chosen).status_code == 302
    client.post("/logout")
    assert client.get(f"/dashboard/invite/{token}").status_code == 400  # one-time


def test_create_one_preselects_the_partner_and_the_invitation(client, auth):
    auth.login("admin@test.fr")
    users_page = client.get("/dashboard/partners/canard-gascon/users").get_data(as_text=True)
    assert 'href="/admin/users/new?partner=canard-gascon"' in users_page
    page = client.get("/admin/users/new?partner=canard-gascon").get_data(as_text=True)
    assert re.search(r'<option selected value="partner">|<option value="partner" selected>', page)
    assert re.search(r'<option selected value="canard-gascon">|'
                     r'<option value="canard-gascon" selected>', page)
    assert re.search(r'<input checked[^>]*value="invite"|<input[^>]*value="invite"[^>]*checked',
                     page)
    assert "Laissez vide" not in page  # the help text of an existing account only
    plain = client.get("/admin/users/new").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="password"|<input[^>]*value="password"'
                     r'[^>]*checked', plain)  # staff by default: a password
    unknown = client.get("/admin/users/new?partner=nobody").get_data(as_text=True)
    assert not re.search(r'selected value="partner"|value="partner" selected', unknown)
    wine = user("wine@test.fr")
    edit = client.get(f"/admin/users/{wine.id}").get_data(as_text=True)
    assert "Laissez vide pour conserver le mot de passe actuel." in edit
    assert 'name="setup"' not in edit


def test_every_account_error_in_one_round(client, auth):
    auth.login("admin@test.fr")
    page = client.post("/admin/users/new", data={
        "email": "pas-une-adresse", "role": "staff", "partner": "", "setup": "invite"}
    ).get_data(as_text=True)
    messages = re.findall(r'invalid-feedback[^>]*>([^<]+)<', page)
    assert any("adresse e-mail valide" in m for m in messages)
    assert any("réservée aux comptes partenaires" in m for m in messages)
    page = client.post("/admin/users/new", data={
        "email": "staff@test.fr", "role": "partner", "partner": "", "setup": "password",
        "password": "court"}).get_data(as_text=True)
    messages = re.findall(r'invalid-feedback[^>]*>([^<]+)<', page)
    assert len(messages) == 3  # e-mail taken, no partner, password too short
    assert user("pas-une-adresse") is None


def test_a_staff_account_needs_a_password_and_ignores_a_hidden_partner(client, auth):
    auth.login("admin@test.fr")
    missing = client.post("/admin/users/new", data={
        "email": "new@test.fr", "role": "staff", "partner": "", "setup": "password"})
    assert missing.status_code == 200 and user("new@test.fr") is None
    assert "Saisissez un mot de passe d&#39;au moins 10 caractères." in missing.get_data(
        as_text=True)
    created = client.post("/admin/users/new", data={
        "email": "new@test.fr", "role": "staff", "partner": "canard-gascon", "setup": "password",
        "password": PASSWORD, "active": "y"})
    assert created.status_code == 302
    assert user("new@test.fr").partner is None and user("new@test.fr").role == "staff"


def test_the_invite_link_of_an_existing_user_comes_with_the_message(client, auth):
    wine = user("wine@test.fr")
    auth.login()
    page = client.post(f"/dashboard/users/{wine.id}/invite").get_data(as_text=True)
    message = textarea(page, "invite-message")
    link = re.search(r'value="(http://localhost/dashboard/invite/[^"]+)"', page).group(1)
    assert link in message and "Vins du Gers" in message
    assert "Copier le message" in page
