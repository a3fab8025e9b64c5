"""Resolving a post URL, and the follower check used at draw time."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from instagrapi.exceptions import ClientError
from pydantic import ValidationError

from giveaway.core.post_urls import InvalidPostURL
from giveaway.core.post_urls import parse_post_url as parse_core_url
from giveaway.core.sources import BadPage, SourceError, SourceStopped, normalise_pk

from .errors import mapped_errors, raw_answer
from .transport import TruncatedResponse

__all__ = ["InvalidPostUrl", "PostInfo", "follows", "parse_post_url", "resolve_post"]


class InvalidPostUrl(SourceStopped, InvalidPostURL):
    """Not a post or reel URL that decodes offline; a :class:`SourceStopped`
    (``reason="invalid_url"``) for the harvester and an ``InvalidPostURL`` for forms.
    """

    def __init__(self, url: str):
        super().__init__("invalid_url", f"not an Instagram post or reel URL: {url!r}")


@dataclass(frozen=True)
class PostInfo:
    """What the harvester needs about a post.

    ``media_id`` is ``"<media_pk>_<owner_pk>"``; ``comment_count`` is the
    count Instagram announces (replies included), to compare with the harvest.
    """

    media_pk: str
    media_id: str
    owner_pk: str
    comment_count: int
    comments_disabled: bool
    code: str = ""


def parse_post_url(url: str) -> str:
    """The shortcode of a post or reel URL, as the app's URL rules accept it.

    Offline. Share links (``/share/…``) need a network call to resolve and
    would otherwise be mistaken for a user called "share": refused.

    :raises InvalidPostUrl: for anything else.
    """
    try:
        parsed = parse_core_url(url)
    except InvalidPostURL:
        raise InvalidPostUrl(url) from None
    if urlsplit(url.strip()).path.lower().startswith("/share/"):
        raise InvalidPostUrl(url)
    return parsed.shortcode


def resolve_post(client, url: str) -> PostInfo:
    """Decode ``url`` offline, then make ONE private-API call (``media_info_v1``).

    :raises InvalidPostUrl: bad URL (a ``SourceStopped``; no request made).
    :raises SourceError: as mapped by :func:`~.errors.translate`
        (e.g. ``SourceStopped("media_not_found")``, ``SourcePaused``).
    """
    code = parse_post_url(url)
    media_pk = normalise_pk(client.media_pk_from_url(f"https://www.instagram.com/p/{code}/"))
    with mapped_errors(client):
        try:
            media = client.media_info_v1(media_pk)
        except (KeyError, IndexError, TypeError) as exc:
            raise BadPage(f"media info without items: {exc!r}", raw=raw_answer(client)) from exc
    try:
        owner_pk = normalise_pk(media.user.pk)
    except ValueError as exc:
        raise BadPage("media info without owner", raw=raw_answer(client)) from exc
    return PostInfo(
        media_pk=media_pk,
        media_id=f"{media_pk}_{owner_pk}",
        owner_pk=owner_pk,
        comment_count=int(media.comment_count or 0),
        comments_disabled=bool(media.comments_disabled),
        code=code,
    )


def follows(client, user_pk: object, host_pk: object) -> bool | None:
    """Whether ``user_pk`` follows ``host_pk``: True, False, or None for "unknown".

    Uses ``user_friendship_v1`` (one request), which answers for the account
    the client is logged in as; when that is not ``host_pk``, or on any
    failure (instagrapi returns ``None`` even on a 429), the answer is
    ``None`` — never treat it as "no".
    """
    if client.user_id is None or normalise_pk(client.user_id) != normalise_pk(host_pk):
        return None
    try:
        relationship = client.user_friendship_v1(normalise_pk(user_pk))
    except (ClientError, SourceError, TruncatedResponse, ValidationError, AssertionError,
            requests.RequestException, KeyError, TypeError, ValueError):
        return None
    if relationship is None:
        return None
    return bool(relationship.followed_by)
