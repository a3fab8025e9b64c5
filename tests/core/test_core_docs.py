"""docs/PROTOCOL.md stays true: its worked example and its stdlib-only verifier."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core_testkit import CASES, honest
from giveaway.core import (DeclaredValuesBeacon, audit_path, commitment, draw, draw_rfc3797,
                           freeze_entries, merkle_root, write_leaf_list)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "PROTOCOL.md").read_text("utf-8")


def test_worked_example_values_are_in_the_document():
    seed, salt, draw_id = b"\x42" * 32, b"\x5a" * 16, "exemple-auch"
    leaves = freeze_entries(salt, ["ig:101", "ig:202", "ig:303", "ig:404", "ig:505", "ig:202"])
    beacon = DeclaredValuesBeacon.from_sources([[7], [15, 3, 14]])
    result = draw(seed, draw_id, winners=1, alternates=2, beacon=beacon, leaves=leaves)
    for value in (commitment(draw_id, seed), merkle_root(leaves), beacon.value, result.key,
                  *audit_path(leaves, 2)[1:]):
        assert value.hex() in DOC
    assert beacon.key_string == "7./3.14.15./"
    assert (result.winners, result.alternates) == ((4,), (3, 2))
    rfc = draw_rfc3797(beacon, winners=1, alternates=2, leaves=leaves)
    assert (rfc.winners, rfc.alternates) == ((2,), (3, 1))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_standard_library_verifier_in_the_document(tmp_path, case):
    (code,) = re.findall(r"```python\n(# verify_gdraw\.py.*?)```", DOC, re.S)
    script = tmp_path / "verify_gdraw.py"
    script.write_text(code, "utf-8")
    doc, leaves = honest(case)
    (tmp_path / "cert.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    write_leaf_list(tmp_path / "leaves.txt", leaves)
    proc = subprocess.run([sys.executable, str(script), str(tmp_path / "cert.json"),
                           str(tmp_path / "leaves.txt")], capture_output=True, encoding="utf-8",
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    expected = case["expected"]
    assert proc.stdout.strip() == (f"winners {expected['winners']} "
                                   f"alternates {expected['alternates']} - OK")
