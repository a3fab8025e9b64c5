"""Streaming the items of a top-level JSON array, in constant memory.

``json.JSONDecoder.raw_decode`` over a sliding buffer: each item is decoded
once it is complete, and the consumed text is dropped.
"""

from __future__ import annotations

import contextlib
import json
import sys
from typing import Iterator

from .textstream import ImportFileError, TextChunks

__all__ = ["iter_array"]

MAX_ITEM_CHARS = 1 << 20
#: Nesting allowed inside one item (the item itself is level 1, its ``user`` object 2).
MAX_DEPTH = 6
# A decoding error this close to the end of the buffer may only mean "read more".
_END_MARGIN = 64
_WS = " \t\n\r"


class _Buffer:
    def __init__(self, chunks: TextChunks):
        self._chunks = iter(chunks)
        self.text = ""
        self.pos = 0
        self._line = 1  # the line number at text[_mark]
        self._mark = 0
        self.eof = False

    def more(self) -> bool:
        """Append the next chunk, dropping what was consumed. False at end of file."""
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self.eof = True
            return False
        self.line_at(self.pos)
        self.text = self.text[self.pos:] + chunk
        self.pos = self._mark = 0
        return True

    def line_at(self, pos: int) -> int:
        """The line number at ``pos``; positions asked for never go backwards."""
        if pos > self._mark:
            self._line += self.text.count("\n", self._mark, pos)
            self._mark = pos
        return self._line

    def peek(self) -> str | None:
        """The next non-whitespace character (not consumed), or None at end of file."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in _WS:
                pos += 1
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self.more():
                return None


def iter_array(chunks: TextChunks) -> Iterator[tuple[int, object]]:
    """Yield ``(line, item)`` for each item of the array making up the file.

    :raises ImportFileError: if the file is not exactly one JSON array, or an
        item is invalid, larger than ``MAX_ITEM_CHARS`` or nested more than
        ``MAX_DEPTH`` levels.
    """
    decoder = json.JSONDecoder()
    buf = _Buffer(chunks)
    if buf.peek() != "[":
        raise ImportFileError(buf.line_at(buf.pos), "expected a JSON array ('[')",
                              code="json_not_array")
    buf.pos += 1
    first = True
    while True:
        char = buf.peek()
        if char == "]":
            buf.pos += 1
            break
        if not first:
            if char != ",":
                raise ImportFileError(buf.line_at(buf.pos), "expected ',' or ']' between items",
                                      code="json_separator")
            buf.pos += 1
            buf.peek()
        if buf.pos >= len(buf.text):
            raise ImportFileError(buf.line_at(buf.pos), "unexpected end of file inside the array",
                                  code="json_truncated")
        first = False
        yield buf.line_at(buf.pos), _decode_item(decoder, buf)
    if buf.peek() is not None:
        raise ImportFileError(buf.line_at(buf.pos), "unexpected data after the JSON array",
                              code="json_trailing")


def _decode_item(decoder: json.JSONDecoder, buf: _Buffer) -> object:
    """The next item. :raises ImportFileError: invalid, over 1 MiB, or nested too deep."""
    while True:
        try:
            with _bounded_recursion():
                item, end = decoder.raw_decode(buf.text, buf.pos)
        except json.JSONDecodeError as exc:
            near_end = exc.pos >= len(buf.text) - _END_MARGIN or exc.msg.startswith("Unterminated")
            if buf.eof or not near_end:
                raise ImportFileError(buf.line_at(exc.pos), f"invalid JSON: {exc.msg}",
                                      code="json_invalid") from None
        except RecursionError:
            raise ImportFileError(buf.line_at(buf.pos), "item nested too deeply",
                                  code="json_too_deep", max=MAX_DEPTH) from None
        except ValueError:  # an integer of more than 4,300 digits (int_max_str_digits)
            raise ImportFileError(buf.line_at(buf.pos), "number too long",
                                  code="json_number_too_long") from None
        else:
            if end < len(buf.text) or buf.eof:
                if _too_deep(item, MAX_DEPTH):
                    raise ImportFileError(buf.line_at(buf.pos), "item nested too deeply",
                                          code="json_too_deep", max=MAX_DEPTH)
                buf.pos = end
                return item
        if len(buf.text) - buf.pos > MAX_ITEM_CHARS:
            raise ImportFileError(buf.line_at(buf.pos), "item larger than 1 MiB",
                                  code="json_item_too_large")
        buf.more()


#: The C JSON decoder recurses on the C stack as deep as the Python recursion limit allows:
#: with a limit someone raised (a test tool, a library), a file of 100,000 nested brackets
#: overflows the stack and kills the process instead of raising RecursionError.
SAFE_RECURSION_LIMIT = 3000


@contextlib.contextmanager
def _bounded_recursion():
    limit = sys.getrecursionlimit()
    if limit <= SAFE_RECURSION_LIMIT:  # the default (1,000): nothing to do
        yield
        return
    sys.setrecursionlimit(SAFE_RECURSION_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def _too_deep(value: object, allowed: int) -> bool:
    """True if ``value`` nests lists or objects more than ``allowed`` levels."""
    if isinstance(value, dict):
        children = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return False
    if allowed <= 0:
        return True
    return any(_too_deep(child, allowed - 1) for child in children
               if isinstance(child, (dict, list)))
