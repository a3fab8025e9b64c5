"""Every value of the gdraw-v1 vectors file, recomputed."""

from __future__ import annotations

import hashlib

import pytest

from core_testkit import CASES, DRAND, VECTORS, beacon_of
from giveaway.core import (BeaconVerificationError, DrandBeacon, QUICKNET, Stream, audit_path,
                           commitment, draw, freeze_entries, key_string, merkle_root,
                           select_positions, transcript, verify_audit_path)
from giveaway.core.protocol import derive_key

IDS = [c["name"] for c in CASES]


def test_the_file_holds_five_cases():
    assert VECTORS["protocol"] == "gdraw-v1"
    assert len(CASES) == 5


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case(case):
    inp, exp = case["input"], case["expected"]
    seed, salt = bytes.fromhex(inp["seed"]), bytes.fromhex(inp["salt"])
    assert commitment(inp["draw_id"], seed).hex() == exp["commitment"]

    leaves = freeze_entries(salt, inp["entry_keys"])
    assert [leaf.hex() for leaf in leaves] == exp["leaves_sorted"]
    assert len(leaves) == exp["count"]
    root = merkle_root(leaves)
    assert root.hex() == exp["merkle_root"]

    beacon = beacon_of(inp["beacon"])
    t = transcript(inp["draw_id"], len(leaves), root, inp["winners"], inp["alternates"], beacon)
    assert t.hex() == exp["transcript"]
    key = derive_key(seed, t)
    assert key.hex() == exp["derived_key"]
    stream = Stream(key)
    assert [stream.next_word() for _ in exp["first_u64"]] == exp["first_u64"]

    result = draw(seed, inp["draw_id"], winners=inp["winners"], alternates=inp["alternates"],
                  beacon=beacon, leaves=leaves)
    assert list(result.winners) == exp["winners"]
    assert list(result.alternates) == exp["alternates"]
    assert (result.transcript, result.key, result.merkle_root) == (t, key, root)

    by_root = draw(seed, inp["draw_id"], winners=inp["winners"], alternates=inp["alternates"],
                   beacon=beacon, root=root, count=len(leaves))
    assert by_root == result


@pytest.mark.parametrize("tree", VECTORS["merkle"], ids=lambda t: f"{len(t['leaves_sorted'])}")
def test_merkle_tree(tree):
    leaves = [bytes.fromhex(x) for x in tree["leaves_sorted"]]
    root = merkle_root(leaves)
    assert root.hex() == tree["root"]
    last = len(leaves) - 1
    path = audit_path(leaves, last)
    assert [p.hex() for p in path] == tree["audit_path_of_last"]
    assert verify_audit_path(leaves[last], last, len(leaves), path, root)


def test_pinned_quicknet_matches_the_vectors():
    assert QUICKNET.chain_hash.hex() == DRAND["chain_hash"]
    assert QUICKNET.public_key.hex() == DRAND["public_key"]
    assert (QUICKNET.genesis_time, QUICKNET.period) == (DRAND["genesis_time"], DRAND["period"])
    assert QUICKNET.scheme == DRAND["scheme"]
    assert QUICKNET.dst.decode() == DRAND["dst"]


def _round(round_number=DRAND["round"], signature=DRAND["signature"]):
    return DrandBeacon(QUICKNET.chain_hash, round_number, bytes.fromhex(signature))


def test_real_drand_round_verifies():
    beacon = _round()
    beacon.verify()
    assert beacon.randomness.hex() == DRAND["randomness"]


@pytest.mark.parametrize("bit", [0, 7, 100, 380])
def test_drand_round_with_a_flipped_bit_fails(bit):
    sig = bytearray(bytes.fromhex(DRAND["signature"]))
    sig[-1 - bit // 8] ^= 1 << (bit % 8)
    with pytest.raises(BeaconVerificationError):
        _round(signature=sig.hex()).verify()


@pytest.mark.parametrize("round_number", [122, 124, 1])
def test_drand_signature_for_another_round_fails(round_number):
    with pytest.raises(BeaconVerificationError):
        _round(round_number).verify()


def test_rfc3797_section_6_example():
    example = VECTORS["rfc3797_example"]
    assert key_string(example["sources"]) == example["key_string"]
    picked = select_positions(example["key_string"], example["pool"],
                              len(example["selected_1_based"]))
    assert picked == example["selected_1_based"]


def test_bls_rejects_malformed_points():
    from giveaway.core.bls import verify_g1_signature
    pk, sig = QUICKNET.public_key, bytes.fromhex(DRAND["signature"])
    msg = hashlib.sha256((123).to_bytes(8, "big")).digest()
    assert verify_g1_signature(pk, msg, sig, QUICKNET.dst)
    infinity = b"\xc0" + bytes(47)
    for bad_pk, bad_sig in ((pk[:95], sig), (pk, sig[:47]), (pk, infinity),
                            (pk, b"\x80" + b"\xff" * 47), (b"\xc0" + bytes(95), sig),
                            (bytes([pk[0]]) + bytes(95), sig)):
        assert not verify_g1_signature(bad_pk, msg, bad_sig, QUICKNET.dst)
    assert not verify_g1_signature(pk, msg, sig, b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_")
