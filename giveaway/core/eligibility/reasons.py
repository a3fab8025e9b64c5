"""Exclusion reason codes, in their fixed order, with English and French sentences.

The order is the order of ``Verdict.reasons``: the most fundamental reason
comes first (a deleted comment is "deleted" before it is "missing_hashtag").
The English sentences are the gettext msgids; the French ones are a fallback
that needs no catalogue.
"""

from __future__ import annotations

__all__ = ["REASONS", "REASON_CODES", "REASON_SENTENCES_EN", "REASON_SENTENCES_FR"]

REASONS: tuple[tuple[str, str], ...] = (
    ("deleted", "Comment deleted since it was harvested."),
    ("early", "Comment posted before the contest opened."),
    ("late", "Comment posted after the contest closed."),
    ("reply_not_counted", "Replies to other comments do not count."),
    ("excluded_account", "Account excluded from the contest (organiser, partner or staff)."),
    ("blocked", "Account on the organiser's block list."),
    ("recent_winner", "Account won a recent contest."),
    ("too_few_mentions", "Not enough distinct mentions of other accounts."),
    ("missing_hashtag", "A required hashtag is missing."),
    ("missing_keyword", "A required keyword is missing."),
    ("duplicate_account", "Only the account's first valid comment counts."),
    ("over_cap", "The account already reached the maximum number of entries."),
)

REASON_CODES: tuple[str, ...] = tuple(code for code, _ in REASONS)

REASON_SENTENCES_EN: dict[str, str] = dict(REASONS)

REASON_SENTENCES_FR: dict[str, str] = {
    "deleted": "Commentaire supprimé depuis sa collecte.",
    "early": "Commentaire publié avant l'ouverture du jeu-concours.",
    "late": "Commentaire publié après la clôture du jeu-concours.",
    "reply_not_counted": "Les réponses à d'autres commentaires ne sont pas prises en compte.",
    "excluded_account": ("Compte exclu du jeu-concours (organisateur, partenaire ou personnel)."),
    "blocked": "Compte figurant sur la liste d'exclusion de l'organisateur.",
    "recent_winner": "Compte gagnant d'un jeu-concours récent.",
    "too_few_mentions": "Pas assez de mentions distinctes d'autres comptes.",
    "missing_hashtag": "Un hashtag obligatoire est absent.",
    "missing_keyword": "Un mot-clé obligatoire est absent.",
    "duplicate_account": "Seul le premier commentaire valide du compte est retenu.",
    "over_cap": "Le compte a déjà atteint le nombre maximal de participations.",
}
