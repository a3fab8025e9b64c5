"""Languages: French by default, English on request; every word through Flask-Babel, dates
and numbers in the reader's language."""
import io
from datetime import datetime, timezone

import pytest
from flask_babel import force_locale

from giveaway.auth.guards import LOGIN_TIME_KEY
from giveaway.contests import lifecycle
from giveaway.contests.labels import STATUS_LABELS, status_label
from giveaway.core.eligibility import REASON_CODES, RULE_CLAUSE_CODES, EligibilityRules, RuleClause
from giveaway.draws.commitment import BeaconChoice
from giveaway.draws.labels import CANDIDATE_STATUS_LABELS, candidate_status_label
from giveaway.eligibility.labels import (DECISION_LABELS, decision_label, flag_label,
                                         reason_label, reason_sentence)
from giveaway.eligibility.rule_sentences import rule_sentences, word_clause
from giveaway.errors import ValidationFailed
from giveaway.harvest.labels import (END_REASON_LABELS, RUN_STATUS_LABELS, end_reason_label,
                                     run_status_label)
from giveaway.i18n import format_moment, format_number
from conftest import make_contest


def test_french_by_default_english_on_request(client, auth):
    auth.login()
    assert "Jeux-concours" in client.get("/").data.decode()
    client.post("/language/en")
    assert "Contests" in client.get("/").data.decode()
    client.post("/language/xx")  # unknown languages are ignored
    assert "Contests" in client.get("/").data.decode()


def test_browser_language_is_used_before_any_choice(client):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).data.decode()
    assert "Log in" in page
    page = client.get("/login", headers={"Accept-Language": "de"}).data.decode()
    assert "Connexion" in page


def test_the_login_prompt_speaks_the_visitors_language(client):
    french = client.get("/contests/new", follow_redirects=True).data.decode()
    assert "Connectez-vous pour accéder à cette page." in french and "Please log in" not in french
    english = client.get("/contests/new", follow_redirects=True,
                         headers={"Accept-Language": "en"}).data.decode()
    assert "Please log in to access this page." in english


# --- One i18n system: the core gives codes, the app words them (issue 13) ----------------------
UTC = timezone.utc
TUESDAY = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)  # 20:00 in Paris
RICH = EligibilityRules(opens_at=TUESDAY, closes_at=datetime(2027, 1, 10, 22, 59, 59, tzinfo=UTC),
                        counting="per_comment", max_entries_per_account=5, min_mentions=2,
                        mentions_must_be_new=True, required_hashtags=["Gers", "noel"],
                        required_keywords=["vin"], organiser_handles=["gers_tourisme"],
                        partner_handles=["vins_du_gers"], staff_handles=["cm_gers"],
                        recent_winner_days=1, must_follow="both", min_age_18=True)


def test_rules_read_in_french_with_french_dates(app):
    with force_locale("fr"):
        text = rule_sentences(RICH)
    assert text[0] == ("Les commentaires publiés du mardi 1er décembre 2026 à 20 h 00 au dimanche "
                       "10 janvier 2027 à 23 h 59 min 59 s (heure de Paris), bornes incluses, "
                       "sont pris en compte.")
    assert ("Chaque commentaire valide compte comme une participation, dans la limite de 5 par "
            "compte.") in text
    assert "Au moins 2 mentions distinctes d'autres comptes sont requises." in text
    assert ("Le commentaire doit contenir les hashtags #Gers et #noel (majuscules et accents "
            "indifférents).") in text
    assert "Le commentaire doit contenir le mot-clé « vin » (majuscules et accents " \
           "indifférents)." in text
    assert ("Les comptes de l'organisateur (@gers_tourisme), du partenaire (@vins_du_gers) et du "
            "personnel ne peuvent pas participer.") in text
    assert any("au cours du dernier jour" in line for line in text)
    assert any("suivre les comptes de l'organisateur et du partenaire" in line for line in text)
    assert "cm_gers" not in " ".join(text)  # staff handles are not published


def test_rules_read_in_english_with_british_dates(app):
    with force_locale("en"):
        text = rule_sentences(RICH.replace(min_mentions=1, recent_winner_days=90))
    assert text[0] == ("Comments posted from Tuesday 1 December 2026 at 20:00 to Sunday "
                       "10 January 2027 at 23:59:59 (Paris time), both included, count.")
    assert "At least 1 mention of another account is required." in text
    assert "The comment must contain the keyword “vin” (case and accents ignored)." in text
    assert any("in the last 90 days" in line for line in text)


def test_every_clause_code_has_words_in_both_languages(app):
    values = {"opens_at": TUESDAY, "closes_at": TUESDAY, "cap": 2, "n": 2, "items": ("a", "b"),
              "accent_insensitive": False, "organiser": ("o",), "partners": ("p", "q"),
              "staff": True, "days": 3, "whom": "partner"}
    for code in RULE_CLAUSE_CODES:
        with force_locale("fr"):
            french = word_clause(RuleClause(code, values))
        with force_locale("en"):
            english = word_clause(RuleClause(code, values))
        assert french != english and "%(" not in french + english, code
    with pytest.raises(KeyError):
        word_clause(RuleClause("no_such_clause"))


def test_reasons_and_flags_in_words_never_codes(app):
    for code in REASON_CODES:
        with force_locale("fr"):
            french = (reason_sentence(code), reason_label(code))
        with force_locale("en"):
            english = (reason_sentence(code), reason_label(code))
        assert french != english and code not in " ".join(french) and english[0] != code, code
    with force_locale("fr"):
        assert reason_sentence("late") == "Commentaire publié après la clôture du jeu-concours."
        assert reason_label("no_such_code") == "autre motif"
        assert flag_label("same_text") != "same_text"


def test_statuses_and_codes_have_words_in_both_languages(app):
    for table, word in ((STATUS_LABELS, status_label), (RUN_STATUS_LABELS, run_status_label),
                        (CANDIDATE_STATUS_LABELS, candidate_status_label),
                        (END_REASON_LABELS, end_reason_label), (DECISION_LABELS, decision_label)):
        for code in table:
            with force_locale("fr"):
                french = word(code)
            with force_locale("en"):
                english = word(code)
            assert french != english and code not in french, code
        with force_locale("fr"):
            assert word("no_such_code") != "no_such_code"  # never the code itself
    with force_locale("fr"):
        assert status_label("drawn") == "tiré au sort" and decision_label("exclude") == \
            "exclue à la main"


def test_dates_and_numbers_follow_the_language(app):
    with force_locale("fr"):
        assert format_moment(TUESDAY, "full") == "mardi 1er décembre 2026 à 20 h 00"
        assert format_moment(TUESDAY, "short") == "01/12/2026 20:00"
        assert format_number(1956) == "1\u202f956"
    with force_locale("en"):
        assert format_moment(TUESDAY, "full") == "Tuesday 1 December 2026 at 20:00"
        assert format_moment(TUESDAY, "short") == "01/12/2026, 20:00"  # day first, never 12/1/26
        assert format_moment(datetime(2026, 3, 2, 9, 5, tzinfo=UTC), "medium") == \
            "2 Mar 2026, 10:05:00"
        assert format_number(1956) == "1,956"


def test_a_refusal_is_words_without_field_names():
    refused = ValidationFailed({"age_confirmed": "Confirmez l'âge", "reason": "Écrivez une note."})
    assert refused.message == "Confirmez l'âge. Écrivez une note."
    assert "age_confirmed" not in str(refused) and refused.errors["reason"] == "Écrivez une note."


@pytest.mark.parametrize("lang, words", [
    ("fr", "la date du commentaire « 2026-13-01 » est illisible : attendu une date comme "
           "2026-11-29T14:05:00+01:00"),
    ("en", "the comment's date « 2026-13-01 » cannot be read: expected a date such as "
           "2026-11-29T14:05:00+01:00"),
])
def test_a_bad_import_date_is_explained_in_the_visitors_language(app, client, auth, lang, words):
    contest = make_contest()
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="EuroMillions suivant la clôture"))
    auth.login()
    if lang == "en":
        client.post("/language/en")
    body = b"comment_id,user_id,username,text,created_at,parent_id\n1,2,bob,Salut,2026-13-01,\n"
    page = client.post("/contests/coffret-noel/import", data={
        "file": (io.BytesIO(body), "c.csv")}, content_type="multipart/form-data",
        follow_redirects=True).get_data(as_text=True)
    assert words in page.replace("&#39;", "'").replace("&#34;", '"')
    assert "bad created_at" not in page and "expected ISO 8601" not in page


def test_staff_read_the_rules_in_their_language(app, client, auth):
    make_contest()
    auth.login()
    assert "Un commentaire par compte est retenu" in client.get(
        "/contests/coffret-noel/eligibility").get_data(as_text=True)
    client.post("/language/en")
    english = client.get("/contests/coffret-noel/eligibility").get_data(as_text=True)
    assert "One comment per account counts: the first valid one." in english
    assert "Un commentaire par compte" not in english


def test_the_reauthentication_prompt_speaks_french(app, client, auth):
    make_contest()
    auth.login()
    with client.session_transaction() as session:
        session[LOGIN_TIME_KEY] -= app.config["FRESH_LOGIN_SECONDS"] + 1
    page = client.post("/contests/coffret-noel/open", follow_redirects=True).data.decode()
    assert "Confirmez votre mot de passe pour continuer." in page
    assert "Please confirm" not in page
