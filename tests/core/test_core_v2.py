"""gdraw-v2: the declaration binds everything, the timeline holds, the verifier is strict."""
import copy
import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from giveaway.core import (DeclaredValuesBeacon, NoBeacon, QUICKNET, all_passed,
                           freeze_entries, sign_document, verify_certificate)
from giveaway.core.caption import caption_code
from giveaway.core.certificate import build_certificate_v2
from giveaway.core.declaration import (NO_BEACON, build_declaration, declaration_digest,
                                       declared_values_declaration, drand_declaration,
                                       parse_declaration)
from giveaway.core.errors import InvalidDocument, InvalidInput
from giveaway.core.protocol import commitment
from giveaway.core.redeclaration import build_redeclaration
from giveaway.core.selection import draw_as_declared

UTC = dt.timezone.utc
SEED = bytes(range(32))
SALT = bytes(range(16))
OPENS = dt.datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
CLOSES = dt.datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
FROZEN = dt.datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
LOTTERY = dt.datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
KEYS = [f"ig:{n}" for n in range(100, 160)]
SIGNER = Ed25519PrivateKey.generate()


def declared(method="gdraw", beacon=None, winners=2, alternates=3, **over):
    beacon = beacon or declared_values_declaration(
        LOTTERY, "EuroMillions du mardi 1er décembre 2026",
        [("numéros", 5), ("étoiles", 2)])
    args = dict(draw_id="coffret-noel", salt=SALT, method=method, winners=winners,
                alternates=alternates, beacon=beacon, opens_at=OPENS, closes_at=CLOSES,
                rules_sha256="ab" * 32, eligibility_sha256="cd" * 32, committed_at=OPENS)
    args.update(over)
    return build_declaration(**args)


def certificate(decl=None, beacon=None, drawn_at=LOTTERY + dt.timedelta(hours=1),
                frozen_at=FROZEN, redeclarations=(), sign=True):
    decl = decl or declared()
    parsed = parse_declaration(decl)
    beacon = beacon or DeclaredValuesBeacon.from_sources([[3, 17, 22, 40, 48], [2, 9]],
                                                         parsed.beacon.description)
    leaves = freeze_entries(SALT, KEYS)
    result = draw_as_declared(SEED, parsed, beacon, leaves)
    doc = build_certificate_v2(declaration=decl, seed=SEED, beacon=beacon, result=result,
                               leaves=leaves, leaves_location="leaves.txt",
                               frozen_at=frozen_at, drawn_at=drawn_at,
                               redeclarations=redeclarations)
    return (sign_document(doc, SIGNER) if sign else doc), leaves


def failures(results):
    return [r.step for r in results if not r.ok]


def test_a_v2_certificate_verifies_and_binds_the_declaration():
    doc, leaves = certificate()
    results = verify_certificate(doc, leaves, SIGNER.public_key())
    assert all_passed(results), results
    d = declaration_digest(doc["declaration"])
    assert doc["commitment"] == commitment("coffret-noel", SEED, d).hex()
    assert doc["commitment"] != commitment("coffret-noel", SEED).hex()  # not the v1 commitment
    assert {"declaration", "beacon-declared", "timeline"} <= {r.step for r in results}


def test_the_rfc3797_method_verifies_under_v2():
    doc, leaves = certificate(declared(method="rfc3797"))
    assert all_passed(verify_certificate(doc, leaves, SIGNER.public_key()))


@pytest.mark.parametrize("path, value", [
    (("declaration", "salt"), "ff" * 16),
    (("declaration", "method"), "rfc3797"),
    (("declaration", "winners"), 3),
    (("declaration", "alternates"), 1),
    (("declaration", "beacon", "sources", 0, "count"), 6),
    (("declaration", "beacon", "available_at"), "2026-11-29T20:00:00Z"),
    (("declaration", "beacon", "description"), "Loto du samedi"),
    (("salt",), "ff" * 16),
    (("method",), "rfc3797"),
    (("winners",), 3),
])
def test_changing_anything_declared_fails_even_when_re_signed(path, value):
    doc, leaves = certificate(sign=False)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    signed = sign_document(doc, SIGNER)  # the organiser re-signs the switched document
    try:
        results = verify_certificate(signed, leaves, SIGNER.public_key())
    except InvalidDocument:
        return  # refused as unusable: also not "VERIFIED"
    assert not all_passed(results)


def test_switching_the_drand_round_fails():
    round_number = QUICKNET.round_at(LOTTERY)
    decl = declared(beacon=drand_declaration(round_number, QUICKNET.chain_hash))
    doc, _ = certificate(decl, beacon=NoBeacon(), sign=False)
    # The declared round is bound: a certificate that used no beacon (or another round) fails.
    assert "beacon-declared" in failures(verify_certificate(doc, freeze_entries(SALT, KEYS)))


def test_a_draw_before_the_values_exist_fails_the_timeline():
    doc, leaves = certificate(drawn_at=LOTTERY - dt.timedelta(days=2))
    results = verify_certificate(doc, leaves, SIGNER.public_key())
    assert failures(results) == ["timeline"]
    assert "before the beacon time" in next(r.message for r in results if not r.ok)


def test_a_freeze_after_the_values_exist_fails_the_timeline():
    doc, leaves = certificate(frozen_at=LOTTERY)  # strict: equal is too late
    assert failures(verify_certificate(doc, leaves, SIGNER.public_key())) == ["timeline"]


def test_the_wrong_shape_of_values_fails():
    doc, leaves = certificate(beacon=DeclaredValuesBeacon.from_sources([[3, 17, 22, 40], [2, 9]]))
    assert "beacon-declared" in failures(verify_certificate(doc, leaves, SIGNER.public_key()))


def test_a_signed_redeclaration_moves_to_a_later_beacon_and_is_listed():
    decl = declared()
    parsed = parse_declaration(decl)
    later = declared_values_declaration(LOTTERY + dt.timedelta(days=3), "EuroMillions du 4",
                                        [("numéros", 5), ("étoiles", 2)])
    record = sign_document(build_redeclaration(
        declaration=parsed, seq=1, at=LOTTERY - dt.timedelta(hours=2),
        reason="Le récolte finale a échoué", previous=parsed.beacon, beacon=later), SIGNER)
    doc, leaves = certificate(decl, frozen_at=LOTTERY + dt.timedelta(hours=1),
                              drawn_at=LOTTERY + dt.timedelta(days=3, hours=1),
                              redeclarations=[record])
    results = verify_certificate(doc, leaves, SIGNER.public_key())
    assert all_passed(results), [r for r in results if not r.ok]
    assert any(r.code == "beacon_redeclared" for r in results)
    # A redeclaration to an earlier beacon, or unsigned, fails.
    earlier = dict(record, beacon=declared_values_declaration(
        LOTTERY - dt.timedelta(days=1), "x", [("a", 5), ("b", 2)]).to_document())
    del earlier["signature"]
    doc2, _ = certificate(decl, frozen_at=LOTTERY + dt.timedelta(hours=1),
                          drawn_at=LOTTERY + dt.timedelta(days=3, hours=1),
                          redeclarations=[sign_document(earlier, SIGNER)])
    assert "redeclaration" in failures(verify_certificate(doc2, leaves, SIGNER.public_key()))
    unsigned = {k: v for k, v in record.items() if k != "signature"}
    doc3, _ = certificate(decl, frozen_at=LOTTERY + dt.timedelta(hours=1),
                          drawn_at=LOTTERY + dt.timedelta(days=3, hours=1),
                          redeclarations=[unsigned])
    assert "redeclaration" in failures(verify_certificate(doc3, leaves, SIGNER.public_key()))


def test_a_removed_signature_fails_with_the_public_key():
    doc, leaves = certificate()
    del doc["signature"]
    assert "signature" in failures(verify_certificate(doc, leaves, SIGNER.public_key()))
    assert all_passed(verify_certificate(doc, leaves))  # without a key: unsigned is a note


def test_caption_and_published_commitment_pin_the_certificate():
    doc, leaves = certificate()
    c = bytes.fromhex(doc["commitment"])
    good = caption_code("gdraw-v2", "coffret-noel", c)
    assert len(good.split()[2]) == 32
    assert all_passed(verify_certificate(doc, leaves, caption=good, expected_commitment=c))
    other = caption_code("gdraw-v2", "coffret-noel", bytes(32))
    assert failures(verify_certificate(doc, leaves, caption=other)) == ["caption"]
    assert failures(verify_certificate(doc, leaves, expected_commitment=bytes(32))) == [
        "commitment-published"]


def test_commit_only_v2_verifies_and_warns():
    doc, leaves = certificate(declared(beacon=NO_BEACON), beacon=NoBeacon())
    results = verify_certificate(doc, leaves, SIGNER.public_key())
    assert all_passed(results)
    assert any(r.code == "commit_only" for r in results)


def test_declaration_refuses_unknown_members_and_loose_times():
    decl = declared()
    with pytest.raises(InvalidDocument, match="declaration.extra"):
        parse_declaration({**decl, "extra": 1})
    with pytest.raises(InvalidDocument, match="declaration.committed_at"):
        parse_declaration({**decl, "committed_at": "2026-11-20T09:00:00+01:00"})
    broken = copy.deepcopy(decl)
    broken["beacon"]["round_time"] = "x"
    with pytest.raises(InvalidDocument, match="declaration.beacon"):
        parse_declaration(broken)


def test_the_rfc3797_method_is_refused_at_opening_beyond_65536_places():
    with pytest.raises(InvalidInput, match="alternates"):
        declared(method="rfc3797", winners=60000, alternates=6000)


def test_a_redeclaration_whose_signature_cannot_be_checked_fails():
    decl = declared()
    parsed = parse_declaration(decl)
    later = declared_values_declaration(LOTTERY + dt.timedelta(days=3), "EuroMillions du 4",
                                        [("numéros", 5), ("étoiles", 2)])
    record = sign_document(build_redeclaration(
        declaration=parsed, seq=1, at=LOTTERY - dt.timedelta(hours=2), reason="retard",
        previous=parsed.beacon, beacon=later), SIGNER)
    del record["signature"]["public_key"]
    doc, leaves = certificate(decl, frozen_at=LOTTERY + dt.timedelta(hours=1),
                              drawn_at=LOTTERY + dt.timedelta(days=3, hours=1),
                              redeclarations=[record], sign=False)
    assert "redeclaration" in failures(verify_certificate(doc, leaves))


def test_a_v2_certificate_must_state_its_declaration_digest():
    doc, leaves = certificate()
    del doc["declaration_sha256"]
    with pytest.raises(InvalidDocument, match="declaration_sha256"):
        verify_certificate(doc, leaves)


def test_a_caption_code_reads_a_draw_id_with_spaces():
    from giveaway.core.caption import check_caption
    from giveaway.core.document import parse_certificate
    doc, _ = certificate(declared(draw_id="jeu de noël"))
    cert = parse_certificate(doc)
    assert check_caption(cert, f"gdraw-v2 jeu de noël {doc['commitment'][:32]}").ok
    assert not check_caption(cert, f"gdraw-v2 jeu de noel {doc['commitment'][:32]}").ok


def test_malformed_inputs_found_by_fuzzing_are_unusable_not_crashes():
    from giveaway.core.caption import check_caption
    from giveaway.core.document import parse_certificate
    doc, leaves = certificate(sign=False)
    doc["method"] = "rfc3797"
    doc["declaration"]["method"] = "rfc3797"
    doc["beacon"] = {"kind": "none"}
    with pytest.raises(InvalidDocument):
        verify_certificate(doc, leaves)
    doc, leaves = certificate(sign=False)
    doc["redeclarations"] = [{"beacon": {"kind": "drand", "chain_hash": "00" * 32, "round": 1,
                                         "round_time": "2026-01-01T00:00:00Z"}}]
    with pytest.raises(InvalidDocument):
        verify_certificate(doc, leaves)
    with pytest.raises(InvalidDocument, match="9999"):
        parse_declaration(declared(beacon=drand_declaration(1, QUICKNET.chain_hash)) | {
            "beacon": {"kind": "drand", "chain_hash": QUICKNET.chain_hash.hex(),
                       "round": 10**12, "round_time": "2026-01-01T00:00:00Z"}})
    cert = parse_certificate(certificate()[0])
    caption = f"gdraw-v2\tcoffret-noel\u00a0{certificate()[0]['commitment'][:32]}"
    assert check_caption(cert, caption).ok  # tabs and no-break spaces from a pasted caption


def test_an_unsigned_certificate_cannot_vouch_for_a_self_signed_redeclaration():
    decl = declared()
    parsed = parse_declaration(decl)
    later = declared_values_declaration(LOTTERY + dt.timedelta(days=3), "EuroMillions du 4",
                                        [("numéros", 5), ("étoiles", 2)])
    record = sign_document(build_redeclaration(
        declaration=parsed, seq=1, at=LOTTERY - dt.timedelta(hours=2), reason="retard",
        previous=parsed.beacon, beacon=later), Ed25519PrivateKey.generate())
    doc, leaves = certificate(decl, frozen_at=LOTTERY + dt.timedelta(hours=1),
                              drawn_at=LOTTERY + dt.timedelta(days=3, hours=1),
                              redeclarations=[record], sign=False)
    assert "redeclaration" in failures(verify_certificate(doc, leaves))
