"""docs/PROTOCOL.md stays true: its worked examples and its stdlib-only verifier.

The gdraw-v2 worked example is checked against the v2 vectors in
``test_core_vectors_v2.py``; the gdraw-v1 one here.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core_testkit import CASES, honest
from giveaway.core import (DeclaredValuesBeacon, audit_path, commitment, draw, draw_rfc3797,
                           freeze_entries, merkle_root, write_leaf_list)
from giveaway.core.declaration import parse_declaration
from giveaway.core.rfc3797 import key_string
from giveaway.core.selection import draw_as_declared

DOC = (Path(__file__).resolve().parents[2] / "docs" / "PROTOCOL.md").read_text("utf-8")
V2: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "gdraw-v2-vectors.json")
                                .read_text("utf-8"))
V2_CASES = V2["cases"]
(SCRIPT,) = re.findall(r"```python\n(# verify_gdraw\.py.*?)```", DOC, re.S)


def test_worked_example_values_are_in_the_document():
    seed, salt, draw_id = b"\x42" * 32, b"\x5a" * 16, "exemple-auch"
    leaves = freeze_entries(salt, ["ig:101", "ig:202", "ig:303", "ig:404", "ig:505", "ig:202"])
    beacon = DeclaredValuesBeacon.from_sources([[7], [15, 3, 14]])
    result = draw(seed, draw_id, winners=1, alternates=2, beacon=beacon, leaves=leaves)
    for value in (commitment(draw_id, seed), merkle_root(leaves), beacon.value, result.key,
                  *audit_path(leaves, 2)[1:]):
        assert value.hex() in DOC
    assert result.transcript.hex() in re.sub(r"\s+", "", DOC)
    assert beacon.key_string == "7./3.14.15./"
    assert (result.winners, result.alternates) == ((4,), (3, 2))
    rfc = draw_rfc3797(beacon, winners=1, alternates=2, leaves=leaves)
    assert (rfc.winners, rfc.alternates) == ((2,), (3, 1))


def _run(tmp_path: Path, doc: dict[str, Any], leaf_text: str) -> subprocess.CompletedProcess:
    script = tmp_path / "verify_gdraw.py"
    script.write_text(SCRIPT, "utf-8")
    (tmp_path / "cert.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    (tmp_path / "leaves.txt").write_text(leaf_text, "ascii")
    return subprocess.run([sys.executable, str(script), str(tmp_path / "cert.json"),
                           str(tmp_path / "leaves.txt")], capture_output=True, encoding="utf-8",
                          timeout=60)


def _ok_line(winners: list[int], alternates: list[int]) -> str:
    return f"winners {winners} alternates {alternates} - OK"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_standard_library_verifier_on_v1(tmp_path, case):
    doc, leaves = honest(case)
    write_leaf_list(tmp_path / "list.txt", leaves)
    proc = _run(tmp_path, doc, (tmp_path / "list.txt").read_text("ascii"))
    assert proc.returncode == 0, proc.stderr
    expected = case["expected"]
    assert proc.stdout.strip().splitlines()[-1] == _ok_line(expected["winners"],
                                                            expected["alternates"])


def test_the_standard_library_verifier_on_v1_rfc3797(tmp_path):
    (case,) = [c for c in CASES if c["input"]["beacon"] and c["input"]["beacon"]["kind"] ==
               "rfc3797"]
    doc, leaves = honest(case, method="rfc3797")
    write_leaf_list(tmp_path / "list.txt", leaves)
    proc = _run(tmp_path, doc, (tmp_path / "list.txt").read_text("ascii"))
    assert proc.returncode == 0, proc.stderr
    doc["result"]["winners"][0]["index"] += 1
    assert _run(tmp_path, doc, (tmp_path / "list.txt").read_text("ascii")).returncode == 1


@pytest.mark.parametrize("case", V2_CASES, ids=[c["name"] for c in V2_CASES])
def test_the_standard_library_verifier_on_v2(tmp_path, case):
    exp = case["expected"]
    proc = _run(tmp_path, exp["certificate"], exp["leaf_list"])
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert lines[-1] == _ok_line(exp["winners"], exp["alternates"])
    assert any("anomaly" in line for line in lines) == bool(exp["redeclarations"])


# --- tampered v2 certificates: the script must fail, at the right step ---------------------

def _beacon_time(cert: dict[str, Any]) -> str | None:
    beacon = (cert["redeclarations"][-1]["beacon"] if cert["redeclarations"]
              else cert["declaration"]["beacon"])
    return beacon.get("round_time") or beacon.get("available_at")


def _before(text: str, seconds: int = 1) -> str:
    when = dt.datetime.fromisoformat(text[:-1]) - dt.timedelta(seconds=seconds)
    return when.isoformat() + "Z"


def _move_boundary(cert, leaf_text):
    """Same picks in the same order, but one more (or one fewer) counted as a winner."""
    res = cert["result"]
    if res["alternates"]:
        res["winners"].append(res["alternates"].pop(0))
    else:
        res["alternates"].insert(0, res["winners"].pop())
    return "selection"


def _change_declared_rules(cert, leaf_text):
    cert["declaration"]["rules_sha256"] = "00" * 32  # only in D: d changes, C no longer matches
    cert.pop("declaration_sha256")
    return "commitment"


def _draw_before_the_randomness(cert, leaf_text):
    at = _beacon_time(cert)
    cert["drawn_at"] = _before(at) if at else _before(cert["entries"]["frozen_at"])
    return "timeline"


def _freeze_at_the_beacon_time(cert, leaf_text):
    at = _beacon_time(cert)
    if at is None:
        return None
    cert["entries"]["frozen_at"] = at  # strict: equal is too late
    return "timeline"


def _other_values(cert, leaf_text):
    """Values of the declared shape, consistent with their key string, but not those drawn."""
    beacon = cert["beacon"]
    if beacon["kind"] == "drand":
        beacon["signature"] = beacon["signature"][:-2] + "00"
        return "beacon"
    if beacon["kind"] == "none":
        return None
    first, drawn = beacon["sources"][0], _picks(cert, leaf_text)
    for _ in range(1, 50):  # small draws: skip values that happen to give the same picks
        first[0] = int(cert["beacon"]["sources"][0][0]) + 1
        beacon["key_string"] = key_string(beacon["sources"])
        if _picks(cert, leaf_text) != drawn:
            return "selection"
    raise AssertionError("no other value changes the draw")


def _picks(cert, leaf_text):
    leaves = [bytes.fromhex(line) for line in leaf_text.split()]
    beacon = DeclaredValuesBeacon.from_sources(cert["beacon"]["sources"])
    result = draw_as_declared(bytes.fromhex(cert["seed"]),
                              parse_declaration(cert["declaration"]), beacon, leaves)
    return result.winners, result.alternates


def _wrong_shape(cert, leaf_text):
    beacon = cert["beacon"]
    if beacon["kind"] != "rfc3797":
        return None
    beacon["sources"].append([1])
    beacon["key_string"] = key_string(beacon["sources"])
    return "beacon-declared"


def _extra_member_in_the_declaration(cert, leaf_text):
    cert["declaration"]["note"] = "added later"
    cert.pop("declaration_sha256")
    return "declaration"


TAMPERS = [_move_boundary, _change_declared_rules, _draw_before_the_randomness,
           _freeze_at_the_beacon_time, _other_values, _wrong_shape,
           _extra_member_in_the_declaration]


def _applicable(case, tamper):
    # A tamper returns None for a case it cannot apply to (no declared values to reshape…).
    return tamper(copy.deepcopy(case["expected"]["certificate"]),
                  case["expected"]["leaf_list"]) is not None


TAMPERED = [pytest.param(case, tamper, id=f"{case['name']}-{tamper.__name__.strip('_')}")
            for case in V2_CASES for tamper in TAMPERS if _applicable(case, tamper)]


@pytest.mark.parametrize("case, tamper", TAMPERED)
def test_the_standard_library_verifier_fails_tampered_v2(tmp_path, case, tamper):
    cert = copy.deepcopy(case["expected"]["certificate"])
    step = tamper(cert, case["expected"]["leaf_list"])
    proc = _run(tmp_path, cert, case["expected"]["leaf_list"])
    assert proc.returncode == 1, proc.stdout
    assert proc.stderr.startswith(f"FAILED: {step}"), proc.stderr


@pytest.mark.parametrize("case", V2_CASES, ids=[c["name"] for c in V2_CASES])
def test_the_standard_library_verifier_fails_a_tampered_leaf_list(tmp_path, case):
    exp = case["expected"]
    lines = exp["leaf_list"].splitlines()
    lines[-1] = "f" * 64 if lines[-1] != "f" * 64 else "e" * 64
    proc = _run(tmp_path, exp["certificate"], "\n".join(lines) + "\n")
    assert proc.returncode == 1
    assert proc.stderr.startswith("FAILED: merkle-root"), proc.stderr


def test_the_standard_library_verifier_refuses_uppercase_leaves(tmp_path):
    exp = V2_CASES[0]["expected"]
    proc = _run(tmp_path, exp["certificate"], exp["leaf_list"].upper())
    assert proc.returncode == 1
    assert proc.stderr.startswith("FAILED: leaf list"), proc.stderr
    assert _run(tmp_path, exp["certificate"], exp["leaf_list"].rstrip("\n")).returncode == 0
