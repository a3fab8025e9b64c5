"""The routed instagrapi client: routing, timeouts, no hidden retries, secrets, login."""

from __future__ import annotations

import json
import logging
import time

import pytest
import requests
from fake_instagram import fixture_settings
from instagrapi import exceptions as ig

from giveaway.core.sources import BadPage, SourcePaused, SourceStopped, SourceThrottled
from giveaway.sources.harvest import harvest
from giveaway.sources.instagram import (
    InstagramCommentSource,
    LoginFailed,
    RoutedClient,
    RoutingAdapter,
    close_client,
    login,
    make_client,
    resolve_post,
    settings_from_file,
    translate,
)


def test_routing_survives_set_settings_and_stored_retry_knobs(fake):
    stored = dict(fixture_settings(), request_timeout=3, session_retry_total=3,
                  private_transport="curl")
    client = make_client(stored, api_base=fake.base_url, timeout=1, delay_range=None)
    assert client.request_timeout == 0 and client.session_retry_total == 0
    client.set_settings(stored)  # re-mounts adapters inside instagrapi
    assert client.is_routed()
    assert client.request_timeout == 0 and client.session_retry_total == 0
    post = fake.post(5)
    fake.faults.add("server_error", endpoint="info", at={1})
    with pytest.raises(BadPage) as caught:
        resolve_post(client, post.url)
    assert caught.value.reason == "server_error"
    assert fake.stats.requests["info"] == 1  # no invisible urllib3 retry
    close_client(client)


def test_only_instagram_hosts_are_rewritten():
    adapter = RoutingAdapter("http://127.0.0.1:9/base/", timeout=1)
    for url, expected in [
        ("https://i.instagram.com/api/v1/media/1/info/?a=b",
         "http://127.0.0.1:9/base/api/v1/media/1/info/?a=b"),
        ("https://b.i.instagram.com/api/v1/x/", "http://127.0.0.1:9/base/api/v1/x/"),
        ("https://example.com/api/v1/x/", "https://example.com/api/v1/x/"),
        ("https://notinstagram.com/x", "https://notinstagram.com/x"),
    ]:
        request = requests.Request("GET", url).prepare()
        adapter._route(request)
        assert request.url == expected
    with pytest.raises(ValueError):
        RoutingAdapter("ftp://host/", timeout=1)


def test_a_hung_server_times_out(fake, client):
    post = fake.post(5)
    fake.faults.slow_seconds = 1.0
    fake.faults.add("slow", endpoint="info", at={1})
    client.private.adapters["http://"].timeout = 0.2
    started = time.perf_counter()
    with pytest.raises(SourceThrottled) as caught:
        resolve_post(client, post.url)
    assert caught.value.reason == "network" and time.perf_counter() - started < 0.9


def test_a_cut_body_is_a_bad_page_without_the_silent_sleep(fake, client):
    post = fake.post(5)
    fake.faults.add("cut", endpoint="info", at={1})
    started = time.perf_counter()
    with pytest.raises(BadPage) as caught:
        resolve_post(client, post.url)
    assert caught.value.reason == "truncated" and caught.value.raw.startswith(b'{"items"')
    assert fake.stats.requests["info"] == 1 and time.perf_counter() - started < 1.5


def test_challenges_never_read_stdin(client, monkeypatch):
    monkeypatch.setattr("builtins.input", pytest.fail)
    with pytest.raises(SourcePaused) as caught:
        client.challenge_code_handler("someone", "email")
    assert caught.value.reason == "challenge"
    with pytest.raises(SourcePaused):
        client.change_password_handler("someone")


def test_settings_file_round_trip(tmp_path, client):
    path = tmp_path / "session.json"
    client.dump_settings(path)
    assert settings_from_file(path)["cookies"]["ds_user_id"] == "5000000001"
    client.load_settings(path)
    assert client.is_routed() and client.request_timeout == 0
    (tmp_path / "bad.json").write_text(json.dumps({"uuids": {}}))
    with pytest.raises(ValueError):
        settings_from_file(tmp_path / "bad.json")


def test_session_secrets_never_reach_the_logs(fake, client, caplog):
    caplog.set_level(logging.DEBUG)
    post = fake.post(30, reply_rate=0.3)
    fake.faults.add("throttle", at={2})
    source = InstagramCommentSource(client, resolve_post(client, post.url))
    assert harvest(source, None, lambda page: None, sleep=lambda s: None).complete
    secret = fixture_settings()["cookies"]["sessionid"]
    assert caplog.records
    assert not [r for r in caplog.records if secret in r.getMessage()]
    assert not [r for r in caplog.records if r.name == "giveaway.instagrapi"
                and r.levelno < logging.INFO]


@pytest.mark.parametrize("raised, expected", [
    (ig.TwoFactorRequired("2fa"), (SourcePaused, "two_factor")),
    (ig.ChallengeRequired(message="challenge_required"), (SourcePaused, "challenge")),
    (ig.BadPassword("no"), (LoginFailed, "bad_credentials")),
    (ig.PleaseWaitFewMinutes("wait"), (SourceThrottled, "please_wait")),
    (ig.UnknownError("odd"), (LoginFailed, "error")),
])
def test_login_maps_refusals(monkeypatch, raised, expected):
    def fail(self, *args, **kwargs):
        raise raised
    monkeypatch.setattr(RoutedClient, "login", fail)
    with pytest.raises(expected[0]) as caught:
        login("shop", "secret", api_base="http://127.0.0.1:9/")
    assert caught.value.reason == expected[1]


def test_login_returns_settings_and_goes_only_to_the_api_base(fake, monkeypatch):
    with pytest.raises(LoginFailed):
        login("shop", "secret", api_base=fake.base_url, timeout=2)
    assert fake.stats.paths  # the attempt reached the fake, not instagram.com
    monkeypatch.setattr(RoutedClient, "login", lambda self, *a, **k: True)
    settings = login("shop", "secret", api_base=fake.base_url)
    assert {"cookies", "uuids", "device_settings"} <= set(settings)


class _Response:
    status_code = 429
    headers = {"Retry-After": "120"}


@pytest.mark.parametrize("exc, kind, reason", [
    (ig.ClientThrottledError(response=_Response()), SourceThrottled, "rate_limited"),
    (ig.RateLimitError(), SourceThrottled, "rate_limited"),
    (ig.FeedbackRequired(), SourceStopped, "feedback_required"),
    (ig.LoginRequired(), SourcePaused, "login_required"),
    (ig.MediaNotFound(), SourceStopped, "media_not_found"),
    (ig.ClientNotFoundError(), SourceStopped, "media_not_found"),
    (ig.ClientJSONDecodeError(), BadPage, "invalid_json"),
    (ig.ClientIncompleteReadError(), BadPage, "truncated"),
    (ig.ClientConnectionError(), SourceThrottled, "network"),
    (requests.ReadTimeout(), SourceThrottled, "network"),
])
def test_translate_table(exc, kind, reason):
    mapped = translate(exc)
    assert isinstance(mapped, kind) and mapped.reason == reason
    assert translate(KeyError("a bug")) is None
    assert translate(ig.ClientThrottledError(response=_Response())).retry_after == 120
