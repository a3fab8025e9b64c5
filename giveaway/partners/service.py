"""Partners: create, edit, look up. Every change is audit-logged."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from giveaway.audit import service as audit
from giveaway.errors import Conflict, NotFound, ValidationFailed
from giveaway.extensions import db
from giveaway.partners.models import Partner
from giveaway.textfields import text_error

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HANDLE = re.compile(r"^[A-Za-z0-9._]{1,30}$")
MAX_SLUG = 64


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """An identifier made from a name: accents removed, lowercase, hyphens between words.

    ``Domaine de l'Œil-de-Bœuf !`` → ``domaine-de-l-oeil-de-boeuf``; "" when nothing is left.
    """
    text = text.translate(_LIGATURES)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss",
                            "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"})


def unique_slug(name: str) -> str:
    """A free partner identifier made from ``name``: ``ferme-du-haut``, else ``ferme-du-haut-2``…

    "" when the name has no letter or digit to make one from.
    """
    base = slugify(name)
    if not base:
        return ""
    taken = set(db.session.scalars(sa.select(Partner.slug).where(
        Partner.slug.like(base[:MAX_SLUG - 4] + "%"))))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[:MAX_SLUG - len(suffix)].rstrip("-") + suffix
    return candidate


@dataclass
class PartnerData:
    """What staff enter about a partner."""

    slug: str
    name: str
    contact: str = ""
    description: str = ""
    logo_url: Optional[str] = None
    instagram_handle: Optional[str] = None


def _clean(data: PartnerData) -> PartnerData:
    handle = (data.instagram_handle or "").strip().lstrip("@") or None
    return PartnerData(slug=data.slug.strip().lower(), name=data.name.strip(),
                       contact=(data.contact or "").strip(),
                       description=(data.description or "").strip(),
                       logo_url=(data.logo_url or "").strip() or None, instagram_handle=handle)


def clean(data: PartnerData) -> PartnerData:
    """``data`` tidied (spaces, ``@``, lowercase slug), an empty slug made from the name."""
    data = _clean(data)
    if not data.slug:
        data.slug = unique_slug(data.name)
    return data


def partner_errors(data: PartnerData, *, new: bool = False) -> dict[str, str]:
    """Every problem of (cleaned) ``data``, by field; ``new`` also refuses a taken slug."""
    errors = {}
    if not data.slug:
        if data.name:
            errors["slug"] = _("Type an identifier: the name has no letter or digit to make "
                               "one from.")
    elif not SLUG.match(data.slug) or len(data.slug) > 64:
        errors["slug"] = _("Use lowercase letters, digits and hyphens (at most 64).")
    if not data.name or len(data.name) > 200:
        errors["name"] = _("A name is required (at most 200 characters).")
    for name, limit, single_line in (("name", 200, True), ("contact", 300, True),
                                     ("description", 2000, False), ("logo_url", 500, True)):
        problem = text_error(getattr(data, name), limit, single_line=single_line)
        if problem is not None:
            errors.setdefault(name, problem)
    if data.logo_url and (not data.logo_url.startswith("https://") or len(data.logo_url) > 500):
        errors.setdefault("logo_url", _("The logo address must start with https://."))
    if data.instagram_handle and not HANDLE.match(data.instagram_handle):
        errors["instagram_handle"] = _("An Instagram account name has 1 to 30 letters, "
                                       "digits, dots or underscores.")
    if new and "slug" not in errors and db.session.scalar(
            sa.select(Partner.id).where(Partner.slug == data.slug)) is not None:
        errors["slug"] = _("A partner with the identifier %(slug)s already exists.",
                           slug=data.slug)
    return errors


def _validate(data: PartnerData) -> None:
    """:raise ValidationFailed: naming each bad field."""
    errors = partner_errors(data)
    if errors:
        raise ValidationFailed(errors)


def create_partner(data: PartnerData, actor: str) -> Partner:
    """Create a partner and return it (committed). An empty slug is made from the name
    (see :func:`unique_slug`).

    :raise ValidationFailed: on bad fields. :raise Conflict: when the slug is taken.
    """
    data = clean(data)
    _validate(data)
    if db.session.scalar(sa.select(Partner.id).where(Partner.slug == data.slug)) is not None:
        raise Conflict(_("A partner with the identifier %(slug)s already exists.", slug=data.slug))
    partner = Partner(**asdict(data))
    db.session.add(partner)
    db.session.flush()
    audit.append(actor, "partner.create", "partner", partner.slug, asdict(data))
    db.session.commit()
    return partner


def update_partner(partner: Partner, data: PartnerData, actor: str) -> Partner:
    """Change a partner's details (its slug stays). :raise ValidationFailed: on bad fields."""
    data = _clean(data)
    data.slug = partner.slug
    _validate(data)
    for field, value in asdict(data).items():
        setattr(partner, field, value)
    audit.append(actor, "partner.update", "partner", partner.slug, asdict(data))
    db.session.commit()
    return partner


def get_partner(slug: str) -> Partner:
    """Return the partner with that slug. :raise NotFound: when there is none."""
    if not SLUG.match(slug) or len(slug) > 64:  # nothing the database could hold
        raise NotFound(_("No partner with the identifier %(slug)s.", slug=slug[:64]
                         .replace("\x00", "")))
    partner = db.session.scalar(sa.select(Partner).where(Partner.slug == slug))
    if partner is None:
        raise NotFound(_("No partner with the identifier %(slug)s.", slug=slug))
    return partner


def list_partners() -> list[Partner]:
    """All partners, by name."""
    return list(db.session.scalars(sa.select(Partner).order_by(Partner.name)))
