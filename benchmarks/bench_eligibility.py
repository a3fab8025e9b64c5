"""Evaluate 1,000,000 stored comments and time the review screen's first page.

    .venv/bin/python benchmarks/bench_eligibility.py [--comments 1000000]

Builds a fresh SQLite database in a temporary folder and stores synthetic
comments with the app's own store: mentions and hashtags, duplicates, late
ones, 2 % sharing a few long texts and some bursts (so flags are computed and
stored too). Then, in a fresh process (so that its peak memory is the
evaluation's own), runs ``evaluate_contest`` (what ``flask entries evaluate``
calls: stream, evaluate, flag, store every verdict); then requests review pages
through the whole WSGI stack, first request (cold) and best of three.
Targets: evaluation <= 30 s with flat memory, first page <= 300 ms.
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchapp import bench_app, peak_rss_mb  # noqa: E402 (after the path set-up)


LONG_TEXTS = [f"Trop beau ce coffret numéro {n}, je tente ma chance avec grand plaisir !"
              for n in range(50)]


def synthetic(count: int, opens, closes, seed: int = 5):
    """``count`` comments; every 1,000th starts a burst (5 comments of one account in 40 s)."""
    from giveaway.core.sources import RawComment
    rng = random.Random(seed)
    span = int((closes - opens).total_seconds())
    tags = ["#gers", "#concours", "#GÉRS", "#jeuconcours"]
    burst = None
    for i in range(count):
        user = rng.randrange(count // 3 + 1)
        late = rng.random() < 0.03
        created = opens + timedelta(seconds=rng.randrange(span) + (span if late else 0))
        if i % 1000 == 0:
            burst = (user, created, 5)
        if burst and burst[2]:
            user, start, left = burst
            created, burst = start + timedelta(seconds=10 * (5 - left)), (user, start, left - 1)
        mentions = " ".join(f"@ami{rng.randrange(50_000)}" for _ in range(rng.choice((0, 1, 2, 2, 3))))
        text = rng.choice(LONG_TEXTS) if rng.random() < 0.02 else "Je participe"
        yield RawComment(comment_id=str(18_000_000_000_000_000 + i), user_id=str(40_000 + user),
                         username=f"user{user}", text=f"{text} {mentions} {rng.choice(tags)}",
                         created_at=created)


def build(folder: str, comments: int) -> None:
    """Create the database: a staff account, an open contest, its stored comments."""
    from giveaway.auth.service import create_user
    from giveaway.contests import lifecycle
    from giveaway.contests.service import ContestData, create_contest
    from giveaway.db_types import utcnow
    from giveaway.eligibility.rules_doc import set_rules
    from giveaway.extensions import db
    from giveaway.harvest.store import store_comments
    from giveaway.partners.service import PartnerData, create_partner

    with bench_app(folder).app_context():
        db.create_all()
        create_user("bench@example.fr", "bench password", "staff")
        create_partner(PartnerData(slug="bench", name="Bench"), "bench")
        now = utcnow()
        contest = create_contest(ContestData(
            title="Bench", public_id="bench", organiser_handle="bench",
            opens_at=now - timedelta(days=7), closes_at=now + timedelta(days=1),
            partner_slugs=["bench"], post_urls=["https://www.instagram.com/p/Cbench123/"]),
            "bench", rules_text="x")
        set_rules(contest, {"min_mentions": 2, "required_hashtags": ["#gers"]}, "bench")
        lifecycle.open_contest(contest, "bench")
        started = time.perf_counter()
        batch = []
        for comment in synthetic(comments, contest.opens_at, contest.closes_at):
            batch.append(comment)
            if len(batch) == 10_000:
                store_comments(contest.id, batch, now)
                batch = []
        store_comments(contest.id, batch, now)
        db.session.commit()
        print(f"stored              {comments:,} comments in "
              f"{time.perf_counter() - started:.1f} s (setup, not measured)", flush=True)


def evaluate(folder: str) -> None:
    """Evaluate the contest (run in its own process: its peak RSS is the evaluation's)."""
    from giveaway.contests.service import get_contest
    from giveaway.eligibility.service import evaluate_contest

    with bench_app(folder).app_context():
        contest = get_contest("bench")
        before = peak_rss_mb()
        started = time.perf_counter()
        totals = evaluate_contest(contest, "bench").totals
        seconds = time.perf_counter() - started
    print(f"evaluate + store    {seconds:.1f} s (target <= 30 s): {totals['counted']:,} "
          f"counted, {totals['excluded']:,} excluded, flags {totals['by_flag']}")
    print(f"peak RSS            {peak_rss_mb():.0f} MiB (app loaded, before evaluating: "
          f"{before:.0f} MiB)")


def review(folder: str) -> None:
    client = bench_app(folder).test_client()
    client.post("/login", data={"email": "bench@example.fr", "password": "bench password"})
    for path in ("/contests/bench/entries", "/contests/bench/entries?verdict=excluded",
                 "/contests/bench/entries?reason=late", "/contests/bench/entries?flag=burst",
                 "/contests/bench/entries?q=user123", "/contests/bench/entries?page=2000"):
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            status = client.get(path).status_code
            timings.append((time.perf_counter() - started) * 1000)
        print(f"review page   cold {timings[0]:4.0f} ms, best {min(timings):4.0f} ms  {status}  "
              f"{path} (target <= 300 ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--evaluate-in", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.evaluate_in:
        evaluate(args.evaluate_in)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        build(folder, args.comments)
        subprocess.run([sys.executable, __file__, "--evaluate-in", folder], check=True)
        review(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
