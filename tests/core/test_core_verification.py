"""verify_certificate: honest certificates pass, every kind of tampering fails."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core_testkit import (CASES, DELETE, DRAND, case_named, certificate, flip_hex, honest,
                          tampered)
from giveaway.core import (DeclaredValuesBeacon, InvalidDocument, NoBeacon, Status, all_passed,
                           commitment, prove_inclusion, select_positions, verify_certificate)

FEW = settings(max_examples=30, deadline=None, derandomize=True, database=None)
PAIRING = settings(max_examples=4, deadline=None, derandomize=True, database=None)


def failed_steps(doc, leaves, key=None):
    return {r.step for r in verify_certificate(doc, leaves, key) if r.status is Status.FAIL}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_honest_certificates_verify(case):
    doc, leaves = honest(case)
    results = verify_certificate(doc, leaves)
    assert all_passed(results), [r for r in results if not r.ok]
    steps = [r.step for r in results]
    for step in ("document", "commitment", "leaf-order", "leaf-count", "merkle-root", "beacon",
                 "timeline", "derivation", "selection", "result-leaves", "signature"):
        assert step in steps
    assert "unsigned" in {r.code for r in results}


def test_drand_certificate_checks_bls_and_timing():
    doc, leaves = honest(case_named("drand"))
    results = verify_certificate(doc, leaves)
    assert any(r.step == "beacon-signature" and r.status is Status.OK for r in results)
    late = tampered(doc, "entries.frozen_at", "2023-08-23T15:15:33Z")
    assert failed_steps(late, leaves) == {"timeline"}
    early_commit = tampered(doc, "committed_at", "2023-08-24T00:00:00Z")
    assert failed_steps(early_commit, leaves) == {"timeline"}


def test_commit_only_is_flagged_weaker():
    doc, leaves = honest(case_named("commit-only"))
    notes = [r for r in verify_certificate(doc, leaves) if r.status is Status.NOTE]
    assert any(r.code == "commit_only" and "weaker" in r.message for r in notes)


def test_rfc3797_method_verifies():
    doc, leaves = honest(case_named("declared"), method="rfc3797")
    results = verify_certificate(doc, leaves)
    assert all_passed(results)
    won = [p["index"] for p in doc["result"]["winners"]]
    alt = [p["index"] for p in doc["result"]["alternates"]]
    assert len(won) == 4 and len(alt) == 6 and len(set(won + alt)) == 10
    bad = tampered(doc, "beacon.key_string", "9319./2.5.8.10.12./9.18.26.34.41.46./")
    assert failed_steps(bad, leaves) == {"selection"}
    unsorted = tampered(doc, "beacon.key_string", "9319./5.2.8.10.12./9.18.26.34.41.45./")
    assert "beacon" in failed_steps(unsorted, leaves)


def test_rfc3797_method_positions_are_rfc_positions_minus_one():
    doc, leaves = honest(case_named("declared"), method="rfc3797")
    picks = select_positions(doc["beacon"]["key_string"], len(leaves), 10)
    listed = [p["index"] for p in doc["result"]["winners"] + doc["result"]["alternates"]]
    assert listed == [p - 1 for p in picks]


def test_sources_must_match_the_key_string():
    doc, leaves = honest(case_named("declared"))
    good = tampered(doc, "beacon.sources", [[9319], [2, 5, 8, 10, 12], [9, 18, 26, 34, 41, 45]])
    assert all_passed(verify_certificate(good, leaves))
    bad = tampered(doc, "beacon.sources", [[9319], [2, 5, 8, 10, 12], [9, 18, 26, 34, 41, 44]])
    assert failed_steps(bad, leaves) == {"beacon"}


def test_drand_beacon_tampering():
    doc, leaves = honest(case_named("drand"))
    assert failed_steps(tampered(doc, "beacon.signature", flip_hex(DRAND["signature"])),
                        leaves) >= {"beacon", "beacon-signature"}
    assert failed_steps(tampered(doc, "beacon.round", 124), leaves) >= {"beacon-signature",
                                                                         "selection"}
    assert failed_steps(tampered(doc, "beacon.randomness", "00" * 32), leaves) == {"beacon"}


def test_leaf_list_problems_are_failed_checks():
    doc, leaves = honest(case_named("commit-only"))
    assert failed_steps(doc, leaves[::-1]) >= {"leaf-order", "merkle-root"}
    assert failed_steps(doc, leaves[:1] + leaves[:-1]) >= {"leaf-order"}
    assert failed_steps(doc, leaves[:-1]) >= {"leaf-count", "merkle-root"}
    assert failed_steps(doc, []) >= {"leaf-count", "merkle-root"}


def test_result_tampering():
    doc, leaves = honest(case_named("commit-only"))
    w = doc["result"]["winners"]
    swapped = tampered(doc, "result.winners", [w[1], w[0], w[2]])
    assert failed_steps(swapped, leaves) == {"selection"}
    wrong_leaf = tampered(doc, "result.winners.0.leaf", leaves[0].hex())
    assert failed_steps(wrong_leaf, leaves) == {"result-leaves"}
    dropped = tampered(doc, "result.alternates", doc["result"]["alternates"][:2])
    assert failed_steps(dropped, leaves) == {"selection"}


@pytest.mark.parametrize("path,value,field", [
    ("seed", DELETE, "seed"), ("seed", "zz", "seed"), ("seed", "00", "seed"),
    ("salt", 7, "salt"), ("commitment", DELETE, "commitment"),
    ("entries.count", 0, "entries.count"), ("entries.count", 2**32, "entries.count"),
    ("entries.count", "12", "entries.count"), ("entries", DELETE, "entries"),
    ("entries.merkle_root", "00", "entries.merkle_root"), ("winners", 0, "winners"),
    ("winners", True, "winners"), ("alternates", -1, "alternates"),
    ("beacon.kind", "dice", "beacon.kind"), ("protocol", "gdraw-v3", "protocol"),
    ("method", "best-of-3", "method"), ("draw_id", "", "draw_id"),
    ("result.winners.0.index", -1, "result.winners[0].index"),
    ("result.winners.0.leaf", "xyz", "result.winners[0].leaf"),
    ("committed_at", "yesterday", "committed_at"),
    ("entries.frozen_at", "2023-08-23T15:00:00", "entries.frozen_at"),
    ("draw_id", "\ud800", "draw_id"), ("draw_id", "x" * 65536, "draw_id"),
    ("beacon", {"kind": "rfc3797", "key_string": "1./\udfff"}, "beacon.key_string"),
])
def test_unusable_documents_name_the_field(path, value, field):
    doc, leaves = honest(case_named("commit-only"))
    with pytest.raises(InvalidDocument) as info:
        verify_certificate(tampered(doc, path, value), leaves)
    assert info.value.field == field


def test_unknown_drand_chain_is_unusable():
    doc, leaves = honest(case_named("drand"))
    with pytest.raises(InvalidDocument) as info:
        verify_certificate(tampered(doc, "beacon.chain_hash", "ab" * 32), leaves)
    assert info.value.field == "beacon.chain_hash" and "unknown drand chain" in info.value.reason


def test_rfc3797_method_needs_a_declared_beacon():
    doc, leaves = honest(case_named("commit-only"))
    with pytest.raises(InvalidDocument) as info:
        verify_certificate(tampered(doc, "method", "rfc3797"), leaves)
    assert info.value.field == "beacon.kind"


def test_inclusion_proof():
    doc, leaves = honest(case_named("commit-only"))
    proof = prove_inclusion(doc, leaves, "ig:1005")
    assert proof.valid and proof.index is not None and leaves[proof.index] == proof.leaf
    assert len(proof.path) == 4
    assert prove_inclusion(doc, leaves, "ig:9999").index is None
    forged = tampered(doc, "entries.merkle_root", "00" * 32)
    assert not prove_inclusion(forged, leaves, "ig:1005").valid
    unsalted, _ = honest(case_named("declared"), method="rfc3797")
    del unsalted["salt"]
    with pytest.raises(InvalidDocument, match="salt"):
        prove_inclusion(unsalted, leaves, "ig:3")


# --- property tests: any tampering makes verification fail ----------------------------

TAMPERINGS = ["seed", "seed+commitment", "draw_id", "leaf", "count-up", "count-down",
              "winners-up", "winners-down", "alternates-up", "alternates-down", "beacon",
              "root", "result"]


@st.composite
def draws(draw_fn):
    seed = draw_fn(st.binary(min_size=32, max_size=32))
    salt = draw_fn(st.binary(min_size=16, max_size=16))
    n = draw_fn(st.integers(40, 160))
    k = draw_fn(st.integers(2, 5))
    a = draw_fn(st.integers(1, 5))
    kind = draw_fn(st.sampled_from(["none", "rfc3797"]))
    if kind == "none":
        beacon = NoBeacon()
    else:
        sources = draw_fn(st.lists(st.lists(st.integers(0, 99), min_size=1, max_size=6),
                                   min_size=1, max_size=3))
        beacon = DeclaredValuesBeacon.from_sources(sources)
    keys = [f"ig:{draw_fn(st.integers(1, 10**12))}/{i}" for i in range(n)]
    return certificate(seed, salt, "prop-draw", keys, k, a, beacon)


def tamper(doc, leaves, how, index):
    doc, leaves = copy.deepcopy(doc), list(leaves)
    if how == "seed":
        doc["seed"] = flip_hex(doc["seed"], index % 256)
    elif how == "seed+commitment":
        doc["seed"] = flip_hex(doc["seed"], index % 256)
        doc["commitment"] = commitment(doc["draw_id"], bytes.fromhex(doc["seed"])).hex()
    elif how == "draw_id":
        doc["draw_id"] += "x"
    elif how == "leaf":
        i = index % len(leaves)
        leaves[i] = bytes.fromhex(flip_hex(leaves[i].hex(), index % 256))
    elif how.startswith(("count", "winners", "alternates")):
        name, direction = how.split("-")
        holder = doc["entries"] if name == "count" else doc
        holder[name] += 1 if direction == "up" else -1
    elif how == "beacon":
        if doc["beacon"]["kind"] == "none":
            doc["beacon"] = DeclaredValuesBeacon.from_sources([[index % 100]]).to_document()
        else:
            sources = [[v + 1 for v in s] for s in doc["beacon"]["sources"]]
            doc["beacon"] = DeclaredValuesBeacon.from_sources(sources).to_document()
    elif how == "root":
        doc["entries"]["merkle_root"] = flip_hex(doc["entries"]["merkle_root"], index % 256)
    elif how == "result":
        picks = doc["result"]["winners"] + doc["result"]["alternates"]
        i, j = index % len(picks), (index + 1) % len(picks)
        picks[i], picks[j] = picks[j], picks[i]
        cut = len(doc["result"]["winners"])
        doc["result"] = {"winners": picks[:cut], "alternates": picks[cut:]}
    return doc, leaves


EXPECTED_STEP = {"seed": "commitment", "seed+commitment": "selection", "draw_id": "commitment",
                 "leaf": "merkle-root", "count-up": "leaf-count", "count-down": "leaf-count",
                 "winners-up": "selection", "winners-down": "selection",
                 "alternates-up": "selection", "alternates-down": "selection",
                 "beacon": "selection", "root": "merkle-root", "result": "selection"}


@given(draws(), st.sampled_from(TAMPERINGS), st.integers(0, 10**6))
@FEW
def test_any_tampering_fails(honest_draw, how, index):
    doc, leaves = honest_draw
    assert all_passed(verify_certificate(doc, leaves))
    bad_doc, bad_leaves = tamper(doc, leaves, how, index)
    assert EXPECTED_STEP[how] in failed_steps(bad_doc, bad_leaves)


@given(st.integers(0, 383), st.sampled_from(["signature", "round"]))
@PAIRING
def test_any_drand_tampering_fails(bit, what):
    doc, leaves = honest(case_named("drand"))
    if what == "signature":
        bad = tampered(doc, "beacon.signature", flip_hex(doc["beacon"]["signature"], bit))
        assert "beacon-signature" in failed_steps(bad, leaves)
    else:
        bad = tampered(doc, "beacon.round", 123 + 1 + bit)
        assert {"beacon-signature", "selection"} <= failed_steps(bad, leaves)
