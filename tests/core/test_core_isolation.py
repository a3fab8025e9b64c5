"""The draw core imports nothing of the app and never the ``random`` module."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "giveaway" / "core"
DRAW_MODULES = ["beacons", "bls", "certificate", "checks", "document", "drand", "drand_fetch",
                "encoding", "errors", "leaflist", "merkle", "protocol", "rfc3797", "selection",
                "signature_check", "signing", "stream", "verification", "__init__"]
DRAW_PATH = {"protocol", "merkle", "stream", "selection", "rfc3797", "encoding", "drand",
             "beacons"}
ALLOWED_THIRD_PARTY = {"py_ecc", "cryptography"}
FORBIDDEN = {"random", "flask", "sqlalchemy", "instagrapi", "huey", "giveaway"}


@pytest.mark.parametrize("name", DRAW_MODULES)
def test_imports(name):
    tree = ast.parse((CORE / f"{name}.py").read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots = {(node.module or "").split(".")[0]}
        else:
            continue
        assert not roots & FORBIDDEN, (name, roots)
        for root in roots - ALLOWED_THIRD_PARTY:
            assert root == "__future__" or root in _stdlib(), (name, root)


def _stdlib():
    return sys.stdlib_module_names


@pytest.mark.parametrize("name", DRAW_MODULES)
def test_no_floating_point_literals_or_calls(name):
    tree = ast.parse((CORE / f"{name}.py").read_text("utf-8"))
    for node in ast.walk(tree):
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), name
        assert not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "float"), name
        if name in DRAW_PATH:  # true division would produce a float
            assert not isinstance(node, ast.Div), name
