"""The JSON description of a contest (``flask contest show ID --json``)."""
from __future__ import annotations

from typing import Any

from giveaway.contests.models import Contest
from giveaway.core.paris import to_paris
from giveaway.eligibility.rules_doc import rules_document
from giveaway.eligibility.service import latest_evaluation


def contest_document(contest: Contest) -> dict[str, Any]:
    """Return the contest's settings, rules versions and state as JSON values."""
    rules = contest.current_rules
    evaluation = latest_evaluation(contest)
    return {
        "public_id": contest.public_id,
        "title": contest.title,
        "status": contest.status,
        "partners": [p.slug for p in contest.partners],
        "organiser_handle": contest.organiser_handle,
        "posts": [p.url for p in contest.posts],
        "opens_at": contest.opens_at.isoformat(),
        "closes_at": contest.closes_at.isoformat(),
        "opens_at_paris": to_paris(contest.opens_at).isoformat(),
        "closes_at_paris": to_paris(contest.closes_at).isoformat(),
        "prize_description": contest.prize_description,
        "winners": contest.winners,
        "alternates": contest.alternates,
        "alcohol_prize": contest.alcohol_prize,
        "rules": {"version": rules.version, "sha256": rules.sha256} if rules else None,
        "rules_versions": [{"version": r.version, "sha256": r.sha256,
                            "created_at": r.created_at.isoformat()}
                           for r in contest.rules_versions],
        "eligibility": rules_document(contest),
        "entries": evaluation.totals if evaluation else None,
        "opened_at": contest.opened_at.isoformat() if contest.opened_at else None,
        "closed_at": contest.closed_at.isoformat() if contest.closed_at else None,
    }
