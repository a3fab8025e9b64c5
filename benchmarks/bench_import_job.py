"""A large comment file sent through the import page: time to the page's answer, then to the end.

    .venv/bin/python benchmarks/bench_import_job.py [--rows 60000] [--database-uri URI] [--sync]

A throw-away app on a SQLite file (or ``--database-uri``, e.g. a PostgreSQL
database of your own, emptied first) with a real job queue (Huey on SQLite
under its instance folder) and a real worker process (``flask worker``). The
file is posted to the import page as a browser would; the script then polls the
progress endpoint, as the page's script does, and prints when each phase began.
Targets: the page answers in under 1 s; the import ends in about the time the
same import took within the request. ``--sync`` also times that request (the
threshold raised so the file is imported before the page answers).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_import import write_file  # noqa: E402 (after the path set-up)
from benchapp import bench_app  # noqa: E402

PASSWORD = "bench password 123"


def make_contest(public_id: str):
    from giveaway.contests import lifecycle
    from giveaway.contests.service import ContestData, create_contest
    from giveaway.db_types import utcnow
    now = utcnow()
    contest = create_contest(ContestData(
        title="Bench", public_id=public_id, organiser_handle="bench",
        opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=1),
        partner_slugs=["bench"], post_urls=["https://www.instagram.com/p/Cbench123/"]),
        "bench", rules_text="x")
    lifecycle.open_contest(contest, "bench")
    return contest


def start_worker(app) -> subprocess.Popen:
    env = dict(os.environ, GIVEAWAY_INSTANCE_PATH=app.instance_path,
               GIVEAWAY_SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
               GIVEAWAY_SECRET_KEY=app.config["SECRET_KEY"])
    env.pop("GIVEAWAY_REDIS_URL", None)
    log = open(Path(app.instance_path) / "worker.log", "ab")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "giveaway", "worker",
                             "--workers", "1"], env=env, stdout=log, stderr=log, cwd=ROOT)


def post(client, public_id: str, body: bytes, name: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.post(f"/contests/{public_id}/import", data={"file": (io.BytesIO(body), name)},
                           content_type="multipart/form-data")
    return time.perf_counter() - started, response.status_code


def follow(client, public_id: str, started: float, every: float,
           timeout: float = 600) -> dict:
    """Poll the progress endpoint until the job ends; print each phase's first sight."""
    phases, last_text = {}, ""
    while time.perf_counter() - started < timeout:
        response = client.get(f"/contests/{public_id}/import/progress")
        if not response.is_json:
            print(f"  {time.perf_counter() - started:6.2f} s  the endpoint answered "
                  f"HTTP {response.status_code}, not JSON")
            time.sleep(every)
            continue
        job = response.get_json()["job"]
        if job is not None:
            phases.setdefault(job["phase"], time.perf_counter() - started)
            if job["text"] != last_text:
                last_text = job["text"]
                print(f"  {time.perf_counter() - started:6.2f} s  {job['percent']:3d} %  "
                      f"{last_text}")
            if job["finished"]:
                return phases
        time.sleep(every)
    raise SystemExit("the import did not end in time (see the worker's log)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--database-uri", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--poll", type=float, default=1.5,
                        help="seconds between two progress requests (the page: 1.5)")
    parser.add_argument("--sync", action="store_true",
                        help="also time the same file imported within the request")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = {"HUEY_IMMEDIATE": False}
        if args.database_uri:
            config["SQLALCHEMY_DATABASE_URI"] = args.database_uri
        app = bench_app(folder, **config)
        path = Path(folder) / "comments.csv"
        write_file(path, args.rows, "csv", start=int(time.time()) - 86_400)  # during the contest
        body = path.read_bytes()
        with app.app_context():
            from giveaway.auth.service import create_user
            from giveaway.extensions import db
            from giveaway.partners.service import PartnerData, create_partner
            if args.database_uri:
                db.drop_all()
            db.create_all()
            create_partner(PartnerData(slug="bench", name="Bench"), "bench")
            create_user("staff@bench.test", PASSWORD, "staff")
            make_contest("bench")
            if args.sync:
                make_contest("bench-sync")
            db.session.remove()
        client = app.test_client()
        client.post("/login", data={"email": "staff@bench.test", "password": PASSWORD})
        print(f"file: {args.rows:,} rows, {len(body) / 2**20:.1f} MiB; "
              f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}")
        worker = start_worker(app)
        try:
            time.sleep(2)  # the worker starts its consumer
            started = time.perf_counter()
            answered, status = post(client, "bench", body, "comments.csv")
            print(f"page answered       {answered:.2f} s (HTTP {status}; target < 1 s)")
            phases = follow(client, "bench", started, args.poll)
        finally:
            worker.terminate()
            worker.wait(30)
        for phase, at in phases.items():
            print(f"{phase:<19} from {at:.2f} s")
        print(f"total               {phases.get('done', phases.get('failed', 0)):.2f} s "
              f"(comments stored at {phases.get('evaluating', 0):.2f} s)")
        if args.sync:
            app.config["IMPORT_BACKGROUND_ROWS"] = 10**9  # below the threshold: in the request
            seconds, status = post(client, "bench-sync", body, "comments.csv")
            print(f"within the request  {seconds:.2f} s (HTTP {status}; the evaluation queued, "
                  f"not run)")
        with app.app_context():
            from giveaway.extensions import db
            db.engine.dispose()
    return 0 if "done" in phases else 1


if __name__ == "__main__":
    sys.exit(main())
