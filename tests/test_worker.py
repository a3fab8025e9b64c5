"""The real background worker: killed mid-harvest, restarted, it finishes exactly."""
import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from fake_instagram import FakeInstagram, fixture_settings

from giveaway.contests import lifecycle
from giveaway.extensions import db
from giveaway.harvest import ig_session, service
from giveaway.harvest.models import Comment, HarvestRun
from conftest import make_contest


def start_worker(app, fake):
    env = dict(os.environ,
               GIVEAWAY_INSTANCE_PATH=app.instance_path,
               GIVEAWAY_SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
               GIVEAWAY_SECRET_KEY=app.config["SECRET_KEY"],
               GIVEAWAY_IG_API_BASE=fake.base_url,
               GIVEAWAY_IG_DELAY_RANGE="null",
               GIVEAWAY_HARVEST_LEASE_SECONDS="2")
    env.pop("GIVEAWAY_REDIS_URL", None)
    with open(os.path.join(app.instance_path, "worker.log"), "ab") as log:
        return subprocess.Popen([sys.executable, "-m", "flask", "--app", "giveaway", "worker",
                                 "--workers", "1"], env=env, stdout=log, stderr=log)


def wait_for(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        db.session.rollback()
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


def run_now() -> HarvestRun:
    return db.session.scalar(sa.select(HarvestRun))


@pytest.mark.slow
def test_killed_worker_resumes_from_checkpoint(app):
    with FakeInstagram() as fake:
        post = fake.post(5000, seed=21, page_size=50)
        fake.faults.slow_seconds = 0.05
        fake.faults.add("slow", rate=1.0)
        contest = make_contest(post_urls=[post.url])
        lifecycle.open_contest(contest, "test")
        ig_session.save_settings("gers_tourisme", fixture_settings(), "test")
        service.start_harvest(contest, "test", queue=False)
        first = start_worker(app, fake)
        try:
            wait_for(lambda: run_now().pages >= 10, timeout=60)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        killed_at = wait_for(run_now, 5)
        assert killed_at.status == "running" and killed_at.pages < 100
        time.sleep(2.5)  # the lease of the dead worker runs out
        second = start_worker(app, fake)
        try:
            done = wait_for(lambda: run_now().status == "complete" and run_now(), timeout=90)
        finally:
            second.terminate()
            second.wait(timeout=30)
        ids = list(db.session.scalars(sa.select(Comment.comment_id)))
        assert len(ids) == len(set(ids)) and set(ids) == post.all_ids()
        assert done.comments_new == 5000
