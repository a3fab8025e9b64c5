"""Benchmark the draw through the app: freeze, draw, certificate JSON and PDF, browser check.

    .venv/bin/python benchmarks/bench_draw_app.py [--entries 100000] [--runs 3]

Builds a fresh SQLite database in a temporary folder with one contest on declared
public values (RFC 3797, "Loto") and N counted entries (N distinct accounts,
stored with the app's own ``store_comments``), closes it, then times:

* ``freeze.freeze_contest`` (the final evaluation, the leaf list, its Merkle
  root) and ``service.run_draw`` with declared values (no beacon to wait for):
  target freeze + draw <= 5 s;
* ``GET /c/<id>.json`` and ``GET /c/<id>.pdf`` through the test client (the
  whole WSGI stack): target <= 2 s each;
* the in-browser verification on the real page, served by werkzeug on
  127.0.0.1, in headless Chromium: click -> verdict (downloads of the
  certificate and of the leaf list included): target <= 5 s.

Needs the ``playwright`` Python package and ``/usr/bin/chromium`` (or
``$GIVEAWAY_CHROMIUM``).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BATCH = 10_000
DECLARED = [[9319], [2, 5, 12, 8, 10]]


def synthetic(count: int, opens: datetime, until: datetime) -> Iterator:
    """N comments from N distinct accounts, spread between ``opens`` and ``until``."""
    from giveaway.core.sources import RawComment
    step = (until - opens) / (count + 1)
    for i in range(count):
        yield RawComment(comment_id=str(18_000_000_000_000_000 + i), user_id=str(50_000 + i),
                         username=f"participant{i}", text=f"Je participe #{i}",
                         created_at=opens + step * (i + 1))


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def build(app, entries: int):
    """The drawn contest's public id, with the close/freeze/draw timings."""
    from giveaway.auth.service import create_user
    from giveaway.contests import lifecycle
    from giveaway.contests.service import ContestData, create_contest
    from giveaway.db_types import utcnow
    from giveaway.draws import freeze, service
    from giveaway.draws.commitment import BeaconChoice
    from giveaway.extensions import db
    from giveaway.harvest.store import store_comments
    from giveaway.partners.service import PartnerData, create_partner

    db.create_all()
    create_user("staff@bench.fr", "bench password", "staff")
    create_partner(PartnerData(slug="vins-du-gers", name="Vins du Gers"), "bench")
    now = utcnow().replace(microsecond=0)
    contest = create_contest(ContestData(
        title="Coffret de Noël", public_id="bench", organiser_handle="gers_tourisme",
        opens_at=now - timedelta(hours=2), closes_at=now + timedelta(days=7),
        partner_slugs=["vins-du-gers"], post_urls=["https://www.instagram.com/p/Cbench123/"],
        prize_description="Un coffret", winners=3, alternates=10),
        "bench", rules_text="# Règlement\nTrois gagnants.")
    lifecycle.open_contest(contest, "bench",
                           beacon=BeaconChoice(kind="rfc3797", description="Loto"))
    started = time.perf_counter()
    batch = []
    for comment in synthetic(entries, contest.opens_at, utcnow() - timedelta(minutes=1)):
        batch.append(comment)
        if len(batch) == BATCH:
            store_comments(contest.id, batch, now)
            batch = []
    if batch:
        store_comments(contest.id, batch, now)
    db.session.commit()
    print(f"setup: {entries:,} comments stored in {time.perf_counter() - started:.1f} s "
          "(not measured)")
    _, close_s = timed(lambda: lifecycle.close_contest(contest, "bench"))
    frozen, freeze_s = timed(lambda: freeze.freeze_contest(contest, "bench"))
    record, draw_s = timed(lambda: service.run_draw(contest, "staff@bench.fr",
                                                    declared=DECLARED))
    if frozen.count != entries:
        raise SystemExit(f"{frozen.count:,} entries counted, expected {entries:,}")
    picks = len(record.result["winners"]) + len(record.result["alternates"])
    print(f"close_contest                        {close_s:6.2f} s")
    print(f"freeze_contest (final evaluation)    {freeze_s:6.2f} s  N = {frozen.count:,}")
    print(f"run_draw (declared values)           {draw_s:6.2f} s  {picks} picked")
    total = close_s + freeze_s + draw_s
    print(f"close + freeze + draw                {total:6.2f} s  (target <= 5 s, "
          "beacon excluded)")
    public_id = contest.public_id
    db.session.remove()
    return public_id, total


def certificate_requests(app, public_id: str) -> list[float]:
    client = app.test_client()
    out = []
    for suffix, magic in ((".json", b"{"), (".pdf", b"%PDF")):
        response, seconds = timed(lambda: client.get(f"/c/{public_id}{suffix}"))
        if response.status_code != 200 or not response.data.startswith(magic):
            raise SystemExit(f"GET /c/{public_id}{suffix}: {response.status}")
        print(f"{f'GET /c/{public_id}{suffix}':<37}{seconds:6.2f} s  "
              f"(target <= 2 s) {len(response.data) / 1024:,.0f} KiB")
        out.append(seconds)
    return out


def browser_runs(app, public_id: str, runs: int) -> list[float]:
    """Seconds from click to verdict on the real page served by the app, a fresh page per run."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from bench_browser_verify import browser_runs as time_clicks

    class Quiet(WSGIRequestHandler):
        def log(self, *args) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        times = time_clicks(f"http://127.0.0.1:{server.server_port}/c/{public_id}", runs)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    print(f"browser click -> verdict (real page) {statistics.median(times):6.2f} s  "
          f"(target <= 5 s) median of {runs}: " + ", ".join(f"{t:.2f}" for t in times))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from benchapp import bench_app
    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(tmp, RATELIMIT_STORAGE_URI="memory://", ORGANISER_HANDLE="gers_tourisme")
        with app.app_context():
            public_id, draw_s = build(app, args.entries)
        json_s, pdf_s = certificate_requests(app, public_id)
        browser_s = statistics.median(browser_runs(app, public_id, args.runs))
        from giveaway.extensions import db
        with app.app_context():
            db.engine.dispose()
    ok = draw_s <= 5 and json_s <= 2 and pdf_s <= 2 and browser_s <= 5
    print("all targets met" if ok else "some target missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
