"""Building, serialising and signing certificate documents; key files."""

from __future__ import annotations

import base64
import json
import stat

import pytest

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core_testkit import case_named, honest, with_extra
from giveaway.core import (InvalidDocument, InvalidInput, KeyFileError, canonical_json,
                           format_leaf_list, parse_leaf_list,
                           key_id, load_document, load_or_create_signing_key, load_public_key,
                           parse_public_key, public_key_hex, public_key_pem, sign_document,
                           verify_certificate)
from giveaway.core.signing import signing_payload


def test_certificate_has_the_protocol_member_names():
    doc, leaves = honest(case_named("drand"))
    assert set(doc) == {"protocol", "method", "draw_id", "commitment", "committed_at", "salt",
                        "seed", "winners", "alternates", "entries", "beacon", "result"}
    assert set(doc["entries"]) == {"count", "merkle_root", "leaves", "frozen_at"}
    assert set(doc["beacon"]) == {"kind", "chain_hash", "round", "signature", "randomness"}
    assert doc["result"]["winners"][0] == {"index": 5, "leaf": leaves[5].hex()}
    assert doc["entries"]["frozen_at"] == "2023-08-23T15:00:00Z"


def test_rfc3797_method_certificate_may_omit_the_seed():
    doc, _ = honest(case_named("declared"), method="rfc3797")
    assert doc["method"] == "rfc3797" and "seed" not in doc and "commitment" not in doc


def test_extra_members_cannot_shadow_the_core():
    with pytest.raises(InvalidInput, match="seed"):
        with_extra(case_named("commit-only"), {"seed": "00"})


def test_canonical_serialisation_is_sorted_compact_utf8():
    doc = with_extra(case_named("commit-only"), {"contest": {"title": "Fête"}})
    data = canonical_json(doc)
    assert data.startswith(b'{"alternates":3,"beacon":{"kind":"none"')
    assert '"contest":{"title":"Fête"},"draw_id"'.encode() in data
    assert data == json.dumps(doc, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False).encode("utf-8")
    assert load_document(data) == doc


def test_sign_and_verify(tmp_path):
    key = load_or_create_signing_key(tmp_path / "instance" / "draw-key.pem")
    doc, leaves = honest(case_named("commit-only"))
    signed = sign_document(doc, key)
    sig = signed["signature"]
    assert sig["alg"] == "Ed25519" and sig["key_id"] == key_id(key)
    assert sig["public_key"] == public_key_hex(key)
    key.public_key().verify(base64.b64decode(sig["value"]), signing_payload(doc))
    assert signing_payload(signed) == canonical_json(doc)
    results = verify_certificate(signed, leaves, key.public_key())
    assert [r.step for r in results if r.step == "signature"] == ["signature"]
    assert all(r.ok for r in results)


def test_extra_members_are_signed_but_not_verified():
    key = Ed25519PrivateKey.generate()
    _, leaves = honest(case_named("commit-only"))
    doc = with_extra(case_named("commit-only"), {"contest": {"title": "Coffret"},
                                                 "substitutions": []})
    signed = sign_document(doc, key)
    assert all(r.ok for r in verify_certificate(signed, leaves, key.public_key()))
    signed["contest"]["title"] = "Autre"
    failed = [r.step for r in verify_certificate(signed, leaves, key.public_key()) if not r.ok]
    assert failed == ["signature"]


def test_key_file_is_private_and_reused(tmp_path):
    path = tmp_path / "draw-key.pem"
    key = load_or_create_signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_key_hex(load_or_create_signing_key(path)) == public_key_hex(key)
    assert [p.name for p in tmp_path.iterdir()] == ["draw-key.pem"]


def test_corrupt_key_file(tmp_path):
    path = tmp_path / "draw-key.pem"
    path.write_text("nope")
    with pytest.raises(KeyFileError):
        load_or_create_signing_key(path)


def test_public_key_export_and_load(tmp_path):
    key = load_or_create_signing_key(tmp_path / "k.pem")
    pem, raw = public_key_pem(key), public_key_hex(key)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----") and len(raw) == 64
    (tmp_path / "pub.pem").write_text(pem)
    (tmp_path / "pub.hex").write_text(raw + "\n")
    for name in ("pub.pem", "pub.hex"):
        assert public_key_hex(load_public_key(tmp_path / name)) == raw
    assert public_key_hex(parse_public_key(raw.upper())) == raw
    for bad in ("", "abc", "-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----"):
        with pytest.raises(KeyFileError):
            parse_public_key(bad)
    with pytest.raises(KeyFileError):
        load_public_key(tmp_path / "missing.pem")


def test_load_document_is_strict():
    assert load_document(b'{"a": 1}') == {"a": 1}
    for data, what in ((b"\xff", "UTF-8"), (b"{", "JSON"), (b"[]", "object"),
                       (b'{"a":1,"a":2}', "twice"), (b'{"a":NaN}', "NaN")):
        with pytest.raises(InvalidDocument) as info:
            load_document(data)
        assert info.value.field == "document" and what in info.value.reason


def test_leaf_list_format():
    leaves = [bytes([i]) * 32 for i in (1, 2, 171)]
    data = format_leaf_list(leaves)
    assert data == b"".join(leaf.hex().encode() + b"\n" for leaf in leaves)
    assert parse_leaf_list(data) == leaves
    assert parse_leaf_list(data[:-1]) == leaves  # a missing final newline is tolerated
    for bad, what in ((b"", "is empty"), (data.upper(), "line 3"), (data + b"\n", "line 4"),
                      (data[:70] + data[71:], "line 2"), (b"0" * 63 + b"\n", "line 1"),
                      (data.replace(b"\n", b"\r\n"), "line 1")):
        with pytest.raises(InvalidDocument) as info:
            parse_leaf_list(bad)
        assert info.value.field == "entries.leaves" and what in info.value.reason
