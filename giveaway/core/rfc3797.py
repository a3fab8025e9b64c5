"""RFC 3797: the key string of declared public values, and §4 selection.

MD5 is used because RFC 3797 specifies it; it only spreads a public key
string over positions, no secret or collision resistance is involved.

Value forms (RFC 3797 §4).  A declared value is a JSON integer or a string:

- a non-negative integer, or a string of ASCII digits (``"08285182"``): a
  whole number, written in decimal without leading zeros and terminated by a
  period (``"8285182."``, zero is ``"0."``);
- a string of ASCII digits, one ``"."`` and ASCII digits (``"13.6875"``): a
  decimal number, written with its whole part as above, a period, and its
  fraction without trailing zeros (``"13.6875"``, no terminating period; a
  zero fraction leaves the whole number: ``"12.0"`` is ``"12."``);
- any other string with at least one letter (``"W 4-1"``): a text, canonical
  as A-Z and 0-9 only (white space, punctuation, accents and other symbols
  removed, letters upper-cased) and suffixed with ``"./"`` (``"W41./"``).  A
  text is the only value of its source.  Letters other than A-Z with or
  without accents (``"ß"``, Greek, CJK…) and digits other than 0-9 are refused.

Numbers of a source are sorted numerically (exactly, without floating point)
and concatenated, each source closed by ``"/"``.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Union

from .encoding import u16
from .errors import InvalidInput

MAX_PICKS = 1 << 16  # the counter is a u16

Value = Union[int, str]

# RFC 3797 §4, step 1: "For each source producing multiple numeric values,
# represent each as a decimal number terminated by a period (or with a period
# separating the whole from the fractional part), without leading zeroes
# (except for a single leading zero if the integer part is zero), and without
# trailing zeroes after the period."
_WHOLE = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"([0-9]+)\.([0-9]+)")

# RFC 3797 §4: "if you choose to ignore this advice and use an ASCII or similar
# Roman alphabet source or sources, all white space, punctuation, accents, and
# special characters should be removed and all letters set to upper case. This
# will leave only an unbroken sequence of letters A-Z and digits 0-9 which can
# be treated as a canonicalized number above and suffixed with a "./". If you
# choose to not just ignore but flagrantly flout this advice and try to use
# even more complex and harder to canonicalize internationalized text, such as
# UNICODE, you are on your own."  We remove what Unicode classes as separators,
# punctuation, symbols and combining marks (the accents of a decomposed
# letter), and refuse the rest (other letters and digits, control characters).
_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_ASCII_SPACE = frozenset(" \t\n\r\x0b\x0c")
_REMOVED_CATEGORIES = ("Z", "P", "S", "Mn")

_KEY_CHARS = re.compile(r"(?:[0-9A-Z.]+/)+")
_TEXT_PART = re.compile(r"([0-9A-Z]*[A-Z][0-9A-Z]*)\.")
_NUMBER_PART = re.compile(r"[0-9.]+")


def canonical_value(value: object, field: str = "beacon.sources") -> str:
    """Return ``value`` as RFC 3797 §4 writes it in the key string.

    A whole number gives ``"N."``, a decimal number ``"N.F"`` and a text
    ``"T."`` (its source's ``"/"`` follows).  Raises InvalidInput(field) for a
    value that is none of the accepted forms (see the module docstring).
    """
    kind, text, _ = _classify(value, field)
    return text + "." if kind != "decimal" else text


def source_values(source: object, index: int) -> list[Value]:
    """Return the values of one source as a list.

    Raises InvalidInput("beacon.sources[index]") if ``source`` is a string or
    not a list of values.
    """
    if isinstance(source, (str, bytes)) or not isinstance(source, Iterable):
        raise InvalidInput(f"beacon.sources[{index}]", "must be a list of values")
    return list(source)


def source_part(source: Iterable[Value], index: int) -> str:
    """Return the key-string part of one source, ``"/"`` included.

    Raises InvalidInput("beacon.sources[index]") for an empty source, a value
    of no accepted form, or a text value that is not alone in its source.
    """
    field = f"beacon.sources[{index}]"
    values = source_values(source, index)
    if not values:
        raise InvalidInput(field, "a source needs at least one value")
    classified = [_classify(v, field) for v in values]
    if len(classified) > 1 and any(kind == "text" for kind, _, _ in classified):
        raise InvalidInput(field, "a text value must be the only value of its source "
                                  "(RFC 3797 orders numbers only)")
    if classified[0][0] == "text":
        return classified[0][1] + "./"
    ordered = sorted(classified, key=lambda item: item[2])
    return "".join(text + "." if kind == "whole" else text for kind, text, _ in ordered) + "/"


def key_string(sources: Iterable[Iterable[Value]]) -> str:
    """Return the RFC 3797 key string of ``sources`` (lists of ints and strings).

    Raises InvalidInput("beacon.sources[i]") naming the first unusable source
    or value, InvalidInput("beacon.sources") if there is no source.
    """
    parts = [source_part(source, i) for i, source in enumerate(sources)]
    if not parts:
        raise InvalidInput("beacon.sources", "at least one source is needed")
    return "".join(parts)


def parse_key_string(text: str) -> list[list[Value]]:
    """Return sources whose key string is ``text``.

    Whole numbers come back as ints, decimal numbers and texts as their
    canonical strings, so that ``key_string(parse_key_string(text)) == text``.
    A key string with decimal numbers can have several readings (``1.5`` then
    ``2`` and ``1`` then ``52`` both give ``"1.52./"``): a source that reads
    as ascending whole numbers comes back as those, any other as the ascending
    reading with the smallest possible values first.
    Raises InvalidInput("beacon.key_string") if ``text`` is not of the form
    produced by :func:`key_string` (canonical values, each source ascending).
    """
    if not isinstance(text, str) or not _KEY_CHARS.fullmatch(text):
        raise InvalidInput("beacon.key_string", "is not an RFC 3797 key string")
    return [_parse_part(part) for part in text.split("/")[:-1]]


def select_positions(key: str, pool: int, count: int) -> list[int]:
    """Return ``count`` distinct 1-based positions picked from ``1…pool`` by RFC 3797 §4.

    For ``i = 0, 1, …``: ``MD5(u16(i) ‖ key ‖ u16(i))`` as a 128-bit integer,
    modulo the number of positions still in the pool, picks one of the
    remaining positions (in ascending order), which leaves the pool.
    Raises InvalidInput unless ``0 ≤ count ≤ pool`` and ``count ≤ 65536``.
    """
    if pool < 1 or not 0 <= count <= pool:
        raise InvalidInput("pool", f"cannot pick {count} of {pool}")
    if count > MAX_PICKS:
        raise InvalidInput("pool", f"RFC 3797 numbers at most {MAX_PICKS} picks")
    data = key.encode("utf-8")
    taken: list[int] = []  # 0-based, kept sorted; never more than ``count`` items
    picks = []
    for i in range(count):
        prefix = u16(i)
        digest = hashlib.md5(prefix + data + prefix, usedforsecurity=False).digest()
        rank = int.from_bytes(digest, "big") % (pool - i)
        position = _nth_remaining(taken, rank)
        bisect.insort(taken, position)
        picks.append(position + 1)
    return picks


def _nth_remaining(taken: Sequence[int], rank: int) -> int:
    # The rank-th (0-based) position not in ``taken``, without a list of the pool.
    position = rank
    for t in taken:
        if t <= position:
            position += 1
        else:
            break
    return position


# --- values ---------------------------------------------------------------

def _classify(value: object, field: str) -> tuple[str, str, tuple[int, str, str]]:
    # (kind, canonical text without the terminating period, numeric sort key);
    # kind is "whole", "decimal" or "text".  Raises InvalidInput(field).
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        if isinstance(value, float):
            raise InvalidInput(field, f"{value!r} is a floating-point number: write a decimal "
                                      "number as a string, e.g. \"13.6875\"")
        raise InvalidInput(field, f"{value!r} is neither an integer nor a string")
    if isinstance(value, int):
        if value < 0:
            raise InvalidInput(field, f"{value!r} is negative: RFC 3797 values are "
                                      "non-negative numbers")
        try:
            return _number(str(value), "", value)
        except ValueError:  # more digits than Python converts to text
            raise InvalidInput(field, "the integer has too many digits") from None
    if _WHOLE.fullmatch(value):
        return _number(value, "", value)
    decimal = _DECIMAL.fullmatch(value)
    if decimal:
        return _number(decimal.group(1), decimal.group(2), value)
    return _text(value, field)


def _number(whole: str, fraction: str,
            value: object) -> tuple[str, str, tuple[int, str, str]]:
    # Canonical whole part (no leading zero but a lone "0") and fraction (no
    # trailing zero); the key orders canonical numbers exactly.
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    key = (len(whole), whole, fraction)
    if not fraction:
        return "whole", whole, key
    return "decimal", f"{whole}.{fraction}", key


def _text(value: str, field: str) -> tuple[str, str, tuple[int, str, str]]:
    kept = []
    for char in unicodedata.normalize("NFD", value):
        if char in _ASCII_ALNUM:
            kept.append(char.upper())
        elif char in _ASCII_SPACE or unicodedata.category(char).startswith(_REMOVED_CATEGORIES):
            continue
        else:
            raise InvalidInput(field, f"{value!r} contains {char!r}: only decimal numbers and "
                                      "texts of Latin letters (accents allowed), digits, "
                                      "spaces and punctuation are accepted")
    canonical = "".join(kept)
    if not any("A" <= c <= "Z" for c in canonical):
        raise InvalidInput(field, f"{value!r} is neither a decimal number (digits, or digits "
                                  "'.' digits) nor a text with letters")
    return "text", canonical, (0, "", "")


# --- key-string parsing ---------------------------------------------------

def _parse_part(part: str) -> list[Value]:
    # One source of a key string, without its "/".
    if not part:
        raise InvalidInput("beacon.key_string", "a source has no value")
    text = _TEXT_PART.fullmatch(part)
    if text:
        return [text.group(1)]
    if not _NUMBER_PART.fullmatch(part):
        raise InvalidInput("beacon.key_string", "is not an RFC 3797 key string")
    values = _read_wholes(part)
    if values is None:
        values = _read_numbers(part, ordered=True)
    if values is None:
        if _read_numbers(part, ordered=False) is not None:
            raise InvalidInput("beacon.key_string", "values of a source must be in ascending order")
        raise InvalidInput("beacon.key_string", "is not an RFC 3797 key string")
    return values


def _read_wholes(part: str) -> list[Value] | None:
    # The reading in ascending whole numbers only ("N." each), or None.
    if not part.endswith("."):
        return None
    digits = part[:-1].split(".")
    if any(not d or (d != "0" and d.startswith("0")) for d in digits):
        return None
    keys = [(len(d), d) for d in digits]
    if keys != sorted(keys):
        return None
    return [_whole_value(d) for d in digits]


def _read_numbers(part: str, *, ordered: bool) -> list[Value] | None:
    """Return canonical numbers whose concatenation is ``part``, or None.

    ``best[p]`` is the reading of ``part[:p]`` whose last number is smallest
    (ascending if ``ordered``): any reading that can go on from a larger last
    number can go on from it, so keeping one per position suffices.
    """
    best: list[tuple[tuple[int, str, str], int, str, str] | None] = [None] * (len(part) + 1)
    start = (-1, "", "")
    for p in range(len(part)):
        if p and best[p] is None:
            continue
        last = best[p][0] if p else start
        for end, whole, fraction in _numbers_at(part, p):
            key = (len(whole), whole, fraction)
            if ordered and key < last:
                continue
            if best[end] is None or key < best[end][0]:
                best[end] = (key, p, whole, fraction)
    if best[len(part)] is None:
        return None
    values: list[Value] = []
    end = len(part)
    while end:
        _, end, whole, fraction = best[end]
        values.append(f"{whole}.{fraction}" if fraction else _whole_value(whole))
    return values[::-1]


def _numbers_at(part: str, p: int) -> list[tuple[int, str, str]]:
    # Every canonical number written at part[p:]: (end, whole, fraction).
    q = p
    while q < len(part) and part[q] != ".":
        q += 1
    whole = part[p:q]
    if not whole or q == len(part) or (whole != "0" and whole.startswith("0")):
        return []
    found = [(q + 1, whole, "")]
    r = q + 1
    while r < len(part) and part[r] != ".":
        r += 1
        if part[r - 1] != "0":
            found.append((r, whole, part[q + 1:r]))
    return found


def _whole_value(digits: str) -> Value:
    # An int, or the digit string itself past what int() converts.
    try:
        return int(digits)
    except ValueError:
        return digits
