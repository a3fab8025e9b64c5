"""``python -m giveaway.verify``: check a draw certificate with nothing but the package.

Exit status: 0 when every check passes (an unsigned document is reported as
such and still passes), 1 when any check fails, 2 when the input is
unusable (unreadable file, bad JSON, missing or malformed member…).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from giveaway.core.checks import Status, all_passed
from giveaway.core.document import load_document, parse_certificate
from giveaway.core.encoding import canonical_json, parse_hex
from giveaway.core.followup import check_followup_chain
from giveaway.core.errors import InvalidDocument, KeyFileError, ProtocolError
from giveaway.core.leaflist import load_leaf_list
from giveaway.core.signing import load_public_key
from giveaway.core.certificate_stamp import check_certificate_token
from giveaway.core.verification import embedded_public_key, prove_inclusion, verify_certificate

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(
        prog="python -m giveaway.verify",
        description="Verify a gdraw draw certificate (gdraw-v1 or gdraw-v2): declaration, "
                    "commitment, leaf list, Merkle root, beacon, timeline, time-stamps, "
                    "selection and signature.")
    parser.add_argument("certificate", help="the certificate JSON file")
    parser.add_argument("--leaves", help="leaf list file or http(s) URL "
                                         "(default: entries.leaves of the certificate)")
    parser.add_argument("--public-key", help="the organiser's Ed25519 public key "
                                             "(PEM file, or a file holding 64 hex digits); "
                                             "with it, an unsigned certificate fails")
    parser.add_argument("--commitment", metavar="HEX",
                        help="the commitment published elsewhere (64 hex digits): it must be "
                             "the certificate's")
    parser.add_argument("--caption", metavar="TEXT",
                        help='the caption code seen on Instagram, e.g. '
                             '"gdraw-v2 my-contest 0123…": it must pin this certificate')
    parser.add_argument("--tsa-root", metavar="PEM", action="append", default=[],
                        help="a time-stamping authority's root certificate to require "
                             "(repeatable); without it each token is checked against the "
                             "certificate it carries")
    parser.add_argument("--certificate-timestamp", metavar="TSR",
                        help="the RFC 3161 token on the sealed certificate file itself")
    parser.add_argument("--followup", metavar="JSON",
                        help="the signed follow-up records published after the draw "
                             "(followup.json): chained to this exact certificate file")
    parser.add_argument("--entry", metavar="KEY",
                        help="prove that this entry key (e.g. ig:12345) is in the list")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the verifier; return the exit status (never raises for bad input).

    Check lines go to standard output, unusable-input errors to standard error.
    """
    args = build_parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # never die on a terminal's narrow charset
    try:
        return _run(args, sys.stdout, _marks(sys.stdout))
    except InvalidDocument as exc:
        print(f"error: unusable input: {exc.field}: {exc.reason}", file=sys.stderr)
    except (KeyFileError, ProtocolError) as exc:
        print(f"error: unusable input: {exc}", file=sys.stderr)
    return EXIT_UNUSABLE


def _run(args: argparse.Namespace, out: TextIO, marks: dict[Status, str]) -> int:
    cert_path = Path(args.certificate)
    try:
        data = cert_path.read_bytes()
    except OSError as exc:
        raise InvalidDocument("certificate", f"cannot read {cert_path}: "
                                             f"{exc.strerror or exc}") from None
    doc = load_document(data)
    cert = parse_certificate(doc)
    public_key = load_public_key(args.public_key) if args.public_key else None
    if args.leaves:
        leaves = load_leaf_list(args.leaves)
    elif cert.leaves_location:
        leaves = load_leaf_list(cert.leaves_location, cert_path.parent)
    else:
        raise InvalidDocument("entries.leaves", "is missing: pass the leaf list with --leaves")
    expected = parse_hex(args.commitment.strip(), "--commitment", 32) \
        if args.commitment is not None else None
    roots = [_read(path, "--tsa-root") for path in args.tsa_root] or None
    results = verify_certificate(doc, leaves, public_key, expected_commitment=expected,
                                 caption=args.caption, tsa_roots=roots)
    if args.followup:
        results += _check_followup(_read(args.followup, "--followup"), data, doc, public_key)
    if args.certificate_timestamp:
        results += check_certificate_token(_read(args.certificate_timestamp,
                                                 "--certificate-timestamp"), data, cert, roots)
    for r in results:
        print(f"{marks[r.status]} {r.step}: {r.message}", file=out)
    ok = all_passed(results)
    if args.entry is not None:
        ok = _print_inclusion(doc, leaves, args.entry, out, marks) and ok
    failures = sum(1 for r in results if not r.ok)
    if ok:
        print("VERIFIED: every check passed", file=out)
        return EXIT_OK
    print(f"NOT VERIFIED: {failures or 1} check(s) failed", file=out)
    return EXIT_FAILED


def _check_followup(raw: bytes, certificate: bytes, doc: dict, public_key) -> list:
    records = load_document(b'{"records":' + raw + b"}")["records"]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise InvalidDocument("--followup", "must be a JSON list of records")
    key = public_key or embedded_public_key(doc)
    return check_followup_chain([canonical_json(r) for r in records],
                                hashlib.sha256(certificate).hexdigest(), key)


def _read(path: str, field: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InvalidDocument(field, f"cannot read {path}: {exc.strerror or exc}") from None


def _print_inclusion(doc: dict, leaves: list[bytes], key: str, out: TextIO,
                     marks: dict[Status, str]) -> bool:
    proof = prove_inclusion(doc, leaves, key)
    print(f"entry {key!r}: leaf {proof.leaf.hex()}", file=out)
    if proof.index is None:
        print(f"{marks[Status.FAIL]} inclusion: this entry's leaf is not in the list", file=out)
        return False
    print(f"  index {proof.index} of {len(leaves)}; RFC 6962 audit path, nearest sibling first:",
          file=out)
    for node in proof.path:
        print(f"  {node.hex()}", file=out)
    if proof.valid:
        print(f"{marks[Status.OK]} inclusion: the audit path leads to entries.merkle_root",
              file=out)
    else:
        print(f"{marks[Status.FAIL]} inclusion: the audit path does not lead to "
              "entries.merkle_root", file=out)
    return proof.valid


def _marks(out: TextIO) -> dict[Status, str]:
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        "✓✗".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return {Status.OK: "[ok]", Status.FAIL: "[FAIL]", Status.NOTE: "[!]"}
    return {Status.OK: "✓", Status.FAIL: "✗", Status.NOTE: "!"}


if __name__ == "__main__":
    sys.exit(main())
