"""Large comment files imported in the background, with progress; totals marked while the
verdicts are being recomputed.

The test app runs jobs inline (``HUEY_IMMEDIATE``): a job queued by a request runs
before that request answers. Tests that need a job to wait call the job functions
themselves.
"""
import csv
import io
import os
import stat
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from giveaway.contests import lifecycle
from giveaway.contests.locking import ContestBusy
from giveaway.db_types import utcnow
from giveaway.draws import freeze
from giveaway.draws.commitment import BeaconChoice
from giveaway.eligibility.models import Evaluation
from giveaway.eligibility.tasks import evaluate_job
from giveaway.errors import Conflict
from giveaway.extensions import db
from giveaway.harvest import import_jobs, import_runner
from giveaway.harvest.import_progress import error_text, progress_of, progress_text
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment, EvaluationRequest, ImportFile, ImportJob
from giveaway.harvest.service import evaluation_state
from giveaway.harvest.tasks import recover_import_jobs, run_import_job
from conftest import make_contest

ROWS = 300
HEADER = ["comment_id", "user_id", "username", "text", "created_at", "parent_id"]


def comments_csv(opens_at, count: int = ROWS, bad_line: int | None = None,
                 prefix: str = "c") -> bytes:
    """``count`` comments, one per account; ``bad_line`` (1-based, the header is line 1)
    gets an unreadable date."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for i in range(count):
        created = (opens_at + timedelta(seconds=i + 1)).isoformat()
        if bad_line == i + 2:
            created = "hier soir"
        writer.writerow([f"{prefix}{i}", f"u{i}", f"camille_{i}",
                         f"Je participe <b>{i}</b> @lea @hugo", created, ""])
    return out.getvalue().encode()


@pytest.fixture
def contest(app):
    app.config["IMPORT_BACKGROUND_ROWS"] = 100
    contest = make_contest(opens_at=utcnow().replace(microsecond=0) - timedelta(days=2))
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="EuroMillions du vendredi suivant la clôture"))
    return contest


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def queued_job(contest, body: bytes, filename: str = "export.csv") -> ImportJob:
    """A job saved and committed as the page does, but not yet run."""
    rows = import_jobs.estimate_rows(io.BytesIO(body), filename)
    job = import_jobs.queue_import(contest, io.BytesIO(body), filename, "staff@test.fr", rows)
    db.session.commit()
    return job


def uploads(app) -> list[str]:
    folder = os.path.join(app.instance_path, "imports")
    return os.listdir(folder) if os.path.isdir(folder) else []


def post_file(client, contest, body: bytes, name: str = "export.csv"):
    return client.post(f"/contests/{contest.public_id}/import",
                       data={"file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")


def test_a_large_file_is_imported_in_the_background_with_the_right_counts(app, client, auth,
                                                                           contest):
    auth.login()
    response = post_file(client, contest, comments_csv(contest.opens_at))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/contests/{contest.public_id}/import")
    job = db.session.scalar(sa.select(ImportJob))
    assert (job.state, job.rows_read, job.comments_stored, job.comments_new) == (
        "done", ROWS, ROWS, ROWS)
    assert job.expected_rows == ROWS and job.attempts == 1 and job.import_id is not None
    assert count(Comment) == ROWS and count(ImportFile) == 1
    assert uploads(app) == []  # the saved upload is deleted once imported
    page = client.get(response.headers["Location"]).data.decode()
    assert "Terminé : 300 commentaires importés" in page and "<b>" not in page
    assert db.session.scalar(sa.select(Evaluation.totals)).get("comments") == ROWS
    assert db.session.get(EvaluationRequest, contest.id) is None  # evaluated: nothing pending
    again = client.get(f"/contests/{contest.public_id}/import/progress").get_json()
    assert again["job"]["phase"] == "done" and again["evaluation"]["pending"] is False


def test_a_small_file_is_still_imported_within_the_request(client, auth, contest):
    auth.login()
    response = post_file(client, contest, comments_csv(contest.opens_at, count=20))
    assert response.headers["Location"].endswith(f"/contests/{contest.public_id}")
    assert count(ImportJob) == 0 and count(Comment) == 20


def test_progress_is_recorded_while_the_job_reads_then_stores(app, client, auth, contest,
                                                               monkeypatch):
    """The endpoint, asked while the job runs, answers its live counts phase by phase."""
    monkeypatch.setattr(import_runner, "REPORT_EVERY", 0)
    monkeypatch.setattr(import_runner, "READ_BATCH", 100)
    monkeypatch.setattr("giveaway.harvest.imports.BATCH_SIZE", 100)
    auth.login()
    job = queued_job(contest, comments_csv(contest.opens_at))
    seen, url = [], f"/contests/{contest.public_id}/import/progress"
    publish = import_jobs.publish

    def watched(job_id, rows, stored):
        publish(job_id, rows, stored)
        answer = {}

        def ask():  # another thread, as the browser would, while the job holds its transaction
            answer.update(client.get(url).get_json()["job"])
        asking = threading.Thread(target=ask)
        asking.start()
        asking.join(30)
        seen.append((answer["phase"], answer["rows_read"], answer["comments_stored"],
                     answer["text"]))

    monkeypatch.setattr(import_runner, "publish", watched)
    run_import_job(job.id)
    reading = [s for s in seen if s[0] == "reading"]
    storing = [s for s in seen if s[0] == "storing"]
    assert [s[1] for s in reading[:3]] == [100, 200, 300]
    assert "100 lignes lues sur ~300" in reading[0][3]
    assert [s[2] for s in storing] == [100, 200, 300]
    assert "200 commentaires enregistrés sur 300" in storing[1][3]
    db.session.expire_all()
    assert db.session.get(ImportJob, job.id).state == "done"


def test_the_page_shows_the_bar_and_the_evaluation_running(client, auth, contest, monkeypatch):
    monkeypatch.setattr("giveaway.jobs.enqueue", lambda *args, **kwargs: None)  # no job runs
    job = queued_job(contest, comments_csv(contest.opens_at))
    auth.login()
    page = client.get(f"/contests/{contest.public_id}/import").data.decode()
    assert 'role="progressbar"' in page and "En attente" in page
    assert 'http-equiv="refresh"' in page  # without JavaScript the page refreshes itself
    token = import_jobs.claim(job.id)
    import_runner.ImportRun(job.id, token).run()  # stored; the evaluation is queued, not run
    db.session.expire_all()
    assert db.session.get(ImportJob, job.id).state == "evaluating"
    answer = client.get(f"/contests/{contest.public_id}/import/progress").get_json()
    assert answer["job"]["phase"] == "evaluating" and answer["evaluation"]["pending"] is True
    assert "évaluation en cours" in answer["job"]["text"]
    panel = client.get(f"/contests/{contest.public_id}").data.decode()
    assert "évaluation en cours" in panel and "recalcul en cours" in panel
    evaluate_job(contest.id)
    db.session.expire_all()
    assert db.session.get(ImportJob, job.id).state == "done"
    assert client.get(f"/contests/{contest.public_id}/import/progress").get_json()[
        "job"]["text"].startswith("Terminé")
    assert "recalcul en cours" not in client.get(f"/contests/{contest.public_id}").data.decode()


def test_a_job_nobody_takes_says_so_after_a_minute(client, auth, contest, monkeypatch):
    monkeypatch.setattr("giveaway.jobs.enqueue", lambda *args, **kwargs: None)  # no worker
    job = queued_job(contest, comments_csv(contest.opens_at))
    auth.login()
    url = f"/contests/{contest.public_id}/import/progress"
    assert client.get(url).get_json()["job"]["text"].startswith("En attente")
    db.session.execute(sa.update(ImportJob).values(created_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    assert "prévenez votre administrateur" in client.get(url).get_json()["job"]["text"]
    assert recover_import_jobs() == []  # queued for minutes only: left to the queue
    db.session.execute(sa.update(ImportJob).values(created_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert recover_import_jobs() == [job.id]  # its message may be lost: queued again


def test_a_malformed_line_fails_the_job_naming_it_and_stores_nothing(app, client, auth,
                                                                      contest):
    auth.login()
    post_file(client, contest, comments_csv(contest.opens_at, bad_line=150))
    job = db.session.scalar(sa.select(ImportJob))
    assert job.state == "failed" and job.error_code == "file"
    assert count(Comment) == 0 and count(ImportFile) == 0 and uploads(app) == []
    page = client.get(f"/contests/{contest.public_id}/import").data.decode()
    assert "ligne 150" in page and "hier soir" in page and "Le fichier n&#39;a pas été importé" in page
    answer = client.get(f"/contests/{contest.public_id}/import/progress").get_json()
    assert answer["job"]["phase"] == "failed" and "hier soir" not in str(answer)


def test_a_conflict_while_storing_rolls_the_whole_file_back(contest, monkeypatch):
    """Batches already stored go too when a later one is refused: whole or not at all."""
    monkeypatch.setattr("giveaway.harvest.imports.BATCH_SIZE", 50)
    other = ("comment_id,user_id,username,text,created_at,parent_id,network\n"
             f"c250,9,zoe,Coucou,{(contest.opens_at + timedelta(hours=1)).isoformat()},,tiktok\n")
    import_comments(contest, io.BytesIO(other.encode()), "tiktok.csv", "test")
    job = queued_job(contest, comments_csv(contest.opens_at))
    run_import_job(job.id)
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert job.state == "failed" and job.error_code == "conflict"
    assert "c250" in error_text(job)
    assert count(Comment) == 1 and count(ImportFile) == 1  # the TikTok file alone


def with_entries(contest) -> None:
    """Five counted entries, imported within the request: a contest with nothing counted
    cannot be frozen."""
    import_comments(contest, io.BytesIO(comments_csv(contest.opens_at, count=5, prefix="a")),
                    "a.csv", "test")


def test_a_freeze_between_the_upload_and_the_job_makes_it_refuse(app, client, auth, contest):
    with_entries(contest)
    job = queued_job(contest, comments_csv(contest.opens_at))
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")
    run_import_job(job.id)
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert job.state == "failed" and job.error_code == "refused"
    assert count(Comment) == 5 and count(ImportFile) == 1 and uploads(app) == []
    auth.login()
    page = client.get(f"/contests/{contest.public_id}/import").data.decode()
    assert "gelées avant" in page and "Rien n&#39;en a été enregistré" in page


def test_a_freeze_landing_while_the_job_reads_the_file_makes_it_refuse(app, contest,
                                                                         monkeypatch):
    monkeypatch.setattr(import_runner, "REPORT_EVERY", 0)
    monkeypatch.setattr(import_runner, "READ_BATCH", 100)
    with_entries(contest)
    lifecycle.close_contest(contest, "test")
    job = queued_job(contest, comments_csv(contest.opens_at))
    publish, frozen = import_jobs.publish, []

    def freeze_once(job_id, rows, stored):
        publish(job_id, rows, stored)
        if not frozen:  # the staff freezes from another request while the file is read
            def work():
                with app.app_context():
                    freeze.freeze_contest(db.session.get(type(contest), contest.id), "test")
                    db.session.remove()
            thread = threading.Thread(target=work)
            thread.start()
            thread.join(60)
            frozen.append(True)

    monkeypatch.setattr(import_runner, "publish", freeze_once)
    run_import_job(job.id)
    db.session.expire_all()
    assert db.session.get(ImportJob, job.id).state == "failed" and frozen
    assert count(Comment) == 5 and count(ImportFile) == 1


def test_a_crash_mid_job_fails_it_and_stores_nothing(app, contest, monkeypatch):
    monkeypatch.setattr("giveaway.harvest.imports.BATCH_SIZE", 100)
    calls = []

    def crashing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return store(*args, **kwargs)

    from giveaway.harvest import imports
    store = imports.store_comments
    monkeypatch.setattr(imports, "store_comments", crashing)
    job = queued_job(contest, comments_csv(contest.opens_at))
    run_import_job(job.id)
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert job.state == "failed" and job.error_code == "crashed"
    assert "disk full" not in error_text(job) and "inattendue" in error_text(job)
    assert count(Comment) == 0 and uploads(app) == []


def test_a_job_whose_worker_died_is_run_again_then_given_up(app, contest, monkeypatch):
    job = queued_job(contest, comments_csv(contest.opens_at))
    assert import_jobs.claim(job.id)  # a worker took it… and died while reading
    assert recover_import_jobs() == []  # within its lease: left alone
    old = utcnow() - import_jobs.LEASE - timedelta(seconds=1)
    db.session.execute(sa.update(ImportJob).values(heartbeat_at=old))
    db.session.commit()
    assert recover_import_jobs() == [job.id]  # queued again, and run (jobs run inline here)
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert (job.state, job.comments_stored, job.attempts) == ("done", ROWS, 2)

    second = queued_job(contest, comments_csv(contest.opens_at, prefix="d"), "d.csv")
    db.session.execute(sa.update(ImportJob).where(ImportJob.id == second.id).values(
        state="storing", attempts=import_jobs.MAX_ATTEMPTS, heartbeat_at=old))
    db.session.commit()
    assert recover_import_jobs() == []
    db.session.expire_all()
    second = db.session.get(ImportJob, second.id)
    assert second.state == "failed" and second.error_code == "interrupted"
    assert "interrompu" in error_text(second) and uploads(app) == []


def test_a_job_kept_waiting_by_the_contest_lock_is_queued_again(contest, monkeypatch):
    queued = []
    monkeypatch.setattr("giveaway.jobs.enqueue", lambda *args, **kw: queued.append((args, kw)))

    def busy(_contest):
        raise ContestBusy("busy")

    monkeypatch.setattr("giveaway.harvest.imports.require_comments_allowed", busy)
    job = queued_job(contest, comments_csv(contest.opens_at))
    run_import_job(job.id)
    db.session.expire_all()
    job = db.session.get(ImportJob, job.id)
    assert (job.state, job.attempts, job.worker_token) == ("queued", 0, "")
    assert queued == [(("harvest.import", job.id), {"delay": import_runner.BUSY_RETRY_SECONDS})]
    assert os.path.exists(os.path.join(import_jobs.upload_folder(), job.stored_name))


def test_a_second_file_is_refused_while_one_is_being_imported(app, client, auth, contest):
    job = queued_job(contest, comments_csv(contest.opens_at))
    path = os.path.join(import_jobs.upload_folder(), job.stored_name)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600 and len(job.stored_name) >= 32
    assert job.stored_name not in job.filename
    auth.login()
    page = client.get(f"/contests/{contest.public_id}/import").data.decode()
    assert 'type="file"' not in page  # no form while the import runs
    for body in (comments_csv(contest.opens_at), comments_csv(contest.opens_at, count=5)):
        refused = post_file(client, contest, body)
        assert refused.status_code == 200
        assert "déjà en cours d&#39;import" in refused.data.decode()
    assert count(ImportJob) == 1 and count(Comment) == 0 and uploads(app) == [job.stored_name]
    with pytest.raises(Conflict):
        import_jobs.queue_import(contest, io.BytesIO(b"x"), "x.csv", "staff@test.fr", 1000)


def test_the_progress_endpoint_is_staff_only_and_shows_no_personal_data(client, auth,
                                                                        contest):
    auth.login()
    post_file(client, contest, comments_csv(contest.opens_at), name="liste-camille.csv")
    url = f"/contests/{contest.public_id}/import/progress"
    answer = client.get(url)
    assert answer.is_json and answer.get_json()["job"]["comments_stored"] == ROWS
    text = answer.data.decode()
    for private in ("camille", "Je participe", "staff@test.fr", "liste", "u1", "@lea"):
        assert private not in text
    auth.logout()
    assert client.get(url).headers["Location"].startswith("/login")
    auth.login("wine@test.fr")  # a partner of this very contest
    assert client.get(url).status_code == 403


def test_the_review_says_recomputing_while_an_evaluation_is_pending_and_not_after(
        client, auth, contest, monkeypatch):
    monkeypatch.setattr("giveaway.jobs.enqueue", lambda *args, **kwargs: None)  # nothing runs
    import_comments(contest, io.BytesIO(comments_csv(contest.opens_at, count=10)), "a.csv", "t")
    auth.login()
    url = f"/contests/{contest.public_id}/entries"
    first = client.get(url).data.decode()
    assert "Recalcul en cours" in first and "évalués pour la première fois" in first
    assert "Aucune évaluation" not in first
    assert 'data-watch="evaluation"' in first
    evaluate_job(contest.id)
    done = client.get(url).data.decode()
    assert "Recalcul en cours" not in done and 'id="totals"' in done
    import_comments(contest, io.BytesIO(comments_csv(contest.opens_at, count=10, prefix="n")),
                    "b.csv", "t")
    stale = client.get(url).data.decode()
    evaluated = db.session.scalar(sa.select(Evaluation))
    assert "Recalcul en cours" in stale and "datent du" in stale and 'id="totals"' in stale
    assert client.get(f"/contests/{contest.public_id}/import/progress").get_json()[
        "evaluation"] == {"pending": True, "failed": False}
    # staff recompute the verdicts themselves before the queued job runs: nothing is pending
    recomputed = client.post(f"{url}/evaluate", follow_redirects=True).data.decode()
    assert "Recalcul en cours" not in recomputed and evaluated is not None
    evaluate_job(contest.id)  # the queued job, run later, only clears the request
    assert db.session.get(EvaluationRequest, contest.id, populate_existing=True) is None


def test_a_failed_evaluation_is_said_and_not_shown_as_running(client, auth, contest,
                                                              monkeypatch):
    monkeypatch.setattr("giveaway.jobs.enqueue", lambda *args, **kwargs: None)
    import_comments(contest, io.BytesIO(comments_csv(contest.opens_at, count=5)), "a.csv", "t")

    def refused(*args, **kwargs):
        raise Conflict("two networks")

    monkeypatch.setattr("giveaway.eligibility.tasks.evaluate_contest", refused)
    evaluate_job(contest.id)
    assert evaluation_state(contest).failed and not evaluation_state(contest).pending
    auth.login()
    page = client.get(f"/contests/{contest.public_id}/entries").data.decode()
    assert "Recalcul en cours" not in page and "n'ont pas pu être recalculés" in page


def test_nothing_is_pending_once_the_contest_is_frozen(contest, monkeypatch):
    monkeypatch.setattr("giveaway.jobs.enqueue", lambda *args, **kwargs: None)
    import_comments(contest, io.BytesIO(comments_csv(contest.opens_at, count=5)), "a.csv", "t")
    assert evaluation_state(contest).pending
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")  # judges every comment itself
    assert not evaluation_state(contest).pending
    evaluate_job(contest.id)  # the queued job, run late, only clears the request
    assert db.session.get(EvaluationRequest, contest.id, populate_existing=True) is None


@pytest.mark.parametrize("body, name, expected", [
    (b"comment_id,user_id\n1,2\n3,4\n", "a.csv", 2),
    (b"comment_id,user_id\n1,2\n3,4", "a.csv", 2),
    (b"comment_id,user_id\n", "a.csv", 0),
    (b"", "a.csv", 0),
    (b'[{"created_at_utc": 1}, {"created_at_utc": 2},\n {"created_at_utc": 3}]', "a.json", 3),
    (b"anything", "a.txt", 0),
])
def test_rows_are_estimated_before_choosing_where_to_import(app, body, name, expected):
    stream = io.BytesIO(body)
    assert import_jobs.estimate_rows(stream, name) == expected
    assert stream.tell() == 0


def test_estimate_counts_keys_across_chunk_boundaries(app):
    item = b'{"pk": "1", "created_at_utc": 1},'
    body = b"[" + item * 100_000 + b"]"  # several MiB: the key straddles some chunk ends
    assert import_jobs.estimate_rows(io.BytesIO(body), "big.json") == 100_000


def test_progress_words(app, contest):
    job = ImportJob(state="reading", rows_read=12_000, expected_rows=60_000, comments_stored=0,
                    comments_new=0, id=0)
    state = evaluation_state(contest)
    with app.test_request_context():
        assert progress_text(progress_of(job, state)) == "12\u202f000 lignes lues sur ~60\u202f000"
        job.state, job.rows_read, job.comments_stored = "storing", 60_000, 11_950
        progress = progress_of(job, state)
        assert progress_text(progress) == "11\u202f950 commentaires enregistrés sur 60\u202f000"
        assert 10 < progress.percent < 95
