"""Harvesting a post's comments (and replies) from the private API, resumably.

Our own loop over ``media_comments_v1_chunk`` (instagrapi's bulk helpers
loop, overshoot or follow one direction only). The checkpoint cursor is::

    {"v": 1, "media": "<pk>_<owner>", "top": <walk>, "pending": [parent ids],
     "reply": <walk of pending[0]> | None, "done": bool}

``pending`` holds at most one page's worth of parents whose replies are still
to fetch, so the cursor stays small however large the post.

Every comment passes the checks a file import makes (:func:`..fields.check_comment`:
the engine's id rule, column lengths, dates, NUL): one that fails is left out
and reported in the page's notes as ``invalid_comment:<field>:<code>``, never
stored, so Instagram cannot make a contest impossible to evaluate or draw.
"""

from __future__ import annotations

from collections import Counter
from datetime import timezone
from typing import Iterator

from instagrapi.extractors import extract_comment

from giveaway.core.eligibility.keys import id_problem
from giveaway.core.sources import (
    BadPage,
    CommentPage,
    CommentSource,
    RawComment,
    SourceStopped,
    normalise_pk,
)

from ..fields import FieldError, check_comment, parse_created_at
from .errors import mapped_errors
from .post import PostInfo
from .walk import REPLY_KEYS, TOP_KEYS, Keys, RepeatedCursor, advance, end_direction, new_walk

__all__ = ["CURSOR_VERSION", "InstagramCommentSource"]

CURSOR_VERSION = 1


class InstagramCommentSource(CommentSource):
    """Every comment Instagram serves for ``post``; replies too if ``include_replies``.

    Within one instance, comments are de-duplicated by pk, and a repeated
    cursor is first reported as a :class:`BadPage` (``reason="repeated_cursor"``,
    so the driver retries) and, after ``repeat_retries`` such retries, ends that
    direction with a page note ``"repeated_cursor:…"``. ``stall_limit``
    pages in a row bringing nothing new also end a direction
    (note ``"no_progress:…"``).
    """

    def __init__(self, client, post: PostInfo, include_replies: bool = True, *,
                 repeat_retries: int = 2, stall_limit: int = 25):
        self.client = client
        self.post = post
        self.include_replies = include_replies
        self.repeat_retries = repeat_retries
        self.stall_limit = stall_limit
        self._stalls: Counter = Counter()
        self._seen: set[str] = set()
        self._queued_parents: set[str] = set()
        self._requested: dict[tuple[str, str], set[str]] = {}
        self._repeats: Counter = Counter()

    def pages(self, cursor: dict | None = None) -> Iterator[CommentPage]:
        """See :meth:`CommentSource.pages`. :raises ValueError: for another post's cursor."""
        state = self._load(cursor)
        if state["top"]["dir"] == "end" and not state["pending"]:
            yield CommentPage([], dict(state, done=True), True)  # a finished run
            return
        while True:
            if state["pending"]:
                parent = state["pending"][0]
                walk = state["reply"] or new_walk()
                comments, raw, walk, notes = self._step(parent, walk, REPLY_KEYS)
                pending = state["pending"] if walk["dir"] != "end" else state["pending"][1:]
                state = dict(state, pending=pending, reply=walk if walk["dir"] != "end" else None)
            elif state["top"]["dir"] != "end":
                comments, raw, top, notes = self._step("", state["top"], TOP_KEYS)
                state = dict(state, top=top, pending=self._parents(raw), reply=None)
            state["done"] = state["top"]["dir"] == "end" and not state["pending"]
            yield CommentPage(comments, dict(state), state["done"], raw, notes)
            # Only once the caller has stored the page (it asks for the next one).
            self._seen.update(c.comment_id for c in comments)
            self._queued_parents.update(state["pending"])
            if state["done"]:
                return

    def _load(self, cursor: dict | None) -> dict:
        if cursor is None:
            return {"v": CURSOR_VERSION, "media": self.post.media_id, "top": new_walk(),
                    "pending": [], "reply": None, "done": False}
        if cursor.get("v") != CURSOR_VERSION or cursor.get("media") != self.post.media_id:
            raise ValueError("cursor belongs to another post or format")
        return dict(cursor)

    def _fetch(self, parent: str, walk: dict) -> tuple[list, dict]:
        client, media_id = self.client, self.post.media_id
        min_id = walk["cursor"] if walk["dir"] == "min" else None
        max_id = walk["cursor"] if walk["dir"] == "max" else None
        if not parent:
            models, _, _ = client.media_comments_v1_chunk(media_id, min_id or "", max_id or "")
            return models, client.last_json
        # Not media_comment_replies_chunk: it sends the cursor as a signed POST body
        # (its params go to private_request's ``data``) and knows only the head cursor.
        params = {"min_id": min_id} if min_id else {"max_id": max_id} if max_id else None
        raw = client.private_request(f"media/{media_id}/comments/{parent}/inline_child_comments/",
                                     params=params)
        return [extract_comment(item) for item in raw.get("child_comments") or []], raw

    def _step(self, parent: str, walk: dict, keys: Keys):
        """Fetch the page for ``walk``: (new comments, raw page, next walk, notes)."""
        try:
            with mapped_errors(self.client):
                models, raw = self._fetch(parent, walk)
        except SourceStopped as exc:
            if not parent or exc.reason != "media_not_found":
                raise
            # The parent comment went away: its thread ends, the harvest goes on.
            return [], None, end_direction({"dir": "min"}), (f"replies_not_found:{parent}",)
        if not isinstance(raw, dict):
            raise BadPage("page is not a JSON object", raw=raw)
        requested = self._requested.setdefault((parent, walk["dir"]), set())
        try:
            following, note = advance(walk, raw, keys, requested)
        except RepeatedCursor as exc:
            self._repeats[(parent, exc.direction, exc.cursor)] += 1
            if self._repeats[(parent, exc.direction, exc.cursor)] <= self.repeat_retries:
                raise BadPage(f"{exc} on thread {parent or 'top'}", raw=raw,
                              reason="repeated_cursor") from exc
            following, note = advance(walk, raw, keys, requested, give_up_on_repeat=True)
        if walk["cursor"]:
            requested.add(walk["cursor"])
        comments, invalid = self._convert(models, raw.get(keys.items) or [], parent, raw)
        stall = (parent, walk["dir"])
        self._stalls[stall] = 0 if comments or invalid else self._stalls[stall] + 1
        if self._stalls[stall] >= self.stall_limit and following["dir"] == walk["dir"]:
            # Fresh cursors, nothing new, again and again: Instagram is going round.
            following, note = end_direction(walk), f"no_progress:{walk['dir']}"
        return comments, raw, following, ((note,) if note else ()) + tuple(invalid)

    def _convert(self, models, items, parent: str, raw) -> tuple[list[RawComment], list[str]]:
        """The page's new comments, and a note for each comment refused by the checks."""
        if len(models) != len(items):
            raise BadPage("parsed and raw item counts differ", raw=raw)
        out, ids, invalid = [], set(), []
        for model, item in zip(models, items):
            try:
                comment = check_comment(self._comment(model, item, parent))
            except FieldError as exc:
                invalid.append(f"invalid_comment:{exc.field}:{exc.code}")
                continue
            except (ValueError, TypeError, KeyError, AttributeError, OverflowError, OSError) as exc:
                raise BadPage(f"unreadable comment: {exc}", raw=raw, reason="invalid_item") from exc
            if comment.comment_id not in self._seen and comment.comment_id not in ids:
                ids.add(comment.comment_id)
                out.append(comment)
        return out, invalid

    def _comment(self, model, item: dict, parent: str) -> RawComment:
        stamp = item.get("created_at_utc")
        if isinstance(stamp, (int, float)) and not isinstance(stamp, bool):
            created = parse_created_at(stamp)
        else:
            created = model.created_at_utc
            if created.tzinfo is None:
                created = created.replace(tzinfo=timezone.utc)
        parent_id = item.get("parent_comment_id") or parent or None
        return RawComment(
            comment_id=normalise_pk(model.pk),
            user_id=normalise_pk(model.user.pk),
            username=model.user.username or "",
            text=model.text,
            created_at=created,
            parent_id=normalise_pk(parent_id) if parent_id else None,
            network="ig",
            post_ref=self.post.media_pk,
        )

    def _parents(self, raw: dict) -> list[str]:
        """Top-level comments on this page that announce replies not yet queued."""
        if not self.include_replies:
            return []
        parents = []
        for item in raw.get(TOP_KEYS.items) or []:
            if (item.get("child_comment_count") or 0) > 0:
                pk = normalise_pk(item.get("pk"))
                if id_problem(pk) is not None:
                    continue  # left out of the page as invalid: its replies too
                if pk not in self._queued_parents and pk not in parents:
                    parents.append(pk)
        return parents
