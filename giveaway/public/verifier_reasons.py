"""Words of the in-browser verifier (1/2): why an input cannot be verified at all.

The verifier (``static/verify/gdraw-verify.js``) holds no sentence: it shows
message keys with arguments, and the page gives it these words in its language
(see :mod:`giveaway.public.verifier_words`). A reason completes a JSON member
path: ``entries.count`` + « doit être un entier ». ``%(name)s`` is an argument the
script fills in; the script quotes the ones that are data (JSON).
"""
from __future__ import annotations

from collections.abc import Callable


def reason_words(_: Callable[[str], str]) -> dict[str, str]:
    """Return {message key: text} for unusable inputs, each text translated by ``_``."""
    return {
        "field_reason": _("%(field)s: %(reason)s"),
        "unusable": _("unusable input: %(field)s: %(reason)s"),
        "stopped": _("the verifier stopped (%(name)s: %(message)s); use %(cli)s"),
        "no_webcrypto": _("WebCrypto is not available: the page must be served over HTTPS (a "
                          "secure context); or use %(cli)s"),
        "hex_not_string": _("must be a hex string"),
        "hex_invalid": _("is not valid hex"),
        "hex_length": _("must be %(length)s bytes (%(digits)s hex digits), got %(got)s"),
        "not_string": _("must be a string"),
        "bad_unicode": _("is not valid Unicode text"),
        "too_long": _("is longer than 65535 bytes"),
        "not_utf8": _("is not UTF-8"),
        "not_json": _("is not valid JSON (%(detail)s)"),
        "not_json_object": _("must be a JSON object"),
        "too_deep": _("is nested too deeply to be read here"),
        "duplicate": _("member %(name)s appears twice"),
        "ts_not_string": _("must be an ISO 8601 timestamp string"),
        "ts_invalid": _("is not an ISO 8601 timestamp: %(value)s"),
        "ts_no_zone": _("must carry a time zone (e.g. a final 'Z')"),
        "strict_ts": _("must be a UTC timestamp like 2026-12-01T20:00:00Z"),
        "strict_ts_invalid": _("is not a valid date and time: %(value)s"),
        "missing": _("is missing"),
        "between": _("must be between %(low)s and %(high)s"),
        "count_min": _("there must be at least one entry"),
        "count_max": _("must be below 2^32"),
        "sources_list": _("must be a list of lists of integers and strings"),
        "sources_none": _("at least one source is needed"),
        "source_empty": _("a source needs at least one value"),
        "value_float": _("%(value)s is a floating-point number: write a decimal number as a "
                         'string, e.g. "13.6875"'),
        "value_type": _("%(value)s is neither an integer nor a string"),
        "value_negative": _("%(value)s is negative: RFC 3797 values are non-negative numbers"),
        "value_char": _("%(value)s contains %(char)s: only decimal numbers and texts of Latin "
                        "letters (accents allowed), digits, spaces and punctuation are accepted"),
        "value_no_letter": _("%(value)s is neither a decimal number (digits, or digits '.' "
                             "digits) nor a text with letters"),
        "text_not_alone": _("a text value must be the only value of its source (RFC 3797 orders "
                            "numbers only)"),
        "key_string_invalid": _("is not an RFC 3797 key string"),
        "key_string_order": _("values of a source must be in ascending order"),
        "key_string_empty_source": _("a source has no value"),
        "key_string_missing": _("is missing (and there are no sources)"),
        "chain_unknown": _("unknown drand chain %(chain)s (only %(quicknet)s is pinned)"),
        "round_range": _("must be an integer between 1 and 2^64−1"),
        "round_time_range": _("the round's time is beyond the year 9999"),
        "beacon_kind": _("unknown beacon kind %(kind)s (expected none, drand or rfc3797)"),
        "pick_object": _("must be an object with index and leaf"),
        "not_negative": _("must not be negative"),
        "protocol": _("must be 'gdraw-v1' or 'gdraw-v2'"),
        "method_v1": _("must be 'gdraw-v1' or 'rfc3797'"),
        "method_v2": _("must be 'gdraw' or 'rfc3797'"),
        "utf8_length": _("must be %(low)s to %(high)s bytes of UTF-8"),
        "url_or_path": _("must be a URL or a path"),
        "frozen_required": _("is required with a drand beacon"),
        "rfc3797_beacon": _("the rfc3797 method needs a beacon of kind rfc3797"),
        "rfc3797_values": _("the rfc3797 method needs declared public values"),
        "rfc3797_max": _("the rfc3797 method draws at most %(max)s positions (winners + "
                         "alternates)"),
        "leaves_line": _("line %(number)s is not 64 lowercase hex digits: %(shown)s"),
        "leaves_empty": _("is empty"),
        "public_key": _("not an Ed25519 public key (PEM, or 64 hex digits)"),
        "list_of_objects": _("must be a list of objects"),
        "not_member": _("is not a member of this version"),
        "decl_protocol": _("must be 'gdraw-v2'"),
        "decl_rfc3797": _("the rfc3797 method needs declared values"),
        "decl_closes": _("must come after opens_at"),
        "lowercase_hex": _("must be lowercase hex"),
        "round_time_mismatch": _("is not the time of round %(round)s of %(quicknet)s"),
        "source_object": _("must be an object with name and count"),
        "decl_kind": _("must be 'drand', 'declared' or 'none'"),
        "name_values": _("name the public values"),
        "sources_range": _("declare 1 to %(max_sources)s sources"),
        "name_source": _("name each source"),
        "timestamps_list": _("must be a list"),
        "ts_entry": _("must be an object"),
        "ts_subject": _("must be one of commitment, freeze"),
        "ts_tsa": _("must be the TSA's URL"),
        "ts_token_string": _("must be a base64 string"),
        "ts_token_base64": _("is not valid base64"),
        "download": _("cannot download %(url)s: %(detail)s"),
        "download_http": _("cannot download %(url)s: HTTP %(status)s"),
        "redirected": _("%(url)s redirected off this site"),
        "off_site": _("%(url)s is not on this site"),
        "must_be_string": _("must be a string"),
        "must_be_int": _("must be an integer"),
        "must_be_object": _("must be an object"),
        "must_be_list": _("must be a list"),
    }
