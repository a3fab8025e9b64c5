"""The public pages in a real browser: the verifier speaks the page's language, and every
page reads on a 390 px wide phone without sideways scrolling, in French and in English.

Screenshots of each page go to ``$GIVEAWAY_SHOTS`` (default /tmp/shots/), named
``public-<page>-<language>.png``, for a human look.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from giveaway.contests import lifecycle
from giveaway.public.verifier_words import catalogue_words
from conftest import make_contest
from test_draws import drawn_contest

from .test_certificate_page import live_app  # noqa: F401  (fixture)

PHONE = {"width": 390, "height": 844}
SHOTS = Path(os.environ.get("GIVEAWAY_SHOTS", "/tmp/shots"))
LOCALES = {"fr": "fr-FR", "en": "en-GB"}


@pytest.fixture
def phone(browser: Browser, request) -> Iterator[callable]:
    """open(lang) -> a page 390 px wide whose browser asks for ``lang``; closed after."""
    contexts = []

    def open_page(lang: str) -> Page:
        context = browser.new_context(viewport=PHONE, locale=LOCALES[lang],
                                      device_scale_factor=1)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.errors = errors
        return page

    yield open_page
    for context in contexts:
        context.close()


def fits(page: Page, name: str, whole: bool = True) -> None:
    """Assert the page needs no sideways scroll at 390 px; keep a screenshot of it (of its
    first screen only when not ``whole``: the protocol is 40 screens long)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"public-{name}.png"), full_page=whole)
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 390.5)
        .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
    assert width <= 390, (name, width, wide)
    assert page.errors == []


def sentences(words: dict) -> set[str]:
    """The pieces of text (a space inside, 12+ characters) of the verifier's words."""
    texts = [*words["messages"].values(), *words["steps"].values(),
             *(form for plural in words["plurals"].values() for form in (plural["one"],
                                                                          plural["other"]))]
    pieces = {piece.strip() for text in texts for piece in re.split(r"%\(\w+\)s", text)}
    return {piece for piece in pieces if len(piece) >= 12 and " " in piece}


def run_verifier(page: Page) -> str:
    page.click("button[data-gdraw-verify]")
    page.wait_for_selector("#gdraw-verify-results[data-gdraw-verdict]", timeout=30_000)
    assert page.get_attribute("#gdraw-verify-results", "data-gdraw-verdict") == "verified"
    return page.inner_text("#gdraw-verify-results")


def test_the_verifier_speaks_the_language_of_the_page(live_app, phone):  # noqa: F811
    contest = drawn_contest()
    french, english = catalogue_words("fr"), catalogue_words("en")
    # pieces of one language found in no piece of the other ("K = HMAC(seed, T) =" is in both)
    only_english = {p for p in sentences(english) if not any(p in f for f in sentences(french))}
    only_french = {p for p in sentences(french) if not any(p in e for e in sentences(english))}

    page = phone("fr")
    page.goto(f"{live_app}/c/{contest.public_id}", wait_until="load")
    text = run_verifier(page)
    assert "VÉRIFIÉ : toutes les vérifications ont réussi" in text
    assert "Racine de Merkle : racine de Merkle " in text  # the step's name, then its line
    assert re.search(r"Vérifié en \d+,\d\d s\.", text)
    assert "Déclaration : d = H(canonique(D))" in text
    assert re.search(r"figées avant que l'aléa n'existe \(\d\d? \w+ \d{4} à \d\d:\d\d:\d\d "
                     r"UTC\+[12]\)", text), text  # a Paris time in words, not ISO 8601
    assert not [piece for piece in only_english if piece in text], text
    assert "merkle-root" not in text and "leaf-order" not in text  # codes stay in data-step
    fits(page, "certificate-verified-fr")

    page = phone("en")
    page.goto(f"{live_app}/c/{contest.public_id}", wait_until="load")
    text = run_verifier(page)
    assert "VERIFIED: every check passed" in text
    assert "Merkle root: Merkle root " in text
    assert re.search(r"Checked in \d+\.\d\d s\.", text)
    assert re.search(r"existed \(\d\d? [A-Z][a-z]+ \d{4} at \d\d:\d\d:\d\d CES?T\)", text), text
    assert not [piece for piece in only_french if piece in text], text
    fits(page, "certificate-verified-en")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_public_page_reads_on_a_phone(live_app, phone, lang):  # noqa: F811
    contest = drawn_contest()
    opened = make_contest(public_id="ouvert-" + "tres-long-identifiant-de-jeu")
    lifecycle.open_contest(opened, "test")
    page = phone(lang)
    base = f"{live_app}/c/{contest.public_id}"

    page.goto(base, wait_until="load")
    fits(page, f"certificate-{lang}")
    table = page.locator("table.public-results")
    assert table.count() == 1
    assert page.evaluate("""() => {  // the results table stays inside its column
        const table = document.querySelector('table.public-results');
        return table.getBoundingClientRect().right <=
               table.closest('section').getBoundingClientRect().right + 0.5 }""")

    page.fill("#handle", "participant_03")  # « Suis-je compté ? »
    page.click("section[aria-labelledby=lookup-title] button[type=submit]")
    page.wait_for_selector("#lookup-answer")
    fits(page, f"lookup-{lang}")

    page.goto(f"{live_app}/c/{opened.public_id}", wait_until="load")
    fits(page, f"commitment-{lang}")

    for name, path in (("verify", f"/c/verify?c={contest.public_id}"), ("verify-any", "/c/verify"),
                       ("protocol", "/c/verify/protocol")):
        page.goto(f"{live_app}{path}", wait_until="load")
        fits(page, f"{name}-{lang}", whole=name != "protocol")
