"""French message templates: the winner's direct message and the public announcement."""
from __future__ import annotations

from flask import url_for

from giveaway.contests.models import Contest
from giveaway.draws.masking import plain_visible_handle
from giveaway.draws.models import Candidate


def direct_message(contest: Contest) -> str:
    """The Instagram DM to a winner (staff add the handle and the deadline)."""
    text = (f"Bonjour ! 🎉 Vous avez été tiré(e) au sort pour le jeu-concours « {contest.title} ». "
            f"Pour recevoir votre lot ({contest.prize_description or 'voir le règlement'}), "
            "répondez-nous sous 7 jours avec vos nom, prénom et adresse postale. "
            f"Le certificat du tirage : {url_for('public.page', public_id=contest.public_id, _external=True)}")
    if contest.alcohol_prize:
        text += (" Le lot contenant de l'alcool, nous vérifierons que vous avez 18 ans ou plus. "
                 "L'abus d'alcool est dangereux pour la santé, à consommer avec modération.")
    return text


def announcement(contest: Contest, people: list[Candidate]) -> str:
    """The public announcement: masked handles, each with its entry number (never alike).

    Invisible or direction-changing characters are written ``[U+202E]``, not pasted.
    """
    winners = ", ".join(f"{plain_visible_handle(p.masked_handle)} (participation n° "
                        f"{p.leaf_index})" for p in people
                        if p.status in ("to_contact", "contacted", "claimed"))
    return (f"🎁 Résultat du jeu-concours « {contest.title} » : félicitations à {winners or '…'} ! "
            "Le tirage est vérifiable par tous : "
            f"{url_for('public.page', public_id=contest.public_id, _external=True)}")
