"""Suspicion flags: shown to staff, never exclusions."""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from giveaway.core.eligibility import (
    FLAG_CODES,
    EligibilityRules,
    Flag,
    FlagScanner,
    compute_flags,
    group_members,
)

OPENS = datetime(2026, 5, 12, 8, 0, tzinfo=timezone.utc)
LONG = "Quel magnifique domaine, je tente ma chance avec plaisir"


@dataclass(frozen=True)
class C:
    comment_id: str
    user_id: str
    text: str
    created_at: datetime = OPENS
    username: str = ""
    parent_id: str | None = None
    network: str = "ig"
    profile_empty: bool = False


def codes(flags, cid):
    return [flag.code for flag in flags.get(cid, ())]


def test_same_text_needs_three_accounts_and_ignores_mentions_case_punctuation():
    comments = [
        C("1", "1", LONG + " @bob @carl"),
        C("2", "2", LONG.upper() + "!!! 😀 @dave"),
        C("3", "1", "  " + LONG.replace("é", "e")),  # same account as 1
    ]
    assert compute_flags(comments) == {}
    comments.append(C("4", "3", "@eve " + LONG.replace(" ", "  ")))
    flags = compute_flags(comments)
    assert {cid: codes(flags, cid) for cid in "1234"} == {cid: ["same_text"] for cid in "1234"}
    group = flags["1"][0].group
    assert group.startswith("same_text:")
    assert group_members(flags) == {group: ("1", "2", "3", "4")}


def test_short_texts_are_not_evidence():
    comments = [C(str(i), str(i), "Je participe ! @a @b") for i in range(10)]
    assert "same_text" not in {f.code for found in compute_flags(comments).values() for f in found}


def test_same_mentions():
    comments = [
        C("1", "1", "@bob @carl", username="x"),
        C("2", "2", "go @Carl @bob!", username="y"),
        C("3", "3", "@bob @carl @gers_tourisme", username="z"),  # organiser does not count
        C("4", "4", "@bob @dave", username="w"),
        C("5", "5", "@bob", username="v"),
    ]
    rules = EligibilityRules(organiser_handles=["gers_tourisme"])
    flags = compute_flags(comments, rules)
    assert sorted(flags) == ["1", "2", "3"]
    assert len({flags[cid][0].group for cid in "123"}) == 1
    # Without the rules the organiser is an ordinary mention: only 2 accounts share a set.
    assert compute_flags(comments) == {}


def test_self_mention_is_left_out_of_the_set():
    comments = [
        C("1", "1", "@bob @carl @x", username="x"),
        C("2", "2", "@bob @carl @y", username="y"),
        C("3", "3", "@bob @carl", username="z"),
    ]
    assert sorted(compute_flags(comments)) == ["1", "2", "3"]


def test_burst():
    comments = [
        C(str(i), "7", f"comment {i}", created_at=OPENS + timedelta(seconds=15 * i))
        for i in range(5)
    ]
    # five comments within exactly 60 s: flagged (bound included)
    flags = compute_flags(comments)
    assert sorted(flags) == ["0", "1", "2", "3", "4"]
    assert flags["0"] == (Flag("burst", "burst:ig:7"),)
    spread = [C(str(i), "7", "x", created_at=OPENS + timedelta(seconds=16 * i)) for i in range(5)]
    assert compute_flags(spread) == {}
    assert compute_flags(comments, burst_count=6) == {}


def test_burst_flags_every_comment_of_the_window():
    times = [0, 100, 101, 102, 103, 104, 300]
    comments = [
        C(f"c{i}", "1", "x", created_at=OPENS + timedelta(seconds=t)) for i, t in enumerate(times)
    ]
    flags = compute_flags(comments, burst_count=3, burst_seconds=10)
    assert sorted(flags) == ["c1", "c2", "c3", "c4", "c5"]


def test_empty_profile_and_flag_order():
    comments = [C(str(i), str(i), LONG, profile_empty=(i == 0)) for i in range(3)]
    flags = compute_flags(comments)
    assert codes(flags, "0") == ["same_text", "empty_profile"]
    assert codes(flags, "1") == ["same_text"]
    assert FLAG_CODES == ("same_text", "same_mentions", "burst", "empty_profile")


def test_flags_reject_invalid_records():
    with pytest.raises(ValueError):
        compute_flags([C("1", "1", "x", created_at=datetime(2026, 5, 12))])


def test_flags_reject_duplicate_ids():
    with pytest.raises(ValueError, match="duplicate"):
        compute_flags([C("1", "1", "x"), C("1", "2", "y")])


def test_scanner_streams_in_time_order_and_forgets_only_quiet_accounts(monkeypatch):
    # Sweep the idle burst windows at every comment: a burst still open must survive it.
    monkeypatch.setattr(FlagScanner, "_PRUNE_EVERY", 1)
    scanner = FlagScanner(burst_count=3, burst_seconds=10)
    stream = [("a", 0), ("b", 1), ("a", 4), ("c", 9), ("a", 10), ("b", 30), ("b", 31)]
    for i, (user, second) in enumerate(stream):
        assert scanner.add(C(f"c{i}", user, "x", created_at=OPENS + timedelta(seconds=second))) == i
    burst_a = (Flag("burst", "burst:ig:a"),)
    # a: 0, 4, 10 is a burst (bounds included) although sweeps ran in between;
    # b: 1, 30, 31 is not (b's first comment was rightly forgotten)
    assert scanner.flags() == {0: burst_a, 2: burst_a, 4: burst_a}
    with pytest.raises(ValueError, match="older"):
        scanner.add(C("late", "d", "x", created_at=OPENS))
