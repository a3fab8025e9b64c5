"""Issue 13, item 9: winners' messages (real handles for staff, correct French, delivery)
and staff's own follow check when no Instagram account can check."""
import html
import json
import re
import threading
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from giveaway.audit.models import AuditRecord
from giveaway.contests.models import ContestStatus
from giveaway.draws import followup
from giveaway.draws.followup_chain import followup_bodies
from giveaway.draws.models import Candidate
from giveaway.draws.messages import announcement, direct_message
from giveaway.errors import Conflict, ValidationFailed
from giveaway.extensions import db
from conftest import PASSWORD
from test_privacy_pages import pdf_text
from test_privacy_winners import drawn

FOLLOW = {"must_follow": "organiser"}
JUSTIFICATION = "vérifié manuellement sur l'application le 3 décembre à 10 h"
URL = re.compile(r"https?://\S+")


def textarea(page: str, element_id: str) -> str:
    found = re.search(rf'<textarea[^>]*id="{element_id}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, element_id
    return html.unescape(found.group(1))


def french_typography_problems(text: str) -> list[str]:
    """Doubled punctuation, a space before « . » or « , », a missing space before « ! ? ; : »."""
    text = URL.sub("URL", text)
    return (re.findall(r"[!?.,;:]\s*[!?.,;:]", text) + re.findall(r"\s[.,]", text)
            + re.findall(r"\S[!?;:]", text))


# --- the announcement: real handles for staff, masks in public -------------------------------

def test_staff_copy_the_announcement_with_real_handles_public_pages_keep_masks(app, client,
                                                                             auth):
    contest = drawn(winners=2, alternates=2)
    first, second, alternate, _ = followup.candidates(contest)
    auth.login()
    page = client.get("/contests/gagne/winners").data.decode()
    text = textarea(page, "announce")
    assert f"félicitations à @{first.handle} et @{second.handle} !" in text
    assert alternate.handle not in text  # an alternate on standby is not announced
    assert "***" not in text and "/c/gagne" in text
    assert 'data-copy-target="announce"' in page and 'data-copy-target="dm"' in page
    assert french_typography_problems(text) == []

    followup.set_status(contest, first, "declined", "ne veut pas du lot", "staff@test.fr")
    text = textarea(client.get("/contests/gagne/winners").data.decode(), "announce")
    assert f"@{second.handle} et @{alternate.handle} !" in text  # draw order, replacement in
    assert f"@{first.handle}" not in text

    client.post("/logout")
    for url in ("/c/gagne", "/c/gagne.json", "/c/gagne/followup.json", "/c/gagne.pdf"):
        body = client.get(url).data
        for person in (first, second, alternate):
            assert person.handle.encode() not in body, url
    assert b"@fa***" in client.get("/c/gagne").data


def test_the_announcement_follows_the_chosen_language(app, client, auth):
    drawn(winners=2)
    auth.login()
    english = client.get("/contests/gagne/winners?message_lang=en").data.decode()
    assert "congratulations to @fan_" in textarea(english, "announce")
    assert "Congratulations! 🎉" in textarea(english, "dm")
    assert "Félicitations !" in textarea(client.get("/contests/gagne/winners").data.decode(),
                                          "dm")


# --- the direct message: correct French, adapted to the delivery ------------------------------

@pytest.fixture
def contest(app):
    contest = drawn(prize_description="Un coffret de 6 bouteilles de Côtes de Gascogne.")
    contest.title = "Gagnez un coffret !"
    db.session.commit()
    return contest


def dm(app, contest, language="fr", **settings):
    for name, value in settings.items():
        setattr(contest, name, value)
    with app.test_request_context(), force_locale(language):
        return direct_message(contest)


def test_pickup_message_says_where_and_asks_no_address(app, contest):
    text = dm(app, contest, prize_delivery="pickup",
              prize_pickup_place="l'Office de tourisme d'Auch")
    assert "Votre lot est à retirer à l'Office de tourisme d'Auch." in text
    assert "adresse" not in text and "18 ans" not in text
    assert "Vous remportez : Un coffret de 6 bouteilles de Côtes de Gascogne." in text
    assert "« Gagnez un coffret ! »" in text
    assert "dans le délai prévu par le règlement" in text  # the contest has no deadline
    assert french_typography_problems(text) == []
    assert "à retirer au Comptoir gascon" in dm(app, contest, prize_pickup_place="Le Comptoir "
                                                                                 "gascon")


def test_postal_message_asks_for_the_postal_address(app, contest):
    text = dm(app, contest, prize_delivery="postal")
    assert "prénom, nom et adresse postale" in text and "retirer" not in text
    assert french_typography_problems(text) == []


def test_alcohol_prize_message_asks_to_confirm_18_or_over(app, contest):
    text = dm(app, contest, prize_delivery="postal", alcohol_prize=True)
    assert "merci de nous confirmer que vous avez 18 ans ou plus" in text
    assert "à consommer avec modération" in text
    assert french_typography_problems(text) == []


def test_a_claim_deadline_is_given_only_when_there_is_one(app, contest):
    with app.test_request_context():
        text = direct_message(contest, deadline=datetime(2026, 12, 3, 12, tzinfo=timezone.utc))
    assert "avant le 3 décembre 2026" in text and "délai prévu" not in text
    assert french_typography_problems(text) == []


def test_the_english_message_is_english(app, contest):
    text = dm(app, contest, "en", prize_delivery="postal", alcohol_prize=True)
    assert "first name, last name and postal address" in text and "18 or over" in text
    assert "Félicitations" not in text and "!!" not in text and ".." not in text


def test_the_typography_check_can_fail():
    assert french_typography_problems("Bravo !! Votre lot : un coffret..") != []
    assert french_typography_problems("Bravo! Votre lot .") != []


# --- staff's own follow check ----------------------------------------------------------------

def follow_form(page: str, candidate_id: int) -> bool:
    return f"/winners/{candidate_id}/follow" in page


def logged(action="winner.follow_check"):
    return db.session.scalars(sa.select(AuditRecord).where(AuditRecord.action == action)).all()


def test_without_an_instagram_account_staff_record_their_own_check(app, client, auth):
    contest = drawn(rules=FOLLOW)
    winner, alternate = followup.candidates(contest)[:2]
    auth.login()
    page = client.get("/contests/gagne/winners").data.decode()
    assert "Aucun compte Instagram connecté" in page
    assert "Vérifier les abonnements" not in page  # no dead-end button
    assert follow_form(page, winner.id) and not follow_form(page, alternate.id)

    missing = client.post(f"/contests/gagne/winners/{winner.id}/follow",
                          data={"follows": "yes", "justification": ""})
    assert missing.status_code == 200
    error = re.search(rf'id="justification-{winner.id}-error">([^<]*)<',
                      missing.data.decode())
    assert error and error.group(1).startswith("Indiquez comment et quand vous avez vérifié")
    no_choice = client.post(f"/contests/gagne/winners/{winner.id}/follow",
                            data={"justification": JUSTIFICATION})
    assert no_choice.status_code == 200
    assert f'id="follows-{winner.id}-error">Indiquez si le gagnant est abonné' in \
        no_choice.data.decode()
    db.session.expire_all()
    assert winner.follow_check is None and logged() == []

    response = client.post(f"/contests/gagne/winners/{winner.id}/follow",
                           data={"follows": "yes", "justification": JUSTIFICATION})
    assert response.status_code == 302
    db.session.expire_all()
    assert (winner.follow_check, winner.follow_check_source, winner.follow_checked_by,
            winner.follow_justification) == ("yes", "staff", "staff@test.fr", JUSTIFICATION)
    assert winner.follow_checked_at is not None and winner.status == "to_contact"
    [record] = logged()
    assert record.actor == "staff@test.fr"
    assert record.details["justification"] == JUSTIFICATION
    assert record.details["by"] == "staff" and record.details["result"] == "yes"
    chain = json.loads(client.get("/c/gagne/followup.json").data)
    assert chain[-1]["event"] == {"kind": "follow_check", "position": 0, "result": "yes",
                                  "by": "staff"}
    page = client.get("/contests/gagne/winners").data.decode()
    assert "vérifié manuellement sur l" in page  # staff see how it was checked
    assert not follow_form(page, winner.id)

    client.post("/logout")
    for url in ("/c/gagne", "/c/gagne.json", "/c/gagne/followup.json", "/c/gagne.pdf"):
        body = client.get(url).data
        if url.endswith(".pdf"):
            body += pdf_text(body).encode("latin-1", "replace")
        assert "manuellement".encode() not in body and b"staff@test.fr" not in body, url
    assert "Rang 1 : vérification de l'abonnement par l'équipe — est abonné" in \
        html.unescape(client.get("/c/gagne").data.decode())


def test_a_staff_no_disqualifies_and_promotes_the_alternate(app, client, auth):
    contest = drawn(rules=FOLLOW)
    winner, alternate = followup.candidates(contest)[:2]
    auth.login()
    client.post(f"/contests/gagne/winners/{winner.id}/follow",
                data={"follows": "no", "justification": JUSTIFICATION})
    db.session.expire_all()
    assert (winner.follow_check, winner.status, winner.public_reason) == (
        "no", "disqualified", "not_following")
    assert alternate.status == "to_contact"
    again = client.post(f"/contests/gagne/winners/{winner.id}/follow",
                        data={"follows": "yes", "justification": JUSTIFICATION},
                        follow_redirects=True).data.decode()
    assert "Seul un gagnant encore à contacter ou contacté peut être vérifié." in again
    db.session.expire_all()
    assert winner.follow_check == "no" and len(logged()) == 1


def test_unknown_stays_unknown_until_staff_answer(app):
    contest = drawn(rules=FOLLOW)
    winner = followup.candidates(contest)[0]
    followup.record_follow_check(contest, winner, None, "staff@test.fr")  # Instagram failed
    db.session.expire_all()
    assert (winner.follow_check, winner.status, winner.follow_check_source) == (
        "unknown", "to_contact", "instagram")
    with pytest.raises(ValidationFailed) as info:
        followup.record_staff_check(contest, winner, None, "staff@test.fr", JUSTIFICATION)
    assert set(info.value.errors) == {"follows"}
    db.session.rollback()
    db.session.expire_all()
    assert winner.follow_check == "unknown"
    followup.record_staff_check(contest, winner, True, "staff@test.fr", JUSTIFICATION)
    assert winner.follow_check == "yes"
    with pytest.raises(Conflict):  # answered: not asked again
        followup.record_staff_check(contest, winner, False, "staff@test.fr", JUSTIFICATION)


def test_checks_are_refused_off_the_pending_list_and_after_the_follow_up(app, client):
    contest = drawn(rules=FOLLOW)
    winner, alternate = followup.candidates(contest)[:2]
    with pytest.raises(Conflict):  # an alternate on standby is not waiting for a prize
        followup.record_staff_check(contest, alternate, True, "staff@test.fr", JUSTIFICATION)
    contest.status = ContestStatus.ARCHIVED
    db.session.commit()
    with pytest.raises(Conflict):
        followup.record_staff_check(contest, winner, True, "staff@test.fr", JUSTIFICATION)
    assert logged() == []
    plain = drawn("sans-suivi")
    with pytest.raises(Conflict):  # the rules ask no follow
        followup.record_staff_check(plain, followup.candidates(plain)[0], True,
                                    "staff@test.fr", JUSTIFICATION)


def test_only_staff_may_record_a_check_and_only_with_the_form_token(app, client, auth):
    contest = drawn(rules=FOLLOW)
    winner = followup.candidates(contest)[0]
    url = f"/contests/gagne/winners/{winner.id}/follow"
    data = {"follows": "no", "justification": JUSTIFICATION}
    assert client.post(url, data=data).status_code == 302  # anonymous: to the login page
    auth.login("wine@test.fr", PASSWORD)
    assert client.post(url, data=data).status_code == 403
    auth.logout()
    auth.login()
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(url, data=data).status_code == 400
    db.session.expire_all()
    assert winner.follow_check is None and logged() == []


def test_the_automatic_check_says_what_to_do_without_an_account(app, client, auth):
    drawn(rules=FOLLOW)
    auth.login()
    page = client.post("/contests/gagne/winners/check-follows",
                       follow_redirects=True).data.decode()
    assert "Aucun compte Instagram connecté ne peut vérifier les abonnements" in page
    assert logged() == []


def test_a_refused_step_shows_on_the_winners_form_without_a_field_code(app, client, auth):
    contest = drawn(alcohol_prize=True)
    winner = followup.candidates(contest)[0]
    followup.set_status(contest, winner, "contacted", "", "staff@test.fr")
    auth.login()
    page = client.post(f"/contests/gagne/winners/{winner.id}", data={"status": "claimed"})
    text = page.data.decode()
    assert page.status_code == 200
    assert "Lot alcoolisé : confirmez que le gagnant est majeur" in text
    assert "age_confirmed" not in text.replace('name="age_confirmed"', "")
    db.session.expire_all()
    assert winner.status == "contacted"
    done = client.post(f"/contests/gagne/winners/{winner.id}",
                       data={"status": "claimed", "age_confirmed": "y"})
    assert done.headers["Location"].endswith("/contests/gagne/winners#candidate-1")


def test_two_staff_recording_the_same_check_at_once_one_is_refused_in_words(app):
    """Two people answer the same winner's follow check at the same moment: one answer is
    recorded (and signed once), the other is refused « already recorded », never a crash."""
    contest = drawn(rules=FOLLOW)
    winner_id = followup.candidates(contest)[0].id
    barrier, outcomes = threading.Barrier(6), []

    def attempt(follows):
        barrier.wait(timeout=30)
        with app.app_context():
            target = db.session.get(type(contest), contest.id)
            candidate = db.session.get(Candidate, winner_id)
            try:
                followup.record_staff_check(target, candidate, follows, "racer", JUSTIFICATION)
                outcomes.append("recorded")
            except Conflict as refused:
                outcomes.append(refused.message)
            except Exception as exc:  # noqa: BLE001 - the test reports what escaped
                outcomes.append(f"crash: {type(exc).__name__}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i % 2 == 0,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("recorded") == 1, outcomes
    assert set(outcomes) - {"recorded"} <= {
        "La vérification de l'abonnement de ce gagnant est déjà enregistrée.",
        "Seul un gagnant encore à contacter ou contacté peut être vérifié."}, outcomes
    db.session.expire_all()
    signed = [json.loads(body) for body in followup_bodies(contest)]
    assert [e["event"]["kind"] for e in signed].count("follow_check") == 1
    assert len(logged()) == 1
