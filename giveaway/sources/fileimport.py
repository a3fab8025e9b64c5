"""Importing comments from a CSV or JSON export, streamed, validated, hashed.

CSV: header ``comment_id,user_id,username,text,created_at,parent_id[,network]``
(other columns are ignored); ``created_at`` is ISO 8601 with an offset or Unix
seconds; ``network`` defaults to ``ig``.

JSON: one array of objects shaped like instagrapi's comments: ``pk``,
``text``, ``created_at_utc``, ``user: {pk, username}``, optional
``parent_comment_id`` (or ``parent_id``) and ``network``.

Text is kept verbatim (HTML, bidi overrides, emoji). Every field is checked
before anything is stored (:mod:`.fields`): ids by the eligibility engine's
own rule, lengths by the columns, dates within 2010–2100; NUL and lone
surrogates, which the databases cannot store, refuse the file. Duplicates: a
comment repeated identically is kept once (exports are often concatenated);
the same id with different content is refused, since nothing tells which one
is true, and so is one comment id used by two networks (the engine could not
order them).

The caller inserts the batches in one transaction and rolls back on
:class:`ImportFileError`, so a file is imported whole or not at all.
"""

from __future__ import annotations

import csv
import io
import os
from typing import BinaryIO, Iterator

from giveaway.core.sources import RawComment

from .fields import (FieldError, check_text, check_username, parse_created_at, parse_network,
                     parse_parent, required_id, shown)
from .idtable import FingerprintTable
from .jsonarray import iter_array
from .textstream import CHUNK_SIZE, ImportFileError, TextChunks, text_lines

__all__ = ["CSV_COLUMNS", "CommentFile", "ImportFileError", "format_for"]

CSV_COLUMNS = ("comment_id", "user_id", "username", "text", "created_at", "parent_id")
FORMATS = ("csv", "json")


def format_for(filename: str) -> str:
    """``"csv"`` or ``"json"`` from the file name. :raises ImportFileError: otherwise."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise ImportFileError(0, "the file must end in .csv or .json", code="bad_extension")
    return suffix


class CommentFile:
    """One uploaded export, read once as a stream of :class:`RawComment`.

    After iteration ends, ``sha256`` (hex of the file's bytes), ``size``,
    ``rows`` (comments yielded) and ``duplicates`` (identical repeats skipped)
    are final. Memory is constant apart from 24 to 48 bytes per distinct
    comment for the duplicate check.
    """

    def __init__(self, fileobj: BinaryIO, fmt: str, *, post_ref: str | None = None,
                 expected_rows: int | None = None, chunk_size: int = CHUNK_SIZE):
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {FORMATS}")
        self.fmt = fmt
        self.post_ref = post_ref
        self._chunks = TextChunks(fileobj, chunk_size)
        self._seen = FingerprintTable(expected_rows or _estimate_rows(fileobj))
        self._networks = FingerprintTable(expected_rows or _estimate_rows(fileobj))
        self.rows = 0
        self.duplicates = 0

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the file. :raises RuntimeError: before the file is fully read."""
        if not self._chunks.finished:
            raise RuntimeError("the file has not been read to the end")
        return self._chunks.sha256

    @property
    def size(self) -> int:
        return self._chunks.size

    def __iter__(self) -> Iterator[RawComment]:
        """:raises ImportFileError: at the first invalid line, with its number."""
        parse = self._csv if self.fmt == "csv" else self._json
        for line, comment in parse():
            previous = self._seen.setdefault(hash((comment.network, comment.comment_id)),
                                             _content_hash(comment) or 1)
            if previous is None:
                network = self._networks.setdefault(hash(comment.comment_id),
                                                    hash(comment.network) or 1)
                if network is not None and network != (hash(comment.network) or 1):
                    raise ImportFileError(line, f"comment_id {comment.comment_id} is used earlier "
                                                "in the file by another network",
                                          code="id_two_networks", field="comment_id",
                                          value=shown(comment.comment_id))
                self.rows += 1
                yield comment
            elif previous == (_content_hash(comment) or 1):
                self.duplicates += 1
            else:
                raise ImportFileError(line, f"comment_id {comment.comment_id} appears earlier in "
                                            "the file with different content",
                                      code="duplicate_conflict", field="comment_id",
                                      value=shown(comment.comment_id))

    def batches(self, size: int = 1000) -> Iterator[list[RawComment]]:
        """The comments in lists of at most ``size``."""
        batch: list[RawComment] = []
        for comment in self:
            batch.append(comment)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _csv(self) -> Iterator[tuple[int, RawComment]]:
        reader = csv.reader(text_lines(self._chunks), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise ImportFileError(1, "empty file", code="empty_file") from None
        except csv.Error as exc:
            raise _csv_error(1, exc) from None
        index = _header_index([name.strip().lower() for name in header])
        width = len(header)
        net = index.get("network")
        cid, uid, name, text, created, parent = (index[column] for column in CSV_COLUMNS)
        post_ref = self.post_ref
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _csv_error(reader.line_num, exc) from None
            if not row:
                continue  # blank line
            if len(row) != width:
                raise ImportFileError(line, f"expected {width} fields, found {len(row)}",
                                      code="field_count", expected=width, found=len(row))
            try:
                yield line, RawComment(
                    required_id(row[cid], "comment_id"),
                    required_id(row[uid], "user_id"),
                    check_username(row[name]),
                    check_text(row[text]),
                    parse_created_at(row[created]),
                    parse_parent(row[parent]),
                    parse_network(row[net]) if net is not None else "ig",
                    post_ref,
                )
            except FieldError as exc:
                raise _field_error(line, exc) from None

    def _json(self) -> Iterator[tuple[int, RawComment]]:
        for line, item in iter_array(self._chunks):
            try:
                yield line, _from_json(item, self.post_ref)
            except FieldError as exc:
                raise _field_error(line, exc) from None
            except _ShapeError as exc:
                raise ImportFileError(line, exc.reason, code=exc.code) from None


def _header_index(names: list[str]) -> dict[str, int]:
    if len(set(names)) != len(names):
        raise ImportFileError(1, "a column name appears twice in the header",
                              code="duplicate_column")
    missing = [name for name in CSV_COLUMNS if name not in names]
    if missing:
        raise ImportFileError(1, f"missing column(s): {', '.join(missing)}",
                              code="missing_columns", columns=", ".join(missing),
                              header=",".join(CSV_COLUMNS))
    return {name: i for i, name in enumerate(names)}


def _field_error(line: int, exc: FieldError) -> ImportFileError:
    return ImportFileError(line, str(exc), code=exc.code, field=exc.field, **exc.params)


def _csv_error(line: int, exc: csv.Error) -> ImportFileError:
    if "field larger than field limit" in str(exc):
        return ImportFileError(line, "CSV field too large", code="csv_field_too_large",
                               max=csv.field_size_limit())
    return ImportFileError(line, f"malformed CSV: {exc}", code="csv_malformed")


class _ShapeError(ValueError):
    """A JSON item without the expected shape; ``code`` says what is missing."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _from_json(item: object, post_ref: str | None) -> RawComment:
    if not isinstance(item, dict):
        raise _ShapeError("json_not_object", "each item must be a JSON object")
    user = item.get("user")
    if not isinstance(user, dict):
        raise _ShapeError("json_no_user", "missing user object")
    if "text" not in item:
        raise _ShapeError("json_no_text", "missing text")
    if "created_at_utc" not in item:
        raise _ShapeError("json_no_date", "missing created_at_utc")
    parent = item.get("parent_comment_id", item.get("parent_id"))
    return RawComment(
        comment_id=required_id(item.get("pk"), "comment_id", "pk"),
        user_id=required_id(user.get("pk"), "user_id", "user.pk"),
        username=check_username(user.get("username") or ""),
        text=check_text(item["text"]),
        created_at=parse_created_at(item["created_at_utc"]),
        parent_id=parse_parent(parent, "parent id"),
        network=parse_network(item.get("network") or ""),
        post_ref=post_ref,
    )


def _estimate_rows(fileobj: BinaryIO) -> int:
    """A row count guess from the file size (a row takes ~100 bytes), to size the id table."""
    try:
        size = os.fstat(fileobj.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        return 1 << 14
    return max(1 << 10, size // 100)


def _content_hash(comment: RawComment) -> int:
    return hash((comment.user_id, comment.username, comment.text,
                 comment.created_at.timestamp(), comment.parent_id))
