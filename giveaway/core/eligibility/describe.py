"""Plain-language sentences describing the rules, for the contest's public page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .rules import EligibilityRules

__all__ = ["describe_rules", "PARIS"]

PARIS = ZoneInfo("Europe/Paris")
_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()

_FR = {
    "window_both": "Les commentaires publiés du {a} au {b} (heure de Paris), bornes incluses, "
    "sont pris en compte.",
    "window_from": "Les commentaires publiés à partir du {a} (heure de Paris) sont pris en compte.",
    "window_until": "Les commentaires publiés jusqu'au {b} inclus (heure de Paris) "
    "sont pris en compte.",
    "per_account": "Un commentaire par compte est retenu : le premier commentaire valide.",
    "per_comment": "Chaque commentaire valide compte comme une participation.",
    "per_comment_cap": "Chaque commentaire valide compte comme une participation, "
    "dans la limite de {n} par compte.",
    "mentions_1": "Au moins 1 mention d'un autre compte est requise.",
    "mentions_n": "Au moins {n} mentions distinctes d'autres comptes sont requises.",
    "mentions_not": "Mentionner son propre compte, l'organisateur ou un partenaire ne compte pas.",
    "mentions_new": "Un compte déjà mentionné dans une participation précédente du même "
    "participant ne compte pas à nouveau.",
    "must_contain": "Le commentaire doit contenir {what} ({how}).",
    "hashtag_1": "le hashtag {x}",
    "hashtag_n": "les hashtags {x}",
    "keyword_1": "le mot-clé {x}",
    "keyword_n": "les mots-clés {x}",
    "quote": "« {} »",
    "ai": "majuscules et accents indifférents",
    "as": "majuscules indifférentes, accents exigés",
    "replies_no": "Les réponses à d'autres commentaires ne sont pas prises en compte.",
    "replies_yes": "Les réponses à d'autres commentaires sont prises en compte.",
    "excluded": "Les comptes {who} ne peuvent pas participer.",
    "organiser": "de l'organisateur ({h})",
    "partner": "du partenaire ({h})",
    "partners": "des partenaires ({h})",
    "staff": "du personnel",
    "blocked": "Les comptes figurant sur la liste d'exclusion de l'organisateur "
    "ne sont pas retenus.",
    "winners": "Les comptes ayant gagné un jeu-concours de l'organisateur au cours des {n} "
    "derniers jours ne sont pas retenus.",
    "winners_1": "Les comptes ayant gagné un jeu-concours de l'organisateur au cours du dernier "
    "jour ne sont pas retenus.",
    "deleted": "Un commentaire supprimé avant le tirage n'est pas retenu.",
    "follow": "Le gagnant doit suivre {whom} ; c'est vérifié au moment du tirage.",
    "follow_organiser": "le compte de l'organisateur",
    "follow_partner": "le compte du partenaire",
    "follow_both": "les comptes de l'organisateur et du partenaire",
    "adults": "Jeu réservé aux personnes majeures (18 ans ou plus) ; l'âge du gagnant est "
    "vérifié à la remise du lot.",
    "and": " et ",
    "datetime": "{d:%d/%m/%Y} à {t}",
}

_EN = {
    "window_both": "Comments posted from {a} to {b} (Paris time), both included, count.",
    "window_from": "Comments posted from {a} (Paris time) onwards count.",
    "window_until": "Comments posted until {b} included (Paris time) count.",
    "per_account": "One comment per account counts: the first valid one.",
    "per_comment": "Each valid comment counts as one entry.",
    "per_comment_cap": "Each valid comment counts as one entry, up to {n} per account.",
    "mentions_1": "At least 1 mention of another account is required.",
    "mentions_n": "At least {n} distinct mentions of other accounts are required.",
    "mentions_not": "Mentioning your own account, the organiser or a partner does not count.",
    "mentions_new": "An account already mentioned in an earlier entry from the same "
    "participant does not count again.",
    "must_contain": "The comment must contain {what} ({how}).",
    "hashtag_1": "the hashtag {x}",
    "hashtag_n": "the hashtags {x}",
    "keyword_1": "the keyword {x}",
    "keyword_n": "the keywords {x}",
    "quote": "“{}”",
    "ai": "case and accents ignored",
    "as": "case ignored, accents must match",
    "replies_no": "Replies to other comments do not count.",
    "replies_yes": "Replies to other comments count.",
    "excluded": "The accounts {who} may not take part.",
    "organiser": "of the organiser ({h})",
    "partner": "of the partner ({h})",
    "partners": "of the partners ({h})",
    "staff": "of staff members",
    "blocked": "Accounts on the organiser's block list do not count.",
    "winners": "Accounts that won one of the organiser's contests in the last {n} days "
    "do not count.",
    "winners_1": "Accounts that won one of the organiser's contests in the last day do not count.",
    "deleted": "A comment deleted before the draw does not count.",
    "follow": "The winner must follow {whom}; this is checked at the draw.",
    "follow_organiser": "the organiser's account",
    "follow_partner": "the partner's account",
    "follow_both": "the organiser's and the partner's accounts",
    "adults": "Adults only (18 or over); the winner's age is checked when the prize "
    "is handed over.",
    "and": " and ",
    "datetime": "{month} at {t}",
}


def _join(items: list[str], t: dict[str, str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + t["and"] + items[-1]


def _when(moment: datetime, t: dict[str, str]) -> str:
    local = moment.astimezone(PARIS)
    time = f"{local:%H:%M}" if not (local.second or local.microsecond) else f"{local:%H:%M:%S}"
    month = f"{local.day} {_MONTHS_EN[local.month - 1]} {local.year}"
    return t["datetime"].format(d=local, t=time, month=month)


def describe_rules(rules: EligibilityRules, lang: str = "fr") -> list[str]:
    """Return the rules as plain sentences in ``lang`` (``"fr"`` or ``"en"``), dates in Paris time.

    :raises ValueError: on an unsupported language.
    """
    if lang not in ("fr", "en"):
        raise ValueError(f"unsupported language {lang!r} (expected 'fr' or 'en')")
    t = _FR if lang == "fr" else _EN
    out: list[str] = []
    a = _when(rules.opens_at, t) if rules.opens_at else None
    b = _when(rules.closes_at, t) if rules.closes_at else None
    if a or b:
        out.append(
            t["window_both" if a and b else "window_from" if a else "window_until"].format(a=a, b=b)
        )
    cap = rules.max_entries_per_account
    if not rules.per_comment:
        out.append(t["per_account"])
    else:
        out.append(t["per_comment"] if cap is None else t["per_comment_cap"].format(n=cap))
    if rules.min_mentions:
        out.append(
            t["mentions_1" if rules.min_mentions == 1 else "mentions_n"].format(
                n=rules.min_mentions
            )
        )
        out.append(t["mentions_not"])
        if rules.mentions_must_be_new and rules.per_comment:
            out.append(t["mentions_new"])
    how = t["ai" if rules.match_accent_insensitive else "as"]
    for kind, items in (
        ("hashtag", ["#" + tag for tag in rules.required_hashtags]),
        ("keyword", [t["quote"].format(k) for k in rules.required_keywords]),
    ):
        if items:
            what = t[f"{kind}_1" if len(items) == 1 else f"{kind}_n"].format(x=_join(items, t))
            out.append(t["must_contain"].format(what=what, how=how))
    out.append(t["replies_yes" if rules.replies_count else "replies_no"])
    who = []
    if rules.organiser_handles:
        who.append(t["organiser"].format(h=", ".join("@" + h for h in rules.organiser_handles)))
    if rules.partner_handles:
        key = "partner" if len(rules.partner_handles) == 1 else "partners"
        who.append(t[key].format(h=", ".join("@" + h for h in rules.partner_handles)))
    if rules.staff_handles:
        who.append(t["staff"])
    if who:
        out.append(t["excluded"].format(who=_join(who, t)))
    out.append(t["blocked"])
    if rules.recent_winner_days:
        days = rules.recent_winner_days
        out.append(t["winners_1"] if days == 1 else t["winners"].format(n=days))
    out.append(t["deleted"])
    if rules.must_follow != "none":
        out.append(t["follow"].format(whom=t["follow_" + rules.must_follow]))
    if rules.min_age_18:
        out.append(t["adults"])
    return out
