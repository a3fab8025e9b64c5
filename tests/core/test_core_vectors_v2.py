"""Every value of the gdraw-v2 vectors file, recomputed with the core; and the doc's example."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from giveaway.core import (DeclaredValuesBeacon, DrandBeacon, NoBeacon, Stream, all_passed,
                           audit_path, canonical_json, draw, entry_leaves, format_leaf_list,
                           freeze_entries, merkle_root, parse_leaf_list, parse_public_key,
                           transcript, verify_certificate)
from giveaway.core.caption import caption_code
from giveaway.core.declaration import declaration_digest, parse_declaration
from giveaway.core.errors import InvalidDocument
from giveaway.core.followup import check_followup_chain
from giveaway.core.protocol import commitment, derive_key
from giveaway.core.rfc3797 import select_positions
from giveaway.core.selection import draw_rfc3797
from giveaway.core.timestamps import certificate_imprint, commitment_imprint, freeze_imprint
from giveaway.verify import main as verify_main

DATA = Path(__file__).parent / "data"
VECTORS: dict[str, Any] = json.loads((DATA / "gdraw-v2-vectors.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = VECTORS["cases"]
IDS = [c["name"] for c in CASES]
DOC = (Path(__file__).resolve().parents[2] / "docs" / "PROTOCOL.md").read_text("utf-8")
PUBLIC_KEY = parse_public_key(VECTORS["signing_key"]["public_key"])


def _generator():
    spec = importlib.util.spec_from_file_location("make_v2_vectors", DATA / "make_v2_vectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _beacon(spec: dict[str, Any] | None):
    if spec is None:
        return NoBeacon()
    if spec["kind"] == "drand":
        return DrandBeacon(bytes.fromhex(spec["chain_hash"]), spec["round"],
                           bytes.fromhex(spec["signature"]))
    return DeclaredValuesBeacon.from_sources(spec["sources"], spec["description"])


def test_the_file_is_what_the_generator_writes():
    gen = _generator()
    assert (DATA / "gdraw-v2-vectors.json").read_text("utf-8") == gen.render(gen.build())


def test_the_file_covers_the_required_cases():
    assert VECTORS["protocol"] == "gdraw-v2"
    assert len(CASES) >= 5
    declarations = [c["expected"]["declaration"] for c in CASES]
    kinds = {(d["method"], d["beacon"]["kind"]) for d in declarations}
    assert {("gdraw", "declared"), ("rfc3797", "declared"), ("gdraw", "none"),
            ("gdraw", "drand")} <= kinds
    assert any(c["expected"]["redeclarations"] for c in CASES)
    v1 = json.loads((DATA / "gdraw-v1-vectors.json").read_text("utf-8"))["drand_quicknet"]
    (drand,) = [c for c in CASES
                if c["input"]["beacon"] and c["input"]["beacon"]["kind"] == "drand"]
    assert (drand["input"]["beacon"]["round"], drand["input"]["beacon"]["signature"]) == (
        v1["round"], v1["signature"])


def test_the_signing_key_comes_from_its_seed():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from giveaway.core.signing import key_id, public_key_hex
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(VECTORS["signing_key"]["seed"]))
    assert public_key_hex(key) == VECTORS["signing_key"]["public_key"]
    assert key_id(key) == VECTORS["signing_key"]["key_id"]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_case(case):
    inp, exp = case["input"], case["expected"]
    seed, salt = bytes.fromhex(inp["seed"]), bytes.fromhex(inp["salt"])
    draw_id, k, a = inp["draw_id"], inp["winners"], inp["alternates"]

    D = exp["declaration"]
    decl = parse_declaration(D)
    assert (decl.draw_id, decl.salt, decl.method, decl.winners, decl.alternates) == (
        draw_id, salt, inp["method"], k, a)
    for name in ("opens_at", "closes_at", "committed_at", "rules_sha256", "eligibility_sha256"):
        assert D[name] == inp[name]
    assert canonical_json(D).decode("utf-8") == exp["declaration_canonical"]
    d = declaration_digest(D)
    assert d.hex() == exp["declaration_sha256"] == hashlib.sha256(
        exp["declaration_canonical"].encode("utf-8")).hexdigest()
    c = commitment(draw_id, seed, d)
    assert c.hex() == exp["commitment"]
    assert hashlib.sha256(b"gdraw-v2/commit" + len(draw_id.encode()).to_bytes(2, "big")
                          + draw_id.encode() + d + seed).digest() == c
    assert caption_code("gdraw-v2", draw_id, c) == exp["caption_code"]
    assert exp["caption_code"] == f"gdraw-v2 {draw_id} {exp['commitment'][:32]}"

    assert [x.hex() for x in entry_leaves(salt, inp["entry_keys"])] == exp["entry_leaves"]
    leaves = freeze_entries(salt, inp["entry_keys"])
    assert [x.hex() for x in leaves] == exp["leaves_sorted"]
    assert len(leaves) == exp["count"]
    root = merkle_root(leaves)
    assert root.hex() == exp["merkle_root"] == exp["merkle_levels"][-1][0]
    assert exp["merkle_levels"][0] == exp["leaves_sorted"]
    assert [p.hex() for p in audit_path(leaves, 0)] == exp["audit_path_of_first"]
    assert format_leaf_list(leaves).decode("ascii") == exp["leaf_list"]
    assert parse_leaf_list(exp["leaf_list"].encode("ascii")) == leaves

    beacon = _beacon(inp["beacon"])
    assert (beacon.beacon_id, beacon.round, beacon.value.hex()) == (
        exp["beacon_id"], exp["beacon_round"], exp["beacon_value"])
    if isinstance(beacon, DeclaredValuesBeacon):
        assert beacon.key_string == exp["key_string"]
        assert hashlib.sha256(exp["key_string"].encode()).hexdigest() == exp["beacon_value"]
    if isinstance(beacon, DrandBeacon):
        beacon.verify()

    places = min(k + a, len(leaves))
    assert exp["places"] == places
    if inp["method"] == "rfc3797":
        assert exp["transcript"] is exp["derived_key"] is exp["selection"] is None
        positions = select_positions(beacon.key_string, len(leaves), places)
        assert [s["position"] for s in exp["rfc3797_selection"]] == positions
        for step in exp["rfc3797_selection"]:
            i = step["i"]
            md5 = hashlib.md5(i.to_bytes(2, "big") + beacon.key_string.encode()
                              + i.to_bytes(2, "big")).digest()
            assert md5.hex() == step["md5"]
            assert int.from_bytes(md5, "big") % step["remaining"] == step["rank"]
            assert step["remaining"] == len(leaves) - i
        result = draw_rfc3797(beacon, winners=k, alternates=a, leaves=leaves)
        assert [p - 1 for p in positions] == [*result.winners, *result.alternates]
    else:
        assert exp["rfc3797_selection"] is None
        t = transcript(draw_id, len(leaves), root, k, a, beacon, d)
        assert t.hex() == exp["transcript"] == "".join(h for _, h in exp["transcript_fields"])
        assert exp["transcript_fields"][0] == ["TAG", b"gdraw-v2".hex()]
        assert exp["transcript_fields"][2] == ["d", d.hex()]
        key = derive_key(seed, t)
        assert key.hex() == exp["derived_key"]
        stream = Stream(key, b"gdraw-v2")
        words = [w for step in exp["selection"] for w in step["words"]]
        assert [stream.next_word() for _ in words] == words
        for step in exp["selection"]:
            n = step["n"]
            assert n == len(leaves) - step["i"]
            assert step["limit"] == 2**64 - 2**64 % n
            assert all(w >= step["limit"] for w in step["words"][:-1])
            assert step["words"][-1] < step["limit"]
            assert step["below"] == step["words"][-1] % n
            assert step["j"] == step["i"] + step["below"]
        result = draw(seed, draw_id, winners=k, alternates=a, beacon=beacon, leaves=leaves,
                      declaration_digest=d)
        assert (result.transcript, result.key) == (t, key)
        assert [s["picked"] for s in exp["selection"]] == [*result.winners, *result.alternates]
    # The winner/alternate boundary: the first min(k, N) picks win.
    assert len(result.winners) == min(k, len(leaves))
    assert (list(result.winners), list(result.alternates)) == (exp["winners"], exp["alternates"])

    assert commitment_imprint(c).hex() == exp["tsa_imprints"]["commitment"]
    assert freeze_imprint(draw_id, len(leaves), root).hex() == exp["tsa_imprints"]["freeze"]
    assert hashlib.sha256(b"gdraw-v2/tsa/commitment" + c).hexdigest() == \
        exp["tsa_imprints"]["commitment"]
    assert hashlib.sha256(b"gdraw-v2/tsa/freeze" + len(draw_id.encode()).to_bytes(2, "big")
                          + draw_id.encode() + len(leaves).to_bytes(4, "big")
                          + root).hexdigest() == exp["tsa_imprints"]["freeze"]

    cert = exp["certificate"]
    assert cert["declaration"] == D and cert["declaration_sha256"] == d.hex()
    assert cert["commitment"] == c.hex() and cert["redeclarations"] == exp["redeclarations"]
    assert cert["entries"]["leaves"] == inp["leaves_location"]
    assert (cert["entries"]["frozen_at"], cert["drawn_at"]) == (inp["frozen_at"], inp["drawn_at"])
    body = json.dumps(cert, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    assert certificate_imprint(body).hex() == exp["certificate_file_sha256"]
    results = verify_certificate(cert, leaves, PUBLIC_KEY)
    assert all_passed(results), [r for r in results if not r.ok]
    steps = {r.step for r in results}
    assert {"declaration", "commitment", "beacon-declared", "timeline", "selection",
            "result-leaves", "signature"} <= steps
    assert any(r.code == "not_timestamped" for r in results)
    assert any(r.code == "beacon_redeclared" for r in results) == bool(exp["redeclarations"])


def test_the_followup_chain():
    chain = VECTORS["followup"]
    (case,) = [c for c in CASES if c["name"] == chain["case"]]
    assert chain["certificate_sha256"] == case["expected"]["certificate_file_sha256"]
    bodies = [r["record"].encode("utf-8") for r in chain["records"]]
    assert [hashlib.sha256(b).hexdigest() for b in bodies] == [
        r["sha256"] for r in chain["records"]]
    first = json.loads(bodies[0])
    assert first["previous_sha256"] == first["certificate_sha256"] == chain["certificate_sha256"]
    assert json.loads(bodies[1])["previous_sha256"] == chain["records"][0]["sha256"]
    ok = check_followup_chain(bodies, chain["certificate_sha256"], PUBLIC_KEY)
    assert all_passed(ok)
    assert not all_passed(check_followup_chain(bodies[1:], chain["certificate_sha256"],
                                               PUBLIC_KEY))
    loose = json.dumps(json.loads(bodies[0]), indent=1).encode()  # same record, not canonical
    assert not all_passed(check_followup_chain([loose, bodies[1]], chain["certificate_sha256"],
                                               PUBLIC_KEY))


# --- the document's claims ---------------------------------------------------------------

def _fenced(label: str) -> str:
    """The text of the fenced block that follows ``<!-- label -->`` in PROTOCOL.md."""
    (block,) = re.findall(rf"<!-- {re.escape(label)} -->\n```[a-z]*\n(.*?)```", DOC, re.S)
    return block


def test_the_worked_example_is_the_first_case():
    exp = CASES[0]["expected"]
    assert _fenced("v2-example-declaration") == exp["declaration_canonical"] + "\n"
    for value in (exp["declaration_sha256"], exp["commitment"], exp["caption_code"],
                  exp["merkle_root"], exp["beacon_value"], exp["derived_key"],
                  *exp["entry_leaves"], *[n for level in exp["merkle_levels"] for n in level],
                  *exp["tsa_imprints"].values(), exp["certificate_file_sha256"],
                  VECTORS["signing_key"]["public_key"]):
        assert value in DOC, value
    t_block = _fenced("v2-example-transcript")
    hex_tokens = [w for w in t_block.split() if re.fullmatch(r"(?:[0-9a-f]{2}){2,}", w)]
    assert "".join(hex_tokens) == exp["transcript"]
    for label, _ in exp["transcript_fields"]:
        assert label in t_block, label
    for step in exp["selection"]:
        row = (f"| {step['i']} | {step['n']} | {step['words'][0]} | {step['limit']} | "
               f"{step['below']} | {step['j']} |")
        assert row in DOC, row
    sealed = _fenced("v2-example-certificate")  # the sealed file, byte for byte
    assert json.loads(sealed) == exp["certificate"]
    assert sealed == json.dumps(exp["certificate"], ensure_ascii=False, indent=2) + "\n"
    assert hashlib.sha256(sealed.encode("utf-8")).hexdigest() == exp["certificate_file_sha256"]
    assert _fenced("v2-example-leaves") == exp["leaf_list"]


def test_the_rfc3797_example_is_the_second_case():
    exp = CASES[1]["expected"]
    assert exp["key_string"] in DOC and exp["beacon_value"] in DOC
    for step in exp["rfc3797_selection"]:
        row = (f"| {step['i']} | `{step['md5']}` | {step['remaining']} | {step['rank']} | "
               f"{step['position']} |")
        assert row in DOC, row


def test_uppercase_leaf_lists_are_refused():
    text = CASES[0]["expected"]["leaf_list"]
    with pytest.raises(InvalidDocument, match="lowercase"):
        parse_leaf_list(text.upper().encode())
    assert parse_leaf_list(text.rstrip("\n").encode()) == parse_leaf_list(text.encode())


def _write(folder: Path, case: dict[str, Any], cert: dict[str, Any] | None = None) -> Path:
    path = folder / "cert.json"
    path.write_text(json.dumps(cert or case["expected"]["certificate"], ensure_ascii=False),
                    "utf-8")
    (folder / "leaves.txt").write_text(case["expected"]["leaf_list"], "ascii")
    return path


@pytest.mark.parametrize("case", [CASES[0], CASES[4]], ids=[IDS[0], IDS[4]])
def test_cli_with_the_organiser_key(tmp_path, capsys, case):
    path = _write(tmp_path, case)
    key = tmp_path / "key.hex"
    key.write_text(VECTORS["signing_key"]["public_key"])
    assert verify_main([str(path), "--public-key", str(key)]) == 0
    unsigned = {k: v for k, v in case["expected"]["certificate"].items() if k != "signature"}
    path = _write(tmp_path, case, unsigned)
    # Unsigned, no key: a note; but a redeclaration then has no key to be checked against.
    unsigned_verdict = 1 if unsigned.get("redeclarations") else 0
    assert verify_main([str(path)]) == unsigned_verdict
    assert verify_main([str(path), "--public-key", str(key)]) == 1  # with the key: a failure
    assert verify_main([str(path), "--caption", case["expected"]["caption_code"]]) == \
        unsigned_verdict
    assert verify_main([str(path), "--commitment", case["expected"]["commitment"].upper()]) \
        == unsigned_verdict
    capsys.readouterr()


def test_cli_exits_2_when_the_leaf_list_cannot_be_had(tmp_path, capsys):
    case = CASES[0]
    cert = copy.deepcopy(case["expected"]["certificate"])
    cert["entries"]["leaves"] = "missing/leaves.txt"
    assert verify_main([str(_write(tmp_path, case, cert))]) == 2
    cert["entries"]["leaves"] = "http://127.0.0.1:9/leaves.txt"  # nothing listens on port 9
    assert verify_main([str(_write(tmp_path, case, cert))]) == 2
    (tmp_path / "upper.txt").write_text(case["expected"]["leaf_list"].upper())
    assert verify_main([str(_write(tmp_path, case)), "--leaves",
                        str(tmp_path / "upper.txt")]) == 2
    assert "entries.leaves" in capsys.readouterr().err


def test_a_float_breaks_the_signature(tmp_path):
    cert = copy.deepcopy(CASES[0]["expected"]["certificate"])
    cert["app_note"] = 1.5  # an application member: not core, but covered by the signature
    leaves = parse_leaf_list(CASES[0]["expected"]["leaf_list"].encode())
    assert [r.step for r in verify_certificate(cert, leaves, PUBLIC_KEY) if not r.ok] == [
        "signature"]
    bad = copy.deepcopy(CASES[0]["expected"]["certificate"])
    bad["declaration"]["winners"] = 1.0
    with pytest.raises(InvalidDocument, match="declaration.winners"):
        verify_certificate(bad, leaves, PUBLIC_KEY)


def test_the_timeline_comparisons_are_as_documented():
    """frozen_at < beacon time (strict); beacon time <= drawn_at; committed_at <= frozen_at."""
    case = CASES[0]
    leaves = parse_leaf_list(case["expected"]["leaf_list"].encode())
    beacon_time = case["expected"]["declaration"]["beacon"]["available_at"]

    def failures(**changes):
        cert = copy.deepcopy(case["expected"]["certificate"])
        for name, value in changes.items():
            if name == "frozen_at":
                cert["entries"]["frozen_at"] = value
            else:
                cert[name] = value
        return [r.step for r in verify_certificate(cert, leaves) if not r.ok]

    assert failures(frozen_at=beacon_time) == ["timeline", "signature"]
    assert failures(drawn_at=beacon_time) == ["signature"]  # equal is allowed
    assert failures(drawn_at="2026-12-11T19:59:59Z") == ["timeline", "signature"]
    assert failures(frozen_at="2026-12-01T07:30:00Z") == ["signature"]  # = committed_at
    assert failures(frozen_at="2026-12-01T07:29:59Z") == ["timeline", "signature"]
