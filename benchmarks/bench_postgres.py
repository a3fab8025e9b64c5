"""Import, evaluate and freeze the same comments on SQLite and on PostgreSQL; compare.

    .venv/bin/python benchmarks/bench_postgres.py [--comments 100000]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/giveaway_bench]

Each backend gets a fresh database (the PostgreSQL one is created when missing,
every table dropped and created again), one open contest, and the same
generated CSV file. The phases are the functions the CLI calls:
``import_comments`` (``flask import-comments``), ``evaluate_contest``
(``flask entries evaluate``), ``close_contest`` and ``freeze_contest``
(``flask contest freeze``). Target: PostgreSQL within 2x the SQLite time end
to end, with no manual ANALYZE (the app analyses what it bulk-writes).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_import import write_file  # noqa: E402 (after the path set-up)
from benchapp import bench_app  # noqa: E402

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/giveaway_bench"


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist."""
    import sqlalchemy as sa
    base, name = url.rsplit("/", 1)
    engine = sa.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def run(label: str, url: str, folder: Path, csv_path: Path) -> dict[str, float]:
    """Time each phase on the database at ``url``; print and return them."""
    from datetime import timedelta

    from giveaway.contests import lifecycle
    from giveaway.contests.service import ContestData, create_contest
    from giveaway.db_types import utcnow
    from giveaway.draws.freeze import freeze_contest
    from giveaway.eligibility.service import evaluate_contest
    from giveaway.extensions import db
    from giveaway.harvest.imports import import_comments
    from giveaway.partners.service import PartnerData, create_partner

    app = bench_app(str(folder), SQLALCHEMY_DATABASE_URI=url)
    times: dict[str, float] = {}
    with app.app_context():
        db.drop_all()
        db.create_all()
        create_partner(PartnerData(slug="bench", name="Bench"), "bench")
        now = utcnow()
        contest = create_contest(ContestData(
            title="Bench", public_id="bench", organiser_handle="bench",
            opens_at=now - timedelta(days=30), closes_at=now + timedelta(days=1),
            partner_slugs=["bench"], post_urls=["https://www.instagram.com/p/Cbench123/"]),
            "bench", rules_text="x")
        lifecycle.open_contest(contest, "bench")
        phases = (
            ("import", lambda: import_comments(contest, open(csv_path, "rb"), csv_path.name,
                                               "bench")),
            ("evaluate", lambda: evaluate_contest(contest, "bench")),
            ("close", lambda: lifecycle.close_contest(contest, "bench")),
            ("freeze", lambda: freeze_contest(contest, "bench")),
        )
        for name, phase in phases:
            started = time.perf_counter()
            phase()
            times[name] = time.perf_counter() - started
            print(f"{label:<10} {name:<10} {times[name]:7.2f} s", flush=True)
        total = sum(times.values())
        print(f"{label:<10} {'total':<10} {total:7.2f} s", flush=True)
        db.session.remove()
        db.engine.dispose()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    args = parser.parse_args()
    ensure_postgres_database(args.postgres)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "comments.csv"
        # One comment a second, ending now: all inside the contest's 30-day window.
        write_file(csv_path, args.comments, "csv", start=int(time.time()) - args.comments - 60)
        print(f"{args.comments:,} comments, same file on both backends")
        sqlite = run("SQLite", f"sqlite:///{folder / 'bench.sqlite'}", folder, csv_path)
        postgres = run("PostgreSQL", args.postgres, folder, csv_path)
    ratio = sum(postgres.values()) / sum(sqlite.values())
    print(f"PostgreSQL / SQLite end to end: {ratio:.2f}x (target <= 2x)")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
