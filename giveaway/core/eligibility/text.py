"""Text normalisation and extraction of mentions, hashtags and keywords.

Every comparison in the eligibility engine runs on *normalised* text:

1. invisible characters are deleted: zero-width (U+200B–U+200D, U+2060,
   U+FEFF), bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E,
   U+200F, U+061C), plus the soft hyphen (U+00AD), the invisible operators
   (U+2061–U+2064) and the Mongolian vowel separator (U+180E);
2. NFKC, so fullwidth ``＠ｈａｎｄｌｅ`` and ``＃Ｇｅｒｓ`` become ``@handle``
   and ``#Gers``, and the small/fullwidth commercial-at signs become ``@``;
3. ``casefold`` (then NFKC again, since case folding can denormalise).

Accent folding (NFD, drop nonspacing/combining marks, NFC) is applied on top
for hashtag and keyword matching when the rules ask for it; it never applies
to handles, which are ASCII by Instagram's syntax.

Mentions follow Instagram's handle syntax: ``@`` then a run of ASCII
``[a-z0-9._]``; trailing dots are not part of the handle (``@paul.`` at the
end of a sentence mentions ``paul``); a run longer than 30 characters is not a
mention; ``@`` preceded by a word character or another ``@`` is not a mention,
so e-mail addresses (``jean@gers.fr``) are ignored. The run stops at the first
character outside the ASCII handle set: punctuation, emoji, and also look-alike
letters from other scripts — ``@pаul`` written with a Cyrillic ``а`` mentions
the (different) account ``p``. Such homoglyphs are never folded to ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "INVISIBLE_CHARACTERS",
    "normalize",
    "fold_accents",
    "normalize_handle",
    "is_valid_handle",
    "extract_mentions",
    "extract_hashtags",
    "strip_mentions",
    "strip_mentions_and_hashtags",
    "text_skeleton",
    "normalize_hashtag",
    "keyword_pattern",
]

INVISIBLE_CHARACTERS: frozenset[str] = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi embeddings
    "\u200e\u200f\u061c"  # bidi marks
    "\u00ad\u2061\u2062\u2063\u2064\u180e"  # other invisibles
)
_INVISIBLE_RE = re.compile("[" + "".join(sorted(INVISIBLE_CHARACTERS)) + "]")

_HANDLE_RE = re.compile(r"[a-z0-9._]{1,30}")
# 1-30 handle characters, not ending with a dot; trailing dots are punctuation;
# a longer run of handle characters is no mention at all.
# The lookbehind sits after the literal "@" so that the search can skip to it.
_MENTION_RE = re.compile(r"@(?<![\w@]@)([a-z0-9._]{0,29}[a-z0-9_])\.*(?![a-z0-9._])")
_HASHTAG_RE = re.compile(r"#(\w+)")


def normalize(text: str) -> str:
    """Return ``text`` without invisible characters, NFKC-normalised and casefolded.

    ASCII text takes a fast path (NFKC is the identity on ASCII and casefold
    equals lower).
    """
    if text.isascii():
        return text.lower()
    if _INVISIBLE_RE.search(text):
        text = _INVISIBLE_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold()
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=1)
def _marks() -> tuple[re.Pattern[str], frozenset[str]]:
    """Build (once, ~0.1 s) the tools that find combining and nonspacing marks.

    :returns: a pattern for the marks of the Basic Multilingual Plane, and the
        set of the other (astral) marks. A character class holding astral
        ranges makes ``re`` test every range for every character (ten times
        slower), so astral marks — rare: historic scripts, musical symbols,
        variation selectors — are checked separately.
    """
    marks = [
        cp
        for cp in range(0x110000)
        if unicodedata.combining(chr(cp)) or unicodedata.category(chr(cp)) == "Mn"
    ]
    ranges, start, prev = [], marks[0], marks[0]
    for cp in [cp for cp in marks if cp <= 0xFFFF] + [-1]:
        if cp != prev + 1:
            ranges.append(f"\\u{start:04x}-\\u{prev:04x}" if start != prev else f"\\u{start:04x}")
            start = cp
        prev = cp
    astral = frozenset(chr(cp) for cp in marks if cp > 0xFFFF)
    return re.compile("[" + "".join(ranges) + "]+"), astral


_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


def fold_accents(text: str) -> str:
    """Return ``text`` with accents and other combining marks removed (``é`` → ``e``).

    The result is NFC. Letters without a decomposition (``ø``, ``œ``) are kept.
    """
    if text.isascii():
        return text
    bmp_marks, astral_marks = _marks()
    text = bmp_marks.sub("", unicodedata.normalize("NFD", text))
    if _ASTRAL_RE.search(text) and not astral_marks.isdisjoint(_ASTRAL_RE.findall(text)):
        text = "".join(ch for ch in text if ch not in astral_marks)
    return unicodedata.normalize("NFC", text)


# Hashtags come from a small vocabulary: memoise their folding.
_fold_tag = lru_cache(maxsize=65536)(fold_accents)


def normalize_handle(handle: str) -> str:
    """Return the comparison form of an account handle: normalised, without a leading ``@``."""
    return normalize(handle).strip().removeprefix("@")


def is_valid_handle(handle: str) -> bool:
    """Return True if the *normalised* ``handle`` fits Instagram's syntax.

    That is 1–30 characters of ``[a-z0-9._]``, not ending with a dot.
    """
    return bool(_HANDLE_RE.fullmatch(handle)) and not handle.endswith(".")


def extract_mentions(normalized_text: str) -> frozenset[str]:
    """Return the distinct handles mentioned in already-normalised text.

    A handle mentioned several times counts once. See the module docstring for
    the syntax.
    """
    if "@" not in normalized_text:
        return frozenset()
    return frozenset(_MENTION_RE.findall(normalized_text))


def strip_mentions(normalized_text: str) -> str:
    """Return normalised text with every ``@handle`` run replaced by a space."""
    return _MENTION_RE.sub(" ", normalized_text) if "@" in normalized_text else normalized_text


_TAG_RE = re.compile(_MENTION_RE.pattern + r"|#\w+")


def strip_mentions_and_hashtags(normalized_text: str) -> str:
    """Return normalised text with every ``@handle`` and ``#hashtag`` replaced by a space.

    Mentions follow the syntax of ``extract_mentions``, hashtags that of
    ``extract_hashtags`` (``#`` and a run of Unicode word characters).
    """
    if "@" in normalized_text or "#" in normalized_text:
        return _TAG_RE.sub(" ", normalized_text)
    return normalized_text


_NOT_ALNUM_RE = re.compile(r"[\W_]+")


def text_skeleton(normalized_text: str) -> str:
    """Return the letters and digits of normalised text, without mentions and accents.

    (The ``same_text`` flag compares ``sametext.substance`` instead, which also
    drops hashtags and stock phrases.)

    NFD splits accents off their letters; removing every non-alphanumeric
    character then drops them together with spaces, punctuation and emoji.
    """
    text = strip_mentions(normalized_text)
    if not text.isascii():
        text = unicodedata.normalize("NFD", text)
    return _NOT_ALNUM_RE.sub("", text)


def normalize_hashtag(tag: str, accent_insensitive: bool) -> str:
    """Return the comparison form of a hashtag body (no ``#``), from any raw spelling."""
    tag = normalize(tag).strip().removeprefix("#")
    return fold_accents(tag) if accent_insensitive else tag


def extract_hashtags(normalized_text: str, accent_insensitive: bool) -> frozenset[str]:
    """Return the distinct hashtag bodies (``#`` + Unicode word characters) in normalised text.

    With ``accent_insensitive`` the bodies are accent-folded, so ``#GÉRS``
    yields ``gers``.
    """
    if "#" not in normalized_text:
        return frozenset()
    tags = _HASHTAG_RE.findall(normalized_text)
    if accent_insensitive:
        return frozenset(map(_fold_tag, tags))
    return frozenset(tags)


def keyword_pattern(keyword: str, accent_insensitive: bool) -> re.Pattern[str]:
    """Compile the pattern matching ``keyword`` in normalised (and, if asked, accent-folded) text.

    The keyword must start and end on word boundaries (``vin`` does not match
    ``vinaigre``); inner whitespace matches any whitespace run.

    :raises ValueError: if the keyword is empty after normalisation.
    """
    words = normalize(keyword).split()
    if accent_insensitive:
        words = [fold_accents(word) for word in words]
    if not words:
        raise ValueError("empty keyword")
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")
