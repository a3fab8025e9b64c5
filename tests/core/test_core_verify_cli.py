"""``python -m giveaway.verify``: exit codes, one line per check, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core_testkit import DELETE, case_named, flip_hex, honest, serve_once, tampered
from giveaway.core import (format_leaf_list, public_key_hex, public_key_pem, sign_document,
                           write_leaf_list)
from giveaway.verify import main

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def write(folder, doc, leaves=None, name="cert.json"):
    (folder / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")
    if leaves is not None:
        write_leaf_list(folder / "leaves.txt", leaves)
    return str(folder / name)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def signed_drand(tmp_path):
    doc, leaves = honest(case_named("drand"))
    return write(tmp_path, sign_document(doc, KEY), leaves), tmp_path


def test_honest_signed_certificate(capsys, signed_drand):
    cert, folder = signed_drand
    (folder / "pub.pem").write_text(public_key_pem(KEY))
    code, out, _ = run(capsys, cert, "--public-key", str(folder / "pub.pem"))
    assert code == 0
    lines = out.splitlines()
    assert all(line.startswith("✓") for line in lines[:-1]), out
    for step in ("document", "commitment", "leaf-order", "leaf-count", "merkle-root", "beacon",
                 "beacon-signature", "timeline", "derivation", "selection", "signature"):
        assert f"✓ {step}:" in out
    assert lines[-1].startswith("VERIFIED")


def test_self_embedded_key_is_said_to_prove_integrity_only(capsys, signed_drand):
    code, out, _ = run(capsys, signed_drand[0])
    assert code == 0 and "✓ signature" in out and "not who signed it" in out


def test_unsigned_certificate_passes_and_says_so(capsys, tmp_path):
    doc, leaves = honest(case_named("commit-only"))
    code, out, _ = run(capsys, write(tmp_path, doc, leaves))
    assert code == 0 and "! signature: unsigned" in out and "! beacon:" in out


def test_rfc3797_method(capsys, tmp_path):
    doc, leaves = honest(case_named("declared"), method="rfc3797")
    code, out, _ = run(capsys, write(tmp_path, doc, leaves))
    assert code == 0, out


@pytest.mark.parametrize("path,value,step", [
    ("seed", flip_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
     "commitment"),
    ("entries.merkle_root", "00" * 32, "merkle-root"),
    ("entries.count", 11, "leaf-count"),
    ("winners", 4, "selection"),
    ("alternates", 2, "selection"),
    ("result.winners.0.leaf", "00" * 32, "result-leaves"),
    ("contest", "added after signing", "signature"),
])
def test_tampered_certificates_fail_at_the_right_step(capsys, tmp_path, path, value, step):
    doc, leaves = honest(case_named("commit-only"))
    signed = sign_document(doc, KEY)
    code, out, _ = run(capsys, write(tmp_path, tampered(signed, path, value), leaves))
    assert code == 1
    assert f"✗ {step}:" in out
    assert out.splitlines()[-1].startswith("NOT VERIFIED")


def test_tampered_drand_signature(capsys, tmp_path):
    doc, leaves = honest(case_named("drand"))
    bad = tampered(doc, "beacon.signature", flip_hex(doc["beacon"]["signature"], 9))
    code, out, _ = run(capsys, write(tmp_path, bad, leaves))
    assert code == 1 and "✗ beacon-signature:" in out


def test_tampered_leaf_list(capsys, tmp_path):
    doc, leaves = honest(case_named("commit-only"))
    cert = write(tmp_path, doc, leaves[::-1])
    code, out, _ = run(capsys, cert)
    assert code == 1 and "✗ leaf-order: entries.leaves: leaf 1 is out of order" in out
    write_leaf_list(tmp_path / "dup.txt", leaves[:1] + leaves[:-1])
    code, out, _ = run(capsys, cert, "--leaves", str(tmp_path / "dup.txt"))
    assert code == 1 and "a duplicate" in out


def test_wrong_public_key(capsys, signed_drand, tmp_path):
    other = Ed25519PrivateKey.from_private_bytes(bytes(32))
    (tmp_path / "other.hex").write_text(public_key_hex(other))
    code, out, _ = run(capsys, signed_drand[0], "--public-key", str(tmp_path / "other.hex"))
    assert code == 1 and "✗ signature:" in out and "key_id" in out


def test_forged_signature_with_embedded_key(capsys, tmp_path):
    doc, leaves = honest(case_named("commit-only"))
    signed = sign_document(doc, KEY)
    signed["signature"]["value"] = sign_document({"x": 1}, KEY)["signature"]["value"]
    code, out, _ = run(capsys, write(tmp_path, signed, leaves))
    assert code == 1 and "✗ signature:" in out


def test_entry_inclusion_proof(capsys, tmp_path):
    doc, leaves = honest(case_named("commit-only"))
    cert = write(tmp_path, doc, leaves)
    code, out, _ = run(capsys, cert, "--entry", "ig:1007")
    assert code == 0
    assert "✓ inclusion" in out and "RFC 6962 audit path" in out
    assert sum(1 for line in out.splitlines() if line.startswith("  ") and len(line) == 66) == 4
    code, out, _ = run(capsys, cert, "--entry", "ig:404")
    assert code == 1 and "✗ inclusion: this entry's leaf is not in the list" in out


def test_leaves_relative_to_the_certificate(capsys, tmp_path, monkeypatch):
    doc, leaves = honest(case_named("commit-only"))
    (tmp_path / "pub").mkdir()
    cert = write(tmp_path / "pub", doc, None)
    write_leaf_list(tmp_path / "pub" / "leaves.txt", leaves)
    monkeypatch.chdir(tmp_path)
    assert run(capsys, cert)[0] == 0


@pytest.mark.parametrize("path,value,field", [
    ("entries.count", DELETE, "entries.count"),
    ("seed", "not hex", "seed"),
    ("entries.count", 0, "entries.count"),
    ("entries.count", 2**32, "entries.count"),
    ("winners", 0, "winners"),
    ("beacon.kind", "coin", "beacon.kind"),
    ("beacon", {"kind": "drand", "chain_hash": "11" * 32, "round": 5, "signature": "00" * 48,
                "randomness": "00" * 32}, "beacon.chain_hash"),
    ("entries.leaves", DELETE, "entries.leaves"),
])
def test_unusable_documents_exit_2_naming_the_field(capsys, tmp_path, path, value, field):
    doc, leaves = honest(case_named("commit-only"))
    code, out, err = run(capsys, write(tmp_path, tampered(doc, path, value), leaves))
    assert code == 2 and out == ""
    assert err.startswith(f"error: unusable input: {field}:"), err


def test_leaves_from_a_url(capsys, tmp_path):
    doc, leaves = honest(case_named("commit-only"))
    with serve_once(format_leaf_list(leaves)) as url:
        cert = write(tmp_path, tampered(doc, "entries.leaves", url + "/leaves.txt"))
        assert run(capsys, cert)[0] == 0
    code, _, err = run(capsys, cert)  # the server is gone now
    assert code == 2 and "entries.leaves: cannot download" in err


def test_unusable_files_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "missing.json"))
    assert code == 2 and "certificate: cannot read" in err
    (tmp_path / "bad.json").write_text("{nope")
    code, _, err = run(capsys, str(tmp_path / "bad.json"))
    assert code == 2 and "document: is not valid JSON" in err
    doc, leaves = honest(case_named("commit-only"))
    cert = write(tmp_path, doc, leaves)
    (tmp_path / "leaves.txt").write_text("0" * 64 + "\nXYZ\n")
    code, _, err = run(capsys, cert)
    assert code == 2 and "entries.leaves: line 2 is not 64 lowercase hex digits" in err
    code, _, err = run(capsys, cert, "--leaves", str(tmp_path / "none.txt"))
    assert code == 2 and "entries.leaves: cannot read" in err
    (tmp_path / "key.pem").write_text("garbage")
    code, _, err = run(capsys, cert, "--public-key", str(tmp_path / "key.pem"))
    assert code == 2 and "not an Ed25519 public key" in err


def test_runs_as_a_module(tmp_path):
    doc, leaves = honest(case_named("drand"))
    cert = write(tmp_path, sign_document(doc, KEY), leaves)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run([sys.executable, "-m", "giveaway.verify", cert, "--entry", "ig:42"],
                          capture_output=True, encoding="utf-8", env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "✓ beacon-signature" in proc.stdout and "✓ inclusion" in proc.stdout
