"""Instagram post URLs: validation and canonical form (no network)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_HOSTS = {"instagram.com", "www.instagram.com", "m.instagram.com"}
# /p/<code>/, /reel/<code>/, /reels/<code>/, optionally behind /<username>/ as Instagram shares them.
# "/share/p/<token>/" links carry a share token, not a shortcode: refused.
_PATH = re.compile(r"^/(?:(?!share/)[A-Za-z0-9._]{1,30}/)?(p|reel|reels|tv)/([A-Za-z0-9_-]{5,64})/?$")


class InvalidPostURL(ValueError):
    """The text is not the link of an Instagram post or reel."""


@dataclass(frozen=True)
class PostURL:
    """A post link reduced to what identifies it."""

    kind: str  # "p" or "reel"
    shortcode: str

    @property
    def canonical(self) -> str:
        """The stable link, e.g. ``https://www.instagram.com/p/Cx1AbC/``."""
        return f"https://www.instagram.com/{self.kind}/{self.shortcode}/"


def parse_post_url(text: str) -> PostURL:
    """Return the post a link points to.

    :raise InvalidPostURL: when the link is not an Instagram ``/p/`` or ``/reel/`` link.
    """
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or parts.hostname not in _HOSTS:
        raise InvalidPostURL(text)
    match = _PATH.match(parts.path)
    if not match:
        raise InvalidPostURL(text)
    kind = "p" if match.group(1) in ("p", "tv") else "reel"
    return PostURL(kind=kind, shortcode=match.group(2))
