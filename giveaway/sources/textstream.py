"""Reading an uploaded file as UTF-8 text in chunks, hashing its bytes on the way.

Constant memory whatever the file size; errors carry the 1-based line number.
"""

from __future__ import annotations

import codecs
import hashlib
import io
from typing import BinaryIO, Iterator

__all__ = ["ImportFileError", "TextChunks", "text_lines"]

CHUNK_SIZE = 1 << 16
BOM = "\ufeff"


#: A physical line longer than this refuses the file (a CSV field is at most 128 KiB).
MAX_LINE_CHARS = 1 << 20


class ImportFileError(ValueError):
    """A file refused as a whole; ``line`` is 1-based (0 when not line-specific).

    Codes in, words out: ``code`` says what is wrong, ``field`` which field of
    the comment (``comment_id``, ``user_id``, ``username``, ``text``,
    ``created_at``, ``parent_id``, ``network``) or None, and ``params`` the
    values a message needs (``value``, ``char``, ``length``, ``max``…);
    ``giveaway.harvest.import_messages`` words them. ``reason`` is an English
    sentence, for logs and tests.
    """

    def __init__(self, line: int, reason: str, *, code: str = "invalid",
                 field: str | None = None, **params: object):
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.line = line
        self.reason = reason
        self.code = code
        self.field = field
        self.params = params


class TextChunks:
    """Iterate over the decoded text of ``fileobj`` in chunks.

    A leading UTF-8 BOM is dropped. ``sha256`` (hex) and ``size`` describe
    the bytes read so far; they are final once iteration has ended.
    ``lines_before`` is the number of newlines in the chunks already yielded,
    so a consumer can turn an offset into a line number.

    :raises ImportFileError: on invalid UTF-8 or a NUL character.
    """

    def __init__(self, fileobj: BinaryIO, chunk_size: int = CHUNK_SIZE):
        self._file = fileobj
        self._chunk_size = chunk_size
        self._hash = hashlib.sha256()
        self.size = 0
        self.lines_before = 0
        self.finished = False

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def __iter__(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        first = True
        while True:
            data = self._file.read(self._chunk_size)
            if not isinstance(data, bytes):
                raise TypeError("open the file in binary mode")
            self._hash.update(data)
            self.size += len(data)
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                line = self.lines_before + data[: max(exc.start, 0)].count(b"\n") + 1
                raise ImportFileError(line, "invalid UTF-8 (save the file as UTF-8)",
                                      code="invalid_utf8") from None
            if first and text:
                first = False
                if text.startswith(BOM):
                    text = text[1:]
            if "\x00" in text:
                line = self.lines_before + text[: text.index("\x00")].count("\n") + 1
                raise ImportFileError(line, "NUL character (not allowed in text)", code="nul")
            if text:
                yield text
                self.lines_before += text.count("\n")
            if not data:
                self.finished = True
                return


def text_lines(chunks: TextChunks) -> Iterator[str]:
    """Lines (each ending in ``\\n`` except perhaps the last) split on ``\\n`` only.

    Splitting on ``\\n`` alone keeps ``\\r``, U+2028 and friends inside a line,
    where the csv module expects them.

    :raises ImportFileError: for a line longer than ``MAX_LINE_CHARS`` (memory stays bounded).
    """
    tail = ""
    for text in chunks:
        if tail:
            text = tail + text
        cut = text.rfind("\n") + 1
        if cut == 0:
            if len(text) > MAX_LINE_CHARS:
                raise ImportFileError(chunks.lines_before + 1, "line longer than 1 MiB",
                                      code="line_too_long")
            tail = text
            continue
        tail = text[cut:]
        yield from io.StringIO(text[:cut])  # StringIO splits on "\n" only
    if tail:
        yield tail
