"""A generated French Instagram contest, realistic enough to judge the suspicion flags.

What real contests of a wine département look like: most comments are the
required hashtag, one to three friends tagged and a stock phrase (« Je
participe », « Merci », « Bonne chance à tous »…), often with emoji; some say a
few generic words about the prize; a minority write a sentence of their own.
A fifth of the accounts comment more than once, sometimes with the very same
text. ``clusters`` plants copy-paste rings: groups of 8–15 new accounts posting
one sentence each, varied by mentions, emoji, case, accents, punctuation and
stock phrases around it.

Deterministic: everything comes from ``random.Random(seed)`` (tests only; the
core never uses ``random``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from giveaway.core.eligibility import EligibilityRules

OPENS = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
RULES = EligibilityRules(
    opens_at=OPENS, closes_at=OPENS + timedelta(days=10), min_mentions=1,
    required_hashtags=["ConcoursVinsDuGers"], organiser_handles=["gers_tourisme"],
    partner_handles=["domaine_pellehaut"],
)

FIRST = ["camille", "lea", "manon", "chloe", "ines", "louise", "jade", "emma", "hugo", "lucas",
         "theo", "nathan", "louis", "arthur", "jules", "zoe", "lina", "mael", "noemie", "sarah",
         "clement", "mathilde", "baptiste", "oceane", "romain", "elodie", "maxime", "pauline"]
LAST = ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand", "leroy",
        "moreau", "simon", "laurent", "lefebvre", "michel", "garcia", "roux", "daguerre",
        "lafitte", "castaing", "dupouy", "sempe", "barrere", "lacoste", "abadie"]
TOWNS = ["Auch", "Condom", "Lectoure", "Fleurance", "Eauze", "Nogaro", "Mirande", "Vic-Fezensac",
         "L'Isle-Jourdain", "Samatan", "Gimont", "Marciac", "Riscle", "Plaisance", "Masseube",
         "Montréal-du-Gers", "Larressingle", "Lavardens", "Barbotan", "Cazaubon", "Lombez",
         "Saramon", "Valence-sur-Baïse", "Aignan", "Jegun", "Mauvezin", "Cologne", "Seissan",
         "Toulouse", "Bordeaux", "Pau", "Tarbes", "Agen", "Montauban", "Mont-de-Marsan", "Paris",
         "Lyon", "Nantes", "Biarritz", "Bayonne"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]

# Stock phrases, most frequent first (the generator favours the head of the list).
STOCK = [
    "Je participe", "Je participe avec plaisir", "Merci", "Bonne chance à tous",
    "Je tente ma chance", "Merci pour ce concours", "J'adore", "Trop bien", "Super",
    "Je croise les doigts", "Merci beaucoup", "Avec plaisir", "Je joue", "Tentée",
    "Bonne chance à toutes et à tous", "Merci pour ce jeu-concours", "Top", "Génial",
    "Partagé en story", "Déjà abonnée", "Ça serait génial de gagner", "Je tente", "Trop beau",
    "Merci pour cette chance", "On tente", "C'est parti", "Pourquoi pas", "Hâte",
    "J'aimerais tellement gagner", "Coucou", "Trop cool", "Je participe, merci",
    "Merci et bonne chance à tous", "Je tente ma chance, merci", "Allez, je tente",
    "Je participe avec grand plaisir", "Merci pour ce beau concours", "Qui ne tente rien n'a rien",
    "Croisons les doigts", "Merci pour ce partage", "Je suis abonnée",
]
STOCK_EN = ["I'm in", "Good luck everyone", "Thank you", "Count me in", "Fingers crossed",
            "Love it", "Amazing", "Thanks for the giveaway"]
# Short generic remarks on the prize or the place: shared by chance, not copied.
REMARKS = ["Trop beau ce coffret", "Quel beau domaine", "Ça donne envie", "Magnifique",
           "J'adore ce vin", "Vive le Gers", "Miam", "Superbe cadeau", "Le Gers c'est la vie",
           "Un régal", "Sublime", "Ce rosé est une tuerie", "Parfait pour l'apéro",
           "Idéal pour les fêtes", "Quel joli coffret", "Vivement l'été", "Santé",
           "À la vôtre", "Belle idée de cadeau", "On adore ce domaine", "Quel beau coffret",
           "Les meilleurs vins", "Bravo au domaine", "Superbes photos",
           # longer ones, rarer: a few people still write them the same way
           "J'adore les vins de ce domaine", "Ce serait un super cadeau pour mon père",
           "Le Gers est le plus beau département", "Vos vins sont vraiment excellents",
           "Parfait pour les repas de famille", "Idéal pour les fêtes de fin d'année",
           "Nous avons visité le domaine cet été", "Un coffret qui fait vraiment envie",
           "Rien de tel qu'un bon vin du Gers"]
WHO = ["Mon père", "Ma sœur", "Mon chéri", "Ma meilleure amie", "Mon beau-frère", "Ma grand-mère",
       "Mon voisin", "Ma collègue", "Mon fils", "Ma tante", "Mon oncle", "Mon mari", "Ma femme",
       "Ma mère", "Mon cousin", "Ma belle-mère", "Mon parrain", "Ma marraine"]
VERB = ["adorerait", "serait ravi de goûter", "rêve de découvrir", "parle encore de",
        "ne jure que par", "a découvert", "voudrait offrir", "me conseille toujours"]
WHAT = ["ce rosé", "les vins du domaine", "le floc de Gascogne", "l'armagnac", "ce coffret",
        "les Côtes de Gascogne", "le madiran", "le pacherenc", "vos blancs moelleux",
        "le colombard", "votre cuvée rouge", "vos bulles"]
WHEN = ["depuis notre passage à {town}", "depuis la fête des vendanges de {town}",
        "après un week-end à {town}", "depuis le marché de {town}",
        "pour son anniversaire en {month}", "pour les fêtes à {town}",
        "depuis nos vacances à {town} en {month}", "depuis le salon de {town}"]
EMOJI = ["😍", "🍷", "🙏", "✨", "🤞", "❤️", "🥂", "😊", "🍀", "🥰", "👍", "🎉"]
TAGS = ["#gers", "#concours", "#jeuconcours", "#vin", "#cotesdegascogne", "#giveaway",
        "#tentezvotrechance", "#Gers32"]
REQUIRED = ["#ConcoursVinsDuGers", "#concoursvinsdugers", "#CONCOURSVINSDUGERS",
            "#ConcoursVinsDuGers", "#concoursVinsDuGers"]
MESS = ["<script>alert('gagné')</script>", "\u202eruojnob\u202c", "ｊｅ ｐａｒｔｉｃｉｐｅ",
        "écrivez-moi à jean@gers.fr", "Je\u200b participe", "😍😍😍", "..."]

# Planted copy-paste rings: sentences nobody writes twice by chance.
PLANTED = [
    "Abonnez-vous à mon compte, je fais gagner des iPhone tous les jours",
    "Ce coffret serait parfait pour l'anniversaire de ma mère en juin",
    "Le domaine Pellehaut produit les meilleurs vins de tout le Sud-Ouest",
]


@dataclass(frozen=True)
class Entry:
    """One comment, shaped like the harvested records the engine reads."""

    comment_id: str
    user_id: str
    username: str
    text: str
    created_at: datetime
    parent_id: str | None = None
    network: str = "ig"
    profile_empty: bool = False


@dataclass(frozen=True)
class Contest:
    """The comments, the contest's rules and, per planted sentence, the ids of its comments."""

    comments: list[Entry]
    rules: EligibilityRules
    planted: dict[str, frozenset[str]]


def _handle(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)}{rng.choice(('.', '_', ''))}{rng.choice(LAST)}{rng.randint(1, 999)}"


def _zipf(rng: random.Random, items: list[str]) -> str:
    """Pick from ``items``, the first ones far more often (rank weights 1/(r+1))."""
    return rng.choices(items, weights=[1 / (rank + 1) for rank in range(len(items))])[0]


def _free_sentence(rng: random.Random) -> str:
    when = rng.choice(WHEN).format(town=rng.choice(TOWNS), month=rng.choice(MONTHS))
    return f"{rng.choice(WHO)} {rng.choice(VERB)} {rng.choice(WHAT)} {when}"


def _body(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.50:
        body = _zipf(rng, STOCK)
        if rng.random() < 0.25:
            body += rng.choice((" ! ", ", ", ". ")) + _zipf(rng, STOCK)
    elif kind < 0.54:
        body = _zipf(rng, STOCK_EN)
    elif kind < 0.74:
        body = _zipf(rng, REMARKS)
        if rng.random() < 0.5:
            body = rng.choice((f"{_zipf(rng, STOCK)} ! {body}", f"{body}, {_zipf(rng, STOCK)}"))
    elif kind < 0.93:
        body = _free_sentence(rng)
        if rng.random() < 0.4:
            body = rng.choice((f"{_zipf(rng, STOCK)} ! {body}", f"{body}. {_zipf(rng, STOCK)}"))
    elif kind < 0.98:
        body = ""  # only mentions, hashtags, emoji
    else:
        body = rng.choice(MESS)
    return body


def _dress(rng: random.Random, body: str, friends: list[str]) -> str:
    """Surround ``body`` with mentions, hashtags, emoji and the usual variations."""
    mentions = " ".join("@" + rng.choice(friends) for _ in range(rng.choice((1, 1, 2, 2, 2, 3))))
    if rng.random() < 0.05:
        mentions += " @gers_tourisme"
    tags = [rng.choice(REQUIRED)] if rng.random() < 0.92 else []
    if rng.random() < 0.3:
        tags += rng.sample(TAGS, rng.choice((1, 1, 2, 3)))
    rng.shuffle(tags)
    emoji = "".join(rng.choice(EMOJI) for _ in range(rng.choice((0, 0, 1, 1, 2, 3))))
    case = rng.random()
    if case < 0.10:
        body = body.lower()
    elif case < 0.13:
        body = body.upper()
    if body and rng.random() < 0.5:
        body += rng.choice(("!", " !", "!!", "...", " 🙏", "."))
    pieces = [p for p in (body, emoji, mentions, " ".join(tags)) if p]
    if rng.random() < 0.3:
        rng.shuffle(pieces)
    return rng.choice((" ", "  ", "\n")).join(pieces)


def _planted_text(rng: random.Random, sentence: str, friends: list[str]) -> str:
    """The ring's sentence, varied the way a copy-paste ring varies it."""
    variant = rng.random()
    if variant < 0.25:
        sentence = sentence.lower()
    elif variant < 0.35:
        sentence = sentence.upper()
    if rng.random() < 0.3:  # typed without accents
        sentence = sentence.translate(str.maketrans("éèàôç", "eeaoc"))
    if rng.random() < 0.3:
        sentence = sentence.replace("'", "’").replace(",", "")
    if rng.random() < 0.4:
        sentence = rng.choice((f"{_zipf(rng, STOCK)} ! {sentence}",
                               f"{sentence}. {_zipf(rng, STOCK)}"))
    return _dress(rng, sentence, friends)


def generate_contest(entries: int = 2000, *, seed: int = 13, clusters: int = 0) -> Contest:
    """Return a contest of about ``entries`` comments, with ``clusters`` planted rings (≤ 3).

    Ring ``k`` is ``PLANTED[k]`` posted once by each of 8–15 new accounts;
    ``Contest.planted`` maps that sentence to the ids of those comments.

    :raises ValueError: if ``clusters`` is not between 0 and ``len(PLANTED)``.
    """
    if not 0 <= clusters <= len(PLANTED):
        raise ValueError(f"clusters must be between 0 and {len(PLANTED)}")
    rng = random.Random(seed)
    span = int(timedelta(days=10).total_seconds())
    friends = [_handle(rng) for _ in range(max(50, entries // 2))]
    accounts = [(str(41_000_000_000 + i * 7919), _handle(rng))
                for i in range(max(1, entries * 4 // 5))]
    comments: list[Entry] = []

    def add(user_id: str, username: str, text: str) -> str:
        i = len(comments)
        network = "facebook" if rng.random() < 0.02 else "ig"
        comment_id = f"fb-{i}" if network == "facebook" else str(18_000_000_000_000_000 + i)
        created = OPENS + timedelta(seconds=rng.randint(0, span), microseconds=i)
        comments.append(Entry(comment_id, user_id, username, text, created, network=network,
                              profile_empty=rng.random() < 0.01))
        return comment_id

    while len(comments) < entries:
        user_id, username = rng.choice(accounts) if len(comments) >= len(accounts) \
            else accounts[len(comments)]
        text = _dress(rng, _body(rng), friends)
        add(user_id, username, text)
        if rng.random() < 0.15:  # the same account again, often with the very same text
            for _ in range(rng.choice((1, 1, 2, 3))):
                again = text if rng.random() < 0.5 else _dress(rng, _body(rng), friends)
                add(user_id, username, again)
    planted: dict[str, frozenset[str]] = {}
    for k, sentence in enumerate(PLANTED[:clusters]):
        ids = []
        for j in range(rng.randint(8, 15)):
            user_id = str(77_000_000_000 + k * 1000 + j)
            ids.append(add(user_id, f"gagnant_{k}_{j}_{rng.randint(10, 99)}",
                           _planted_text(rng, sentence, friends)))
        planted[sentence] = frozenset(ids)
    return Contest(comments, RULES, planted)
