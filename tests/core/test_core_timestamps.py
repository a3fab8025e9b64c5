"""RFC 3161 time-stamps in the core, against a real local TSA (``openssl ts -reply``)."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib

import pytest
from tsa_server import TestCA, closed_port_url

from giveaway.core.checks import Status
from giveaway.core.errors import (InvalidDocument, InvalidInput, TimestampError,
                                  TimestampUnverifiable)
from giveaway.core.timestamps import (CLOCK_SKEW, certificate_imprint, check_timestamps,
                                      commitment_imprint, freeze_imprint, read_token,
                                      request_token)

C = bytes(range(32))
ROOT = hashlib.sha256(b"root").digest()
DRAW_ID = "coffret-noël"


def test_imprints_are_the_documented_hashes():
    assert commitment_imprint(C) == hashlib.sha256(b"gdraw-v2/tsa/commitment" + C).digest()
    draw_id = DRAW_ID.encode()
    assert freeze_imprint(DRAW_ID, 1038, ROOT) == hashlib.sha256(
        b"gdraw-v2/tsa/freeze" + len(draw_id).to_bytes(2, "big") + draw_id
        + (1038).to_bytes(4, "big") + ROOT).digest()
    assert certificate_imprint(b'{"a":1}') == hashlib.sha256(b'{"a":1}').digest()
    assert freeze_imprint(DRAW_ID, 1038, ROOT) != freeze_imprint(DRAW_ID, 1037, ROOT)


@pytest.mark.parametrize("call, field", [
    (lambda: commitment_imprint(b"short"), "commitment"),
    (lambda: freeze_imprint(DRAW_ID, 1 << 32, ROOT), "entries.count"),
    (lambda: freeze_imprint("x" * 70000, 1, ROOT), "draw_id"),
    (lambda: freeze_imprint(DRAW_ID, 1, b"\0"), "entries.merkle_root"),
])
def test_imprints_refuse_bad_input(call, field):
    with pytest.raises(InvalidInput) as info:
        call()
    assert info.value.field == field


def test_request_and_read_a_real_token(local_tsa):
    imprint = commitment_imprint(C)
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    token = request_token(local_tsa.url, imprint)
    info = read_token(token, imprint)
    assert before <= info.gen_time <= dt.datetime.now(dt.timezone.utc)
    assert info.gen_time.tzinfo is dt.timezone.utc
    assert "CN=Giveaway Test Root CA TSA" in info.tsa_name
    assert "CN=Giveaway Test Root CA" in info.issuer
    assert info.serial > 0 and info.accuracy_seconds == pytest.approx(1.5001)
    assert not info.pinned
    assert read_token(token, imprint, [local_tsa.ca_pem]) == dataclasses.replace(info, pinned=True)


def test_read_token_refuses_other_imprint_and_tampering(local_tsa, tmp_path):
    imprint = commitment_imprint(C)
    token = request_token(local_tsa.url, imprint)
    with pytest.raises(TimestampError, match="another imprint"):
        read_token(token, freeze_imprint(DRAW_ID, 1, ROOT))
    signature_flipped = token[:-5] + bytes([token[-5] ^ 1]) + token[-4:]
    with pytest.raises(TimestampError, match="does not verify"):
        read_token(signature_flipped, imprint)
    stated = hashlib.sha256(b"gdraw-v2/tsa/commitment" + C).digest()
    at = token.index(stated)  # the signed TSTInfo: change the imprint it states
    forged = token[:at] + freeze_imprint(DRAW_ID, 1, ROOT) + token[at + 32:]
    with pytest.raises(TimestampError, match="does not verify"):
        read_token(forged, freeze_imprint(DRAW_ID, 1, ROOT))
    with pytest.raises(TimestampError, match="not an RFC 3161 reply"):
        read_token(b"\x30\x03garbage", imprint)
    other_root = TestCA(tmp_path / "other", name="Another Root").ca_pem
    with pytest.raises(TimestampError, match="does not verify"):
        read_token(token, imprint, [other_root])


def test_token_without_its_root(local_tsa):
    local_tsa.leaf_only()
    imprint = commitment_imprint(C)
    token = request_token(local_tsa.url, imprint)
    with pytest.raises(TimestampUnverifiable) as info:
        read_token(token, imprint)
    assert "CN=Giveaway Test Root CA TSA" in info.value.info.tsa_name
    assert read_token(token, imprint, [local_tsa.ca_pem]).gen_time == info.value.info.gen_time


def test_request_token_errors(local_tsa):
    imprint = commitment_imprint(C)
    with pytest.raises(TimestampError, match="unreachable"):
        request_token(closed_port_url(), imprint, timeout=5)
    local_tsa.fail(503)
    with pytest.raises(TimestampError, match="HTTP 503"):
        request_token(local_tsa.url, imprint)
    local_tsa.reset()
    local_tsa.reject()
    with pytest.raises(TimestampError, match="refused .*not supported"):
        request_token(local_tsa.url, imprint)
    with pytest.raises(TimestampError, match="not an http"):
        request_token("file:///etc/passwd", imprint)
    with pytest.raises(TimestampError) as info:
        request_token("http://user:secret@127.0.0.1:1/tsr?key=k", imprint, timeout=5)
    assert "secret" not in str(info.value) and "key=k" not in str(info.value)


def _timeline(gen_time, **overrides):
    values = dict(commitment=C, draw_id=DRAW_ID, count=3, root=ROOT,
                  committed_at=gen_time - dt.timedelta(minutes=5),
                  frozen_at=gen_time + dt.timedelta(days=1),
                  beacon_time=gen_time + dt.timedelta(days=2))
    values.update(overrides)
    return values


def _entry(subject, url, token):
    return {"subject": subject, "tsa": url, "token": base64.b64encode(token).decode()}


@pytest.fixture
def tokens(local_tsa):
    """A commitment token and a freeze token, and the commitment token's time."""
    commit = request_token(local_tsa.url, commitment_imprint(C))
    freeze = request_token(local_tsa.url, freeze_imprint(DRAW_ID, 3, ROOT))
    return commit, freeze, read_token(commit, commitment_imprint(C)).gen_time


def test_check_timestamps_ok(local_tsa, tokens):
    commit, freeze, gen_time = tokens
    entries = [_entry("commitment", local_tsa.url, commit), _entry("freeze", local_tsa.url, freeze)]
    timeline = _timeline(gen_time, frozen_at=gen_time)
    results = check_timestamps(entries, **timeline)
    assert [r.status for r in results] == [Status.OK, Status.OK], results
    assert "Giveaway Test Root CA TSA" in results[0].message and local_tsa.url in results[0].message
    assert "root carried in the token" in results[0].message
    results = check_timestamps(entries, **timeline, trusted_roots=[local_tsa.ca_pem])
    assert all(r.status is Status.OK for r in results)
    assert "root carried" not in results[0].message


def test_check_timestamps_time_consistency(local_tsa, tokens):
    commit, freeze, gen_time = tokens
    entries = [_entry("commitment", local_tsa.url, commit)]
    too_early = gen_time + CLOCK_SKEW + dt.timedelta(seconds=5)  # token 65 s before the event
    [result, missing] = check_timestamps(entries, **_timeline(gen_time, committed_at=too_early))
    assert (result.status, result.code) == (Status.FAIL, "timestamp_before_event")
    assert (missing.status, missing.code) == (Status.NOTE, "not_timestamped")
    within = gen_time + CLOCK_SKEW  # inside the skew plus the token's accuracy
    assert check_timestamps(entries, **_timeline(gen_time, committed_at=within))[0].ok
    late = check_timestamps(entries, **_timeline(gen_time,
                                                 frozen_at=gen_time - dt.timedelta(hours=1)))
    assert (late[0].status, late[0].code) == (Status.NOTE, "timestamp_late")
    freeze_gen = read_token(freeze, freeze_imprint(DRAW_ID, 3, ROOT)).gen_time
    entries = [_entry("freeze", local_tsa.url, freeze)]
    [late, _] = check_timestamps(entries, **_timeline(freeze_gen, frozen_at=freeze_gen,
                                                      beacon_time=freeze_gen))
    assert (late.status, late.code) == (Status.NOTE, "timestamp_late")
    [early, _] = check_timestamps(entries, **_timeline(
        freeze_gen, frozen_at=freeze_gen + dt.timedelta(minutes=5)))
    assert early.status is Status.FAIL


def test_check_timestamps_failures(local_tsa, tokens):
    commit, freeze, gen_time = tokens
    flipped = commit[:-5] + bytes([commit[-5] ^ 1]) + commit[-4:]
    entries = [_entry("commitment", local_tsa.url, flipped),
               _entry("freeze", local_tsa.url, commit)]  # a token for another imprint
    results = check_timestamps(entries, **_timeline(gen_time))
    assert [(r.status, r.code) for r in results] == [(Status.FAIL, "timestamp_invalid")] * 2
    assert "commitment" in results[0].message and local_tsa.url in results[0].message
    assert "another imprint" in results[1].message


def test_check_timestamps_unchecked_token(local_tsa):
    local_tsa.leaf_only()
    token = request_token(local_tsa.url, commitment_imprint(C))
    gen_time = read_token(token, commitment_imprint(C), [local_tsa.ca_pem]).gen_time
    entries = [_entry("commitment", local_tsa.url, token)]
    assert check_timestamps(entries, **_timeline(gen_time))[0].code == "timestamp_unchecked"
    assert check_timestamps(entries, **_timeline(gen_time), trusted_roots=[local_tsa.ca_pem])[0].ok


def test_check_timestamps_none():
    for entries in (None, []):
        [result] = check_timestamps(entries, **_timeline(dt.datetime.now(dt.timezone.utc)))
        assert (result.status, result.code) == (Status.NOTE, "not_timestamped")


@pytest.mark.parametrize("entries, field", [
    ({"subject": "commitment"}, "timestamps"),
    (["x"], "timestamps[0]"),
    ([{"subject": "draw", "tsa": "u", "token": ""}], "timestamps[0].subject"),
    ([{"subject": "freeze", "tsa": "", "token": ""}], "timestamps[0].tsa"),
    ([{"subject": "freeze", "tsa": "u", "token": "not base64!"}], "timestamps[0].token"),
    ([{"subject": "freeze", "tsa": "u", "token": 12}], "timestamps[0].token"),
])
def test_check_timestamps_malformed(entries, field):
    with pytest.raises(InvalidDocument) as info:
        check_timestamps(entries, **_timeline(dt.datetime.now(dt.timezone.utc)))
    assert info.value.field == field
