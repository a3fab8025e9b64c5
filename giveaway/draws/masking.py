"""Masked handles for public pages: ``sandrine_t`` → ``@sa***t``, ``abcd`` → ``@ab***``.

The rule, for a handle of ``n`` characters (without its ``@``):

- never more than ``n // 2`` characters are shown, the rest is ``***``;
- at most two characters from the start: two from ``n = 4`` on, one for
  ``n = 2`` or ``3``, none below;
- the last character only from ``n = 6`` on (2 + 1 ≤ n // 2).

So ``@a***`` (2–3 characters), ``@ab***`` (4–5), ``@ab***f`` (6 and more),
``@***`` (0–1). A masked handle alone may look like another one: public lists
always show it with the entry number (the leaf index), which is unique.

Invisible and direction-changing characters in a username are never shown
as they are: :func:`hidden_in_handle` names them, pages show them as
``U+202E`` badges and text (the PDF) as ``[U+202E]``.
"""
import unicodedata

#: Letters that draw nothing (Hangul fillers, the combining grapheme joiner, the blank
#: Braille pattern), on top of every format, control and separator character.
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u034f\u2800")


def hidden_in_handle(char: str) -> bool:
    """True for a character that is invisible or changes direction (``U+202E``, ``U+200B``…)."""
    return char in _FILLERS or unicodedata.category(char)[0] in "CZ"


def plain_visible_handle(handle: str) -> str:
    """``handle`` as plain text with each hidden character written ``[U+XXXX]``."""
    return "".join(f"[U+{ord(c):04X}]" if hidden_in_handle(c) else c for c in str(handle or ""))


def mask_handle(handle: str) -> str:
    """Return ``handle`` masked so that at most half of it shows (see the module's rule)."""
    handle = handle.lstrip("@")
    n = len(handle)
    head = min(2, n // 2)
    tail = 1 if n >= 6 else 0
    return "@" + handle[:head] + "***" + (handle[-tail:] if tail else "")
