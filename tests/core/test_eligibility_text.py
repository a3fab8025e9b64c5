"""Text normalisation and extraction: mentions, hashtags, keywords."""

import pytest

from giveaway.core.eligibility.text import (
    extract_hashtags,
    extract_mentions,
    fold_accents,
    is_valid_handle,
    keyword_pattern,
    normalize,
    normalize_handle,
    normalize_hashtag,
    strip_mentions,
    text_skeleton,
)


def mentions(text: str) -> set[str]:
    return set(extract_mentions(normalize(text)))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ABC", "abc"),
        ("Straße", "strasse"),  # casefold, not lower
        ("＠ｈａｎｄｌｅ ＃Ｇｅｒｓ", "@handle #gers"),  # NFKC: fullwidth forms
        ("﹫small", "@small"),  # small commercial at
        ("#Ge\u200brs", "#gers"),  # zero-width space
        ("#G\u200ce\u200dr\u2060s\ufeff", "#gers"),
        ("\u202e#gers\u202c", "#gers"),  # bidi override
        ("\u2066@bob\u2069 \u200e\u200f\u061c", "@bob "),  # isolates and marks
        ("e\u0301", "é"),  # composed
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_fold_accents():
    assert fold_accents("gérs ça où ñ") == "gers ca ou n"
    assert fold_accents("ø œ") == "ø œ"  # no decomposition: kept
    assert fold_accents("plain") == "plain"
    assert fold_accents("x\U0001d165y 🍷") == "xy 🍷"  # astral combining mark dropped, emoji kept


@pytest.mark.parametrize(
    "text, expected",
    [
        ("@Handle and @handle", {"handle"}),  # case-insensitive, counted once
        ("@bob, @carl! @dave? (@eve) @fred:", {"bob", "carl", "dave", "eve", "fred"}),
        ("@bob😀@carl🍷", {"bob", "carl"}),  # emoji terminates; then a new mention
        ("thanks @paul.", {"paul"}),  # final dot is punctuation
        ("@jean.dupont...", {"jean.dupont"}),
        ("@a..b", {"a..b"}),
        ("@...", set()),
        ("write to jean@gers.fr or a@b.com", set()),  # e-mail addresses
        ("andré@gers.fr", set()),  # preceded by a non-ASCII letter
        ("_@bob", set()),
        ("@@bob", set()),
        ("-@bob", {"bob"}),
        ("＠ｂｏｂ", {"bob"}),  # fullwidth @ and letters: NFKC
        ("@bo\u200bb", {"bob"}),  # zero-width inside a handle
        ("@p\u0430ul", {"p"}),  # Cyrillic а: not in the handle charset, stops the handle
        ("@" + "a" * 30, {"a" * 30}),
        ("@" + "a" * 30 + ".", {"a" * 30}),
        ("@" + "a" * 31, set()),  # too long for a handle
        ("@under_score9", {"under_score9"}),
        ("@", set()),
    ],
)
def test_extract_mentions(text, expected):
    assert mentions(text) == expected


def test_strip_mentions():
    assert strip_mentions("merci @bob. et @carl !") == "merci   et   !"
    assert strip_mentions("no mention") == "no mention"


@pytest.mark.parametrize(
    "text, accent_insensitive, expected",
    [
        ("#Gers #gers #GÉRS", True, {"gers"}),
        ("#Gers #gers #GÉRS", False, {"gers", "gérs"}),
        ("#Ge\u200brs", True, {"gers"}),
        ("#gers#vin", True, {"gers", "vin"}),
        ("#vin_rouge!", True, {"vin_rouge"}),
        ("＃Ｇｅｒｓ", True, {"gers"}),
        ("# gers", True, set()),
        ("no tag", True, set()),
    ],
)
def test_extract_hashtags(text, accent_insensitive, expected):
    assert extract_hashtags(normalize(text), accent_insensitive) == expected


def test_normalize_hashtag_and_handle():
    assert normalize_hashtag("#GÉRS", True) == "gers"
    assert normalize_hashtag("GÉRS", False) == "gérs"
    assert normalize_handle(" @Gers_Tourisme ") == "gers_tourisme"
    assert is_valid_handle("gers.tourisme")
    assert not is_valid_handle("gers.")
    assert not is_valid_handle("p\u0430ul")
    assert not is_valid_handle("a" * 31)
    assert not is_valid_handle("")


@pytest.mark.parametrize(
    "keyword, text, accent_insensitive, found",
    [
        ("vin", "J'adore le vin du Gers", True, True),
        ("vin", "J'adore le vinaigre", True, False),  # word boundaries
        ("vin", "vin!", True, True),
        ("vin rouge", "un VIN   Rouge", True, True),  # inner whitespace runs
        ("côtes", "les cotes de gascogne", True, True),
        ("côtes", "les cotes de gascogne", False, False),
        ("cotes", "les Côtes de Gascogne", True, True),
        ("gers", "#gers", True, True),  # inside a hashtag
    ],
)
def test_keyword_pattern(keyword, text, accent_insensitive, found):
    pattern = keyword_pattern(keyword, accent_insensitive)
    normalised = normalize(text)
    haystack = fold_accents(normalised) if accent_insensitive else normalised
    assert bool(pattern.search(haystack)) is found


def test_keyword_pattern_rejects_empty():
    with pytest.raises(ValueError):
        keyword_pattern("  ", True)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Je tente ma chance @Bob @carl.  #Gers !", "jetentemachancegers"),
        ("Été à l'île, ça!@bob", "etealileca"),  # "@bob" after "!" is a mention
        ("écris à a@b.com", "ecrisaabcom"),  # an e-mail address is no mention
        ("snake_case @x_y", "snakecase"),
    ],
)
def test_text_skeleton_keeps_letters_and_digits_only(raw, expected):
    assert text_skeleton(normalize(raw)) == expected
