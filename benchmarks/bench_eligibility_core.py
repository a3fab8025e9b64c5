"""Benchmark the pure eligibility engine on synthetic comments.

Usage::

    .venv/bin/python benchmarks/bench_eligibility_core.py [--n 1000000] [--per-comment]
        [--flags] [--tracemalloc]

Prints the time to build the synthetic input (not part of the measure), the
seconds taken by ``evaluate`` (and ``compute_flags`` with ``--flags``) and
the memory: peak RSS growth during the measured step (from ``getrusage``), or
the exact Python allocation peak with ``--tracemalloc`` (which slows the run
about threefold, so its timings are not representative).
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from giveaway.core.eligibility import (
    EligibilityRules,
    EvaluationContext,
    compute_flags,
    evaluate,
    tally,
)

OPENS = datetime(2026, 5, 12, 8, 0, tzinfo=timezone.utc)
CLOSES = OPENS + timedelta(days=7)
PHRASES = (
    "Je participe ! {m} #Gers 🍷",
    "Super concours, merci 😍 {m} #gers #vin",
    "{m} on tente notre chance #GÉRS",
    "Trop bien ce domaine ! {m}",
    "Ｊｅ ｔｅｎｔｅ {m} ＃Ｇｅｒｓ",
    "Bonne chance à tous {m} #gers\u200b",
    "Avec plaisir {m} #gers, merci au vignoble pour ce beau lot à gagner !",
)


@dataclass(frozen=True, slots=True)
class Comment:
    """Stand-in for ``giveaway.core.sources`` records."""

    comment_id: str
    user_id: str
    username: str
    text: str
    created_at: datetime
    parent_id: str | None = None
    network: str = "ig"
    deleted: bool = False


def synthetic(n: int, seed: int = 2026) -> list[Comment]:
    """Return ``n`` comments from about ``n / 3`` accounts, 2–3 mentions each, some edge cases."""
    rng = random.Random(seed)
    accounts = max(1, n // 3)
    span = int((CLOSES - OPENS).total_seconds()) + 7200
    out = []
    for i in range(n):
        user = rng.randrange(accounts)
        mentions = " ".join(
            f"@friend{rng.randrange(accounts)}" for _ in range(rng.choice((1, 2, 2, 3)))
        )
        out.append(
            Comment(
                comment_id=str(17_900_000_000_000_000 + i),
                user_id=str(1_000_000 + user),
                username=f"user{user}" if rng.random() > 0.01 else f"user{user}_new",
                text=rng.choice(PHRASES).format(m=mentions),
                created_at=OPENS + timedelta(seconds=rng.randrange(-3600, span)),
                parent_id=str(17_800_000_000_000_000 + i) if rng.random() < 0.05 else None,
                deleted=rng.random() < 0.01,
            )
        )
    # Harvest order (allocation order) is not time order: evaluate must sort.
    return out


def rss_mb() -> float:
    """Return the peak resident set size so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label: str, func, use_tracemalloc: bool):
    """Run ``func()``, print its time and memory, return its result."""
    gc.collect()
    before = rss_mb()
    if use_tracemalloc:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    result = func()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    timing = f"{label}: {seconds:.2f} s wall, {cpu:.2f} s CPU"
    if use_tracemalloc:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"{timing}, tracemalloc peak {peak / 2**20:.0f} MiB")
    else:
        print(f"{timing}, peak RSS {rss_mb():.0f} MiB (+{rss_mb() - before:.0f} MiB)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--flags", action="store_true", help="also time compute_flags")
    parser.add_argument(
        "--per-comment",
        action="store_true",
        help="count per comment (cap 5, mentions must be new) instead of per account",
    )
    parser.add_argument("--tracemalloc", action="store_true", help="exact allocation peak (slow)")
    args = parser.parse_args()

    start = time.perf_counter()
    comments = synthetic(args.n)
    print(
        f"built {args.n:,} comments in {time.perf_counter() - start:.1f} s, RSS {rss_mb():.0f} MiB"
    )
    rules = EligibilityRules(
        opens_at=OPENS,
        closes_at=CLOSES,
        min_mentions=2,
        required_hashtags=("Gers",),
        organiser_handles=("gers_tourisme",),
        partner_handles=("domaine_du_vignoble",),
        staff_handles=("user12", "user34"),
        recent_winner_days=90,
    )
    if args.per_comment:
        rules = rules.replace(
            counting="per_comment", max_entries_per_account=5, mentions_must_be_new=True
        )
    context = EvaluationContext.from_identifiers(
        blocked=["@user56", "1000078"], recent_winners=["1000090"]
    )
    verdicts = measure("evaluate", lambda: evaluate(comments, rules, context), args.tracemalloc)
    counts = tally(verdicts)
    print(
        "counted",
        counts["counted"],
        "excluded",
        counts["excluded"],
        dict(
            Counter({k: v for k, v in counts.items() if k not in ("total", "counted", "excluded")})
        ),
    )
    del verdicts
    if args.flags:
        flags = measure("compute_flags", lambda: compute_flags(comments, rules), args.tracemalloc)
        print(
            "flagged comments",
            len(flags),
            dict(Counter(flag.code for found in flags.values() for flag in found)),
        )


if __name__ == "__main__":
    main()
