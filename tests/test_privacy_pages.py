"""Issue 12, item 4: what public pages say — « Suis-je compté ? », certificate, masking, purge."""
import json
import re
from datetime import timedelta
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import sqlalchemy as sa
import time_machine

from giveaway.contests import lifecycle
from giveaway.core.sources import RawComment
from giveaway.db_types import utcnow
from giveaway.draws import followup, freeze, retention, service
from giveaway.draws.commitment import BeaconChoice
from giveaway.draws.labels import public_operator
from giveaway.draws.masking import mask_handle
from giveaway.draws.models import Draw
from giveaway.draws.pdf import certificate_pdf
from giveaway.eligibility import blocklist, decisions, rules_doc
from giveaway.eligibility import service as eligibility
from giveaway.eligibility.models import PastWinner
from giveaway.extensions import db
from giveaway.harvest.models import Comment, HarvestRun
from giveaway.harvest.runner import HarvestJob
from giveaway.harvest.store import store_comments
from giveaway.main.template_helpers import visible_handle
from giveaway.public.lookup import am_i_counted
from conftest import after_beacon, make_contest

DECLARED = [[3, 17, 22, 40, 48], [2, 9]]
PRIVATE = "Exclu par l'organisateur — contactez-le."


def pdf_text(body: bytes) -> str:
    """The text of a PDF, every page, as a reader extracts it (pypdfium2)."""
    document = pdfium.PdfDocument(body)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


# --- « Suis-je compté ? » -------------------------------------------------------------

@pytest.fixture
def contest(app):
    contest = make_contest(public_id="compte")
    rules_doc.set_rules(contest, {
        "min_mentions": 1, "required_hashtags": ["gers"], "required_keywords": ["cadeau"],
        "staff_handles": ["cm_du_gers"], "recent_winner_days": 30}, "test")
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="rfc3797",
                                                                description="Loto"))
    blocklist.block("@spammeur", "ferme de robots", "test")
    db.session.add(PastWinner(organiser_handle="gers_tourisme", network="ig", user_id="12",
                              won_at=utcnow() - timedelta(days=3)))
    db.session.commit()
    ok = "Je joue @ami #gers cadeau"

    def raw(cid, user, name, text=ok, minutes=5, **extra):
        return RawComment(comment_id=cid, user_id=user, username=name, text=text,
                          created_at=contest.opens_at + timedelta(minutes=minutes), **extra)

    store_comments(contest.id, [
        raw("c1", "1", "alice"),
        raw("c2", "2", "trop_tot", minutes=-10),
        raw("c3", "3", "trop_tard", minutes=60 * 24 * 8),
        raw("c4", "4", "sans_ami", "Je joue #gers cadeau"),
        raw("c5", "5", "sans_diese", "Je joue @ami gers cadeau"),
        raw("c6", "6", "sans_mot", "Je joue @ami #gers"),
        raw("c8", "8", "repondeur", parent_id="c1"),
        raw("c9", "9", "efface"),
        raw("c10", "10", "spammeur"),
        raw("c11", "11", "cm_du_gers"),
        raw("c12", "12", "deja_gagne"),
        raw("c13", "13", "exclu_a_la_main"),
        raw("c14", "14", "ancien_nom", minutes=5),
        raw("c15", "14", "nouveau_nom", minutes=9),  # renamed: a duplicate under this name
        raw("c16", "16", "double_exclu", "Je joue #gers cadeau"),
        raw("c17", "16", "double_exclu", "Je joue @ami #gers cadeau", minutes=7),
    ], utcnow())
    db.session.execute(sa.update(Comment).where(Comment.comment_id == "c9").values(
        disappeared_at=utcnow()))
    db.session.commit()
    eligibility.evaluate_contest(contest, "test")
    pk = db.session.scalar(sa.select(Comment.id).where(Comment.comment_id == "c13"))
    decisions.decide(contest, pk, "exclude", "faux compte, vérifié par l'équipe", "staff@test.fr")
    pk = db.session.scalar(sa.select(Comment.id).where(Comment.comment_id == "c17"))
    decisions.decide(contest, pk, "exclude", "même personne que spammeur", "staff@test.fr")
    return contest


@pytest.mark.parametrize("name, reasons", [
    ("trop_tot", ("early",)), ("trop_tard", ("late",)), ("sans_ami", ("too_few_mentions",)),
    ("sans_diese", ("missing_hashtag",)), ("sans_mot", ("missing_keyword",)),
    ("repondeur", ("reply_not_counted",)), ("efface", ("deleted",)),
])
def test_a_public_rule_exclusion_gives_the_rule(contest, name, reasons):
    answer = am_i_counted(contest, "@" + name.upper())
    assert (answer.found, answer.counted, answer.reasons, answer.by_organiser) == (
        True, False, reasons, False)


@pytest.mark.parametrize("name", ["spammeur", "cm_du_gers", "deja_gagne", "exclu_a_la_main"])
def test_a_private_exclusion_only_says_the_organiser_excluded_it(contest, name):
    answer = am_i_counted(contest, name)
    assert (answer.found, answer.counted, answer.reasons, answer.by_organiser) == (
        True, False, (), True)


def test_public_and_private_reasons_together(contest):
    # the first comment lacks a mention; the second was excluded by hand, then duplicates
    answer = am_i_counted(contest, "double_exclu")
    assert not answer.counted and answer.by_organiser
    assert "too_few_mentions" in answer.reasons
    assert not set(answer.reasons) & {"blocked", "excluded_account", "recent_winner"}


def test_a_renamed_account_is_found_by_each_of_its_names(contest):
    for name in ("ancien_nom", "nouveau_nom", "Nouveau_Nom"):
        answer = am_i_counted(contest, name)
        assert (answer.found, answer.counted) == (True, True), name
    assert am_i_counted(contest, "personne").found is False


def test_the_public_answer_never_names_a_private_list_nor_is_empty(contest, client):
    pages = {name: client.post("/c/compte", data={"handle": name}).data.decode()
             for name in ("spammeur", "cm_du_gers", "deja_gagne", "exclu_a_la_main",
                          "trop_tard", "nouveau_nom")}
    for name in ("spammeur", "cm_du_gers", "deja_gagne", "exclu_a_la_main"):
        answer = re.search(r'<p class="mt-2 mb-0" id="lookup-answer">(.*?)</p>', pages[name],
                           re.S).group(1)
        assert "Non compté :" in answer and PRIVATE in answer, name
        for secret in ("liste d'exclusion", "gagnant d'un jeu-concours récent", "personnel",
                       "faux compte", "ferme de robots"):
            assert secret not in answer, (name, secret)
    assert "Commentaire publié après la clôture du jeu-concours." in pages["trop_tard"]
    assert PRIVATE not in pages["trop_tard"]
    assert "Compté." in pages["nouveau_nom"]


# --- masking, entry numbers, operator, badges ---------------------------------------------

@pytest.mark.parametrize("handle, masked", [
    ("", "@***"), ("a", "@***"), ("ab", "@a***"), ("abc", "@a***"), ("abcd", "@ab***"),
    ("@abcde", "@ab***"), ("abcdef", "@ab***f"), ("sandrine_t", "@sa***t"),
])
def test_masking_never_shows_more_than_half(handle, masked):
    assert mask_handle(handle) == masked


def test_masking_rule_for_every_length():
    for n in range(0, 65):
        handle = "".join(chr(ord("a") + i % 26) for i in range(n))
        shown = len(mask_handle(handle)) - len("@***")
        assert shown <= n // 2, n
        assert shown == min(2, n // 2) + (1 if n >= 6 else 0), n


def drawn_with(usernames, public_id="masque", **overrides):
    """A drawn contest whose entries use ``usernames`` (stored as a harvest would)."""
    contest = make_contest(public_id=public_id, **overrides)
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(kind="rfc3797",
                                                                description="Loto"))
    for i, name in enumerate(usernames):  # straight into the table: hostile names included
        db.session.add(Comment(contest_id=contest.id, network="ig", comment_id=f"m{i}",
                               user_id=str(500 + i), username=name, text="Je joue",
                               created_at=contest.opens_at + timedelta(minutes=i + 1)))
    db.session.commit()
    eligibility.evaluate_contest(contest, "test")
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")
    with after_beacon(contest):
        service.run_draw(contest, "staff@test.fr", declared=DECLARED)
    return contest


def test_look_alike_winners_are_told_apart_by_their_entry_number(app, client):
    contest = drawn_with(["abcd", "abce", "abcf", "abcg"], winners=2, alternates=2)
    people = followup.candidates(contest)
    assert {p.masked_handle for p in people} == {"@ab***"}
    indexes = sorted(p.leaf_index for p in people)
    assert len(set(indexes)) == 4
    page = client.get("/c/masque").data.decode()
    rows = re.findall(r"<td>@ab\*\*\*</td><td>n° (\d+)</td>", page)
    assert sorted(map(int, rows)) == indexes
    text = pdf_text(client.get("/c/masque.pdf").data)
    assert sorted(int(n) for n in re.findall(r"@ab\*\*\* n\xb0 (\d+)", text)) == indexes
    document = json.loads(client.get("/c/masque.json").data)
    assert sorted(p["index"] for p in document["people"]) == indexes


def test_invisible_and_direction_characters_are_badges_everywhere(app, client, auth):
    hostile = ["\u202eab\u200bcdefgh", "a\u3164bcdefgh", "zz_normal_1", "zz_normal_2"]
    drawn_with(hostile, winners=2, alternates=2)
    auth.login()
    winners = client.get("/contests/masque/winners").data.decode()
    entries = client.get("/contests/masque/entries").data.decode()
    comment_pk = db.session.scalar(sa.select(Comment.id).where(Comment.comment_id == "m0"))
    entry = client.get(f"/contests/masque/entries/{comment_pk}").data.decode()
    for page in (winners, entries, entry):
        assert "\u202e" not in page and "\u200b" not in page and "\u3164" not in page
        assert "U+202E</span>" in page and "U+200B</span>" in page
    assert "U+3164</span>" in winners and "U+3164</span>" in entries
    assert "<title>@[U+202E]ab[U+200B]cdefgh" in entry
    public = client.get("/c/masque").data.decode()
    assert "\u202e" not in public and "U+202E</span>" in public  # @‮a***h as a badge
    text = pdf_text(client.get("/c/masque.pdf").data)
    assert "[U+202E]" in text
    assert str(visible_handle("\u05d0\u05d1")).startswith("<bdi>")  # right-to-left isolated
    assert str(visible_handle("<b>x")) == "&lt;b&gt;x"


def test_no_email_on_any_public_page_json_or_pdf(app, client):
    drawn_with([f"fan_{i:02d}" for i in range(6)])
    bodies = [client.get(url).data for url in ("/c/masque", "/c/masque.json", "/c/masque.pdf",
                                               "/c/masque/followup.json")]
    bodies.append(pdf_text(bodies[2]).encode("utf-8"))
    for body in bodies:
        assert b"staff@test.fr" not in body and b"@test.fr" not in body
    document = json.loads(bodies[1])
    assert document["operator"] == "organiser"
    assert "Opérateur" in bodies[4].decode("utf-8")
    assert "l'organisateur" in bodies[4].decode("utf-8")


def test_an_operator_that_looks_like_an_email_is_never_shown(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert public_operator("jean.dupont@gers.fr") == "the organiser"
        assert public_operator(None) == "the organiser"
        assert public_operator("Office de tourisme du Gers") == "Office de tourisme du Gers"
    document = {"contest": {"title": "T", "organiser": "@o", "partners": [], "posts": [],
                            "rules": {"version": 1, "sha256": "0" * 64},
                            "window": {"opens_at": "2026-01-01T00:00:00Z",
                                       "closes_at": "2026-01-02T00:00:00Z"}},
                "harvest": [], "commitment": "c", "committed_at": "2026-01-01T00:00:00Z",
                "salt": "s", "seed": "s", "entries": {"count": 1, "merkle_root": "r",
                                                      "frozen_at": "2026-01-02T00:00:00Z"},
                "beacon": {"kind": "none"}, "people": [], "operator": "jean.dupont@gers.fr",
                "audit_head": "h", "notices": {}}
    text = pdf_text(certificate_pdf(document, "https://example.test/c/x"))
    assert "jean.dupont" not in text and "l'organisateur" in text


def test_a_configured_public_label_names_the_operator(app, client):
    app.config["OPERATOR_PUBLIC_LABEL"] = "Office de tourisme du Gers"
    drawn_with([f"fan_{i:02d}" for i in range(6)])
    assert "Office de tourisme du Gers" in client.get("/c/masque").data.decode()
    assert "Office de tourisme du Gers" in pdf_text(client.get("/c/masque.pdf").data)


# --- purge of raw harvest answers --------------------------------------------------------

def test_purge_deletes_the_contests_raw_instagram_pages(app):
    contest = drawn_with([f"fan_{i:02d}" for i in range(6)])
    other = make_contest(public_id="autre")
    mine_run = HarvestRun(contest_id=contest.id, status="failed", started_by="test")
    other_run = HarvestRun(contest_id=other.id, status="failed", started_by="test")
    db.session.add_all([mine_run, other_run])
    db.session.commit()
    later = db.session.get(Draw, contest.id).drawn_at + timedelta(days=121)
    kept = [HarvestJob(mine_run.id, "token")._keep_raw({"raw": "page Instagram"})]
    with time_machine.travel(later - timedelta(days=1)):  # the other contest's, recent then
        kept.append(HarvestJob(other_run.id, "token")._keep_raw({"raw": "page Instagram"}))
    folder = Path(app.instance_path) / "harvest-diagnostics"
    assert sorted(p.name for p in folder.iterdir()) == sorted(kept)
    stale = folder / "run-999999-20200101T000000.json"  # a run long gone, older than retention
    stale.write_text("{}")
    assert retention.purge_due("test", now=later) == {"masque": 6}
    assert sorted(p.name for p in folder.iterdir()) == [kept[1]]  # the other contest's stays
    assert not (folder / kept[0]).exists()


def test_raw_pages_of_a_contest_never_drawn_go_after_the_retention_period(app):
    contest = make_contest(public_id="jamais")
    run = HarvestRun(contest_id=contest.id, status="failed", started_by="test")
    db.session.add(run)
    db.session.commit()
    name = HarvestJob(run.id, "token")._keep_raw("{}")
    folder = Path(app.instance_path) / "harvest-diagnostics"
    period = timedelta(days=app.config["CLAIM_WINDOW_DAYS"] + app.config["RETENTION_DAYS"])
    assert retention.purge_due("test", now=utcnow() + period - timedelta(days=1)) == {}
    assert (folder / name).exists()
    retention.purge_due("test", now=utcnow() + period + timedelta(minutes=1))
    assert not (folder / name).exists()
