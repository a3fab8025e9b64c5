"""The in-browser verifier checks gdraw-v2 certificates exactly like the command line.

Each test publishes a certificate and its leaf list on the local site, on a page of
its own (its ``<html lang>``, and the ``data-public-key`` / ``data-commitment`` /
``data-caption`` attributes it needs), clicks the verify button in headless Chromium
and compares every line the page shows (step and ✓/✗/–) with
``giveaway.core.verify_certificate`` on the same files and the same inputs.

The expected differences are the two checks a browser does not make: the drand BLS
signature and the CMS signature of RFC 3161 time-stamp tokens. The page reports
each of them as not checked (–), pointing to ``python -m giveaway.verify``.
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
import html
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core_testkit import DRAND, case_named, honest
from giveaway.core import (QUICKNET, DeclaredValuesBeacon, DrandBeacon, InvalidDocument,
                           InvalidInput, NoBeacon, Status, build_certificate, draw,
                           format_timestamp, freeze_entries, key_string, load_document,
                           parse_leaf_list, parse_public_key, public_key_hex, public_key_pem,
                           select_positions, sign_document, verify_certificate)
from giveaway.core.caption import caption_code
from giveaway.core.certificate import build_certificate_v2
from giveaway.core.declaration import (NO_BEACON, build_declaration,
                                       declared_values_declaration, drand_declaration,
                                       parse_declaration)
from giveaway.core.encoding import parse_strict_timestamp
from giveaway.core.leaflist import format_leaf_list
from giveaway.core.redeclaration import build_redeclaration
from giveaway.core.selection import draw_as_declared
from giveaway.core.rfc3797 import parse_key_string
from giveaway.core.timestamps import commitment_imprint, freeze_imprint, request_token

from giveaway.public.verifier_words import catalogue_words

from .browser_kit import STATIC, UNUSABLE, BrowserReport, document_bytes, words_block

UTC = dt.timezone.utc
SEED = bytes(range(32))
SALT = bytes(range(16))
KEYS = [f"ig:{n}" for n in range(100, 160)]
OPENS = dt.datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
CLOSES = dt.datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
FROZEN = dt.datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LOTTERY = dt.datetime(2026, 12, 1, 20, 0, tzinfo=UTC)  # when the declared values exist
# As a lottery prints them: leading zeros (RFC 3797 §4 value forms).
LOTTERY_VALUES = [["03", 17, 22, 40, 48], [2, "09"]]
LOTTERY_NAME = "EuroMillions du mardi 1er décembre 2026"
# drand quicknet round 123 (a real round, from the vectors file) is produced at 15:15:33.
ROUND = DRAND["round"]
ROUND_TIME = QUICKNET.round_time(ROUND)
NOT_CHECKED_HERE = {"beacon-signature", "timestamp"}
# Every step code of giveaway.core's verification (and "browser", the script's own).
STEP_CODES = ("document", "declaration", "redeclaration", "beacon-declared", "commitment",
              "commitment-published", "caption", "leaf-order", "leaf-count", "merkle-root",
              "beacon", "beacon-signature", "timeline", "timestamp", "derivation", "selection",
              "result-leaves", "signature", "browser")

PAGE = """<!doctype html>
<html{lang}><head><meta charset="utf-8"><title>Vérifier un tirage</title>
<link rel="stylesheet" href="/static/verify/gdraw-verify.css">
<script src="/static/verify/gdraw-verify.js" defer></script>
</head><body>
<button type="button" data-gdraw-verify{attributes}>Vérifier dans ce navigateur</button>
<div id="gdraw-verify-results" aria-live="polite"></div>
{words}
</body></html>
"""
_folders = itertools.count(1)
OTHER_KEY = Ed25519PrivateKey.generate()


# --- building gdraw-v2 certificates (as tests/core/test_core_v2.py does) ----------------

def declare(method: str = "gdraw", beacon=None, **over: Any) -> dict[str, Any]:
    """D of an honest draw on declared values (or ``beacon``), committed at the opening."""
    beacon = beacon or declared_values_declaration(LOTTERY, LOTTERY_NAME,
                                                   [("numéros", 5), ("étoiles", 2)])
    args = dict(draw_id="coffret-noel", salt=SALT, method=method, winners=2, alternates=3,
                beacon=beacon, opens_at=OPENS, closes_at=CLOSES, rules_sha256="ab" * 32,
                eligibility_sha256="cd" * 32, committed_at=OPENS)
    args.update(over)
    return build_declaration(**args)


def build(decl: dict[str, Any] | None = None, beacon=None, *,
          drawn_at: dt.datetime = LOTTERY + dt.timedelta(hours=1),
          frozen_at: dt.datetime = FROZEN, redeclarations=(), timestamps=(),
          sources=LOTTERY_VALUES) -> tuple[dict[str, Any], list[bytes]]:
    """Return (unsigned gdraw-v2 certificate, leaves) of an honest draw of ``decl``."""
    decl = decl or declare()
    parsed = parse_declaration(decl)
    if beacon is None:
        beacon = DeclaredValuesBeacon.from_sources(sources, parsed.beacon.description)
    leaves = freeze_entries(SALT, KEYS)
    result = draw_as_declared(SEED, parsed, beacon, leaves)
    doc = build_certificate_v2(declaration=decl, seed=SEED, beacon=beacon, result=result,
                               leaves=leaves, leaves_location="leaves.txt",
                               frozen_at=frozen_at, drawn_at=drawn_at,
                               redeclarations=redeclarations, timestamps=timestamps)
    return doc, leaves


def drand_certificate(beacon=None, **over: Any) -> tuple[dict[str, Any], list[bytes]]:
    """An honest draw on the real drand round 123 (or ``beacon``), declared at the opening."""
    opens = ROUND_TIME - dt.timedelta(days=3)
    decl = declare(beacon=drand_declaration(ROUND, QUICKNET.chain_hash), opens_at=opens,
                   closes_at=ROUND_TIME - dt.timedelta(hours=3), committed_at=opens)
    beacon = beacon or DrandBeacon(QUICKNET.chain_hash, ROUND, bytes.fromhex(DRAND["signature"]))
    args = dict(frozen_at=ROUND_TIME - dt.timedelta(minutes=15),
                drawn_at=ROUND_TIME + dt.timedelta(minutes=5))
    args.update(over)
    return build(decl, beacon, **args)


def redeclared(signing_key, *, earlier: bool = False, signed: bool = True):
    """A late freeze moved to the next lottery draw by a redeclaration record."""
    decl = declare()
    parsed = parse_declaration(decl)
    later = declared_values_declaration(LOTTERY + dt.timedelta(days=3), "EuroMillions du 4",
                                        [("numéros", 5), ("étoiles", 2)])
    record = build_redeclaration(declaration=parsed, seq=1, at=LOTTERY - dt.timedelta(hours=2),
                                 reason="La récolte finale a échoué", previous=parsed.beacon,
                                 beacon=later)
    if earlier:
        record["beacon"] = declared_values_declaration(
            LOTTERY - dt.timedelta(days=1), "x", [("a", 5), ("b", 2)]).to_document()
    if signed:
        record = sign_document(record, signing_key)
    return build(decl, frozen_at=LOTTERY + dt.timedelta(hours=1),
                 drawn_at=LOTTERY + dt.timedelta(days=3, hours=1), redeclarations=[record])


def set_member(doc: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    target = out
    for name in path[:-1]:
        target = target[name]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return out


DELETE = object()


# --- the two verifiers ----------------------------------------------------------------

def open_page(driver, doc, leaves, *, lang: str | None = "en", public_key: str | None = None,
              commitment: str | None = None, caption: str | None = None,
              words: str | None = None) -> BrowserReport:
    """Publish ``doc`` and ``leaves`` with a page of their own, click verify; return the page.

    The page gives the script its words in ``words`` (default: the language of ``lang``,
    French for any language but English, as the app's pages do; "" for no words at all).
    """
    if words is None:
        words = "en" if (lang or "").lower().split("-")[0] == "en" else "fr"
    folder = f"/v2/{next(_folders)}"
    files = driver.site.files
    files[f"{folder}/certificate.json"] = document_bytes(doc)
    files[f"{folder}/leaves.txt"] = format_leaf_list(leaves)
    attributes = f' data-certificate-url="{folder}/certificate.json" data-leaves-url="leaves.txt"'
    for name, value in (("data-public-key", public_key), ("data-commitment", commitment),
                        ("data-caption", caption)):
        if value is not None:
            attributes += f' {name}="{html.escape(value)}"'
    files[f"{folder}/index.html"] = PAGE.format(
        lang="" if lang is None else f' lang="{lang}"', attributes=attributes,
        words=words_block(words) if words else "").encode()
    driver.errors.clear()
    driver.page.goto(f"{driver.site.base}{folder}/index.html", wait_until="domcontentloaded")
    return driver.run()


def python_statuses(doc, leaves, *, public_key: str | None = None,
                    commitment: str | None = None,
                    caption: str | None = None) -> list[tuple[str, str]]:
    """[(step, status)] of giveaway.core.verify_certificate, as the CLI reads its input."""
    expected = None if commitment is None else bytes.fromhex(commitment)
    organiser = None if public_key is None else parse_public_key(public_key)
    try:
        results = verify_certificate(load_document(document_bytes(doc)),
                                     parse_leaf_list(format_leaf_list(leaves)), organiser,
                                     expected_commitment=expected, caption=caption)
    except InvalidDocument:
        return [(UNUSABLE, "fail")]
    status = {Status.OK: "ok", Status.FAIL: "fail", Status.NOTE: "note"}
    return [(r.step, status[r.status]) for r in results]


def expected_in_browser(python: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What Python reports, but the BLS signature and the RFC 3161 tokens: not checked (–)."""
    return [(step, "note" if step in NOT_CHECKED_HERE and status != "note" else status)
            for step, status in python]


def check_agreement(driver, doc, leaves, *, key=None, commitment=None, caption=None,
                    lang="en"):
    """Verify in both; assert the page shows what Python reports; return (report, python).

    ``key`` is the organiser's key given to both: a private key (its public key is
    given), or the public key as 64 hex digits.
    """
    public = key if key is None or isinstance(key, str) else public_key_hex(key)
    report = open_page(driver, doc, leaves, lang=lang, public_key=public,
                       commitment=commitment, caption=caption)
    python = python_statuses(doc, leaves, public_key=public, commitment=commitment,
                             caption=caption)
    assert report.console_errors == []
    assert report.statuses == expected_in_browser(python), (report.lines, python)
    passed = all(status != "fail" for _, status in python)
    assert report.verdict == ("verified" if passed else "not-verified")
    return report, python


def failed_steps(statuses: list[tuple[str, str]]) -> set[str]:
    return {step for step, status in statuses if status == "fail"}


# --- honest gdraw-v2 certificates ------------------------------------------------------

def honest_v2(name: str, signing_key):
    if name == "gdraw, declared values":
        return build()
    if name == "rfc3797 method":
        return build(declare("rfc3797"))
    if name == "rfc3797 value forms":  # a decimal number, a whole with leading zeros, a text
        beacon = declared_values_declaration(LOTTERY, "Tirage spécial",
                                             [("cote", 2), ("code", 1)])
        return build(declare("rfc3797", beacon=beacon),
                     sources=[["13.6875", "08285182"], ["Été 4-1"]])
    if name == "drand round 123":
        return drand_certificate()
    if name == "commit-only":
        return build(declare(beacon=NO_BEACON), NoBeacon())
    if name == "late opening":
        return build(declare(committed_at=OPENS + dt.timedelta(days=1)))
    assert name == "redeclared"
    return redeclared(signing_key)


HONEST = ["gdraw, declared values", "rfc3797 method", "rfc3797 value forms", "drand round 123",
          "commit-only", "late opening", "redeclared"]


@pytest.mark.parametrize("name", HONEST)
def test_honest_v2_certificates_verify_as_in_python(driver, signing_key, name):
    doc, leaves = honest_v2(name, signing_key)
    signed = sign_document(doc, signing_key)
    report, python = check_agreement(driver, signed, leaves, key=signing_key)
    assert report.verdict == "verified"
    steps = [step for step, _ in report.statuses]
    assert steps[:3] == ["document", "declaration", "commitment"]
    assert {"beacon-declared", "timeline", "timestamp", "selection"} <= set(steps)
    assert report.statuses[-1] == ("signature", "ok")
    assert "gdraw-v2 certificate" in report.lines[0][2]
    assert ("timestamp", "note", "not timestamped") in report.lines
    if name == "drand round 123":
        assert ("beacon-signature", "ok") in python
        (bls,) = [m for step, _, m in report.lines if step == "beacon-signature"]
        assert "not checked" in bls and "python -m giveaway.verify" in bls
    if name == "commit-only":
        assert any("weaker" in m for step, status, m in report.lines if status == "note")
    if name == "late opening":
        assert ("timeline", "note") in report.statuses
    if name == "redeclared":
        (line,) = [m for step, _, m in report.lines if step == "redeclaration"]
        assert line.startswith("anomaly: on ") and "later, as required" in line


def test_without_the_organiser_key_the_embedded_one_is_used(driver, signing_key):
    doc, leaves = redeclared(signing_key)
    report, _ = check_agreement(driver, sign_document(doc, signing_key), leaves)
    assert report.verdict == "verified"
    assert report.statuses[-2:] == [("signature", "ok"), ("signature", "note")]


# --- tampering: the same failing steps as Python -----------------------------------------

RESIGNED = {  # what an organiser could switch after the opening, then sign again
    "declared salt": (("declaration", "salt"), "ff" * 16),
    "declared method": (("declaration", "method"), "rfc3797"),
    "declared k": (("declaration", "winners"), 3),
    "declared a": (("declaration", "alternates"), 1),
    "declared sources": (("declaration", "beacon", "sources", 0, "count"), 6),
    "declared available_at": (("declaration", "beacon", "available_at"), "2026-11-29T20:00:00Z"),
    "declared description": (("declaration", "beacon", "description"), "Loto du samedi"),
    "salt": (("salt",), "ff" * 16),
    "method": (("method",), "rfc3797"),
    "k": (("winners",), 3),
    "a": (("alternates",), 1),
    "committed_at": (("committed_at",), "2026-11-20T07:00:00Z"),
    "stated digest": (("declaration_sha256",), "00" * 32),
    "values used": (("beacon",), DeclaredValuesBeacon.from_sources(
        [[3, 17, 22, 40], [2, 9]], LOTTERY_NAME).to_document()),
}


@pytest.mark.parametrize("name", list(RESIGNED))
def test_switched_and_re_signed_fails_as_in_python(driver, signing_key, name):
    path, value = RESIGNED[name]
    doc, leaves = build()
    switched = sign_document(set_member(doc, path, value), signing_key)
    report, python = check_agreement(driver, switched, leaves, key=signing_key)
    assert report.verdict == "not-verified"
    assert report.failed == failed_steps(python)
    assert "signature" not in report.failed  # re-signed: only what was declared tells
    assert report.failed & {"declaration", "commitment", "beacon-declared"}


TIMELINES = {
    "drawn before the values exist": (lambda: build(drawn_at=LOTTERY - dt.timedelta(days=2)),
                                      {"timeline"}),
    "frozen at the beacon time": (lambda: build(frozen_at=LOTTERY), {"timeline"}),
    "frozen before the commitment": (lambda: build(frozen_at=OPENS - dt.timedelta(hours=1),
                                                   drawn_at=LOTTERY), {"timeline"}),
    "committed after the close": (lambda: build(declare(committed_at=CLOSES),
                                                frozen_at=CLOSES), {"timeline"}),
    "drand: frozen at the round time": (lambda: drand_certificate(frozen_at=ROUND_TIME),
                                        {"timeline"}),
    "drand: drawn before the round": (lambda: drand_certificate(
        drawn_at=ROUND_TIME - dt.timedelta(seconds=1)), {"timeline"}),
    "drand: another round used": (lambda: drand_certificate(beacon=NoBeacon()),
                                  {"beacon-declared", "selection"}),
    "commit-only: drawn before the freeze": (lambda: build(
        declare(beacon=NO_BEACON), NoBeacon(), drawn_at=FROZEN - dt.timedelta(seconds=1)),
        {"timeline"}),
}


@pytest.mark.parametrize("name", list(TIMELINES))
def test_broken_timeline_fails_as_in_python(driver, signing_key, name):
    make, expected = TIMELINES[name]
    doc, leaves = make()
    report, python = check_agreement(driver, sign_document(doc, signing_key), leaves,
                                     key=signing_key)
    assert failed_steps(python) <= expected | {"selection"}
    assert report.failed == failed_steps(python) and report.failed


def drand_with(beacon):
    doc, leaves = drand_certificate()
    return set_member(doc, ("beacon",), beacon.to_document()), leaves


def test_another_drand_round_fails_at_beacon_declared(driver, signing_key):
    doc, leaves = drand_with(DrandBeacon(QUICKNET.chain_hash, ROUND + 1,
                                         bytes.fromhex(DRAND["signature"])))
    report, python = check_agreement(driver, sign_document(doc, signing_key), leaves,
                                     key=signing_key)
    assert "beacon-declared" in report.failed
    # round 123's signature is not round 124's: only the command line can tell (BLS)
    assert failed_steps(python) - report.failed == {"beacon-signature"}


def test_redeclarations_fail_as_in_python(driver, signing_key):
    earlier, leaves = redeclared(signing_key, earlier=True)
    report, python = check_agreement(driver, sign_document(earlier, signing_key), leaves,
                                     key=signing_key)
    assert "redeclaration" in report.failed and report.failed == failed_steps(python)
    (line,) = [m for step, status, m in report.lines if step == "redeclaration"]
    assert line == "redeclarations[0]: does not move to a later beacon"
    unsigned, _ = redeclared(signing_key, signed=False)
    for key in (signing_key, None):  # an unsigned record fails, with or without the key
        report, python = check_agreement(driver, sign_document(unsigned, signing_key), leaves,
                                         key=key)
        assert report.failed == failed_steps(python) == {"redeclaration"}
    honest_doc, _ = redeclared(signing_key)
    record = honest_doc["redeclarations"][0]
    for change in ({"reason": "  "}, {"seq": 2}, {"draw_id": "another"},
                   {"declaration_sha256": "00" * 32}, {"at": "2026-12-01T18:00:00+00:00"},
                   {"previous": {"kind": "none"}}, {"at": "2026-11-19T08:00:00Z"}):
        changed = sign_document({**record, **change}, signing_key)
        doc = sign_document({**honest_doc, "redeclarations": [changed]}, signing_key)
        report, python = check_agreement(driver, doc, leaves, key=signing_key)
        assert report.failed == failed_steps(python) and "redeclaration" in report.failed, change
    forged = sign_document(record, OTHER_KEY)  # signed, but not by the organiser
    doc = sign_document({**honest_doc, "redeclarations": [forged]}, signing_key)
    report, python = check_agreement(driver, doc, leaves, key=signing_key)
    assert report.failed == failed_steps(python) == {"redeclaration"}


def test_a_redeclaration_must_be_checked_against_a_key(driver, signing_key):
    doc, leaves = redeclared(signing_key)
    record = dict(doc["redeclarations"][0])
    record["signature"] = {k: v for k, v in record["signature"].items() if k != "public_key"}
    doc = {**doc, "redeclarations": [record]}
    # No key anywhere (the certificate unsigned, none given): the record's signature
    # cannot be checked, which fails it; with the organiser's key, it verifies.
    report, python = check_agreement(driver, doc, leaves)
    assert report.failed == failed_steps(python) == {"redeclaration"}
    report, python = check_agreement(driver, sign_document(doc, signing_key), leaves,
                                     key=signing_key)
    assert report.verdict == "verified"


def test_removed_signature_fails_with_the_public_key(driver, signing_key):
    doc, leaves = build()  # unsigned
    report, python = check_agreement(driver, doc, leaves, key=signing_key)
    assert report.failed == failed_steps(python) == {"signature"}
    (line,) = [m for step, status, m in report.lines if status == "fail"]
    assert line.startswith("unsigned")
    report, _ = check_agreement(driver, doc, leaves)  # without the key: a note
    assert report.verdict == "verified" and report.statuses[-1] == ("signature", "note")
    report = open_page(driver, doc, leaves, public_key=public_key_pem(signing_key))  # PEM too
    assert report.failed == {"signature"}


def test_v1_unsigned_certificate_fails_with_the_public_key_too(driver, signing_key):
    doc, leaves = honest(case_named("commit-only"))
    report, python = check_agreement(driver, doc, leaves, key=signing_key)
    assert report.failed == failed_steps(python) == {"signature"}
    signed = sign_document(doc, signing_key)
    report, _ = check_agreement(driver, signed, leaves, key=signing_key)
    assert report.verdict == "verified"


# --- what a participant saw elsewhere: the caption code, the published commitment -------

def test_caption_and_published_commitment(driver, signing_key):
    doc, leaves = build()
    signed = sign_document(doc, signing_key)
    c = bytes.fromhex(doc["commitment"])
    good = caption_code("gdraw-v2", "coffret-noel", c)
    report, python = check_agreement(driver, signed, leaves, key=signing_key, caption=good,
                                     commitment=c.hex())
    assert report.verdict == "verified"
    assert ("commitment-published", "ok") in report.statuses
    assert ("caption", "ok") in report.statuses
    steps = [step for step, _ in report.statuses]
    assert steps.index("beacon-declared") < steps.index("commitment-published") \
        < steps.index("caption") < steps.index("leaf-order")
    for caption in (caption_code("gdraw-v2", "coffret-noel", bytes(32)),  # another commitment
                    f"gdraw-v2 coffret-noel {c.hex()[:32].upper()}",  # upper-case hex is fine
                    f"  {good}\u3000",  # white space around, as Python's strip() reads it
                    good.replace(" coffret", "  coffret"),  # one space only after the protocol
                    good[:-1], caption_code("gdraw-v1", "coffret-noel", c),
                    good.replace("coffret-noel", "autre"), "not a caption", " x "):
        report, python = check_agreement(driver, signed, leaves, caption=caption)
        assert report.failed == failed_steps(python) <= {"caption"}
    for commitment in ("00" * 32, c.hex().upper()):
        report, python = check_agreement(driver, signed, leaves, commitment=commitment)
        assert report.failed == failed_steps(python) <= {"commitment-published"}
    report = open_page(driver, signed, leaves, commitment="xyz")
    assert report.statuses == [(UNUSABLE, "fail")]
    report = open_page(driver, signed, leaves, commitment="", caption="")  # blank: not given
    assert report.verdict == "verified"
    assert "caption" not in dict(report.statuses)


def test_v1_caption_has_sixteen_hex_digits(driver, signing_key):
    doc, leaves = honest(case_named("commit-only"))
    c = bytes.fromhex(doc["commitment"])
    good = caption_code("gdraw-v1", doc["draw_id"], c)
    report, _ = check_agreement(driver, doc, leaves, caption=good, commitment=c.hex())
    assert report.verdict == "verified"
    report, _ = check_agreement(driver, doc, leaves,
                                caption=caption_code("gdraw-v2", doc["draw_id"], c))
    assert report.failed == {"caption"}


# --- the gdraw-v2 vectors file ----------------------------------------------------------

V2_VECTORS = Path(__file__).resolve().parents[1] / "core" / "data" / "gdraw-v2-vectors.json"


def v2_vector_cases() -> list[dict[str, Any]]:
    if not V2_VECTORS.is_file():
        return []
    return json.loads(V2_VECTORS.read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", v2_vector_cases(), ids=lambda c: c["name"].split(":")[0])
def test_the_v2_vectors_verify_as_in_python(driver, case):
    vectors = json.loads(V2_VECTORS.read_text("utf-8"))
    expected = case["expected"]
    leaves = [bytes.fromhex(line) for line in expected["leaf_list"].split()]
    report, _ = check_agreement(driver, expected["certificate"], leaves,
                                key=vectors["signing_key"]["public_key"])
    assert report.verdict == "verified"
    messages = {step: message for step, _, message in report.lines}
    assert expected["declaration_sha256"] in messages["declaration"]
    if expected["derived_key"] is not None:
        assert messages["derivation"] == f"K = HMAC(seed, T) = {expected['derived_key']}"
    report = open_page(driver, expected["certificate"], leaves,
                       caption=expected["caption_code"], commitment=expected["commitment"])
    assert ("caption", "ok") in report.statuses and report.verdict == "verified"


# --- RFC 3161 time-stamps: one "not checked here" line per token ------------------------

def test_time_stamped_certificate(driver, signing_key, local_tsa):
    now = dt.datetime.now(UTC).replace(microsecond=0)
    committed = now - dt.timedelta(seconds=10)
    decl = declare(opens_at=committed, closes_at=committed + dt.timedelta(seconds=20),
                   committed_at=committed,
                   beacon=declared_values_declaration(now + dt.timedelta(days=1), LOTTERY_NAME,
                                                      [("numéros", 5), ("étoiles", 2)]))
    frozen = committed + dt.timedelta(seconds=40)
    draft, leaves = build(decl, frozen_at=frozen, drawn_at=now + dt.timedelta(days=1, hours=1))
    c = bytes.fromhex(draft["commitment"])
    tokens = [
        {"subject": "commitment", "tsa": local_tsa.url,
         "token": _b64(request_token(local_tsa.url, commitment_imprint(c)))},
        {"subject": "freeze", "tsa": local_tsa.url,
         "token": _b64(request_token(local_tsa.url, freeze_imprint(
             "coffret-noel", len(leaves), bytes.fromhex(draft["entries"]["merkle_root"]))))},
    ]
    doc, _ = build(decl, frozen_at=frozen, drawn_at=now + dt.timedelta(days=1, hours=1),
                   timestamps=tokens)
    report, python = check_agreement(driver, sign_document(doc, signing_key), leaves,
                                     key=signing_key)
    assert [s for s in python if s[0] == "timestamp"] == [("timestamp", "ok")] * 2
    lines = [m for step, _, m in report.lines if step == "timestamp"]
    assert len(lines) == 2 and all("python -m giveaway.verify" in m and local_tsa.url in m
                                   for m in lines)
    assert report.verdict == "verified" and "not checked in a browser" in report.text
    # One token only: the other subject is "not timestamped"; a forged token is still
    # left to the command line, which fails it.
    forged = [dict(tokens[0], token=_b64(b"\x30\x03abc"))]
    doc, _ = build(decl, frozen_at=frozen, drawn_at=now + dt.timedelta(days=1, hours=1),
                   timestamps=forged)
    report = open_page(driver, sign_document(doc, signing_key), leaves)
    python = python_statuses(sign_document(doc, signing_key), leaves)
    assert ("timestamp", "fail") in python
    assert [s for s in report.statuses if s[0] == "timestamp"] == [("timestamp", "note")] * 2
    assert report.lines[[s for s, _, _ in report.lines].index("timestamp") + 1][2] \
        == "freeze not timestamped"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --- unusable gdraw-v2 documents: refused by both ---------------------------------------

UNUSABLE_V2 = {
    "unknown member of D": (("declaration", "extra"), 1),
    "D's time with an offset": (("declaration", "committed_at"), "2026-11-20T09:00:00+01:00"),
    "D's time without seconds": (("declaration", "opens_at"), "2026-11-20T08:00Z"),
    "D's round_time": (("declaration", "beacon", "available_at"), "x"),
    "D's unknown beacon kind": (("declaration", "beacon", "kind"), "dice"),
    "D without rules": (("declaration", "rules_sha256"), DELETE),
    "D's rules in upper case": (("declaration", "rules_sha256"), "AB" * 32),
    "D's blank description": (("declaration", "beacon", "description"), "   "),
    "D's protocol": (("declaration", "protocol"), "gdraw-v1"),
    "v1 method name": (("method",), "gdraw-v1"),
    "drawn_at missing": (("drawn_at",), DELETE),
    "loose frozen_at": (("entries", "frozen_at"), "2026-11-28T10:00:00+01:00"),
    "no leaves location": (("entries", "leaves"), DELETE),
    "no seed": (("seed",), DELETE),
    "redeclarations not a list": (("redeclarations",), {"a": 1}),
    "timestamps not a list": (("timestamps",), "x"),
    "bad timestamp subject": (("timestamps",), [{"subject": "draw", "tsa": "t", "token": ""}]),
    "bad base64 token": (("timestamps",), [{"subject": "freeze", "tsa": "t", "token": "ab="}]),
}


@pytest.mark.parametrize("name", list(UNUSABLE_V2))
def test_unusable_v2_documents(driver, name):
    path, value = UNUSABLE_V2[name]
    doc, leaves = build()
    report, python = check_agreement(driver, set_member(doc, path, value), leaves)
    assert python == [(UNUSABLE, "fail")] and report.verdict == "not-verified"
    assert report.lines[0][2].startswith("unusable input:")


def test_empty_timestamps_member_means_not_timestamped(driver):
    doc, leaves = build()
    for value in ([], None, {}, ""):
        report, python = check_agreement(driver, set_member(doc, ("timestamps",), value), leaves)
        assert ("timestamp", "note") in report.statuses


# --- French and English --------------------------------------------------------------

def test_french_page_shows_french_and_english_page_english(driver, signing_key):
    doc, leaves = build()
    signed = sign_document(doc, signing_key)
    key = public_key_hex(signing_key)
    english = open_page(driver, signed, leaves, lang="en", public_key=key)
    french = open_page(driver, signed, leaves, lang="fr", public_key=key)
    default = open_page(driver, signed, leaves, lang=None, public_key=key)  # no lang: French
    regional = open_page(driver, signed, leaves, lang="fr-FR")
    assert english.verdict == french.verdict == default.verdict == regional.verdict == "verified"
    # the steps are stable codes; only the words change
    assert english.statuses == french.statuses == default.statuses
    assert french.lines == default.lines
    for (step, _, en), (_, _, fr) in zip(english.lines, french.lines):
        assert en != fr, step
    assert "VERIFIED: every check passed" in english.text and "Checked in" in english.text
    assert "VÉRIFIÉ : toutes les vérifications ont réussi" in french.text
    assert "Vérifié en" in french.text and "Checked in" not in french.text
    fr: dict[str, str] = {}
    for step, _, message in french.lines:  # the first line of each step
        fr.setdefault(step, message)
    assert fr["signature"].startswith("signature Ed25519 valide")
    assert fr["timeline"] == "engagement pris avant l'ouverture des participations"
    assert fr["timestamp"] == "non horodaté"
    en = {step: message for step, _, message in english.lines}  # the last line of each step
    assert en["signature"].startswith("valid Ed25519 signature")
    # English pages in any region; French for any other language
    assert open_page(driver, signed, leaves, lang="en-GB", public_key=key).lines == english.lines
    assert regional.lines[0][2] == french.lines[0][2]
    assert open_page(driver, signed, leaves, lang="de").lines[0][2].startswith("certificat")


def test_failures_and_unusable_input_in_french(driver, signing_key):
    doc, leaves = build(drawn_at=LOTTERY - dt.timedelta(days=2))
    report = open_page(driver, doc, leaves, lang="fr", public_key=public_key_hex(signing_key),
                       caption="pas un code")
    assert report.failed == {"timeline", "signature", "caption"}
    messages = {(step, status): m for step, status, m in report.lines}
    assert messages[("signature", "fail")].startswith("non signé : ")
    assert "n'est pas un code de légende" in messages[("caption", "fail")]
    assert any("est avant l'heure de la balise" in m for step, status, m in report.lines
               if step == "timeline" and status == "fail")
    assert "NON VÉRIFIÉ : 3 vérifications en échec" in report.text
    broken = set_member(doc, ("declaration", "extra"), 1)
    report = open_page(driver, broken, leaves, lang="fr")
    assert report.lines[0][2] == ("entrée inutilisable : declaration.extra : "
                                  "n'est pas un membre de cette version")
    commit_only, leaves = build(declare(beacon=NO_BEACON), NoBeacon())
    report = open_page(driver, commit_only, leaves, lang="fr")
    assert any("moins de garanties" in m for _, status, m in report.lines if status == "note")
    marks = driver.page.eval_on_selector_all(".gdraw-verify-mark",
                                             "ms => ms.map(m => m.getAttribute('aria-label'))")
    assert set(marks) == {"réussi", "information, ou non vérifié ici"}


def test_every_message_exists_in_french_and_english(driver):
    """The script holds keys, the catalogues hold the words: each key has words in both
    languages (and nothing is worded twice), every step has a name, French differs."""
    driver.page.goto(driver.site.script_page(), wait_until="domcontentloaded")
    keys = set(driver.page.evaluate("() => GDrawVerify.internals.keys"))
    steps = {step for step in STEP_CODES}
    for lang in ("fr", "en"):
        words = catalogue_words(lang)
        assert set(words["messages"]) | set(words["plurals"]) == keys, lang
        assert not set(words["messages"]) & set(words["plurals"])
        assert set(words["steps"]) == steps, lang
    french, english = catalogue_words("fr"), catalogue_words("en")
    assert [key for key in french["messages"]
            if french["messages"][key] == english["messages"][key]] == []


def test_the_script_holds_no_sentence():
    """No sentence of either language is written in the script: the page gives them."""
    script = (STATIC / "gdraw-verify.js").read_text(encoding="utf-8")
    script = re.sub(r"^\s*//.*$", "", re.sub(r"/\*.*?\*/", "", script, flags=re.S), flags=re.M)
    for lang in ("fr", "en"):
        words = catalogue_words(lang)
        texts = list(words["messages"].values()) + list(words["steps"].values()) + [
            form for plural in words["plurals"].values() for form in (plural["one"],
                                                                       plural["other"])]
        for text in texts:
            for piece in re.split(r"%\(\w+\)s", text):
                if len(piece.strip()) >= 12 and " " in piece.strip():  # words, not member names
                    assert piece.strip() not in script, (lang, text)


def test_a_page_without_words_shows_codes_not_sentences(driver, signing_key):
    doc, leaves = build()
    report = open_page(driver, doc, leaves, lang="fr", words="")
    assert report.verdict == "verified"
    assert report.lines[0][2].startswith("document (protocol=gdraw-v2")
    assert "verdict_ok" in report.text


# --- the ports of Python's rules that v2 relies on ---------------------------------------

@pytest.fixture()
def js(driver):
    driver.page.goto(driver.site.script_page(), wait_until="domcontentloaded")
    driver.errors.clear()
    yield driver.page.evaluate
    assert driver.errors == []


STRICT_TIMES = ["2026-12-01T20:00:00Z", "2026-12-01T20:00:00.5Z", "2026-12-01T20:00:00.123456Z",
                "2026-12-01T20:00:00.1234567Z", "2026-12-01T20:00:00+00:00", "2026-12-01T20:00Z",
                "2026-12-01 20:00:00Z", "2026-12-01T20:00:00z", "2026-12-01T20:00:00",
                "2026-02-29T00:00:00Z", "2024-02-29T23:59:59Z", "0000-01-01T00:00:00Z",
                "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "2026-12-01T24:00:00Z",
                "2026-13-01T00:00:00Z", "2026-12-01T20:60:00Z", "2026-12-01T20:00:60Z",
                "２０２６-12-01T20:00:00Z", "2026-12-01T20:00:00Z\n", "", "2026-12-01"]


def test_strict_timestamps_read_and_written_as_python(js):
    got = js("ts => ts.map(t => { const I = GDrawVerify.internals; try {"
             " const us = I.parseStrictTimestamp(t, 'f'); return [String(us), I.formatMicros(us)] }"
             " catch (e) { return 'error' } })", STRICT_TIMES)
    epoch = dt.datetime(1970, 1, 1, tzinfo=UTC)
    expected = []
    for text in STRICT_TIMES:
        try:
            when = parse_strict_timestamp(text, "f")
        except InvalidDocument:
            expected.append("error")
            continue
        delta = when - epoch
        expected.append([str((delta.days * 86400 + delta.seconds) * 10**6 + delta.microseconds),
                         format_timestamp(when)])
    assert got == expected


BASE64 = ["", "a", "ab", "abc", "abc=", "ab==", "ab=", "abcd", "abcd=", "abcd==", "abcd====",
          "ab==cd==", "ab=c", "ab==c", "=abc", "====", "a===", "ab\n==", "YWJj ZA==", "é===",
          "TWFu", "TWE=", "TQ==", "T Q==", "-_==", "ab+/"]


def test_base64_tokens_refused_as_python_refuses_them(js):
    expected = []
    for text in BASE64:
        try:
            base64.b64decode(text, validate=True)
            expected.append(True)
        except (binascii.Error, ValueError):
            expected.append(False)
    assert js("ts => ts.map(GDrawVerify.internals.pyBase64Valid)", BASE64) == expected


KEY_SOURCES = [
    [[9319], [2, 5, 12, 8, 10]],
    [["08285182", "0"], ["13.6875", "13.5", "2"], ["W 4-1"]],
    [["Été"], ["1.50", "01.5", 1]],
    [[10**30, 10**30 + 1]],
    [["12.0", "12"]],
]
BAD_SOURCES = [[], [[]], [["W", 1]], [["1.2.3"]], [["ß"]], [["..."]], [[-1]], [[True]],
               [["٣"]], [[None]]]


def test_key_strings_of_declared_values_are_pythons(js):
    for sources in KEY_SOURCES:
        texts = [[str(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in s]
                 for s in sources]
        assert js("s => GDrawVerify.internals.keyString(s)", texts) == key_string(sources)
    for sources in BAD_SOURCES:
        with pytest.raises(InvalidInput):
            key_string(sources)
        refused = js("s => { try { GDrawVerify.internals.keyString(s); return false }"
                     " catch (e) { return e instanceof GDrawVerify.DocumentError } }",
                     [[v if not isinstance(v, int) or isinstance(v, bool) or v >= 0 else str(v)
                       for v in s] for s in sources])
        assert refused, sources


KEY_STRINGS = ["9319./2.5.8.10.12./", "8285182./", "0./", "08./", "1.5./", "1.52./", "2.1./",
               "13.6875/", "13.68750/", "W41./", "W41.1./", "./", "", "1./2./", "1.//",
               "3.17.22.40.48./2.9./", "5.2.8./", "1.10.2./", "0.5./", "0.0./", "2.13.6875/",
               "12.5.13./", "a./", "9./8./"]


def test_key_string_checks_are_pythons(js):
    got = js("ks => ks.map(k => GDrawVerify.internals.keyStringProblem(k))", KEY_STRINGS)
    for text, problem in zip(KEY_STRINGS, got):
        try:
            parse_key_string(text)
            assert problem is None, text
        except InvalidInput as exc:
            assert problem is not None and problem == exc.reason, text


def test_declared_values_in_a_v1_certificate(driver, signing_key):
    beacon = DeclaredValuesBeacon.from_sources([["08285182", 7], ["13.6875"], ["Été 4-1"]],
                                               "Tirage")
    keys = [f"ig:{1000 + 7 * i}" for i in range(40)]
    leaves = freeze_entries(SALT, keys)
    result = draw(SEED, "v1-values", winners=2, alternates=1, beacon=beacon, leaves=leaves)
    doc = build_certificate(draw_id="v1-values", seed=SEED, salt=SALT, committed_at=OPENS,
                            winners=2, alternates=1, beacon=beacon, result=result, leaves=leaves,
                            leaves_location="leaves.txt", frozen_at=FROZEN)
    assert json.loads(json.dumps(doc))["beacon"]["sources"][0] == ["08285182", 7]
    report, _ = check_agreement(driver, sign_document(doc, signing_key), leaves)
    assert report.verdict == "verified"
    bad = set_member(doc, ("beacon", "sources"), [["08285182", 7], ["13.6875"], ["ß"]])
    report, python = check_agreement(driver, bad, leaves)
    assert python == [(UNUSABLE, "fail")]


NOMCOM = Path(__file__).resolve().parents[1] / "core" / "data" / "nomcom_selections.json"


def test_published_nomcom_selections(js):
    """Real IETF NomCom selections: the published key strings and picks, from the values."""
    cases = json.loads(NOMCOM.read_text("utf-8"))["cases"]
    got = js("""cases => cases.map(c => {
        const I = GDrawVerify.internals, k = I.keyString(c.sources);
        return [k, I.keyStringProblem(k), I.rfc3797Positions(k, c.pool, c.selected.length)];
    })""", cases)
    for case, (key, problem, picks) in zip(cases, got):
        assert key == key_string(case["sources"]), case["name"]
        assert case["key_string"] in (None, key), case["name"]
        assert problem is None and picks == case["selected"], case["name"]
        assert picks == select_positions(key, case["pool"], len(case["selected"]))
