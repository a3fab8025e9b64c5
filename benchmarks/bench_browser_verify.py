"""Benchmark the in-browser verifier on a large certificate, against the command line.

    python benchmarks/bench_browser_verify.py --entries 100000

Builds a signed certificate of N synthetic entries (drand quicknet round 123,
a real round), serves it with its leaf list and the verifier
(``giveaway/static/verify/``) on 127.0.0.1, clicks the verify button in
headless Chromium and times the click → verdict (downloads, parsing, every
check: target ≤ 5 s for 100,000 entries). Then runs ``python -m giveaway.verify``
on the same files, which also checks the drand BLS signature, for comparison.

Needs the ``playwright`` Python package and a Chromium: ``/usr/bin/chromium``,
or the path in ``$GIVEAWAY_CHROMIUM``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from giveaway.core import (QUICKNET, DrandBeacon, build_certificate, draw, entry_leaves,
                           freeze_leaves, load_or_create_signing_key, sign_document,
                           write_leaf_list)

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "giveaway" / "static"
ROUND_123_SIGNATURE = bytes.fromhex("b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486"
                                    "d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92")
CHROMIUM = os.environ.get("GIVEAWAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Verify</title>
<script src="/static/verify/gdraw-verify.js" defer></script></head><body>
<button type="button" data-gdraw-verify data-certificate-url="/draw/certificate.json"
        data-leaves-url="/draw/leaves.txt">Verify</button>
<div id="gdraw-verify-results"></div></body></html>
"""


def build(folder: Path, n: int, winners: int, alternates: int) -> None:
    """Write certificate.json, leaves.txt and index.html for N synthetic entries in ``folder``."""
    seed, salt = bytes(range(32)), bytes(range(16))
    leaves = freeze_leaves(entry_leaves(salt, (f"ig:{10**9 + 7 * i}" for i in range(n))))
    beacon = DrandBeacon(QUICKNET.chain_hash, 123, ROUND_123_SIGNATURE)
    result = draw(seed, "bench", winners=winners, alternates=alternates, beacon=beacon,
                  leaves=leaves)
    utc = dt.timezone.utc
    doc = build_certificate(draw_id="bench", seed=seed, salt=salt, winners=winners,
                            alternates=alternates, beacon=beacon, result=result, leaves=leaves,
                            leaves_location="leaves.txt",
                            committed_at=dt.datetime(2023, 8, 22, 9, 0, tzinfo=utc),
                            frozen_at=dt.datetime(2023, 8, 23, 15, 0, tzinfo=utc))
    doc = sign_document(doc, load_or_create_signing_key(folder / "key.pem"))
    (folder / "draw").mkdir()
    (folder / "draw" / "certificate.json").write_text(json.dumps(doc, ensure_ascii=False,
                                                                 indent=2), "utf-8")
    write_leaf_list(folder / "draw" / "leaves.txt", leaves)
    (folder / "index.html").write_text(PAGE, "utf-8")
    (folder / "static").symlink_to(STATIC, target_is_directory=True)


class Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy",
                         "default-src 'none'; script-src 'self'; connect-src 'self'; "
                         "require-trusted-types-for 'script'")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def browser_runs(page_url: str, runs: int) -> list[float]:
    """Seconds from click to verdict on ``page_url``, a fresh page each run; print the checks.

    :raise SystemExit: when the browser does not verify the certificate.
    """
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(runs):
                page = browser.new_page()
                page.goto(page_url)
                started = time.perf_counter()
                page.evaluate("document.querySelector('button[data-gdraw-verify]').click()")
                page.wait_for_selector("#gdraw-verify-results[data-gdraw-verdict]",
                                       timeout=120_000)
                times.append(time.perf_counter() - started)
                verdict = page.get_attribute("#gdraw-verify-results", "data-gdraw-verdict")
                lines = page.eval_on_selector_all(
                    "#gdraw-verify-results li",
                    "items => items.map(li => li.textContent)")
                if verdict != "verified":
                    raise SystemExit("the browser did not verify the certificate:\n"
                                     + "\n".join(lines))
                page.close()
            print("\n".join(f"  {line}" for line in lines))
        finally:
            browser.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--winners", type=int, default=3)
    parser.add_argument("--alternates", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        build(folder, args.entries, args.winners, args.alternates)
        size = (folder / "draw" / "leaves.txt").stat().st_size
        print(f"N = {args.entries:,}, k = {args.winners}, a = {args.alternates}: certificate "
              f"built in {time.perf_counter() - started:.2f} s, leaf list {size / 2**20:.1f} MiB")
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            times = browser_runs(f"http://127.0.0.1:{server.server_address[1]}/index.html",
                                 args.runs)
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
        print(f"browser (headless Chromium), click → verdict, {args.runs} run(s): "
              + ", ".join(f"{t:.2f}" for t in times)
              + f" s; median {statistics.median(times):.2f} s (target ≤ 5 s; the drand BLS "
              "signature is not checked in a browser)")
        started = time.perf_counter()
        cli = subprocess.run([sys.executable, "-m", "giveaway.verify",
                              str(folder / "draw" / "certificate.json")],
                             capture_output=True, text=True, cwd=ROOT, check=False)
        elapsed = time.perf_counter() - started
        last = cli.stdout.strip().splitlines()[-1] if cli.stdout.strip() else cli.stderr.strip()
        print(f"python -m giveaway.verify (every check, BLS included): {elapsed:.2f} s, "
              f"exit {cli.returncode}: {last}")
        ok = cli.returncode == 0 and statistics.median(times) <= 5.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
