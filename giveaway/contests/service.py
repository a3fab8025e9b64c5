"""Contests: registration, editing, the rules document. Transitions are in :mod:`.lifecycle`."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.contests.locking import require_settings_allowed
from giveaway.contests.models import Contest, ContestPost, RulesVersion
from giveaway.core.post_urls import InvalidPostURL, parse_post_url
from giveaway.errors import Conflict, NotFound, ValidationFailed
from giveaway.extensions import db
from giveaway.partners.models import Partner
from giveaway.partners.service import HANDLE, SLUG
from giveaway.textfields import LONGEST_CONTEST, date_error, text_error

MAX_PLACES = 1000
MAX_POSTS = 50
MAX_RULES_CHARS = 200_000


@dataclass
class ContestData:
    """What staff enter about a contest. Times are aware datetimes."""

    title: str
    public_id: str
    organiser_handle: str
    opens_at: datetime
    closes_at: datetime
    partner_slugs: list[str] = field(default_factory=list)
    post_urls: list[str] = field(default_factory=list)
    prize_description: str = ""
    winners: int = 1
    alternates: int = 0
    alcohol_prize: bool = False


def slugify(text: str) -> str:
    """A public id proposal from a title: ``Gers: vignoble en course !`` → ``gers-vignoble-en-course``."""
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80]


def _validate(data: ContestData) -> tuple[list[Partner], list[tuple[str, str]]]:
    """Check every field; return the partners and (canonical URL, shortcode) of the posts.

    :raise ValidationFailed: naming each bad field.
    """
    errors: dict[str, str] = {}
    if not data.title.strip() or len(data.title) > 200:
        errors["title"] = _("A title is required (at most 200 characters).")
    elif (problem := text_error(data.title, 200)) is not None:
        errors["title"] = problem
    if not SLUG.match(data.public_id) or len(data.public_id) > 80:
        errors["public_id"] = _("Use lowercase letters, digits and hyphens (at most 80).")
    if not HANDLE.match(data.organiser_handle):
        errors["organiser_handle"] = _("An Instagram account name has 1 to 30 letters, "
                                       "digits, dots or underscores.")
    if (problem := text_error(data.prize_description, 5000, single_line=False)) is not None:
        errors["prize_description"] = problem
    _check_dates(data, errors)
    if not 1 <= data.winners <= MAX_PLACES:
        errors["winners"] = _("Between 1 and %(n)d winners.", n=MAX_PLACES)
    if not 0 <= data.alternates <= MAX_PLACES:
        errors["alternates"] = _("Between 0 and %(n)d alternates.", n=MAX_PLACES)
    slugs = [slug for slug in data.partner_slugs if SLUG.match(slug) and len(slug) <= 64]
    partners = list(db.session.scalars(
        sa.select(Partner).where(Partner.slug.in_(slugs)).order_by(Partner.slug)))
    if not data.partner_slugs:
        errors["partner_slugs"] = _("Choose at least one partner.")
    elif len(partners) != len(set(data.partner_slugs)):
        known = {p.slug for p in partners}
        missing = ", ".join(sorted(set(data.partner_slugs) - known))
        errors["partner_slugs"] = _("Unknown partner: %(slugs)s.", slugs=missing[:200])
    posts: list[tuple[str, str]] = []
    if len(data.post_urls) > MAX_POSTS:
        errors["post_urls"] = _("At most %(n)d post links.", n=MAX_POSTS)
    for url in data.post_urls[:MAX_POSTS]:
        try:
            post = parse_post_url(url)
        except InvalidPostURL:
            errors["post_urls"] = _("Not an Instagram post or reel link: %(url)s",
                                    url=url[:200].replace("\x00", ""))
            break
        if post.shortcode not in {code for _url, code in posts}:
            posts.append((post.canonical, post.shortcode))
    if not data.post_urls and "post_urls" not in errors:
        errors["post_urls"] = _("Give at least one post link.")
    if errors:
        raise ValidationFailed(errors)
    return partners, posts


def _check_dates(data: ContestData, errors: dict[str, str]) -> None:
    """Dates between 2000 and 2099, the close after the opening, at most two years apart."""
    for name in ("opens_at", "closes_at"):
        problem = date_error(getattr(data, name))
        if problem is not None:
            errors[name] = problem
    if "opens_at" in errors or "closes_at" in errors:
        return
    if data.opens_at >= data.closes_at:
        errors["closes_at"] = _("The closing time must come after the opening time.")
    elif data.closes_at - data.opens_at > LONGEST_CONTEST:
        errors["closes_at"] = _("A contest lasts at most two years: choose an earlier closing "
                                "time.")


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
    contest.partners = partners
    contest.posts = [ContestPost(url=url, shortcode=code, position=i)
                     for i, (url, code) in enumerate(posts)]


def _audit_fields(contest: Contest) -> dict:
    return {
        "title": contest.title, "organiser_handle": contest.organiser_handle,
        "opens_at": contest.opens_at.isoformat(), "closes_at": contest.closes_at.isoformat(),
        "partners": [p.slug for p in contest.partners], "posts": [p.url for p in contest.posts],
        "winners": contest.winners, "alternates": contest.alternates,
        "alcohol_prize": contest.alcohol_prize, "prize_description": contest.prize_description,
    }


def create_contest(data: ContestData, actor: str, rules_text: Optional[str] = None) -> Contest:
    """Register a draft contest (with a first rules version if given) and return it.

    :raise ValidationFailed: naming each bad field. :raise Conflict: when the public id is taken.
    """
    data.organiser_handle = data.organiser_handle.strip().lstrip("@")
    data.public_id = data.public_id.strip() or slugify(data.title)
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
    data.organiser_handle = data.organiser_handle.strip().lstrip("@")
    data.public_id = contest.public_id
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
