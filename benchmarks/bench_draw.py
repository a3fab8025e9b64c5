"""Benchmark the draw core on N synthetic entries: time and peak memory per phase.

    python benchmarks/bench_draw.py --entries 1000000            # gdraw-v2 (default)
    python benchmarks/bench_draw.py --entries 1000000 --protocol gdraw-v1

Phases: leaf hashing, sort/dedupe, Merkle root, selection (together: the
draw), certificate and leaf-list file, then a full verification as the CLI
runs it (parse the leaf list file, every check including drand BLS and the
Ed25519 signature).  Memory is the process's peak resident set size
(``ru_maxrss``), which only grows: read each line as "peak so far".
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from giveaway.core import (DrandBeacon, QUICKNET, all_passed, build_certificate, draw,
                           entry_leaves,
                           freeze_leaves, load_document, load_leaf_list, merkle_root, new_salt,
                           new_seed, sign_document, verify_certificate, write_leaf_list)
from giveaway.core.certificate import build_certificate_v2
from giveaway.core.declaration import build_declaration, drand_declaration, parse_declaration
from giveaway.core.encoding import canonical_json
from giveaway.core.signing import load_or_create_signing_key

T = TypeVar("T")
# drand quicknet round 123 (a real round, so the BLS check is the real cost).
ROUND_123_SIGNATURE = bytes.fromhex("b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486"
                                    "d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92")


def peak_mib() -> int:
    """Return the peak resident set size so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def timed(label: str, fn: Callable[[], T], totals: dict[str, int]) -> T:
    start = time.perf_counter_ns()
    value = fn()
    elapsed = time.perf_counter_ns() - start
    totals[label] = elapsed
    print(f"{label:<28} {elapsed / 1e9:8.3f} s   peak RSS {peak_mib():5d} MiB", flush=True)
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--winners", type=int, default=3)
    parser.add_argument("--alternates", type=int, default=10)
    parser.add_argument("--protocol", choices=("gdraw-v2", "gdraw-v1"), default="gdraw-v2")
    args = parser.parse_args(argv)
    n, k, a = args.entries, args.winners, args.alternates
    seed, salt, draw_id = new_seed(), new_salt(), "bench"
    beacon = DrandBeacon(QUICKNET.chain_hash, 123, ROUND_123_SIGNATURE)
    frozen_at = dt.datetime(2023, 8, 23, 15, 0, tzinfo=dt.timezone.utc)  # round 123: 15:15:33
    drawn_at = dt.datetime(2023, 8, 23, 15, 20, tzinfo=dt.timezone.utc)
    v2 = args.protocol == "gdraw-v2"
    declaration = build_declaration(
        draw_id=draw_id, salt=salt, method="gdraw", winners=k, alternates=a,
        beacon=drand_declaration(123, QUICKNET.chain_hash),
        opens_at=frozen_at - dt.timedelta(hours=1), closes_at=frozen_at - dt.timedelta(minutes=30),
        rules_sha256="00" * 32, eligibility_sha256="00" * 32,
        committed_at=frozen_at - dt.timedelta(hours=2))
    digest = parse_declaration(declaration).digest if v2 else None
    t: dict[str, int] = {}
    print(f"{args.protocol}: N = {n:,}, k = {k}, a = {a}; Python {sys.version.split()[0]}")
    print(f"{'start':<28} {'':>8}     peak RSS {peak_mib():5d} MiB")
    keys = timed("make synthetic keys", lambda: [f"ig:{10**9 + 7 * i}" for i in range(n)], t)
    raw = timed("draw: leaf hashing", lambda: entry_leaves(salt, keys), t)
    keys.clear()
    leaves = timed("draw: sort + dedupe", lambda: freeze_leaves(raw), t)
    raw.clear()
    root = timed("draw: Merkle root", lambda: merkle_root(leaves), t)
    result = timed("draw: selection", lambda: draw(seed, draw_id, winners=k, alternates=a,
                                                   beacon=beacon, root=root,
                                                   count=len(leaves),
                                                   declaration_digest=digest), t)
    drawn = sum(t[p] for p in t if p.startswith("draw:"))
    print(f"{'= draw total':<28} {drawn / 1e9:8.3f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        key = load_or_create_signing_key(folder / "key.pem")

        def certify() -> bytes:
            write_leaf_list(folder / "leaves.txt", leaves)
            if v2:
                doc = build_certificate_v2(declaration=declaration, seed=seed, beacon=beacon,
                                           result=result, leaves=leaves,
                                           leaves_location="leaves.txt", frozen_at=frozen_at,
                                           drawn_at=drawn_at)
            else:
                doc = build_certificate(draw_id=draw_id, seed=seed, salt=salt, winners=k,
                                        alternates=a, beacon=beacon, result=result,
                                        leaves=leaves, leaves_location="leaves.txt",
                                        frozen_at=frozen_at, committed_at=frozen_at)
            return canonical_json(sign_document(doc, key))

        data = timed("certificate + leaf file", certify, t)
        leaves.clear()  # the verifier reads its own copy from the file
        listed = timed("verify: read leaf list", lambda: load_leaf_list("leaves.txt", folder), t)
        results = timed("verify: all checks", lambda: verify_certificate(load_document(data),
                                                                         listed), t)
    verified = t["verify: read leaf list"] + t["verify: all checks"]
    print(f"{'= verification total':<28} {verified / 1e9:8.3f} s   (target ≤ 2.5 s at 1,000,000)")
    verdict = "passed" if all_passed(results) else "FAILED"
    print(f"peak RSS {peak_mib()} MiB; verification {verdict}")
    return 0 if all_passed(results) else 1


if __name__ == "__main__":
    sys.exit(main())
