"""The iterative Merkle tree against a literal RFC 6962 implementation."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giveaway.core import InvalidInput, audit_path, merkle_root, verify_audit_path
from giveaway.core.merkle import root_from_audit_path

FEW = settings(max_examples=40, deadline=None, derandomize=True, database=None)


def _k(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def rfc6962_root(d):
    if len(d) == 1:
        return d[0]
    k = _k(len(d))
    return hashlib.sha256(b"\x01" + rfc6962_root(d[:k]) + rfc6962_root(d[k:])).digest()


def rfc6962_path(m, d):
    if len(d) == 1:
        return []
    k = _k(len(d))
    if m < k:
        return rfc6962_path(m, d[:k]) + [rfc6962_root(d[k:])]
    return rfc6962_path(m - k, d[k:]) + [rfc6962_root(d[:k])]


def leaves_of(n):
    return [hashlib.sha256(i.to_bytes(4, "big")).digest() for i in range(n)]


@given(st.integers(1, 70), st.data())
@FEW
def test_root_and_paths_equal_rfc6962(n, data):
    leaves = leaves_of(n)
    root = merkle_root(leaves)
    assert root == rfc6962_root(leaves)
    m = data.draw(st.integers(0, n - 1))
    path = audit_path(leaves, m)
    assert path == rfc6962_path(m, leaves)
    assert verify_audit_path(leaves[m], m, n, path, root)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17])
def test_every_path_of_small_trees(n):
    leaves = leaves_of(n)
    root = merkle_root(leaves)
    for m in range(n):
        path = audit_path(leaves, m)
        assert verify_audit_path(leaves[m], m, n, path, root)
        assert not verify_audit_path(leaves[(m + 1) % n], m, n, path, root) or n == 1
        if path:
            assert not verify_audit_path(leaves[m], m, n, path[:-1], root)
            assert not verify_audit_path(leaves[m], m, n, path + [root], root)


def test_bad_inputs():
    with pytest.raises(InvalidInput, match="entries.count"):
        merkle_root([])
    with pytest.raises(InvalidInput, match="index"):
        audit_path(leaves_of(3), 3)
    assert not verify_audit_path(leaves_of(1)[0], 1, 1, [], b"")
    with pytest.raises(InvalidInput, match="audit_path"):
        root_from_audit_path(leaves_of(1)[0], 0, 4, [])
