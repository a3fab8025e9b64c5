"""The public certificate: the signed gdraw-v1 document plus what a bailiff's report holds."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for

from giveaway.contests.models import Contest
from giveaway.core import (DrandBeacon, DrawResult, beacon_from_document, build_certificate,
                           load_or_create_signing_key, public_key_pem, sign_document)
from giveaway.core.paris import to_paris
from giveaway.draws.commitment import setup_of
from giveaway.draws.freeze import frozen_leaves
from giveaway.draws.models import Candidate, Draw, Freeze, Substitution
from giveaway.eligibility.service import latest_evaluation
from giveaway.extensions import db
from giveaway.harvest.service import completeness, harvest_runs
from giveaway.secretbox import open_secret

HEALTH_WARNING = "L'abus d'alcool est dangereux pour la santé, à consommer avec modération."
INSTAGRAM_RELEASE = ("Ce jeu n'est ni sponsorisé, ni soutenu, ni administré par Instagram, ni "
                     "associé à Instagram. Instagram est dégagé de toute responsabilité.")
DATA_NOTICE = ("Les noms de compte et commentaires ne servent qu'à ce jeu ; ceux des non-gagnants "
               "sont supprimés après la période de réclamation des lots. Seuls des empreintes "
               "salées des participations et les gagnants masqués sont publiés.")


def signing_key():
    """The instance's Ed25519 key (created on first use under ``instance/``)."""
    return load_or_create_signing_key(Path(current_app.instance_path) / "draw-signing-key.pem")


def public_key() -> str:
    """The PEM public key anyone can use to check certificates."""
    return public_key_pem(signing_key())


def _window(contest: Contest) -> dict[str, str]:
    return {"opens_at": contest.opens_at.isoformat(), "closes_at": contest.closes_at.isoformat(),
            "opens_at_paris": to_paris(contest.opens_at).isoformat(),
            "closes_at_paris": to_paris(contest.closes_at).isoformat()}


def _extra(contest: Contest, record: Draw) -> dict[str, Any]:
    rules = contest.current_rules
    setup = setup_of(contest)
    evaluation = latest_evaluation(contest)
    people = {c.id: c for c in db.session.scalars(
        sa.select(Candidate).where(Candidate.contest_id == contest.id))}
    substitutions = db.session.scalars(sa.select(Substitution).where(
        Substitution.contest_id == contest.id).order_by(Substitution.id))
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
        "draw_time_declared": setup.draw_time.isoformat(),
        "anomalies": setup.anomalies,
        "people": [{"position": c.position, "drawn_as": c.drawn_as, "index": c.leaf_index,
                    "handle": c.masked_handle, "status": c.status}
                   for c in sorted(people.values(), key=lambda c: c.position)],
        "substitutions": [{"replaced": people[s.replaced_id].position,
                           "replacement": people[s.replacement_id].position
                           if s.replacement_id else None,
                           "reason": s.reason, "at": s.at.isoformat()} for s in substitutions],
        "operator": record.operator,
        "drawn_at": record.drawn_at.isoformat(),
        "audit_head": record.audit_head,
        "notices": {"instagram": INSTAGRAM_RELEASE, "data": DATA_NOTICE},
    }
    if contest.alcohol_prize:
        extra["notices"]["health"] = HEALTH_WARNING
    return extra


def harvest_snapshot(contest: Contest) -> dict[str, Any]:
    """Completeness per post and harvest times, frozen into the draw record."""
    return {
        "posts": [{"post": line.url, "announced": line.announced, "harvested": line.harvested}
                  for line in completeness(contest)],
        "runs": [{"started_at": run.started_at.isoformat() if run.started_at else None,
                  "ended_at": run.ended_at.isoformat() if run.ended_at else None,
                  "status": run.status, "pages": run.pages} for run in harvest_runs(contest)],
    }


def certificate_document(contest: Contest) -> dict[str, Any]:
    """The signed certificate of a drawn contest (rebuilt from what is stored, then signed)."""
    record = db.session.get(Draw, contest.id)
    freeze = db.session.get(Freeze, contest.id)
    setup = setup_of(contest)
    leaves = frozen_leaves(freeze)
    beacon = beacon_from_document(record.beacon)
    seed = open_secret("draw-seed", setup.seed_sealed)
    # The stored result, not a recomputation: tampered leaves must show, not heal.
    result = DrawResult(method="gdraw-v1", count=freeze.count,
                        merkle_root=bytes.fromhex(freeze.merkle_root),
                        winners=tuple(w["index"] for w in record.result["winners"]),
                        alternates=tuple(a["index"] for a in record.result["alternates"]))
    document = build_certificate(
        draw_id=contest.public_id, seed=seed, salt=bytes.fromhex(setup.salt),
        committed_at=setup.committed_at, winners=contest.winners, alternates=contest.alternates,
        beacon=beacon, result=result, leaves=leaves, frozen_at=freeze.frozen_at,
        leaves_location=url_for("public.leaves", public_id=contest.public_id, _external=True),
        extra=_extra(contest, record))
    return sign_document(document, signing_key())


def is_drand(record: Draw) -> bool:
    """True when the draw used a drand round."""
    return isinstance(beacon_from_document(record.beacon), DrandBeacon)
