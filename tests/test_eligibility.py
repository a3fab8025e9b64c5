"""Eligibility in the app: rules, verdicts with reasons, review, manual decisions, export."""
import csv
import io
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from giveaway.audit.models import AuditRecord
from giveaway.contests import lifecycle
from giveaway.db_types import utcnow
from giveaway.eligibility import blocklist, decisions, rules_doc, service
from giveaway.eligibility.models import PastWinner, Verdict
from giveaway.errors import Conflict, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment
from conftest import make_contest

RULES = {"min_mentions": 2, "required_hashtags": ["#Gers"], "recent_winner_days": 30,
         "staff_handles": ["cm_du_gers"]}


def at(contest, minutes: int) -> str:
    return (contest.opens_at + timedelta(minutes=minutes)).isoformat()


def comments_csv(contest) -> bytes:
    rows = [
        ("c1", "1", "alice", "Je joue @bob @carl #gers", at(contest, 5), ""),
        ("c2", "1", "alice_renamed", "Encore @dan @eve #GÉRS", at(contest, 9), ""),  # same pk
        ("c3", "2", "bob", "@alice seulement #gers", at(contest, 6), ""),
        ("c4", "3", "carl", "Sans hashtag @x @y", at(contest, 7), ""),
        ("c5", "4", "dan", "Trop tôt @x @y #gers", at(contest, -10), ""),
        ("c6", "5", "gers_tourisme", "Organisateur @x @y #gers", at(contest, 8), ""),
        ("c7", "6", "spammer", "Bloqué @x @y #gers", at(contest, 8), ""),
        ("c8", "7", "lucky", "Déjà gagné @x @y #gers", at(contest, 8), ""),
        ("c9", "8", "zoe", "Réponse @x @y #gers", at(contest, 8), "c1"),
        ("c10", "9", "eve", "<script>alert(1)</script> \u202e@x @y #gers", at(contest, 11), ""),
        ("c11", "10", "cm_du_gers", "Staff @x @y #gers", at(contest, 12), ""),
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id"])
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def contest(app):
    contest = make_contest()
    rules_doc.set_rules(contest, RULES, "test")
    lifecycle.open_contest(contest, "test")
    blocklist.block("@spammer", "bot farm", "test")
    db.session.add(PastWinner(organiser_handle="gers_tourisme", network="ig", user_id="7",
                              handle="lucky", won_at=utcnow() - timedelta(days=3)))
    db.session.commit()
    import_comments(contest, io.BytesIO(comments_csv(contest)), "comments.csv", "test")
    return contest


def verdicts() -> dict[str, Verdict]:
    db.session.expire_all()
    rows = db.session.execute(sa.select(Comment.comment_id, Verdict)
                              .join(Verdict, Verdict.comment_pk == Comment.id)).all()
    return {cid: verdict for cid, verdict in rows}


def test_every_comment_gets_a_verdict_with_reasons(contest):
    got = {cid: (v.counted, v.reasons.strip(",")) for cid, v in verdicts().items()}
    assert got == {
        "c1": (True, ""), "c2": (False, "duplicate_account"), "c3": (False, "too_few_mentions"),
        "c4": (False, "missing_hashtag"), "c5": (False, "early"),
        "c6": (False, "excluded_account"), "c7": (False, "blocked"),
        "c8": (False, "recent_winner"), "c9": (False, "reply_not_counted"),
        "c10": (True, ""), "c11": (False, "excluded_account"),
    }
    assert verdicts()["c1"].entry_key == "ig:1"
    totals = service.latest_evaluation(contest).totals
    assert (totals["comments"], totals["counted"], totals["entries"]) == (11, 2, 2)
    assert totals["by_reason"]["excluded_account"] == 2


def test_evaluating_again_gives_the_same_verdicts(contest):
    before = {cid: (v.counted, v.reasons, v.entry_key) for cid, v in verdicts().items()}
    service.evaluate_contest(contest, "test")
    assert {cid: (v.counted, v.reasons, v.entry_key) for cid, v in verdicts().items()} == before


def test_rules_are_frozen_once_open_and_validated(app, contest):
    with pytest.raises(Conflict):
        rules_doc.set_rules(contest, {"min_mentions": 0}, "test")
    draft = make_contest(public_id="autre")
    with pytest.raises(ValidationFailed) as info:
        rules_doc.set_rules(draft, {"min_mentionz": 1}, "test")
    assert "min_mentionz" in str(info.value.errors)
    with pytest.raises(ValidationFailed) as info:
        rules_doc.set_rules(draft, {"closes_at": "2030-01-01T00:00:00Z"}, "test")
    assert "closes_at" in info.value.errors
    opening = db.session.scalar(sa.select(AuditRecord).where(AuditRecord.action == "contest.open"))
    assert opening.details["eligibility"]["min_mentions"] == 2


def test_manual_decisions_need_a_justification_and_are_kept(contest, client, auth):
    pk = db.session.scalar(sa.select(Comment.id).where(Comment.comment_id == "c10"))
    with pytest.raises(ValidationFailed):
        decisions.decide(contest, pk, "exclude", "bof", "test")
    auth.login()
    response = client.post(f"/contests/{contest.public_id}/entries/{pk}", data={
        "decision": "exclude", "justification": "Compte créé la veille, 0 publication."})
    assert response.status_code == 302
    assert verdicts()["c10"].counted is False and verdicts()["c10"].manual == "exclude"
    service.evaluate_contest(contest, "test")  # survives a recomputation
    totals = service.latest_evaluation(contest).totals
    assert verdicts()["c10"].counted is False
    assert (totals["manual_exclusions"], totals["manual_inclusions"]) == (1, 0)
    page = client.get(f"/contests/{contest.public_id}/entries/{pk}").data.decode()
    assert "Compte créé la veille" in page and "staff@test.fr" in page
    assert db.session.scalar(sa.select(AuditRecord.actor).where(
        AuditRecord.action == "entries.manual_exclude")) == "staff@test.fr"


def test_review_table_escapes_hostile_text_and_filters(contest, client, auth):
    auth.login()
    page = client.get(f"/contests/{contest.public_id}/entries").data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\u202e" not in page and "U+202E" in page
    assert "11 commentaires" in page
    late = client.get(f"/contests/{contest.public_id}/entries?reason=blocked").data.decode()
    assert "@spammer" in late and "@alice" not in late
    counted = client.get(f"/contests/{contest.public_id}/entries?verdict=counted").data.decode()
    assert "@alice" in counted and "Sans hashtag" not in counted
    found = client.get(f"/contests/{contest.public_id}/entries?q=renamed").data.decode()
    assert "alice_renamed" in found and "Sans hashtag" not in found


def test_csv_export_one_row_per_comment(contest, client, auth, runner, tmp_path):
    auth.login()
    response = client.get(f"/contests/{contest.public_id}/entries.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert len(rows) == 11
    assert {r["comment_id"]: r["reasons"] for r in rows}["c3"] == "too_few_mentions"
    path = tmp_path / "export.csv"
    result = runner.invoke(args=["entries", "export", contest.public_id, "--csv", str(path)])
    assert result.exit_code == 0 and "11 comments" in result.output
    assert path.read_text(encoding="utf-8").splitlines()[0].startswith("comment_id,network")


def test_command_line_rules_and_show(runner, app, tmp_path):
    contest = make_contest(public_id="cli-rules")
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"counting": "per_comment", "max_entries_per_account": 3}))
    assert runner.invoke(args=["contest", "eligibility", "cli-rules", str(path)]).exit_code == 0
    path.write_text(json.dumps({"counting": "per_bot"}))
    refused = runner.invoke(args=["contest", "eligibility", "cli-rules", str(path)])
    assert refused.exit_code == 1 and "counting" in refused.output
    lifecycle.open_contest(contest, "test")
    assert runner.invoke(args=["entries", "evaluate", "cli-rules"]).exit_code == 0
    shown = json.loads(runner.invoke(args=["contest", "show", "cli-rules", "--json"]).output)
    assert shown["eligibility"]["counting"] == "per_comment"
    assert shown["eligibility"]["organiser_handles"] == ["gers_tourisme"]
    assert shown["entries"]["comments"] == 0


def test_partners_cannot_review_entries(contest, client, auth):
    auth.login("wine@test.fr")
    assert client.get(f"/contests/{contest.public_id}/entries").status_code == 403
    assert client.get(f"/contests/{contest.public_id}/entries.csv").status_code == 403


def test_block_list_is_admin_only(client, auth, app):
    auth.login()
    assert client.get("/admin/blocklist").status_code == 403
    auth.logout()
    auth.login("admin@test.fr")
    client.post("/admin/blocklist", data={"value": "@Robot.Farm", "reason": "spam"})
    assert "@robot.farm" in client.get("/admin/blocklist").data.decode()
    assert client.post("/admin/blocklist", data={"value": "no spaces!"}).status_code == 200
