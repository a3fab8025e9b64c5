"""RFC 3797 §4 value forms, the key-string grammar and real IETF NomCom selections."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core_testkit import VECTORS
from giveaway.core import DeclaredValuesBeacon, InvalidDocument, InvalidInput, beacon_from_document
from giveaway.core.rfc3797 import (canonical_value, key_string, parse_key_string,
                                   select_positions)
from giveaway.draws.forms import parse_declared_values

FEW = settings(max_examples=200, deadline=None, derandomize=True, database=None)
NOMCOM = json.loads((Path(__file__).parent / "data" / "nomcom_selections.json")
                    .read_text("utf-8"))["cases"]


# --- the RFC's own examples -----------------------------------------------

def test_rfc3797_section_6_example():
    ex = VECTORS["rfc3797_example"]
    assert key_string(ex["sources"]) == "9319./2.5.8.10.12./9.18.26.34.41.45./" == ex["key_string"]
    assert select_positions(ex["key_string"], 25, 16) == ex["selected_1_based"]
    as_published = [["9319"], ["2", "5", "12", "8", "10"], ["9", "18", "26", "34", "41", "45"]]
    assert key_string(as_published) == ex["key_string"]


def test_rfc2777_section_5_decimal_fraction():
    # RFC 2777 §5 (same §4 number rules as RFC 3797, one-byte counter): source 4
    # is the stock price 13 11/16, written "13.6875" with no terminating period.
    key = key_string([["9", "18", "26", "34", "41", "45"], [2, 5, 12, 8, 10], [9319],
                      ["13.6875"]])
    assert key == "9.18.26.34.41.45./2.5.8.10.12./9319./13.6875/"
    remaining, picked = list(range(1, 26)), []
    for i in range(10):
        digest = hashlib.md5(bytes([i]) + key.encode() + bytes([i])).digest()
        picked.append(remaining.pop(int.from_bytes(digest, "big") % len(remaining)))
    assert picked == [12, 6, 8, 3, 2, 24, 11, 19, 15, 22]


# --- real NomCom selections -------------------------------------------------

@pytest.mark.parametrize("case", NOMCOM, ids=[c["name"] for c in NOMCOM])
def test_published_nomcom_selection(case):
    assert case["source"].startswith("https://") and case["provenance"]
    key = key_string(case["sources"])
    if case["key_string"] is not None:
        assert key == case["key_string"]
    assert select_positions(key, case["pool"], len(case["selected"])) == case["selected"]
    beacon = DeclaredValuesBeacon.from_sources(case["sources"], case["name"])
    assert beacon.key_string == key
    assert beacon.to_document()["sources"] == case["sources"]  # kept as published
    assert beacon_from_document(beacon.to_document()) == beacon


def test_at_least_three_cases_have_a_published_key_string_and_a_leading_zero():
    assert sum(c["key_string"] is not None for c in NOMCOM) >= 3
    assert any(v.startswith("0") for c in NOMCOM for source in c["sources"] for v in source)


# --- value forms ------------------------------------------------------------

@pytest.mark.parametrize("value,written", [
    (0, "0."), ("0", "0."), ("000", "0."), (7, "7."), ("08285182", "8285182."),
    ("13.6875", "13.6875"), ("13.68750", "13.6875"), ("0.50", "0.5"), ("00.5", "0.5"),
    ("12.0", "12."), ("12.000", "12."), (10 ** 30, "1" + "0" * 30 + "."),
    ("W 4-1", "W41."), ("w4-1", "W41."), ("Café au lait!", "CAFEAULAIT."),
    ("e\u0301t\u00e9", "ETE."), ("a007", "A007."), ("1e5", "1E5."),
])
def test_value_forms(value, written):
    assert canonical_value(value) == written


def test_leading_zeros_and_sorting():
    assert key_string([["08", "28", "51", "82"], ["2", "5", "12"]]) == "8.28.51.82./2.5.12./"
    assert key_string([["10", "9", "09", "100"]]) == "9.9.10.100./"
    assert key_string([["2.5", 2, "10", "2.25", "0.75"]]) == "0.752.2.252.510./"


def test_mixed_ints_and_strings_give_the_same_key_string():
    as_ints = [[7, 8, 11, 17, 19, 25, 46], [8285182], [60115701], [2, 3, 18, 26, 32, 33, 42]]
    as_text = [["07", "08", "11", "17", "19", "25", "46"], ["08285182"], ["060115701"],
               ["2", 3, "18", 26, "32", 33, "042"]]
    assert key_string(as_ints) == key_string(as_text) == \
        "7.8.11.17.19.25.46./8285182./60115701./2.3.18.26.32.33.42./"


def test_text_source():
    assert key_string([[9319], ["W 4-1"]]) == "9319./W41./"
    assert parse_key_string("9319./W41./") == [[9319], ["W41"]]


@pytest.mark.parametrize("sources,field,words", [
    ([[1, "-3"]], "beacon.sources[0]", "'-3'"),
    ([[1], ["4-1"]], "beacon.sources[1]", "'4-1'"),
    ([[1], [2, -3]], "beacon.sources[1]", "-3"),
    ([[1.5]], "beacon.sources[0]", "1.5"),
    ([[True]], "beacon.sources[0]", "True"),
    ([[None]], "beacon.sources[0]", "None"),
    ([[" 12"]], "beacon.sources[0]", "' 12'"),
    ([["12."]], "beacon.sources[0]", "'12.'"),
    ([[".5"]], "beacon.sources[0]", "'.5'"),
    ([["1,5"]], "beacon.sources[0]", "'1,5'"),
    ([["1.2.3"]], "beacon.sources[0]", "'1.2.3'"),
    ([[""]], "beacon.sources[0]", "''"),
    ([["Straße"]], "beacon.sources[0]", "'Straße'"),
    ([["\u0661\u0662"]], "beacon.sources[0]", "'\u0661\u0662'"),
    ([["\uff11\uff12"]], "beacon.sources[0]", "'\uff11\uff12'"),
    ([["AB\x00"]], "beacon.sources[0]", "'AB\\x00'"),
    ([[1], ["W 4-1", 3]], "beacon.sources[1]", "only value of its source"),
    ([[1], []], "beacon.sources[1]", "at least one value"),
    ([[1], "08"], "beacon.sources[1]", "list of values"),
    ([[1], 8], "beacon.sources[1]", "list of values"),
    ([], "beacon.sources", "at least one source"),
])
def test_refusals_name_the_source_and_the_value(sources, field, words):
    with pytest.raises(InvalidInput) as info:
        key_string(sources)
    assert info.value.field == field
    assert words in info.value.reason


def test_documents_keep_the_published_values():
    beacon = DeclaredValuesBeacon.from_sources([["08285182"], [2, "05", 12], ["13.6875"]], "x")
    assert beacon.key_string == "8285182./2.5.12./13.6875/"
    doc = beacon.to_document()
    assert doc["sources"] == [["08285182"], [2, "05", 12], ["13.6875"]]
    assert beacon_from_document(json.loads(json.dumps(doc))) == beacon


def test_v1_integer_documents_are_unchanged():
    beacon = DeclaredValuesBeacon.from_sources([[9319], [2, 5, 12, 8, 10]])
    assert beacon.sources == ((9319,), (2, 5, 12, 8, 10))
    assert beacon.to_document() == {"kind": "rfc3797", "key_string": "9319./2.5.8.10.12./",
                                    "sources": [[9319], [2, 5, 12, 8, 10]]}


@pytest.mark.parametrize("sources,field", [
    ([[13.6875]], "beacon.sources[0]"), ([["1,5"]], "beacon.sources[0]"),
    ([[1], ["W", "41"]], "beacon.sources[1]"), ([["1"], "2"], "beacon.sources"),
])
def test_documents_refuse_other_values(sources, field):
    with pytest.raises(InvalidDocument) as info:
        beacon_from_document({"kind": "rfc3797", "sources": sources})
    assert info.value.field == field


# --- the key-string grammar -------------------------------------------------

@pytest.mark.parametrize("text,sources", [
    ("9319./2.5.8.10.12./", [[9319], [2, 5, 8, 10, 12]]),
    ("0./", [[0]]),
    ("13.6875/", [["13.6875"]]),
    ("1.052./", [["1.05", 2]]),
    ("W41./7./", [["W41"], [7]]),
    # Written from [0, "0.5", 12, "13.6875"]; RFC 3797 decimals make readings
    # ambiguous, and the one with the smallest values first comes back.
    ("0.0.512.13.6875/", [[0, "0.51", "2.1", "3.6875"]]),
])
def test_parse_key_string(text, sources):
    assert parse_key_string(text) == sources
    assert key_string(sources) == text


@pytest.mark.parametrize("text,reason", [
    ("", "key string"), ("1./2.", "key string"), ("01./", "key string"), ("a./", "key string"),
    ("1.//", "key string"), ("2.1./", "ascending"), ("9319./5.2.8./", "ascending"),
    ("1.50/", "key string"), ("W41/", "key string"), ("W.41./", "key string"),
    ("1./W41./x", "key string"), ("8285182./ 2./", "key string"), (None, "key string"),
])
def test_non_canonical_key_strings(text, reason):
    with pytest.raises(InvalidInput) as info:
        parse_key_string(text)
    assert info.value.field == "beacon.key_string"
    assert reason in info.value.reason


def _decimal_text(draw):
    whole = draw(st.integers(0, 10 ** 6))
    zeros = draw(st.integers(0, 2))
    fraction = draw(st.text("0123456789", min_size=1, max_size=4))
    return "0" * zeros + f"{whole}.{fraction}"


NUMBER = st.one_of(st.integers(0, 10 ** 12),
                   st.integers(0, 10 ** 9).map(lambda n: f"{n:012d}"),
                   st.composite(_decimal_text)())
TEXT = st.text(st.sampled_from("abcXYZ019 -.,'éÑ"), min_size=1, max_size=12).filter(
    lambda s: any(c.isalpha() for c in s))
SOURCE = st.one_of(st.lists(NUMBER, min_size=1, max_size=7), TEXT.map(lambda t: [t]))


@FEW
@given(st.lists(SOURCE, min_size=1, max_size=5))
def test_key_string_parse_and_format_round_trip(sources):
    key = key_string(sources)
    parsed = parse_key_string(key)
    assert key_string(parsed) == key
    assert parse_key_string(key_string(parsed)) == parsed
    assert len(parsed) == len(sources)


@FEW
@given(st.lists(st.lists(st.integers(0, 10 ** 15), min_size=1, max_size=8), min_size=1,
                max_size=5))
def test_integer_key_strings_parse_back_to_the_sorted_values(sources):
    assert parse_key_string(key_string(sources)) == [sorted(s) for s in sources]


# --- what staff type --------------------------------------------------------

def test_parse_declared_values_keeps_values_as_typed():
    assert parse_declared_values("08 28 51 82 / 2 5 12") == [["08", "28", "51", "82"],
                                                             ["2", "5", "12"]]
    assert parse_declared_values(" 9319/2,5, 12 8 10 / ") == [["9319"], ["2", "5", "12", "8",
                                                                          "10"]]
    assert parse_declared_values("13.6875 / W4-1") == [["13.6875"], ["W4-1"]]
    beacon = DeclaredValuesBeacon.from_sources(parse_declared_values("08285182 / 7 46 8"))
    assert beacon.key_string == "8285182./7.8.46./"


@pytest.mark.parametrize("text", ["", "  / ", "1 / 2-3", "1 / -4", "½", "1;2"])
def test_parse_declared_values_refuses(text):
    with pytest.raises(ValueError):
        parse_declared_values(text)
