"""The in-browser verifier (giveaway/static/verify/gdraw-verify.js) agrees with the Python one.

Each test publishes a certificate and its leaf list on a local site, clicks the
page's verify button in headless Chromium and compares every line the page
shows (step and ✓/✗/–) with ``giveaway.core.verify_certificate`` on the same
files. The only expected difference: the drand BLS signature, which the browser
does not check (a "–" line pointing to ``python -m giveaway.verify``).
"""

from __future__ import annotations

import json
import time

import pytest

from core_testkit import (CASES, DELETE, case_named, certificate, flip_hex, honest, tampered,
                          with_extra)
from giveaway.core import (DeclaredValuesBeacon, NoBeacon, load_or_create_signing_key,
                           parse_public_key, public_key_hex, public_key_pem, sign_document)

from .browser_kit import UNUSABLE, expected_in_browser, python_statuses

HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>&amp;"


def check_agreement(driver, doc, leaves, *, python_key=None, **options):
    """Verify in both; assert the page shows what Python reports; return (report, python)."""
    report = driver.verify(doc, leaves, **options)
    python = python_statuses(doc, leaves, python_key)
    assert report.console_errors == []
    assert report.statuses == expected_in_browser(python), report.lines
    passed = all(status != "fail" for _, status in python)
    assert report.verdict == ("verified" if passed else "not-verified")
    return report, python


def declared_with_sources():
    """An honest gdraw-v1 certificate on declared values whose document keeps the sources."""
    beacon = DeclaredValuesBeacon.from_sources([[9319], [2, 5, 12, 8, 10]], "Loto, 2024-05-01")
    keys = [f"ig:{1000 + 7 * i}" for i in range(40)]
    return certificate(bytes(range(32)), bytes(range(16)), "loto-backed", keys, 2, 3, beacon)


# --- honest certificates -----------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=[c["name"].split(" (")[0] for c in CASES])
def test_honest_signed_certificates_verify(driver, signing_key, case):
    doc, leaves = honest(case)
    report, _ = check_agreement(driver, sign_document(doc, signing_key), leaves)
    assert report.verdict == "verified"
    assert ("signature", "ok") in report.statuses
    assert "Checked in" in report.text


def test_commit_only_is_flagged_and_unsigned_is_reported(driver):
    doc, leaves = honest(case_named("commit-only"))
    report, _ = check_agreement(driver, doc, leaves)
    notes = [message for step, status, message in report.lines if status == "note"]
    assert any("weaker" in m for m in notes)
    assert any(m.startswith("unsigned") for m in notes)
    assert report.verdict == "verified"


def test_rfc3797_beacon_with_sources(driver, signing_key):
    doc, leaves = declared_with_sources()
    assert doc["beacon"]["sources"] and doc["beacon"]["key_string"] == "9319./2.5.8.10.12./"
    report, _ = check_agreement(driver, sign_document(doc, signing_key), leaves)
    assert report.verdict == "verified"


def test_drand_round_123_bls_left_to_the_command_line(driver, signing_key):
    doc, leaves = honest(case_named("drand"))
    report, python = check_agreement(driver, sign_document(doc, signing_key), leaves)
    assert ("beacon-signature", "ok") in python
    (line,) = [m for step, status, m in report.lines if step == "beacon-signature"]
    assert "python -m giveaway.verify" in line and "not checked" in line
    assert report.verdict == "verified"
    assert "not checked in a browser" in report.text


def test_rfc3797_method(driver, signing_key):
    doc, leaves = honest(case_named("declared"), method="rfc3797")
    assert "seed" not in doc and "commitment" not in doc
    report, _ = check_agreement(driver, sign_document(doc, signing_key), leaves)
    assert ("commitment", "note") in report.statuses and report.verdict == "verified"


def test_leaf_list_found_from_entries_leaves(driver):
    doc, leaves = honest(case_named("commit-only"))  # entries.leaves = "leaves.txt"
    report, _ = check_agreement(driver, doc, leaves, leaves_attribute=False)
    assert report.verdict == "verified"


# --- tampering: ✗ at the right step, in both ---------------------------------------------

def _pick_indexes(doc):
    return {p["index"] for p in doc["result"]["winners"] + doc["result"]["alternates"]}


def _flip_unpicked_leaf(doc, leaves):
    i = min(set(range(1, len(leaves) - 1)) - _pick_indexes(doc))
    out = list(leaves)
    out[i] = bytes.fromhex(flip_hex(out[i].hex()))
    assert out[i - 1] < out[i] < out[i + 1]
    return out


def _other_index(doc):
    first = doc["result"]["winners"][0]["index"]
    return min(set(range(doc["entries"]["count"])) - {first})


def member(path, value):
    """A tampering that sets the member at dotted ``path`` (``value``: or a function of the doc)."""
    def change(doc, leaves):
        return tampered(doc, path, value(doc) if callable(value) else value), leaves
    return change


def leaf_list(edit):
    """A tampering of the published leaf list: ``edit(doc, leaves)`` returns the new list."""
    def change(doc, leaves):
        return doc, edit(doc, leaves)
    return change


def result_leaf(doc, leaves):
    return tampered(doc, "result.winners.0.leaf", leaves[_other_index(doc)].hex()), leaves


TAMPERINGS = {  # name: (base certificate, tampering, the step that must fail)
    "seed": ("commit", member("seed", lambda d: flip_hex(d["seed"])), "commitment"),
    "draw_id": ("commit", member("draw_id", lambda d: d["draw_id"] + "x"), "commitment"),
    "one leaf in the list": ("commit", leaf_list(_flip_unpicked_leaf), "merkle-root"),
    "leaf order": ("commit", leaf_list(lambda d, ls: [ls[1], ls[0]] + ls[2:]), "leaf-order"),
    "count": ("commit", member("entries.count", lambda d: d["entries"]["count"] + 1),
              "leaf-count"),
    "root": ("commit", member("entries.merkle_root",
                              lambda d: flip_hex(d["entries"]["merkle_root"])), "merkle-root"),
    "winners k": ("commit", member("winners", lambda d: d["winners"] + 1), "selection"),
    "alternates a": ("commit", member("alternates", lambda d: d["alternates"] - 1), "selection"),
    "result index": ("commit", member("result.winners.0.index", _other_index), "selection"),
    "result leaf": ("commit", result_leaf, "result-leaves"),
    "beacon key string": ("sources", member("beacon.key_string", "9319./2.5.8.10.13./"),
                          "beacon"),
    "beacon sources": ("sources", member("beacon.sources", [[9319], [2, 5, 8, 10, 11]]),
                       "beacon"),
    "key string not ascending": ("sources", member("beacon", {"kind": "rfc3797",
                                                              "key_string": "9319./5.2.8./"}),
                                 "beacon"),
    "drand randomness": ("drand", member("beacon.randomness", "00" * 32), "beacon"),
    "drand signature": ("drand", member("beacon.signature",
                                        lambda d: flip_hex(d["beacon"]["signature"], 9)),
                        "beacon"),
    "drand round": ("drand", member("beacon.round", 124), "selection"),
    "frozen after the round": ("drand", member("entries.frozen_at", "2023-08-23T15:15:33Z"),
                               "timeline"),
    "committed after the freeze": ("drand", member("committed_at", "2023-08-23T17:00:00+01:00"),
                                   "timeline"),
    "rfc3797 key string": ("rfc3797", member("beacon.key_string",
                                             "9319./2.5.8.10.12./9.18.26.34.41.46./"),
                           "selection"),
    "rfc3797 places": ("rfc3797", member("alternates", 5), "selection"),
    "extra member": ("commit", member("contest", "changed after signing"), "signature"),
}


def base_certificate(name):
    if name == "commit":
        return honest(case_named("commit-only"))
    if name == "sources":
        return declared_with_sources()
    if name == "drand":
        return honest(case_named("drand"))
    return honest(case_named("declared"), method="rfc3797")


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_tampering_fails_at_the_right_step(driver, signing_key, name):
    base, change, step = TAMPERINGS[name]
    doc, leaves = base_certificate(base)
    doc, leaves = change(sign_document(doc, signing_key), leaves)
    report, python = check_agreement(driver, doc, leaves)
    assert step in report.failed
    assert step in {s for s, status in python if status == "fail"}
    assert report.verdict == "not-verified"
    in_document = name not in ("one leaf in the list", "leaf order")
    assert ("signature" in report.failed) == in_document


@pytest.mark.parametrize("change", [
    lambda d: tampered(d, "seed", DELETE),
    lambda d: tampered(d, "entries.count", 0),
    lambda d: tampered(d, "winners", 0),
    lambda d: tampered(d, "beacon.kind", "dice"),
    lambda d: tampered(d, "beacon", {"kind": "drand", "chain_hash": "ab" * 32, "round": 1,
                                     "signature": "00" * 48, "randomness": "00" * 32}),
    lambda d: tampered(d, "committed_at", "2023-08-22T09:00:00"),
    lambda d: tampered(d, "result.winners.0.leaf", "xyz"),
    lambda d: tampered(d, "method", "rfc3797"),
], ids=["no seed", "count 0", "winners 0", "beacon kind", "unknown chain", "naive time",
        "bad leaf hex", "rfc3797 without values"])
def test_unusable_documents(driver, change):
    doc, leaves = honest(case_named("commit-only"))
    report, python = check_agreement(driver, change(doc), leaves)
    assert python == [(UNUSABLE, "fail")] and report.verdict == "not-verified"
    assert report.lines[0][2].startswith("unusable input:")


def test_unusable_files(driver):
    doc, leaves = honest(case_named("commit-only"))
    text = json.dumps(doc, indent=1)
    duplicated = text.replace('"winners": 3,', '"winners": 3, "winners": 4,', 1).encode()
    floating = text.replace('"winners": 3,', '"winners": 3.0,', 1).encode()
    assert duplicated != text.encode() and floating != text.encode()
    good_list = b"".join(leaf.hex().encode() + b"\n" for leaf in leaves)
    for cert, leaf_list, field in [
        (duplicated, leaves, "appears twice"),
        (floating, leaves, "winners: must be an integer"),
        (b"{not json", leaves, "not valid JSON"),
        (b"\xff\xfe{}", leaves, "not UTF-8"),
        (text.encode(), good_list.upper(), "line 1 is not 64 lowercase hex digits"),
        (text.encode(), good_list + b"\n", "line 13 is not 64 lowercase hex digits"),
        (text.encode(), b"", "entries.leaves: is empty"),
    ]:
        report, python = check_agreement(driver, cert, leaf_list)
        assert python == [(UNUSABLE, "fail")]
        assert field in report.lines[0][2]


def test_missing_final_newline_is_tolerated(driver):
    doc, leaves = honest(case_named("commit-only"))
    listing = b"\n".join(leaf.hex().encode() for leaf in leaves)
    report, _ = check_agreement(driver, doc, listing)
    assert report.verdict == "verified"


# --- the signature --------------------------------------------------------------------

EXTRA = {
    "contest": {"title": "Coffret de Noël 🎄 — « Gers »", "ｆｕｌｌ": "width", "\U0001f600": "astral",
                "\uffee": "bmp", "z": [{"é": 1, "e": [True, False, None]}, [], {}],
                "escapes": "\u0000\u001f\u007f\u2028\u2029\"\\/\t\n", "big": 2**60,
                "negative": -(2**63), "zero": 0},
    "counts": {"eligible": 12, "excluded_by_reason": {"duplicate": 1, "bot": 0}},
}


def test_signature_over_non_ascii_nested_members(driver, signing_key):
    doc = sign_document(with_extra(case_named("commit-only"), EXTRA), signing_key)
    _, leaves = honest(case_named("commit-only"))
    for compact in (True, False):
        data = (json.dumps(doc, ensure_ascii=compact) if compact
                else json.dumps(doc, ensure_ascii=False, indent=3)).encode()
        report, _ = check_agreement(driver, data, leaves)
        assert ("signature", "ok") in report.statuses


def test_signature_tampering(driver, signing_key):
    signed = sign_document(with_extra(case_named("commit-only"), EXTRA), signing_key)
    _, leaves = honest(case_named("commit-only"))
    text = json.dumps(signed, ensure_ascii=False)
    changed = [
        text.replace('"big": 1152921504606846976', '"big": 1152921504606846977'),
        text.replace('"zero": 0', '"zero": 0.0'),  # a float: no canonical form
        text.replace("🎄", "🎅"),
        json.dumps(tampered(signed, "signature.value", "A" * 86 + "==")),
        json.dumps(tampered(signed, "signature.value", "not base64!")),
        json.dumps(tampered(signed, "signature.key_id", "00" * 32)),
        json.dumps(tampered(signed, "signature.alg", "RS256")),
        json.dumps(tampered(signed, "signature.public_key", "zz")),
    ]
    for data in changed:
        assert data != text
        report, _ = check_agreement(driver, data.encode(), leaves)
        assert report.failed == {"signature"}
    unchecked = tampered(signed, "signature.public_key", DELETE)
    report, _ = check_agreement(driver, unchecked, leaves)
    assert ("signature", "note") in report.statuses and report.verdict == "verified"


def test_organiser_published_key(driver, signing_key, tmp_path):
    doc, leaves = honest(case_named("commit-only"))
    signed = sign_document(doc, signing_key)
    organiser = parse_public_key(public_key_hex(signing_key))
    for published in (public_key_hex(signing_key), public_key_pem(signing_key)):
        report, _ = check_agreement(driver, signed, leaves, public_key=published,
                                    python_key=organiser)
        assert report.statuses[-1] == ("signature", "ok")  # no "embedded key" note
    other = load_or_create_signing_key(tmp_path / "other.pem")
    report, _ = check_agreement(driver, signed, leaves,
                                public_key=public_key_hex(other),
                                python_key=parse_public_key(public_key_hex(other)))
    assert report.failed == {"signature"}


# --- the page ---------------------------------------------------------------------------

def test_hostile_strings_are_shown_as_text(driver, signing_key):
    keys = [f"ig:{i}" for i in range(10)]
    doc, leaves = certificate(bytes(32), bytes(16), HOSTILE, keys, 1, 1, NoBeacon())
    doc["contest"] = {"title": HOSTILE}
    doc = sign_document(doc, signing_key)
    bad_beacon = tampered(doc, "beacon", {"kind": "rfc3797", "key_string": HOSTILE,
                                         "sources": [[1]]})
    bad_list = b"<img src=x onerror=alert(3)>\n"
    reports = []
    for cert, leaf_list in ((doc, leaves), (bad_beacon, leaves), (doc, bad_list)):
        report = driver.verify(cert, leaf_list, mouse=True)
        assert report.console_errors == []  # no dialog, no CSP or Trusted Types refusal
        assert driver.page.locator("img, script:not([src]):not(#gdraw-messages)").count() == 0
        reports.append(report)
    assert HOSTILE in reports[0].lines[0][2] and reports[0].verdict == "verified"
    assert any(HOSTILE in message for step, status, message in reports[1].lines
               if step == "beacon" and status == "fail")
    assert "<img src=x onerror=alert(3)>" in reports[2].lines[0][2]


def test_other_origins_are_refused(driver):
    doc, leaves = honest(case_named("commit-only"))
    url = driver.open(doc, leaves)
    folder = url.removeprefix(driver.site.base).rsplit("/", 1)[0]
    page = driver.site.files[f"{folder}/index.html"].decode()
    driver.site.files[f"{folder}/index.html"] = page.replace(
        f'data-certificate-url="{folder}/certificate.json"',
        'data-certificate-url="http://example.invalid/certificate.json"').encode()
    requests = []

    def seen(request):
        requests.append(request.url)

    driver.page.on("request", seen)
    try:
        driver.page.goto(url)
        report = driver.run()
    finally:
        driver.page.remove_listener("request", seen)
    assert report.verdict == "not-verified" and "is not on this site" in report.lines[0][2]
    assert not [u for u in requests if "example.invalid" in u]


def test_hundred_thousand_leaves_within_five_seconds(driver):
    keys = [f"ig:{10**9 + 7 * i}" for i in range(100_000)]
    doc, leaves = certificate(bytes(range(32)), bytes(range(16)), "big-draw", keys, 3, 10,
                              DeclaredValuesBeacon.from_sources([[7], [3, 14, 15]]))
    driver.open(doc, leaves)
    started = time.perf_counter()
    report = driver.run()
    elapsed = time.perf_counter() - started
    assert report.verdict == "verified", report.lines
    assert report.console_errors == []
    assert elapsed <= 5.0, f"{elapsed:.2f} s"


def test_results_are_rendered_again_on_a_second_click(driver):
    doc, leaves = honest(case_named("commit-only"))
    driver.open(doc, leaves)
    for _ in range(2):
        report = driver.run()
        assert report.verdict == "verified"
        assert len(report.lines) == len(python_statuses(doc, leaves))
        assert driver.page.locator(".gdraw-verify-progress").count() == 1
    assert driver.page.evaluate("window.GDrawVerify.autoRun()") == 1  # wiring again: harmless
    report = driver.run()
    assert len(report.lines) == len(python_statuses(doc, leaves))
