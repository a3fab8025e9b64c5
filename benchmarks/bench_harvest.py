"""Harvest a large post from the fake Instagram and report our overhead per page.

    .venv/bin/python benchmarks/bench_harvest.py [--comments 50000] [--page-size 20]

The fake server runs in its own process so it does not share our GIL; it
reports the time it spent answering. Our overhead per page is the wall time
minus that, divided by the number of pages: instagrapi, requests, the local
TCP round trip and our own loop. Target: <= 10 ms per page.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fake_instagram import fixture_settings  # noqa: E402

from giveaway.sources.harvest import harvest  # noqa: E402
from giveaway.sources.instagram import (  # noqa: E402
    InstagramCommentSource,
    close_client,
    make_client,
    resolve_post,
)

TARGET_MS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--reply-rate", type=float, default=0.0)
    args = parser.parse_args()

    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
    server = subprocess.Popen(
        [sys.executable, "-m", "fake_instagram", "--comments", str(args.comments),
         "--page-size", str(args.page_size), "--reply-rate", str(args.reply_rate)],
        stdout=subprocess.PIPE, env=env, text=True)
    try:
        fake = json.loads(server.stdout.readline())
        client = make_client(fixture_settings(), api_base=fake["base_url"], timeout=10,
                             delay_range=None)
        post = resolve_post(client, fake["post_url"])
        seen: set[str] = set()

        def on_page(page) -> None:
            seen.update(c.comment_id for c in page.comments)

        started = time.perf_counter()
        result = harvest(InstagramCommentSource(client, post, include_replies=True), None,
                         on_page, sleep=lambda seconds: None)
        wall = time.perf_counter() - started
        stats = requests.get(fake["base_url"] + "__fake__/stats", timeout=10).json()
        close_client(client)
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()

    pages = result.pages
    overhead_ms = (wall - stats["server_seconds"]) / pages * 1000
    print(f"end reason          {result.end_reason} ({len(result.errors)} errors)")
    print(f"comments harvested  {len(seen):,} of {fake['total']:,}")
    print(f"pages               {pages:,} (server requests: {stats['requests']})")
    print(f"wall time           {wall:.2f} s ({len(seen) / wall:,.0f} comments/s)")
    print(f"server time         {stats['server_seconds']:.2f} s")
    print(f"overhead per page   {overhead_ms:.2f} ms (target <= {TARGET_MS:.0f} ms)")
    ok = result.complete and len(seen) == fake["total"] and overhead_ms <= TARGET_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
