"""Fixtures of the in-browser verifier tests: a local site and headless Chromium.

Chromium is Debian's (``/usr/bin/chromium``, or ``$GIVEAWAY_CHROMIUM``), driven
by Playwright's Python API; no browser is downloaded.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

# core_testkit (honest certificates, the vectors) lives beside the core tests, which are
# not a package: it is imported by name, as they do.
CORE_TESTS = str(Path(__file__).resolve().parents[1] / "core")
if CORE_TESTS not in sys.path:
    sys.path.insert(0, CORE_TESTS)

from giveaway.core import load_or_create_signing_key  # noqa: E402

from .browser_kit import Driver, Site, launch  # noqa: E402


@pytest.fixture(scope="session")
def site() -> Iterator[Site]:
    served = Site()
    yield served
    served.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def signing_key(tmp_path_factory):
    return load_or_create_signing_key(tmp_path_factory.mktemp("keys") / "draw-key.pem")


@pytest.fixture(scope="session")
def driver(browser: Browser, site: Site) -> Iterator[Driver]:
    """One page for the whole session: each verification opens a new verify page in it."""
    page_driver = Driver(browser, site)
    yield page_driver
    page_driver.close()
