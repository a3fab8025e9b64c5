"""What every stored text must pass: no NUL, no lone surrogate, a bounded length.

PostgreSQL refuses NUL in text and both databases refuse lone surrogates
(``"\\ud800"``, which JSON can carry) when encoding to UTF-8; a column
``String(n)`` refuses more than ``n`` characters on PostgreSQL only. Checking
here, before the database sees a value, turns each of those into a message
instead of a server error. Codes in, words out: the app words the codes.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["TextProblem", "text_problem"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class TextProblem(NamedTuple):
    """``code``: ``"nul"``, ``"surrogate"``, ``"control"`` (``detail``: the character as
    ``U+XXXX``) or ``"too_long"`` (``detail``: the length)."""

    code: str
    detail: str = ""


def text_problem(value: str, max_length: int | None = None, *,
                 single_line: bool = False) -> TextProblem | None:
    """What is wrong with ``value`` as a stored text, or None.

    ``single_line`` also refuses control characters (line breaks, tabs…), for
    names, identifiers and search boxes; free text keeps them.
    """
    if "\x00" in value:
        return TextProblem("nul", "U+0000")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return TextProblem("surrogate", f"U+{ord(value[exc.start]):04X}")
    if single_line:
        found = _CONTROL.search(value)
        if found:
            return TextProblem("control", f"U+{ord(found.group()):04X}")
    if max_length is not None and len(value) > max_length:
        return TextProblem("too_long", str(len(value)))
    return None
