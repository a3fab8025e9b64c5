"""A 5,000-comment post harvested through every fault Instagram produces."""

from __future__ import annotations

import random

import pytest

from giveaway.sources.harvest import harvest
from giveaway.sources.instagram import InstagramCommentSource, resolve_post

from fake_instagram import Store

RETRYABLE = ["throttle", "please_wait", "rate_limit", "server_error", "truncated", "cut", "slow",
             "repeat_cursor", "short_page", "empty_page", "missing_user_pk"]
PAUSING = {"challenge": ("paused", "challenge"), "bare_404": ("paused", "challenge"),
           "login_required": ("paused", "login_required"),
           "feedback_required": ("stopped", "feedback_required"),
           "media_not_found": ("stopped", "media_not_found")}


@pytest.fixture
def big_post(fake):
    return fake.post(5000, seed=11, page_size=50, anchor=1500, reply_rate=0.02)


def _inject(fake, kind: str, seed: int) -> None:
    rng = random.Random(seed)
    fake.faults.add(kind, endpoint="comments", at=rng.sample(range(2, 100), 3))
    fake.faults.add(kind, endpoint="replies", at=rng.sample(range(2, 120), 2))


@pytest.mark.parametrize("kind", RETRYABLE)
def test_retryable_fault_still_yields_the_exact_set(fake, client, big_post, sleeps, kind):
    if kind == "slow":  # the client must give up before the server answers
        fake.faults.slow_seconds = 0.6
        client.private.adapters["http://"].timeout = 0.3
    info = resolve_post(client, big_post.url)
    _inject(fake, kind, seed=len(kind))
    store = Store()

    result = harvest(InstagramCommentSource(client, info, include_replies=True), None,
                     store.on_page, sleep=sleeps)

    assert result.end_reason == "done", result.errors
    assert store.ids() == big_post.all_ids()
    assert store.offered_twice == 0
    assert result.comments == len(big_post.all_ids())
    assert fake.faults.fired()[kind] == 5
    if kind == "repeat_cursor":  # not applicable to a thread's first page
        assert 1 <= len(result.errors) == len(sleeps) <= 5
    elif kind not in ("short_page", "empty_page"):
        assert len(result.errors) == 5 and len(sleeps) == 5


@pytest.mark.parametrize("kind", sorted(PAUSING))
def test_pause_or_stop_then_resume_after_staff_acts(fake, client, big_post, sleeps, kind):
    info = resolve_post(client, big_post.url)
    fake.faults.add(kind, endpoint="comments", at={40})
    store = Store()

    first = harvest(InstagramCommentSource(client, info), None, store.on_page, sleep=sleeps)

    assert (first.end_reason, first.detail) == PAUSING[kind]
    assert first.cursor == store.cursor and not sleeps
    fake.faults.clear()  # staff solved the challenge / reconnected / waited
    second = harvest(InstagramCommentSource(client, info), store.cursor, store.on_page,
                     sleep=sleeps)
    assert second.end_reason == "done"
    assert store.ids() == big_post.all_ids() and store.offered_twice == 0


def test_throttle_is_one_request_and_backs_off_longer_for_please_wait(fake, client, sleeps):
    post = fake.post(100, page_size=20)
    info = resolve_post(client, post.url)
    fake.faults.add("throttle", at={2})
    fake.faults.add("please_wait", at={4})
    store = Store()

    result = harvest(InstagramCommentSource(client, info), None, store.on_page, sleep=sleeps)

    assert result.complete and store.ids() == post.all_ids()
    assert fake.stats.requests["comments"] == 5 + 2  # no invisible retries
    assert 60 <= sleeps[0] <= 90 and 300 <= sleeps[1] <= 450


def test_persistent_bad_page_gives_up_with_the_raw_page(fake, client, sleeps):
    post = fake.post(100, page_size=20)
    info = resolve_post(client, post.url)
    fake.faults.add("missing_user_pk", at=range(3, 20))
    store = Store()

    result = harvest(InstagramCommentSource(client, info), None, store.on_page, sleep=sleeps,
                     max_bad_page_retries=3)

    assert result.end_reason == "bad_page" and result.pages == 2
    assert len(sleeps) == 3 and sleeps == sorted(sleeps)
    assert "pk" not in result.bad_raw["comments"][0]["user"]
    assert result.cursor == store.cursor


def test_persistent_throttle_ends_throttled_with_a_delay(fake, client, sleeps):
    post = fake.post(60, page_size=20)
    info = resolve_post(client, post.url)
    fake.faults.add("throttle", rate=1.0)

    result = harvest(InstagramCommentSource(client, info), None, Store().on_page, sleep=sleeps,
                     max_throttle_retries=4, max_delay=120)

    assert result.end_reason == "throttled" and result.retry_after == 60
    assert len(sleeps) == 4 and max(sleeps) <= 120
