"""Seed, salt, leaves, freeze, transcript bounds, the stream and selection."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giveaway.core import (DeclaredValuesBeacon, InvalidInput, NoBeacon, Stream, commitment,
                           draw, draw_rfc3797, entry_leaf, freeze_entries, freeze_leaves,
                           new_salt, new_seed, transcript)
from giveaway.core.encoding import canonical_json, lp, u16, u32, u64
from giveaway.core.selection import partial_fisher_yates, select

FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None)
ROOT = bytes(32)
SALT = bytes(range(16))


def test_seed_and_salt_sizes_and_freshness():
    assert len(new_seed()) == 32 and len(new_salt()) == 16
    assert new_seed() != new_seed() and new_salt() != new_salt()


def test_encodings():
    assert u16(258) == b"\x01\x02"
    assert u32(1) == b"\0\0\0\1"
    assert u64(2**64 - 1) == b"\xff" * 8
    assert lp(b"ab") == b"\x00\x02ab"
    for bad in (-1, 2**16, True):
        with pytest.raises(ValueError):
            u16(bad)


def test_nfc_equivalent_keys_share_a_leaf():
    assert entry_leaf(SALT, "file:E\u0301mile") == entry_leaf(SALT, "file:\u00c9mile")
    assert len(freeze_entries(SALT, ["file:E\u0301mile", "file:\u00c9mile", "x"])) == 2


def test_leaf_depends_on_the_salt():
    assert entry_leaf(SALT, "ig:1") != entry_leaf(bytes(16), "ig:1")


@pytest.mark.parametrize("keys", [[], [""], [None]])
def test_bad_entries(keys):
    with pytest.raises(InvalidInput):
        freeze_entries(SALT, keys)


def test_bad_salt_and_seed():
    with pytest.raises(InvalidInput, match="salt"):
        entry_leaf(b"short", "ig:1")
    with pytest.raises(InvalidInput, match="seed"):
        commitment("d", b"short")


@given(st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=30))
@FEW
def test_freeze_sorts_and_dedupes(leaves):
    frozen = freeze_leaves(leaves + leaves[:3])
    assert frozen == sorted(set(leaves))
    assert all(a < b for a, b in zip(frozen, frozen[1:]))


def test_freeze_rejects_bad_leaves():
    with pytest.raises(InvalidInput, match="entries.count"):
        freeze_leaves([])
    with pytest.raises(InvalidInput, match="entries.leaves"):
        freeze_leaves([b"x" * 31])


@pytest.mark.parametrize("count,winners,alternates,field", [
    (0, 1, 0, "entries.count"), (2**32, 1, 0, "entries.count"), (5, 0, 1, "winners"),
    (5, 2**16, 0, "winners"), (5, 1, -1, "alternates"), (5, 1, 2**16, "alternates"),
])
def test_transcript_bounds(count, winners, alternates, field):
    with pytest.raises(InvalidInput) as info:
        transcript("d", count, ROOT, winners, alternates, NoBeacon())
    assert info.value.field == field


def test_transcript_accepts_the_extremes():
    t = transcript("d", 2**32 - 1, ROOT, 2**16 - 1, 2**16 - 1, NoBeacon())
    assert t[-10:] == u64(0) + b"\0\0"


def test_draw_rejects_unsorted_or_duplicate_leaves():
    a, b = b"\x01" * 32, b"\x02" * 32
    for leaves, what in (([b, a], "out of order"), ([a, a], "duplicate")):
        with pytest.raises(InvalidInput, match=what):
            draw(bytes(32), "d", winners=1, alternates=0, beacon=NoBeacon(), leaves=leaves)


def test_draw_needs_leaves_or_root_and_count():
    with pytest.raises(InvalidInput, match="entries"):
        draw(bytes(32), "d", winners=1, alternates=0, beacon=NoBeacon(), root=ROOT)


class Scripted(Stream):
    """A stream that returns given words, to test rejection sampling exactly."""

    def __init__(self, words):
        super().__init__(b"")
        self.words = list(words)

    def word(self, j):
        return self.words[j]


def test_below_rejects_words_at_or_above_the_limit():
    n = 3  # 2^64 mod 3 = 1, so limit = 2^64 - 1 and only 2^64 - 1 is rejected
    s = Scripted([2**64 - 1, 2**64 - 2, 5])
    assert s.below(n) == (2**64 - 2) % 3
    assert s.words_used == 2
    assert s.below(n) == 2


def test_below_one_consumes_a_word_and_returns_zero():
    s = Scripted([123])
    assert s.below(1) == 0 and s.words_used == 1


def test_below_with_heavy_rejection_stays_in_range():
    s = Stream(b"k" * 32)
    n = 2**63 + 1  # about half of all words are rejected
    values = [s.below(n) for _ in range(50)]
    assert all(0 <= v < n for v in values)
    assert s.words_used > 50


@pytest.mark.parametrize("bad", [0, -1, 2**64 + 1])
def test_below_bounds(bad):
    with pytest.raises(InvalidInput):
        Stream(b"k").below(bad)


@pytest.mark.parametrize("n", [2, 3, 5, 7, 10])
def test_below_is_uniform(n):
    # Chi-square with a fixed key; the bound (p ≈ 1e-6) is generous on purpose.
    stream = Stream(bytes(range(32)))
    samples = 2000 * n
    counts = [0] * n
    for _ in range(samples):
        counts[stream.below(n)] += 1
    expected = samples / n
    chi2 = sum((c - expected) ** 2 / expected for c in counts)
    critical = {2: 23.9, 3: 27.6, 5: 33.4, 7: 38.5, 10: 46.9}[n]
    assert chi2 < critical, counts


def _reference_selection(key, count, places):
    stream = Stream(key)
    a = list(range(count))
    for i in range(places):
        j = i + stream.below(count - i)
        a[i], a[j] = a[j], a[i]
    return a[:places]


@given(st.binary(min_size=32, max_size=32), st.integers(1, 60), st.integers(1, 8),
       st.integers(0, 8))
@FEW
def test_sparse_fisher_yates_equals_the_full_array_version(key, count, k, a):
    places = min(k + a, count)
    assert partial_fisher_yates(Stream(key), count, places) == _reference_selection(
        key, count, places)
    won, alt = select(key, count, k, a)
    assert won + alt == _reference_selection(key, count, places)
    assert len(won) == min(k, count) and len(set(won + alt)) == places


def test_selection_of_a_huge_list_is_cheap():
    won, alt = select(bytes(32), 2**32 - 1, 3, 2)
    assert len(won) == 3 and len(alt) == 2 and all(0 <= i < 2**32 - 1 for i in won + alt)


def test_canonical_json():
    assert canonical_json({"b": 1, "a": ["é", {"d": None, "c": True}]}) == \
        '{"a":["é",{"c":true,"d":null}],"b":1}'.encode()
    with pytest.raises(InvalidInput, match="document.x"):
        canonical_json({"x": 1.5})


def test_rfc3797_method_has_a_u16_counter():
    with pytest.raises(InvalidInput) as info:
        draw_rfc3797(DeclaredValuesBeacon("1./"), winners=60000, alternates=6000, root=ROOT,
                     count=100000)
    assert info.value.field == "alternates"
