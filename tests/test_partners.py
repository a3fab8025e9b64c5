import sqlalchemy as sa

from giveaway.extensions import db
from giveaway.partners.models import Partner
from giveaway.partners.service import get_partner


def test_staff_registers_and_edits_a_partner(client, auth):
    auth.login()
    response = client.post("/partners/new", data={
        "slug": "ferme-du-haut", "name": "Ferme du Haut", "instagram_handle": "@ferme.du_haut",
        "contact": "a@b.fr", "description": "Fromages", "logo_url": "https://ex.fr/l.png"})
    assert response.status_code == 302
    partner = get_partner("ferme-du-haut")
    assert partner.instagram_handle == "ferme.du_haut"
    client.post("/partners/ferme-du-haut/edit", data={
        "slug": "changed", "name": "Ferme du Haut (bio)", "logo_url": ""})
    partner = get_partner("ferme-du-haut")
    assert partner.name == "Ferme du Haut (bio)" and partner.logo_url is None
    assert "Ferme du Haut (bio)" in client.get("/partners/").data.decode()


def test_duplicate_slug_and_bad_fields_are_refused(client, auth):
    auth.login()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Partner))
    for data in ({"slug": "vins-du-gers", "name": "Doublon"},
                 {"slug": "Pas Bon", "name": "x"},
                 {"slug": "ok-slug", "name": "x", "logo_url": "javascript:alert(1)"},
                 {"slug": "ok-slug", "name": "x", "instagram_handle": "bad handle!"}):
        response = client.post("/partners/new", data=data)
        assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Partner)) == before


def test_cli_adds_a_partner(runner):
    result = runner.invoke(args=["partner", "add", "miel-d-armagnac", "--name", "Miel d'Armagnac"])
    assert result.exit_code == 0, result.output
    assert get_partner("miel-d-armagnac").name == "Miel d'Armagnac"
    again = runner.invoke(args=["partner", "add", "miel-d-armagnac", "--name", "x"])
    assert again.exit_code == 1 and "miel-d-armagnac" in again.output
