"""Writes racing a freeze: one of them commits wholly first, the other sees it.

Each race runs two threads with their own app contexts (their own database
connections), released together by a barrier; the second starts a moment after
the first, and the first keeps its transaction open a while (a wrapped step
sleeps inside it), so the second always arrives while the first holds the
contest's row lock. Afterwards the frozen list must be exactly what the stored
verdicts give (``audit verify``), and every stored comment must have been judged
by the freeze's evaluation: nothing landed in the frozen contest.
"""
import csv
import io
import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fake_instagram import FakeInstagram, fixture_settings

from giveaway.contests import lifecycle
from giveaway.contests.locking import ContestBusy
from giveaway.contests.models import Contest
from giveaway.core.sources import CommentPage, RawComment
from giveaway.db_types import utcnow
from giveaway.draws import freeze
from giveaway.draws.commitment import BeaconChoice
from giveaway.draws.models import Freeze
from giveaway.eligibility.models import Evaluation, Verdict
from giveaway.eligibility.service import evaluate_contest
from giveaway.errors import Conflict
from giveaway.extensions import db
from giveaway.harvest import ig_session
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment, HarvestRun, ImportFile
from giveaway.harvest.runner import HarvestJob
from giveaway.harvest.service import resume_harvest
from giveaway.harvest.tasks import run_harvest_job
from conftest import make_contest

HOLD = 0.8  # seconds the first transaction keeps the lock after its writes
LAG = 0.25  # the second thread starts this long after the first
ROWS = 3000  # rows of the racing import, stored in batches of 250


def entries_csv(opens_at, prefix: str, count: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id"])
    for i in range(count):
        writer.writerow([f"{prefix}{i}", f"{prefix}{i}", f"{prefix}_compte_{i}",
                         f"Je participe {i}", (opens_at + timedelta(seconds=i + 1)).isoformat(),
                         ""])
    return out.getvalue().encode()


def closed_contest(**overrides) -> Contest:
    """A closed contest with 30 counted entries (comments may still be imported)."""
    contest = make_contest(opens_at=utcnow().replace(microsecond=0) - timedelta(days=2),
                           **overrides)
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="EuroMillions du vendredi suivant la clôture"))
    import_comments(contest, io.BytesIO(entries_csv(contest.opens_at, "a", 30)), "a.csv", "t")
    lifecycle.close_contest(contest, "test")
    return contest


def race(app, first, second) -> dict:
    """Race two writes, each in a thread with its own app context; return their outcomes.

    ``first`` and ``second`` are called in their thread before the barrier (to
    load what they need) and return the write; ``second``'s write starts ``LAG``
    after ``first``'s. Each outcome is ``"done"`` or the Conflict raised.
    """
    barrier, outcomes = threading.Barrier(2), {}

    def run(name, prepare, delay):
        with app.app_context():
            try:
                work = prepare()
                barrier.wait(timeout=30)
                time.sleep(delay)
                work()
                outcomes[name] = "done"
            except Conflict as exc:
                outcomes[name] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=("first", first, 0)),
               threading.Thread(target=run, args=("second", second, LAG))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    db.session.expire_all()
    return outcomes


def holding(monkeypatch, target: str, once: bool = False) -> None:
    """Make ``target`` (module.attribute) sleep ``HOLD`` after it ran, inside its transaction."""
    module, name = target.rsplit(".", 1)
    original = getattr(__import__(module, fromlist=[name]), name)
    slept = []

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        if not (once and slept):
            slept.append(True)
            time.sleep(HOLD)
        return result

    monkeypatch.setattr(target, slow)


def freeze_of(contest_id: int):
    def prepare():
        contest = db.session.get(Contest, contest_id)
        return lambda: freeze.freeze_contest(contest, "racer")
    return prepare


def assert_frozen_list_is_whole(runner, contest_id: int) -> Freeze:
    """Every stored comment was judged by the freeze's evaluation; audit verify agrees."""
    db.session.expire_all()
    frozen = db.session.get(Freeze, contest_id)
    assert frozen is not None and db.session.get(Contest, contest_id).status == "frozen"
    of_contest = Comment.contest_id == contest_id
    comments = db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(of_contest))
    verdicts = db.session.scalar(sa.select(sa.func.count()).select_from(Verdict).where(
        Verdict.contest_id == contest_id))
    assert comments == verdicts
    assert db.session.scalar(sa.select(sa.func.max(Comment.first_seen_at)).where(of_contest)) \
        <= frozen.frozen_at
    counted = db.session.scalar(sa.select(sa.func.count(sa.distinct(Verdict.entry_key))).where(
        Verdict.contest_id == contest_id, Verdict.counted.is_(True)))
    assert frozen.count == counted
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    return frozen


def imported(contest_id: int, prefix: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Comment).where(
        Comment.contest_id == contest_id, Comment.comment_id.like(f"{prefix}%")))


@pytest.mark.parametrize("ahead", ["import", "freeze"])
def test_an_import_racing_a_freeze(app, runner, monkeypatch, ahead):
    monkeypatch.setattr("giveaway.harvest.imports.BATCH_SIZE", 250)
    monkeypatch.setattr("giveaway.jobs.enqueue", lambda *args, **kwargs: None)
    contest = closed_contest()
    body = entries_csv(contest.opens_at, "b", ROWS)

    def do_import():
        target = db.session.get(Contest, contest.id)
        return lambda: import_comments(target, io.BytesIO(body), "big.csv", "racer")

    if ahead == "import":
        holding(monkeypatch, "giveaway.harvest.imports.store_comments", once=True)
        outcomes = race(app, do_import, freeze_of(contest.id))
        assert outcomes == {"first": "done", "second": "done"}  # the freeze waited for it
        frozen = assert_frozen_list_is_whole(runner, contest.id)
        assert imported(contest.id, "b") == ROWS and frozen.count == 30 + ROWS
    else:
        holding(monkeypatch, "giveaway.draws.freeze.record_evaluation")
        outcomes = race(app, freeze_of(contest.id), do_import)
        assert outcomes["first"] == "done"
        refused = outcomes["second"]
        assert isinstance(refused, Conflict) and "figées" in refused.message
        frozen = assert_frozen_list_is_whole(runner, contest.id)
        assert imported(contest.id, "b") == 0 and frozen.count == 30
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportFile).where(
            ImportFile.filename == "big.csv")) == 0  # no half file recorded


@pytest.mark.parametrize("ahead", ["page", "freeze"])
def test_a_harvest_page_commit_racing_a_freeze(app, runner, monkeypatch, ahead):
    """A worker still holding a run's lease commits a page while staff freeze.

    The run is no longer active (its status says stopped), so the freeze's own
    check for a harvest under way lets it through: only the lock keeps them apart.
    """
    contest = closed_contest()
    post = contest.posts[0]
    run = HarvestRun(contest_id=contest.id, status="stopped", worker_token="worker",
                     started_by="test", heartbeat_at=utcnow(), errors=[],
                     post_stats=[{"post_id": post.id, "url": post.url, "media_id": "1_2",
                                  "announced": 200, "pages": 0, "new": 0, "seen": 0,
                                  "complete": False}])
    db.session.add(run)
    db.session.commit()
    when = contest.opens_at + timedelta(hours=1)
    page = CommentPage([RawComment(f"p{i}", f"p{i}", f"page_compte_{i}", "Je participe",
                                   when + timedelta(seconds=i)) for i in range(200)],
                       cursor={"min_id": "next"}, done=False)

    def commit_page():
        job = HarvestJob(run.id, "worker")
        target = job.contest.posts[0]
        return lambda: job._store_page(target, page)

    if ahead == "page":
        holding(monkeypatch, "giveaway.harvest.runner.store_comments")
        outcomes = race(app, commit_page, freeze_of(contest.id))
        assert outcomes == {"first": "done", "second": "done"}
        frozen = assert_frozen_list_is_whole(runner, contest.id)
        assert imported(contest.id, "p") == 200 and frozen.count == 230
    else:
        holding(monkeypatch, "giveaway.draws.freeze.record_evaluation")
        outcomes = race(app, freeze_of(contest.id), commit_page)
        assert outcomes["first"] == "done"
        assert isinstance(outcomes["second"], Conflict)
        frozen = assert_frozen_list_is_whole(runner, contest.id)
        assert imported(contest.id, "p") == 0 and frozen.count == 30
        assert db.session.get(HarvestRun, run.id).pages == 0  # nor its checkpoint


def test_a_harvest_resumed_while_the_contest_freezes(app, runner, monkeypatch):
    """The resume reads the state under the lock: once frozen, no comment comes in."""
    with FakeInstagram() as fake:
        app.config["IG_API_BASE"], app.config["IG_TIMEOUT"] = fake.base_url, 2.0
        ig_session.save_settings("gers_tourisme", fixture_settings(), "test")
        post = fake.post(40, seed=51, page_size=10,
                         taken_at=int((utcnow() - timedelta(days=1)).timestamp()))
        contest = closed_contest(post_urls=[post.url])
        run = HarvestRun(contest_id=contest.id, status="stopped", started_by="test",
                         post_stats=[], errors=[], end_reason="media_not_found")
        db.session.add(run)
        db.session.commit()
        holding(monkeypatch, "giveaway.draws.freeze.record_evaluation")

        def resume():
            stopped = db.session.get(HarvestRun, run.id)
            return lambda: resume_harvest(stopped, "racer")

        outcomes = race(app, freeze_of(contest.id), resume)
    assert outcomes["first"] == "done"
    assert isinstance(outcomes["second"], Conflict) and "figées" in outcomes["second"].message
    frozen = assert_frozen_list_is_whole(runner, contest.id)
    assert frozen.count == 30 and db.session.get(HarvestRun, run.id).status == "stopped"


def test_a_write_waits_for_the_lock_a_while_then_is_refused_clearly(app, monkeypatch):
    monkeypatch.setattr("giveaway.contests.locking.LOCK_WAIT_SECONDS", 1.0)
    contest = closed_contest()
    evaluations = db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation))
    with db.engine.connect() as other:  # another write holds the contest's row
        other.execute(sa.update(Contest).where(Contest.id == contest.id)
                      .values(status=Contest.status))
        started = time.monotonic()
        with pytest.raises(ContestBusy) as busy:
            evaluate_contest(contest, "racer")
        waited = time.monotonic() - started
        other.rollback()
    assert 0.9 <= waited < 5
    assert "en cours d'enregistrement ; réessayez dans un instant" in busy.value.message
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)) == evaluations
    evaluate_contest(contest, "racer")  # once the other write is gone, it goes through
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Evaluation)) == \
        evaluations + 1


def test_a_harvest_page_kept_waiting_too_long_is_retried_later(app, monkeypatch):
    """The page's commit is refused as busy: the run waits and is queued again, storing
    nothing meanwhile (it resumes from its checkpoint)."""
    queued = []
    monkeypatch.setattr("giveaway.jobs.enqueue",
                        lambda name, *args, delay=None: queued.append((name, args, delay)))
    with FakeInstagram() as fake:
        app.config["IG_API_BASE"], app.config["IG_TIMEOUT"] = fake.base_url, 2.0
        ig_session.save_settings("gers_tourisme", fixture_settings(), "test")
        post = fake.post(30, seed=52, page_size=10)
        contest = closed_contest(post_urls=[post.url])
        run = HarvestRun(contest_id=contest.id, status="queued", started_by="test",
                         post_stats=[], errors=[])
        db.session.add(run)
        db.session.commit()

        def busy(contest_id):
            db.session.rollback()
            raise ContestBusy("occupé")

        monkeypatch.setattr("giveaway.contests.locking.lock_contest", busy)
        queued.clear()
        run_harvest_job(run.id)
    db.session.expire_all()
    waiting = db.session.get(HarvestRun, run.id)
    assert (waiting.status, waiting.end_reason, waiting.pages) == ("waiting", "contest_busy", 0)
    assert waiting.not_before is not None and queued == [("harvest.run", (run.id,), 60)]
    assert imported(contest.id, "") == 30  # only the entries imported before
