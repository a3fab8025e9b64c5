"""Words for a refused import file: the parser's codes as sentences in the interface language.

The parser (:mod:`giveaway.sources.fileimport`) says what is wrong with codes
(:class:`~giveaway.sources.textstream.ImportFileError`); staff read what the
field means (« l'identifiant du compte »), never a column name as a prefix.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from giveaway.sources.textstream import ImportFileError

FIELD_NAMES = {
    "comment_id": _l("the comment's identifier"),
    "user_id": _l("the account's identifier"),
    "username": _l("the account name"),
    "text": _l("the comment's text"),
    "created_at": _l("the comment's date"),
    "parent_id": _l("the identifier of the comment replied to"),
    "network": _l("the network"),
}


def _field_sentence(code: str, field: str, p: dict) -> str | None:
    """The sentence for a field-level code, or None for a code without a field."""
    messages = {
        "empty": lambda: _("%(field)s is empty", field=field),
        "too_long": lambda: _("%(field)s is too long (at most %(max)d characters)",
                              field=field, max=p.get("max", 0)),
        "forbidden_char": lambda: _("%(field)s « %(value)s » contains a forbidden character "
                                    "(%(char)s)", field=field, value=p.get("value", ""),
                                    char=p.get("char", "")),
        "nul": lambda: _("%(field)s contains a NUL character (U+0000), which cannot be stored",
                         field=field),
        "surrogate": lambda: _("%(field)s contains an invalid character (%(char)s, half of a "
                               "UTF-16 pair)", field=field, char=p.get("char", "")),
        "control": lambda: _("%(field)s contains a control character (%(char)s)", field=field,
                             char=p.get("char", "")),
        "bad_type": lambda: _("%(field)s must be a text or a whole number, not « %(value)s »",
                              field=field, value=p.get("value", "")),
        "not_text": lambda: _("%(field)s must be a text, not « %(value)s »", field=field,
                              value=p.get("value", "")),
        "decimal": lambda: _("%(field)s « %(value)s » is a decimal number; write it as a text "
                             "(between quotes)", field=field, value=p.get("value", "")),
        "negative": lambda: _("%(field)s « %(value)s » is negative", field=field,
                              value=p.get("value", "")),
        "bad_date": lambda: _("the comment's date « %(value)s » cannot be read: expected a date "
                              "such as 2026-11-29T14:05:00+01:00 (or a Unix time in seconds)",
                              value=p.get("value", "")),
        "naive_date": lambda: _("the comment's date « %(value)s » has no time zone: add its "
                                "offset (+02:00) or Z", value=p.get("value", "")),
        "date_out_of_range": lambda: _("the comment's date « %(value)s » is not between 2010 "
                                       "and 2100 (milliseconds instead of seconds?)",
                                       value=p.get("value", "")),
        "bad_network": lambda: _("the network « %(value)s » is not a network code (a lowercase "
                                 "letter, then letters, digits, - or _, at most %(max)d)",
                                 value=p.get("value", ""), max=p.get("max", 16)),
        "duplicate_conflict": lambda: _("the comment « %(value)s » appears earlier in the file "
                                        "with other content", value=p.get("value", "")),
        "id_two_networks": lambda: _("the comment identifier « %(value)s » is used earlier in "
                                     "the file by another network", value=p.get("value", "")),
    }
    make = messages.get(code)
    return make() if make else None


def _file_sentence(code: str, p: dict) -> str:
    messages = {
        "bad_extension": lambda: _("the file must end in .csv or .json"),
        "invalid_utf8": lambda: _("the text is not UTF-8 (save the file as UTF-8)"),
        "nul": lambda: _("a NUL character (U+0000), which cannot be stored"),
        "line_too_long": lambda: _("the line is longer than 1 MiB"),
        "empty_file": lambda: _("the file is empty"),
        "csv_malformed": lambda: _("the CSV is malformed (a quote not closed, or misplaced?)"),
        "csv_field_too_large": lambda: _("a field is longer than %(max)d characters",
                                         max=p.get("max", 0)),
        "field_count": lambda: _("%(expected)d fields expected, %(found)d found",
                                 expected=p.get("expected", 0), found=p.get("found", 0)),
        "duplicate_column": lambda: _("a column name appears twice in the header"),
        "missing_columns": lambda: _("missing column(s) %(columns)s (expected header: "
                                     "%(header)s[,network])", columns=p.get("columns", ""),
                                     header=p.get("header", "")),
        "json_not_array": lambda: _("a JSON array (« [ ») was expected"),
        "json_separator": lambda: _("« , » or « ] » expected between two comments"),
        "json_truncated": lambda: _("the file ends inside the array"),
        "json_trailing": lambda: _("something follows the JSON array"),
        "json_invalid": lambda: _("invalid JSON"),
        "json_too_deep": lambda: _("the comment nests objects or lists more than %(max)d levels "
                                   "deep", max=p.get("max", 0)),
        "json_number_too_long": lambda: _("a number is too long"),
        "json_item_too_large": lambda: _("the comment is larger than 1 MiB"),
        "json_not_object": lambda: _("each comment must be a JSON object"),
        "json_no_user": lambda: _("the comment has no « user » object"),
        "json_no_text": lambda: _("the comment has no « text »"),
        "json_no_date": lambda: _("the comment has no « created_at_utc »"),
    }
    make = messages.get(code)
    return make() if make else _("the file is malformed")


def import_error_text(exc: ImportFileError) -> str:
    """The reason the file was refused, in words, without the line number."""
    field = FIELD_NAMES.get(exc.field or "")
    sentence = _field_sentence(exc.code, str(field), exc.params) if field is not None else None
    return sentence if sentence is not None else _file_sentence(exc.code, exc.params)
