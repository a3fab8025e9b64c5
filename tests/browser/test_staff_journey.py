"""The whole staff journey in headless Chromium, in French, as the guide tells it.

A community manager logs in, finds the guide under « Aide », and runs a contest from start
to finish through the pages only: a partner, a contest with its rules from the template, its
eligibility rules, the opening (the code for the Instagram caption), a comment file with a bad
line (refused, the line named), then a file large enough to be imported in the background
(its progress bar seen half-way), the review (a filter by reason, one entry), a manual
exclusion with its justification, the close, the freeze, the draw on declared lottery values
a week later (after logging in again), the winners' follow-up, the public page (its
certificate verified in the browser) and its PDF.

Every page is read as a person reads it: no raw code, no English from the catalogue, no
« field: » prefix in a message (the checks of tests/test_i18n_pages.py); all the problems
found are reported together at the end. The key steps are photographed at 1280 px into the
test's tmp folder, and into ``docs/guide`` for the guide (docs/guide-fr.md) when
``GIVEAWAY_GUIDE_SCREENSHOTS=docs/guide`` is set (``make guide-screenshots``).

The app runs in a thread of this process (``live_app``), so time-machine moves its clock too:
the contest is prepared and opened the day before it opens, the comments come in three days
into it, and the draw happens once the declared lottery values exist (each time the session
has expired: she logs in again). Background jobs run in threads here
(:class:`~journey_kit.SlowWorker`) instead of inline.
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import sqlalchemy as sa
import time_machine
from babel.dates import format_date
from playwright.sync_api import Browser, Page, expect

from giveaway.contests.models import Contest
from giveaway.draws.commitment import default_lottery_time
from giveaway.extensions import db
from giveaway.harvest import import_runner
from conftest import PASSWORD, after_beacon

from .browser_kit import CHROMIUM, CHROMIUM_ARGS
from .journey_kit import VIEWPORT, FrenchOnly, Shots, SlowWorker, comments_file
from .test_certificate_page import live_app  # noqa: F401  (a fixture)

PARIS = ZoneInfo("Europe/Paris")
TITLE = "Panier gourmand du Gers"
HASHTAG = "gersgourmand"
CHEATER = "concours_malin_32"  # a real-looking entry the manager excludes by hand
STAFF = "staff@test.fr"


@pytest.fixture(scope="module")
def french_chromium(browser: Browser) -> Iterator[Browser]:
    """Chromium in French (its own words: the file picker, the date fields), when Debian's
    chromium-l10n is installed; in English otherwise (only the screenshots differ)."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--lang=fr-FR"], headless=True,
        env={**os.environ, "LANGUAGE": "fr", "LANG": "fr_FR.UTF-8"})
    yield chromium
    chromium.close()


@pytest.fixture
def page(french_chromium: Browser, live_app, tmp_path):  # noqa: F811
    context = french_chromium.new_context(locale="fr-FR", viewport=VIEWPORT, base_url=live_app,
                                          reduced_motion="reduce",  # no smooth scrolling
                                          permissions=["clipboard-read", "clipboard-write"])
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(f"{m.text} ({m.location.get('url')})")
           if m.type == "error" else None)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.console_errors = errors  # type: ignore[attr-defined]
    yield tab
    tab.screenshot(path=str(tmp_path / "last-page.png"), full_page=True)  # to see a failure
    context.close()


def local(moment: datetime) -> str:
    """``moment`` as a datetime-local field takes it (Paris wall-clock time, to the minute)."""
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def log_in(page: Page) -> None:
    page.get_by_label("Adresse e-mail").fill(STAFF)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_load_state()


def click(page: Page, role: str, name: str, exact: bool = True) -> None:
    """Click a link or button by its French name and wait for the next page."""
    page.get_by_role(role, name=name, exact=exact).first.click()
    page.wait_for_load_state()


def alert_text(page: Page) -> str:
    return " ".join(page.locator("main .alert").all_inner_texts())


class Journey:
    """One contest taken through the pages, step by step (the guide's ten steps)."""

    def __init__(self, page: Page, shots: Shots, french: FrenchOnly, now: datetime) -> None:
        self.page, self.shots, self.french = page, shots, french
        self.now = now
        self.opens = (now - timedelta(days=3)).replace(hour=10, minute=0)
        self.closes = (now + timedelta(days=4)).replace(hour=23, minute=59)
        self.public_id = ""

    def check(self, step: str) -> None:
        self.french.check(self.page, step)

    def back_later(self, url: str) -> None:
        """Open ``url`` days later: the session has expired, so log in again on the way."""
        page = self.page
        page.goto(url)
        if page.get_by_label("Adresse e-mail").count():
            self.check("connexion demandée, des jours plus tard")
            log_in(page)
        if page.get_by_role("heading", name="Confirmez votre mot de passe").count():
            self.check("mot de passe redemandé")
            page.get_by_label("Mot de passe").fill(PASSWORD)
            click(page, "button", "Confirmer")
        assert page.url.endswith(url), page.url  # back where she was going

    def prepare(self) -> None:
        """Steps 1 to 4, the day before the opening: partner, contest, rules, opening."""
        page = self.page
        page.goto("/login")
        self.check("connexion")
        log_in(page)
        click(page, "link", "Aide")  # the guide this journey illustrates
        expect(page.get_by_role("heading", name="Premier jeu-concours")).to_be_visible()
        expect(page.get_by_role("img", name="Le formulaire « Nouveau partenaire » rempli")
               ).to_be_visible()  # the guide's screenshots are served with it
        self.check("aide")

        # 1. A partner, its identifier suggested from its name.
        click(page, "link", "Partenaires")
        click(page, "link", "Nouveau partenaire")
        page.get_by_label("Nom", exact=True).press_sequentially("Domaine du Moulin")
        expect(page.get_by_label("Identifiant")).to_have_value("domaine-du-moulin")
        page.get_by_label("Compte Instagram").fill("domaine_du_moulin")
        page.get_by_label("Contact").fill("Marie Dupont, 05 62 00 00 00")
        self.check("nouveau partenaire")
        self.shots.take(page, "01-partenaire")
        click(page, "button", "Enregistrer")
        expect(page.get_by_role("link", name="Domaine du Moulin")).to_be_visible()
        self.check("liste des partenaires")

        # 2. The contest, its rules filled from the template, then saved.
        click(page, "link", "Jeux-concours")
        click(page, "link", "Nouveau jeu-concours")
        page.get_by_label("Titre").fill(TITLE)
        page.get_by_role("checkbox", name="Domaine du Moulin").check()
        page.get_by_label("Liens des publications").fill(
            "https://www.instagram.com/p/DGers2026aB/")
        page.get_by_label("Ouverture (heure de Paris)").fill(local(self.opens))
        page.get_by_label("Clôture (heure de Paris)").fill(local(self.closes))
        page.get_by_label("Lot", exact=True).fill(
            "Un panier gourmand : foie gras, confit de canard, croustade et tourtière")
        page.get_by_role("radio", name="Retrait sur place").check()
        page.get_by_label("Lieu de retrait").fill("Office de tourisme d'Auch, du lundi au samedi")
        click(page, "button", "Remplir avec le modèle")
        rules = page.get_by_label("Règlement (Markdown)")
        assert TITLE in rules.input_value() and "Domaine du Moulin" in rules.input_value()
        self.check("nouveau jeu-concours, règlement rempli")
        page.get_by_label("Titre").scroll_into_view_if_needed()
        self.shots.take(page, "02-jeu-concours")
        rules.scroll_into_view_if_needed()
        self.shots.take(page, "03-reglement")
        click(page, "button", "Enregistrer")
        assert f"« {TITLE} »" in alert_text(page)
        self.public_id = page.url.rstrip("/").rsplit("/", 1)[-1]
        self.check("jeu-concours en brouillon")

        # 3. Eligibility: a hashtag, one friend tagged, following the organiser.
        click(page, "link", "Éligibilité")
        page.get_by_label("Nombre minimal de mentions distinctes d'autres comptes").fill("1")
        page.get_by_label("Hashtags obligatoires").fill(f"#{HASHTAG}")
        page.get_by_label("Abonnement obligatoire à").select_option(label="L'organisateur")
        self.check("conditions de participation")
        self.shots.take(page, "04-conditions")
        click(page, "button", "Enregistrer les conditions")
        self.check("conditions enregistrées")

        # 4. Opening, on declared lottery values; the code for the caption and its copy button.
        page.goto(f"/contests/{self.public_id}")
        click(page, "link", "Ouvrir…")
        page.get_by_label("Aléa public").select_option(
            label="Valeurs publiques déclarées (par ex. un tirage de loterie)")
        lottery = default_lottery_time(self.closes.astimezone(UTC)).astimezone(PARIS)
        page.get_by_label("Valeurs publiques utilisées").fill(
            "EuroMillions du " + format_date(lottery, "EEEE d MMMM y", locale="fr"))
        self.check("ouverture")
        self.shots.take(page, "05-ouverture")
        click(page, "button", "Oui, ouvrir le jeu-concours")
        code = page.locator("#caption-code").inner_text()
        assert code.startswith("gdraw") and code in alert_text(page)  # in the flash, and below
        self.check("jeu-concours ouvert, code de légende")
        self.shots.take(page, "06-code-legende")
        page.get_by_role("button", name="Copier le code").click()
        expect(page.get_by_role("button", name="Copié")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == code

    def collect(self, worker: SlowWorker, threshold: int) -> None:
        """Step 5, three days after the opening: a file refused for one line, then a large
        file imported in the background, its progress bar seen half-way."""
        page = self.page
        self.back_later(f"/contests/{self.public_id}")
        click(page, "link", "Importer un fichier…")
        bad = (b"comment_id,user_id,username,text,created_at,parent_id\n"
               b"1,2,lea_auch,Je participe #" + HASHTAG.encode() + b" @hugo,"
               + self.opens.isoformat().encode() + b",\n3,4,hugo_condom,Moi aussi,hier soir,\n")
        page.get_by_label("Fichier de commentaires (CSV ou JSON)").set_input_files(
            files=[{"name": "export-mardi.csv", "mimeType": "text/csv", "buffer": bad}])
        click(page, "button", "Importer")
        error = page.locator("main .invalid-feedback, main .alert-danger").first
        expect(error).to_contain_text("3")  # the line of « hier soir »
        self.check("import refusé (ligne fautive)")
        self.shots.take(page, "07-import-erreur")

        rows = threshold + 400
        worker.expected = rows
        big = comments_file(self.opens, self.now - timedelta(minutes=5), rows, HASHTAG,
                            extra=[("17999000001", CHEATER, f"Je participe ! #{HASHTAG} "
                                                            "@lea_auch @hugo_condom")])
        page.get_by_label("Fichier de commentaires (CSV ou JSON)").set_input_files(
            files=[{"name": "export-instagram.csv", "mimeType": "text/csv", "buffer": big}])
        click(page, "button", "Importer")
        assert worker.halfway.wait(30), "the import never reported its progress"
        bar = page.get_by_role("progressbar")
        expect(bar).to_be_visible()
        expect(bar).to_have_attribute("aria-valuenow", re.compile(r"^[1-9][0-9]?$"))  # 1 to 99
        expect(page.locator("[data-progress-text]")).to_contain_text(
            "commentaires enregistrés sur")
        self.check("import en arrière-plan, à mi-chemin")
        self.shots.take(page, "08-import-progression")
        worker.release()
        expect(page.get_by_text(re.compile(r"^Terminé"))).to_be_visible(timeout=30_000)
        worker.join()
        self.check("import terminé")

    def review(self) -> None:
        """Steps 6 and 7: the totals, a filter by reason, one entry; a manual exclusion."""
        page = self.page
        click(page, "link", "Examiner les participations")
        expect(page.locator("#totals")).to_be_visible()
        page.get_by_label("Motif").select_option(label="hashtag manquant")
        click(page, "button", "Filtrer")
        rows_shown = page.locator("main table tbody tr")
        assert rows_shown.count() > 5
        expect(rows_shown.first).to_contain_text("Un hashtag obligatoire est absent.")
        self.check("vérification, filtrée par motif")
        self.shots.take(page, "09-verification")
        rows_shown.first.get_by_role("link").first.click()
        page.wait_for_load_state()
        expect(page.get_by_role("heading", name="Verdict")).to_be_visible()
        self.check("une participation exclue")

        page.goto(f"/contests/{self.public_id}/entries")
        page.get_by_label("Compte ou texte").fill(CHEATER)
        click(page, "button", "Filtrer")
        click(page, "link", f"@{CHEATER}")
        page.get_by_label("Décision", exact=True).select_option(
            label="Exclure cette participation")
        page.get_by_label("Justification", exact=False).fill(
            "Compte créé la veille, sans publication : il participe à tous les jeux du "
            "département sous plusieurs noms.")
        click(page, "button", "Enregistrer la décision")
        expect(page.locator("main")).to_contain_text("Compte créé la veille")
        self.check("exclusion manuelle enregistrée")
        page.get_by_role("heading", name="Décisions manuelles").scroll_into_view_if_needed()
        self.shots.take(page, "10-exclusion")

    def close_and_freeze(self) -> None:
        """Step 8: close to entries, then freeze them (before the lottery draws)."""
        page = self.page
        page.goto(f"/contests/{self.public_id}")
        self.check("jeu-concours ouvert, avec ses participations")
        click(page, "link", "Clore les participations…")
        self.check("confirmer la clôture")
        click(page, "button", "Oui, clore le jeu-concours")
        self.check("jeu-concours clos")
        click(page, "link", "Figer les participations…")
        self.check("confirmer le figeage")
        self.shots.take(page, "11-figeage")
        click(page, "button", "Oui, figer les participations")
        expect(page.get_by_role("link", name="Tirer au sort…")).to_be_visible()
        self.check("participations figées")

    def draw_and_follow_up(self) -> None:
        """Steps 9 and 10, once the lottery has drawn: the draw on its numbers, staff's own
        follow check, the first winner contacted, the public page (verified) and the PDF."""
        page = self.page
        self.back_later(f"/contests/{self.public_id}/draw")
        page.get_by_label("Valeurs publiques déclarées").fill("03 17 22 40 48 / 02 09")
        self.check("tirage")
        self.shots.take(page, "12-tirage")
        click(page, "button", "Oui, lancer le tirage")
        self.check("après le tirage")

        if not page.get_by_role("heading", name=re.compile("^Gagnants et suppléants")).count():
            click(page, "link", "Gagnants")
        winner = page.locator("#candidate-1")
        winner.get_by_role("radio", name="oui").check()
        winner.get_by_label("Comment et quand", exact=False).fill(
            "vérifié dans l'application Instagram, le jour du tirage à 10 h")
        winner.get_by_role("button", name="Enregistrer ma vérification").click()
        page.wait_for_load_state()
        winner = page.locator("#candidate-1")
        winner.get_by_label("Nouvel état", exact=False).select_option(label="contacté")
        winner.get_by_role("button", name="Enregistrer").click()
        page.wait_for_load_state()
        expect(page.locator("#candidate-1")).to_contain_text("contacté")
        self.check("suivi des gagnants")
        page.evaluate("window.scrollTo(0, 0)")
        self.shots.take(page, "13-gagnants")

        click(page, "link", "Certificat public", exact=False)
        expect(page.get_by_role("heading", name=TITLE, exact=False).first).to_be_visible()
        self.check("page publique")
        page.evaluate("document.getElementById('result-title').scrollIntoView()")
        page.mouse.wheel(0, -60)
        self.shots.take(page, "14-page-publique")
        page.get_by_role("button", name="Vérifier dans ce navigateur").click()
        verdict = page.locator("#gdraw-verify-results[data-gdraw-verdict]")
        expect(verdict).to_have_attribute("data-gdraw-verdict", "verified", timeout=20_000)
        self.check("page publique, certificat vérifié")
        page.evaluate("document.getElementById('gdraw-verify-results').scrollIntoView()")
        page.mouse.wheel(0, -120)
        self.shots.take(page, "15-certificat")

        response = page.request.get(page.get_by_role("link", name="PDF").get_attribute("href"))
        assert response.ok and response.headers["content-type"].startswith("application/pdf")
        data = response.body()
        assert data.startswith(b"%PDF-")
        document = pypdfium2.PdfDocument(data)
        text = "\n".join(document[i].get_textpage().get_text_range()
                         for i in range(len(document)))
        document.close()
        assert TITLE in " ".join(text.split())
        self.french.check_text(text, "certificat PDF")


def test_a_contest_from_start_to_finish_in_french(app, page, monkeypatch, tmp_path):
    shots, french = Shots(tmp_path), FrenchOnly()
    worker = SlowWorker(app)
    worker.install(monkeypatch, import_runner, app.extensions["huey_tasks"])
    now = datetime.now(PARIS).replace(second=0, microsecond=0)
    journey = Journey(page, shots, french, now)
    # She prepares and opens the contest the day before it opens…
    with time_machine.travel((journey.opens - timedelta(hours=22)).astimezone(UTC), tick=True):
        journey.prepare()
    # … collects and reviews the comments three days into it, closes early and freezes…
    journey.collect(worker, app.config["IMPORT_BACKGROUND_ROWS"])
    journey.review()
    journey.close_and_freeze()
    # … and draws once the lottery has drawn, a few days later.
    with after_beacon(db.session.scalar(sa.select(Contest).filter_by(public_id=journey.public_id))):
        journey.draw_and_follow_up()

    assert not page.console_errors, page.console_errors  # type: ignore[attr-defined]
    assert not french.problems, (f"{len(french.problems)} problems on "
                                 f"{len(french.seen)} pages:\n" + "\n".join(french.problems))
