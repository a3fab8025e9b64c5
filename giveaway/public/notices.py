"""The notices of a contest's public page, in the visitor's language.

The sealed certificate keeps the French notices it was signed with
(:mod:`giveaway.draws.certificate`); the page, like the PDF, shows them worded
for whoever reads it, from the same catalogue entries
(:data:`giveaway.draws.pdf_words.NOTICE_LABELS`).
"""
from __future__ import annotations

from giveaway.draws.pdf_words import NOTICE_LABELS


def page_notices(alcohol_prize: bool) -> dict[str, object]:
    """The notices of a page: ``instagram``, ``data``, and ``health`` (the Loi Evin
    warning; None when the prize holds no alcohol), each a lazy translated string."""
    return {"instagram": NOTICE_LABELS["instagram"], "data": NOTICE_LABELS["data"],
            "health": NOTICE_LABELS["health"] if alcohol_prize else None}
