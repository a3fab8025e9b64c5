"""The rules document, the evaluation context and the plain-language description."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giveaway.core.eligibility import (
    REASON_CODES,
    RULE_CLAUSE_CODES,
    EligibilityRules,
    EvaluationContext,
    RuleClause,
    RulesError,
    describe_rules,
)

UTC = timezone.utc
OPENS = datetime(2026, 5, 12, 8, 0, tzinfo=UTC)  # 10:00 in Paris (CEST)
CLOSES = datetime(2026, 5, 19, 21, 59, tzinfo=UTC)  # 23:59 in Paris


def test_defaults():
    rules = EligibilityRules()
    assert rules.counting == "per_account" and not rules.per_comment
    assert rules.max_entries_per_account is None
    assert rules.min_mentions == 0 and rules.recent_winner_days == 0
    assert rules.match_accent_insensitive and not rules.replies_count
    assert rules.must_follow == "none" and not rules.min_age_18


def test_document_round_trip_and_json():
    rules = EligibilityRules(
        opens_at=OPENS,
        closes_at=CLOSES,
        counting="per_comment",
        max_entries_per_account=3,
        min_mentions=2,
        mentions_must_be_new=True,
        required_hashtags=["#GÉRS", "vin"],
        required_keywords=["  côtes   de gascogne "],
        match_accent_insensitive=False,
        replies_count=True,
        organiser_handles=["@Gers_Tourisme"],
        partner_handles=["domaine.du.vignoble"],
        staff_handles=["@Alice", "alice"],
        excluded_user_ids=["123", "tiktok:abc"],
        recent_winner_days=90,
        must_follow="both",
        min_age_18=True,
    )
    doc = rules.to_dict()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["opens_at"] == "2026-05-12T08:00:00Z"
    assert doc["required_hashtags"] == ["GÉRS", "vin"]
    assert doc["required_keywords"] == ["côtes de gascogne"]
    assert doc["organiser_handles"] == ["gers_tourisme"]
    assert doc["staff_handles"] == ["alice"]  # normalised, de-duplicated
    assert doc["excluded_user_ids"] == ["ig:123", "tiktok:abc"]
    assert EligibilityRules.from_dict(doc) == rules
    assert EligibilityRules.from_dict(json.loads(json.dumps(doc))).to_dict() == doc


def test_from_dict_defaults_and_offsets():
    rules = EligibilityRules.from_dict({"opens_at": "2026-05-12T10:00:00+02:00"})
    assert rules.opens_at == OPENS and rules.opens_at.tzinfo is UTC
    assert EligibilityRules.from_dict({}) == EligibilityRules()


@pytest.mark.parametrize(
    "doc, key",
    [
        ({"colour": "red"}, "colour"),
        ({"min_mentions": "2"}, "min_mentions"),
        ({"min_mentions": -1}, "min_mentions"),
        ({"min_mentions": True}, "min_mentions"),
        ({"min_mentions": 2.0}, "min_mentions"),
        ({"max_entries_per_account": 0}, "max_entries_per_account"),
        ({"recent_winner_days": None}, "recent_winner_days"),
        ({"counting": "per_person"}, "counting"),
        ({"must_follow": "everyone"}, "must_follow"),
        ({"replies_count": "yes"}, "replies_count"),
        ({"match_accent_insensitive": 1}, "match_accent_insensitive"),
        ({"opens_at": "2026-05-12T08:00:00"}, "opens_at"),  # no offset
        ({"opens_at": "tomorrow"}, "opens_at"),
        ({"opens_at": 1747036800}, "opens_at"),
        ({"opens_at": "2026-05-12T08:00Z", "closes_at": "2026-05-12T07:00Z"}, "closes_at"),
        ({"required_hashtags": "#gers"}, "required_hashtags"),
        ({"required_hashtags": [1]}, "required_hashtags"),
        ({"required_hashtags": ["#gers vin"]}, "required_hashtags"),
        ({"required_hashtags": ["#"]}, "required_hashtags"),
        ({"required_keywords": ["  "]}, "required_keywords"),
        ({"organiser_handles": ["gers tourisme"]}, "organiser_handles"),
        ({"partner_handles": ["p\u0430ul"]}, "partner_handles"),
        ({"staff_handles": None}, "staff_handles"),
        ({"excluded_user_ids": ["12/3"]}, "excluded_user_ids"),
        ({"excluded_user_ids": [""]}, "excluded_user_ids"),
    ],
)
def test_from_dict_errors_name_the_key(doc, key):
    with pytest.raises(RulesError) as info:
        EligibilityRules.from_dict(doc)
    assert info.value.key == key
    assert str(info.value).startswith(key + ":")


def test_from_dict_rejects_non_mapping():
    with pytest.raises(RulesError) as info:
        EligibilityRules.from_dict(["min_mentions"])
    assert info.value.key is None


def test_constructor_validates_too():
    with pytest.raises(RulesError, match="opens_at"):
        EligibilityRules(opens_at=datetime(2026, 5, 12))  # naive
    with pytest.raises(RulesError, match="min_mentions"):
        EligibilityRules().replace(min_mentions=-2)


@given(
    min_mentions=st.integers(0, 10),
    cap=st.none() | st.integers(1, 5),
    days=st.integers(0, 365),
    counting=st.sampled_from(["per_account", "per_comment"]),
    flags=st.lists(st.booleans(), min_size=5, max_size=5),
    start=st.datetimes(timezones=st.just(UTC)),
    length=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    tags=st.lists(st.from_regex(r"[A-Za-zéèêàçôÉÈ0-9_]{1,12}", fullmatch=True), max_size=3),
)
def test_round_trip_property(min_mentions, cap, days, counting, flags, start, length, tags):
    try:
        closes = start + length
    except OverflowError:
        closes = None
    rules = EligibilityRules(
        opens_at=start,
        closes_at=closes,
        counting=counting,
        max_entries_per_account=cap,
        min_mentions=min_mentions,
        mentions_must_be_new=flags[0],
        match_accent_insensitive=flags[1],
        replies_count=flags[2],
        min_age_18=flags[3],
        required_hashtags=tags,
        recent_winner_days=days,
    )
    assert EligibilityRules.from_dict(json.loads(json.dumps(rules.to_dict()))) == rules


def test_context_from_identifiers():
    context = EvaluationContext.from_identifiers(
        blocked=["@Spam.Bot", "123", "tiktok:99", "some_handle"], recent_winners=["456", "@winner"]
    )
    assert context.blocked_accounts == {"ig:123", "tiktok:99"}
    assert context.blocked_handles == {"spam.bot", "some_handle"}
    assert context.recent_winner_accounts == {"ig:456"}
    assert context.recent_winner_handles == {"winner"}
    with pytest.raises(ValueError):
        EvaluationContext.from_identifiers(blocked=["not a handle"])


def test_reason_codes():
    assert set(REASON_CODES) == {
        "early", "late", "duplicate_account", "over_cap", "too_few_mentions", "missing_hashtag",
        "missing_keyword", "excluded_account", "blocked", "recent_winner", "reply_not_counted",
        "deleted",
    }  # fmt: skip
    assert REASON_CODES[0] == "deleted" and len(REASON_CODES) == len(set(REASON_CODES))


def _codes(clauses: list[RuleClause]) -> list[str]:
    return [clause.code for clause in clauses]


def test_describe_rules_gives_codes_and_values():
    """The core says what the rules contain, never in words (the app words them)."""
    rules = EligibilityRules(
        opens_at=OPENS,
        closes_at=CLOSES,
        min_mentions=2,
        required_hashtags=["Gers"],
        organiser_handles=["gers_tourisme"],
        staff_handles=["alice"],
        recent_winner_days=90,
        must_follow="organiser",
        min_age_18=True,
    )
    clauses = describe_rules(rules)
    assert _codes(clauses) == [
        "window_both", "per_account", "min_mentions", "mentions_not_self", "required_hashtags",
        "replies_not_counted", "excluded_accounts", "block_list", "recent_winners",
        "deleted_not_counted", "must_follow", "adults_only",
    ]  # fmt: skip
    params = {clause.code: clause.params for clause in clauses}
    assert params["window_both"] == {"opens_at": OPENS, "closes_at": CLOSES}
    assert params["min_mentions"] == {"n": 2}
    assert params["required_hashtags"] == {"items": ("Gers",), "accent_insensitive": True}
    assert params["excluded_accounts"] == {
        "organiser": ("gers_tourisme",), "partners": (), "staff": True}
    assert params["recent_winners"] == {"days": 90} and params["must_follow"] == {
        "whom": "organiser"}
    assert "alice" not in repr(clauses)  # staff handles are not published
    assert all(isinstance(v, (str, int, bool, tuple, datetime)) for c in clauses
               for v in c.params.values())  # codes and values only: no sentence


def test_describe_rules_variants():
    rules = EligibilityRules(
        closes_at=datetime(2026, 1, 10, 22, 59, 59, tzinfo=UTC),
        counting="per_comment",
        max_entries_per_account=5,
        min_mentions=1,
        mentions_must_be_new=True,
        required_keywords=["vin", "gers"],
        match_accent_insensitive=False,
        replies_count=True,
    )
    clauses = describe_rules(rules)
    assert clauses[0] == RuleClause("window_until",
                                    {"closes_at": datetime(2026, 1, 10, 22, 59, 59, tzinfo=UTC)})
    assert RuleClause("per_comment_cap", {"cap": 5}) in clauses
    assert "mentions_must_be_new" in _codes(clauses) and "replies_count" in _codes(clauses)
    assert RuleClause("required_keywords", {"items": ("vin", "gers"),
                                            "accent_insensitive": False}) in clauses
    assert _codes(describe_rules(EligibilityRules(opens_at=OPENS)))[:2] == [
        "window_from", "per_account"]
    assert "window_both" not in _codes(describe_rules(EligibilityRules()))
    assert "per_comment" in _codes(describe_rules(EligibilityRules(counting="per_comment")))


def test_every_clause_code_is_declared():
    rich = EligibilityRules(opens_at=OPENS, closes_at=CLOSES, counting="per_comment",
                            max_entries_per_account=2, min_mentions=1, mentions_must_be_new=True,
                            required_hashtags=["a"], required_keywords=["b"],
                            organiser_handles=["o"], partner_handles=["p"], staff_handles=["s"],
                            recent_winner_days=1, must_follow="both", min_age_18=True)
    for rules in (rich, EligibilityRules(), rich.replace(opens_at=None), rich.replace(
            closes_at=None), rich.replace(max_entries_per_account=None), rich.replace(
            replies_count=True)):
        assert set(_codes(describe_rules(rules))) <= set(RULE_CLAUSE_CODES)
