"""The draw core: gdraw-v1, public randomness beacons, certificates, verification.

Pure Python (standard library, plus ``py_ecc`` for drand's BLS signatures and
``cryptography`` for Ed25519).  Nothing here imports Flask, SQLAlchemy,
instagrapi or huey, uses the ``random`` module or floating point in the draw.
``docs/PROTOCOL.md`` describes the protocol byte by byte.

Typical use by the app::

    seed, salt = new_seed(), new_salt()              # step 1: keep seed secret
    c = commitment(draw_id, seed)                    # publish c, salt, k, a, beacon
    leaves = freeze_entries(salt, keys)              # step 3: L, sorted distinct
    root = merkle_root(leaves)                       # publish N, root, leaf list
    beacon = fetch_drand_beacon(QUICKNET.round_at(draw_time), urls)   # or NoBeacon(),
    #        DeclaredValuesBeacon.from_sources([[9319], [2, 5, 12, 8, 10]])
    result = draw(seed, draw_id, winners=k, alternates=a, beacon=beacon, leaves=leaves)
    doc = build_certificate(draw_id=draw_id, seed=seed, salt=salt, committed_at=t0,
                            winners=k, alternates=a, beacon=beacon, result=result,
                            leaves=leaves, leaves_location="leaves.txt", frozen_at=t1)
    doc = sign_document(doc, load_or_create_signing_key(instance_path / "draw-key.pem"))
    checks = verify_certificate(doc, leaves)         # list[CheckResult]

Errors: every bad input raises :class:`InvalidInput` (``.field``, ``.reason``);
:class:`InvalidDocument` for an unusable certificate; beacons raise
:class:`BeaconNotYetAvailable` (wait), :class:`BeaconUnavailable` (retry),
:class:`BeaconVerificationError` (never use the value).
"""

from .beacons import (COMMIT_ONLY_WARNING, Beacon, BeaconWarning, DeclaredValuesBeacon,
                      DrandBeacon, NoBeacon, beacon_from_document, beacon_warning)
from .certificate import build_certificate
from .checks import CheckResult, Status, all_passed
from .document import Certificate, load_document, parse_certificate
from .drand import KNOWN_CHAINS, QUICKNET, DrandChain, chain_for
from .drand_fetch import DEFAULT_DRAND_URLS, fetch_drand_beacon, fetch_drand_beacon_for_time
from .encoding import canonical_json, format_timestamp, parse_timestamp
from .errors import (BeaconError, BeaconNotYetAvailable, BeaconUnavailable,
                     BeaconVerificationError, InvalidDocument, InvalidInput, KeyFileError,
                     ProtocolError)
from .leaflist import format_leaf_list, load_leaf_list, parse_leaf_list, write_leaf_list
from .merkle import audit_path, merkle_root, verify_audit_path
from .protocol import (commitment, derive_key, entry_leaf, entry_leaves, freeze_entries,
                       freeze_leaves, new_salt, new_seed, normalize_key, transcript)
from .rfc3797 import key_string, select_positions
from .selection import DrawResult, draw, draw_rfc3797
from .signing import (key_id, load_or_create_signing_key, load_public_key, parse_public_key,
                      public_key_hex, public_key_pem, sign_document)
from .stream import Stream
from .verification import InclusionProof, prove_inclusion, verify_certificate

__all__ = [
    "COMMIT_ONLY_WARNING", "Beacon", "BeaconError", "BeaconNotYetAvailable",
    "BeaconUnavailable", "BeaconVerificationError", "BeaconWarning", "Certificate",
    "CheckResult", "DEFAULT_DRAND_URLS", "DeclaredValuesBeacon", "DrandBeacon", "DrandChain",
    "DrawResult", "InclusionProof", "InvalidDocument", "InvalidInput", "KNOWN_CHAINS",
    "KeyFileError", "NoBeacon", "ProtocolError", "QUICKNET", "Status", "Stream",
    "all_passed", "audit_path", "beacon_from_document", "beacon_warning",
    "build_certificate", "canonical_json", "chain_for", "commitment", "derive_key", "draw",
    "draw_rfc3797", "entry_leaf", "entry_leaves", "fetch_drand_beacon",
    "fetch_drand_beacon_for_time",
    "format_leaf_list", "format_timestamp", "freeze_entries", "freeze_leaves", "key_id",
    "key_string", "load_document", "load_leaf_list", "load_or_create_signing_key",
    "load_public_key", "merkle_root", "new_salt", "new_seed", "normalize_key",
    "parse_certificate", "parse_leaf_list", "parse_public_key", "parse_timestamp",
    "prove_inclusion", "public_key_hex", "public_key_pem", "select_positions",
    "sign_document", "transcript", "verify_audit_path", "verify_certificate",
    "write_leaf_list",
]
