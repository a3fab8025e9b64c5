"""« Suis-je compté ? »: a participant checks their own handle, and learns nothing else."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from giveaway.contests.models import Contest
from giveaway.core.eligibility import REASON_CODES
from giveaway.core.textcheck import text_problem
from giveaway.eligibility.models import Verdict
from giveaway.extensions import db
from giveaway.harvest.models import Comment
from giveaway.sources.fields import MAX_USERNAME


#: Exclusions that come from the organiser's private lists (block list, staff and other
#: excluded accounts, recent winners): the public answer never tells them apart.
PRIVATE_REASONS = frozenset({"excluded_account", "blocked", "recent_winner"})


@dataclass(frozen=True)
class LookupAnswer:
    """``found`` False: no comment under that name; else counted, or why not.

    ``reasons`` are the public, rule-based reason codes (window, mentions,
    hashtag, keyword, duplicate, reply, deleted); ``by_organiser`` stands for
    every private exclusion (block list, staff, recent winner, manual
    exclusion) without saying which. An answer that is not counted always
    has at least one of the two.
    """

    found: bool
    counted: bool = False
    reasons: tuple[str, ...] = ()
    by_organiser: bool = False


def am_i_counted(contest: Contest, handle: str) -> LookupAnswer:
    """Look up the accounts that commented under ``handle`` (case-insensitive, without ``@``).

    An account renamed between two harvests is found by any of its names, and
    the answer is the account's: counted when any of its comments is;
    otherwise the public reasons of all of them, and "excluded by the
    organiser" for a private exclusion.
    """
    handle = handle.strip().lstrip("@").lower()
    if not handle or text_problem(handle, MAX_USERNAME, single_line=True) is not None:
        return LookupAnswer(found=False)  # no stored name is empty, longer, or holds a NUL
    return _answer(contest, handle)


def _answer(contest: Contest, handle: str) -> LookupAnswer:
    """The verdict of every account that used the (normalised) name ``handle`` in the contest."""
    named = (sa.select(Comment.network, Comment.user_id)
             .where(Comment.contest_id == contest.id, sa.func.lower(Comment.username) == handle)
             .distinct())
    of_accounts = sa.select(Verdict.reasons, Verdict.manual).join(
        Comment, Comment.id == Verdict.comment_pk).where(
        Comment.contest_id == contest.id, sa.tuple_(Comment.network, Comment.user_id).in_(named))
    if db.session.execute(of_accounts.limit(1)).first() is None:
        return LookupAnswer(found=False)
    if db.session.execute(of_accounts.where(Verdict.counted.is_(True)).limit(1)).first():
        return LookupAnswer(found=True, counted=True)
    codes, private = set(), False
    for reasons, manual in db.session.execute(of_accounts.distinct().limit(1000)):
        found = {code for code in reasons.strip(",").split(",") if code}
        private = private or manual == "exclude" or bool(found & PRIVATE_REASONS)
        codes |= found - PRIVATE_REASONS
    public = tuple(code for code in REASON_CODES if code in codes)
    return LookupAnswer(found=True, reasons=public, by_organiser=private or not public)
