"""Test doubles for the app side of a harvest: a store and a sleep recorder."""

from __future__ import annotations

import json


class Store:
    """Stands in for the app's storage: comments and cursor committed together.

    ``offered_twice`` counts comments a source delivered again (the app would
    de-duplicate them on (network, comment_id); we want none).
    """

    def __init__(self, fail_after: int | None = None):
        self.comments: dict[tuple[str, str], object] = {}
        self.cursor: dict | None = None
        self.pages = 0
        self.offered_twice = 0
        self.notes: list[str] = []
        self.fail_after = fail_after

    def on_page(self, page) -> None:
        if self.fail_after is not None and self.pages >= self.fail_after:
            raise KeyboardInterrupt("worker killed")  # nothing of this page is committed
        cursor = json.loads(json.dumps(page.cursor))  # must survive the database
        for comment in page.comments:
            key = (comment.network, comment.comment_id)
            if key in self.comments:
                self.offered_twice += 1
            self.comments[key] = comment
        self.cursor = cursor
        self.pages += 1
        self.notes.extend(page.notes)

    def ids(self) -> set[str]:
        return {cid for _, cid in self.comments}


class Sleeps(list):
    """An injectable ``sleep`` recording the delays instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
