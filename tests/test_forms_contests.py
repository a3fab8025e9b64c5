"""The contest forms as staff use them: field order, every error in one round, the rules
template, prize delivery, the caption code after opening."""
import re

import pytest
import sqlalchemy as sa

from giveaway.contests import service
from giveaway.contests.checks import ContestData, contest_errors
from giveaway.contests.models import Contest, RulesVersion
from giveaway.contests.rules_template import french_rules
from giveaway.draws.commitment import caption_code, setup_of
from giveaway.errors import ValidationFailed
from giveaway.extensions import db
from conftest import make_contest
from test_contests import FORM


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def errors_under(page: str, field_id: str) -> list[str]:
    """The error messages shown under the field ``field_id``, in order."""
    start = page.index(f'id="{field_id}"')
    following = page[start:]
    nxt = re.search(r'<(?:h2|fieldset)|class="mb-3[^"]*"\s*>\s*<label', following[20:])
    block = following[:nxt.start() + 20] if nxt else following
    return re.findall(r'invalid-feedback[^>]*>([^<]+)<', block)


def test_save_comes_after_the_rules_and_partners_are_checkboxes(client, auth):
    auth.login()
    page = client.get("/contests/new").get_data(as_text=True)
    visible_save = page.index('id="submit"')
    assert page.index('name="rules_text"') < visible_save
    assert page.index('name="fill_rules"') < visible_save
    assert page.index('name="prize_delivery"') < page.index('name="winners"') < visible_save
    boxes = re.findall(r'<input[^>]*name="partner_slugs"[^>]*>', page)
    assert len(boxes) == 2 and all('type="checkbox"' in box for box in boxes)
    assert "multiple" not in page  # no Ctrl-click list
    # Enter in a field saves (the first submit button of the form), never fills the template.
    assert page.index('id="submit-default"') < page.index('name="fill_rules"')


def test_every_error_comes_in_one_round_each_on_its_field(client, auth):
    auth.login()
    response = client.post("/contests/new", data={
        **FORM, "title": "", "winners": "beaucoup", "organiser_handle": "pas un compte !",
        "closes_at": "2030-04-01T10:00", "partner_slugs": [],
        "post_urls": "https://www.instagram.com/p/Cabc123XYZ/\nhttps://exemple.fr/p/1\n\n"
                     "https://instagram.com/gers_tourisme/\nhttps://www.instagram.com/reel/"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert count(Contest) == 0 and count(RulesVersion) == 0
    # Form validators (title, winners) and service checks (the rest) in the same answer.
    assert errors_under(page, "title")
    assert errors_under(page, "winners")
    assert errors_under(page, "organiser_handle")
    assert "Choisissez au moins un partenaire." in page
    assert "La date de clôture doit être postérieure à la date d&#39;ouverture." in page
    posts = errors_under(page, "post_urls")
    assert [message.split(" :")[0] for message in posts] == ["Ligne 2", "Ligne 4", "Ligne 5"]
    assert "« https://exemple.fr/p/1 »" in posts[0]


def test_a_taken_public_id_is_said_on_its_field_with_the_other_errors(client, auth):
    make_contest(public_id="gagnez-un-panier-gascon")
    auth.login()
    page = client.post("/contests/new", data={**FORM, "winners": "0"}).get_data(as_text=True)
    assert "existe déjà" in errors_under(page, "public_id")[0]
    assert errors_under(page, "winners")
    assert count(Contest) == 1


def test_fill_with_the_template_saves_nothing_and_uses_the_fields(client, auth):
    auth.login()
    response = client.post("/contests/new", data={
        **FORM, "rules_text": "mon brouillon", "alcohol_prize": "y", "prize_delivery": "postal",
        "prize_description": "Six bouteilles de Floc", "closes_at": "", "fill_rules": "1"})
    assert response.status_code == 200 and count(Contest) == 0
    page = response.get_data(as_text=True)
    rules = re.search(r'<textarea[^>]*name="rules_text"[^>]*>(.*?)</textarea>', page, re.S)
    text = rules.group(1)
    assert "mon brouillon" not in text
    assert "« Gagnez un panier gascon »" in text and "Vins du Gers" in text
    assert "@gers_tourisme" in text and "Six bouteilles de Floc" in text
    assert "02/04/2030 à 10:00" in text and "au [à compléter]" in text  # no closing time yet
    assert "2 gagnants et 3 suppléants" in text
    assert "à consommer avec modération" in text and "voie postale" in text
    assert "invalid-feedback" not in page  # a template is not a save: no error yet
    assert "Le modèle de règlement est rempli" in page


def test_the_template_escapes_nothing_and_interprets_nothing(app):
    text = french_rules("Jeu {title} <b>", "@org", ["A & B"], None, None, "{prize}", 1, 0,
                        False, prize_delivery="pickup", pickup_place="Office d'Auch")
    assert "« Jeu {title} <b> »" in text and "A & B" in text and "{prize}" in text
    assert "1 gagnant et aucun suppléant" in text
    assert "retirer sur place : Office d'Auch" in text
    assert "alcool" not in text


def test_rules_page_offers_the_template_filled_from_the_contest(client, auth):
    make_contest(rules=None, alcohol_prize=True, prize_pickup_place="Maison du Gers, Auch")
    auth.login()
    page = client.get("/contests/coffret-noel/rules").get_data(as_text=True)
    assert "« Coffret de Noël »" in page and "Vins du Gers" in page
    assert "à consommer avec modération" in page and "Maison du Gers, Auch" in page
    assert count(RulesVersion) == 0  # offered, not saved
    detail = client.get("/contests/coffret-noel").get_data(as_text=True)
    assert "/contests/coffret-noel/rules" in detail


def test_rules_page_keeps_the_current_text_until_the_template_is_asked_for(client, auth):
    make_contest(rules="# Mon règlement")
    auth.login()
    page = client.get("/contests/coffret-noel/rules").get_data(as_text=True)
    assert "# Mon règlement" in page and "Article 1" not in page
    assert "template=1" in page
    templated = client.get("/contests/coffret-noel/rules?template=1").get_data(as_text=True)
    assert "Article 1" in templated and "# Mon règlement" not in templated
    assert service.get_contest("coffret-noel").current_rules.version == 1


@pytest.mark.parametrize("delivery, place, stored", [
    ("pickup", "  Office de tourisme d'Auch  ", "Office de tourisme d'Auch"),
    ("postal", "Office de tourisme d'Auch", ""),  # no place for a prize sent by post
])
def test_prize_delivery_is_saved_and_shown(client, auth, delivery, place, stored):
    auth.login()
    response = client.post("/contests/new", data={**FORM, "prize_delivery": delivery,
                                                  "prize_pickup_place": place})
    assert response.status_code == 302
    contest = service.get_contest("gagnez-un-panier-gascon")
    assert (contest.prize_delivery, contest.prize_pickup_place) == (delivery, stored)
    page = client.get("/contests/gagnez-un-panier-gascon").get_data(as_text=True)
    assert ("Envoi postal" if delivery == "postal" else
            "Retrait sur place : Office de tourisme d&#39;Auch") in page
    edit = client.post("/contests/gagnez-un-panier-gascon/edit", data={
        **FORM, "prize_delivery": "postal"})
    assert edit.status_code == 302
    assert service.get_contest("gagnez-un-panier-gascon").prize_delivery == "postal"


def test_an_unknown_delivery_is_refused(client, auth, app):
    auth.login()
    response = client.post("/contests/new", data={**FORM, "prize_delivery": "drone"})
    assert response.status_code == 200 and count(Contest) == 0
    with pytest.raises(ValidationFailed) as info:
        make_contest(prize_delivery="drone")
    assert "prize_delivery" in info.value.errors


def test_service_reports_every_bad_link_with_its_line(app):
    data = ContestData(title="x", public_id="x", organiser_handle="org", opens_at=None,
                       closes_at=None, partner_slugs=["vins-du-gers"],
                       post_urls=["bad", "", "https://www.instagram.com/p/Cabc123XYZ/", "also bad"])
    checked = contest_errors(data)
    assert [m.split(" :")[0] for m in checked.errors["post_urls"]] == ["Ligne 1", "Ligne 4"]
    assert set(checked.errors) == {"post_urls"}  # unreadable dates are the form's to report
    with pytest.raises(ValidationFailed) as info:
        make_contest(post_urls=["nope", "still nope"])
    assert "Ligne 1" in info.value.errors["post_urls"] and "Ligne 2" in info.value.errors[
        "post_urls"]


def test_long_post_links_wrap_on_the_contest_page(client, auth):
    make_contest(post_urls=["https://www.instagram.com/p/" + "C" * 60 + "/"])
    auth.login()
    page = client.get("/contests/coffret-noel").get_data(as_text=True)
    assert re.search(r'<li class="text-break"><a href="https://www.instagram.com/p/C{60}/"', page)


def test_the_caption_code_is_in_the_flash_and_on_the_page_with_a_copy_button(client, auth):
    make_contest()
    auth.login()
    response = client.post("/contests/coffret-noel/open", follow_redirects=True)
    page = response.get_data(as_text=True)
    contest = service.get_contest("coffret-noel")
    code = caption_code(setup_of(contest), contest.public_id)
    flash = re.search(r'<div class="alert alert-success" role="alert">([^<]*)</div>', page)
    assert code in flash.group(1) and "légende Instagram" in flash.group(1)
    assert f'id="caption-code">{code}</code>' in page
    assert 'data-copy-target="caption-code"' in page and "Copier le code" in page
    assert 'data-copied-label="Copié"' in page
    assert "/static/js/forms.js" in page


def test_editing_keeps_reorders_and_drops_posts(client, auth):
    auth.login()
    client.post("/contests/new", data=FORM)
    contest = service.get_contest("gagnez-un-panier-gascon")
    first_id = contest.posts[0].id
    response = client.post("/contests/gagnez-un-panier-gascon/edit", data={
        **FORM, "post_urls": "https://www.instagram.com/p/NewPost123/\n"
                             "https://www.instagram.com/p/Cabc123XYZ/"})
    assert response.status_code == 302
    posts = service.get_contest("gagnez-un-panier-gascon").posts
    assert [(p.shortcode, p.position) for p in posts] == [("NewPost123", 0), ("Cabc123XYZ", 1)]
    assert posts[1].id == first_id  # the same row, moved


@pytest.mark.parametrize("public_id", ["verify", "new"])
def test_a_public_id_that_a_page_already_uses_is_refused(client, auth, public_id):
    auth.login()
    page = client.post("/contests/new", data={**FORM, "public_id": public_id}).get_data(
        as_text=True)
    assert "adresse d’une page du site" in errors_under(page, "public_id")[0]
    assert count(Contest) == 0
