"""Hostile input is refused whole, at the door, with a French message naming the line or field.

Property: whatever a comment file holds, either it is refused and nothing is
stored, or the contest can still be evaluated, closed, frozen and drawn.
"""
import csv
import io
import json
import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from giveaway.contests import lifecycle
from giveaway.draws import freeze, service
from giveaway.draws.commitment import BeaconChoice
from giveaway.draws.models import Draw
from giveaway.eligibility.service import evaluate_contest
from giveaway.errors import Conflict, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment, ImportFile
from conftest import after_beacon, make_contest

HEADER = ["comment_id", "user_id", "username", "text", "created_at", "parent_id", "network"]
DECLARED = [[3, 17, 22, 40, 48], [2, 9]]


def declared_contest(public_id="hostile"):
    contest = make_contest(public_id=public_id)
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="EuroMillions du vendredi suivant la clôture"))
    return contest


def csv_file(*rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def good_rows(contest, count=3):
    return [[f"9{i}", str(100 + i), f"participant_{i}", "Je participe",
             (contest.opens_at + timedelta(minutes=i + 1)).isoformat(), "", ""]
            for i in range(count)]


def stored() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Comment))


def imports() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ImportFile))


def refused(contest, body: bytes, filename="c.csv") -> str:
    """The French message of a refused file; asserts nothing of it was stored."""
    before = stored(), imports()
    with pytest.raises(ValidationFailed) as info:
        import_comments(contest, io.BytesIO(body), filename, "test")
    assert (stored(), imports()) == before
    return info.value.errors["file"]


def freeze_and_draw(contest) -> Draw:
    """Evaluate, close, freeze and draw; every step must succeed."""
    evaluate_contest(contest, "test")
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")
    with after_beacon(contest):
        return service.run_draw(contest, "test", declared=DECLARED)


# -- the finding: one user id with "/" made a contest impossible to evaluate, freeze or draw --

def test_a_user_id_with_a_slash_refuses_the_file_and_the_contest_can_still_be_drawn(app):
    contest = declared_contest()
    rows = good_rows(contest)
    rows.insert(1, ["77", "a/b", "mallory", "Je participe",
                    (contest.opens_at + timedelta(minutes=5)).isoformat(), "", ""])
    message = refused(contest, csv_file(*rows))
    assert message == ("Le fichier n'a pas été importé (ligne 3 : l'identifiant du compte "
                       "« a/b » contient un caractère interdit (/)).")
    import_comments(contest, io.BytesIO(csv_file(*good_rows(contest))), "c.csv", "test")
    assert freeze_and_draw(contest).result["winners"]


@pytest.mark.parametrize("column, value, words", [
    (1, "tiktok:42", "l'identifiant du compte « tiktok:42 » contient un caractère interdit (:)"),
    (0, "a b", "l'identifiant du commentaire « a b » contient un caractère interdit (U+0020)"),
    (1, "x\u200by", "l'identifiant du compte « xU+200By » contient un caractère interdit "
                    "(U+200B)"),
    (1, "9" * 65, "l'identifiant du compte est trop long (64 caractères au plus)"),
    (0, "c" * 65, "l'identifiant du commentaire est trop long (64 caractères au plus)"),
    (2, "m" * 65, "le nom du compte est trop long (64 caractères au plus)"),
    (2, "bad\tname", "le nom du compte contient un caractère de contrôle (U+0009)"),
    (3, "x" * 10_001, "le texte du commentaire est trop long (10000 caractères au plus)"),
    (5, "p/1", "l'identifiant du commentaire auquel il répond « p/1 » contient un caractère "
               "interdit (/)"),
    (6, "1ab", "le réseau « 1ab » n'est pas un code de réseau"),
    (6, "n" * 17, "le réseau « nnnnnnnnnnnnnnnnn » n'est pas un code de réseau"),
    (4, "9999-12-31T00:00:00+00:00", "la date du commentaire « 9999-12-31T00:00:00+00:00 » "
                                     "n'est pas entre 2010 et 2100"),
    (4, "2030-01-01T00:00:00", "la date du commentaire « 2030-01-01T00:00:00 » n'a pas de "
                               "fuseau horaire"),
])
def test_each_bad_field_is_named_in_words_with_its_line(app, column, value, words):
    contest = declared_contest()
    rows = good_rows(contest)
    rows[2][column] = value
    message = refused(contest, csv_file(*rows))
    assert "ligne 4 : " + words in message, message
    assert "user_id" not in message and "comment_id" not in message


def test_the_engine_and_the_import_share_one_id_rule():
    from giveaway.core.eligibility import account_key, id_problem
    from giveaway.sources.fields import FieldError, required_id
    for value in ("a/b", "a:b", "a b", "a\x00b", "\ud800", "x" * 65, "\u0301" * 3 + "e\u200e",
                  "ok", "123", "fb_1-2.x", "é" * 64):
        engine_ok = import_ok = True
        try:
            account_key("ig", value)
        except ValueError:
            engine_ok = False
        try:
            required_id(value, "user_id")
        except FieldError:
            import_ok = False
        assert engine_ok == import_ok == (id_problem(value) is None), value


def test_nul_and_lone_surrogates_refuse_a_json_file(app):
    contest = declared_contest()
    for text, words in (("t\\u0000", "le texte du commentaire contient un caractère nul"),
                        ("t\\ud800", "le texte du commentaire contient un caractère invalide "
                                     "(U+D800")):
        body = ('[\n{"pk": 1, "text": "ok", "created_at_utc": 1893456000, "user": {"pk": 2}},\n'
                '{"pk": 2, "text": "%s", "created_at_utc": 1893456000, "user": {"pk": 3}}]'
                % text)
        assert "ligne 3 : " + words in refused(contest, body.encode(), "c.json")
    username = ('[{"pk": 1, "text": "ok", "created_at_utc": 1893456000, '
                '"user": {"pk": 2, "username": "a\\udc80"}}]')
    assert "ligne 1 : le nom du compte contient un caractère invalide" in refused(
        contest, username.encode(), "c.json")


def test_deep_or_huge_json_is_refused_with_its_line(app):
    contest = declared_contest()
    item = '{"pk": 1, "text": "t", "created_at_utc": 1893456000, "user": {"pk": 2}}'
    deep = "[\n" + item + ',\n{"pk": 2, "x": ' + "[" * 100_000 + "]" * 100_000 + "}]"
    assert "ligne 3 : le commentaire imbrique des objets ou des listes sur plus de 6 niveaux" in \
        refused(contest, deep.encode(), "c.json")
    nested = "[\n" + item + ',\n{"pk": 2, "x": ' + "[" * 10 + "]" * 10 + "}]"
    assert "ligne 3 : le commentaire imbrique" in refused(contest, nested.encode(), "c.json")
    number = "[\n" + item + ',\n{"pk": ' + "7" * 5000 + "}]"
    assert "ligne 3 : un nombre est trop long" in refused(contest, number.encode(), "c.json")
    big_pk = "[\n" + item + ',\n{"pk": 1' + "0" * 100 + ', "text": "t", ' \
        '"created_at_utc": 1893456000, "user": {"pk": 2}}]'
    assert "ligne 3 : l'identifiant du commentaire est trop long" in refused(
        contest, big_pk.encode(), "c.json")
    huge = "[\n" + item + ',\n{"pk": 2, "text": "' + "x" * (2 << 20) + '"}]'
    assert "ligne 3 : le commentaire dépasse 1 Mio" in refused(contest, huge.encode(), "c.json")
    line = b"comment_id,user_id,username,text,created_at,parent_id\n" + b"x" * (3 << 20)
    assert "ligne 2 : la ligne dépasse 1 Mio" in refused(contest, line)


def test_one_comment_id_on_two_networks_refuses_the_file(app):
    contest = declared_contest()
    rows = good_rows(contest)
    rows[1][0] = rows[0][0]
    rows[1][6] = "facebook"
    assert "ligne 3 : l'identifiant de commentaire « 90 » est déjà utilisé" in refused(
        contest, csv_file(*rows))


# -- comments from Instagram pass the same checks: an invalid one is left out and counted --

@pytest.fixture
def instagram(app):
    from fake_instagram import FakeInstagram, fixture_settings
    from giveaway.harvest import ig_session
    with FakeInstagram() as server:
        app.config["IG_API_BASE"] = server.base_url
        app.config["IG_TIMEOUT"] = 2.0
        ig_session.save_settings("gers_tourisme", fixture_settings(), "test")
        yield server


def test_an_invalid_instagram_comment_is_left_out_and_counted_in_the_run(app, instagram):
    from giveaway.harvest import service as harvest
    from giveaway.harvest.models import HarvestRun
    from giveaway.db_types import utcnow
    post = instagram.post(30, seed=4, page_size=10,
                          taken_at=int((utcnow() - timedelta(minutes=50)).timestamp()))
    contest = make_contest(public_id="insta", post_urls=[post.url])
    lifecycle.open_contest(contest, "test", beacon=BeaconChoice(
        kind="rfc3797", description="EuroMillions du vendredi suivant la clôture"))
    post.comments[3]["user"] = dict(post.comments[3]["user"], pk="a/b")
    post.comments[5]["text"] = "nul\x00"
    post.comments[12]["user"] = dict(post.comments[12]["user"], username="u" * 80)
    post.comments[20]["pk"] = "x:1"
    bad = {str(post.comments[i]["pk"]) for i in (3, 5, 12, 20)}
    harvest.start_harvest(contest, "test")
    db.session.expire_all()
    run = db.session.scalar(sa.select(HarvestRun).order_by(HarvestRun.id.desc()).limit(1))
    assert run.status == "complete" and run.comments_new == 26
    assert "skipped 4 invalid comment(s), not stored: comment_id:forbidden_char x1, " \
           "text:nul x1, user_id:forbidden_char x1, username:too_long x1" in run.errors
    ids = set(db.session.scalars(sa.select(Comment.comment_id)))
    assert not ids & bad and len(ids) == 26
    assert freeze_and_draw(contest).result["winners"]


# -- contests and partners: dates bounded, lengths checked, NUL refused, on the right field --

CONTEST_FORM = {
    "title": "Gagnez un panier gascon", "public_id": "", "partner_slugs": ["vins-du-gers"],
    "organiser_handle": "gers_tourisme", "post_urls": "https://www.instagram.com/p/Cabc123XYZ/",
    "opens_at": "2030-04-02T10:00", "closes_at": "2030-04-09T23:59",
    "prize_description": "Un panier", "winners": "1", "alternates": "1", "rules_text": "",
}


def contests() -> int:
    from giveaway.contests.models import Contest
    return db.session.scalar(sa.select(sa.func.count()).select_from(Contest))


@pytest.mark.parametrize("change, words", [
    ({"closes_at": "9999-12-31T23:59"}, "Choisissez une date entre les années 2000 et 2099."),
    ({"opens_at": "0001-01-01T00:00"}, "Choisissez une date entre les années 2000 et 2099."),
    ({"closes_at": "2033-04-09T23:59"}, "Un jeu dure au plus deux ans"),
    ({"title": "Un\ttitre"}, "Ce texte contient un caractère de contrôle (U+0009"),
])
def test_a_bad_contest_date_or_text_is_refused_on_its_field(client, auth, change, words):
    auth.login()
    response = client.post("/contests/new", data={**CONTEST_FORM, **change})
    page = response.data.decode()
    assert response.status_code == 200 and words in page, page[-3000:]
    assert contests() == 0
    assert client.get("/").status_code == 200


def test_the_service_refuses_a_year_9999_close_whatever_calls_it(app, client, auth):
    from datetime import datetime, timezone
    with pytest.raises(ValidationFailed) as info:
        make_contest(closes_at=datetime(9999, 12, 31, tzinfo=timezone.utc))
    assert info.value.errors == {
        "closes_at": "Choisissez une date entre les années 2000 et 2099."}
    assert contests() == 0
    auth.login("wine@test.fr")
    assert client.get("/", follow_redirects=True).status_code == 200


def test_rules_and_partner_texts_the_database_cannot_store_are_refused(app):
    from giveaway.contests.service import add_rules_version
    from giveaway.partners.service import PartnerData, create_partner, get_partner
    from giveaway.errors import NotFound
    contest = make_contest()
    with pytest.raises(ValidationFailed) as info:
        add_rules_version(contest, "Règlement\x00", "test")
    assert info.value.errors == {
        "text": "Ce texte contient un caractère nul (U+0000), qui ne peut pas être enregistré."}
    with pytest.raises(ValidationFailed) as info:
        create_partner(PartnerData(slug="ferme", name="Ferme", contact="c" * 301,
                                   description="\ud800"), "test")
    assert info.value.errors == {
        "contact": "300 caractères au plus (ce texte en a 301).",
        "description": "Ce texte contient un caractère invalide (U+D800)."}
    for slug in ("x" * 65, "a\x00b"):
        with pytest.raises(NotFound):
            get_partner(slug)


# -- query parameters and forms: never a 500 --

@pytest.fixture
def evaluated(app):
    contest = declared_contest()
    import_comments(contest, io.BytesIO(csv_file(*good_rows(contest, 60))), "c.csv", "test")
    return contest


def test_nul_bytes_in_filters_lookup_and_paths_get_a_clear_400(client, auth, evaluated):
    for url in ("/contests/hostile/entries?q=a%00b", "/contests/hostile/entries?reason=%00",
                "/contests/hostile/entries.csv?flag=%00", "/c/host%00ile"):
        auth.login()
        response = client.get(url)
        assert response.status_code == 400, url
        assert "caractère nul (U+0000)" in response.data.decode()
    auth.logout()
    response = client.post("/c/hostile", data={"handle": "participant_1\x00"})
    assert response.status_code == 400 and "caractère nul" in response.data.decode()
    from giveaway.public.lookup import am_i_counted
    assert not am_i_counted(evaluated, "participant_1\x00").found
    assert not am_i_counted(evaluated, "p" * 200).found


def test_huge_page_gives_the_last_page_and_huge_ids_a_404(client, auth, evaluated):
    auth.login()
    for page in ("99999999999999999999999999", "-5", "abc", "3", str(2 ** 63)):
        response = client.get(f"/contests/hostile/entries?page={page}")
        assert response.status_code == 200, page
    last = client.get("/contests/hostile/entries?page=99999999999999999999999999").data.decode()
    assert "Page 2" in last and "participant_59" in last
    assert client.get("/contests/hostile/entries?page=-5").data.decode().count("Page 1") == 1
    assert client.get(f"/contests/hostile/entries/{10 ** 30}").status_code == 404
    auth.logout()
    auth.login("admin@test.fr")
    assert client.post(f"/admin/blocklist/{10 ** 30}/remove").status_code == 404
    assert client.get(f"/admin/users/{10 ** 30}").status_code == 404
    odd = client.get("/contests/hostile/entries?verdict=" + "x" * 5000 + "&flag=burst:"
                     + "y" * 300 + "&reason=" + "z" * 100)
    assert odd.status_code == 200


def test_a_draw_form_without_values_or_with_garbage_says_what_to_type(client, auth, app):
    contest = declared_contest()
    import_comments(contest, io.BytesIO(csv_file(*good_rows(contest))), "c.csv", "test")
    lifecycle.close_contest(contest, "test")
    freeze.freeze_contest(contest, "test")
    with after_beacon(contest):
        auth.login()
        for data in ({}, {"values": ""}, {"values": "/ / /"}, {"values": "§§ ¤"},
                     {"values": "1" * 499}):
            response = client.post("/contests/hostile/draw", data=data)
            assert response.status_code == 200, data
            page = response.data.decode()
            assert "Tapez les valeurs" in page or "source" in page, (data, page[-2000:])
        assert db.session.get(Draw, contest.id) is None
        assert client.post("/contests/hostile/draw",
                           data={"values": "3 17 22 40 48 / 2 9"}).status_code == 302


# -- logs: a database error never writes a commenter's handle or text --

def test_a_database_error_logs_neither_handle_nor_text(app, client, caplog, evaluated,
                                                       monkeypatch):
    import giveaway.public.views as public_views

    def failing_lookup(contest, handle):
        db.session.execute(sa.insert(Comment), [{
            "contest_id": contest.id, "network": "ig", "comment_id": "c1", "user_id": "u1",
            "username": "secret_handle_42", "text": "my secret comment text",
            "created_at": None}])  # NOT NULL: the database refuses the row, quoting it
        raise AssertionError("not reached")

    monkeypatch.setattr(public_views, "am_i_counted", failing_lookup)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.INFO):
        response = client.post("/c/hostile", data={"handle": "secret_handle_42"})
    assert response.status_code == 500
    assert caplog.records
    logged = caplog.text + "".join(logging.Formatter().format(r) for r in caplog.records)
    assert "IntegrityError" in logged and "INSERT INTO comment" in logged
    for secret in ("secret_handle_42", "my secret comment text"):
        assert secret not in logged


# -- the property: any file is refused whole, or the contest can be frozen and drawn --

NASTY = ["/", ":", "\x00", "\t", "\n", "\r", " ", "\u200b", "\u202e", "\ufeff", "é", "\u0301",
         "\ud800", "\udfff", "\U0001f600", ",", '"', "'", "\\", "@", "#", "="]
nasty_text = st.text(alphabet=st.one_of(st.sampled_from(NASTY), st.characters()), max_size=12)
huge = st.builds(lambda char, n: char * n, st.sampled_from(["9", "a", "é", "/", "\x00"]),
                 st.integers(60, 70) | st.integers(10_000, 10_010))
ident = st.one_of(st.integers(1, 40).map(str), st.integers(0, 10 ** 70).map(str), nasty_text,
                  huge, st.just(""))


def _moment(opens_at):
    inside = st.integers(1, 120).map(lambda m: (opens_at + timedelta(minutes=m)).isoformat())
    return st.one_of(
        inside, inside, inside,
        st.integers(1, 120).map(lambda m: str(int((opens_at + timedelta(minutes=m))
                                                  .timestamp()))),
        st.sampled_from(["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+05:00",
                         "2030-01-01T00:00:00", "1893456000000", "nan", "1e400", "", "-1",
                         "2024-02-30T00:00:00Z", "٢٠٢٤"]),
        nasty_text)


storable = st.characters(blacklist_categories=("Cs", "Cc"))
good_ident = st.one_of(st.integers(1, 40).map(str),
                       st.text(alphabet="abcdefXYZ0123456789_-.éß", min_size=1, max_size=12))
good_name = st.text(alphabet=storable, max_size=20)
good_text = st.text(alphabet=st.one_of(storable, st.sampled_from("\n\t\r")), max_size=80)


@st.composite
def comment_files(draw, opens_at):
    """A CSV or JSON file: mostly well-formed rows with any storable Unicode, some hostile."""
    hostile_file = draw(st.booleans())
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        row = [draw(good_ident), draw(good_ident), draw(good_name), draw(good_text),
               (opens_at + timedelta(minutes=draw(st.integers(-30, 200)))).isoformat(),
               draw(st.one_of(st.just(""), st.just(""), good_ident)),
               draw(st.sampled_from(["", "", "", "ig", "facebook", "tik-tok_2"]))]
        if hostile_file and draw(st.integers(0, 3)) == 0:
            column = draw(st.integers(0, 6))
            row[column] = draw(_moment(opens_at) if column == 4 else
                               st.sampled_from(["", "ig", "facebook", "1ab", "IG", "a" * 17])
                               if column == 6 else st.one_of(ident, nasty_text, huge))
        rows.append(row)
    if draw(st.booleans()):  # an exact repeat, or the same id with other content
        rows.append(list(draw(st.sampled_from(rows))))
        if draw(st.booleans()):
            rows[-1][3] += "!"
    kind = draw(st.sampled_from(["csv", "json"]))
    if kind == "csv":
        return "c.csv", csv_file(*rows)
    items = [{"pk": r[0], "text": r[3], "created_at_utc": r[4],
              "user": {"pk": r[1], "username": r[2]}, "parent_comment_id": r[5] or None,
              "network": r[6]} for r in rows]
    if hostile_file and draw(st.booleans()):
        item = draw(st.sampled_from(items))
        key = draw(st.sampled_from(["pk", "created_at_utc", "text", "user"]))
        item[key] = draw(st.one_of(st.integers(-5, 10 ** 70), st.floats(), st.none(),
                                   st.booleans(), st.just({"pk": [[1]]})))
    nesting = draw(st.integers(0, 9)) if hostile_file else 0
    if nesting:
        items[0]["extra"] = json.loads("[" * nesting + "]" * nesting)
    return "c.json", json.dumps(items, ensure_ascii=draw(st.booleans())).encode(
        "utf-8", "surrogatepass")


EXAMPLES = iter(range(10 ** 6))


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_any_file_is_refused_or_the_contest_can_be_frozen_and_drawn(app, data):
    contest = declared_contest(public_id=f"prop-{next(EXAMPLES)}")
    filename, body = data.draw(comment_files(contest.opens_at))
    of_contest = Comment.contest_id == contest.id
    try:
        import_comments(contest, io.BytesIO(body), filename, "test")
    except ValidationFailed as refusal:
        event("refused")
        message = refusal.errors["file"]
        assert message.startswith("Le fichier n'a pas été importé (")
        assert "_id" not in message.split("(", 1)[1][:30]  # words, not a column prefix
        assert db.session.scalar(sa.select(sa.func.count()).where(of_contest)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportFile).where(
            ImportFile.contest_id == contest.id)) == 0
        return
    evaluate_contest(contest, "test")
    lifecycle.close_contest(contest, "test")
    try:
        freeze.freeze_contest(contest, "test")
    except Conflict:  # refused only for want of a counted entry
        event("nothing counted")
        from giveaway.eligibility.models import Verdict
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(Verdict).where(
            Verdict.contest_id == contest.id, Verdict.counted.is_(True)))
        return
    with after_beacon(contest):
        drawn = service.run_draw(contest, "test", declared=DECLARED)
    assert drawn.result["winners"]
    event("drawn")


def test_cli_dates_and_rules_documents_out_of_range_are_refused(app, runner, tmp_path):
    make_contest(public_id="cli-bornes")
    far = runner.invoke(args=["contest", "open", "cli-bornes", "--draw-time", "0001-01-01T10:00"])
    assert far.exit_code == 2 and "2000" in far.output
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    nested = runner.invoke(args=["contest", "eligibility", "cli-bornes", str(deep)])
    assert nested.exit_code == 1 and "Traceback" not in nested.output


def test_deep_json_is_refused_even_when_the_recursion_limit_was_raised(app):
    """Some tools raise Python's recursion limit; the C JSON decoder would then recurse
    100,000 levels deep on the C stack and kill the process instead of refusing the file."""
    import sys
    contest = declared_contest()
    deep = '[\n{"pk": 2, "x": ' + "[" * 100_000 + "]" * 100_000 + "}]"
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(200_000)
    try:
        assert "ligne 2 : le commentaire imbrique" in refused(contest, deep.encode(), "c.json")
        assert sys.getrecursionlimit() == 200_000  # put back after the decoding
    finally:
        sys.setrecursionlimit(before)
