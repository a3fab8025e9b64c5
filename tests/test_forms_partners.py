"""The partner form: the identifier made from the name, every error in one round."""
import re

import pytest
import sqlalchemy as sa

from giveaway.extensions import db
from giveaway.partners.models import Partner
from giveaway.partners.service import PartnerData, create_partner, get_partner, slugify


@pytest.mark.parametrize("name, slug", [
    ("Domaine de l'Œil-de-Bœuf à Éauze", "domaine-de-l-oeil-de-boeuf-a-eauze"),
    ("  Ferme  du   HAUT !! ", "ferme-du-haut"),
    ("Straße & Cie — Ærø", "strasse-cie-aero"),
    ("Çà et là : 100 % bio", "ca-et-la-100-bio"),
    ("!!!", ""),
    ("a" * 70, "a" * 64),
    ("x" * 63 + " y", "x" * 63),  # never ends with a hyphen once cut
])
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_an_empty_identifier_is_made_from_the_name_and_unique(client, auth):
    auth.login()
    for _ in range(3):
        response = client.post("/partners/new", data={"name": "Vins du Gers", "slug": ""})
        assert response.status_code == 302
    slugs = set(db.session.scalars(sa.select(Partner.slug).where(Partner.name == "Vins du Gers")))
    assert slugs == {"vins-du-gers", "vins-du-gers-2", "vins-du-gers-3", "vins-du-gers-4"}
    create_partner(PartnerData(slug="", name="Ferme d'Éauze"), actor="test")
    assert get_partner("ferme-d-eauze").name == "Ferme d'Éauze"


def test_form_puts_the_name_first_and_suggests_the_identifier(client, auth):
    auth.login()
    page = client.get("/partners/new").get_data(as_text=True)
    assert page.index('name="name"') < page.index('name="slug"')
    assert re.search(r'<input[^>]*data-slug-from="name"[^>]*name="slug"|'
                     r'<input[^>]*name="slug"[^>]*data-slug-from="name"', page)
    assert "/static/js/forms.js" in page
    assert "Laissé vide, il est tiré du nom." in page
    edit = client.get("/partners/vins-du-gers/edit").get_data(as_text=True)
    assert "data-slug-from" not in edit and "readonly" in edit


def test_every_partner_error_in_one_round_each_on_its_field(client, auth):
    auth.login()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Partner))
    response = client.post("/partners/new", data={
        "name": "", "slug": "vins-du-gers", "instagram_handle": "bad handle!",
        "logo_url": "javascript:alert(1)"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    messages = re.findall(r'invalid-feedback[^>]*>([^<]+)<', page)
    assert len(messages) == 4  # name (form); identifier taken, handle, logo (service): together
    assert "https://" in " ".join(messages)
    # A taken identifier is said on its field, not in a flash, with the other problems.
    taken = client.post("/partners/new", data={"name": "Doublon", "slug": "vins-du-gers",
                                               "logo_url": "http://x.fr/l.png"})
    messages = re.findall(r'invalid-feedback[^>]*>([^<]+)<', taken.get_data(as_text=True))
    assert any("vins-du-gers" in m and "existe déjà" in m for m in messages)
    assert len(messages) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Partner)) == before


def test_a_name_without_letters_needs_an_identifier(client, auth):
    auth.login()
    page = client.post("/partners/new", data={"name": "!!!", "slug": ""}).get_data(as_text=True)
    assert "le nom ne contient aucune lettre" in page
