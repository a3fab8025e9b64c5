"""One step of two-way cursor pagination over a comment thread.

Instagram pages a thread from where it starts serving: a "tail" cursor
(``next_max_id``) and a "head" cursor (``next_min_id``), each with its own
``has_more`` flag. We follow the tail to its end, then the head from the
first page's head cursor. The walk state is a small JSON dict so it can be
checkpointed: ``{"dir": "initial"|"max"|"min"|"end", "cursor": str|None,
"head": str|None}``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["REPLY_KEYS", "TOP_KEYS", "Keys", "RepeatedCursor", "advance", "end_direction",
           "new_walk"]


@dataclass(frozen=True)
class Keys:
    """Where a page of this kind of thread keeps its items and cursors."""

    items: str
    tail_more: str
    tail_next: str
    head_more: str
    head_next: str


TOP_KEYS = Keys("comments", "has_more_comments", "next_max_id",
                "has_more_headload_comments", "next_min_id")
REPLY_KEYS = Keys("child_comments", "has_more_tail_child_comments", "next_max_child_cursor",
                  "has_more_head_child_comments", "next_min_child_cursor")


class RepeatedCursor(Exception):
    """The page points at a cursor already requested in this direction."""

    def __init__(self, direction: str, cursor: str):
        super().__init__(f"repeated {direction} cursor")
        self.direction = direction
        self.cursor = cursor


def new_walk() -> dict:
    return {"dir": "initial", "cursor": None, "head": None}


def _next(raw: dict, more_key: str, next_key: str) -> str | None:
    cursor = raw.get(next_key)
    return str(cursor) if raw.get(more_key) and cursor else None


def end_direction(walk: dict) -> dict:
    """The walk state once the current direction is given up: the head, or the end."""
    if walk["dir"] in ("initial", "max") and walk.get("head"):
        return {"dir": "min", "cursor": walk["head"], "head": None}
    return {"dir": "end", "cursor": None, "head": None}


def advance(walk: dict, raw: dict, keys: Keys, requested: set[str],
            give_up_on_repeat: bool = False) -> tuple[dict, str | None]:
    """The walk state after ``raw`` (the page fetched for ``walk``), and a note.

    ``requested`` holds the cursors already requested in the direction of
    ``walk``. A next cursor found there raises :class:`RepeatedCursor`, unless
    ``give_up_on_repeat``: then that direction ends and the note says so.
    """
    direction = walk["dir"]
    if direction == "initial":
        tail = _next(raw, keys.tail_more, keys.tail_next)
        head = _next(raw, keys.head_more, keys.head_next)
        state = {"dir": "max", "cursor": tail, "head": head}
        return (state if tail else end_direction(state)), None
    if direction == "max":
        following = _next(raw, keys.tail_more, keys.tail_next)
    else:
        following = _next(raw, keys.head_more, keys.head_next)
    if following is None:
        return end_direction(walk), None
    if following in requested or following == walk["cursor"]:
        if not give_up_on_repeat:
            raise RepeatedCursor(direction, following)
        return end_direction(walk), f"repeated_cursor:{direction}"
    return {"dir": direction, "cursor": following, "head": walk.get("head")}, None
