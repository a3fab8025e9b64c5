"""gdraw-v2 in the app: the declaration at opening, the timeline enforced, the certificate
sealed once and served as stored, the follow-up chain, RFC 3161 time-stamps end to end."""
import io
import json
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from giveaway.contests import lifecycle
from giveaway.core import parse_leaf_list, verify_certificate
from giveaway.core.declaration import parse_declaration
from giveaway.core.protocol import commitment
from giveaway.db_types import utcnow
from giveaway.draws import followup, freeze, service
from giveaway.draws.commitment import BeaconChoice, declaration_document, setup_of
from giveaway.draws.models import Candidate, Draw, FollowupRecord
from giveaway.extensions import db
from giveaway.harvest.imports import import_comments
from giveaway.secretbox import open_secret
from conftest import after_beacon, make_contest
from test_draws import DECLARED, declared_contest, drawn_contest, entries_csv


def failed_steps(results):
    return [r.step for r in results if not r.ok]


def test_opening_declares_everything_the_draw_depends_on(app, client):
    contest = make_contest(public_id="declare", winners=2, alternates=4)
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="Loto du samedi", method="rfc3797",
        sources=[("Loto : les 5 numéros", 5), ("Loto : numéro chance", 1)]))
    setup = setup_of(contest)
    document = declaration_document(setup)
    decl = parse_declaration(document)
    assert (decl.method, decl.winners, decl.alternates) == ("rfc3797", 2, 4)
    assert [(s.name, s.count) for s in decl.beacon.sources] == [("Loto : les 5 numéros", 5),
                                                               ("Loto : numéro chance", 1)]
    assert decl.beacon.time == setup.draw_time and decl.committed_at == setup.committed_at
    assert decl.rules_sha256 == contest.current_rules.sha256
    seed = open_secret("draw-seed", setup.seed_sealed)
    assert setup.commitment == commitment("declare", seed, decl.digest).hex()
    # Published from the opening: the page, and D byte for byte.
    page = client.get("/c/declare").data.decode()
    assert setup.declaration_sha256 in page and "Loto : numéro chance" in page
    assert client.get("/c/declare/declaration.json").data == setup.declaration.encode()


def test_the_default_lottery_is_the_next_euromillions_draw_after_a_day(app):
    contest = make_contest(public_id="euro")
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="rfc3797",
                                                                description="EuroMillions"))
    setup = setup_of(contest)
    from giveaway.core.paris import to_paris
    local = to_paris(setup.draw_time)
    assert local.weekday() in (1, 4) and (local.hour, local.minute) == (21, 0)
    assert setup.draw_time >= contest.closes_at + timedelta(hours=24)
    assert [s["count"] for s in setup.declared_sources] == [5, 2]


def test_a_declared_draw_before_its_time_is_refused_and_logged(app):
    contest = declared_contest()
    with pytest.raises(service.BeaconPending) as info:
        service.run_draw(contest, "staff@test.fr", declared=DECLARED)
    assert info.value.available_at == setup_of(contest).draw_time
    assert db.session.get(Draw, contest.id) is None and contest.status == "frozen"
    from giveaway.audit.models import AuditRecord
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditRecord).where(
        AuditRecord.action == "draw.refused")) == 1


def test_values_of_another_shape_are_refused(app):
    contest = declared_contest()
    with after_beacon(contest):
        for values in ([[3, 17, 22, 40, 48]], [[3, 17, 22, 40], [2, 9]],
                       [[3, 17, 22, 40, 48], [2, 9], [1]]):
            with pytest.raises(service.ValidationFailed):
                service.run_draw(contest, "staff@test.fr", declared=values)
    assert db.session.get(Draw, contest.id) is None


def test_leading_zeros_are_kept_as_published(app, client):
    contest = declared_contest()
    with after_beacon(contest):
        service.run_draw(contest, "staff@test.fr", declared=[["03", "17", "22", "40", "48"],
                                                              ["02", "09"]])
    document = json.loads(client.get("/c/noel.json").data)
    assert document["beacon"]["sources"] == [["03", "17", "22", "40", "48"], ["02", "09"]]
    assert document["beacon"]["key_string"] == "3.17.22.40.48./2.9./"


def test_the_certificate_is_sealed_and_served_byte_for_byte(app, client):
    app.config["PUBLIC_URL"] = "https://jeux.gers.example"
    contest = drawn_contest()
    first = client.get("/c/noel.json", headers={"Host": "evil.example"})
    second = client.get("/c/noel.json", headers={"Host": "jeux.gers.example"})
    assert first.data == second.data and b"evil.example" not in first.data
    document = json.loads(first.data)
    assert document["protocol"] == "gdraw-v2"
    assert document["entries"]["leaves"] == "https://jeux.gers.example/c/noel/leaves.txt"
    assert first.headers["ETag"] and "immutable" in first.headers["Cache-Control"]
    again = client.get("/c/noel.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    # A database edit after the draw changes nothing that was published.
    contest.title = "Autre titre"
    db.session.execute(sa.update(Candidate).values(masked_handle="@zz***"))
    db.session.commit()
    assert client.get("/c/noel.json").data == first.data
    assert "staff@test.fr" not in first.data.decode()  # the operator's e-mail is not published


def test_audit_verify_detects_an_edited_sealed_certificate(app, client, runner):
    contest = drawn_contest()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    record = db.session.get(Draw, contest.id)
    record.certificate = record.certificate.replace(b"Coffret", b"Coffrez")
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "sealed certificate" in result.output


def test_follow_up_records_are_signed_chained_and_audited(app, client, runner):
    contest = drawn_contest()
    people = followup.candidates(contest)
    followup.set_status(contest, people[0], "contacted", "", "staff@test.fr")
    followup.set_status(contest, people[0], "no_answer", "pas de réponse en 7 jours",
                        "staff@test.fr")
    from giveaway.core.followup import check_followup_chain
    from giveaway.draws.keys import signing_key
    record = db.session.get(Draw, contest.id)
    bodies = [r.body for r in db.session.scalars(sa.select(FollowupRecord).order_by(
        FollowupRecord.seq))]
    key = signing_key().public_key()
    assert failed_steps(check_followup_chain(bodies, record.certificate_sha256, key)) == []
    published = client.get("/c/noel/followup.json").data
    assert all(body in published for body in bodies)
    page = client.get("/c/noel").data.decode()
    assert "Après le tirage" in page and "le lot passe au rang 2" in page
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # A record edited in the database breaks the chain check and the audit cross-check.
    row = db.session.scalar(sa.select(FollowupRecord).where(FollowupRecord.seq == 1))
    row.body = row.body.replace(b"contacted", b"claimed__")
    db.session.commit()
    assert failed_steps(check_followup_chain(
        [row.body, bodies[1]], record.certificate_sha256, key)) == ["followup"]
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "follow-up" in result.output


def test_a_late_freeze_moves_to_a_later_beacon_through_a_signed_redeclaration(app, client):
    contest = make_contest(public_id="tard")
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="rfc3797",
                                                                description="EuroMillions"))
    import_comments(contest, io.BytesIO(entries_csv(contest.opens_at)), "c.csv", "test")
    lifecycle.close_contest(contest, "test")
    setup = setup_of(contest)
    late = setup.draw_time + timedelta(minutes=5)
    with pytest.raises(service.Conflict):
        freeze.freeze_contest(contest, "test", now=late)
    freeze.redeclare_beacon(contest, setup.draw_time + timedelta(days=3),
                            "La récolte finale a été bloquée par Instagram.", "test",
                            now=late)
    freeze.freeze_contest(contest, "test", now=late + timedelta(minutes=1))
    with after_beacon(contest):
        service.run_draw(contest, "test", declared=DECLARED)
    document = json.loads(client.get("/c/tard.json").data)
    leaves = parse_leaf_list(client.get("/c/tard/leaves.txt").data)
    results = verify_certificate(document, leaves)
    assert failed_steps(results) == []
    assert [r.code for r in results if r.code == "beacon_redeclared"] == ["beacon_redeclared"]
    assert document["redeclarations"][0]["reason"].startswith("La récolte finale")


def test_a_gdraw_v1_contest_still_draws_and_verifies(app, client):
    """A contest opened before gdraw-v2 (protocol gdraw-v1 in the database) keeps v1."""
    contest = make_contest(public_id="ancien")
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="rfc3797",
                                                                description="Loto"))
    setup = setup_of(contest)
    seed = open_secret("draw-seed", setup.seed_sealed)
    setup.protocol, setup.declaration, setup.declaration_sha256 = "gdraw-v1", None, None
    setup.declared_sources = None
    setup.commitment = commitment("ancien", seed).hex()
    db.session.commit()
    import_comments(contest, io.BytesIO(entries_csv(contest.opens_at)), "c.csv", "test")
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")
    service.run_draw(contest, "test", declared=[[9319], [2, 5, 12, 8, 10]])  # no v2 timeline
    document = json.loads(client.get("/c/ancien.json").data)
    assert document["protocol"] == "gdraw-v1"
    leaves = parse_leaf_list(client.get("/c/ancien/leaves.txt").data)
    assert failed_steps(verify_certificate(document, leaves)) == []


def test_production_refuses_to_start_without_public_url(tmp_path, monkeypatch):
    monkeypatch.setenv("GIVEAWAY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("GIVEAWAY_PUBLIC_URL", raising=False)
    proc = subprocess.run([sys.executable, "-c", "import wsgi"], capture_output=True, text=True,
                          cwd=str(__import__("pathlib").Path(__file__).parents[1]))
    assert proc.returncode != 0 and "PUBLIC_URL is not set" in proc.stderr
    monkeypatch.setenv("GIVEAWAY_PUBLIC_URL", "https://jeux.example.fr")
    ok = subprocess.run([sys.executable, "-c", "import wsgi"], capture_output=True, text=True,
                        cwd=str(__import__("pathlib").Path(__file__).parents[1]))
    assert ok.returncode == 0, ok.stderr


def test_time_stamps_from_a_local_tsa_verify_end_to_end(app, client, local_tsa, tmp_path):
    """Opening, freeze and draw in real time, each time-stamped by a real RFC 3161 authority;
    the CLI verifier checks the tokens in the certificate and the certificate's own token."""
    app.config["TSA_URLS"] = (local_tsa.url,)
    now = utcnow().replace(microsecond=0)
    contest = make_contest(public_id="horodate", opens_at=now - timedelta(hours=1),
                           closes_at=now + timedelta(seconds=3))
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="Valeurs de test", draw_time=now + timedelta(seconds=5),
        sources=[("un nombre", 1)]))
    import_comments(contest, io.BytesIO(entries_csv(contest.opens_at)), "c.csv", "test")
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")
    time.sleep(max(0.0, (setup_of(contest).draw_time - utcnow()).total_seconds()) + 0.5)
    service.run_draw(contest, "test", declared=[["0042"]])
    body = client.get("/c/horodate.json").data
    document = json.loads(body)
    assert sorted(t["subject"] for t in document["timestamps"]) == ["commitment", "freeze"]
    page = client.get("/c/horodate").data.decode()
    assert "Horodatages (RFC 3161)" in page and "pas encore horodaté" not in page
    (tmp_path / "cert.json").write_bytes(body)
    (tmp_path / "horodate").mkdir()
    (tmp_path / "horodate" / "leaves.txt").write_bytes(client.get("/c/horodate/leaves.txt").data)
    (tmp_path / "cert.tsr").write_bytes(client.get("/c/horodate/certificate.tsr").data)
    (tmp_path / "root.pem").write_bytes(local_tsa.ca_pem)
    (tmp_path / "key.pem").write_bytes(client.get("/c/key.pem").data)

    def verify(*extra):
        return subprocess.run([sys.executable, "-m", "giveaway.verify", str(tmp_path / "cert.json"),
                               "--public-key", str(tmp_path / "key.pem"), *extra],
                              capture_output=True, text=True)

    good = verify("--tsa-root", str(tmp_path / "root.pem"),
                  "--certificate-timestamp", str(tmp_path / "cert.tsr"),
                  "--caption", f"gdraw-v2 horodate {document['commitment'][:32]}")
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.count("✓ timestamp:") == 2 and "✓ certificate-timestamp" in good.stdout
    # A tampered token (one byte of the freeze token's signature) fails.
    import base64
    raw = bytearray(base64.b64decode(document["timestamps"][1]["token"]))
    raw[-5] ^= 0x01
    document["timestamps"][1]["token"] = base64.b64encode(bytes(raw)).decode()
    (tmp_path / "cert.json").write_text(json.dumps(document), "utf-8")
    bad = verify("--tsa-root", str(tmp_path / "root.pem"))
    assert bad.returncode == 1 and "✗ timestamp" in bad.stdout


def test_the_cli_checks_the_follow_up_chain_against_the_certificate_file(app, client, tmp_path):
    contest = drawn_contest()
    people = followup.candidates(contest)
    followup.set_status(contest, people[0], "contacted", "", "staff@test.fr")
    followup.set_status(contest, people[0], "claimed", "", "staff@test.fr", age_confirmed=True)
    (tmp_path / "cert.json").write_bytes(client.get("/c/noel.json").data)
    (tmp_path / "noel").mkdir()
    (tmp_path / "noel" / "leaves.txt").write_bytes(client.get("/c/noel/leaves.txt").data)
    (tmp_path / "key.pem").write_bytes(client.get("/c/key.pem").data)
    chain = client.get("/c/noel/followup.json").data
    (tmp_path / "followup.json").write_bytes(chain)

    def verify():
        return subprocess.run([sys.executable, "-m", "giveaway.verify", str(tmp_path / "cert.json"),
                               "--public-key", str(tmp_path / "key.pem"),
                               "--followup", str(tmp_path / "followup.json")],
                              capture_output=True, text=True)

    good = verify()
    assert good.returncode == 0 and "✓ followup: 2 follow-up record(s)" in good.stdout, good.stdout
    (tmp_path / "followup.json").write_bytes(chain.replace(b'"claimed"', b'"declined"'))
    assert verify().returncode == 1
    records = json.loads(chain)
    (tmp_path / "followup.json").write_text(json.dumps(records[1:]), "utf-8")  # one dropped
    assert verify().returncode == 1


def test_an_address_given_as_operator_label_never_reaches_the_certificate(app, client):
    app.config["OPERATOR_PUBLIC_LABEL"] = "cm@gers.example"
    drawn_contest()
    body = client.get("/c/noel.json").data.decode()
    assert "cm@gers.example" not in body and json.loads(body)["operator"] == "organiser"
