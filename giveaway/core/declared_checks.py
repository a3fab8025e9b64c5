"""gdraw-v2 verification steps: the declaration, the beacon against it, the timeline.

Each function returns CheckResult lines; nothing here raises for a failed
check.  ``effective`` is the beacon in force after any redeclaration.
"""

from __future__ import annotations

from .beacons import DeclaredValuesBeacon, DrandBeacon, NoBeacon
from .checks import CheckResult, failed, note, passed
from .declaration import BeaconDeclaration
from .document import Certificate
from .encoding import format_timestamp
from .protocol import commitment


def check_declaration(cert: Certificate, stated_digest: object) -> list[CheckResult]:
    """The certificate restates D faithfully, and C = H(TAG ‖ "/commit" ‖ lp(id) ‖ d ‖ S)."""
    decl = cert.declaration
    assert decl is not None and cert.seed is not None and cert.salt is not None
    problems = []
    for name, stated, declared in (
            ("draw_id", cert.draw_id, decl.draw_id), ("salt", cert.salt, decl.salt),
            ("method", cert.method, decl.method), ("winners", cert.winners, decl.winners),
            ("alternates", cert.alternates, decl.alternates),
            ("committed_at", cert.committed_at, decl.committed_at)):
        if stated != declared:
            problems.append(f"{name} differs from the declaration")
    if stated_digest is not None and str(stated_digest).lower() != decl.digest.hex():
        problems.append("declaration_sha256 is not H(canonical(declaration))")
    out = [failed("declaration", "; ".join(problems)) if problems else
           passed("declaration", f"d = H(canonical(D)) = {decl.digest.hex()}; salt, method, "
                                 "k, a and committed_at are those declared")]
    if commitment(cert.draw_id, cert.seed, decl.digest) != cert.commitment:
        out.append(failed("commitment", "the revealed seed and the declaration do not match "
                                        "the commitment H(TAG ‖ \"/commit\" ‖ lp(draw_id) ‖ d "
                                        "‖ seed): something declared was changed"))
    else:
        out.append(passed("commitment", "the revealed seed and the declaration D match the "
                                        "published commitment"))
    return out


def check_beacon_declared(cert: Certificate, effective: BeaconDeclaration) -> list[CheckResult]:
    """The randomness used is exactly the randomness declared (round, or sources and counts)."""
    beacon = cert.beacon
    if effective.kind == "drand":
        if isinstance(beacon, DrandBeacon) and beacon.chain_hash == effective.chain_hash \
                and beacon.round == effective.round:
            return [passed("beacon-declared", f"drand round {beacon.round} is the declared one")]
        return [failed("beacon-declared", f"the draw did not use the declared drand round "
                                          f"{effective.round}")]
    if effective.kind == "declared":
        if not isinstance(beacon, DeclaredValuesBeacon) or beacon.sources is None:
            return [failed("beacon-declared", "the draw did not use the declared public values "
                                              "(beacon.sources is required)")]
        counts = [len(s) for s in beacon.sources]
        declared = [s.count for s in effective.sources]
        if counts != declared:
            return [failed("beacon-declared", f"the values do not have the declared shape: "
                                              f"{len(declared)} source(s) of {declared} "
                                              f"value(s) declared, {counts} given")]
        return [passed("beacon-declared", f"{len(counts)} source(s) of {counts} value(s), as "
                                          f"declared ({effective.description})")]
    if isinstance(beacon, NoBeacon):
        return [passed("beacon-declared", "commit-only, as declared")]
    return [failed("beacon-declared", "a beacon was used although none was declared")]


def check_timeline_v2(cert: Certificate, effective: BeaconDeclaration) -> list[CheckResult]:
    """committed_at ≤ opens_at (or a late opening before closes_at), committed_at ≤ frozen_at,
    frozen_at < beacon time ≤ drawn_at (commit-only: frozen_at ≤ drawn_at)."""
    decl = cert.declaration
    assert decl is not None and cert.committed_at and cert.frozen_at and cert.drawn_at
    out = []
    if cert.committed_at <= decl.opens_at:
        out.append(passed("timeline", "committed before the entries opened"))
    elif cert.committed_at < decl.closes_at:
        out.append(note("timeline", "committed after opens_at (a late opening), before the "
                                    "close: comments made before the commitment could count",
                        "late_opening"))
    else:
        out.append(failed("timeline", "committed_at is not before closes_at: the commitment "
                                      "came after the entries were closed"))
    if cert.committed_at <= cert.frozen_at:
        out.append(passed("timeline", "the commitment precedes the freeze of the entries"))
    else:
        out.append(failed("timeline", "entries.frozen_at is before committed_at"))
    at = effective.time
    if at is None:
        ok = cert.frozen_at <= cert.drawn_at
        out.append(passed("timeline", "the draw ran after the freeze") if ok else
                   failed("timeline", "drawn_at is before entries.frozen_at"))
        return out
    when = format_timestamp(at)
    if cert.frozen_at < at:
        out.append(passed("timeline", f"the entries were frozen before the randomness existed "
                                      f"({when})"))
    else:
        out.append(failed("timeline", f"entries.frozen_at is not before the beacon time {when}: "
                                      "the randomness could be known before the freeze"))
    if cert.drawn_at >= at:
        out.append(passed("timeline", f"the draw ran at or after the beacon time {when}"))
    else:
        out.append(failed("timeline", f"drawn_at {format_timestamp(cert.drawn_at)} is before "
                                      f"the beacon time {when}: the values used could not "
                                      "be known yet"))
    return out
