"""The real certificate page, served by the app, verified in headless Chromium and by the CLI.

The app (``app`` fixture: a fresh database) runs under werkzeug on 127.0.0.1 in a
thread; a contest drawn on declared values (30 entries, as in tests/test_draws.py)
is opened at ``/c/<public_id>`` and its "Verify in this browser" button clicked.
The page must say "verified", with the same steps and statuses as
``python -m giveaway.verify`` on the downloaded certificate and leaf list. Then one
byte of the frozen leaves is changed in the database: both must fail, and only at
the Merkle root step. No console error (a CSP violation would show there).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import ConsoleMessage, Error
from werkzeug.serving import WSGIRequestHandler, make_server

from giveaway.draws.freeze import frozen_leaves
from giveaway.draws.models import Draw, Freeze
from giveaway.extensions import db
from test_draws import drawn_contest

from .browser_kit import BrowserReport, Driver, expected_in_browser

ROOT = Path(__file__).resolve().parents[2]
CLI_LINE = re.compile(r"^(✓|✗|!|\[ok\]|\[FAIL\]|\[!\]) ([\w-]+): ")
CLI_STATUS = {"✓": "ok", "[ok]": "ok", "✗": "fail", "[FAIL]": "fail", "!": "note", "[!]": "note"}


class QuietHandler(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def live_app(app) -> Iterator[str]:
    """The real app served on 127.0.0.1 (each request gets its own app context)."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def console(driver: Driver) -> Iterator[list[str]]:
    """Console errors and warnings of the driver's page, but a missing favicon's 404.

    The app serves no /favicon.ico, which Chromium asks for on its own; that is
    not something the page did (the Driver's own list keeps it, without its URL).
    """
    seen: list[str] = []

    def listen(message: ConsoleMessage) -> None:
        where = message.location.get("url", "")
        if message.type in ("error", "warning") and not where.endswith("/favicon.ico"):
            seen.append(f"{message.text} ({where})")

    def crash(error: Error) -> None:
        seen.append(str(error))

    driver.page.on("console", listen)
    driver.page.on("pageerror", crash)
    yield seen
    driver.page.remove_listener("console", listen)
    driver.page.remove_listener("pageerror", crash)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read()


def cli_statuses(base: str, public_id: str, folder: Path) -> tuple[int, list[tuple[str, str]]]:
    """Download the certificate and leaf list as served; run the CLI on them."""
    (folder / "c.json").write_bytes(fetch(f"{base}/c/{public_id}.json"))
    (folder / "leaves.txt").write_bytes(fetch(f"{base}/c/{public_id}/leaves.txt"))
    done = subprocess.run([sys.executable, "-m", "giveaway.verify", str(folder / "c.json"),
                           "--leaves", str(folder / "leaves.txt")],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60)
    assert done.stderr == "", done.stderr
    *lines, summary = done.stdout.splitlines()
    statuses = []
    for line in lines:
        match = CLI_LINE.match(line)
        assert match, f"unexpected CLI line {line!r}"
        statuses.append((match.group(2), CLI_STATUS[match.group(1)]))
    failures = sum(status == "fail" for _, status in statuses)
    assert summary == (f"NOT VERIFIED: {failures} check(s) failed" if failures
                       else "VERIFIED: every check passed"), done.stdout
    return done.returncode, statuses


def verify_in_browser(driver: Driver, console: list[str], url: str) -> BrowserReport:
    """Open the page (fully loaded: stylesheets, scripts, QR image), click, read the verdict."""
    console.clear()
    response = driver.page.goto(url, wait_until="load")
    assert response is not None and response.status == 200
    report = driver.run()
    assert console == []
    return report


def test_certificate_page_verifies_then_catches_a_tampered_leaf(live_app, driver, console,
                                                                 tmp_path):
    contest = drawn_contest()
    url = f"{live_app}/c/{contest.public_id}"

    report = verify_in_browser(driver, console, url)
    assert report.verdict == "verified", report.lines
    code, cli = cli_statuses(live_app, contest.public_id, tmp_path)
    assert code == 0 and all(status != "fail" for _, status in cli), cli
    assert cli[0][0] == "document" and ("merkle-root", "ok") in cli
    assert report.statuses == expected_in_browser(cli), (report.lines, cli)

    # One byte of one leaf, in the stored freeze: the last byte of a leaf no one drew,
    # so the list stays sorted and only the Merkle root can tell.
    freeze = db.session.get(Freeze, contest.id)
    result = db.session.get(Draw, contest.id).result
    picked = {pick["index"] for pick in result["winners"] + result["alternates"]}
    index = min(set(range(freeze.count)) - picked)
    data = bytearray(freeze.leaves)
    data[32 * index + 31] ^= 0x01
    db.session.execute(sa.update(Freeze).where(Freeze.contest_id == contest.id)
                       .values(leaves=bytes(data)))
    db.session.commit()
    db.session.expire_all()
    assert frozen_leaves(db.session.get(Freeze, contest.id))[index][-1] == data[32 * index + 31]

    report = verify_in_browser(driver, console, url)
    assert report.verdict == "not-verified", report.lines
    code, cli = cli_statuses(live_app, contest.public_id, tmp_path)
    assert code == 1, cli
    assert {step for step, status in cli if status == "fail"} == {"merkle-root"}
    assert report.failed == {"merkle-root"}
    assert report.statuses == expected_in_browser(cli), (report.lines, cli)
    failed = [message for step, status, message in report.lines if status == "fail"]
    assert freeze.merkle_root in failed[0]
