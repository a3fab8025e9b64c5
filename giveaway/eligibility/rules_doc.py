"""A contest's eligibility rules: the stored document plus what the contest itself fixes."""
from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.models import Contest
from giveaway.contests.service import require_draft
from giveaway.core.eligibility import EligibilityRules, RulesError
from giveaway.errors import ValidationFailed
from giveaway.extensions import db

#: Keys that come from the contest's own settings, never from the rules document.
DERIVED_KEYS = ("opens_at", "closes_at", "organiser_handles", "partner_handles", "min_age_18")


_KNOWN_KEYS = frozenset(field.name for field in dataclasses.fields(EligibilityRules))


def rules_error_text(key: str | None) -> str:
    """What is wrong with the value of rules key ``key``, in words (the core's own message is
    English and for logs; the form shows the refused value beside this sentence)."""
    messages = {
        "required_hashtags": lambda: _("A hashtag is not valid: after the #, use letters, "
                                       "digits or _ only."),
        "required_keywords": lambda: _("A keyword is not valid: it needs at least one letter "
                                       "or digit."),
        "staff_handles": lambda: _("An account name is not valid: letters, digits, dots and _ "
                                   "only, at most 30 characters, not ending with a dot."),
        "excluded_user_ids": lambda: _("A user id is not valid: give the numeric id (123456) or "
                                       "the network and id (ig:123456)."),
        "counting": lambda: _("Choose what counts from the list."),
        "must_follow": lambda: _("Choose whom the winner must follow from the list."),
        "max_entries_per_account": lambda: _("Give a whole number of at least 1, or nothing."),
        "min_mentions": lambda: _("Give a whole number of at least 0."),
        "recent_winner_days": lambda: _("Give a whole number of days of at least 0."),
    }
    make = messages.get(key or "")
    return make() if make else _("The eligibility rules are not valid.")


def rules_for(contest: Contest) -> EligibilityRules:
    """The full rules of a contest: its stored document, window, organiser and partners."""
    document = dict(contest.eligibility or {})
    document.update({
        "opens_at": contest.opens_at.isoformat(),
        "closes_at": contest.closes_at.isoformat(),
        "organiser_handles": [contest.organiser_handle],
        "partner_handles": sorted(p.instagram_handle for p in contest.partners
                                  if p.instagram_handle),
        "min_age_18": contest.alcohol_prize,
    })
    return EligibilityRules.from_dict(document)


def rules_document(contest: Contest) -> dict[str, Any]:
    """The full rules as the JSON document ``contest show --json`` prints."""
    return rules_for(contest).to_dict()


def rules_sha256(contest: Contest) -> str:
    """SHA-256 of the canonical JSON of the full rules (recorded at opening and evaluation)."""
    canonical = json.dumps(rules_document(contest), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def set_rules(contest: Contest, document: Any, actor: str) -> EligibilityRules:
    """Replace a draft contest's eligibility rules with ``document`` (a JSON object).

    Window, organiser, partner accounts and the 18+ flag come from the contest
    itself; a document that sets them is refused so nobody believes it did.

    :raise Conflict: once the contest has opened.
    :raise ValidationFailed: naming the bad key.
    """
    require_draft(contest)
    if not isinstance(document, dict):
        raise ValidationFailed({"rules": _("The rules must be a JSON object.")})
    derived = sorted(set(document) & set(DERIVED_KEYS))
    if derived:
        raise ValidationFailed({derived[0]: _(
            "%(key)s comes from the contest's own settings; change it there.", key=derived[0])})
    unknown = sorted(str(key) for key in document if str(key) not in _KNOWN_KEYS)
    if unknown:
        raise ValidationFailed({unknown[0]: _("« %(key)s » is not an eligibility setting.",
                                              key=unknown[0])})
    try:
        parsed = EligibilityRules.from_dict(document)
    except RulesError as exc:
        raise ValidationFailed({exc.key or "rules": rules_error_text(exc.key)}) from None
    stored = {k: v for k, v in parsed.to_dict().items() if k not in DERIVED_KEYS}
    contest.eligibility = stored
    audit.append(actor, "contest.eligibility", "contest", contest.public_id, stored)
    db.session.commit()
    return rules_for(contest)
