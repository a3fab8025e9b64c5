"""A French rules document (règlement) template filled from a contest's settings."""
from __future__ import annotations

from pathlib import Path

from giveaway.core.paris import to_paris

_TEMPLATE = Path(__file__).with_name("rules_template_fr.md")
ALCOHOL_CLAUSE = (" Le lot contenant de l'alcool, le jeu est réservé aux personnes majeures "
                  "(18 ans et plus) ; l'âge est vérifié à la remise du lot. "
                  "L'abus d'alcool est dangereux pour la santé, à consommer avec modération.")


def french_rules(title: str, organiser: str, partners: list[str], opens_at, closes_at,
                 prize: str, winners: int, alternates: int, alcohol: bool) -> str:
    """Return the template filled in (Markdown), ready for staff to adapt."""
    return _TEMPLATE.read_text(encoding="utf-8").format(
        title=title, organiser=organiser, partners=", ".join(partners) or "—",
        opens=to_paris(opens_at).strftime("%d/%m/%Y à %H:%M"),
        closes=to_paris(closes_at).strftime("%d/%m/%Y à %H:%M"),
        prize=prize or "—", winners=winners, alternates=alternates,
        alcohol_clause=ALCOHOL_CLAUSE if alcohol else "")
