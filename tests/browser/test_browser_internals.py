"""The building blocks of gdraw-verify.js against Python and the published vectors:
MD5 (RFC 3797 needs it, WebCrypto lacks it), canonical JSON (the signed bytes),
timestamps, the Merkle root, the u64 stream and both selection methods."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from core_testkit import CASES, VECTORS, case_named, honest
from giveaway.core import (InvalidInput, canonical_json, format_leaf_list, parse_timestamp,
                           select_positions)

from .browser_kit import python_statuses

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def js(driver):
    """The driver's page, on a page that only loads the verifier; evaluate(js, arg)."""
    driver.page.goto(driver.site.script_page(), wait_until="domcontentloaded")
    driver.errors.clear()
    yield driver.page.evaluate
    assert driver.errors == []


def test_md5_known_vectors_and_python(js):
    rfc1321 = {
        "": "d41d8cd98f00b204e9800998ecf8427e",
        "a": "0cc175b9c0f1b6a831c399e269772661",
        "abc": "900150983cd24fb0d6963f7d28e17f72",
        "message digest": "f96b697d7cb7938d525a2f31aaf161d0",
        "abcdefghijklmnopqrstuvwxyz": "c3fcd3d76192e4007dfb496cca67e13b",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789":
            "d174ab98d277d9f5a5611c2c9f419d9f",
        "1234567890" * 8: "57edf4a22be3c955ac49da2e2107b67a",
    }
    messages = [list(m.encode()) for m in rfc1321]
    # every length around the 55/56/64-byte padding boundaries, and a few blocks
    messages += [[(7 * i + n) % 256 for i in range(n)] for n in range(0, 200)]
    digests = js("ms => ms.map(m => GDrawVerify.internals.hex("
                 "GDrawVerify.internals.md5(Uint8Array.from(m))))", messages)
    assert digests[:len(rfc1321)] == list(rfc1321.values())
    assert digests == [hashlib.md5(bytes(m), usedforsecurity=False).hexdigest() for m in messages]


CANONICAL_CASES = [
    {},
    {"b": 1, "a": [], "c": {}},
    {"é": "Noël 🎄", "e": "plain", "ｆ": "fullwidth", "\U0001f600": "astral", "\uffee": "bmp",
     "\u00e9\u0301": "combining", "Z": None, "z": [True, False, None, 0, -1, 2**53 - 1]},
    {"nested": {"deeper": {"x": [{"b": 2, "a": 1}, [[]], "s"]}}, "list": [3, 1, 2]},
    {"escapes": "\u0000\u0001\u001f\u007f\u0080\u2028\u2029\ufeff\"\\/\b\f\n\r\t"},
    {"10": "ten", "9": "nine", "-1": "minus", "__proto__": {"polluted": True}},
    {"big": 2**64 + 1, "negative big": -(2**70), "zero": 0},
]


@pytest.mark.parametrize("doc", CANONICAL_CASES, ids=range(len(CANONICAL_CASES)))
def test_canonical_json_is_pythons(js, doc):
    text = json.dumps(doc, ensure_ascii=True, indent=1)
    got = js("t => GDrawVerify.internals.canonicalJson(GDrawVerify.parseDocument(t))", text)
    assert got.encode("utf-8") == canonical_json(json.loads(text))


def test_canonical_json_refuses_what_python_refuses(js):
    for text in ('{"x": 1.0}', '{"x": 1e3}', '{"x": "\\ud800"}', '{"\\udfff": 1}'):
        with pytest.raises(InvalidInput):
            canonical_json(json.loads(text))
        assert js("t => { try { GDrawVerify.internals.canonicalJson("
                  "GDrawVerify.parseDocument(t)); return 'ok' } catch (e) { return e.name } }",
                  text) == "TypeError"


TIMESTAMPS = ["2023-08-22T09:00:00Z", "2023-08-22T09:00:00+00:00", "2023-08-22T11:00:00+02:00",
              "2023-08-22T09:00:00.5Z", "2023-08-22T09:00:00.123456-05:30",
              "2024-02-29T23:59:59Z", "2023-08-22 09:00:00Z", "2023-08-22T09:00Z",
              "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "1969-07-20T20:17:40Z",
              "2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-08-22T24:00:00Z",
              "2023-08-22T09:60:00Z", "yesterday", "2023-08-22T09:00:00", "2023-08-22", ""]


def test_timestamps_read_as_python_reads_them(js):
    got = js("ts => ts.map(t => {"
             " try { return String(GDrawVerify.internals.parseTimestamp(t, 'f')) }"
             " catch (e) { return 'error' } })", TIMESTAMPS)
    expected = []
    for text in TIMESTAMPS:
        try:
            delta = parse_timestamp(text, "f") - EPOCH
            expected.append(str((delta.days * 86400 + delta.seconds) * 10**6
                                + delta.microseconds))
        except InvalidInput:
            expected.append("error")
    assert got == expected


def test_merkle_roots_of_the_vectors(js):
    trees = VECTORS["merkle"] + [{"leaves_sorted": c["expected"]["leaves_sorted"],
                                  "root": c["expected"]["merkle_root"]} for c in CASES]
    roots = js("""async trees => Promise.all(trees.map(async t => {
        const I = GDrawVerify.internals;
        const leaves = I.parseLeafList(t.leaves_sorted.map(l => l + '\\n').join(''));
        return I.hex(await I.merkleRoot(leaves, leaves.length / 32));
    }))""", trees)
    assert roots == [t["root"] for t in trees]


@pytest.mark.parametrize("case", CASES, ids=[c["name"].split(" (")[0] for c in CASES])
def test_stream_and_selection_of_the_vectors(js, case):
    exp, inp = case["expected"], case["input"]
    got = js("""async ([key, count, k, a, words]) => {
        const I = GDrawVerify.internals;
        const K = Uint8Array.from(key.match(/../g).map(h => parseInt(h, 16)));
        const next = await I.wordStream(K);
        const first = [];
        for (let i = 0; i < words; i++) first.push(String(await next(words - i)));
        return [first, await I.select(K, count, k, a)];
    }""", [exp["derived_key"], exp["count"], inp["winners"], inp["alternates"],
           len(exp["first_u64"])])
    assert got[0] == [str(w) for w in exp["first_u64"]]
    assert got[1] == [exp["winners"], exp["alternates"]]


def test_rfc3797_section_6_example_and_python(js):
    ex = VECTORS["rfc3797_example"]
    sources = [[str(v) for v in s] for s in ex["sources"]]
    key, picks = js("""([sources, pool, n]) => {
        const I = GDrawVerify.internals, key = I.keyString(sources);
        return [key, I.rfc3797Positions(key, pool, n)];
    }""", [sources, ex["pool"], len(ex["selected_1_based"])])
    assert key == ex["key_string"]
    assert picks == ex["selected_1_based"]
    for pool, count in ((1, 1), (7, 7), (1000, 40), (2**32 - 1, 20)):
        got = js("([k, p, c]) => GDrawVerify.internals.rfc3797Positions(k, p, c)",
                 ["Loto: 7./3.14.15./", pool, count])
        assert got == select_positions("Loto: 7./3.14.15./", pool, count)


def test_public_api_with_a_parsed_document_and_progress(js):
    doc, leaves = honest(case_named("declared"))
    steps, results = js("""async ([doc, leaves]) => {
        const steps = [];
        const results = await GDrawVerify.verifyCertificate(doc, leaves, step => {
            if (steps[steps.length - 1] !== step) steps.push(step);
        });
        return [steps, results.map(r => [r.step, r.ok])];
    }""", [doc, format_leaf_list(leaves).decode()])
    assert steps == ["document", "commitment", "leaf-order", "merkle-root", "beacon", "timeline",
                     "selection", "result-leaves", "signature"]
    status = {True: "ok", False: "fail", None: "note"}
    assert [(step, status[ok]) for step, ok in results] == python_statuses(doc, leaves)
