"""Who may see which partner's dashboard, and the read-only rule for partner users."""
from __future__ import annotations

from typing import Optional

from flask import abort, request
from flask_login import current_user

from giveaway.errors import NotFound
from giveaway.partners.models import Partner
from giveaway.partners.service import get_partner

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: What a logged-in partner user may still POST: logging out and choosing a language.
PARTNER_WRITE_ENDPOINTS = frozenset({"auth.logout", "auth.set_language"})


def refuse_partner_writes() -> None:
    """Before every request: a partner user's non-GET request gets 403.

    Logging out and switching the language stay allowed; the invite form is
    used before logging in, so it is not concerned.

    :raise 403: for any other POST, PUT, PATCH or DELETE by a partner user.
    """
    if request.method in SAFE_METHODS or request.endpoint in PARTNER_WRITE_ENDPOINTS:
        return
    if current_user.is_authenticated and current_user.role == "partner":
        abort(403)


def viewed_partner(slug: Optional[str]) -> Partner:
    """The partner whose dashboard is asked for.

    Without ``slug`` (``/dashboard/...``): the partner user's own partner.
    With it (``/dashboard/partners/<slug>/...``): staff viewing as that partner.

    :raise 403: for a partner user on a staff URL (whatever the slug, so
        nothing is learnt about other partners).
    :raise 404: for staff without a slug, or an unknown slug.
    """
    if slug is None:
        if current_user.role == "partner" and current_user.partner is not None:
            return current_user.partner
        abort(404)
    if not current_user.is_staff:
        abort(403)
    try:
        return get_partner(slug)
    except NotFound:
        abort(404)
