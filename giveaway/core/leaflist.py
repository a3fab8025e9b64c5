"""The published leaf list: one lowercase hex leaf per line, ascending, newline-terminated.

Parsing is strict about the text (exact hex) but leaves order and
uniqueness to verification, which reports them as failed checks.
"""

from __future__ import annotations

import binascii
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .errors import InvalidDocument

FIELD = "entries.leaves"
_LINE = 65  # 64 hex digits and "\n"
_CHUNK = 8192


def format_leaf_list(leaves: Sequence[bytes]) -> bytes:
    """Return the leaf-list file content for ``leaves``."""
    return b"".join(binascii.hexlify(leaf) + b"\n" for leaf in leaves)


def write_leaf_list(path: str | os.PathLike[str], leaves: Sequence[bytes]) -> None:
    """Write the leaf-list file for ``leaves`` at ``path``, in chunks (bounded memory)."""
    with open(path, "wb") as f:
        for start in range(0, len(leaves), _CHUNK):
            f.write(format_leaf_list(leaves[start:start + _CHUNK]))


def parse_leaf_list(data: bytes) -> list[bytes]:
    """Return the 32-byte leaves written in ``data``.

    A missing final newline is tolerated.  Raises InvalidDocument
    ("entries.leaves") naming the first bad line otherwise (not 64 lowercase
    hex digits, blank line, empty file).
    """
    if data and not data.endswith(b"\n"):
        data += b"\n"
    n, rest = divmod(len(data), _LINE)
    if n and not rest and data[64::_LINE] == b"\n" * n:
        digits = data.replace(b"\n", b"")
        try:
            blob = binascii.unhexlify(digits)
        except binascii.Error:
            blob = b""
        if len(blob) == 32 * n and binascii.hexlify(blob) == digits:
            return [blob[i:i + 32] for i in range(0, len(blob), 32)]
    _raise_first_bad_line(data)
    raise InvalidDocument(FIELD, "is empty")  # only reachable for empty data


def _raise_first_bad_line(data: bytes) -> None:
    for number, line in enumerate(data.split(b"\n")[:-1], start=1):
        if len(line) != 64 or line.strip(b"0123456789abcdef"):
            shown = line[:80].decode("utf-8", "replace")
            raise InvalidDocument(FIELD, f"line {number} is not 64 lowercase hex digits: {shown!r}")


def load_leaf_list(location: str, base_dir: str | os.PathLike[str] | None = None, *,
                   timeout: float = 30,
                   opener: Callable[..., Any] = urllib.request.urlopen) -> list[bytes]:
    """Return the leaves published at ``location``: an http(s) URL, or a file path.

    A relative path is taken relative to ``base_dir`` (the certificate's
    folder).  Raises InvalidDocument("entries.leaves") when it cannot be read
    or parsed.
    """
    if location.startswith(("http://", "https://")):
        try:
            with opener(location, timeout=timeout) as response:
                data = response.read()
        except (urllib.error.URLError, OSError, ValueError) as exc:
            if isinstance(exc, urllib.error.HTTPError):
                exc.close()
            raise InvalidDocument(FIELD, f"cannot download {location}: {exc}") from None
    else:
        path = Path(location)
        if base_dir is not None and not path.is_absolute():
            path = Path(base_dir) / path
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidDocument(FIELD, f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_leaf_list(data)
