"""Fixtures for the comment sources: a fake Instagram, a routed client, a store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The fake server lives in tests/fake_instagram and is imported as ``fake_instagram``
# (by the benchmarks too). pytest's default import mode puts tests/ on sys.path
# already; this keeps it working under --import-mode=importlib.
TESTS_DIR = str(Path(__file__).resolve().parents[1])
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from fake_instagram import FakeInstagram, Sleeps, fixture_settings  # noqa: E402

from giveaway.sources.instagram import close_client, make_client  # noqa: E402


@pytest.fixture
def fake():
    with FakeInstagram() as server:
        yield server


@pytest.fixture
def client(fake):
    instance = make_client(fixture_settings(), api_base=fake.base_url, timeout=2.0,
                           delay_range=None)
    yield instance
    close_client(instance)


@pytest.fixture
def sleeps():
    return Sleeps()
