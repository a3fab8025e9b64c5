"""CSV and JSON imports: good files, encodings, hostile text, and every refusal."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giveaway.sources.fileimport import CommentFile, ImportFileError, format_for

HEADER = "comment_id,user_id,username,text,created_at,parent_id\n"
HOSTILE = [
    "<script>alert('x')</script>",
    "\u202egniggub\u202c #concours",
    "zero\u200bwidth\u200d",
    "'; DROP TABLE entries; --",
    "Ligne 1\nLigne 2\r\n\tTab, \"quoted\"",
    "sep\u2028para\u2029end",
    "  spaces kept  ",
    "😍🎁 émojis & accents",
]


def _read(data: bytes, fmt: str = "csv", **kwargs) -> tuple[CommentFile, list]:
    parsed = CommentFile(io.BytesIO(data), fmt, **kwargs)
    return parsed, list(parsed)


def _csv(rows: list[list[str]], header: str = HEADER) -> bytes:
    out = io.StringIO()
    out.write(header)
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_good_csv_with_offsets_unix_seconds_and_replies():
    data = _csv([
        ["17900000000000001", "401", "camille.martin", "Je participe ! @lea",
         "2024-05-01T14:00:00+02:00", ""],
        ["17900000000000002", "402", "lea", "Merci, bonne chance", "1714564800",
         "17900000000000001"],
        ["17900000000000003", "0403", "hugo", "x", "2024-05-01T12:00:00Z", ""],
    ])
    parsed, comments = _read(data, post_ref="p1")
    first, reply, third = comments
    assert first.created_at == reply.created_at == third.created_at == datetime(
        2024, 5, 1, 12, tzinfo=timezone.utc)
    assert (reply.parent_id, reply.user_id, third.user_id) == ("17900000000000001", "402", "403")
    assert first.network == "ig" and first.post_ref == "p1"
    assert parsed.rows == 3 and parsed.size == len(data)
    assert parsed.sha256 == hashlib.sha256(data).hexdigest()


def test_bom_crlf_network_column_extra_columns_and_blank_lines():
    text = ("\ufeffcomment_id,user_id,username,text,created_at,parent_id,network,likes\r\n"
            "1,2,u,\"a\r\nb\",1714564800,,TT,5\r\n\r\n2,3,v,c,1714564800,,,0\r\n\r\n")
    parsed, comments = _read(text.encode())
    assert [c.network for c in comments] == ["tt", "ig"]
    assert comments[0].text == "a\r\nb"
    assert parsed.sha256 == hashlib.sha256(text.encode()).hexdigest()


def test_hostile_text_is_kept_verbatim_in_csv_and_json():
    rows = [[str(i + 1), "7", "u", text, "1714564800", ""] for i, text in enumerate(HOSTILE)]
    assert [c.text for c in _read(_csv(rows))[1]] == HOSTILE
    items = [{"pk": i + 1, "text": t, "created_at_utc": 1714564800, "user": {"pk": 7}}
             for i, t in enumerate(HOSTILE)]
    assert [c.text for c in _read(json.dumps(items).encode(), "json")[1]] == HOSTILE


def test_identical_duplicates_are_kept_once():
    row = ["1", "2", "u", "t", "1714564800", ""]
    parsed, comments = _read(_csv([row, ["2", "2", "u", "t", "1714564800", ""], row]))
    assert len(comments) == 2 and parsed.duplicates == 1


def test_batches():
    rows = [[str(i), "2", "u", "t", "1714564800", ""] for i in range(1, 2502)]
    sizes = [len(b) for b in CommentFile(io.BytesIO(_csv(rows)), "csv").batches(1000)]
    assert sizes == [1000, 1000, 501]


GOOD = "1,2,u,t,1714564800,\n"


@pytest.mark.parametrize("data, line, reason", [
    (b"", 1, "empty file"),
    (b"comment_id,user_id,text,created_at,parent_id\n1,2,t,1714564800,\n", 1, "username"),
    (b"comment_id,user_id,username,text,text,created_at,parent_id\n", 1, "twice"),
    ((HEADER + GOOD + "2,2,u,t,1714564800\n").encode(), 3, "expected 6 fields, found 5"),
    ((HEADER + GOOD + "2,2,u,t,2024-13-01T00:00:00+00:00,\n").encode(), 3, "bad created_at"),
    ((HEADER + GOOD + "2,2,u,t,2024-05-01T12:00:00,\n").encode(), 3, "no timezone"),
    ((HEADER + GOOD + "2,2,u,t,1714564800000,\n").encode(), 3, "milliseconds"),
    ((HEADER + GOOD + ",2,u,t,1714564800,\n").encode(), 3, "empty comment_id"),
    ((HEADER + GOOD + "2,,u,t,1714564800,\n").encode(), 3, "empty user_id"),
    ((HEADER + GOOD + "2,2,u,t,1714564800,a b\n").encode(), 3, "invalid parent_id"),
    ((HEADER + GOOD + "2,2,u,t\xe9,1714564800,\n").encode("latin-1"), 3, "invalid UTF-8"),
    ((HEADER + GOOD + "2,2,u,t\x00,1714564800,\n").encode(), 3, "NUL"),
    ((HEADER + GOOD + '2,2,u,"open,1714564800,\n').encode(), 3, "malformed CSV"),
    ((HEADER + GOOD + '2,2,u,"a"b,1714564800,\n').encode(), 3, "malformed CSV"),
    ((HEADER + GOOD + "\n1,2,u,other,1714564800,\n").encode(), 4, "different content"),
    (("comment_id,user_id,username,text,created_at,parent_id,network\n"
      "1,2,u,t,1714564800,,i g\n").encode(), 2, "invalid network"),
])
def test_malformed_csv_is_refused_with_its_line(data, line, reason):
    with pytest.raises(ImportFileError) as caught:
        _read(data)
    assert caught.value.line == line and reason in caught.value.reason, caught.value


def _item(pk, text="t", **extra):
    return dict({"pk": pk, "text": text, "created_at_utc": 1714564800,
                 "user": {"pk": int(pk) + 100, "username": f"u{pk}"}}, **extra)


def test_good_json_like_instagrapi_comments_any_chunking():
    items = [_item(1), _item("2", parent_comment_id=1), _item(3, network="tt"),
             _item(4, parent_id="1")]
    for text in (json.dumps(items), json.dumps(items, indent=2), "\ufeff " + json.dumps(items)):
        data = text.encode()
        for chunk_size in (1, 3, 64, 1 << 16):
            parsed, comments = _read(data, "json", chunk_size=chunk_size)
            assert [c.comment_id for c in comments] == ["1", "2", "3", "4"]
            assert [c.parent_id for c in comments] == [None, "1", None, "1"]
            assert comments[0].user_id == "101" and comments[2].network == "tt"
            assert parsed.sha256 == hashlib.sha256(data).hexdigest()
    assert _read(b" [ ] ", "json")[1] == []


@pytest.mark.parametrize("text, line, reason", [
    ('{"pk": 1}', 1, "expected a JSON array"),
    ("", 1, "expected a JSON array"),
    ('[\n{"pk": 1, "text": "t", "created_at_utc": 1714564800, "user": {"pk": 2}},\n3\n]', 3,
     "JSON object"),
    ('[\n{"pk": 1, "text": "t", "created_at_utc": 1714564800, "user": {}}\n]', 2, "user.pk"),
    ('[\n{"pk": 1, "text": 5, "created_at_utc": 1714564800, "user": {"pk": 2}}\n]', 2, "text"),
    ('[\n{"pk": 1, "text": "t", "user": {"pk": 2}}\n]', 2, "created_at_utc"),
    ('[\n{"pk": 1.5, "text": "t", "created_at_utc": 1, "user": {"pk": 2}}\n]', 2, "pk"),
    ('[\n{"pk": 1, "text": "t", "created_at_utc": 1714564800, "user": {"pk": 2}},\n\n{"pk": 2,'
     ' "text": tru}\n]', 4, "invalid JSON"),
    ('[\n{"pk": 1, "text": "t", "created_at_utc": 1714564800, "user": {"pk": 2}},\n]', 3,
     "invalid JSON"),
    ('[\n{"pk": 1, "text": "t", "created_at_utc": 1714564800, "user": {"pk": 2}}\n] x', 3,
     "after the JSON array"),
    ('[\n{"pk": 1, "text": "t", "created_at_utc": 1714564800, "user": {"pk": 2}}', 2,
     "expected ',' or ']'"),
    ('[\n{"pk": 1, "text": "t\\u0000", "created_at_utc": 1714564800, "user": {"pk": 2}}]', 2,
     "NUL"),
    ('[\n{"pk": 1, "text": "t", "created_at_utc": 1714564800, "user": {"pk": 2}, "network": 5}]',
     2, "invalid network"),
    ('[\n{"pk": 1, "text": "t", "created_at_utc": 1714564800, "user": {"pk": 2},\n'
     ' "parent_comment_id": 1.5}]', 2, "parent id"),
    ('[\n{"pk": 1, "text": "' + "x" * (2 << 20) + '"}]', 2, "larger than 1 MiB"),
])
def test_malformed_json_is_refused_with_its_line(text, line, reason):
    with pytest.raises(ImportFileError) as caught:
        _read(text.encode(), "json", chunk_size=1024)
    assert caught.value.line == line and reason in caught.value.reason, caught.value


def test_sha256_needs_the_whole_file_and_formats_follow_the_name():
    parsed = CommentFile(io.BytesIO(HEADER.encode()), "csv")
    with pytest.raises(RuntimeError):
        parsed.sha256
    assert format_for("Export.CSV") == "csv" and format_for("a.b.json") == "json"
    with pytest.raises(ImportFileError):
        format_for("comments.xlsx")


TEXTS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=40)


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(TEXTS, min_size=1, max_size=12), chunk=st.integers(1, 50),
       indent=st.sampled_from([None, 0, 2]))
def test_any_text_round_trips_through_csv_and_json(texts, chunk, indent):
    rows = [[str(i + 1), "9", "u", t, "1714564800", ""] for i, t in enumerate(texts)]
    assert [c.text for c in _read(_csv(rows), chunk_size=chunk)[1]] == texts
    items = [_item(i + 1, t) for i, t in enumerate(texts)]
    data = json.dumps(items, indent=indent, ensure_ascii=bool(chunk % 2)).encode()
    assert [c.text for c in _read(data, "json", chunk_size=chunk)[1]] == texts


def test_fingerprint_table_grows_and_remembers():
    from giveaway.sources.idtable import FingerprintTable

    table = FingerprintTable(expected=1)
    keys = [hash(("ig", str(i))) for i in range(5000)] + [0, -1, 2**63 - 1, -(2**63)]
    for key in keys:
        assert table.setdefault(key, key % 97 + 1) is None
    assert table.count == len(set(k or 1 for k in keys))
    assert all(table.setdefault(key, 12345) == key % 97 + 1 for key in keys if key)
