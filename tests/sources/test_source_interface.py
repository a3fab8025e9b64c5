"""The source interface in giveaway.core.sources, and the harvest driver with a stub source."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from fake_instagram import Sleeps, Store

from giveaway.core.sources import (
    BadPage,
    CommentPage,
    CommentSource,
    RawComment,
    SourceError,
    SourceStopped,
    SourceThrottled,
    normalise_pk,
)
from giveaway.sources.harvest import backoff, harvest

NOW = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize("value, expected", [
    (123, "123"), ("123", "123"), (" 0123 ", "123"), ("0", "0"),
    ("17912345678901234567", "17912345678901234567"), ("tt_abc-1", "tt_abc-1"),
])
def test_normalise_pk(value, expected):
    assert normalise_pk(value) == expected


@pytest.mark.parametrize("value", [None, True, 1.5, "", "  ", "a b", "a\x00", -1, b"12"])
def test_normalise_pk_refuses(value):
    with pytest.raises(ValueError):
        normalise_pk(value)


def test_raw_comment_is_utc_and_validated():
    paris = timezone(timedelta(hours=2))
    comment = RawComment("1", "2", "u", "t", datetime(2024, 5, 1, 14, tzinfo=paris))
    assert comment.created_at == NOW and comment.created_at.tzinfo is timezone.utc
    assert comment.network == "ig" and comment.parent_id is None
    with pytest.raises(ValueError):
        RawComment("1", "2", "u", "t", datetime(2024, 5, 1))
    with pytest.raises(ValueError):
        RawComment("", "2", "u", "t", NOW)
    with pytest.raises(AttributeError):
        comment.text = "changed"  # frozen


class ScriptedSource(CommentSource):
    """Pages 0..n-1 of one comment each; ``script`` maps a page index to errors to raise."""

    def __init__(self, n: int, script: dict[int, list[Exception]]):
        self.n, self.script = n, {k: list(v) for k, v in script.items()}

    def pages(self, cursor=None):
        start = cursor["next"] if cursor else 0
        for i in range(start, self.n):
            if self.script.get(i):
                raise self.script[i].pop(0)
            yield CommentPage([RawComment(str(i + 1), "9", "u", "t", NOW)], {"next": i + 1},
                              i == self.n - 1)


def test_driver_retries_from_the_last_checkpoint():
    source = ScriptedSource(6, {2: [SourceThrottled("x", retry_after=10)],
                                4: [BadPage("y", raw={"a": 1}), BadPage("z")]})
    store, sleeps = Store(), Sleeps()
    result = harvest(source, None, store.on_page, sleep=sleeps, rng=random.Random(1))
    assert result.complete and result.pages == 6 and store.ids() == {str(i) for i in range(1, 7)}
    assert len(result.errors) == 3 and result.bad_raw is None
    assert 10 <= sleeps[0] <= 15 and 2 <= sleeps[1] <= 3 and 4 <= sleeps[2] <= 6


def test_driver_budget_counts_consecutive_failures_only():
    script = {i: [BadPage("b"), BadPage("b")] for i in range(10)}
    result = harvest(ScriptedSource(10, script), None, Store().on_page, sleep=Sleeps(),
                     max_bad_page_retries=2)
    assert result.complete and len(result.errors) == 20


def test_driver_stops_on_unknown_source_errors_and_keeps_the_cursor():
    source = ScriptedSource(5, {3: [SourceStopped("media_not_found")]})
    store = Store()
    result = harvest(source, {"next": 1}, store.on_page, sleep=Sleeps())
    assert (result.end_reason, result.detail, result.cursor) == ("stopped", "media_not_found",
                                                                 {"next": 3})
    other = harvest(ScriptedSource(2, {0: [SourceError("?")]}), None, store.on_page, Sleeps())
    assert other.end_reason == "stopped"


def test_backoff_is_capped_exponential_with_jitter():
    rng = random.Random(3)
    delays = [backoff(n, 2, 100, rng) for n in range(1, 10)]
    for n, delay in enumerate(delays, start=1):
        assert min(100, 2 * 2 ** (n - 1)) <= delay <= min(100, 3 * 2 ** (n - 1))
    assert max(delays) == 100
