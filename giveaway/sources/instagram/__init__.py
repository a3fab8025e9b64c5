"""Harvesting comments with instagrapi (Instagram's private API).

The app needs only what is re-exported here.
"""

from .client import (
    DEFAULT_DELAY_RANGE,
    LoginFailed,
    RoutedClient,
    close_client,
    login,
    make_client,
    settings_from_file,
)
from .comments import InstagramCommentSource
from .errors import translate
from .post import InvalidPostUrl, PostInfo, follows, parse_post_url, resolve_post
from .transport import RoutingAdapter, TruncatedResponse

__all__ = [
    "DEFAULT_DELAY_RANGE",
    "InstagramCommentSource",
    "InvalidPostUrl",
    "LoginFailed",
    "PostInfo",
    "RoutedClient",
    "RoutingAdapter",
    "TruncatedResponse",
    "close_client",
    "follows",
    "login",
    "make_client",
    "parse_post_url",
    "resolve_post",
    "settings_from_file",
    "translate",
]
