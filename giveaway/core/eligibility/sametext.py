"""What the ``same_text`` flag compares: the *substance* of a comment.

In a contest nearly every comment carries the required hashtag, a few tagged
friends and a stock phrase (« Je participe », « Merci », « Bonne chance à
tous »). Thousands of people write those independently, so they say nothing
about copy-paste rings. The substance of a comment is what is left once they
are gone:

1. mentions (``@handle``) and every hashtag (``#word``) are removed — the
   required ones and the others alike: hashtags are copied from the caption
   or the habits of the network, not written;
2. accents, case, punctuation, emoji and spacing are dropped, and a letter
   stretched over three or more times counts once (``merciii`` → ``merci``);
3. the stock phrases of ``COMMON_PHRASES`` (French and English) are removed
   where they stand as whole words, with the required hashtags written as a
   word, the required keywords of the rules, and a conjunction just before
   them (« merci *et* bonne chance »);
4. what remains is kept as its letters and digits only, without spaces.

The substance of « Je participe ! Ce coffret serait parfait 😍 @ana #Gers » is
``"cecoffretseraitparfait"``. The ``same_text`` flag then decides how long a
substance must be to count, and which ones the contest itself shows to be
common (see ``flags``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .text import normalize, strip_mentions_and_hashtags

__all__ = ["COMMON_PHRASES", "common_phrases_pattern", "fold", "plain_words", "substance",
           "substance_of_words", "words_of"]

# Written as people type them; compared through ``words_of`` (accents, case and
# punctuation do not matter). Longer phrases win over their prefixes.
COMMON_PHRASES: tuple[str, ...] = (
    # taking part
    "je participe", "je participe avec plaisir", "je participe avec grand plaisir",
    "je participe volontiers", "participe", "participation", "je joue", "je rejoue", "je tente",
    "je tente ma chance", "je retente ma chance", "je tente le coup", "tente ma chance",
    "on tente", "on tente notre chance", "tentons notre chance", "tentons", "tenté", "tentée",
    "qui ne tente rien n'a rien", "allez", "allez hop", "c'est parti", "go", "pourquoi pas",
    "avec plaisir", "avec grand plaisir", "moi", "moi aussi", "me voilà", "présent", "présente",
    "inscrit", "inscrite",
    # thanks and good luck
    "merci", "merci beaucoup", "merci à vous", "merci à toi", "mille mercis", "un grand merci",
    "merci pour ce concours", "merci pour ce beau concours", "merci pour ce super concours",
    "merci pour ce jeu", "merci pour ce jeu-concours", "merci pour ce beau jeu-concours",
    "merci pour cette chance", "merci pour cette belle chance", "merci pour ce partage",
    "merci pour l'organisation", "merci pour cette opportunité", "merci pour ce cadeau",
    "merci de nous faire rêver", "bonne chance", "bonne chance à tous", "bonne chance à toutes",
    "bonne chance à tous et à toutes", "bonne chance à toutes et à tous",
    "bonne chance à tout le monde", "bonne chance aux participants", "bonne journée",
    "bonne soirée", "bon week-end", "bonne fin de journée",
    # hope
    "je croise les doigts", "on croise les doigts", "croisons les doigts", "doigts croisés",
    "j'espère", "j'espère gagner", "j'aimerais gagner", "j'aimerais tellement gagner",
    "j'aimerais tant gagner", "j'adorerais gagner", "ça serait génial", "ce serait génial",
    "ça serait génial de gagner", "ce serait génial de gagner", "ça serait top",
    "ce serait top", "ce serait super", "qui sait", "on sait jamais", "on ne sait jamais",
    "un jour peut-être", "peut-être", "cette fois", "cette fois c'est la bonne", "hâte",
    "trop hâte", "vivement", "gagner", "à gagner",
    # enthusiasm
    "trop bien", "trop beau", "trop cool", "trop top", "trop génial", "super", "top", "génial",
    "géniale", "j'adore", "j'aime", "waouh", "wahou", "wouah", "waw", "wow", "youpi", "yes",
    "oui", "ok", "cool", "chouette", "bravo",
    # greetings and sharing
    "coucou", "bonjour", "hello", "salut", "partagé", "partagée", "partagé en story",
    "partagée en story", "en story", "story", "abonné", "abonnée", "déjà abonné",
    "déjà abonnée", "je suis abonné", "je suis abonnée", "je m'abonne", "concours",
    "jeu-concours", "jeu", "giveaway",
    # English
    "i'm in", "im in", "count me in", "good luck", "good luck everyone",
    "good luck to all", "good luck to everyone", "thank you", "thank you so much", "thanks",
    "thanks a lot", "thank you for the giveaway", "thanks for the giveaway", "love it",
    "i love it", "love this", "i love", "amazing", "awesome", "great", "nice", "fingers crossed",
    "pick me", "i want to win", "hope i win", "please", "let's go",
)

_NOT_ALNUM_RE = re.compile(r"[\W_]+")
_ACCENTS_RE = re.compile("[\u0300-\u036f]+")  # the combining diacritical marks
_LIGATURES = {ord("œ"): "oe", ord("æ"): "ae"}
_STRETCH_RE = re.compile(r"([^\W\d_])\1{2,}")


def plain_words(normalized_text: str) -> str:
    """Return the words of normalised text, one space apart, without mentions and hashtags.

    Words are runs of letters and digits (``j'adore`` is two); nothing else
    changes (see ``fold`` for accents).
    """
    return _NOT_ALNUM_RE.sub(" ", strip_mentions_and_hashtags(normalized_text)).strip()


def fold(words: str) -> str:
    """Return ``plain_words`` without accents, with ``œ`` as ``oe`` and ``æ`` as ``ae``."""
    if words.isascii():
        return words
    return _ACCENTS_RE.sub("", unicodedata.normalize("NFD", words.translate(_LIGATURES)))


def words_of(normalized_text: str) -> str:
    """Return the folded words of normalised text, a stretched letter counting once.

    ``words_of("Merciiii à @bob #gers !")`` is ``"merci a"``: mentions and
    hashtags removed, accents folded, a letter repeated three times or more
    written once.
    """
    return _STRETCH_RE.sub(r"\1", fold(plain_words(normalized_text)))


def _trie(phrases: list[str]) -> str:
    """Return a regular expression matching any of ``phrases``, longest first.

    The alternatives are factored by common prefix (``je (?:joue|participe)``)
    so that matching costs a few steps per position, not one per phrase.
    """
    root: dict[str, dict] = {}
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body  # greedy: the longer phrase first

    return build(root)


@lru_cache(maxsize=64)
def common_phrases_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """Compile the pattern of ``COMMON_PHRASES`` and ``extra`` phrases, as whole words.

    ``extra`` holds the contest's own phrases (required hashtags and keywords),
    in any spelling. Phrases that have no word (``"#"``, ``"🍷"``) are left out.
    """
    phrases = {words_of(normalize(phrase)) for phrase in COMMON_PHRASES + extra}
    phrases.discard("")
    # a conjunction just before a stock phrase goes with it (« merci et bonne chance »)
    return re.compile(r"\b(?:(?:et|and|ou|or) )?" + _trie(sorted(phrases)) + r"\b")


def substance(normalized_text: str, phrases: re.Pattern[str]) -> str:
    """Return the letters and digits of normalised text once ``phrases`` are removed.

    See the module docstring; ``phrases`` comes from ``common_phrases_pattern``.
    The result is empty when nothing of substance is left.
    """
    return substance_of_words(plain_words(normalized_text), phrases)


def substance_of_words(words: str, phrases: re.Pattern[str]) -> str:
    """``substance`` from the ``plain_words`` of a text (the part worth caching)."""
    # Stretched letters are collapsed only in what the phrases leave (most
    # comments: nothing), then the phrases are matched again (``merciii``).
    rest = phrases.sub("", fold(words))
    if rest and not rest.isspace() and _STRETCH_RE.search(rest):
        rest = phrases.sub("", _STRETCH_RE.sub(r"\1", rest))
    return rest.replace(" ", "")
