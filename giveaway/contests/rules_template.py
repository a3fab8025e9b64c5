"""A French rules document (règlement) template filled from a contest's settings.

Staff are offered it on the new-contest form (« Remplir avec le modèle ») and on
the rules page (prefilled while a contest has no rules yet). It is French whatever
the interface language: the contests are French and so is their règlement.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Optional

from giveaway.core.paris import to_paris

_TEMPLATE = Path(__file__).with_name("rules_template_fr.md")
ALCOHOL_CLAUSE = (" Le lot contenant de l'alcool, le jeu est réservé aux personnes majeures "
                  "(18 ans et plus) ; l'âge est vérifié à la remise du lot. "
                  "L'abus d'alcool est dangereux pour la santé, à consommer avec modération.")
#: Shown where the contest's form left a value empty, for staff to complete.
BLANK = "[à compléter]"


def _when(moment: Optional[datetime]) -> str:
    return to_paris(moment).strftime("%d/%m/%Y à %H:%M") if moment is not None else BLANK


def _count(n: Optional[int], one: str, many: str) -> str:
    if n is None:
        return f"{BLANK} {many}"
    if n == 0:
        return f"aucun {one}"
    return f"{n} {one if n == 1 else many}"


def _delivery_clause(delivery: str, place: str) -> str:
    if delivery == "postal":
        return ("Le lot est envoyé par voie postale, à l'adresse en France que le gagnant "
                "communique en réponse au message de l'organisateur.")
    where = f" : {place.strip()}" if place.strip() else ", au lieu et aux horaires indiqués " \
                                                         "au gagnant"
    return (f"Le lot est à retirer sur place{where}, sur présentation d'une pièce d'identité. "
            "Il n'est pas envoyé par la poste.")


def french_rules(title: str, organiser: str, partners: list[str],
                 opens_at: Optional[datetime], closes_at: Optional[datetime],
                 prize: str, winners: Optional[int], alternates: Optional[int], alcohol: bool,
                 *, prize_delivery: str = "pickup", pickup_place: str = "") -> str:
    """Return the template filled in (Markdown), ready for staff to adapt.

    An empty value is written « [à compléter] ». Nothing typed is interpreted: the
    values are pasted into the text as they are (the page renders it as sanitised
    Markdown).
    """
    return _TEMPLATE.read_text(encoding="utf-8").format(
        title=title.strip() or BLANK, organiser=organiser.strip().lstrip("@") or BLANK,
        partners=", ".join(partners) or BLANK, opens=_when(opens_at), closes=_when(closes_at),
        prize=prize.strip() or BLANK,
        winners=_count(winners, "gagnant", "gagnants"),
        alternates=_count(alternates, "suppléant", "suppléants"),
        delivery_clause=_delivery_clause(prize_delivery, pickup_place),
        alcohol_clause=ALCOHOL_CLAUSE if alcohol else "")


def rules_for_contest(contest) -> str:
    """:func:`french_rules` filled from a stored contest."""
    return french_rules(contest.title, contest.organiser_handle,
                        [p.name for p in contest.partners], contest.opens_at,
                        contest.closes_at, contest.prize_description, contest.winners,
                        contest.alternates, contest.alcohol_prize,
                        prize_delivery=getattr(contest, "prize_delivery", None) or "pickup",
                        pickup_place=getattr(contest, "prize_pickup_place", None) or "")
