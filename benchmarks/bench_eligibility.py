"""Evaluate 1,000,000 stored comments and time the review screen's first page.

    .venv/bin/python benchmarks/bench_eligibility.py [--comments 1000000]

Builds a fresh SQLite database in a temporary folder, stores synthetic comments
(with mentions and hashtags, duplicates and late ones) with the app's own
store, then runs ``evaluate_contest`` (what ``flask entries evaluate`` calls:
load, evaluate, flag, store every verdict) and requests the review page through
the whole WSGI stack. Prints seconds and peak memory. Targets: evaluation
<= 30 s, first page <= 300 ms.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(count: int, opens, closes, seed: int = 5):
    from giveaway.core.sources import RawComment
    rng = random.Random(seed)
    span = int((closes - opens).total_seconds())
    tags = ["#gers", "#concours", "#GÉRS", "#jeuconcours"]
    for i in range(count):
        user = rng.randrange(count // 3 + 1)
        mentions = " ".join(f"@ami{rng.randrange(50_000)}" for _ in range(rng.choice((0, 1, 2, 2, 3))))
        late = rng.random() < 0.03
        created = opens + timedelta(seconds=rng.randrange(span) + (span if late else 0))
        yield RawComment(comment_id=str(18_000_000_000_000_000 + i), user_id=str(40_000 + user),
                         username=f"user{user}", text=f"Je participe {mentions} {rng.choice(tags)}",
                         created_at=created)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    args = parser.parse_args()
    from giveaway import create_app
    from giveaway.auth.service import create_user
    from giveaway.contests import lifecycle
    from giveaway.contests.service import ContestData, create_contest
    from giveaway.db_types import utcnow
    from giveaway.eligibility.rules_doc import set_rules
    from giveaway.eligibility.service import evaluate_contest
    from giveaway.extensions import db
    from giveaway.harvest.store import store_comments
    from giveaway.partners.service import PartnerData, create_partner

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite",
                          "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "HUEY_IMMEDIATE": True, "PASSWORD_HASH_PROFILE": "CHEAPEST",
                          "SESSION_COOKIE_SECURE": False}, instance_path=f"{tmp}/instance")
        with app.app_context():
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
            for comment in synthetic(args.comments, contest.opens_at, contest.closes_at):
                batch.append(comment)
                if len(batch) == 10_000:
                    store_comments(contest.id, batch, now)
                    batch = []
            store_comments(contest.id, batch, now)
            db.session.commit()
            print(f"stored              {args.comments:,} comments in "
                  f"{time.perf_counter() - started:.1f} s (setup, not measured)")
            before = peak_rss_mb()
            started = time.perf_counter()
            evaluation = evaluate_contest(contest, "bench")
            seconds = time.perf_counter() - started
            totals = evaluation.totals
            print(f"evaluate + store    {seconds:.1f} s (target <= 30 s): {totals['counted']:,} "
                  f"counted, {totals['excluded']:,} excluded, {len(totals['by_flag'])} flag kinds")
            print(f"peak RSS            {peak_rss_mb():.0f} MiB (before: {before:.0f} MiB)")
            db.session.remove()
        client = app.test_client()
        client.post("/login", data={"email": "bench@example.fr", "password": "bench password"})
        timings = []
        for path in ("/contests/bench/entries", "/contests/bench/entries?verdict=excluded",
                     "/contests/bench/entries?reason=late", "/contests/bench/entries?q=user123"):
            started = time.perf_counter()
            response = client.get(path)
            timings.append((path, (time.perf_counter() - started) * 1000, response.status_code))
        for path, ms, status in timings:
            print(f"review page         {ms:6.0f} ms  {status}  {path} (target <= 300 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
