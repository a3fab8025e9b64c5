"""Every check of what staff enter about a contest, all at once.

:func:`contest_errors` returns each bad field with all its problems (every bad
post link with its line number), so a form shows them in one round; the
service raises them together as one :class:`~giveaway.errors.ValidationFailed`.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.contests.models import Contest
from giveaway.core.post_urls import InvalidPostURL, parse_post_url
from giveaway.extensions import db
from giveaway.partners.models import Partner
from giveaway.partners.service import HANDLE, SLUG
from giveaway.textfields import LONGEST_CONTEST, date_error, text_error

MAX_PLACES = 1000
MAX_POSTS = 50
DELIVERIES = ("pickup", "postal")


@dataclass
class ContestData:
    """What staff enter about a contest. Times are aware datetimes.

    A value the form could not read (a date, a number) is None: the form has
    already said why, and the checks skip it. ``post_urls`` may hold blank
    lines: they are skipped, but count for the line numbers in messages.
    """

    title: str
    public_id: str
    organiser_handle: str
    opens_at: Optional[datetime]
    closes_at: Optional[datetime]
    partner_slugs: list[str] = field(default_factory=list)
    post_urls: list[str] = field(default_factory=list)
    prize_description: str = ""
    winners: Optional[int] = 1
    alternates: Optional[int] = 0
    alcohol_prize: bool = False
    prize_delivery: str = "pickup"
    prize_pickup_place: str = ""


@dataclass
class Checked:
    """The outcome of :func:`contest_errors`: the errors, and what the valid parts resolve to."""

    errors: dict[str, list[str]]
    partners: list[Partner]
    posts: list[tuple[str, str]]  # (canonical URL, shortcode), first occurrence order

#: Public ids that would be hidden behind a page's own address (/c/verify, /contests/new).
RESERVED_PUBLIC_IDS = frozenset({"verify", "new"})


def contest_errors(data: ContestData, *, unique_public_id: bool = False) -> Checked:
    """Check every field of ``data`` and return all the problems found (none: valid).

    ``unique_public_id`` also refuses a public id another contest already has.
    """
    errors: dict[str, list[str]] = defaultdict(list)
    _check_texts(data, errors)
    _check_dates(data, errors)
    if data.winners is not None and not 1 <= data.winners <= MAX_PLACES:
        errors["winners"].append(_("Between 1 and %(n)d winners.", n=MAX_PLACES))
    if data.alternates is not None and not 0 <= data.alternates <= MAX_PLACES:
        errors["alternates"].append(_("Between 0 and %(n)d alternates.", n=MAX_PLACES))
    partners = _check_partners(data.partner_slugs, errors)
    posts = _check_posts(data.post_urls, errors)
    if unique_public_id and "public_id" not in errors and db.session.scalar(
            sa.select(Contest.id).where(Contest.public_id == data.public_id)) is not None:
        errors["public_id"].append(_("A contest with the public id %(id)s already exists.",
                                     id=data.public_id))
    return Checked(errors=dict(errors), partners=partners, posts=posts)


def _check_texts(data: ContestData, errors: dict[str, list[str]]) -> None:
    if not data.title.strip() or len(data.title) > 200:
        errors["title"].append(_("A title is required (at most 200 characters)."))
    elif (problem := text_error(data.title, 200)) is not None:
        errors["title"].append(problem)
    if not SLUG.match(data.public_id) or len(data.public_id) > 80:
        errors["public_id"].append(_("Use lowercase letters, digits and hyphens (at most 80)."))
    elif data.public_id in RESERVED_PUBLIC_IDS:
        errors["public_id"].append(_("“%(id)s” is the address of a page of the site: choose "
                                     "another public id.", id=data.public_id))
    if not HANDLE.match(data.organiser_handle):
        errors["organiser_handle"].append(_("An Instagram account name has 1 to 30 letters, "
                                            "digits, dots or underscores."))
    if (problem := text_error(data.prize_description, 5000, single_line=False)) is not None:
        errors["prize_description"].append(problem)
    if data.prize_delivery not in DELIVERIES:
        errors["prize_delivery"].append(_("Choose pick-up on site or sending by post."))
    if (problem := text_error(data.prize_pickup_place, 200)) is not None:
        errors["prize_pickup_place"].append(problem)


def _check_dates(data: ContestData, errors: dict[str, list[str]]) -> None:
    """Dates between 2000 and 2099, the close after the opening, at most two years apart."""
    for name in ("opens_at", "closes_at"):
        problem = date_error(getattr(data, name))
        if problem is not None:
            errors[name].append(problem)
    if data.opens_at is None or data.closes_at is None or "opens_at" in errors \
            or "closes_at" in errors:
        return
    if data.opens_at >= data.closes_at:
        errors["closes_at"].append(_("The closing time must come after the opening time."))
    elif data.closes_at - data.opens_at > LONGEST_CONTEST:
        errors["closes_at"].append(_("A contest lasts at most two years: choose an earlier "
                                     "closing time."))


def _check_partners(slugs: list[str], errors: dict[str, list[str]]) -> list[Partner]:
    valid = [slug for slug in slugs if SLUG.match(slug) and len(slug) <= 64]
    partners = list(db.session.scalars(
        sa.select(Partner).where(Partner.slug.in_(valid)).order_by(Partner.slug)))
    if not slugs:
        errors["partner_slugs"].append(_("Choose at least one partner."))
    elif len(partners) != len(set(slugs)):
        known = {p.slug for p in partners}
        missing = ", ".join(sorted(set(slugs) - known))
        errors["partner_slugs"].append(_("Unknown partner: %(slugs)s.", slugs=missing[:200]))
    return partners


def _check_posts(lines: list[str], errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    """Every post link, numbered as the lines it was typed on (blank lines count)."""
    numbered = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
    posts: list[tuple[str, str]] = []
    if not numbered:
        errors["post_urls"].append(_("Give at least one post link."))
    elif len(numbered) > MAX_POSTS:
        errors["post_urls"].append(_("At most %(n)d post links.", n=MAX_POSTS))
    for number, url in numbered[:MAX_POSTS]:
        try:
            post = parse_post_url(url)
        except InvalidPostURL:
            errors["post_urls"].append(_(
                "Line %(n)d: « %(url)s » is not the link of an Instagram post or reel.",
                n=number, url=url[:200].replace("\x00", "")))
            continue
        if post.shortcode not in {code for _url, code in posts}:
            posts.append((post.canonical, post.shortcode))
    return posts
