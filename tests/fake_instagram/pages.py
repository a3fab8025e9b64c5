"""Cursor pagination of comments and reply threads, as the private API answers it.

Cursors are opaque JSON strings (like Instagram's ``server_cursor`` ones) that
encode an offset; a nonce makes a fresh cursor for an unchanged offset.
"""

from __future__ import annotations

import base64
import copy
import json

from .data import FakePost


class BadCursor(ValueError):
    """An unknown or malformed cursor was sent."""


def encode(offset: int, direction: str, nonce: int = 0) -> str:
    token = base64.urlsafe_b64encode(f"{direction}:{offset}:{nonce}".encode()).decode()
    return json.dumps({"server_cursor": token, "is_server_cursor_inverse": direction == "min"},
                      separators=(",", ":"))


def decode(cursor: str, direction: str) -> int:
    """The offset in ``cursor``. :raises BadCursor: if it is not one of ours for ``direction``."""
    try:
        token = json.loads(cursor)["server_cursor"]
        kind, offset, _ = base64.urlsafe_b64decode(token.encode()).decode().split(":")
        if kind != direction:
            raise BadCursor(f"{direction} cursor expected")
        return int(offset)
    except (ValueError, KeyError, TypeError) as exc:
        raise BadCursor(str(exc)) from exc


def _window(n: int, size: int, anchor: int, min_id: str, max_id: str) -> tuple[int, int, str]:
    if max_id:
        start = decode(max_id, "max")
        return start, min(n, start + size), "max"
    if min_id:
        end = decode(min_id, "min")
        return max(0, end - size), end, "min"
    start = min(max(anchor, 0), n)
    return start, min(n, start + size), "initial"


def _apply_page_faults(items: list, start: int, end: int, direction: str, kinds: list[str],
                       nonce: int) -> tuple[list, int, int]:
    if "empty_page" in kinds:
        # Nothing served; the cursors move to a fresh token for the same spot.
        if direction == "min":
            return [], end, end
        return [], start, start
    if "missing_user_pk" in kinds and items:
        items = list(items)
        broken = copy.deepcopy(items[0])
        broken["user"].pop("pk", None)
        items[0] = broken
    return items, start, end


def comments_page(post: FakePost, min_id: str, max_id: str, kinds: list[str], nonce: int) -> dict:
    """The JSON of ``media/{id}/comments/`` for the given cursors and fault kinds."""
    n = len(post.comments)
    size = max(1, post.page_size // 2) if "short_page" in kinds else post.page_size
    start, end, direction = _window(n, size, post.anchor, min_id, max_id)
    items, start, end = _apply_page_faults(post.comments[start:end], start, end, direction,
                                           kinds, nonce)
    page = {
        "comments": items,
        "comment_count": post.comment_count,
        "caption": None,
        "caption_is_edited": False,
        "has_more_comments": end < n,
        "has_more_headload_comments": start > 0,
        "media_header_display": "none",
        "can_view_more_preview_comments": False,
        "status": "ok",
    }
    if end < n or "empty_page" in kinds and direction != "min":
        page["has_more_comments"] = True
        page["next_max_id"] = encode(end, "max", nonce if "empty_page" in kinds else 0)
    elif post.end_loop and direction == "max":
        # The service "loops": the last page points back at an early cursor.
        page["has_more_comments"] = True
        page["next_max_id"] = encode(min(n, post.anchor + post.page_size), "max")
    if start > 0 or "empty_page" in kinds and direction == "min":
        page["has_more_headload_comments"] = True
        page["next_min_id"] = encode(start, "min", nonce if "empty_page" in kinds else 0)
    if "repeat_cursor" in kinds and direction != "initial":
        key = "next_max_id" if direction == "max" else "next_min_id"
        page[key] = max_id or min_id
        page["has_more_comments" if direction == "max" else "has_more_headload_comments"] = True
    return page


def replies_page(post: FakePost, parent: str, min_id: str, max_id: str, kinds: list[str],
                 nonce: int) -> dict:
    """The JSON of ``media/{id}/comments/{cid}/inline_child_comments/``.

    :raises KeyError: if ``parent`` has no thread.
    """
    thread = post.replies[parent]
    n = len(thread)
    size = post.reply_page_size
    anchor = max(0, n - size) if post.reply_anchor == "end" else n // 2
    start, end, direction = _window(n, size, anchor, min_id, max_id)
    items, start, end = _apply_page_faults(thread[start:end], start, end, direction, kinds, nonce)
    page = {
        "child_comments": items,
        "child_comment_count": n,
        "has_more_head_child_comments": start > 0,
        "has_more_tail_child_comments": end < n,
        "num_head_child_comments": start,
        "num_tail_child_comments": n - end,
        "parent_comment": {"pk": parent},
        "status": "ok",
    }
    if start > 0:
        page["next_min_child_cursor"] = encode(start, "min", nonce if "empty_page" in kinds else 0)
    if end < n:
        page["next_max_child_cursor"] = encode(end, "max", nonce if "empty_page" in kinds else 0)
    if "repeat_cursor" in kinds and direction != "initial":
        side = "tail" if direction == "max" else "head"
        page[f"next_{direction}_child_cursor"] = max_id or min_id
        page[f"has_more_{side}_child_comments"] = True
    return page
