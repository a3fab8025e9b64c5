"""Harvesting through the app: instagrapi's real client against the fake Instagram."""
import json

import pytest
import sqlalchemy as sa
from fake_instagram import FakeInstagram, fixture_settings

from giveaway.audit.service import verify_chain
from giveaway.contests import lifecycle
from giveaway.errors import Conflict
from giveaway.extensions import db
from giveaway.harvest import ig_session, service
from giveaway.harvest.models import Comment, HarvestRun, InstagramSession
from conftest import make_contest


@pytest.fixture
def fake(app):
    with FakeInstagram() as server:
        app.config["IG_API_BASE"] = server.base_url
        app.config["IG_TIMEOUT"] = 2.0
        yield server


@pytest.fixture
def connected(app):
    return ig_session.save_settings("gers_tourisme", fixture_settings(), "test")


def open_contest_on(*posts):
    contest = make_contest(post_urls=[p.url for p in posts])
    lifecycle.open_contest(contest, "test")
    return contest


def latest_run() -> HarvestRun:
    """The newest run as the database has it now (jobs write through their own session)."""
    db.session.expire_all()
    return db.session.scalar(sa.select(HarvestRun).order_by(HarvestRun.id.desc()).limit(1))


def stored_ids(contest) -> list[str]:
    return list(db.session.scalars(sa.select(Comment.comment_id)
                                   .where(Comment.contest_id == contest.id)))


def test_staff_harvests_two_posts_and_sees_completeness(client, auth, fake, connected):
    first = fake.post(230, seed=1, page_size=20)
    second = fake.post(45, seed=2, page_size=20, announced_extra=3)
    contest = open_contest_on(first, second)
    auth.login()
    response = client.post(f"/contests/{contest.public_id}/harvest", data={})
    assert response.status_code == 302
    ids = stored_ids(contest)
    assert len(ids) == len(set(ids)) == 275
    assert set(ids) == first.all_ids() | second.all_ids()
    run = latest_run()
    assert run.status == "complete" and run.comments_new == 275
    assert [s["announced"] for s in run.post_stats] == [230, 48]
    page = client.get(f"/contests/{contest.public_id}").data.decode()
    assert "230 commentaires annoncés, 230 récoltés" in page
    assert "48 commentaires annoncés, 45 récoltés" in page
    by_post = dict(db.session.execute(sa.select(Comment.post_id, sa.func.count())
                                      .group_by(Comment.post_id)).all())
    assert sorted(by_post.values()) == [45, 230]


def test_replies_are_harvested_when_asked(app, fake, connected):
    post = fake.post(60, seed=5, page_size=20, reply_rate=0.3)
    contest = open_contest_on(post)
    service.start_harvest(contest, "test", include_replies=True)
    assert set(stored_ids(contest)) == post.all_ids()
    replies = db.session.scalars(sa.select(Comment).where(Comment.parent_id.is_not(None))).all()
    assert {r.comment_id for r in replies} == post.reply_ids()


@pytest.mark.parametrize("fault", ["throttle", "please_wait", "rate_limit", "server_error",
                                   "truncated", "repeat_cursor", "short_page",
                                   "missing_user_pk"])
def test_faults_at_random_pages_lose_and_double_nothing(app, fake, connected, fault,
                                                        monkeypatch):
    monkeypatch.setattr("giveaway.harvest.runner.time.sleep", lambda s: None)
    post = fake.post(5000, seed=11, page_size=50)
    fake.faults.add(fault, rate=0.08, seed=7)
    contest = open_contest_on(post)
    service.start_harvest(contest, "test")
    ids = stored_ids(contest)
    run = latest_run()
    assert run.status == "complete", run.last_error
    assert len(ids) == len(set(ids)) and set(ids) == post.all_ids()
    assert fake.faults.fired().get(fault, 0) > 0


def test_challenge_pauses_then_resumes_from_the_checkpoint(client, auth, fake, connected):
    post = fake.post(400, seed=3, page_size=20)
    fake.faults.add("challenge", at={6})
    contest = open_contest_on(post)
    auth.login()
    client.post(f"/contests/{contest.public_id}/harvest", data={})
    run = latest_run()
    assert run.status == "paused" and run.end_reason == "challenge"
    assert run.cursor is not None and 0 < run.comments_new < 400
    assert db.session.scalar(sa.select(InstagramSession.status)) == "challenge"
    page = client.get(f"/contests/{contest.public_id}").data.decode()
    assert "Instagram" in page and "resume" in page
    with pytest.raises(Conflict):  # one active harvest per contest
        service.start_harvest(contest, "test")
    ig_session.save_settings("gers_tourisme", fixture_settings(), "test")  # reconnected
    client.post(f"/contests/{contest.public_id}/harvest/{run.id}/resume", data={})
    run = latest_run()
    assert run.status == "complete"
    ids = stored_ids(contest)
    assert len(ids) == len(set(ids)) and set(ids) == post.all_ids()


@pytest.mark.parametrize("fault, status, reason", [
    ("feedback_required", "stopped", "feedback_required"),
    ("login_required", "paused", "login_required"),
    ("media_not_found", "stopped", "media_not_found"),
])
def test_runs_stop_with_a_reason_staff_understand(app, fake, connected, fault, status, reason):
    post = fake.post(100, seed=4, page_size=20)
    fake.faults.add(fault, at={2})
    contest = open_contest_on(post)
    service.start_harvest(contest, "test")
    run = latest_run()
    assert (run.status, run.end_reason) == (status, reason)
    assert run.last_error


def test_second_harvest_adds_new_and_records_disappeared(app, fake, connected):
    post = fake.post(120, seed=8, page_size=25)
    contest = open_contest_on(post)
    service.start_harvest(contest, "test")
    first_text = {c.comment_id: c.text for c in db.session.scalars(sa.select(Comment))}
    gone = post.comments.pop(10)
    extra = fake.post(1, seed=99).comments[0]
    extra["pk"] = 1
    post.comments.insert(0, extra)
    service.start_harvest(contest, "test")
    rows = {c.comment_id: c for c in db.session.scalars(sa.select(Comment))}
    assert len(rows) == 121
    assert rows[str(gone["pk"])].disappeared_at is not None
    assert sum(1 for c in rows.values() if c.disappeared_at) == 1
    assert all(rows[cid].text == text for cid, text in first_text.items())
    last = latest_run()
    assert (last.comments_new, last.comments_seen) == (1, 119)


def test_two_harvests_at_once_only_one_runs(app, connected):
    contest = make_contest()
    lifecycle.open_contest(contest, "test")
    db.session.add_all([HarvestRun(contest_id=contest.id, status="queued", started_by="a"),
                        HarvestRun(contest_id=contest.id, status="running", started_by="b")])
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()  # the database itself refuses a second active run
    db.session.rollback()


def test_harvest_needs_a_connected_account_and_an_open_contest(app, fake):
    contest = make_contest()
    with pytest.raises(Conflict):
        service.start_harvest(contest, "test")  # draft
    lifecycle.open_contest(contest, "test")
    with pytest.raises(Conflict):
        service.start_harvest(contest, "test")  # no account


def test_session_is_encrypted_and_never_shown(client, auth, connected, app):
    raw = db.session.scalar(sa.select(InstagramSession.settings_encrypted))
    assert b"FAKEsession" not in raw and b"sessionid" not in raw
    assert ig_session.load_settings()["cookies"]["sessionid"].endswith("%3A27")
    auth.login()
    page = client.get("/instagram").data.decode()
    assert "gers_tourisme" in page and "FAKEsession" not in page
    app.config["SECRET_KEY"] = "another secret"
    with pytest.raises(Conflict):
        ig_session.load_settings()


def test_ig_session_import_command(runner, tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(fixture_settings()))
    result = runner.invoke(args=["ig-session", "import", str(path)])
    assert result.exit_code == 0 and "FAKEsession" not in result.output
    assert runner.invoke(args=["ig-session", "status"]).output.strip().endswith("connected")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    refused = runner.invoke(args=["ig-session", "import", str(bad)])
    assert refused.exit_code == 1 and "session" in refused.output


def test_harvest_command_waits_and_reports(runner, app, fake, connected):
    post = fake.post(90, seed=6, page_size=30)
    contest = open_contest_on(post)
    result = runner.invoke(args=["harvest", contest.public_id, "--wait"])
    assert result.exit_code == 0, result.output
    assert "90 announced, 90 harvested" in result.output
    assert verify_chain().ok
