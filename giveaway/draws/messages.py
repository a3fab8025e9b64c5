"""Staff's ready-to-send texts: the winner's direct message and the announcement to post.

Both are worded in the current locale (the view picks it with
``flask_babel.force_locale``): French first, English on request. They are
for staff only: the announcement names the winners by their **real**
handles, to tag them in an Instagram post; public pages keep masked handles.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Optional

from babel.lists import format_list
from flask import url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from giveaway.contests.models import Contest
from giveaway.core.paris import to_paris
from giveaway.draws.masking import plain_visible_handle
from giveaway.draws.models import Candidate

#: Candidates who hold a prize now, in draw order (a promoted alternate included;
#: alternates still on standby are not announced).
PRIZE_HOLDERS = ("to_contact", "contacted", "claimed")

_END = re.compile(r"[\s.,;:]+$")
_CONTRACTIONS = re.compile(r"\bà (le|les|Le|Les) ")


def _inline(text: str) -> str:
    """``text`` on one line, without the full stop, comma or colon that ends it.

    Staff write « Un coffret de vins. »: embedded in a sentence that ends
    with its own full stop, that stop would be doubled.
    """
    return _END.sub("", " ".join(str(text or "").split()))


def _ends_sentence(text: str) -> str:
    """``text`` ended by a full stop unless it already ends with « ! », « ? » or « … »."""
    return text if text.endswith(("!", "?", "…")) else text + "."


def direct_message(contest: Contest, deadline: Optional[datetime] = None) -> str:
    """The Instagram direct message to a winner, in paragraphs.

    It names the prize, says how to get it — « à retirer à <place> » for a
    pick-up (no postal address asked), the postal address for a delivery by
    post — asks an alcohol prize's winner to confirm they are 18 or over, and
    gives ``deadline`` (a claim deadline, UTC) only when there is one;
    otherwise it refers to the rules.
    """
    title = _inline(contest.title)
    prize = _inline(contest.prize_description)
    paragraphs = [_("Hello,"),
                  _("Congratulations! 🎉 You are one of the winners drawn in the contest "
                    "“%(title)s”.", title=title)]
    if prize:
        paragraphs[-1] += " " + _ends_sentence(_("Your prize: %(prize)s", prize=prize))
    if contest.prize_delivery == "postal":
        paragraphs.append(_("To receive your prize by post, please reply to this message with "
                            "your first name, last name and postal address."))
    else:
        place = _inline(contest.prize_pickup_place)
        paragraphs.append(_at(_("Your prize is to be collected at %(place)s. Please reply to "
                                "this message so that we can agree on a time.", place=place))
                          if place else
                          _("Your prize is to be collected in person. Please reply to this "
                            "message: we will tell you where and when."))
    if contest.alcohol_prize:
        paragraphs.append(_("As the prize contains alcohol, please confirm that you are 18 or "
                            "over (we may ask for an identity document). Excessive drinking "
                            "is dangerous for your health; drink in moderation."))
    if deadline is not None:
        paragraphs.append(_("Please reply by %(date)s; without an answer, the prize goes to the "
                            "next alternate.",
                            date=format_date(to_paris(deadline).date(), "long")))
    else:
        paragraphs.append(_("Without an answer within the time set by the rules, the prize goes "
                            "to the next alternate."))
    paragraphs.append(_("Anyone can check the draw: %(url)s", url=_public_url(contest)))
    paragraphs.append(_("See you soon,\nThe @%(organiser)s team",
                        organiser=contest.organiser_handle.lstrip("@")))
    return "\n\n".join(paragraphs)


def announcement(contest: Contest, people: list[Candidate]) -> str:
    """The announcement to post, tagging the winners who hold a prize by their real handles.

    Handles are in draw order, written ``@handle``; an invisible or
    direction-changing character is written ``[U+202E]``, never pasted.
    Returns "" when no one holds a prize (nothing to announce).
    """
    handles = ["@" + plain_visible_handle(p.handle.lstrip("@")) for p in people
               if p.status in PRIZE_HOLDERS]
    if not handles:
        return ""
    winners = format_list(handles, locale=get_locale())
    return _("🎁 Result of the contest “%(title)s”: congratulations to %(winners)s! "
             "Anyone can check the draw: %(url)s",
             title=_inline(contest.title), winners=winners, url=_public_url(contest))


def _at(text: str) -> str:
    """French « à le », « à les » contracted (« à retirer au Comptoir gascon »)."""
    if not str(get_locale()).startswith("fr"):
        return text
    return _CONTRACTIONS.sub(lambda m: "au " if m.group(1).lower() == "le" else "aux ", text)


def _public_url(contest: Contest) -> str:
    return url_for("public.page", public_id=contest.public_id, _external=True)
