"""Parse a large generated export and report time and peak memory.

    .venv/bin/python benchmarks/bench_import.py [--rows 1000000] [--format csv|json]

The file is written to a temporary directory first (streamed, so it does not
raise the memory peak), then read back through ``CommentFile.batches``.
With ``--database`` (the default) the same file is then imported for real
into a fresh SQLite database with ``giveaway.harvest.imports.import_comments``
(what ``flask import-comments`` and the upload form call); ``--parse-only``
skips that.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchapp import peak_rss_mb  # noqa: E402 (after the path set-up)

from giveaway.sources.fileimport import CommentFile  # noqa: E402

WORDS = ["Je", "participe", "merci", "concours", "@camille.martin", "#giveaway", "😍", "bonne",
         "chance", "à", "tous", "<b>gras</b>", "\u202erlt\u202c", "trop", "beau", "\"cité\""]


def _rows(count: int, seed: int = 1, start: int = 1_700_000_000):
    rng = random.Random(seed)
    for i in range(count):
        text = " ".join(rng.choices(WORDS, k=rng.randint(2, 12)))
        parent = str(17_900_000_000_000_000 + rng.randrange(i)) if i and rng.random() < 0.1 else ""
        created = (str(start + i) if i % 2 else
                   time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(start + i)))
        yield (str(17_900_000_000_000_000 + i), str(40_000_000_000 + rng.randrange(count // 3 + 1)),
               f"user{rng.randrange(100_000)}", text, created, parent)


def write_file(path: Path, rows: int, fmt: str, start: int = 1_700_000_000) -> None:
    """Write ``rows`` generated comments, one second apart from Unix time ``start``."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        if fmt == "csv":
            writer = csv.writer(out)
            writer.writerow(["comment_id", "user_id", "username", "text", "created_at",
                             "parent_id"])
            writer.writerows(_rows(rows, start=start))
            return
        out.write("[\n")
        for i, (cid, uid, name, text, created, parent) in enumerate(_rows(rows, start=start)):
            item = {"pk": cid, "text": text, "created_at_utc": int(created) if created.isdigit()
                    else created, "user": {"pk": uid, "username": name}}
            if parent:
                item["parent_comment_id"] = parent
            out.write(("" if i == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
        out.write("\n]\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--parse-only", action="store_true", help="skip the database import")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"comments.{args.format}"
        started = time.perf_counter()
        write_file(path, args.rows, args.format)
        written = time.perf_counter() - started
        size_mb = path.stat().st_size / 2**20
        baseline = peak_rss_mb()
        started = time.perf_counter()
        with open(path, "rb") as fileobj:
            parsed = CommentFile(fileobj, args.format)
            count = sum(len(batch) for batch in parsed.batches(1000))
        seconds = time.perf_counter() - started
        print(f"file                {args.rows:,} rows, {size_mb:.1f} MiB {args.format} "
              f"(written in {written:.1f} s)")
        print(f"parsed              {count:,} comments ({parsed.duplicates} duplicates) "
              f"in {seconds:.2f} s ({count / seconds:,.0f} rows/s)")
        print(f"sha256              {parsed.sha256}")
        print(f"peak RSS            {peak_rss_mb():.0f} MiB (before parsing: {baseline:.0f} MiB)")
        if not args.parse_only:
            imported = import_into_database(path, args.format, Path(tmp))
            if imported != args.rows:
                return 1
    return 0 if count == args.rows else 1


def import_into_database(path: Path, fmt: str, folder: Path) -> int:
    """Import the file into a fresh SQLite database; print time and memory; return rows."""
    from datetime import timedelta

    from giveaway import create_app
    from giveaway.contests import lifecycle
    from giveaway.contests.service import ContestData, create_contest
    from giveaway.db_types import utcnow
    from giveaway.extensions import db
    from giveaway.harvest.imports import import_comments
    from giveaway.partners.service import PartnerData, create_partner

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
                      "SECRET_KEY": "bench"}, instance_path=str(folder / "instance"))
    with app.app_context():
        db.create_all()
        create_partner(PartnerData(slug="bench", name="Bench"), "bench")
        now = utcnow()
        contest = create_contest(ContestData(
            title="Bench", public_id="bench", organiser_handle="bench", opens_at=now,
            closes_at=now + timedelta(days=1), partner_slugs=["bench"],
            post_urls=["https://www.instagram.com/p/Cbench123/"]), "bench", rules_text="x")
        lifecycle.open_contest(contest, "bench")
        before = peak_rss_mb()
        started = time.perf_counter()
        with open(path, "rb") as fileobj:
            record = import_comments(contest, fileobj, path.name, "bench")
        seconds = time.perf_counter() - started
        print(f"imported (SQLite)   {record.rows:,} comments, {record.comments_new:,} new, "
              f"in {seconds:.1f} s ({record.rows / seconds:,.0f} rows/s; target <= 60 s)")
        print(f"peak RSS            {peak_rss_mb():.0f} MiB (before import: {before:.0f} MiB)")
        return record.rows


if __name__ == "__main__":
    sys.exit(main())
