"""Helpers of the staff journey test: screenshots for the guide, the French-only checks, the
comment file, and a stand-in for the background worker.

- :class:`Shots` saves the key steps at 1280 px into pytest's tmp folder and, when
  ``GIVEAWAY_GUIDE_SCREENSHOTS`` names a folder (``make guide-screenshots`` sets it to
  ``docs/guide``), into that folder too, reduced to 256 colours to keep the repository small.
- :class:`FrenchOnly` reads every page the journey sees with the checks of
  ``tests/test_i18n_pages.py`` (raw codes, English fragments of the catalogue, « field: »
  prefixes in messages) and keeps every problem, page by page, for one assertion at the end.
- :class:`SlowWorker` runs background jobs in a thread of the test process, as the worker
  would, and holds a large import half-way so that the page can be seen with its bar moving.
"""
from __future__ import annotations

import csv
import io
import os
import random
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from markupsafe import escape
from playwright.sync_api import Page

from test_i18n_pages import catalogue_fragments, problems_of

ROOT = Path(__file__).resolve().parents[2]
GUIDE_ENV = "GIVEAWAY_GUIDE_SCREENSHOTS"
VIEWPORT = {"width": 1280, "height": 800}


class Shots:
    """Screenshots of the visible part of the page (not the full page: they illustrate a step).

    :param tmp: always written there (pytest's tmp folder), whatever the environment says.
    """

    def __init__(self, tmp: Path) -> None:
        self.folders = [tmp]
        guide = os.environ.get(GUIDE_ENV)
        self.guide = (ROOT / guide) if guide and not Path(guide).is_absolute() else (
            Path(guide) if guide else None)
        if self.guide is not None:
            self.guide.mkdir(parents=True, exist_ok=True)
        self.taken: list[str] = []

    def take(self, page: Page, name: str) -> None:
        """Save the viewport as ``<name>.png`` (and into the guide's folder, if asked)."""
        data = page.screenshot(type="png")
        (self.folders[0] / f"{name}.png").write_bytes(data)
        if self.guide is not None:
            (self.guide / f"{name}.png").write_bytes(small_png(data))
        self.taken.append(name)


def small_png(data: bytes) -> bytes:
    """The PNG reduced to an adaptive palette of 256 colours (a UI screenshot loses nothing
    visible, and weighs about a third)."""
    from PIL import Image
    with Image.open(io.BytesIO(data)) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
        out = io.BytesIO()
        reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


class FrenchOnly:
    """The pages the journey sees, read as a person reads them, in French."""

    def __init__(self) -> None:
        self.fragments = catalogue_fragments()
        self.problems: list[str] = []
        self.seen: list[str] = []

    def check(self, page: Page, step: str) -> None:
        """Record what is wrong with the page shown now (``step`` names it in the report)."""
        label = f"{step} ({page.url.split('//', 1)[-1].split('/', 1)[-1] or '/'})"
        self.seen.append(label)
        self.problems += problems_of(label, "fr", page.content(), self.fragments, [])

    def check_text(self, text: str, step: str) -> None:
        """Record what is wrong with a text that is not a page (the PDF's), read as French."""
        self.seen.append(step)
        html = f"<html lang='fr'><body><p>{escape(text)}</p></body></html>"
        self.problems += problems_of(step, "fr", html, self.fragments, [])


# ------------------------------------------------------------------------------------------
FIRST_NAMES = ["camille", "lea", "hugo", "manon", "lucas", "chloe", "louis", "jade", "gabriel",
               "emma", "arthur", "lina", "jules", "rose", "adam", "alice", "paul", "louise",
               "nathan", "mila", "theo", "ines", "tom", "zoe", "sacha", "julia"]
PLACES = ["auch", "condom", "lectoure", "mirande", "eauze", "fleurance", "nogaro", "samatan",
          "vic", "gimont", "lombez", "marciac"]
WORDS = ["Je participe avec plaisir", "Trop beau ce panier", "Avec joie", "Je tente ma chance",
         "Merci pour ce jeu", "Le Gers, ça se savoure", "Miam, quel panier",
         "Ce serait un super cadeau", "J'adore les produits du terroir", "Bonne idée",
         "Top, je joue", "Un grand merci au Domaine du Moulin",
         "Pour un repas de fête en famille", "Je croise les doigts", "Ça donne faim"]


def handle(i: int) -> str:
    return f"{FIRST_NAMES[i % len(FIRST_NAMES)]}_{PLACES[(i // 7) % len(PLACES)]}{i}"


def comments_file(opens_at: datetime, until: datetime, rows: int, hashtag: str,
                  extra: list[tuple[str, str, str]] = ()) -> bytes:
    """A CSV export of ``rows`` comments posted between ``opens_at`` and ``until`` (UTC).

    Most count; some lack the hashtag (every 20th), some tag nobody (every 33rd), some are
    an account's second comment (every 50th repeats an earlier account), a few came before
    the opening. ``extra``: (comment id, username, text) rows added at the end.
    """
    chooser = random.Random(13)
    span = (until - opens_at).total_seconds()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id"])
    for i in range(rows):
        account = i - 17 if i % 50 == 49 else i  # an account that already commented
        when = opens_at + timedelta(seconds=span * (i + 1) / (rows + 2))
        if i in (3, 4, 5):
            when = opens_at - timedelta(minutes=30 + i)  # before the opening
        friend = handle(chooser.randrange(rows, rows + 500))
        text = chooser.choice(WORDS)
        text += "" if i % 20 == 7 else f" #{hashtag}"
        text += "" if i % 33 == 11 else f" @{friend}"
        writer.writerow([f"1790{i:06d}", str(40_000_000 + account), handle(account), text,
                         when.isoformat(), ""])
    for n, (comment_id, username, text) in enumerate(extra):
        writer.writerow([comment_id, str(90_000_000 + n), username, text,
                         (until - timedelta(minutes=n + 1)).isoformat(), ""])
    return out.getvalue().encode()


# ------------------------------------------------------------------------------------------
class SlowWorker:
    """Background jobs run in a thread of this process (the test app would run them inline,
    within the request that queues them, so nothing could be seen moving).

    Install with :meth:`install` on the app's job table; the import job's progress reports
    go through :meth:`reported`, which holds the job once half of the file is stored, until
    :meth:`release` (or 30 s), so the page can be looked at with its bar half-way.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.halfway = threading.Event()
        self.resume = threading.Event()
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []
        self.expected = 0

    def install(self, monkeypatch: Any, import_runner: Any, jobs: dict[str, Any]) -> None:
        from giveaway.harvest.tasks import run_import_job
        original = import_runner.publish

        def reported(job_id: int, rows: int, stored: int) -> None:
            original(job_id, rows, stored)
            if not self.halfway.is_set() and stored * 2 >= self.expected > 0:
                self.halfway.set()
                self.resume.wait(30)

        monkeypatch.setattr(import_runner, "publish", reported)
        monkeypatch.setattr(import_runner, "REPORT_EVERY", 0, raising=False)
        monkeypatch.setattr(import_runner, "READ_BATCH", 200, raising=False)
        monkeypatch.setattr("giveaway.harvest.imports.BATCH_SIZE", 200, raising=False)
        monkeypatch.setitem(jobs, "harvest.import", self._in_thread(run_import_job))

    def _in_thread(self, job: Callable[..., Any]) -> Callable[..., None]:
        def start(*args: Any) -> None:
            def work() -> None:
                try:
                    with self.app.app_context():
                        job(*args)
                except BaseException as exc:  # reported by join()
                    self.errors.append(exc)
            thread = threading.Thread(target=work, daemon=True)
            self.threads.append(thread)
            thread.start()
        return start

    def release(self) -> None:
        self.resume.set()

    def join(self) -> None:
        """Wait for the jobs; :raise AssertionError: if one of them raised."""
        self.resume.set()
        for thread in self.threads:
            thread.join(60)
        assert not self.errors, self.errors
