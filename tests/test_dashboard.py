"""The partner dashboard: counts without personal data, read-only, one partner's contests only."""
import csv
import io
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from giveaway.audit.models import AuditRecord
from giveaway.auth.models import User
from giveaway.contests import lifecycle
from giveaway.contests.models import Contest
from giveaway.dashboard import invites
from giveaway.dashboard.service import EXPORT_COLUMNS
from giveaway.dashboard.views import init_app
from giveaway.db_types import utcnow
from giveaway.extensions import db
from giveaway.harvest.imports import import_comments
from conftest import make_contest

# What must never reach a partner: handles, comment texts, user ids, comment ids.
PEOPLE = [  # comment id, user id, handle, text, minutes after opening
    ("cmt-7f1a-001", "8675309001", "zz_alice_secret", "Texte-prive-alpha @zz_friend_one", 10),
    ("cmt-7f1a-002", "8675309001", "zz_alice_secret", "Texte-prive-bravo again", 20),
    ("cmt-7f1a-003", "8675309002", "zz_bob_hidden", "Texte-prive-charlie", 70),
    ("cmt-7f1a-004", "8675309003", "zz_carl_masked", "Texte-prive-delta", 3 * 24 * 60),
    ("cmt-7f1a-005", "8675309004", "zz_dan_early", "Texte-prive-echo", -30),
]
MORE = [
    ("cmt-7f1a-006", "8675309005", "zz_eve_later", "Texte-prive-foxtrot", 30),
    ("cmt-7f1a-007", "8675309006", "zz_fay_later", "Texte-prive-golf", 31),
]
SECRETS = [value for row in PEOPLE + MORE for value in row[:4]] + ["zz_friend_one"]


@pytest.fixture(autouse=True)
def dashboard(app):
    """Until the factory registers it, register the dashboard for these tests."""
    if "dashboard" not in app.blueprints:
        init_app(app)


def comments_csv(contest, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id"])
    for cid, uid, name, text, minutes in rows:
        writer.writerow([cid, uid, name, text,
                         (contest.opens_at + timedelta(minutes=minutes)).isoformat(), ""])
    return out.getvalue().encode()


def import_rows(contest, rows, name="comments.csv"):
    import_comments(contest, io.BytesIO(comments_csv(contest, rows)), name, "test")


@pytest.fixture
def contest(app):
    """An open contest of vins-du-gers, opened five days ago on the hour, with five comments."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    contest = make_contest(opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=5))
    lifecycle.open_contest(contest, "test")
    import_rows(contest, PEOPLE)
    return contest


@pytest.fixture
def other(app):
    """canard-gascon's contest, which vins-du-gers must never see."""
    contest = make_contest("foie-gras", partner="canard-gascon", title="Foie gras secret")
    lifecycle.open_contest(contest, "test")
    return contest


def counts_in(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-count="([\w-]+)">([^<]*)<', html))


def test_partner_sees_only_their_contests(client, auth, contest, other):
    auth.login("wine@test.fr")
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Coffret de Noël" in page and "Foie gras secret" not in page
    assert counts_in(page) == {"participants": "4", "entries": "3"}
    auth.logout()
    auth.login("duck@test.fr")
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Foie gras secret" in page and "Coffret de Noël" not in page


def test_contest_page_counts(client, auth, contest):
    auth.login("wine@test.fr")
    response = client.get("/dashboard/contests/coffret-noel")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert counts_in(page) == {"comments": "5", "participants": "4", "entries": "3",
                               "excluded": "2", "chart-comments": "5", "chart-counted": "3"}
    reasons = dict(re.findall(r'data-reason="(\w+)">(\d+)<', page))
    assert reasons == {"early": "1", "duplicate_account": "1"}
    assert "https://www.instagram.com/p/Cabc123XYZ/" in page  # post URLs are fine
    assert "/dashboard/contests/coffret-noel/chart.svg" in page
    assert "/c/coffret-noel" not in page  # no certificate before the draw


def test_chart_is_an_svg_with_the_totals_and_grows(client, auth, contest):
    auth.login("wine@test.fr")
    response = client.get("/dashboard/contests/coffret-noel/chart.svg")
    svg = response.get_data(as_text=True)
    assert response.mimetype == "image/svg+xml"
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "<script" not in svg
    assert "Commentaires (5 au total) et participations retenues (3 au total)" in svg
    assert "<desc>" in svg
    import_rows(contest, MORE, "more.csv")
    svg = client.get("/dashboard/contests/coffret-noel/chart.svg").get_data(as_text=True)
    assert "Commentaires (7 au total) et participations retenues (5 au total)" in svg


def test_timeline_of_a_ten_day_contest_is_per_day(app, contest):
    from giveaway.dashboard.charts import timeline
    line = timeline(contest)
    assert not line.hourly and not any(b.hourly for b in line.buckets)

    def bucket(minutes):
        moment = contest.opens_at + timedelta(minutes=minutes)
        return next(b for b in line.buckets if b.start <= moment < b.end)

    first = bucket(10)
    assert bucket(20) is first
    # the 70th minute is on the next Paris day when the contest opened at 23:00
    assert (first.comments, first.counted) == ((3, 2) if bucket(70) is first else (2, 1))
    assert line.before == [1, 0] and line.after == [0, 0]
    assert (bucket(3 * 24 * 60).comments, bucket(3 * 24 * 60).counted) == (1, 1)
    assert (line.comments, line.counted) == (5, 3)


def test_csv_export_of_counts(client, auth, contest, other):
    auth.login("wine@test.fr")
    response = client.get("/dashboard/export.csv")
    assert response.mimetype == "text/csv"
    assert "vins-du-gers-counts.csv" in response.headers["Content-Disposition"]
    header, *lines = csv.reader(io.StringIO(response.get_data(as_text=True)))
    assert header[:3] == ["Jeu-concours", "Identifiant public", "État"]  # words, in French
    rows = [dict(zip([key for key, _heading in EXPORT_COLUMNS], line)) for line in lines]
    assert [(r["public_id"], r["comments"], r["participants"], r["counted_entries"],
             r["excluded"]) for r in rows] == [("coffret-noel", "5", "4", "3", "2")]
    assert rows[0]["status"] == "ouvert"  # the state in words, never its code
    assert rows[0]["opens_at"].endswith(("+01:00", "+02:00"))  # Paris time
    client.post("/language/en")
    english = client.get("/dashboard/export.csv").get_data(as_text=True)
    assert english.startswith("Contest,Public id,State,") and ",open," in english


def test_no_personal_data_in_any_partner_response(client, auth, contest):
    import_rows(contest, MORE, "more.csv")
    auth.login("wine@test.fr")
    paths = ["/dashboard/", "/dashboard/contests/coffret-noel",
             "/dashboard/contests/coffret-noel/chart.svg", "/dashboard/export.csv"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        leaked = [secret for secret in SECRETS if secret in body]
        assert leaked == [], (path, leaked)


def test_partner_cannot_write(app, client, auth, contest):
    auth.login("wine@test.fr")
    app.config["WTF_CSRF_ENABLED"] = True  # refused before the CSRF check, logout still checked
    assert client.post("/contests/new", data={}).status_code == 403
    assert client.post("/logout").status_code == 400
    app.config["WTF_CSRF_ENABLED"] = False
    for path in ["/dashboard/", "/dashboard/contests/coffret-noel", "/contests/new",
                 "/partners/new", "/contests/coffret-noel/entries/evaluate",
                 "/dashboard/users/1/invite", "/login"]:
        assert client.post(path, data={}).status_code == 403, path
    assert client.put("/dashboard/").status_code == 403
    assert client.delete("/dashboard/contests/coffret-noel").status_code == 403
    assert client.head("/dashboard/").status_code == 200
    assert client.post("/language/en").status_code == 302
    assert client.post("/logout").status_code == 302
    assert client.get("/dashboard/").status_code == 302  # logged out now


def test_other_partners_contest_is_not_found(client, auth, contest, other):
    auth.login("wine@test.fr")
    for path in ["/dashboard/contests/foie-gras", "/dashboard/contests/foie-gras/chart.svg",
                 "/dashboard/contests/no-such-contest", f"/dashboard/contests/{other.id}"]:
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("path", ["/dashboard/partners/vins-du-gers/",
                                  "/dashboard/partners/canard-gascon/",
                                  "/dashboard/partners/nobody/export.csv",
                                  "/dashboard/partners/canard-gascon/contests/foie-gras",
                                  "/dashboard/partners/vins-du-gers/users",
                                  "/partners/", "/admin/users", "/contests/coffret-noel",
                                  "/contests/coffret-noel/entries"])
def test_partner_cannot_reach_staff_pages(client, auth, contest, other, path):
    auth.login("wine@test.fr")
    assert client.get(path).status_code == 403


def test_staff_views_as_partner(client, auth, contest, other):
    auth.login()
    index = client.get("/dashboard/").get_data(as_text=True)
    assert "/dashboard/partners/vins-du-gers/" in index
    assert "/dashboard/partners/canard-gascon/" in index
    page = client.get("/dashboard/partners/vins-du-gers/").get_data(as_text=True)
    assert "Coffret de Noël" in page and "Foie gras secret" not in page
    assert "/dashboard/partners/vins-du-gers/contests/coffret-noel" in page
    page = client.get("/dashboard/partners/vins-du-gers/contests/coffret-noel").get_data(
        as_text=True)
    assert counts_in(page)["entries"] == "3"
    assert "/dashboard/partners/vins-du-gers/contests/coffret-noel/chart.svg" in page
    assert client.get("/dashboard/partners/canard-gascon/contests/coffret-noel").status_code == 404
    assert client.get("/dashboard/contests/coffret-noel").status_code == 404
    assert client.get("/dashboard/partners/nobody/").status_code == 404
    csv_text = client.get("/dashboard/partners/vins-du-gers/export.csv").get_data(as_text=True)
    assert "coffret-noel" in csv_text and "foie-gras" not in csv_text


def test_certificate_link_after_the_draw(client, auth, contest):
    db.session.execute(sa.update(Contest).where(Contest.id == contest.id).values(status="drawn"))
    db.session.commit()
    auth.login("wine@test.fr")
    assert 'href="/c/coffret-noel"' in client.get("/dashboard/contests/coffret-noel").get_data(
        as_text=True)


def _invite_token(client, user_id: int) -> str:
    page = client.post(f"/dashboard/users/{user_id}/invite").get_data(as_text=True)
    return re.search(r'value="http://localhost/dashboard/invite/([^"]+)"', page).group(1)


def test_invite_link_sets_a_password_once(client, auth, app):
    wine = db.session.scalar(sa.select(User).where(User.email == "wine@test.fr"))
    auth.login()
    users_page = client.get("/dashboard/partners/vins-du-gers/users").get_data(as_text=True)
    assert "wine@test.fr" in users_page and "duck@test.fr" not in users_page
    token = _invite_token(client, wine.id)
    auth.logout()
    client.post("/language/en")
    assert "wine@test.fr" in client.get(f"/dashboard/invite/{token}").get_data(as_text=True)
    short = client.post(f"/dashboard/invite/{token}",
                        data={"password": "short", "confirm": "short"})
    assert short.status_code == 200 and b"at least 10" in short.data
    new = "a brand new password"
    done = client.post(f"/dashboard/invite/{token}", data={"password": new, "confirm": new})
    assert done.status_code == 302 and done.headers["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200  # logged in
    auth.logout()
    again = client.post(f"/dashboard/invite/{token}", data={"password": "another password 2",
                                                             "confirm": "another password 2"})
    assert again.status_code == 400 and "déjà été utilisé".encode() in again.data
    assert auth.login("wine@test.fr", "another password 2").status_code == 200  # refused
    assert auth.login("wine@test.fr", new).status_code == 302
    actions = list(db.session.scalars(sa.select(AuditRecord.action).order_by(AuditRecord.seq)))
    assert actions[-2:] == ["user.invite", "user.invite_accepted"]


def test_invite_refuses_forged_expired_and_staff_tokens(client, auth, app, monkeypatch):
    staff = db.session.scalar(sa.select(User).where(User.email == "staff@test.fr"))
    wine = db.session.scalar(sa.select(User).where(User.email == "wine@test.fr"))
    assert client.get("/dashboard/invite/not-a-token").status_code == 400
    with pytest.raises(invites.InvalidInvite):
        invites.create_invite(staff, "test")
    token = invites.create_invite(wine, "test")
    monkeypatch.setattr(invites, "MAX_AGE_SECONDS", -1)
    response = client.get(f"/dashboard/invite/{token}")
    assert response.status_code == 400 and "a expiré".encode() in response.data
    monkeypatch.undo()
    auth.login("wine@test.fr")  # a logged-in partner cannot use a link
    assert client.post(f"/dashboard/invite/{token}", data={}).status_code == 403


@contextmanager
def count_queries():
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        if not statement.startswith("SET LOCAL statement_timeout"):  # a setting, not a query
            statements.append(statement)
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


def test_query_count_is_bounded(client, auth, contest):
    auth.login("wine@test.fr")
    with count_queries() as home_one:
        assert client.get("/dashboard/").status_code == 200
    with count_queries() as page_one:
        assert client.get("/dashboard/contests/coffret-noel").status_code == 200
    for n in range(4):
        extra = make_contest(f"extra-{n}", post_urls=[f"https://www.instagram.com/p/Cpost{n}A/",
                                                      f"https://www.instagram.com/p/Cpost{n}B/"])
        lifecycle.open_contest(extra, "test")
        import_rows(extra, [(f"x{n}-{i}", f"99{i}", f"h{i}", "t", i) for i in range(5)])
    with count_queries() as home_five:
        assert client.get("/dashboard/").status_code == 200
    with count_queries() as page_other:
        assert client.get("/dashboard/contests/extra-0").status_code == 200
    assert len(home_five) == len(home_one) <= 6
    assert len(page_other) == len(page_one) <= 10
    with count_queries() as export:
        client.get("/dashboard/export.csv")
    assert len(export) <= 6


@pytest.fixture
def live_server(app):
    """The app served over HTTP on a free local port, in a thread."""
    import threading

    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()
