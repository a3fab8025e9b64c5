"""The staff winners page on a phone (390 px), in French, in headless Chromium.

No sideways scroll; the announcement is copied with the real handles; staff's own
follow check is refused without a justification (the French error on the field),
then recorded. Screenshots go to $GIVEAWAY_SHOTS (default /tmp/shots).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from giveaway.draws import followup
from giveaway.extensions import db
from conftest import PASSWORD
from test_privacy_winners import drawn

from .test_certificate_page import live_app  # noqa: F401  (the fixture)

SHOTS = Path(os.environ.get("GIVEAWAY_SHOTS", "/tmp/shots"))


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"winners-{name}.png"), full_page=True)


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def phone(browser: Browser, live_app):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR",
                                  base_url=live_app)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_app)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page, errors
    context.close()


def test_winners_page_on_a_phone(app, phone):
    page, errors = phone
    contest = drawn(winners=2, alternates=2, rules={"must_follow": "organiser"},
                    alcohol_prize=True)
    contest.prize_pickup_place = "l'Office de tourisme d'Auch"
    db.session.commit()
    first, second = followup.candidates(contest)[:2]

    page.goto("/login")
    page.fill("input[name=email]", "staff@test.fr")
    page.fill("input[name=password]", PASSWORD)
    page.click("[type=submit]:not(nav *)")
    page.goto("/contests/gagne/winners")
    assert "Aucun compte Instagram connecté" in page.content()
    assert no_sideways_scroll(page)
    shot(page, "1-page")

    page.click(f"#candidate-1 form[action$='/follow'] button[type=submit]")
    error = page.locator(f"#justification-{first.id}-error")
    assert error.inner_text().startswith("Indiquez comment et quand vous avez vérifié")
    assert no_sideways_scroll(page)
    error.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "winners-2-error.png"))

    page.check(f"#follows-{first.id}-yes")
    page.fill(f"#justification-{first.id}",
              "vérifié manuellement sur l'application le 3 décembre à 10 h")
    page.click(f"#candidate-1 form[action$='/follow'] button[type=submit]")
    assert "Votre vérification de l'abonnement est enregistrée." in page.content()
    assert "vérifié manuellement par staff@test.fr" in page.inner_text("#candidate-1")
    shot(page, "3-recorded")

    button = page.locator("[data-copy-target=announce]")
    button.scroll_into_view_if_needed()
    button.click()
    expect(button).not_to_have_text("Copier l'annonce")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert f"félicitations à @{first.handle} et @{second.handle} !" in copied
    page.locator("#messages").screenshot(path=str(SHOTS / "winners-4-messages.png"))
    assert "à retirer à l'Office de tourisme d'Auch" in page.input_value("#dm")
    assert errors == []
