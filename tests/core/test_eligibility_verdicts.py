"""Verdicts, rule by rule, over tricky input."""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from giveaway.core.eligibility import (
    REASON_CODES,
    EligibilityRules,
    EvaluationContext,
    Verdict,
    counted_entry_keys,
    evaluate,
    iter_verdicts,
    sort_comments,
    tally,
)

UTC = timezone.utc
OPENS = datetime(2026, 5, 12, 8, 0, tzinfo=UTC)
CLOSES = datetime(2026, 5, 19, 21, 59, 59, tzinfo=UTC)
US = timedelta(microseconds=1)


@dataclass(frozen=True)
class C:
    """A comment record; ``deleted`` and ``network`` have defaults like the real one."""

    comment_id: str
    user_id: str
    text: str = "je participe"
    username: str = ""
    created_at: datetime = OPENS + timedelta(hours=1)
    parent_id: str | None = None
    network: str = "ig"
    deleted: bool = False

    def __post_init__(self):
        if not self.username:
            object.__setattr__(self, "username", f"user{self.user_id}")


def at(minutes: float) -> datetime:
    return OPENS + timedelta(minutes=minutes)


def verdicts(comments, rules=None, context=None) -> dict[str, Verdict]:
    rules = rules or EligibilityRules(opens_at=OPENS, closes_at=CLOSES)
    return {v.comment_id: v for v in evaluate(comments, rules, context)}


def reasons(comments, rules=None, context=None) -> dict[str, tuple[str, ...]]:
    return {cid: v.reasons for cid, v in verdicts(comments, rules, context).items()}


# --- time window -------------------------------------------------------------


def test_window_bounds_are_inclusive():
    comments = [
        C("1", "1", created_at=OPENS),
        C("2", "2", created_at=CLOSES),
        C("3", "3", created_at=OPENS - US),
        C("4", "4", created_at=CLOSES + US),
    ]
    assert reasons(comments) == {"1": (), "2": (), "3": ("early",), "4": ("late",)}


def test_window_compares_instants_not_wall_clock():
    paris_summer = timezone(timedelta(hours=2))
    comments = [
        C("1", "1", created_at=CLOSES.astimezone(paris_summer)),
        C("2", "2", created_at=(CLOSES + US).astimezone(paris_summer)),
    ]
    assert reasons(comments) == {"1": (), "2": ("late",)}


def test_open_window():
    comments = [C("1", "1", created_at=datetime(2000, 1, 1, tzinfo=UTC))]
    assert reasons(comments, EligibilityRules()) == {"1": ()}


# --- accounts ----------------------------------------------------------------


def test_first_valid_comment_per_account_by_time_then_id():
    comments = [
        C("b", "7", created_at=at(5)),
        C("a", "7", created_at=at(5)),  # same instant: the smaller id is first
        C("c", "7", created_at=at(1)),
    ]
    result = verdicts(comments)
    assert result["c"].counted and result["c"].entry_key == "ig:7"
    assert result["a"].reasons == result["b"].reasons == ("duplicate_account",)
    assert [v.comment_id for v in evaluate(comments, EligibilityRules())] == ["c", "a", "b"]


def test_renamed_user_is_one_account():
    comments = [
        C("1", "42", username="marie_gers", created_at=at(1)),
        C("2", "42", username="marie.vins", created_at=at(2)),  # renamed between harvests
        C("3", "43", username="marie_gers", created_at=at(3)),  # handle taken by another pk
    ]
    assert reasons(comments) == {"1": (), "2": ("duplicate_account",), "3": ()}
    assert verdicts(comments)["3"].entry_key == "ig:43"


def test_duplicate_only_among_otherwise_valid_comments():
    rules = EligibilityRules(required_hashtags=["gers"])
    comments = [
        C("1", "1", "no tag", created_at=at(1)),
        C("2", "1", "#gers", created_at=at(2), deleted=True),
        C("3", "1", "#gers", created_at=at(3)),
        C("4", "1", "#gers again", created_at=at(4)),
    ]
    assert reasons(comments, rules) == {
        "1": ("missing_hashtag",),
        "2": ("deleted",),
        "3": (),
        "4": ("duplicate_account",),
    }


def test_deleted_comment():
    assert reasons([C("1", "1", deleted=True)]) == {"1": ("deleted",)}


def test_per_comment_cap_and_keys():
    rules = EligibilityRules(counting="per_comment", max_entries_per_account=2)
    comments = [C(str(i), "9", created_at=at(i)) for i in range(4)]
    result = verdicts(comments, rules)
    assert [result[str(i)].reasons for i in range(4)] == [(), (), ("over_cap",), ("over_cap",)]
    assert result["0"].entry_key == "ig:9/comment:0"
    unlimited = verdicts(comments, rules.replace(max_entries_per_account=None))
    assert all(v.counted for v in unlimited.values())


def test_other_networks_keys():
    comments = [C("c1", "55", network="tiktok"), C("c1b", "55", network="ig")]
    assert {v.entry_key for v in verdicts(comments).values()} == {"tiktok:55", "ig:55"}
    per_comment = verdicts(comments, EligibilityRules(counting="per_comment"))
    assert per_comment["c1"].entry_key == "tiktok:55/comment:c1"


# --- mentions ----------------------------------------------------------------

TWO = EligibilityRules(
    min_mentions=2, organiser_handles=["gers_tourisme"], partner_handles=["vignoble"]
)


@pytest.mark.parametrize(
    "text, counted",
    [
        ("@bob @carl", True),
        ("@Bob @bob @BOB", False),  # one distinct handle
        ("@Handle @handle", False),
        ("@bob, @carl!", True),  # punctuation ends a handle
        ("@bob😀@carl🍷", True),  # so does an emoji
        ("@bob jean@gers.fr", False),  # an e-mail address is no mention
        ("＠ｂｏｂ @carl", True),  # fullwidth
        ("@bob @me", False),  # self-mention
        ("@bob @ME", False),
        ("@bob @gers_tourisme", False),  # organiser
        ("@bob @Vignoble", False),  # partner
        ("@bob @carl.", True),
        ("@bo\u200bb @carl", True),  # zero-width inside the handle
        ("@p\u0430ul @paul", True),  # homoglyph: mentions "p" (another account) and "paul"
        ("@p\u0430ul", False),
    ],
)
def test_min_mentions(text, counted):
    result = verdicts([C("1", "1", text, username="me")], TWO)["1"]
    assert result.counted is counted
    assert result.reasons == (() if counted else ("too_few_mentions",))


def test_self_mention_under_former_username():
    comments = [
        C("1", "5", "hello", username="old_name", created_at=at(1)),
        C("2", "5", "@old_name @bob", username="new_name", created_at=at(2)),
    ]
    assert reasons(comments, TWO)["2"] == ("too_few_mentions",)


def test_mentions_must_be_new_across_comments():
    rules = EligibilityRules(
        counting="per_comment",
        min_mentions=2,
        mentions_must_be_new=True,
        required_hashtags=["gers"],
    )
    comments = [
        C("0", "1", "@x @y", created_at=at(0)),  # rejected: does not use up x and y
        C("1", "1", "@x @y #gers", created_at=at(1)),
        C("2", "1", "@y @x #gers", created_at=at(2)),
        C("3", "1", "@x @z #gers", created_at=at(3)),  # only z is new
        C("4", "1", "@z @w #gers", created_at=at(4)),
        C("5", "2", "@x @y #gers", created_at=at(5)),  # another author: fresh
    ]
    assert reasons(comments, rules) == {
        "0": ("missing_hashtag",),
        "1": (),
        "2": ("too_few_mentions",),
        "3": ("too_few_mentions",),
        "4": (),
        "5": (),
    }
    without = reasons(comments, rules.replace(mentions_must_be_new=False))
    assert without["2"] == without["3"] == ()


# --- hashtags and keywords ----------------------------------------------------


@pytest.mark.parametrize(
    "text, insensitive, sensitive",
    [
        ("#Gers", True, True),
        ("#gers", True, True),
        ("#GERS", True, True),
        ("#GÉRS", True, False),
        ("#gérs", True, False),
        ("#Ge\u200brs", True, True),  # zero-width inside
        ("\u202e#gers", True, True),  # bidi control before
        ("＃Ｇｅｒｓ", True, True),
        ("#gersvin", False, False),  # another tag
        ("gers", False, False),
        ("#gers#vin", True, True),
    ],
)
def test_required_hashtag(text, insensitive, sensitive):
    rules = EligibilityRules(required_hashtags=["#Gers"])
    for accent_insensitive, expected in ((True, insensitive), (False, sensitive)):
        result = verdicts(
            [C("1", "1", text)], rules.replace(match_accent_insensitive=accent_insensitive)
        )
        assert result["1"].counted is expected, (text, accent_insensitive)


def test_required_hashtag_with_accent_in_rule():
    rules = EligibilityRules(required_hashtags=["GÉRS"], match_accent_insensitive=False)
    assert verdicts([C("1", "1", "#gérs"), C("2", "2", "#gers")], rules)["2"].reasons == (
        "missing_hashtag",
    )


def test_all_hashtags_and_keywords_required():
    rules = EligibilityRules(required_hashtags=["gers", "vin"], required_keywords=["je participe"])
    comments = [
        C("1", "1", "Je  participe #gers #vin"),
        C("2", "2", "je participe #gers"),
        C("3", "3", "#gers #vin"),
        C("4", "4", "je participerai #gers #vin"),
    ]
    assert reasons(comments, rules) == {
        "1": (),
        "2": ("missing_hashtag",),
        "3": ("missing_keyword",),
        "4": ("missing_keyword",),
    }


# --- replies and excluded accounts ---------------------------------------------


def test_replies():
    comments = [C("1", "1", parent_id="99")]
    assert reasons(comments) == {"1": ("reply_not_counted",)}
    assert reasons(comments, EligibilityRules(replies_count=True)) == {"1": ()}


def test_excluded_accounts():
    rules = EligibilityRules(
        organiser_handles=["@Gers_Tourisme"],
        partner_handles=["vignoble"],
        staff_handles=["alice"],
        excluded_user_ids=["77", "tiktok:88"],
    )
    comments = [
        C("1", "1", username="gers_tourisme"),
        C("2", "2", username="Vignoble"),
        C("3", "3", username="alice"),
        C("4", "77"),
        C("5", "88", network="tiktok"),
        C("6", "88"),  # ig:88 is someone else
    ]
    result = reasons(comments, rules)
    assert all(result[cid] == ("excluded_account",) for cid in "12345")
    assert result["6"] == ()


def test_excluded_handle_applies_to_every_username_of_the_account():
    rules = EligibilityRules(staff_handles=["alice"])
    comments = [
        C("1", "3", username="alice.new", created_at=at(1)),
        C("2", "3", username="alice", created_at=at(2)),
    ]
    assert reasons(comments, rules) == {"1": ("excluded_account",), "2": ("excluded_account",)}


def test_blocked_and_recent_winners():
    context = EvaluationContext.from_identifiers(
        blocked=["@spammer", "100"], recent_winners=["200", "@lucky"]
    )
    comments = [
        C("1", "1", username="spammer"),
        C("2", "100"),
        C("3", "200"),
        C("4", "4", username="lucky"),
    ]
    off = reasons(comments, EligibilityRules(), context)
    assert off == {"1": ("blocked",), "2": ("blocked",), "3": (), "4": ()}
    on = reasons(comments, EligibilityRules(recent_winner_days=30), context)
    assert on == {
        "1": ("blocked",),
        "2": ("blocked",),
        "3": ("recent_winner",),
        "4": ("recent_winner",),
    }


def test_all_intrinsic_reasons_listed_in_fixed_order():
    rules = EligibilityRules(
        opens_at=OPENS, closes_at=CLOSES, min_mentions=1, required_hashtags=["gers"],
        required_keywords=["vin"], staff_handles=["bob"], recent_winner_days=7,
    )  # fmt: skip
    context = EvaluationContext(blocked_accounts={"ig:1"}, recent_winner_accounts={"ig:1"})
    comment = C(
        "1", "1", "nothing", username="bob", created_at=CLOSES + US, parent_id="0", deleted=True
    )
    result = verdicts([comment], rules, context)["1"]
    assert result.reasons == (
        "deleted", "late", "reply_not_counted", "excluded_account", "blocked", "recent_winner",
        "too_few_mentions", "missing_hashtag", "missing_keyword",
    )  # fmt: skip
    assert list(result.reasons) == [code for code in REASON_CODES if code in result.reasons]
    assert not result.counted and result.entry_key is None


# --- input checks, streaming, helpers ------------------------------------------


@pytest.mark.parametrize(
    "comment, error",
    [
        (C("1", "1", created_at=datetime(2026, 5, 12, 9)), ValueError),  # naive
        (C("1", 1), TypeError),  # user pk as int
        (C(1, "1"), TypeError),
        (C("1", "1", text=None), TypeError),
        (C("1", "1", network="Insta gram"), ValueError),
        (C("1", "a/b"), ValueError),
        (C("", "1"), ValueError),
        (C("1", "1", deleted="no"), TypeError),
    ],
)
def test_invalid_records(comment, error):
    with pytest.raises(error):
        evaluate([comment], EligibilityRules())


def test_duplicate_comment_ids_rejected():
    with pytest.raises(ValueError, match="duplicate"):
        evaluate([C("1", "1"), C("1", "2", created_at=at(9))], EligibilityRules())


def test_iter_verdicts_needs_sorted_input_and_matches_evaluate():
    comments = [
        C("2", "1", "@a @b", username="new", created_at=at(2)),
        C("1", "1", "@new @b", username="old", created_at=at(1)),
        C("3", "2", "@a", created_at=at(1)),
    ]
    with pytest.raises(ValueError, match="sorted"):
        list(iter_verdicts(comments, TWO))
    aliases = {"ig:1": {"old", "New"}}
    assert list(iter_verdicts(sort_comments(comments), TWO, aliases=aliases)) == evaluate(
        comments, TWO
    )


def test_tally_and_entry_keys():
    rules = EligibilityRules(required_hashtags=["gers"])
    result = evaluate(
        [C("1", "1", "#gers"), C("2", "1", "#gers", created_at=at(90)), C("3", "2")], rules
    )
    counts = tally(result)
    assert counts["total"] == 3 and counts["counted"] == 1 and counts["excluded"] == 2
    assert (
        counts["duplicate_account"] == 1 and counts["missing_hashtag"] == 1 and counts["late"] == 0
    )
    assert counted_entry_keys(result) == ["ig:1"]


def test_accepts_the_sources_record():
    sources = pytest.importorskip("giveaway.core.sources")
    record = sources.RawComment(
        comment_id="17900", user_id="42", username="marie", text="@a @b #gers", created_at=OPENS
    )
    rules = EligibilityRules(min_mentions=2, required_hashtags=["Gers"])
    assert evaluate([record], rules) == [Verdict("17900", True, (), "ig:42")]


def test_cap_is_ignored_when_counting_per_account():
    rules = EligibilityRules(max_entries_per_account=3)
    comments = [C(str(i), "9", created_at=at(i)) for i in range(3)]
    assert [v.counted for v in evaluate(comments, rules)] == [True, False, False]


def test_mixed_naive_and_aware_times_give_a_clear_error():
    comments = [C("1", "1"), C("2", "2", created_at=datetime(2026, 5, 12, 9))]
    with pytest.raises(ValueError, match="timezone-aware"):
        sort_comments(comments)
    with pytest.raises(ValueError, match="timezone-aware"):
        evaluate(comments, EligibilityRules())


def test_context_rejects_a_bare_string():
    with pytest.raises(TypeError):
        EvaluationContext(blocked_handles="spammer")
    with pytest.raises(TypeError):
        EvaluationContext.from_identifiers(blocked="@spammer")


def test_package_is_pure_standard_library():
    import ast
    import pathlib
    import sys

    import giveaway.core.eligibility as package

    allowed = {"__future__", "array", "collections", "contextlib", "dataclasses", "datetime", "functools",
               "gc", "hashlib",
               "operator", "re", "typing", "unicodedata", "zoneinfo"}  # fmt: skip
    for path in pathlib.Path(package.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in allowed and top in sys.stdlib_module_names, (path.name, name)
