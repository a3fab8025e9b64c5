"""``same_text`` points at copy-paste rings, not at the stock phrases everybody writes."""

import random
from datetime import datetime, timedelta, timezone

import pytest
from realistic_contest import PLANTED, RULES, generate_contest
from test_eligibility_flags import C  # one comment, shaped as the engine reads it

from giveaway.core.eligibility import EligibilityRules, compute_flags, group_members
from giveaway.core.eligibility.sametext import common_phrases_pattern, substance
from giveaway.core.eligibility.text import normalize, strip_mentions_and_hashtags

OPENS = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.utc)
RING = "Ce coffret serait parfait pour l'anniversaire de ma mère en juin"




def same_text(comments, rules=None, **kwargs):
    """Return the ids flagged ``same_text``, sorted."""
    flags = compute_flags(comments, rules, **kwargs)
    return sorted(cid for cid, found in flags.items() if any(f.code == "same_text" for f in found))


def one_each(texts, start=0):
    """One comment per account, ten minutes apart (no burst)."""
    return [C(f"c{start + i}", f"u{start + i}", text, OPENS + timedelta(minutes=10 * (start + i)))
            for i, text in enumerate(texts)]


def share(flagged, comments):
    return len(flagged) / len(comments)


# --- the generated contest ------------------------------------------------------------------


@pytest.mark.parametrize("seed", [13, 31, 2026])
def test_a_realistic_contest_without_rings_is_not_flagged(seed):
    contest = generate_contest(2000, seed=seed)
    assert len(contest.comments) >= 2000 and not contest.planted
    flagged = same_text(contest.comments, contest.rules)
    # stock phrases, the required hashtag and the friends tagged no longer make a "cluster"
    # (before: a quarter of this sample; 60 % of a real one)
    assert share(flagged, contest.comments) < 0.05


@pytest.mark.parametrize("seed", [13, 31, 2026])
def test_planted_rings_are_all_found_and_kept_apart(seed):
    contest = generate_contest(2000, seed=seed, clusters=3)
    assert [len(ids) >= 8 for ids in contest.planted.values()] == [True] * 3
    flags = compute_flags(contest.comments, contest.rules)
    groups = {key: set(ids) for key, ids in group_members(flags).items()
              if key.startswith("same_text:")}
    planted = set().union(*contest.planted.values())
    for ids in contest.planted.values():  # each ring is one group, exactly its members
        assert ids in groups.values()
    flagged = set().union(*groups.values())
    assert planted <= flagged
    assert share(flagged - planted, contest.comments) < 0.05


def test_the_generator_is_deterministic():
    first, second = generate_contest(300, clusters=2), generate_contest(300, clusters=2)
    assert first == second
    assert list(first.planted) == PLANTED[:2]
    assert generate_contest(300, seed=14) != first
    with pytest.raises(ValueError):
        generate_contest(10, clusters=4)


def test_flags_of_a_generated_contest_do_not_depend_on_input_order():
    contest = generate_contest(600, clusters=3)
    shuffled = list(contest.comments)
    random.Random(5).shuffle(shuffled)
    assert compute_flags(shuffled, contest.rules) == compute_flags(contest.comments, contest.rules)


# --- what the substance ignores ---------------------------------------------------------------


def test_required_hashtag_and_mentions_are_not_substance():
    # the old skeleton "jeparticipeconcoursvinsdugers" (29 letters) flagged all of these
    texts = [f"Je participe ! @friend{i} @pal{i} #ConcoursVinsDuGers" for i in range(30)]
    assert same_text(one_each(texts), RULES) == []
    assert same_text(one_each(texts)) == []  # every hashtag goes, rules or not


@pytest.mark.parametrize("text", [
    "Je participe avec plaisir, merci et bonne chance à tous",
    "Merciiiii 🙏 je croise les doigts !!!",
    "I'm in! Good luck everyone, thanks for the giveaway",
    "J'adore ❤️ trop bien, je tente ma chance",
    "Bonne chance à toutes et à tous",
])
def test_stock_phrases_are_not_substance(text):
    assert substance(normalize(text), common_phrases_pattern()) == ""
    comments = one_each([text.upper() if i % 2 else text for i in range(40)])
    assert same_text(comments, RULES) == []


def test_case_accents_emoji_punctuation_and_stock_phrases_around_a_ring_do_not_hide_it():
    texts = [
        RING,
        RING.upper() + " !!! 😍 @bob #ConcoursVinsDuGers",
        "Je participe ! " + RING.replace("è", "e").replace("'", "’") + " @carl",
        "@dave " + RING.lower() + ". Merci et bonne chance à tous 🍀 #gers",
        "Merciiii, " + RING,
    ]
    assert same_text(one_each(texts), RULES) == ["c0", "c1", "c2", "c3", "c4"]
    assert same_text(one_each(texts[:2])) == []  # two accounts are no ring


def test_ligatures_and_other_scripts():
    assert same_text(one_each(["Ma sœur adorerait ce coffret de vins du Gers"] * 2
                              + ["Ma soeur adorerait ce coffret de vins du Gers"])) == [
        "c0", "c1", "c2"]
    cyrillic = "Подпишитесь на мой канал и выиграйте приз"
    assert same_text(one_each([cyrillic, cyrillic + " @a", "@b " + cyrillic.upper()])) == [
        "c0", "c1", "c2"]


def test_required_keywords_and_hashtags_written_as_words_are_not_substance():
    text = "Côtes de Gascogne ConcoursVinsDuGers, Côtes de Gascogne ! @x"
    comments = one_each([text] * 3)
    assert same_text(comments) == ["c0", "c1", "c2"]  # 48 letters without the rules
    rules = EligibilityRules(required_hashtags=["ConcoursVinsDuGers"],
                             required_keywords=["Côtes de Gascogne"])
    assert same_text(comments, rules) == []


@pytest.mark.parametrize("text", ["", "   ", "@a @b @c", "#ConcoursVinsDuGers #gers #vin",
                                  "@a #ConcoursVinsDuGers 😍🍷🙏 !!!", "😍😍😍", "..."])
def test_nothing_left_after_stripping_is_never_flagged(text):
    assert substance(normalize(text), common_phrases_pattern(("ConcoursVinsDuGers",))) == ""
    assert same_text(one_each([text] * 10), RULES) == []


def test_substance_examples():
    phrases = common_phrases_pattern()
    text = normalize("Je participe ! Ce coffret serait parfait 😍 @ana #Gers")
    assert substance(text, phrases) == "cecoffretseraitparfait"
    assert substance(normalize("Top10 des vins, topissime"), phrases) == "top10desvinstopissime"
    assert substance(normalize("J'ADORE!!! Vivement l'été"), phrases) == "lete"
    assert strip_mentions_and_hashtags("a@b.fr @bob. #gers!") == "a@b.fr    !"


def test_substance_needs_twenty_letters():
    short = "Quel beau domaine familial"  # 23 letters: enough
    shorter = "Quel beau domaine"  # 15 letters: written by many, independently
    assert same_text(one_each([short] * 3)) == ["c0", "c1", "c2"]
    assert same_text(one_each([shorter] * 3)) == []
    assert same_text(one_each([shorter] * 3), same_text_min_chars=10) == ["c0", "c1", "c2"]


# --- who counts as a ring -------------------------------------------------------------------------


def test_one_account_repeating_itself_is_no_ring():
    # the same sentence five times from one account (an hour apart: no burst), then from a second
    repeats = [C(f"r{i}", "solo", RING, OPENS + timedelta(hours=i)) for i in range(5)]
    assert compute_flags(repeats) == {}
    second = C("s1", "other", RING + " @x", OPENS + timedelta(hours=9))
    assert compute_flags([*repeats, second]) == {}
    # a third account makes it a ring: then every comment with the text is in the group
    third = C("t1", "third", RING, OPENS + timedelta(hours=10))
    flags = compute_flags([*repeats, second, third])
    assert sorted(flags) == ["r0", "r1", "r2", "r3", "r4", "s1", "t1"]
    assert len({found[0].group for found in flags.values()}) == 1


def filler(count, start):
    """``count`` accounts writing sentences of their own (distinct substances)."""
    return one_each([f"Mon voisin numéro {n} adore le floc de Gascogne" for n in range(count)],
                    start)


def test_a_sentence_common_in_the_contest_is_no_ring():
    suggested = "Je rêve de gagner le coffret des vignerons du Gers"  # the caption suggests it
    ring = "Le meilleur domaine de tout le Sud-Ouest sans hésiter"
    comments = one_each([suggested] * 100) + one_each([ring] * 12, 100) + filler(288, 112)
    flagged = same_text(comments, RULES)  # 400 accounts: 100 (25 %) write the suggestion
    assert flagged == sorted(f"c{i}" for i in range(100, 112))


def test_how_common_is_common():
    sentence = "Le meilleur domaine de tout le Sud-Ouest sans hésiter"
    # 400 accounts: up to 5 % (20) is a ring, one more is a common sentence
    assert len(same_text(one_each([sentence] * 20) + filler(380, 20))) == 20
    assert same_text(one_each([sentence] * 21) + filler(379, 21)) == []
    # a small contest: under 20 accounts is always a ring, however large its share
    assert len(same_text(one_each([sentence] * 19) + filler(11, 19))) == 19
    assert same_text(one_each([sentence] * 19) + filler(11, 19),
                     same_text_common_min_accounts=10) == []
    # the share is a parameter too
    assert len(same_text(one_each([sentence] * 30) + filler(370, 30),
                         same_text_common_percent=10)) == 30
