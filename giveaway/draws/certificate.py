"""The public certificate: built, signed and stored once at the draw, then served as stored.

gdraw-v2 certificates are sealed inside the draw's transaction; a gdraw-v1
contest drawn before sealing existed is sealed on first request.  Nothing in
a certificate comes from the request: links use ``PUBLIC_URL`` or a path
relative to the certificate.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Optional

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError, OperationalError

from giveaway.audit import service as audit
from giveaway.contests.models import Contest
from giveaway.core import (DrandBeacon, DrawResult, beacon_from_document, build_certificate,
                           load_document, sign_document)
from giveaway.core.certificate import build_certificate_v2
from giveaway.core.paris import to_paris
from giveaway.draws.commitment import declaration_document, setup_of
from giveaway.draws.freeze import frozen_leaves
from giveaway.draws.keys import signing_key
from giveaway.draws.models import Candidate, Draw, DrawSetup, Freeze, Substitution
from giveaway.draws.timestamping import certificate_timestamps
from giveaway.eligibility.service import latest_evaluation
from giveaway.extensions import db
from giveaway.harvest.service import completeness, harvest_runs
from giveaway.secretbox import open_seed

HEALTH_WARNING = "L'abus d'alcool est dangereux pour la santé, à consommer avec modération."
INSTAGRAM_RELEASE = ("Ce jeu n'est ni sponsorisé, ni soutenu, ni administré par Instagram, ni "
                     "associé à Instagram. Instagram est dégagé de toute responsabilité.")
DATA_NOTICE = ("Les noms de compte et commentaires ne servent qu'à ce jeu ; ceux des non-gagnants "
               "sont supprimés après la période de réclamation des lots. Seuls des empreintes "
               "salées des participations et les gagnants masqués sont publiés.")


def _window(contest: Contest) -> dict[str, str]:
    return {"opens_at": contest.opens_at.isoformat(), "closes_at": contest.closes_at.isoformat(),
            "opens_at_paris": to_paris(contest.opens_at).isoformat(),
            "closes_at_paris": to_paris(contest.closes_at).isoformat()}


def public_link(path: str, relative: str) -> str:
    """``PUBLIC_URL`` + ``path`` when configured, else ``relative`` (never the request's host)."""
    base = current_app.config.get("PUBLIC_URL")
    return base.rstrip("/") + path if base else relative


def _window(contest: Contest) -> dict[str, str]:
    return {"opens_at": contest.opens_at.isoformat(), "closes_at": contest.closes_at.isoformat(),
            "opens_at_paris": to_paris(contest.opens_at).isoformat(),
            "closes_at_paris": to_paris(contest.closes_at).isoformat()}


def _extra(contest: Contest, record: Draw, setup: DrawSetup) -> dict[str, Any]:
    rules = contest.current_rules
    evaluation = latest_evaluation(contest)
    people = list(db.session.scalars(sa.select(Candidate).where(
        Candidate.contest_id == contest.id).order_by(Candidate.position)))
    extra = {
        "contest": {
            "title": contest.title, "organiser": "@" + contest.organiser_handle,
            "partners": [p.name for p in contest.partners],
            "posts": [p.url for p in contest.posts],
            "rules": {"version": rules.version, "sha256": rules.sha256},
            "window": _window(contest), "prize": contest.prize_description,
        },
        "harvest": record.harvest.get("posts", []),
        "harvest_runs": record.harvest.get("runs", []),
        "counts": evaluation.totals if evaluation else {},
        "people": [{"position": c.position, "drawn_as": c.drawn_as, "index": c.leaf_index,
                    "handle": c.masked_handle, "status": c.status} for c in people],
        "operator": _operator_label(),
        "audit_head": record.audit_head,
        "notices": {"instagram": INSTAGRAM_RELEASE, "data": DATA_NOTICE},
        "links": {"page": public_link(f"/c/{contest.public_id}", contest.public_id),
                  "followup": public_link(f"/c/{contest.public_id}/followup.json",
                                          f"{contest.public_id}/followup.json")},
    }
    if setup.protocol != "gdraw-v2":  # v2 carries these as core members
        extra["draw_time_declared"] = setup.draw_time.isoformat()
        extra["anomalies"] = setup.anomalies
        extra["drawn_at"] = record.drawn_at.isoformat()
        extra["substitutions"] = _substitutions(contest, {c.id: c for c in people})
    if contest.alcohol_prize:
        extra["notices"]["health"] = HEALTH_WARNING
    return extra


def _operator_label() -> str:
    """The public name of who ran the draw: a role or a service, never an address."""
    label = (current_app.config.get("OPERATOR_PUBLIC_LABEL") or "").strip()
    return label if label and "@" not in label else "organiser"


def _substitutions(contest: Contest, people: dict[int, Candidate]) -> list[dict[str, Any]]:
    rows = db.session.scalars(sa.select(Substitution).where(
        Substitution.contest_id == contest.id).order_by(Substitution.id))
    return [{"replaced": people[s.replaced_id].position,
             "replacement": people[s.replacement_id].position if s.replacement_id else None,
             "at": s.at.isoformat()} for s in rows]


def harvest_snapshot(contest: Contest) -> dict[str, Any]:
    """Completeness per post and harvest times, frozen into the draw record."""
    return {
        "posts": [{"post": line.url, "announced": line.announced, "harvested": line.harvested}
                  for line in completeness(contest)],
        "runs": [{"started_at": run.started_at.isoformat() if run.started_at else None,
                  "ended_at": run.ended_at.isoformat() if run.ended_at else None,
                  "status": run.status, "pages": run.pages} for run in harvest_runs(contest)],
    }


def _stored_result(record: Draw, freeze: Freeze, method: str) -> DrawResult:
    # The stored result, not a recomputation: tampered leaves must show, not heal.
    return DrawResult(method=method, count=freeze.count,
                      merkle_root=bytes.fromhex(freeze.merkle_root),
                      winners=tuple(w["index"] for w in record.result["winners"]),
                      alternates=tuple(a["index"] for a in record.result["alternates"]))


def build_signed_certificate(contest: Contest, record: Draw) -> dict[str, Any]:
    """The signed certificate document of a drawn contest, from what is stored now."""
    freeze = db.session.get(Freeze, contest.id)
    setup = setup_of(contest)
    leaves = frozen_leaves(freeze)
    beacon = beacon_from_document(record.beacon)
    seed = open_seed(setup.seed_sealed)  # :raise SeedUnreadable: the key changed
    location = public_link(f"/c/{contest.public_id}/leaves.txt",
                           f"{contest.public_id}/leaves.txt")
    if setup.protocol == "gdraw-v2":
        document = build_certificate_v2(
            declaration=declaration_document(setup), seed=seed, beacon=beacon,
            result=_stored_result(record, freeze, setup.method), leaves=leaves,
            leaves_location=location, frozen_at=freeze.frozen_at, drawn_at=record.drawn_at,
            redeclarations=setup.anomalies, timestamps=certificate_timestamps(contest),
            extra=_extra(contest, record, setup))
    else:
        document = build_certificate(
            draw_id=contest.public_id, seed=seed, salt=bytes.fromhex(setup.salt),
            committed_at=setup.committed_at, winners=contest.winners,
            alternates=contest.alternates, beacon=beacon,
            result=_stored_result(record, freeze, "gdraw-v1"), leaves=leaves,
            frozen_at=freeze.frozen_at, leaves_location=location,
            extra=_extra(contest, record, setup))
    return sign_document(document, signing_key())


def seal_certificate(contest: Contest, record: Draw) -> bytes:
    """Build, sign and store the certificate on ``record`` (no commit); return its bytes."""
    body = json.dumps(build_signed_certificate(contest, record), ensure_ascii=False,
                      indent=2).encode("utf-8") + b"\n"
    record.certificate = body
    record.certificate_sha256 = hashlib.sha256(body).hexdigest()
    return body


def sealed_certificate(contest: Contest) -> Optional[bytes]:
    """The certificate's bytes exactly as sealed, or None before the draw.

    A gdraw-v1 draw made before certificates were sealed is sealed now, once.
    """
    record = db.session.get(Draw, contest.id)
    if record is None:
        return None
    if record.certificate is None:
        body = seal_certificate(contest, record)
        audit.append("system", "certificate.sealed", "contest", contest.public_id,
                     {"certificate_sha256": record.certificate_sha256})
        try:
            db.session.commit()
        except (IntegrityError, OperationalError):  # another request sealed it first
            db.session.rollback()
            return db.session.get(Draw, contest.id).certificate
        return body
    return record.certificate


def certificate_document(contest: Contest) -> Optional[dict[str, Any]]:
    """The sealed certificate, parsed (for pages and the PDF), or None before the draw."""
    body = sealed_certificate(contest)
    return load_document(body) if body is not None else None


def is_drand(record: Draw) -> bool:
    """True when the draw used a drand round."""
    return isinstance(beacon_from_document(record.beacon), DrandBeacon)
