"""The PDF certificate as a person prints and scans it: the QR code decodes back to the
certificate's page at 200 and 300 dpi, no text enters the code's quiet zone, "—", accents,
emoji and non-Latin letters survive, and every status and reason is a word in French
and in English."""
import csv
import io
import json
import re
from datetime import timedelta

import pypdfium2 as pdfium
import pytest
import segno
import zxingcpp
from flask_babel import force_locale
from PIL import ImageFilter

from giveaway.contests import lifecycle
from giveaway.draws import followup, freeze, service
from giveaway.draws.certificate import certificate_document
from giveaway.draws.commitment import BeaconChoice
from giveaway.draws.pdf import certificate_pdf
from giveaway.eligibility import rules_doc, service as eligibility
from giveaway.eligibility.labels import reason_label
from giveaway.harvest.imports import import_comments
from conftest import after_beacon, make_contest
from test_draws import DECLARED

TITLE = "Fête d'été — coffret « Saveurs du Gers » 🎉"
MASKED = "@😀ж***🎉"  # what the public sees of "😀жанна_07🎉": emoji and Cyrillic
PAGE = "http://localhost/c/fete"
MM = 72 / 25.4  # PDF points in a millimetre
#: Codes that must never be printed (statuses, reasons); in French, English words either
#: (which includes the codes ``winner``, ``alternate``, ``claimed`` and ``organiser``).
CODES = ("to_contact", "standby", "too_few_mentions", "duplicate_account", "no_answer")
ENGLISH_WORDS = ("winner", "alternate", "claimed", "Paris time", "Scan", "Result", "entries",
                 "comments", "Drawn", "organiser")
FRENCH_WORDS = ("gagnant", "suppléant", "lot récupéré", "heure de Paris", "Scannez", "Résultat",
                "participations", "commentaires", "Tirage", "l'organisateur")


def comments_csv(opens_at) -> bytes:
    """24 entries with a mention, 4 without (too few mentions), one account twice."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id"])
    rows = [(str(1000 + i), f"😀жанна_{i:02d}🎉", f"Je participe — été avec @amie_{i}")
            for i in range(24)]
    rows += [(str(2000 + i), f"sans_mention_{i}", "Je participe") for i in range(4)]
    rows += [("1000", "😀жанна_00🎉", "Encore moi — @amie_0")]
    for i, (user_id, username, text) in enumerate(rows):
        writer.writerow([f"7{i:03d}", user_id, username, text,
                         (opens_at + timedelta(minutes=i + 1)).isoformat(), ""])
    return out.getvalue().encode()


@pytest.fixture
def contest(app):
    """A drawn contest with an alcohol prize, exclusions, and a winner who claimed the prize."""
    contest = make_contest(public_id="fete", title=TITLE, alcohol_prize=True, alternates=3)
    rules_doc.set_rules(contest, {"min_mentions": 1}, "test")
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="EuroMillions du vendredi suivant la clôture"))
    import_comments(contest, io.BytesIO(comments_csv(contest.opens_at)), "c.csv", "test")
    eligibility.evaluate_contest(contest, "test")
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")
    with after_beacon(contest):
        service.run_draw(contest, "staff@test.fr", declared=DECLARED)
    winner = followup.candidates(contest)[0]
    followup.set_status(contest, winner, "contacted", "", "staff@test.fr")
    followup.set_status(contest, winner, "claimed", "", "staff@test.fr", age_confirmed=True)
    return contest


# --- reading a PDF as a reader would ----------------------------------------------------

def words_in(text: str, words) -> list[str]:
    """Those of ``words`` that ``text`` contains as whole words."""
    return [word for word in words if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)]


def flat(text: str) -> str:
    """Text with its line breaks as single spaces (a reader reflows the lines)."""
    return " ".join(text.split())


def pages_text(body: bytes) -> list[str]:
    """The text of each page, as a PDF reader extracts it."""
    document = pdfium.PdfDocument(body)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def render(body: bytes, dpi: int, page: int = 0):
    """Page ``page`` as a PIL image at ``dpi``, and the page's size in points."""
    document = pdfium.PdfDocument(body)
    try:
        sheet = document[page]
        return sheet.render(scale=dpi / 72).to_pil(), sheet.get_size()
    finally:
        document.close()


def qr_codes(image) -> list:
    return [code for code in zxingcpp.read_barcodes(image)
            if code.format == zxingcpp.BarcodeFormat.QRCode]


def char_boxes(body: bytes, page: int = 0) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every visible character of a page with its box (left, bottom, right, top) in points."""
    document = pdfium.PdfDocument(body)
    try:
        text = document[page].get_textpage()
        boxes = []
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if char.strip():
                boxes.append((char, text.get_charbox(i)))
        return boxes
    finally:
        document.close()


def qr_box(body: bytes, url: str, dpi: int = 300) -> tuple[float, float, float, float]:
    """The QR symbol's box in points, grown by the 4-module quiet zone the standard requires."""
    image, (_, height) = render(body, dpi)
    (code,) = qr_codes(image)
    corners = [code.position.top_left, code.position.top_right, code.position.bottom_right,
               code.position.bottom_left]
    xs = [p.x * 72 / dpi for p in corners]
    ys = [height - p.y * 72 / dpi for p in corners]
    modules = segno.make(url, error="m", micro=False).symbol_size(border=0)[0]
    quiet = 4 * (max(xs) - min(xs)) / modules
    return min(xs) - quiet, min(ys) - quiet, max(xs) + quiet, max(ys) + quiet


def overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --- the tests --------------------------------------------------------------------------

@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_qr_code_scans_back_to_the_certificate_page(client, contest, lang, dpi):
    body = client.get(f"/c/fete.pdf?lang={lang}").data
    image, _ = render(body, dpi)
    assert [code.text for code in qr_codes(image)] == [PAGE]
    # As a scanner sees a printed page: grey, slightly blurred, a little askew.
    scanned = image.convert("L").filter(ImageFilter.GaussianBlur(1.2)).rotate(
        1.5, expand=True, fillcolor=255)
    assert [code.text for code in qr_codes(scanned)] == [PAGE]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_text_enters_the_qr_code_or_its_quiet_zone(client, contest, lang):
    body = client.get(f"/c/fete.pdf?lang={lang}").data
    zone = qr_box(body, PAGE)
    boxes = char_boxes(body)
    # The title is beside the code (same height on the page), so the check means something.
    assert any(box[1] < zone[3] and box[3] > zone[1] for _, box in boxes)
    touching = [char for char, box in boxes if overlaps(box, zone)]
    assert touching == []


def test_dashes_accents_emoji_and_non_latin_letters_survive(client, contest):
    french = "\n".join(pages_text(client.get("/c/fete.pdf").data))
    english = "\n".join(pages_text(client.get("/c/fete.pdf?lang=en").data))
    assert f"Certificat de tirage au sort — {TITLE}" in french
    assert f"Draw certificate — {TITLE}" in english
    for text in (french, english):
        assert MASKED in text and "é" in text and "—" in text and "🎉" in text
        assert "?" not in text and "\ufffd" not in text
    assert "L'abus d'alcool est dangereux pour la santé" in french
    assert "Alcohol abuse is dangerous for your health" in english


def test_statuses_and_reasons_are_words_in_french(client, contest):
    text = "\n".join(pages_text(client.get("/c/fete.pdf").data))
    assert "lot récupéré" in text and "suppléant, en attente" in text
    with force_locale("fr"):
        assert f"{reason_label('too_few_mentions')} : 4" in flat(text)
        assert f"{reason_label('duplicate_account')} : 1" in flat(text)
    assert "Rang 1 : lot récupéré" in text  # the follow-up after the draw, in words
    assert words_in(text, CODES + ENGLISH_WORDS) == []


def test_statuses_and_reasons_are_words_in_english(client, contest):
    text = "\n".join(pages_text(client.get("/c/fete.pdf?lang=en").data))
    assert "prize claimed" in text and "alternate, waiting" in text
    assert "too few mentions: 4" in flat(text) and "account already counted: 1" in flat(text)
    assert "Position 1: prize claimed" in text
    assert words_in(text, CODES + FRENCH_WORDS) == []


def test_the_language_is_french_by_default_english_when_asked_or_preferred(client, contest):
    def language(**kwargs):
        text = pages_text(client.get("/c/fete.pdf", **kwargs).data)[0]
        return "fr" if "CERTIFICAT DE TIRAGE AU SORT" in text else \
            "en" if "DRAW CERTIFICATE" in text else None
    assert language() == "fr"
    assert language(query_string={"lang": "en"}) == "en"
    assert language(headers={"Accept-Language": "en-GB,en;q=0.8"}) == "en"
    assert language(headers={"Accept-Language": "en"}, query_string={"lang": "fr"}) == "fr"
    assert language(query_string={"lang": "xx"}) == "fr"


def test_left_aligned_text_stays_inside_the_margins_and_long_urls_wrap(app, contest):
    document = json.loads(json.dumps(certificate_document(contest)))
    document["contest"]["partners"] = ["Association des producteurs de floc de Gascogne "
                                       "et d'armagnac du Bas-Armagnac"] * 3
    document["contest"]["posts"] = ["https://www.instagram.com/p/" + "C" * 90 + "/"]
    long_url = "https://jeux.tourisme-gers.example/concours/" + "x" * 120
    body = certificate_pdf(document, long_url, "fr")
    image, (width, _) = render(body, 200)
    assert [code.text for code in qr_codes(image)] == [long_url]
    zone = qr_box(body, long_url)
    for page in range(len(pages_text(body))):
        for char, (left, _, right, _) in char_boxes(body, page):
            assert 18 * MM - 1 <= left and right <= width - 18 * MM + 1, char
        if page == 0:
            assert not [c for c, box in char_boxes(body, 0) if overlaps(box, zone)]
    text = "\n".join(pages_text(body))
    assert "C" * 40 in "".join(text.split())


def test_characters_no_font_can_draw_are_named_not_dropped(app, contest):
    document = json.loads(json.dumps(certificate_document(contest)))
    document["contest"]["title"] = "Concours 中文"
    text = "\n".join(pages_text(certificate_pdf(document, PAGE, "en")))
    assert "Concours [U+4E2D][U+6587]" in text


def test_older_and_rarer_certificates_are_worded_too(app, contest):
    """gdraw-v1 replacements, a draw moved later and drand randomness, in both languages."""
    document = json.loads(json.dumps(certificate_document(contest)))
    document["beacon"] = {"kind": "drand", "round": 4242, "randomness": "ab" * 32}
    document["substitutions"] = [{"replaced": 0, "replacement": 1, "at": "2026-12-09T10:00:00Z"},
                                 {"replaced": 1, "replacement": None,
                                  "at": "2026-12-10T10:00:00Z"}]
    document["redeclarations"] = [{"at": "2026-12-07T09:00:00Z", "reason": "Tirage annulé"}]
    english = flat("\n".join(pages_text(certificate_pdf(document, PAGE, "en"))))
    french = flat("\n".join(pages_text(certificate_pdf(document, PAGE, "fr"))))
    assert "position 1 replaced by position 2" in english
    assert "position 2 not replaced: no alternate left" in english
    assert "draw moved later: Tirage annulé" in english and "round 4242" in english
    assert "rang 1 remplacé par le rang 2" in french
    assert "rang 2 non remplacé : plus aucun suppléant" in french
    assert "tirage reporté : Tirage annulé" in french and "tour 4242" in french
    assert words_in(french, CODES + ENGLISH_WORDS) == []
