"""Importing comment files into a contest: whole or not at all."""
import io

import pytest
import sqlalchemy as sa

from giveaway.contests import lifecycle
from giveaway.errors import Conflict, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment, ImportFile
from conftest import make_contest

HEADER = "comment_id,user_id,username,text,created_at,parent_id,network\n"
GOOD = HEADER + (
    'fb1,501,camille.martin,"Je participe ! @lea @hugo",2030-01-02T10:00:00+01:00,,facebook\n'
    '"fb2",502,léa_dubois,"<script>alert(1)</script> \u202eevil",1893574800,,facebook\n'
    "fb3,503,hugo,Réponse,2030-01-02T11:00:00Z,fb1,facebook\n"
)


@pytest.fixture
def contest(app):
    contest = make_contest()
    lifecycle.open_contest(contest, "test")
    return contest


def rows():
    return {c.comment_id: c for c in db.session.scalars(sa.select(Comment))}


def test_csv_import_keeps_text_verbatim_and_records_the_file(contest):
    record = import_comments(contest, io.BytesIO(("\ufeff" + GOOD).encode()), "fb.csv", "test")
    assert (record.rows, record.comments_new, record.comments_seen) == (3, 3, 0)
    assert len(record.sha256) == 64
    stored = rows()
    assert stored["fb2"].text == "<script>alert(1)</script> \u202eevil"
    assert stored["fb2"].username == "léa_dubois" and stored["fb3"].parent_id == "fb1"
    assert stored["fb1"].network == "facebook"
    assert stored["fb1"].created_at.isoformat() == "2030-01-02T09:00:00+00:00"
    again = import_comments(contest, io.BytesIO(GOOD.encode()), "fb.csv", "test")
    assert (again.comments_new, again.comments_seen) == (0, 3)


@pytest.mark.parametrize("body, line", [
    (HEADER + "x1,1,a,t,not a date,,\n", 2),
    (HEADER + "x1,1,a,t,2030-01-01T00:00:00+00:00,,\nx2,,b,t,2030-01-01T00:00:00+00:00,,\n", 3),
    ("comment_id,text\nx1,hello\n", 1),
    (HEADER + "x1,1,a,nul\x00byte,2030-01-01T00:00:00+00:00,,\n", 2),
])
def test_malformed_file_is_refused_whole_with_its_line(contest, body, line):
    with pytest.raises(ValidationFailed) as info:
        import_comments(contest, io.BytesIO(body.encode()), "bad.csv", "test")
    assert f"{line}" in info.value.errors["file"]
    assert rows() == {}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportFile)) == 0


def test_json_import(contest):
    body = ('[{"pk": 17900000001, "text": "Coucou @zoe #gers", "created_at_utc": 1893574800,'
            ' "user": {"pk": "4242", "username": "Zoé"}}]')
    record = import_comments(contest, io.BytesIO(body.encode()), "ig.json", "test")
    assert record.rows == 1 and rows()["17900000001"].user_id == "4242"


def test_a_draft_contest_takes_no_comments(app):
    draft = make_contest(public_id="brouillon")
    with pytest.raises(Conflict):
        import_comments(draft, io.BytesIO(GOOD.encode()), "fb.csv", "test")


def test_upload_form(client, auth, contest):
    auth.login()
    response = client.post(f"/contests/{contest.public_id}/import",
                           data={"file": (io.BytesIO(GOOD.encode()), "tiktok.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/contests/{contest.public_id}").data.decode()
    assert "tiktok.csv" in page and "<script>alert(1)" not in page
    refused = client.post(f"/contests/{contest.public_id}/import",
                          data={"file": (io.BytesIO(b"comment_id\n1\n"), "x.csv")},
                          content_type="multipart/form-data")
    assert refused.status_code == 200 and "ligne 1" in refused.data.decode()


def test_import_command(runner, contest, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["import-comments", contest.public_id, str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 3 comments (3 new" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "x,1,a,t,yesterday,,\n", encoding="utf-8")
    refused = runner.invoke(args=["import-comments", contest.public_id, str(bad)])
    assert refused.exit_code == 1 and "2" in refused.output
