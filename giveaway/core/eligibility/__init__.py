"""Eligibility engine: which harvested comments count as draw entries, and why not.

Pure standard library and deterministic: the verdicts depend only on the
comments (not their order), the rules and the evaluation context.

Typical use::

    rules = EligibilityRules.from_dict(contest.rules_document)
    context = EvaluationContext.from_identifiers(blocked=block_list, recent_winners=winners)
    verdicts = evaluate(comments, rules, context)
    flags = compute_flags(comments, rules)
"""

from .describe import RULE_CLAUSE_CODES, RuleClause, describe_rules
from .flags import FLAG_CODES, Flag, FlagScanner, compute_flags, group_members
from .inputs import CommentLike, EvaluationContext, read_comment, sort_comments
from .keys import (MAX_ID_LENGTH, IdProblem, account_key, check_id, entry_key, id_problem,
                   parse_account_key)
from .reasons import REASON_CODES
from .rules import COUNTING_MODES, MUST_FOLLOW_CHOICES, EligibilityRules, RulesError
from .verdicts import Verdict, counted_entry_keys, evaluate, iter_verdicts, tally

__all__ = [
    "COUNTING_MODES",
    "FLAG_CODES",
    "MAX_ID_LENGTH",
    "MUST_FOLLOW_CHOICES",
    "REASON_CODES",
    "RULE_CLAUSE_CODES",
    "CommentLike",
    "EligibilityRules",
    "EvaluationContext",
    "Flag",
    "FlagScanner",
    "IdProblem",
    "RuleClause",
    "RulesError",
    "Verdict",
    "account_key",
    "check_id",
    "compute_flags",
    "counted_entry_keys",
    "describe_rules",
    "entry_key",
    "evaluate",
    "group_members",
    "id_problem",
    "iter_verdicts",
    "parse_account_key",
    "read_comment",
    "sort_comments",
    "tally",
]
