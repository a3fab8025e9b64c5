"""One state machine: every write tried in every state, allowed or refused exactly as tabled.

Each write is the service (or job) that staff, the CLI or a worker calls; a
refused write raises a Conflict (a harvest page: the run stops) and changes
nothing; an allowed one changes what it writes.
"""
import csv
import html
import io
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from fake_instagram import FakeInstagram, fixture_settings

from giveaway.contests import lifecycle
from giveaway.contests.models import Contest, RulesVersion
from giveaway.contests.service import add_rules_version
from giveaway.core.sources import RawComment
from giveaway.db_types import utcnow
from giveaway.draws import freeze, service as draws
from giveaway.draws.commitment import BeaconChoice, setup_of
from giveaway.draws.models import Draw, Freeze
from giveaway.eligibility import decisions
from giveaway.eligibility.models import Evaluation, ManualDecision, Verdict
from giveaway.eligibility.rules_doc import set_rules
from giveaway.eligibility.service import evaluate_contest
from giveaway.errors import Conflict
from giveaway.extensions import db
from giveaway.harvest import ig_session
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment, HarvestRun, ImportFile
from giveaway.harvest.service import resume_harvest, start_harvest
from giveaway.harvest.store import store_comments
from giveaway.harvest.tasks import run_harvest_job
from conftest import after_beacon, make_contest

STATES = ("draft", "open", "closed", "frozen", "drawn", "archived")
Y, N = True, False
#: write → allowed in (draft, open, closed, frozen, drawn, archived)
TABLE = {
    "store comments":    (N, Y, Y, N, N, N),
    "import a file":     (N, Y, Y, N, N, N),
    "harvest start":     (N, Y, Y, N, N, N),
    "harvest resume":    (N, Y, Y, N, N, N),
    "harvest page":      (N, Y, Y, N, N, N),
    "evaluate":          (Y, Y, Y, N, N, N),
    "manual decision":   (Y, Y, Y, N, N, N),
    "rules version":     (Y, N, N, N, N, N),
    "eligibility rules": (Y, N, N, N, N, N),
    "freeze":            (N, N, Y, N, N, N),
    "draw":              (N, N, N, Y, N, N),
    "archive":           (N, N, N, N, Y, N),
    "later draw time":   (N, Y, Y, Y, N, N),
}
DECLARED = [[3, 17, 22, 40, 48], [2, 9]]


@pytest.fixture(scope="module")
def fake_server():
    with FakeInstagram() as server:
        yield server


@pytest.fixture
def fake(app, fake_server, monkeypatch):
    app.config["IG_API_BASE"] = fake_server.base_url
    app.config["IG_TIMEOUT"] = 2.0
    ig_session.save_settings("gers_tourisme", fixture_settings(), "test")
    monkeypatch.setattr("giveaway.jobs.enqueue", lambda *args, **kwargs: None)  # no job here
    return fake_server


def entries_csv(opens_at: datetime, prefix: str, count: int = 5) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id"])
    for i in range(count):
        writer.writerow([f"{prefix}{i}", f"{prefix}{i}", f"{prefix}_user_{i}", f"Je participe {i}",
                         (opens_at + timedelta(minutes=i + 1)).isoformat(), ""])
    return out.getvalue().encode()


def contest_in(state: str, post_url: str) -> Contest:
    """A contest brought to ``state`` the ordinary way, with a few counted entries."""
    now = utcnow().replace(microsecond=0)
    contest = make_contest(post_urls=[post_url], opens_at=now - timedelta(days=2))
    if state == "draft":  # no service stores comments in a draft: put one there by hand
        db.session.add(Comment(contest_id=contest.id, network="ig", comment_id="d1",
                               user_id="1", username="brouillon", text="Je participe",
                               created_at=now - timedelta(hours=1)))
        db.session.commit()
        return contest
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="EuroMillions du vendredi suivant la clôture"))
    import_comments(contest, io.BytesIO(entries_csv(contest.opens_at, "1")), "a.csv", "test")
    if state == "open":
        return contest
    lifecycle.close_contest(contest, "test")
    if state == "closed":
        return contest
    freeze.freeze_contest(contest, "test")
    if state == "frozen":
        return contest
    with after_beacon(contest):
        draws.run_draw(contest, "test", declared=DECLARED)
    if state == "archived":
        lifecycle.archive_contest(contest, "test")
    return contest


def snapshot(contest_id: int) -> dict:
    """What the writes write, as stored now."""
    db.session.expire_all()

    def count(model):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)
                                 .where(model.contest_id == contest_id))

    contest = db.session.get(Contest, contest_id)
    return {
        "status": contest.status, "eligibility": contest.eligibility,
        "comments": count(Comment), "verdicts": count(Verdict), "imports": count(ImportFile),
        "evaluations": count(Evaluation), "decisions": count(ManualDecision),
        "rules": count(RulesVersion), "freeze": count(Freeze), "draw": count(Draw),
        "anomalies": len(setup.anomalies) if (setup := setup_of(contest)) else None,
        "runs": sorted(db.session.execute(sa.select(HarvestRun.id, HarvestRun.status).where(
            HarvestRun.contest_id == contest_id)).all()),
    }


def prepare(name: str, contest: Contest):
    """The write ``name`` on ``contest``, as the app does it, ready to run."""
    if name == "store comments":
        def store():
            store_comments(contest.id, [RawComment("s1", "77", "nouvelle", "Je participe",
                                                   utcnow() - timedelta(hours=1))], utcnow())
            db.session.commit()
        return store
    if name == "import a file":
        body = entries_csv(contest.opens_at, "2")
        return lambda: import_comments(contest, io.BytesIO(body), "b.csv", "test")
    if name == "harvest start":
        return lambda: start_harvest(contest, "test", queue=False)
    if name == "harvest resume":
        run = stopped_run(contest)
        return lambda: resume_harvest(run, "test")
    if name == "harvest page":
        run_id = queued_run_id(contest)  # as if started before the present state
        return lambda: run_harvest_job(run_id)
    if name == "evaluate":
        return lambda: evaluate_contest(contest, "test")
    if name == "manual decision":
        pk = db.session.scalar(sa.select(Comment.id).where(Comment.contest_id == contest.id)
                               .order_by(Comment.id).limit(1))
        return lambda: decisions.decide(contest, pk, "exclude",
                                        "Compte de la famille du partenaire", "test")
    if name == "rules version":
        return lambda: add_rules_version(contest, "# Règlement\nDeux gagnants.", "test")
    if name == "eligibility rules":
        return lambda: set_rules(contest, {"min_mentions": 1}, "test")
    if name == "freeze":
        return lambda: freeze.freeze_contest(contest, "test")
    if name == "draw":
        def draw():
            if contest.status != "frozen":  # refused before any randomness is looked at
                return draws.run_draw(contest, "test", declared=DECLARED)
            with after_beacon(contest):
                return draws.run_draw(contest, "test", declared=DECLARED)
        return draw
    if name == "later draw time":
        setup = setup_of(contest)
        later = (setup.draw_time if setup else utcnow()) + timedelta(days=7)
        return lambda: freeze.redeclare_beacon(contest, later, "Tirage de l'EuroMillions reporté",
                                               "test")
    assert name == "archive"
    return lambda: lifecycle.archive_contest(contest, "test")


def stopped_run(contest: Contest) -> HarvestRun:
    run = HarvestRun(contest_id=contest.id, status="stopped", started_by="test",
                     post_stats=[], errors=[], end_reason="media_not_found")
    db.session.add(run)
    db.session.commit()
    return run


def queued_run_id(contest: Contest) -> int:
    run = HarvestRun(contest_id=contest.id, status="queued", started_by="test", post_stats=[],
                     errors=[])
    db.session.add(run)
    db.session.commit()
    return run.id


EFFECT = {"store comments": "comments", "import a file": "imports", "harvest start": "runs",
          "harvest resume": "runs", "harvest page": "comments", "evaluate": "evaluations",
          "manual decision": "decisions", "rules version": "rules",
          "eligibility rules": "eligibility", "freeze": "status", "draw": "status",
          "archive": "status", "later draw time": "anomalies"}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", list(TABLE))
def test_every_write_in_every_state(app, fake, name, state):
    post = fake.post(12, seed=31, page_size=5,
                     taken_at=int((utcnow() - timedelta(days=1)).timestamp()))
    contest = contest_in(state, post.url)
    assert contest.status == state
    allowed = TABLE[name][STATES.index(state)]
    write_it = prepare(name, contest)
    before = snapshot(contest.id)
    if name == "harvest page":  # a job: a refusal stops the run, with the reason in French
        write_it()
        after = snapshot(contest.id)
        run = db.session.scalar(sa.select(HarvestRun).order_by(HarvestRun.id.desc()).limit(1))
        if allowed:
            assert run.status == "complete" and after["comments"] == before["comments"] + 12
        else:
            assert (run.status, run.end_reason) == ("stopped", "contest_frozen"), run.last_error
            assert "commentaire" in run.last_error
            before.pop("runs"), after.pop("runs")
            assert after == before
        return
    if allowed:
        write_it()
        after = snapshot(contest.id)
        assert after[EFFECT[name]] != before[EFFECT[name]]
    else:
        with pytest.raises(Conflict) as refused:
            write_it()
        assert refused.value.message
        assert snapshot(contest.id) == before


def test_the_table_covers_every_state_and_the_lifecycle_order(app):
    from giveaway.contests.lifecycle import NEXT_STATUS
    from giveaway.contests.models import ContestStatus
    assert tuple(ContestStatus) == STATES
    assert [str(NEXT_STATUS[ContestStatus(s)]) for s in STATES[:-1]] == list(STATES[1:])
    assert ContestStatus.ARCHIVED not in NEXT_STATUS


def test_the_database_refuses_an_unknown_state(app):
    contest = make_contest()
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE contest SET status = 'lost' WHERE id = :id"),
                               {"id": contest.id})


def test_archive_through_the_page_and_the_cli(app, client, auth, runner, fake):
    post = fake.post(3, seed=32)
    drawn = contest_in("drawn", post.url)
    auth.login()
    page = client.get(f"/contests/{drawn.public_id}").data.decode()
    assert f"/contests/{drawn.public_id}/archive" in page and "Archiver" in page
    assert "Archiver" in client.get(f"/contests/{drawn.public_id}/archive").data.decode()
    assert client.post(f"/contests/{drawn.public_id}/archive").status_code == 302
    assert db.session.get(Contest, drawn.id).status == "archived"
    again = client.post(f"/contests/{drawn.public_id}/archive", follow_redirects=True)
    assert "« archivé » ne peut pas passer à l'état « archivé »" in html.unescape(
        again.data.decode())
    refused = runner.invoke(args=["contest", "archive", drawn.public_id])
    assert refused.exit_code == 1 and "archivé" in refused.output


def test_archive_command(app, runner, fake):
    post = fake.post(3, seed=33)
    drawn = contest_in("drawn", post.url)
    result = runner.invoke(args=["contest", "archive", drawn.public_id])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert db.session.get(Contest, drawn.id).status == "archived"


def test_frozen_contest_page_offers_the_draw_and_says_frozen(app, client, auth, fake):
    post = fake.post(3, seed=34)
    contest = contest_in("frozen", post.url)
    auth.login()
    page = client.get(f"/contests/{contest.public_id}").data.decode()
    assert "figé" in page and f"/contests/{contest.public_id}/draw" in page
    assert f"/contests/{contest.public_id}/freeze" not in page
    assert "Tirer au sort" in page or "Tirage" in page


def _closed_without_counted_entry() -> Contest:
    """A closed contest whose only comment is not counted (posted before the opening)."""
    now = utcnow().replace(microsecond=0)
    contest = make_contest(opens_at=now - timedelta(days=2))
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="EuroMillions du vendredi suivant la clôture"))
    early = (contest.opens_at - timedelta(days=1)).isoformat()
    body = ("comment_id,user_id,username,text,created_at,parent_id\n"
            f"e1,5,trop_tot,Je participe,{early},\n").encode()
    import_comments(contest, io.BytesIO(body), "tot.csv", "test")
    lifecycle.close_contest(contest, "test")
    return contest


def _unchanged(contest_id: int):
    from giveaway.audit.models import AuditRecord
    audit = db.session.scalar(sa.select(sa.func.count()).select_from(AuditRecord))
    return snapshot(contest_id), audit


def test_freeze_with_no_counted_entry_is_a_clear_conflict_on_the_page(app, client, auth):
    contest = _closed_without_counted_entry()
    before = _unchanged(contest.id)
    auth.login()
    response = client.post(f"/contests/{contest.public_id}/freeze", follow_redirects=True)
    assert response.status_code == 200
    assert "Aucune participation n'est comptée : il n'y a rien à figer" in html.unescape(
        response.data.decode())
    assert _unchanged(contest.id) == before  # not even the last evaluation is stored


def test_freeze_with_no_counted_entry_is_a_clear_conflict_in_the_cli(app, runner):
    contest = _closed_without_counted_entry()
    before = _unchanged(contest.id)
    result = runner.invoke(args=["contest", "freeze", contest.public_id])
    assert result.exit_code == 1 and result.exception.__class__ is SystemExit
    assert "Aucune participation n'est comptée" in result.output
    assert "Traceback" not in result.output
    assert _unchanged(contest.id) == before


def test_the_freeze_page_of_a_frozen_contest_offers_no_freeze(app, client, auth, fake):
    post = fake.post(3, seed=35)
    contest = contest_in("frozen", post.url)
    auth.login()
    page = html.unescape(client.get(f"/contests/{contest.public_id}/freeze").data.decode())
    assert "Les participations sont déjà figées." in page
    assert 'type="submit"' not in page.split("<main", 1)[-1]
