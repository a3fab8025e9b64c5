"""Pytest plugin: ``local_tsa``, a real RFC 3161 authority on 127.0.0.1 (see tsa_server.py).

The CA, the TSA certificate and the server live for the whole session; each
test gets the server answering normally, and whatever it changed (failure
mode, port closed) is undone after it.
"""
from __future__ import annotations

import pytest
from tsa_server import LocalTSA


@pytest.fixture(scope="session")
def _tsa_server(tmp_path_factory):
    tsa = LocalTSA(tmp_path_factory.mktemp("tsa"))
    yield tsa
    tsa.down()


@pytest.fixture
def local_tsa(_tsa_server):
    """The local TSA: ``.url``, ``.ca_pem``, ``.fail()``, ``.reject()``, ``.down()``, ``.up()``."""
    _tsa_server.reset()
    yield _tsa_server
    _tsa_server.reset()
