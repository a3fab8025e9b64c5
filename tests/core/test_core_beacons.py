"""Beacons: drand round ↔ time, fetching with fall-over, declared values, commit-only."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core_testkit import DRAND, UTC
from giveaway.core import (COMMIT_ONLY_WARNING, BeaconNotYetAvailable, BeaconUnavailable,
                           BeaconVerificationError, DeclaredValuesBeacon, DrandBeacon,
                           InvalidDocument, InvalidInput, NoBeacon, QUICKNET,
                           beacon_from_document, beacon_warning, chain_for, fetch_drand_beacon,
                           fetch_drand_beacon_for_time, key_string)
from giveaway.core.rfc3797 import parse_key_string

ROUND_123_AT = dt.datetime(2023, 8, 23, 15, 15, 33, tzinfo=UTC)
LATER = dt.datetime(2030, 1, 1, tzinfo=UTC)
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({})).open


def test_round_times():
    assert QUICKNET.round_time(1) == dt.datetime.fromtimestamp(1692803367, UTC)
    assert QUICKNET.round_time(123) == ROUND_123_AT
    assert QUICKNET.round_at(ROUND_123_AT) == 123
    assert QUICKNET.round_at(ROUND_123_AT - dt.timedelta(seconds=1)) == 123
    assert QUICKNET.round_at(ROUND_123_AT - dt.timedelta(seconds=3)) == 122
    assert QUICKNET.round_at(ROUND_123_AT + dt.timedelta(microseconds=1)) == 124
    assert QUICKNET.round_at(dt.datetime(2000, 1, 1, tzinfo=UTC)) == 1


def test_round_at_needs_an_aware_time():
    with pytest.raises(InvalidInput, match="timezone"):
        QUICKNET.round_at(dt.datetime(2024, 1, 1))


def test_unknown_chain():
    with pytest.raises(InvalidInput) as info:
        chain_for(bytes(32))
    assert info.value.field == "beacon.chain_hash"


class Endpoint:
    """A local drand endpoint answering with a fixed status and body."""

    def __init__(self, status=200, body=None):
        self.status = status
        self.body = body if body is not None else json.dumps(
            {"round": DRAND["round"], "randomness": DRAND["randomness"],
             "signature": DRAND["signature"]}).encode()
        self.paths = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                endpoint.paths.append(self.path)
                self.send_response(endpoint.status)
                self.send_header("Content-Length", str(len(endpoint.body)))
                self.end_headers()
                self.wfile.write(endpoint.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,),
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def _dead_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = server.server_address[1]
    server.server_close()
    return f"http://127.0.0.1:{port}"


def test_fetch_verifies_and_falls_over_to_the_next_endpoint():
    with Endpoint(500) as broken, Endpoint() as good:
        beacon = fetch_drand_beacon(123, [_dead_url(), broken.url, good.url + "/"],
                                    timeout=5, opener=DIRECT)
    assert beacon == DrandBeacon(QUICKNET.chain_hash, 123, bytes.fromhex(DRAND["signature"]))
    assert good.paths == [f"/{DRAND['chain_hash']}/public/123"]


def test_fetch_for_time_uses_the_first_round_at_or_after():
    with Endpoint() as good:
        beacon = fetch_drand_beacon_for_time(ROUND_123_AT - dt.timedelta(seconds=2), [good.url],
                                             opener=DIRECT)
    assert beacon.round == 123


def test_round_in_the_future_is_a_wait_without_any_request():
    def no_network(*args, **kwargs):
        raise AssertionError("no request expected")

    with pytest.raises(BeaconNotYetAvailable) as info:
        fetch_drand_beacon(123, ["http://127.0.0.1:9"], now=ROUND_123_AT - dt.timedelta(seconds=1),
                           opener=no_network)
    assert info.value.available_at == ROUND_123_AT and info.value.round == 123


@pytest.mark.parametrize("status", [404, 425])
def test_round_unknown_to_every_endpoint_is_a_wait(status):
    with Endpoint(status) as a, Endpoint(404) as b:
        with pytest.raises(BeaconNotYetAvailable):
            fetch_drand_beacon(123, [a.url, b.url], opener=DIRECT)


def test_endpoints_all_failing_is_transient():
    with Endpoint(404) as a, Endpoint(200, b"not json") as b:
        with pytest.raises(BeaconUnavailable, match="malformed"):
            fetch_drand_beacon(123, [a.url, b.url, _dead_url(), "ftp://x"], timeout=5,
                               opener=DIRECT)
    with pytest.raises(BeaconUnavailable):
        fetch_drand_beacon(123, [])


def test_bad_signature_is_a_hard_error_even_if_another_endpoint_is_good():
    sig = bytearray(bytes.fromhex(DRAND["signature"]))
    sig[-1] ^= 1
    body = json.dumps({"round": 123, "signature": sig.hex(),
                       "randomness": hashlib.sha256(sig).hexdigest()}).encode()
    with Endpoint(200, body) as liar, Endpoint() as good:
        with pytest.raises(BeaconVerificationError):
            fetch_drand_beacon(123, [liar.url, good.url], opener=DIRECT)


def test_randomness_not_hash_of_signature_is_a_hard_error():
    body = json.dumps({"round": 123, "signature": DRAND["signature"],
                       "randomness": "00" * 32}).encode()
    with Endpoint(200, body) as liar:
        with pytest.raises(BeaconVerificationError, match="randomness"):
            fetch_drand_beacon(123, [liar.url], opener=DIRECT)


def test_wrong_round_in_answer_is_skipped():
    body = json.dumps({"round": 124, "signature": DRAND["signature"],
                       "randomness": DRAND["randomness"]}).encode()
    with Endpoint(200, body) as confused, Endpoint() as good:
        assert fetch_drand_beacon(123, [confused.url, good.url], opener=DIRECT).round == 123


def test_declared_values_key_string():
    beacon = DeclaredValuesBeacon.from_sources([[9319], [2, 5, 12, 8, 10],
                                                [9, 18, 26, 34, 41, 45]], "EuroMillions")
    assert beacon.key_string == "9319./2.5.8.10.12./9.18.26.34.41.45./"
    assert (beacon.beacon_id, beacon.round) == ("rfc3797", 0)
    assert beacon_from_document(beacon.to_document()) == beacon
    assert parse_key_string(beacon.key_string) == [[9319], [2, 5, 8, 10, 12],
                                                   [9, 18, 26, 34, 41, 45]]
    assert key_string([[0, 10, 7]]) == "0.7.10./"


@pytest.mark.parametrize("sources", [[], [[]], [[-1]], [[1.5]], [[True]], [["7 "]]])
def test_bad_sources(sources):
    with pytest.raises(InvalidInput):
        key_string(sources)


@pytest.mark.parametrize("text", ["", "1./2.", "01./", "2.1./", "a./", "1.//"])
def test_non_canonical_key_strings(text):
    with pytest.raises(InvalidInput):
        parse_key_string(text)


def test_commit_only_is_labelled_weaker():
    assert beacon_warning(NoBeacon()) is COMMIT_ONLY_WARNING
    assert COMMIT_ONLY_WARNING.code == "commit_only"
    assert "weaker" in COMMIT_ONLY_WARNING.text
    assert NoBeacon().to_document()["warning"] == COMMIT_ONLY_WARNING.text
    assert beacon_warning(DeclaredValuesBeacon("1./")) is None


@pytest.mark.parametrize("doc,field", [
    ({}, "beacon.kind"), ({"kind": "dice"}, "beacon.kind"), ([], "beacon"),
    ({"kind": "drand"}, "beacon.chain_hash"),
    ({"kind": "drand", "chain_hash": "00" * 32, "round": 1, "signature": "00" * 48,
      "randomness": "00" * 32}, "beacon.chain_hash"),
    ({"kind": "drand", "chain_hash": DRAND["chain_hash"], "round": 0, "signature": "00" * 48,
      "randomness": "00" * 32}, "beacon.round"),
    ({"kind": "drand", "chain_hash": DRAND["chain_hash"], "round": 1, "signature": "zz",
      "randomness": "00" * 32}, "beacon.signature"),
    ({"kind": "rfc3797"}, "beacon.key_string"),
    ({"kind": "rfc3797", "sources": [[-2]]}, "beacon.sources[0]"),
])
def test_unusable_beacon_members(doc, field):
    with pytest.raises(InvalidDocument) as info:
        beacon_from_document(doc)
    assert info.value.field == field
