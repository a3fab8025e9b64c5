"""The staff forms in headless Chromium, in French, on a laptop (1280 px) and a phone (390 px).

The real app runs on 127.0.0.1 (``live_app``); each test logs in through the
login form and uses the forms as a person would: the new-contest form (field
order, checkboxes, every error in one round, the rules template), the partner
form (identifier suggested while typing the name), the contest page (long post
links wrap; the caption code copies) and the account form (an invitation, no
password, then a message ready to send). Screenshots go to ``$GIVEAWAY_SHOTS``
(default /tmp/shots) as forms-*.png, for people to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from giveaway.contests import lifecycle
from conftest import PASSWORD, make_contest

from .test_certificate_page import live_app  # noqa: F401  (a fixture)

SHOTS = Path(os.environ.get("GIVEAWAY_SHOTS", "/tmp/shots"))
WIDTHS = {"laptop": 1280, "phone": 390}


@pytest.fixture(params=sorted(WIDTHS))
def width(request) -> str:
    return request.param


@pytest.fixture
def context(browser: Browser, width: str) -> Iterator[BrowserContext]:
    made = browser.new_context(locale="fr-FR", viewport={"width": WIDTHS[width], "height": 900},
                               permissions=["clipboard-read", "clipboard-write"])
    yield made
    made.close()


def logged_in(context: BrowserContext, base: str, email: str = "staff@test.fr") -> Page:
    """A page of ``context`` logged in as ``email``, failing on any console error."""
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and
            "favicon" not in (m.location.get("url") or "") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors  # type: ignore[attr-defined]
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()
    return page


def shot(page: Page, name: str, width: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"forms-{name}-{width}.png"), full_page=True)


WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  return [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > limit + 1)
    .slice(-3).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 60));
}"""


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - "
                             "document.documentElement.clientWidth")
    assert overflow <= 0, (f"the page scrolls sideways by {overflow} px",
                           page.evaluate(WIDEST))


def test_new_contest_form_reads_in_order_and_reports_every_error_at_once(live_app, context,
                                                                         width):
    page = logged_in(context, live_app)
    page.goto(f"{live_app}/contests/new")
    rules = page.get_by_label("Règlement (Markdown)")
    save = page.get_by_role("button", name="Enregistrer", exact=True)
    assert save.bounding_box()["y"] > rules.bounding_box()["y"]  # the button comes last
    assert page.get_by_role("checkbox", name="Vins du Gers").is_visible()  # no Ctrl-click list
    assert page.locator("select[multiple]").count() == 0
    page.get_by_label("Titre").fill("Gagnez un coffret de Floc")
    page.get_by_role("checkbox", name="Vins du Gers").check()
    page.get_by_label("Liens des publications").fill(
        "https://www.instagram.com/p/Cabc123XYZ/\nhttps://exemple.fr/p/1\n\n"
        "https://instagram.com/gers_tourisme/")
    page.get_by_label("Ouverture (heure de Paris)").fill("2030-04-02T10:00")
    page.get_by_label("Clôture (heure de Paris)").fill("2030-04-01T10:00")
    page.get_by_label("Compte Instagram de l'organisateur").fill("pas un compte !")
    save.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    # All the problems in one round, each under its field; each bad link with its line.
    assert "Ligne 2 : « https://exemple.fr/p/1 »" in text
    assert "Ligne 4 : « https://instagram.com/gers_tourisme/ »" in text
    assert "La date de clôture doit être postérieure à la date d'ouverture." in text
    assert page.locator("#organiser_handle.is-invalid").count() == 1
    shot(page, "contest-errors", width)
    no_sideways_scroll(page)

    # The template, filled from the fields, with the Loi Evin clause for alcohol.
    page.get_by_label("Clôture (heure de Paris)").fill("2030-04-09T23:59")
    page.get_by_label("Le lot est une boisson alcoolisée", exact=False).check()
    page.get_by_label("Lot", exact=True).fill("Six bouteilles de Floc de Gascogne")
    page.get_by_role("radio", name="Envoi postal").check()
    assert page.get_by_label("Lieu de retrait").is_hidden()  # only for a pick-up
    page.get_by_role("button", name="Remplir avec le modèle").click()
    page.wait_for_load_state()
    rules_text = page.get_by_label("Règlement (Markdown)").input_value()
    assert "« Gagnez un coffret de Floc »" in rules_text and "Vins du Gers" in rules_text
    assert "Six bouteilles de Floc de Gascogne" in rules_text
    assert "02/04/2030 à 10:00" in rules_text and "à consommer avec modération" in rules_text
    assert "voie postale" in rules_text
    assert page.get_by_label("Titre").input_value() == "Gagnez un coffret de Floc"  # kept
    shot(page, "contest-template", width)
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_partner_identifier_is_suggested_from_the_name(live_app, context, width):
    page = logged_in(context, live_app)
    page.goto(f"{live_app}/partners/new")
    name, slug = page.get_by_label("Nom"), page.get_by_label("Identifiant")
    name.press_sequentially("Domaine de l'Œil-de-Bœuf à Éauze")
    assert slug.input_value() == "domaine-de-l-oeil-de-boeuf-a-eauze"
    slug.fill("oeil-de-boeuf")  # the person's own choice is kept
    name.press("End")
    name.press_sequentially(" (bio)")
    assert slug.input_value() == "oeil-de-boeuf"
    shot(page, "partner", width)
    no_sideways_scroll(page)
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_contest_page_wraps_long_links_and_copies_the_caption_code(app, live_app, context,
                                                                   width):
    long_url = "https://www.instagram.com/p/" + "C" * 60 + "/"
    contest = make_contest(post_urls=[long_url, "https://www.instagram.com/reel/DxYz987_-a/"],
                           prize_delivery="pickup",
                           prize_pickup_place="Office de tourisme d'Auch, du lundi au vendredi")
    lifecycle.open_contest(contest, "test")
    page = logged_in(context, live_app)
    page.goto(f"{live_app}/contests/coffret-noel")
    no_sideways_scroll(page)
    code = page.locator("#caption-code").inner_text()
    assert code.startswith("gdraw")
    button = page.get_by_role("button", name="Copier le code")
    button.click()
    page.get_by_role("button", name="Copié").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code
    assert "Retrait sur place : Office de tourisme d'Auch" in page.locator("main").inner_text()
    shot(page, "contest-page", width)
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_partner_account_by_invitation_without_a_password(live_app, context, width):
    page = logged_in(context, live_app, "admin@test.fr")
    page.goto(f"{live_app}/dashboard/partners/canard-gascon/users")
    page.get_by_role("link", name="Ajouter un compte pour Canard gascon").click()
    page.wait_for_load_state()
    assert page.get_by_label("Rôle").input_value() == "partner"
    assert page.get_by_label("Partenaire", exact=True).input_value() == "canard-gascon"
    assert page.get_by_role("radio", name="Envoyer une invitation", exact=False).is_checked()
    assert page.get_by_label("Mot de passe", exact=True).is_hidden()
    assert "Laissez vide" not in page.locator("main").inner_text()
    shot(page, "account-new", width)
    page.get_by_label("E-mail").fill("marie@canard-gascon.fr")
    page.get_by_role("button", name="Créer le compte").click()
    page.wait_for_load_state()
    link = page.get_by_label("Lien d'invitation").input_value()
    assert "/dashboard/invite/" in link
    message = page.get_by_label("Message prêt à envoyer").input_value()
    assert link in message and "Canard gascon" in message and "une fois" in message
    assert "jusqu'au" in message and "marie@canard-gascon.fr" in message
    page.get_by_role("button", name="Copier le message").click()
    page.get_by_role("button", name="Copié").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == message
    shot(page, "account-invite", width)
    no_sideways_scroll(page)
    # Staff role: no invitation possible, a password field instead.
    page.goto(f"{live_app}/admin/users/new")
    assert page.get_by_role("radio", name="Définir un mot de passe", exact=False).is_checked()
    assert page.get_by_label("Mot de passe", exact=True).is_visible()
    page.get_by_label("Rôle").select_option("partner")
    assert page.get_by_role("radio", name="Envoyer une invitation", exact=False).is_checked()
    assert page.get_by_label("Mot de passe", exact=True).is_hidden()
    assert page.console_errors == []  # type: ignore[attr-defined]
