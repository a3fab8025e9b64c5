"""``flask harvest ID --wait`` takes over its own orphaned run, without any worker."""
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fake_instagram import FakeInstagram, fixture_settings

from giveaway.audit.models import AuditRecord
from giveaway.contests import lifecycle
from giveaway.db_types import utcnow
from giveaway.extensions import db
from giveaway.harvest import ig_session
from giveaway.harvest.models import Comment, HarvestRun
from conftest import make_contest


@pytest.fixture
def fake(app):
    with FakeInstagram() as server:
        app.config["IG_API_BASE"] = server.base_url
        app.config["IG_TIMEOUT"] = 2.0
        ig_session.save_settings("gers_tourisme", fixture_settings(), "test")
        yield server


def contest_with_run(fake, heartbeat_age: timedelta, status: str = "running"):
    """An open contest whose run was left ``status`` by a process last heard of
    ``heartbeat_age`` ago (a killed ``harvest --wait`` leaves exactly this)."""
    post = fake.post(60, seed=41, page_size=20)
    contest = make_contest(post_urls=[post.url])
    lifecycle.open_contest(contest, "test")
    now = utcnow()
    run = HarvestRun(contest_id=contest.id, status=status, worker_token="killed-process",
                     started_by="cli", started_at=now - heartbeat_age,
                     heartbeat_at=now - heartbeat_age, post_stats=[], errors=[])
    db.session.add(run)
    db.session.commit()
    return contest, run.id, post


def runs() -> list[tuple[int, str]]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(HarvestRun.id, HarvestRun.status)
                                   .order_by(HarvestRun.id)).all())


def test_wait_takes_over_a_run_whose_lease_expired(app, runner, fake):
    contest, run_id, post = contest_with_run(fake, timedelta(minutes=10))
    result = runner.invoke(args=["harvest", contest.public_id, "--wait"])
    assert result.exit_code == 0, result.output
    assert f"récolte {run_id} reprise ici" in result.output
    assert "60 announced, 60 harvested" in result.output
    assert runs() == [(run_id, "complete")]  # the same run, finished here; no second one
    stored = set(db.session.scalars(sa.select(Comment.comment_id)))
    assert stored == post.all_ids()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditRecord).where(
        AuditRecord.action == "harvest.takeover")) == 1


def test_wait_says_when_it_can_take_over_a_live_run_then_does(app, runner, fake):
    app.config["HARVEST_LEASE_SECONDS"] = 2
    contest, run_id, post = contest_with_run(fake, timedelta(0))
    refused = runner.invoke(args=["harvest", contest.public_id])  # without --wait: as before
    assert refused.exit_code == 1 and "déjà en cours" in refused.output
    started = time.monotonic()
    result = runner.invoke(args=["harvest", contest.public_id, "--wait"])
    assert result.exit_code == 0, result.output
    assert "récolte déjà en cours (reprise possible dans 2 s)" in result.output
    assert f"récolte {run_id} reprise ici" in result.output
    assert time.monotonic() - started >= 1.5, result.output  # it waited for the lease
    assert runs() == [(run_id, "complete")]
    assert set(db.session.scalars(sa.select(Comment.comment_id))) == post.all_ids()


def test_wait_reports_a_run_that_its_own_process_finished_meanwhile(app, runner, fake,
                                                                   monkeypatch):
    monkeypatch.setattr("giveaway.harvest.cli.POLL_SECONDS", 0.3)
    app.config["HARVEST_LEASE_SECONDS"] = 30
    contest, run_id, _post = contest_with_run(fake, timedelta(0))

    def other_process_finishes():
        time.sleep(0.8)
        with app.app_context():
            db.session.execute(sa.update(HarvestRun).values(status="complete",
                                                            ended_at=utcnow()))
            db.session.commit()
            db.session.remove()

    other = threading.Thread(target=other_process_finishes)
    other.start()
    result = runner.invoke(args=["harvest", contest.public_id, "--wait"])
    other.join()
    assert result.exit_code == 0, result.output
    assert "récolte déjà en cours (reprise possible dans 30 s)" in result.output
    assert "reprise ici" not in result.output
    assert runs() == [(run_id, "complete")]  # no second harvest started


def test_wait_does_not_take_over_a_paused_run(app, runner, fake):
    contest, run_id, _post = contest_with_run(fake, timedelta(minutes=10), status="paused")
    result = runner.invoke(args=["harvest", contest.public_id, "--wait"])
    assert result.exit_code == 1
    assert "en pause : Instagram a besoin de vous" in result.output
    assert runs() == [(run_id, "paused")]
