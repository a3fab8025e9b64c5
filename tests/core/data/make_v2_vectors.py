"""Write ``gdraw-v2-vectors.json``: gdraw-v2 test vectors computed with the draw core.

Run from the repository root::

    .venv/bin/python tests/core/data/make_v2_vectors.py

Every input is chosen (nothing random) and the Ed25519 key is derived from a
fixed 32-byte seed, so running it again writes the same bytes
(``tests/core/test_core_vectors_v2.py`` checks that).  The file is a test
fixture: the signing key below is public and must never sign anything real.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from giveaway.core import (DeclaredValuesBeacon, DrandBeacon, NoBeacon, Stream, audit_path,
                           canonical_json, draw, entry_leaves, format_leaf_list, freeze_entries,
                           merkle_root, sign_document, transcript)
from giveaway.core.caption import caption_code
from giveaway.core.certificate import build_certificate_v2
from giveaway.core.declaration import (NO_BEACON, build_declaration, declaration_digest,
                                       declared_values_declaration, drand_declaration,
                                       parse_declaration)
from giveaway.core.encoding import lp, u16, u32, u64
from giveaway.core.followup import build_followup, record_bytes
from giveaway.core.merkle import node_hash
from giveaway.core.protocol import commitment, derive_key
from giveaway.core.redeclaration import build_redeclaration
from giveaway.core.rfc3797 import select_positions
from giveaway.core.selection import draw_rfc3797
from giveaway.core.signing import key_id, public_key_hex
from giveaway.core.timestamps import certificate_imprint, commitment_imprint, freeze_imprint

OUT = Path(__file__).with_name("gdraw-v2-vectors.json")
V1 = Path(__file__).with_name("gdraw-v1-vectors.json")
UTC = dt.timezone.utc
#: The test signing key's private seed (public on purpose: a fixture, never a real key).
SIGNING_SEED = hashlib.sha256(b"gdraw-v2 test vectors: public test key, never use it").digest()
TWO_64 = 1 << 64


def at(text: str) -> dt.datetime:
    """The aware UTC datetime of ``YYYY-MM-DDTHH:MM:SSZ``."""
    return dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)


def _drand_round() -> dict[str, Any]:
    quicknet = json.loads(V1.read_text("utf-8"))["drand_quicknet"]
    return {"kind": "drand", "chain_hash": quicknet["chain_hash"], "round": quicknet["round"],
            "signature": quicknet["signature"]}


# Each case: what the organiser chose at opening (D's inputs), the entries, the
# randomness as published, and the instants of the freeze and the draw.
CASES: list[dict[str, Any]] = [
    {
        "name": "worked example: gdraw method, declared values",
        "note": "The worked example of docs/PROTOCOL.md (gdraw-v2).",
        "draw_id": "coffret-gers-2026", "seed": "42" * 32, "salt": "5a" * 16,
        "entry_keys": ["ig:101", "ig:202", "ig:303", "ig:404", "ig:505", "ig:202"],
        "method": "gdraw", "winners": 1, "alternates": 2,
        "declared": {"kind": "declared", "available_at": "2026-12-11T20:00:00Z",
                     "description": "Loto du vendredi 11 décembre 2026 (tirage de 20 h)",
                     "sources": [["boules", 5], ["numéro chance", 1]]},
        "opens_at": "2026-12-01T08:00:00Z", "closes_at": "2026-12-08T20:00:00Z",
        "committed_at": "2026-12-01T07:30:00Z",
        "rules_sha256": "11" * 32, "eligibility_sha256": "22" * 32,
        "frozen_at": "2026-12-09T10:00:00Z", "drawn_at": "2026-12-11T21:30:00Z",
        "beacon": {"kind": "rfc3797", "sources": [[7, 15, 3, 14, 42], [6]],
                   "description": "Loto du vendredi 11 décembre 2026 (tirage de 20 h)"},
        "leaves_location": "leaves.txt",
    },
    {
        "name": "rfc3797 method, RFC 3797 section 4 value forms",
        "note": "Values as printed: a digit string with leading zeros ('08285182' is "
                "8285182.) and a decimal number ('13.6875').",
        "draw_id": "tombola-nomcom-style", "seed": "01" * 32, "salt": "02" * 16,
        "entry_keys": [f"ig:{n}" for n in range(7001, 7021)],
        "method": "rfc3797", "winners": 3, "alternates": 2,
        "declared": {"kind": "declared", "available_at": "2026-12-15T19:00:00Z",
                     "description": "Tirages publics du mardi 15 décembre 2026",
                     "sources": [["loterie à 8 chiffres", 1], ["boules", 5],
                                 ["indice du jour", 1]]},
        "opens_at": "2026-12-01T09:00:00Z", "closes_at": "2026-12-13T23:00:00Z",
        "committed_at": "2026-12-01T09:00:00Z",
        "rules_sha256": "33" * 32, "eligibility_sha256": "44" * 32,
        "frozen_at": "2026-12-14T08:00:00Z", "drawn_at": "2026-12-15T21:00:00Z",
        "beacon": {"kind": "rfc3797", "sources": [["08285182"], [49, 3, 17, 22, 40], ["13.6875"]],
                   "description": "Tirages publics du mardi 15 décembre 2026"},
        "leaves_location": "leaves.txt",
    },
    {
        "name": "commit-only, Unicode keys",
        "note": "No external randomness (weaker, the certificate says so). 'fb:Zoé' is given "
                "once in NFC and once in NFD: one leaf.",
        "draw_id": "jeu-sans-balise", "seed": "a5" * 32, "salt": "c3" * 16,
        "entry_keys": ["ig:1001", "ig:1002", "fb:Zo\u00e9", "fb:Zoe\u0301", "ig:1003",
                       "ig:1004", "ig:1005"],
        "method": "gdraw", "winners": 2, "alternates": 1,
        "declared": {"kind": "none"},
        "opens_at": "2026-10-01T10:00:00Z", "closes_at": "2026-10-05T10:00:00Z",
        "committed_at": "2026-10-01T09:59:59Z",
        "rules_sha256": "55" * 32, "eligibility_sha256": "66" * 32,
        "frozen_at": "2026-10-05T12:00:00Z", "drawn_at": "2026-10-05T12:00:00Z",
        "beacon": None,
        "leaves_location": "leaves.txt",
    },
    {
        "name": "drand declared: real quicknet round 123",
        "note": "The round and its time are fixed in D; the signature is the real one "
                "(gdraw-v1-vectors.json, drand_quicknet). Entries count per comment.",
        "draw_id": "drand-quicknet-123", "seed": "0f" * 32, "salt": "f0" * 16,
        "entry_keys": ["ig:31/comment:9001", "ig:31/comment:9002", "ig:47/comment:9003",
                       "ig:58/comment:9004", "ig:62/comment:9005", "ig:62/comment:9006",
                       "ig:75/comment:9007", "ig:88/comment:9008", "ig:90/comment:9009"],
        "method": "gdraw", "winners": 2, "alternates": 2,
        "declared": {"kind": "drand", "round": 123},
        "opens_at": "2023-08-22T09:00:00Z", "closes_at": "2023-08-23T12:00:00Z",
        "committed_at": "2023-08-22T09:00:00Z",
        "rules_sha256": "77" * 32, "eligibility_sha256": "88" * 32,
        "frozen_at": "2023-08-23T15:00:00Z", "drawn_at": "2023-08-23T15:16:00Z",
        "beacon": "drand",
        "leaves_location": "https://concours.example/c/drand-quicknet-123/leaves.txt",
    },
    {
        "name": "redeclaration: late freeze moves to a later draw",
        "note": "Declared: Friday's draw at 20:00. The final harvest failed, so the freeze "
                "came after it: a signed redeclaration (made before the new values exist) "
                "moves to Tuesday's draw, and the certificate lists it as an anomaly.",
        "draw_id": "coffret-redeclare", "seed": "77" * 32, "salt": "99" * 16,
        "entry_keys": [f"ig:{n}" for n in range(500, 512)],
        "method": "gdraw", "winners": 2, "alternates": 2,
        "declared": {"kind": "declared", "available_at": "2026-12-04T20:00:00Z",
                     "description": "EuroMillions du vendredi 4 décembre 2026",
                     "sources": [["numéros", 5], ["étoiles", 2]]},
        "opens_at": "2026-11-20T08:00:00Z", "closes_at": "2026-12-03T20:00:00Z",
        "committed_at": "2026-11-20T08:00:00Z",
        "rules_sha256": "ab" * 32, "eligibility_sha256": "cd" * 32,
        "redeclarations": [{
            "at": "2026-12-04T18:00:00Z",
            "reason": "La récolte finale des commentaires a échoué ; gel reporté.",
            "beacon": {"kind": "declared", "available_at": "2026-12-08T20:00:00Z",
                       "description": "EuroMillions du mardi 8 décembre 2026",
                       "sources": [["numéros", 5], ["étoiles", 2]]},
        }],
        "frozen_at": "2026-12-05T09:00:00Z", "drawn_at": "2026-12-08T21:00:00Z",
        "beacon": {"kind": "rfc3797", "sources": [[5, 11, 23, 38, 44], [3, 10]],
                   "description": "EuroMillions du mardi 8 décembre 2026"},
        "leaves_location": "leaves.txt",
    },
    {
        "name": "more places than entries",
        "note": "k + a = 7 > N = 3: m = min(k + a, N) = 3 picks, all winners (min(k, N) = 3), "
                "no alternate.",
        "draw_id": "petit-jeu", "seed": "3c" * 32, "salt": "d2" * 16,
        "entry_keys": ["ig:1", "ig:2", "ig:3"],
        "method": "gdraw", "winners": 5, "alternates": 2,
        "declared": {"kind": "declared", "available_at": "2026-12-02T20:00:00Z",
                     "description": "Keno du mercredi 2 décembre 2026 (midi)",
                     "sources": [["numéros", 3]]},
        "opens_at": "2026-11-25T08:00:00Z", "closes_at": "2026-12-01T20:00:00Z",
        "committed_at": "2026-11-25T07:00:00Z",
        "rules_sha256": "0a" * 32, "eligibility_sha256": "0b" * 32,
        "frozen_at": "2026-12-02T08:00:00Z", "drawn_at": "2026-12-02T20:00:00Z",
        "beacon": {"kind": "rfc3797", "sources": [[70, 8, 61]],
                   "description": "Keno du mercredi 2 décembre 2026 (midi)"},
        "leaves_location": "leaves.txt",
    },
]

#: The follow-up chain given for the first case (after the draw, public facts only).
FOLLOWUP_EVENTS = [
    ("2026-12-12T09:00:00Z", {"kind": "status", "position": 1, "status": "contacted"}),
    ("2026-12-19T09:00:00Z", {"kind": "status", "position": 1, "status": "no_answer",
                              "replacement_position": 2}),
]
AUDIT_HEAD = "e1" * 32


def signing_key() -> Ed25519PrivateKey:
    """The fixed test key."""
    return Ed25519PrivateKey.from_private_bytes(SIGNING_SEED)


def beacon_declaration(spec: dict[str, Any]):
    """The BeaconDeclaration of a case's ``declared`` (or a redeclaration's ``beacon``)."""
    if spec["kind"] == "none":
        return NO_BEACON
    if spec["kind"] == "drand":
        return drand_declaration(spec["round"], bytes.fromhex(_drand_round()["chain_hash"]))
    return declared_values_declaration(at(spec["available_at"]), spec["description"],
                                       [tuple(s) for s in spec["sources"]])


def beacon_of(spec: Any):
    """The beacon used at the draw."""
    if spec is None:
        return NoBeacon()
    if spec == "drand":
        spec = _drand_round()
    if spec["kind"] == "drand":
        return DrandBeacon(bytes.fromhex(spec["chain_hash"]), spec["round"],
                           bytes.fromhex(spec["signature"]))
    return DeclaredValuesBeacon.from_sources(spec["sources"], spec["description"])


def transcript_fields(draw_id: str, d: bytes, count: int, root: bytes, k: int, a: int,
                      beacon: Any) -> list[list[str]]:
    """T of gdraw-v2, field by field: [label, hex]."""
    return [["TAG", b"gdraw-v2".hex()], ["lp(draw_id)", lp(draw_id.encode()).hex()],
            ["d", d.hex()], ["u32(N)", u32(count).hex()], ["root", root.hex()],
            ["u16(k)", u16(k).hex()], ["u16(a)", u16(a).hex()],
            ["lp(beacon_id)", lp(beacon.beacon_id.encode()).hex()],
            ["u64(R)", u64(beacon.round).hex()], ["lp(B)", lp(beacon.value).hex()]]


def selection_trace(key: bytes, count: int, places: int) -> list[dict[str, Any]]:
    """Steps 6-7 written out: every word drawn, the limit, below(n), j, the index picked."""
    stream = Stream(key, b"gdraw-v2")
    moved: dict[int, int] = {}
    trace = []
    for i in range(places):
        n = count - i
        limit = TWO_64 - TWO_64 % n
        words = []
        while True:
            words.append(stream.next_word())
            if words[-1] < limit:
                break
        j = i + words[-1] % n
        at_i, at_j = moved.get(i, i), moved.get(j, j)
        moved[i], moved[j] = at_j, at_i
        trace.append({"i": i, "n": n, "words": words, "limit": limit,
                      "below": words[-1] % n, "j": j, "picked": at_j})
    return trace


def rfc3797_trace(key: str, count: int, places: int) -> list[dict[str, Any]]:
    """RFC 3797 §4 written out: MD5 of each pick, the remainder, the 1-based position."""
    pool = list(range(1, count + 1))
    out = []
    for i in range(places):
        digest = hashlib.md5(u16(i) + key.encode() + u16(i)).digest()
        rank = int.from_bytes(digest, "big") % len(pool)
        out.append({"i": i, "md5": digest.hex(), "remaining": len(pool), "rank": rank,
                    "position": pool.pop(rank)})
    return out


def merkle_levels(leaves: list[bytes]) -> list[list[str]]:
    """Every level of the tree, leaves first (an odd last node is carried up)."""
    levels = [leaves]
    while len(levels[-1]) > 1:
        level = levels[-1]
        up = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        levels.append(up + ([level[-1]] if len(level) % 2 else []))
    return [[n.hex() for n in level] for level in levels]


def sealed_bytes(doc: dict[str, Any]) -> bytes:
    """The certificate file as the application seals and serves it."""
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def build_case(spec: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """One case of the file: its inputs and every value derived from them."""
    seed, salt = bytes.fromhex(spec["seed"]), bytes.fromhex(spec["salt"])
    draw_id, k, a = spec["draw_id"], spec["winners"], spec["alternates"]
    declared = beacon_declaration(spec["declared"])
    D = build_declaration(draw_id=draw_id, salt=salt, method=spec["method"], winners=k,
                          alternates=a, beacon=declared, opens_at=at(spec["opens_at"]),
                          closes_at=at(spec["closes_at"]), rules_sha256=spec["rules_sha256"],
                          eligibility_sha256=spec["eligibility_sha256"],
                          committed_at=at(spec["committed_at"]))
    parsed = parse_declaration(D)
    d = declaration_digest(D)
    c = commitment(draw_id, seed, d)

    records, previous = [], parsed.beacon
    for seq, red in enumerate(spec.get("redeclarations", []), start=1):
        new = beacon_declaration(red["beacon"])
        records.append(sign_document(build_redeclaration(
            declaration=parsed, seq=seq, at=at(red["at"]), reason=red["reason"],
            previous=previous, beacon=new), key))
        previous = new

    per_key = entry_leaves(salt, spec["entry_keys"])
    leaves = freeze_entries(salt, spec["entry_keys"])
    root = merkle_root(leaves)
    beacon = beacon_of(spec["beacon"])
    t = transcript(draw_id, len(leaves), root, k, a, beacon, d)
    derived = derive_key(seed, t)
    places = min(k + a, len(leaves))
    if spec["method"] == "rfc3797":
        result = draw_rfc3797(beacon, winners=k, alternates=a, leaves=leaves)
        rfc = rfc3797_trace(beacon.key_string, len(leaves), places)
        assert [s["position"] for s in rfc] == select_positions(beacon.key_string,
                                                               len(leaves), places)
        assert [s["position"] - 1 for s in rfc] == [*result.winners, *result.alternates]
        trace = None
    else:
        result = draw(seed, draw_id, winners=k, alternates=a, beacon=beacon, leaves=leaves,
                      declaration_digest=d)
        assert (result.transcript, result.key) == (t, derived)
        trace = selection_trace(derived, len(leaves), places)
        assert [s["picked"] for s in trace] == [*result.winners, *result.alternates]
        rfc = None

    cert = build_certificate_v2(declaration=D, seed=seed, beacon=beacon, result=result,
                                leaves=leaves, leaves_location=spec["leaves_location"],
                                frozen_at=at(spec["frozen_at"]), drawn_at=at(spec["drawn_at"]),
                                redeclarations=records)
    signed = sign_document(cert, key)
    body = sealed_bytes(signed)
    expected: dict[str, Any] = {
        "declaration": D,
        "declaration_canonical": canonical_json(D).decode("utf-8"),
        "declaration_sha256": d.hex(),
        "commitment": c.hex(),
        "caption_code": caption_code("gdraw-v2", draw_id, c),
        "entry_leaves": [leaf.hex() for leaf in per_key],
        "leaves_sorted": [leaf.hex() for leaf in leaves],
        "count": len(leaves),
        "merkle_levels": merkle_levels(leaves),
        "merkle_root": root.hex(),
        "audit_path_of_first": [p.hex() for p in audit_path(leaves, 0)],
        "beacon_id": beacon.beacon_id,
        "beacon_round": beacon.round,
        "beacon_value": beacon.value.hex(),
        "key_string": getattr(beacon, "key_string", None),
        "redeclarations": records,
        # The rfc3797 method uses neither T nor K.
        "transcript": None if rfc else t.hex(),
        "transcript_fields": None if rfc else transcript_fields(draw_id, d, len(leaves), root,
                                                                k, a, beacon),
        "derived_key": None if rfc else derived.hex(),
        "places": places,
        "selection": trace,
        "rfc3797_selection": rfc,
        "winners": list(result.winners),
        "alternates": list(result.alternates),
        "tsa_imprints": {"commitment": commitment_imprint(c).hex(),
                         "freeze": freeze_imprint(draw_id, len(leaves), root).hex()},
        "certificate": signed,
        "certificate_file_sha256": certificate_imprint(body).hex(),
        "leaf_list": format_leaf_list(leaves).decode("ascii"),
    }
    inputs = {name: value for name, value in spec.items() if name not in ("name", "note")}
    if inputs["beacon"] == "drand":
        inputs["beacon"] = _drand_round()
    return {"name": spec["name"], "note": spec["note"], "input": inputs, "expected": expected}


def build_followup_chain(case: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """A two-record follow-up chain on the first case's sealed certificate."""
    cert_sha = case["expected"]["certificate_file_sha256"]
    previous, records = cert_sha, []
    for seq, (when, event) in enumerate(FOLLOWUP_EVENTS, start=1):
        body = record_bytes(sign_document(build_followup(
            draw_id=case["input"]["draw_id"], certificate_sha256=cert_sha, seq=seq,
            previous_sha256=previous, at=at(when), event=event, audit_head=AUDIT_HEAD), key))
        previous = hashlib.sha256(body).hexdigest()
        records.append({"record": body.decode("utf-8"), "sha256": previous})
    return {"case": case["name"], "certificate_sha256": cert_sha, "records": records}


def build() -> dict[str, Any]:
    """The whole vectors file, as a JSON value."""
    key = signing_key()
    cases = [build_case(spec, key) for spec in CASES]
    return {
        "protocol": "gdraw-v2",
        "about": "gdraw-v2 test vectors (docs/PROTOCOL.md). Generated by make_v2_vectors.py "
                 "with the draw core; every input is chosen. Each certificate is signed with "
                 "the public test key below and is sealed as json.dumps(certificate, "
                 "ensure_ascii=False, indent=2) + newline, whose SHA-256 is "
                 "certificate_file_sha256.",
        "signing_key": {"seed": SIGNING_SEED.hex(), "public_key": public_key_hex(key),
                        "key_id": key_id(key),
                        "warning": "a published test key: never trust a signature by it"},
        "cases": cases,
        "followup": build_followup_chain(cases[0], key),
    }


def render(data: dict[str, Any]) -> str:
    """The file's exact text."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    OUT.write_text(render(build()), "utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
