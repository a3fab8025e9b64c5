"""The draw in the app: commitment, freeze, one draw, certificate, follow-up, purge."""
import csv
import io
import json
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from giveaway.audit.models import AuditRecord
from giveaway.contests import lifecycle
from giveaway.core import (BeaconNotYetAvailable, DrandBeacon, QUICKNET, parse_leaf_list,
                           verify_certificate)
from giveaway.draws import followup, freeze, retention, service
from giveaway.draws.commitment import BeaconChoice, setup_of
from giveaway.draws.models import Candidate, Draw, Freeze
from giveaway.eligibility import decisions, service as eligibility
from giveaway.eligibility.models import Verdict
from giveaway.errors import Conflict, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment
from conftest import after_beacon, make_contest

VECTORS = json.loads((Path(__file__).parent / "core/data/gdraw-v1-vectors.json").read_text())
HANDLES = [f"participant_{i:02d}" for i in range(30)]


def entries_csv(opens_at, count=30) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id"])
    for i in range(count):
        writer.writerow([f"9{i:03d}", str(1000 + i), HANDLES[i], f"Je participe #{i}",
                         (opens_at + timedelta(minutes=i + 1)).isoformat(), ""])
    return out.getvalue().encode()


def declared_contest(public_id="noel", alternates=3, **overrides):
    contest = make_contest(public_id=public_id, alternates=alternates, **overrides)
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="EuroMillions du vendredi suivant la clôture"))
    import_comments(contest, io.BytesIO(entries_csv(contest.opens_at)), "c.csv", "test")
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")
    return contest


DECLARED = [[3, 17, 22, 40, 48], [2, 9]]  # the declared shape: EuroMillions' 5 numbers, 2 stars


def drawn_contest(**kwargs):
    contest = declared_contest(**kwargs)
    with after_beacon(contest):
        service.run_draw(contest, "staff@test.fr", declared=DECLARED)
    return contest


def certificate_and_leaves(client, public_id):
    document = json.loads(client.get(f"/c/{public_id}.json").data)
    leaves = parse_leaf_list(client.get(f"/c/{public_id}/leaves.txt").data)
    return document, leaves


def test_opening_commits_and_the_public_page_shows_it(app, client):
    contest = make_contest(public_id="ouvert")
    lifecycle.open_contest(contest, "test")
    setup = setup_of(contest)
    assert setup.beacon_kind == "drand"
    assert setup.drand_round == QUICKNET.round_at(contest.closes_at + timedelta(hours=24))
    page = client.get("/c/ouvert").data.decode()
    assert setup.commitment in page and setup.salt in page and str(setup.drand_round) in page
    assert f"gdraw-v2 ouvert {setup.commitment[:32]}" in page
    opening = db.session.scalar(sa.select(AuditRecord).where(AuditRecord.action == "contest.open"))
    assert opening.details["commitment"] == setup.commitment
    assert client.get("/c/coffret-noel").status_code == 404  # drafts are not public


def test_commit_only_needs_an_explicit_choice(app):
    contest = make_contest()
    with pytest.raises(ValidationFailed):
        lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="none"))
    assert contest.status == "draft"
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="none",
                                                                commit_only_confirmed=True))
    assert setup_of(contest).beacon_kind == "none"


def test_full_draw_certificate_verifies(app, client, runner, tmp_path):
    contest = drawn_contest()
    assert contest.status == "drawn"
    document, leaves = certificate_and_leaves(client, "noel")
    assert document["entries"]["count"] == 30 == len(leaves)
    checks = verify_certificate(document, leaves)
    assert all(check.status.name != "FAIL" for check in checks), checks
    assert [p["drawn_as"] for p in document["people"]] == ["winner"] + ["alternate"] * 3
    assert document["counts"]["counted"] == 30
    assert document["beacon"]["key_string"] == "3.17.22.40.48./2.9./"
    (tmp_path / "c.json").write_text(json.dumps(document))
    (tmp_path / "leaves.txt").write_bytes(client.get("/c/noel/leaves.txt").data)
    import subprocess
    import sys
    verified = subprocess.run([sys.executable, "-m", "giveaway.verify", str(tmp_path / "c.json"),
                               "--leaves", str(tmp_path / "leaves.txt")],
                              capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert client.get("/c/noel.pdf").data.startswith(b"%PDF")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_public_pages_show_no_unmasked_handle(app, client):
    drawn_contest()
    bodies = [client.get(url).data for url in ("/c/noel", "/c/noel.json", "/c/noel/leaves.txt")]
    for body in bodies:
        for handle in HANDLES:
            assert handle.encode() not in body
    assert b"@pa***" in bodies[0]


def test_the_draw_runs_once(app, client):
    contest = drawn_contest()
    with pytest.raises(Conflict):
        service.run_draw(contest, "test", declared=[[1]])
    refused = db.session.scalars(sa.select(AuditRecord).where(
        AuditRecord.action == "draw.refused")).all()
    assert len(refused) == 1


def test_exactly_one_draw_under_twenty_concurrent_requests(app):
    contest = declared_contest()
    barrier, outcomes = threading.Barrier(20), []

    def attempt():
        barrier.wait(timeout=30)  # all at once, before any of them touches the database
        with app.app_context():
            target = db.session.get(type(contest), contest.id)
            try:
                service.run_draw(target, "racer", declared=DECLARED)
                outcomes.append("drawn")
            except Conflict:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    with after_beacon(contest):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    db.session.expire_all()
    assert outcomes.count("drawn") == 1 and outcomes.count("refused") == 19
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Draw)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Candidate)) == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditRecord).where(
        AuditRecord.action == "draw.refused")) == 19


def test_nothing_changes_after_freeze(app, fake_session):
    contest = declared_contest()
    with pytest.raises(Conflict):
        import_comments(contest, io.BytesIO(entries_csv(contest.opens_at, 2)), "x.csv", "t")
    with pytest.raises(Conflict):
        eligibility.evaluate_contest(contest, "test")
    pk = db.session.scalar(sa.select(Comment.id).limit(1))
    with pytest.raises(Conflict):
        decisions.decide(contest, pk, "exclude", "trop tard pour changer", "test")
    from giveaway.harvest.service import start_harvest
    with pytest.raises(Conflict):
        start_harvest(contest, "test")


@pytest.fixture
def fake_session(app):
    from fake_instagram import fixture_settings
    from giveaway.harvest.ig_session import save_settings
    return save_settings("gers_tourisme", fixture_settings(), "test")


def test_tampering_after_freeze_is_detected(app, client, runner):
    contest = drawn_contest()
    stored = db.session.get(Freeze, contest.id)
    leaves = bytearray(stored.leaves)
    leaves[5] ^= 1
    db.session.execute(sa.update(Freeze).values(leaves=bytes(leaves)))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "leaf list" in result.output
    document, served = certificate_and_leaves(client, "noel")
    assert any(c.status.name == "FAIL" for c in verify_certificate(document, served))


def test_tampered_verdict_is_detected(app, runner):
    drawn_contest()
    db.session.execute(sa.update(Verdict).where(Verdict.counted.is_(True))
                       .values(entry_key="ig:666"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "verdicts" in result.output


def _drand_contest(now):
    """A contest timed around the real drand round 123 of the test vectors."""
    round_time = QUICKNET.round_time(123)
    contest = make_contest(public_id="drand", opens_at=round_time - timedelta(hours=3),
                           closes_at=round_time - timedelta(hours=1))
    lifecycle.open_contest(contest, "test", now=round_time - timedelta(hours=2),
                           beacon=BeaconChoice(kind="drand", draw_time=round_time))
    import_comments(contest, io.BytesIO(entries_csv(contest.opens_at, 10)), "c.csv", "test")
    lifecycle.close_contest(contest, "test", now=round_time - timedelta(minutes=50))
    return contest, round_time


def _recorded_round(flip=False):
    signature = bytearray.fromhex(VECTORS["drand_quicknet"]["signature"])
    if flip:
        signature[10] ^= 1
    return lambda round_number, urls: DrandBeacon(
        bytes.fromhex(VECTORS["drand_quicknet"]["chain_hash"]), round_number, bytes(signature))


def test_drand_round_is_verified_and_used(app, client):
    contest, round_time = _drand_contest(None)
    freeze.freeze_contest(contest, "test", now=round_time - timedelta(minutes=10))

    def not_yet(round_number, urls):
        raise BeaconNotYetAvailable(round_number, round_time)
    with pytest.raises(service.BeaconPending):
        service.run_draw(contest, "test", fetch=not_yet)
    with pytest.raises(Conflict):
        service.run_draw(contest, "test", fetch=_recorded_round(flip=True))
    service.run_draw(contest, "test", fetch=_recorded_round())
    document, leaves = certificate_and_leaves(client, "drand")
    assert document["beacon"]["round"] == 123
    assert document["beacon"]["randomness"] == VECTORS["drand_quicknet"]["randomness"]
    assert all(c.status.name != "FAIL" for c in verify_certificate(document, leaves))


def test_late_freeze_needs_a_later_round_shown_as_anomaly(app, client):
    contest, round_time = _drand_contest(None)
    with pytest.raises(Conflict):
        freeze.freeze_contest(contest, "test", now=round_time + timedelta(minutes=1))
    with pytest.raises(ValidationFailed):
        freeze.redeclare_beacon(contest, round_time + timedelta(hours=1), "", "test",
                                now=round_time + timedelta(minutes=2))
    setup = freeze.redeclare_beacon(contest, round_time + timedelta(hours=1),
                                    "Récolte finale retardée par Instagram", "test",
                                    now=round_time + timedelta(minutes=2))
    assert setup.drand_round > 123 and setup.anomalies[0]["reason"].startswith("Récolte")
    freeze.freeze_contest(contest, "test", now=round_time + timedelta(minutes=3))
    assert "Récolte finale retardée" in client.get("/c/drand").data.decode()


def test_declined_winner_is_replaced_by_the_next_alternate(app, client):
    contest = drawn_contest(alcohol_prize=True)
    people = followup.candidates(contest)
    winner, first_alternate = people[0], people[1]
    followup.set_status(contest, winner, "contacted", "", "staff@test.fr")
    with pytest.raises(ValidationFailed):
        followup.set_status(contest, winner, "claimed", "", "staff@test.fr")  # 18+ unchecked
    with pytest.raises(ValidationFailed):
        followup.set_status(contest, winner, "declined", "", "staff@test.fr")  # no reason
    sealed = client.get("/c/noel.json").data
    followup.set_status(contest, winner, "declined", "ne boit pas de vin", "staff@test.fr")
    db.session.refresh(first_alternate)
    assert first_alternate.status == "to_contact"
    assert client.get("/c/noel.json").data == sealed  # the certificate is sealed at the draw
    document, leaves = certificate_and_leaves(client, "noel")
    chain = json.loads(client.get("/c/noel/followup.json").data)
    assert [r["event"] for r in chain] == [
        {"kind": "status", "position": 0, "status": "contacted"},
        {"kind": "status", "position": 0, "status": "declined", "public_reason": "declined",
         "replacement_position": 1}]
    assert "ne boit pas" not in client.get("/c/noel/followup.json").data.decode()  # private
    assert "L'abus d'alcool" in document["notices"]["health"]
    assert all(c.status.name != "FAIL" for c in verify_certificate(document, leaves))
    followup.set_status(contest, first_alternate, "contacted", "", "staff@test.fr")
    followup.set_status(contest, first_alternate, "claimed", "", "staff@test.fr",
                        age_confirmed=True)


def test_am_i_counted(app, client):
    drawn_contest()
    counted = client.post("/c/noel", data={"handle": "@Participant_03"}).data.decode()
    assert "Compté" in counted or "Counted" in counted
    unknown = client.post("/c/noel", data={"handle": "nobody_here"}).data.decode()
    assert "Aucun commentaire" in unknown or "No comment found" in unknown
    assert "participant_04" not in counted  # nothing about anyone else
    statuses = [client.post("/c/noel", data={"handle": "x"}).status_code for _ in range(25)]
    assert 429 in statuses


def test_purge_keeps_a_verifiable_certificate(app, client, runner):
    contest = drawn_contest()
    before, _leaves = certificate_and_leaves(client, "noel")
    assert runner.invoke(args=["purge", "--dry-run"]).output == ""
    later = db.session.get(Draw, contest.id).drawn_at + timedelta(days=121)
    assert retention.purge_due("test", now=later) == {"noel": 30}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
    candidate = db.session.scalar(sa.select(Candidate).where(Candidate.position == 0))
    assert candidate.handle.startswith("@") and "***" in candidate.handle
    document, leaves = certificate_and_leaves(client, "noel")
    assert all(c.status.name != "FAIL" for c in verify_certificate(document, leaves))
    assert document["harvest"] == before["harvest"] and document["counts"] == before["counts"]
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_staff_draw_through_the_ui(client, auth, app):
    contest = declared_contest()
    auth.login()
    page = client.get("/contests/noel/draw").data.decode()
    assert "EuroMillions" in page
    early = client.post("/contests/noel/draw", data={"values": "3 17 22 40 48 / 2 9"},
                        follow_redirects=True).data.decode()
    assert "Trop tôt" in early and db.session.get(Draw, contest.id) is None
    with after_beacon(contest):
        auth.login()  # nine days later: the draw asks for a fresh login
        assert client.post("/contests/noel/draw", data={"values": "1 2 3 / x"}).status_code == 200
        wrong_shape = client.post("/contests/noel/draw", data={"values": "9319 / 2 5 12 8 10"})
        assert wrong_shape.status_code == 200 and db.session.get(Draw, contest.id) is None
        assert "2 source(s)" in wrong_shape.data.decode() or "2 source" in \
            wrong_shape.data.decode()
        response = client.post("/contests/noel/draw", data={"values": "3 17 22 40 48 / 2 9"})
        assert response.status_code == 302
        winners = client.get("/contests/noel/winners").data.decode()
    assert "participant_" in winners  # staff see real handles


def test_draw_command(app, runner):
    contest = declared_contest()
    early = runner.invoke(args=["draw", "noel", "--values", "3 17 22 40 48/2 9"])
    assert early.exit_code == 1 and "Trop tôt" in early.output
    assert db.session.get(Draw, contest.id) is None
    with after_beacon(contest):
        result = runner.invoke(args=["draw", "noel", "--values", "3 17 22 40 48/2 9"])
        assert result.exit_code == 0, result.output
        assert result.output.count("winner 1:") == 1
        again = runner.invoke(args=["draw", "noel", "--values", "3 17 22 40 48/2 9"])
    assert again.exit_code == 1


def test_follow_check_disqualifies_non_followers(app, fake_session):
    from fake_instagram import FakeInstagram
    with FakeInstagram() as fake:
        app.config["IG_API_BASE"] = fake.base_url
        contest = make_contest(public_id="suivre")
        from giveaway.eligibility.rules_doc import set_rules
        set_rules(contest, {"must_follow": "organiser"}, "test")
        lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="rfc3797",
                                                                    description="Loto"))
        import_comments(contest, io.BytesIO(entries_csv(contest.opens_at)), "c.csv", "test")
        lifecycle.close_contest(contest, "test")
        freeze.freeze_contest(contest, "test")
        with after_beacon(contest):
            service.run_draw(contest, "test", declared=DECLARED)
        people = followup.candidates(contest)
        fake.followers.update(int(p.user_id) for p in people[1:])  # the winner does not follow
        from giveaway.harvest.tasks import make_instagram_client
        followup.check_follows(contest, "test", make_instagram_client)
        people = followup.candidates(contest)
        assert (people[0].follow_check, people[0].status) == ("no", "disqualified")
        assert (people[1].follow_check, people[1].status) == ("yes", "to_contact")


def test_declared_values_without_a_name_default_to_the_euromillions_draw(app):
    """The opening form promises « default: the first EuroMillions draw 24 h after the close »."""
    contest = make_contest(public_id="loto")
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="rfc3797", description=""))
    setup = setup_of(contest)
    assert setup.beacon_description.startswith("EuroMillions du ")
    assert setup.beacon_description.split()[2] in ("mardi", "vendredi")
    assert json.loads(setup.declaration)["beacon"]["description"] == setup.beacon_description


def test_declared_values_of_another_lottery_must_be_named(app):
    contest = make_contest(public_id="loto")
    with pytest.raises(ValidationFailed) as refused:
        lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
            kind="rfc3797", description="", sources=[("Loto : les 5 numéros", 5)]))
    assert "description" in refused.value.errors and setup_of(contest) is None
