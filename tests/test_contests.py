from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from giveaway.contests import lifecycle, service
from giveaway.contests.models import Contest, RulesVersion
from giveaway.db_types import utcnow
from giveaway.errors import Conflict, ValidationFailed
from giveaway.extensions import db
from conftest import make_contest

FORM = {
    "title": "Gagnez un panier gascon", "public_id": "", "partner_slugs": ["vins-du-gers"],
    "organiser_handle": "@gers_tourisme",
    "post_urls": "https://www.instagram.com/p/Cabc123XYZ/\nhttps://instagram.com/reel/DxYz987_-a/?igsh=1",
    "opens_at": "2030-04-02T10:00", "closes_at": "2030-04-09T23:59",
    "prize_description": "Un panier", "winners": "2", "alternates": "3",
    "rules_text": "# Règlement\n\nUne participation par compte.",
}


def contest_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Contest))


def test_staff_creates_a_contest_in_paris_time(client, auth):
    auth.login()
    response = client.post("/contests/new", data=FORM)
    assert response.status_code == 302
    contest = service.get_contest("gagnez-un-panier-gascon")
    assert contest.status == "draft" and contest.organiser_handle == "gers_tourisme"
    # 2 April 2030 is after the spring change (31 March): Paris is UTC+2.
    assert contest.opens_at == datetime(2030, 4, 2, 8, 0, tzinfo=timezone.utc)
    assert [p.url for p in contest.posts] == ["https://www.instagram.com/p/Cabc123XYZ/",
                                              "https://www.instagram.com/reel/DxYz987_-a/"]
    assert contest.current_rules.version == 1
    page = client.get(response.headers["Location"]).data.decode()
    assert contest.current_rules.sha256 in page
    assert "2 avril 2030 à 10 h 00" in page  # shown back in Paris time, French


@pytest.mark.parametrize("change, field", [
    ({"closes_at": "2030-04-01T10:00"}, "closes_at"),
    ({"post_urls": "https://www.facebook.com/p/Cabc123XYZ/"}, "post_urls"),
    ({"post_urls": "https://instagram.com/gers_tourisme/"}, "post_urls"),
    ({"title": "   "}, "title"),
    ({"public_id": "Pas Un Slug!"}, "public_id"),
    ({"organiser_handle": "no spaces allowed"}, "organiser_handle"),
    ({"opens_at": "2030-03-31T02:30"}, "opens_at"),  # skipped by the DST change
    ({"winners": "0"}, "winners"),
])
def test_bad_contest_input_is_refused_whole(client, auth, change, field):
    auth.login()
    response = client.post("/contests/new", data={**FORM, **change})
    assert response.status_code == 200
    assert b"is-invalid" in response.data or b"invalid-feedback" in response.data
    assert contest_count() == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RulesVersion)) == 0


def test_form_posted_twice_creates_one_contest(client, auth):
    auth.login()
    assert client.post("/contests/new", data=FORM).status_code == 302
    second = client.post("/contests/new", data=FORM)
    assert second.status_code == 200
    assert "existe déjà".encode() in second.data or b"already exists" in second.data
    assert contest_count() == 1


def test_rules_are_versioned_hashed_and_frozen_at_opening(app):
    contest = make_contest(rules=None)
    with pytest.raises(Conflict):
        lifecycle.open_contest(contest, "test")  # no rules yet
    first = service.add_rules_version(contest, "Règlement\r\nv1", "test")
    assert first.text == "Règlement\nv1\n"
    import hashlib
    assert first.sha256 == hashlib.sha256("Règlement\nv1\n".encode()).hexdigest()
    assert service.add_rules_version(contest, "Règlement\nv1", "test").version == 1
    second = service.add_rules_version(contest, "Règlement v2", "test")
    assert second.version == 2 and contest.current_rules == second
    lifecycle.open_contest(contest, "test")
    with pytest.raises(Conflict):
        service.add_rules_version(contest, "Règlement v3", "test")
    with pytest.raises(Conflict):
        service.update_contest(contest, service.ContestData(
            title="x", public_id=contest.public_id, organiser_handle="a",
            opens_at=contest.opens_at, closes_at=contest.closes_at,
            partner_slugs=["vins-du-gers"], post_urls=[contest.posts[0].url]), "test")
    assert [v.version for v in contest.rules_versions] == [1, 2]


def test_cannot_open_with_a_past_closing_time(app):
    now = utcnow()
    contest = make_contest(opens_at=now - timedelta(days=3), closes_at=now - timedelta(days=1))
    with pytest.raises(Conflict) as info:
        lifecycle.open_contest(contest, "test")
    assert "clôture" in info.value.message or "closing" in info.value.message
    assert contest.status == "draft"


def test_lifecycle_is_enforced(app):
    contest = make_contest()
    with pytest.raises(Conflict):
        lifecycle.close_contest(contest, "test")
    with pytest.raises(Conflict):
        lifecycle.archive_contest(contest, "test")
    lifecycle.open_contest(contest, "test")
    with pytest.raises(Conflict):
        lifecycle.open_contest(contest, "test")
    lifecycle.close_contest(contest, "test")
    assert contest.status == "closed" and contest.closed_at is not None


def test_a_stale_transition_is_refused(app):
    contest = make_contest()
    assert contest.status == "draft"  # this request has read the contest as a draft
    with db.engine.begin() as other_request:
        other_request.execute(sa.update(Contest).values(status="open", opened_at=utcnow()))
    with pytest.raises(Conflict):
        lifecycle.open_contest(contest, "test")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contest)
                             .where(Contest.status == "open")) == 1


def test_service_validates_without_the_form(app):
    with pytest.raises(ValidationFailed) as info:
        make_contest(partner_slugs=["nobody"], post_urls=[])
    assert set(info.value.errors) >= {"partner_slugs", "post_urls"}


def test_open_and_close_through_the_ui(client, auth):
    make_contest()
    auth.login()
    page = client.get("/contests/coffret-noel/open").data.decode()
    assert "SHA-256" in page
    assert client.post("/contests/coffret-noel/open").status_code == 302
    assert service.get_contest("coffret-noel").status == "open"
    assert b"Cl" in client.get("/contests/coffret-noel").data
    assert "Oui, clore" in client.get("/contests/coffret-noel/close").data.decode() or \
        "Yes, close" in client.get("/contests/coffret-noel/close").data.decode()
    assert service.get_contest("coffret-noel").status == "open"  # GET only asks
    client.post("/contests/coffret-noel/close")
    assert service.get_contest("coffret-noel").status == "closed"
    home = client.get("/").data.decode()
    assert "Coffret de Noël" in home


def test_rules_markdown_is_sanitised(client, auth):
    make_contest(rules="# Titre\n<script>alert(1)</script>\n[x](javascript:alert(1))")
    auth.login()
    page = client.get("/contests/coffret-noel").data.decode()
    assert "<script>alert(1)" not in page and "javascript:" not in page
    assert "<h1>Titre</h1>" in page


def test_unknown_contest_is_404(client, auth):
    auth.login()
    assert client.get("/contests/nope").status_code == 404
    assert client.post("/contests/nope/close").status_code == 404
