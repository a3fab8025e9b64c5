"""Contests: registration, editing, the rules document. Transitions are in :mod:`.lifecycle`."""
from __future__ import annotations

import hashlib
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.checks import MAX_PLACES, MAX_POSTS, ContestData, contest_errors
from giveaway.contests.locking import require_settings_allowed
from giveaway.contests.models import Contest, ContestPost, RulesVersion
from giveaway.errors import Conflict, NotFound, ValidationFailed
from giveaway.extensions import db
from giveaway.partners.models import Partner
from giveaway.partners.service import SLUG
from giveaway.partners.service import slugify as _slugify
from giveaway.textfields import text_error

__all__ = ["ContestData", "MAX_PLACES", "MAX_POSTS", "contest_errors", "create_contest",
           "update_contest", "add_rules_version", "get_contest", "list_contests"]
MAX_RULES_CHARS = 200_000


def slugify(text: str) -> str:
    """A public id proposal from a title: ``Gers: vignoble en course !`` → ``gers-vignoble-en-course``."""
    return _slugify(text, max_length=80)


def normalise(data: ContestData, contest: Optional[Contest] = None) -> ContestData:
    """Tidy ``data`` in place and return it: the handle without ``@``, no pick-up place for
    a prize sent by post, the public id (``contest``'s, or the typed one, or one made
    from the title)."""
    data.organiser_handle = data.organiser_handle.strip().lstrip("@")
    data.prize_pickup_place = (data.prize_pickup_place or "").strip()
    if data.prize_delivery == "postal":
        data.prize_pickup_place = ""
    if contest is not None:
        data.public_id = contest.public_id
    else:
        data.public_id = data.public_id.strip() or slugify(data.title)
    return data


def _validate(data: ContestData) -> tuple[list[Partner], list[tuple[str, str]]]:
    """Check every field; return the partners and (canonical URL, shortcode) of the posts.

    :raise ValidationFailed: naming each bad field (all its problems in one message).
    """
    checked = contest_errors(data)
    if checked.errors:
        raise ValidationFailed({name: " ".join(messages)
                                for name, messages in checked.errors.items()})
    return checked.partners, checked.posts


def _check_rules_text(text: str, field: str) -> None:
    """:raise ValidationFailed: when the rules text cannot be stored."""
    problem = text_error(text, MAX_RULES_CHARS, single_line=False)
    if problem is not None:
        raise ValidationFailed({field: problem})


def _apply(contest: Contest, data: ContestData, partners: list[Partner],
           posts: list[tuple[str, str]]) -> None:
    contest.title = data.title.strip()
    contest.organiser_handle = data.organiser_handle
    contest.opens_at, contest.closes_at = data.opens_at, data.closes_at
    contest.prize_description = data.prize_description.strip()
    contest.winners, contest.alternates = data.winners, data.alternates
    contest.alcohol_prize = data.alcohol_prize
    contest.prize_delivery = data.prize_delivery
    contest.prize_pickup_place = data.prize_pickup_place
    contest.partners = partners
    # A post kept across an edit keeps its row: replacing it would insert the new row
    # before deleting the old one, and break the (contest, shortcode) uniqueness.
    kept = {post.shortcode: post for post in contest.posts}
    contest.posts = [_post(kept.get(code) or ContestPost(shortcode=code), url, i)
                     for i, (url, code) in enumerate(posts)]


def _post(post: ContestPost, url: str, position: int) -> ContestPost:
    post.url, post.position = url, position
    return post


def _audit_fields(contest: Contest) -> dict:
    return {
        "title": contest.title, "organiser_handle": contest.organiser_handle,
        "opens_at": contest.opens_at.isoformat(), "closes_at": contest.closes_at.isoformat(),
        "partners": [p.slug for p in contest.partners], "posts": [p.url for p in contest.posts],
        "winners": contest.winners, "alternates": contest.alternates,
        "alcohol_prize": contest.alcohol_prize, "prize_description": contest.prize_description,
        "prize_delivery": contest.prize_delivery,
        "prize_pickup_place": contest.prize_pickup_place,
    }


def create_contest(data: ContestData, actor: str, rules_text: Optional[str] = None) -> Contest:
    """Register a draft contest (with a first rules version if given) and return it.

    :raise ValidationFailed: naming each bad field. :raise Conflict: when the public id is taken.
    """
    normalise(data)
    partners, posts = _validate(data)
    if rules_text is not None:
        _check_rules_text(rules_text, "rules_text")
    if db.session.scalar(sa.select(Contest.id).where(Contest.public_id == data.public_id)):
        raise Conflict(_("A contest with the public id %(id)s already exists.", id=data.public_id))
    contest = Contest(public_id=data.public_id, status="draft", eligibility={})
    _apply(contest, data, partners, posts)
    db.session.add(contest)
    db.session.flush()
    audit.append(actor, "contest.create", "contest", contest.public_id, _audit_fields(contest))
    if rules_text is not None and rules_text.strip():
        _add_rules(contest, rules_text, actor)
    db.session.commit()
    return contest


def update_contest(contest: Contest, data: ContestData, actor: str) -> Contest:
    """Edit a draft contest (its public id stays).

    :raise Conflict: when the contest is no longer a draft. :raise ValidationFailed: on bad fields.
    """
    require_draft(contest)
    normalise(data, contest)
    partners, posts = _validate(data)
    _apply(contest, data, partners, posts)
    audit.append(actor, "contest.update", "contest", contest.public_id, _audit_fields(contest))
    db.session.commit()
    return contest


def require_draft(contest: Contest) -> None:
    """Lock the contest's row for this transaction (the first write of it).

    :raise Conflict: unless the contest, as stored now, is still a draft.
    """
    require_settings_allowed(contest)


def normalise_rules_text(text: str) -> str:
    """Line endings as ``\\n`` and one final newline: the exact text that is hashed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip() + "\n"


def _add_rules(contest: Contest, text: str, actor: str) -> RulesVersion:
    text = normalise_rules_text(text)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    current = contest.current_rules
    if current is not None and current.sha256 == digest:
        return current
    version = RulesVersion(version=(current.version + 1) if current else 1, text=text,
                           sha256=digest, created_by=actor)
    contest.rules_versions.append(version)
    db.session.flush()
    audit.append(actor, "contest.rules", "contest", contest.public_id,
                 {"version": version.version, "sha256": digest})
    return version


def add_rules_version(contest: Contest, text: str, actor: str) -> RulesVersion:
    """Save a new version of the rules (unchanged text keeps the current version).

    :raise Conflict: once the contest has opened. :raise ValidationFailed: on empty text.
    """
    require_draft(contest)
    if not text.strip():
        raise ValidationFailed({"rules": _("The rules document cannot be empty.")})
    _check_rules_text(text, "text")
    version = _add_rules(contest, text, actor)
    db.session.commit()
    return version


def get_contest(public_id: str) -> Contest:
    """Return the contest with that public id. :raise NotFound: when there is none."""
    if not SLUG.match(public_id) or len(public_id) > 80:  # nothing the database could hold
        raise NotFound(_("No contest with the public id %(id)s.", id=public_id[:80]
                         .replace("\x00", "")))
    contest = db.session.scalar(sa.select(Contest).where(Contest.public_id == public_id))
    if contest is None:
        raise NotFound(_("No contest with the public id %(id)s.", id=public_id))
    return contest


def list_contests(partner: Optional[Partner] = None) -> list[Contest]:
    """Contests, newest opening first; only one partner's when ``partner`` is given."""
    query = sa.select(Contest).order_by(Contest.opens_at.desc(), Contest.id.desc())
    if partner is not None:
        query = query.where(Contest.partners.any(Partner.id == partner.id))
    return list(db.session.scalars(query))
