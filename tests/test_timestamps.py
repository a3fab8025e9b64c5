"""RFC 3161 time-stamps in the app: scheduled in a transaction, fetched after it commits
(inline here: HUEY_IMMEDIATE), retried, embedded in the certificate, shown on pages.
A real local TSA answers (tests/tsa_server.py); nothing is mocked.
"""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import sqlalchemy as sa
from tsa_server import closed_port_url

from giveaway.core.checks import Status
from giveaway.core.timestamps import (certificate_imprint, check_timestamps, commitment_imprint,
                                      freeze_imprint, read_token)
from giveaway.draws import tasks
from giveaway.draws.models import DrawTimestamp
from giveaway.draws.timestamping import (MAX_ATTEMPTS, certificate_timestamps, certificate_token,
                                         fetch_pending, schedule_timestamps, timestamp_lines)
from giveaway.extensions import db
from conftest import make_contest

C = hashlib.sha256(b"commitment").digest()
ROOT = hashlib.sha256(b"root").digest()


@pytest.fixture
def tsa_app(app, local_tsa):
    app.config["TSA_URLS"] = (local_tsa.url,)
    return app


def _rows(contest_id):
    db.session.expire_all()
    return list(db.session.scalars(sa.select(DrawTimestamp).where(
        DrawTimestamp.contest_id == contest_id).order_by(DrawTimestamp.id)))


def test_token_fetched_after_commit(tsa_app, local_tsa):
    contest = make_contest()
    imprint = commitment_imprint(C)
    [row] = schedule_timestamps(contest, "commitment", imprint)
    assert row.token is None and local_tsa.requests == 0  # nothing before the commit
    db.session.commit()
    [row] = _rows(contest.id)
    assert row.attempts == 1 and row.last_error == "" and row.imprint == imprint.hex()
    assert read_token(row.token, imprint).gen_time == row.gen_time
    assert row.gen_time <= dt.datetime.now(dt.timezone.utc)
    [line] = timestamp_lines(contest)
    assert (line.subject, line.tsa, line.gen_time, line.status) == (
        "commitment", local_tsa.url, row.gen_time, "done")


def test_unreachable_tsa_is_retried(tsa_app, local_tsa):
    local_tsa.down()  # nothing listens on its port any more
    contest = make_contest()
    schedule_timestamps(contest, "commitment", commitment_imprint(C))
    db.session.commit()  # does not raise
    [row] = _rows(contest.id)
    assert (row.token, row.gen_time, row.attempts) == (None, None, 1)
    assert "unreachable" in row.last_error
    assert [line.status for line in timestamp_lines(contest)] == ["pending"]
    local_tsa.up()
    tasks.retry_timestamps_job()
    [row] = _rows(contest.id)
    assert row.token is not None and row.attempts == 2 and row.last_error == ""
    assert [line.status for line in timestamp_lines(contest)] == ["done"]


def test_failing_and_closed_tsas_leave_pending_rows(tsa_app, local_tsa):
    closed = closed_port_url()
    tsa_app.config["TSA_URLS"] = [local_tsa.url, closed, local_tsa.url]
    local_tsa.fail(503)
    contest = make_contest()
    schedule_timestamps(contest, "freeze", freeze_imprint(contest.public_id, 3, ROOT))
    db.session.commit()
    rows = _rows(contest.id)
    assert [(r.tsa_url, r.attempts, r.token) for r in rows] == [(local_tsa.url, 1, None),
                                                                 (closed, 1, None)]
    assert rows[0].last_error.endswith("HTTP 503")
    local_tsa.reset()
    assert fetch_pending(contest.id).obtained == 1
    db.session.execute(sa.update(DrawTimestamp).values(attempts=MAX_ATTEMPTS))
    db.session.commit()
    assert fetch_pending().pending == 0  # given up after MAX_ATTEMPTS tries
    assert _rows(contest.id)[1].attempts == MAX_ATTEMPTS


def test_scheduling_is_idempotent_and_forgotten_on_rollback(tsa_app, local_tsa):
    contest = make_contest()
    schedule_timestamps(contest, "commitment", commitment_imprint(C))
    db.session.rollback()
    db.session.commit()
    assert _rows(contest.id) == [] and local_tsa.requests == 0
    with db.session.begin_nested():  # a savepoint's release is not the commit
        schedule_timestamps(contest, "commitment", commitment_imprint(C))
    assert local_tsa.requests == 0
    schedule_timestamps(contest, "commitment", commitment_imprint(C))
    db.session.commit()
    [row] = _rows(contest.id)
    assert row.token is not None and local_tsa.requests == 1
    schedule_timestamps(contest, "commitment", commitment_imprint(C))
    db.session.commit()
    assert local_tsa.requests == 1  # nothing pending: no new request
    with pytest.raises(ValueError):
        schedule_timestamps(contest, "opening", commitment_imprint(C))


def test_no_tsa_configured(app):
    contest = make_contest()
    assert schedule_timestamps(contest, "commitment", commitment_imprint(C)) == []
    db.session.commit()
    assert timestamp_lines(contest) == [] and certificate_timestamps(contest) == []


def _stamped_contest(local_tsa):
    contest = make_contest()
    schedule_timestamps(contest, "commitment", commitment_imprint(C))
    schedule_timestamps(contest, "freeze", freeze_imprint(contest.public_id, 3, ROOT))
    schedule_timestamps(contest, "certificate", certificate_imprint(b"{}"))
    db.session.commit()
    return contest


def _check(contest, entries, trusted_roots=None):
    times = {row.subject: row.gen_time for row in _rows(contest.id)}
    return check_timestamps(
        entries, commitment=C, draw_id=contest.public_id, count=3, root=ROOT,
        committed_at=times["commitment"], frozen_at=times["freeze"],
        beacon_time=times["freeze"] + dt.timedelta(hours=1), trusted_roots=trusted_roots)


def test_certificate_timestamps_verify(tsa_app, local_tsa):
    contest = _stamped_contest(local_tsa)
    entries = certificate_timestamps(contest)
    assert [(e["subject"], e["tsa"]) for e in entries] == [("commitment", local_tsa.url),
                                                           ("freeze", local_tsa.url)]
    results = _check(contest, entries, trusted_roots=[local_tsa.ca_pem])
    assert [r.status for r in results] == [Status.OK, Status.OK], results
    token = certificate_token(contest)
    assert read_token(token, certificate_imprint(b"{}"), [local_tsa.ca_pem])
    assert [line.subject for line in timestamp_lines(contest)] == [
        "commitment", "freeze", "certificate"]


def test_tampered_tokens_fail(tsa_app, local_tsa):
    contest = _stamped_contest(local_tsa)
    commitment_entry, freeze_entry = certificate_timestamps(contest)
    row = _rows(contest.id)[0]
    flipped = row.token[:-5] + bytes([row.token[-5] ^ 1]) + row.token[-4:]  # in the signature
    db.session.execute(sa.update(DrawTimestamp).where(DrawTimestamp.id == row.id)
                       .values(token=flipped))
    db.session.commit()
    entries = certificate_timestamps(contest)
    assert entries[0]["token"] != commitment_entry["token"]
    freeze_entry["token"] = commitment_entry["token"]  # a token for another imprint
    results = _check(contest, [entries[0], freeze_entry])
    assert [(r.status, r.code) for r in results] == [(Status.FAIL, "timestamp_invalid")] * 2


def test_jobs_are_registered(app):
    assert "draws.timestamps" in app.extensions["huey_tasks"]
    periodic = [task.name for task in app.extensions["huey"]._registry.periodic_tasks]
    assert "draws.timestamps.retry" in periodic
