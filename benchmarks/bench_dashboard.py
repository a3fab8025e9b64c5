"""Time the partner dashboard over 50 contests of 100,000 comments each.

    .venv/bin/python benchmarks/bench_dashboard.py [--contests 50] [--comments 100000]
        [--evaluate 50] [--requests 200]

Builds a fresh SQLite database in a temporary folder: one partner, its user, and
``--contests`` open contests of one post each, whose synthetic comments (a burst
after opening that fades, duplicates, a few early and late ones) are bulk
inserted as harvested comments of that post. The first ``--evaluate`` contests
get their verdicts with ``evaluate_contest`` (what a harvest or import triggers);
the others have comments but no evaluation yet (their counts read "—").

Then, logged in as the partner user through the whole WSGI stack (test
client), it requests the partner home (every contest), a contest dashboard and
its chart ``--requests`` times each and prints p50/p95/max in milliseconds.
Target: p95 <= 150 ms for the home and the contest page.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "bench password"


def synthetic(contest, post_id: int, count: int, now, seed: int):
    """Comment rows for a bulk insert: most in the first hours, a long tail, 2% early or late."""
    rng = random.Random(seed)
    span = (contest.closes_at - contest.opens_at).total_seconds()
    tags = ["#gers", "#concours", "#GÉRS", "#jeuconcours"]
    for i in range(count):
        user = rng.randrange(count // 3 + 1)
        offset = min(rng.expovariate(1 / (6 * 3600)), span - 1)
        if rng.random() < 0.02:
            offset = -rng.randrange(1, 3600) if rng.random() < 0.5 else span + rng.randrange(3600)
        mentions = " ".join(f"@ami{rng.randrange(50_000)}" for _ in range(rng.choice((1, 2, 3))))
        yield {"contest_id": contest.id, "post_id": post_id, "import_id": None, "network": "ig",
               "comment_id": f"{seed}{i:09d}", "user_id": str(40_000 + user),
               "username": f"user{user}", "text": f"Je participe {mentions} {rng.choice(tags)}",
               "created_at": contest.opens_at + timedelta(seconds=offset), "parent_id": None,
               "first_seen_at": now, "last_seen_at": now, "last_seen_run_id": None}


def build(args) -> None:
    """Create the partner, its user and the contests with their comments (and verdicts)."""
    import sqlalchemy as sa
    from giveaway.auth.service import create_user
    from giveaway.contests import lifecycle
    from giveaway.contests.service import ContestData, create_contest
    from giveaway.db_types import utcnow
    from giveaway.eligibility.rules_doc import set_rules
    from giveaway.eligibility.service import evaluate_contest
    from giveaway.extensions import db
    from giveaway.harvest.models import Comment
    from giveaway.partners.service import PartnerData, create_partner

    partner = create_partner(PartnerData(slug="bench", name="Bench"), "bench")
    create_user("partner@bench.fr", PASSWORD, "partner", partner)
    now = utcnow().replace(microsecond=0)
    started = time.perf_counter()
    for n in range(args.contests):
        contest = create_contest(ContestData(
            title=f"Bench {n}", public_id=f"bench-{n}", organiser_handle="bench",
            opens_at=now - timedelta(days=10, hours=n), closes_at=now + timedelta(days=2),
            partner_slugs=["bench"], post_urls=[f"https://www.instagram.com/p/Cbench{n}x/"]),
            "bench", rules_text="x")
        set_rules(contest, {"min_mentions": 2, "required_hashtags": ["#gers"]}, "bench")
        lifecycle.open_contest(contest, "bench")
        rows = synthetic(contest, contest.posts[0].id, args.comments, now, seed=1000 + n)
        while batch := [row for _, row in zip(range(50_000), rows)]:
            db.session.execute(sa.insert(Comment), batch)
        db.session.commit()
        if n < args.evaluate:
            evaluate_contest(contest, "bench")
        db.session.expunge_all()
        print(f"\rcontest {n + 1}/{args.contests} ready ({time.perf_counter() - started:.0f} s)",
              end="", flush=True)
    print()


def measure(client, path: str, count: int) -> str:
    """Request ``path`` ``count`` times (after two warm-ups); return a p50/p95/max line."""
    for _ in range(2):
        assert client.get(path).status_code == 200, path
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, path
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return (f"{path:50} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
            f"max {times[-1]:7.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contests", type=int, default=50)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--evaluate", type=int, default=50, help="contests to evaluate")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    from benchapp import bench_app
    from giveaway.dashboard.views import init_app
    from giveaway.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = bench_app(tmp)
        if "dashboard" not in app.blueprints:
            init_app(app)
        with app.app_context():
            db.create_all()
            build(args)
        client = app.test_client()
        assert client.post("/login", data={"email": "partner@bench.fr",
                                           "password": PASSWORD}).status_code == 302
        evaluated = f"bench-{max(0, min(args.evaluate, args.contests) - 1)}"
        print(f"{args.contests} contests x {args.comments:,} comments; "
              f"{min(args.evaluate, args.contests)} evaluated; {args.requests} requests each")
        for path in ("/dashboard/", f"/dashboard/contests/{evaluated}",
                     f"/dashboard/contests/{evaluated}/chart.svg", "/dashboard/export.csv"):
            print(measure(client, path, args.requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
