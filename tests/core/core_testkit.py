"""Helpers shared by the draw-core tests: the vectors file and honest certificates."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from giveaway.core import (Beacon, DeclaredValuesBeacon, DrandBeacon, NoBeacon,
                           build_certificate, draw, draw_rfc3797, freeze_entries)

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "gdraw-v1-vectors.json").read_text("utf-8"))
CASES: list[dict[str, Any]] = VECTORS["cases"]
DRAND = VECTORS["drand_quicknet"]
UTC = dt.timezone.utc
COMMITTED_AT = dt.datetime(2023, 8, 22, 9, 0, tzinfo=UTC)
FROZEN_AT = dt.datetime(2023, 8, 23, 15, 0, tzinfo=UTC)  # round 123 is at 15:15:33


def case_named(fragment: str) -> dict[str, Any]:
    """Return the vectors case whose name contains ``fragment``."""
    (found,) = [c for c in CASES if fragment in c["name"]]
    return found


def beacon_of(spec: dict[str, Any] | None) -> Beacon:
    """Return the beacon object for a case's ``input.beacon``."""
    if spec is None:
        return NoBeacon()
    if spec["kind"] == "drand":
        return DrandBeacon(bytes.fromhex(spec["chain_hash"]), spec["round"],
                           bytes.fromhex(spec["signature"]))
    return DeclaredValuesBeacon(spec["key_string"])


def honest(case: dict[str, Any], method: str = "gdraw-v1",
           leaves_location: str = "leaves.txt") -> tuple[dict[str, Any], list[bytes]]:
    """Return (unsigned certificate, leaves) for a vectors case, drawn honestly."""
    inp = case["input"]
    seed, salt = bytes.fromhex(inp["seed"]), bytes.fromhex(inp["salt"])
    leaves = freeze_entries(salt, inp["entry_keys"])
    beacon = beacon_of(inp["beacon"])
    places = dict(winners=inp["winners"], alternates=inp["alternates"])
    if method == "rfc3797":
        assert isinstance(beacon, DeclaredValuesBeacon)
        result = draw_rfc3797(beacon, leaves=leaves, **places)
        seed_arg = None
    else:
        result = draw(seed, inp["draw_id"], beacon=beacon, leaves=leaves, **places)
        seed_arg = seed
    doc = build_certificate(draw_id=inp["draw_id"], seed=seed_arg, salt=salt,
                            committed_at=COMMITTED_AT, beacon=beacon, result=result,
                            leaves=leaves, leaves_location=leaves_location,
                            frozen_at=FROZEN_AT, **places)
    return doc, leaves


def certificate(seed: bytes, salt: bytes, draw_id: str, keys: list[str], winners: int,
                alternates: int, beacon: Beacon) -> tuple[dict[str, Any], list[bytes]]:
    """Return (unsigned certificate, leaves) of an honest gdraw-v1 draw."""
    leaves = freeze_entries(salt, keys)
    result = draw(seed, draw_id, winners=winners, alternates=alternates, beacon=beacon,
                  leaves=leaves)
    doc = build_certificate(draw_id=draw_id, seed=seed, salt=salt, committed_at=COMMITTED_AT,
                            winners=winners, alternates=alternates, beacon=beacon,
                            result=result, leaves=leaves, leaves_location="leaves.txt",
                            frozen_at=FROZEN_AT)
    return doc, leaves


def with_extra(case: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Return the honest unsigned certificate of ``case`` with app members ``extra``."""
    inp = case["input"]
    seed, salt = bytes.fromhex(inp["seed"]), bytes.fromhex(inp["salt"])
    leaves = freeze_entries(salt, inp["entry_keys"])
    beacon = beacon_of(inp["beacon"])
    places = dict(winners=inp["winners"], alternates=inp["alternates"])
    result = draw(seed, inp["draw_id"], beacon=beacon, leaves=leaves, **places)
    return build_certificate(draw_id=inp["draw_id"], seed=seed, salt=salt,
                             committed_at=COMMITTED_AT, beacon=beacon, result=result,
                             leaves=leaves, leaves_location="leaves.txt", frozen_at=FROZEN_AT,
                             extra=extra, **places)


def tampered(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Return a deep copy of ``doc`` with the member at dotted ``path`` set (or
    deleted when ``value`` is ``DELETE``)."""
    out = copy.deepcopy(doc)
    *parents, last = path.split(".")
    target = out
    for name in parents:
        target = target[int(name)] if isinstance(target, list) else target[name]
    if isinstance(target, list):
        target[int(last)] = value
    elif value is DELETE:
        del target[last]
    else:
        target[last] = value
    return out


DELETE = object()


def flip_hex(text: str, bit: int = 0) -> str:
    """Return hex ``text`` with one bit flipped (bit 0 = lowest bit of the last byte)."""
    data = bytearray(bytes.fromhex(text))
    data[-1 - bit // 8] ^= 1 << (bit % 8)
    return data.hex()


@contextlib.contextmanager
def serve_once(body: bytes) -> Iterator[str]:
    """Serve ``body`` for any GET on 127.0.0.1; yield the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
