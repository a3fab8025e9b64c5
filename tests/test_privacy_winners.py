"""Issue 12, items 3 and 4: past winners recorded at the claim; public reason categories."""
import csv
import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
import time_machine

from giveaway.audit.models import AuditRecord
from giveaway.contests import lifecycle
from giveaway.draws import followup, freeze, service
from giveaway.draws.commitment import BeaconChoice
from giveaway.draws.labels import followup_sentence
from giveaway.draws.models import Draw
from giveaway.eligibility import rules_doc
from giveaway.eligibility import service as eligibility
from giveaway.eligibility.models import PastWinner, Verdict
from giveaway.eligibility.past_winners import record_past_winner
from giveaway.errors import ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment
from conftest import after_beacon, make_contest
from test_privacy_pages import pdf_text

DECLARED = [[3, 17, 22, 40, 48], [2, 9]]
RECENT = {"recent_winner_days": 30}


def rows_csv(opens_at, rows) -> bytes:
    """``rows``: (user id, username) pairs, one comment each, a minute apart."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id"])
    for i, (user_id, username) in enumerate(rows):
        writer.writerow([f"{user_id}{i:03d}", user_id, username, "Je participe",
                         (opens_at + timedelta(minutes=i + 1)).isoformat(), ""])
    return out.getvalue().encode()


def opened(public_id, rows, rules=None, **overrides):
    contest = make_contest(public_id=public_id, **overrides)
    if rules:
        rules_doc.set_rules(contest, rules, "test")
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="rfc3797",
                                                                description="Loto"))
    import_comments(contest, io.BytesIO(rows_csv(contest.opens_at, rows)), "c.csv", "test")
    eligibility.evaluate_contest(contest, "test")
    return contest


def drawn(public_id="gagne", count=20, rules=None, **overrides):
    contest = opened(public_id, [(str(1000 + i), f"fan_{i:02d}") for i in range(count)],
                     rules, **overrides)
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")
    with after_beacon(contest):
        service.run_draw(contest, "staff@test.fr", declared=DECLARED)
    return contest


def verdict_of(contest, user_id):
    db.session.expire_all()
    counted, reasons = db.session.execute(sa.select(Verdict.counted, Verdict.reasons).join(
        Comment, Comment.id == Verdict.comment_pk).where(
        Comment.contest_id == contest.id, Comment.user_id == user_id)).one()
    return counted, reasons.strip(",")


def test_a_claimed_prize_excludes_the_account_from_the_organisers_next_contests(app):
    first = drawn()
    winner, alternate = followup.candidates(first)[:2]
    followup.set_status(first, winner, "contacted", "", "staff@test.fr")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PastWinner)) == 0
    followup.set_status(first, winner, "claimed", "", "staff@test.fr")
    drawn_at = db.session.get(Draw, first.id).drawn_at
    past = db.session.scalars(sa.select(PastWinner)).all()
    assert [(p.organiser_handle, p.network, p.user_id, p.handle, p.contest_id, p.won_at)
            for p in past] == [("gers_tourisme", "ig", winner.user_id, None, first.id,
                                drawn_at)]
    assert record_past_winner(first, "ig", winner.user_id, drawn_at).id == past[0].id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PastWinner)) == 1
    logged = db.session.scalars(sa.select(AuditRecord.details).where(
        AuditRecord.action == "winner.status")).all()
    assert logged[-1]["status"] == "claimed" and logged[-1]["past_winner"] is True

    # The second contest opens the day after the draw: the winner, renamed, is a recent
    # winner; someone else who took the winner's old name is not (keyed on the user id).
    rows = [(winner.user_id, "nouveau_nom"), ("77", winner.handle), ("78", "quelqu_un")]
    with time_machine.travel(drawn_at + timedelta(days=1), tick=True):
        second = opened("suivant", rows, RECENT)
        other_organiser = opened("ailleurs", rows, RECENT, organiser_handle="autre_office")
    assert verdict_of(second, winner.user_id) == (False, "recent_winner")
    assert verdict_of(second, "77") == (True, "")
    assert verdict_of(other_organiser, winner.user_id) == (True, "")
    # Counted back from the opening: evaluating again later changes nothing.
    with time_machine.travel(drawn_at + timedelta(days=40), tick=True):
        eligibility.evaluate_contest(second, "test")
    assert verdict_of(second, winner.user_id) == (False, "recent_winner")
    # A contest opened more than recent_winner_days after the win counts the account again.
    with time_machine.travel(drawn_at + timedelta(days=31, hours=2), tick=True):
        third = opened("bien-plus-tard", rows, RECENT)
    assert verdict_of(third, winner.user_id) == (True, "")
    assert alternate.status == "standby"


def test_only_a_claim_makes_a_past_winner(app):
    contest = drawn()
    winner = followup.candidates(contest)[0]
    followup.set_status(contest, winner, "contacted", "", "staff@test.fr")
    followup.set_status(contest, winner, "declined", "ne veut pas du lot", "staff@test.fr")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PastWinner)) == 0


def test_a_refused_claim_records_nothing(app):
    contest = drawn(alcohol_prize=True)
    winner = followup.candidates(contest)[0]
    followup.set_status(contest, winner, "contacted", "", "staff@test.fr")
    with pytest.raises(ValidationFailed):
        followup.set_status(contest, winner, "claimed", "", "staff@test.fr")  # 18+ unchecked
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PastWinner)) == 0


def test_replacement_publishes_a_category_and_keeps_the_note_private(app, client):
    contest = drawn(alcohol_prize=True)
    winner, first_alternate, second_alternate = followup.candidates(contest)[:3]
    note = "Carte d'identité : née à Auch le 3 mars 2010"
    with pytest.raises(ValidationFailed) as info:
        followup.set_status(contest, winner, "disqualified", note, "staff@test.fr",
                            public_reason="a free text")
    assert "public_reason" in info.value.errors
    db.session.rollback()
    followup.set_status(contest, winner, "disqualified", note, "staff@test.fr",
                        public_reason="under_18")
    followup.set_status(contest, first_alternate, "declined", "pas intéressé du tout",
                        "staff@test.fr")
    db.session.expire_all()
    assert (winner.public_reason, winner.status_reason) == ("under_18", note)
    assert first_alternate.public_reason == "declined"
    events = [r["event"] for r in json.loads(client.get("/c/gagne/followup.json").data)]
    assert events == [
        {"kind": "status", "position": 0, "status": "disqualified", "public_reason": "under_18",
         "replacement_position": 1},
        {"kind": "status", "position": 1, "status": "declined", "public_reason": "declined",
         "replacement_position": 2}]
    french = client.get("/c/gagne").data.decode()
    assert "Rang 1 : disqualifié (moins de 18 ans) — le lot passe au rang 2" in french
    assert "Rang 2 : refusé — le lot passe au rang 3" in french
    english = client.get("/c/gagne", headers={"Accept-Language": "en"}).data.decode()
    assert "Position 1: disqualified (under 18)" in english
    for url in ("/c/gagne", "/c/gagne.json", "/c/gagne/followup.json", "/c/gagne.pdf"):
        body = client.get(url).data
        if url.endswith(".pdf"):
            body = pdf_text(body).encode("utf-8")
        assert b"Auch le 3 mars" not in body and b"pas int" not in body, url
        assert b"staff@test.fr" not in body, url
    logged = db.session.scalars(sa.select(AuditRecord.details).where(
        AuditRecord.action == "winner.status")).all()
    assert logged[0]["reason"] == note and logged[0]["public_reason"] == "under_18"
    db.session.refresh(second_alternate)
    assert second_alternate.status == "to_contact"


def test_a_failed_follow_check_disqualifies_as_not_following(app):
    contest = drawn(rules={"must_follow": "organiser"})
    winner = followup.candidates(contest)[0]
    followup.record_follow_check(contest, winner, False, "staff@test.fr",
                                 "vérifié sur son profil à 10 h")
    db.session.expire_all()
    assert (winner.follow_check, winner.status, winner.public_reason) == (
        "no", "disqualified", "not_following")
    assert winner.status_reason == "vérifié sur son profil à 10 h"


@pytest.mark.parametrize("event, english", [
    ({"kind": "status", "position": 2, "status": "no_answer", "public_reason": "no_answer",
      "replacement_position": None}, "Position 3: no answer by the deadline — no alternate left"),
    ({"kind": "status", "position": 0, "status": "disqualified",
      "public_reason": "not_following", "replacement_position": 4},
     "Position 1: disqualified (does not follow the required account) — the prize goes to "
     "position 5"),
    ({"kind": "status", "position": 0, "status": "disqualified", "public_reason": "other",
      "replacement_position": 1}, "Position 1: disqualified (other reason) — the prize goes "
                                  "to position 2"),
])
def test_followup_sentence_words_the_public_reason(app, event, english):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert followup_sentence(event) == english


def test_the_staff_form_asks_for_a_public_reason_and_a_private_note(app, client, auth):
    contest = drawn()
    winner = followup.candidates(contest)[0]
    auth.login()
    page = client.get("/contests/gagne/winners").data.decode()
    assert "Motif public (publié sur la page du jeu-concours)" in page
    assert "Note privée (équipe seulement, jamais publiée)" in page
    assert "moins de 18 ans" in page
    client.post(f"/contests/gagne/winners/{winner.id}", data={
        "status": "no_answer", "public_reason": "other", "reason": "numéro 06 12 34 56 78"})
    db.session.expire_all()
    assert (winner.status, winner.public_reason) == ("no_answer", "other")
    assert "06 12 34" not in client.get("/c/gagne").data.decode()
    assert "06 12 34" in client.get("/contests/gagne/winners").data.decode()  # staff see it
