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
from giveaway.core.sources import RawComment
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment
from giveaway.harvest.store import store_comments
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


def store(contest, *comments: RawComment) -> None:
    store_comments(contest.id, comments, utcnow())
    db.session.commit()


def raw(contest, cid: str, user: str, name: str, text: str, minutes: float, **extra) -> RawComment:
    return RawComment(comment_id=cid, user_id=user, username=name, text=text,
                      created_at=contest.opens_at + timedelta(minutes=minutes), **extra)


def test_comments_at_the_same_second_are_decided_in_comment_id_order(contest):
    # "d20" sorts before "d3" as text: the account's first entry is d20, whatever the store order
    store(contest, raw(contest, "d3", "50", "twin", "@x @y #gers", 20),
          raw(contest, "d20", "50", "twin", "@x @y #gers", 20))
    service.evaluate_contest(contest, "test")
    got = verdicts()
    assert got["d20"].counted and got["d3"].reasons == ",duplicate_account,"


def test_every_username_of_a_renamed_account_is_checked(contest):
    # alice (pk 1) commented as "alice", then as "alice_renamed": blocking the new name
    # blocks both comments, including the one written under the old name
    blocklist.block("@alice_renamed", "bot", "test")
    service.evaluate_contest(contest, "test")
    got = verdicts()
    assert got["c1"].reasons == ",blocked," and got["c2"].reasons == ",blocked,"


def test_flags_are_stored_counted_and_filterable(contest, client, auth):
    text = "Quel magnifique domaine, je tente ma chance avec plaisir #gers @ami{}"
    store(contest, *(raw(contest, f"s{i}", str(60 + i), f"fan{i}", text.format(i), 30 + i)
                     for i in range(3)))
    service.evaluate_contest(contest, "test")
    same_text = {cid: v.flags for cid, v in verdicts().items() if "same_text" in v.flags}
    assert sorted(same_text) == ["s0", "s1", "s2"]
    assert len(set(same_text.values())) == 1  # one group links the three
    assert verdicts()["c7"].flags.startswith(",same_mentions:")  # "@x @y" from many accounts
    assert service.latest_evaluation(contest).totals["by_flag"]["same_text"] == 3
    auth.login()
    url = f"/contests/{contest.public_id}/entries"
    page = client.get(url + "?flag=same_text").data.decode()
    assert "@fan0" in page and "@fan2" in page and "@alice" not in page
    # the filter offers the flags in words, never a code to type
    assert '<option value="same_text" selected>même texte que d&#39;autres comptes</option>' in page
    group = same_text["s0"].strip(",")  # the link of the flag: "same_text:<group>"
    in_group = client.get(url, query_string={"flag": group}).data.decode()
    assert "@fan1" in in_group and "même texte que d&#39;autres comptes : ce groupe" in in_group
    assert "@fan1" not in client.get(url, query_string={"flag": group + "0"}).data.decode()
    # with a reason too: both filters apply (the s* comments tag one friend only)
    both = client.get(url + "?reason=too_few_mentions&flag=same_text").data.decode()
    assert "@fan0" in both and "@bob" not in both  # bob: too few mentions, no flag
    blocked = client.get(url + "?reason=blocked&flag=same_mentions").data.decode()
    assert "@spammer" in blocked and "@lucky" not in blocked and "@fan0" not in blocked


def test_reason_filter_lists_in_time_order_and_combines_with_others(contest, client, auth):
    store(contest, raw(contest, "n2", "71", "nohash_b", "@x @y", 40),
          raw(contest, "n1", "70", "nohash_a", "@x @y", 35))
    service.evaluate_contest(contest, "test")
    auth.login()
    url = f"/contests/{contest.public_id}/entries?reason=missing_hashtag"
    page = client.get(url).data.decode()
    assert page.index("@carl") < page.index("@nohash_a") < page.index("@nohash_b")
    assert "@alice" not in page
    searched = client.get(url + "&q=nohash_b").data.decode()
    assert "@nohash_b" in searched and "@nohash_a" not in searched and "@carl" not in searched
    # a manual inclusion keeps its reasons: still listed under the reason, now counted
    pk = db.session.scalar(sa.select(Comment.id).where(Comment.comment_id == "n1"))
    decisions.decide(contest, pk, "include", "Hashtag ajouté en story, vérifié.", "test")
    counted = client.get(url + "&verdict=counted").data.decode()
    assert "@nohash_a" in counted and "@carl" not in counted


def test_manual_inclusion_survives_recomputation(contest):
    pk = db.session.scalar(sa.select(Comment.id).where(Comment.comment_id == "c4"))
    decisions.decide(contest, pk, "include", "Hashtag présent dans la légende, vérifié.", "test")
    service.evaluate_contest(contest, "test")
    got, totals = verdicts()["c4"], service.latest_evaluation(contest).totals
    assert (got.counted, got.entry_key, got.manual) == (True, "ig:3", "include")
    assert got.reasons == ",missing_hashtag,"  # the rules' verdict stays readable
    assert (totals["counted"], totals["entries"], totals["manual_inclusions"]) == (3, 3, 1)


def test_a_comment_id_shared_by_two_networks_is_refused_when_stored(contest):
    """Two networks sharing a comment id would make the contest impossible to evaluate:
    the store refuses the second one, so the contest can still be evaluated and frozen."""
    before = verdicts()
    with pytest.raises(Conflict, match="c1"):
        store(contest, raw(contest, "c1", "tt-9", "someone", "@x @y #gers", 50,
                           network="tiktok"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(
        Comment.network == "tiktok")) == 0
    service.evaluate_contest(contest, "test")
    assert {cid: v.counted for cid, v in verdicts().items()} == {
        cid: v.counted for cid, v in before.items()}


def test_a_comment_gone_from_instagram_is_excluded_as_deleted(contest):
    db.session.execute(sa.update(Comment).where(Comment.comment_id == "c1")
                       .values(disappeared_at=utcnow()))
    db.session.commit()
    service.evaluate_contest(contest, "test")
    got = verdicts()
    assert got["c1"].reasons == ",deleted," and not got["c1"].counted
    assert got["c2"].counted  # alice's next comment now counts


def test_the_review_screen_names_reasons_and_flags_in_words(contest, client, auth):
    service.evaluate_contest(contest, "test")
    auth.login()
    page = client.get(f"/contests/{contest.public_id}/entries").data.decode()
    assert "too_few_mentions" not in page.replace("reason=too_few_mentions", "") \
        .replace('value="too_few_mentions"', "")
    assert "mentions insuffisantes" in page
