"""Every page of the url_map, in French and in English, speaks words: no raw code, no English
left on a French page (nor French on an English one), no « field: » prefix in a message.

One realistic state — a draft contest, an open one with comments, and a contest that went
the whole way (rules, import, evaluation, a manual exclusion, close, freeze, draw, follow-up) —
then every GET route is rendered for the role that may see it (staff pages as an admin,
partner pages as a partner user, public pages anonymously), its path parameters filled from
that state. A few invalid posts bring up the flashes. The text checked is what a person
reads: the page's text and its placeholders, titles and labels — never URLs, values of
hidden inputs, scripts or styles.
"""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from markupsafe import escape

from giveaway.auth import access
from giveaway.auth.guards import LOGIN_TIME_KEY
from giveaway.auth.models import User
from giveaway.contests import lifecycle
from giveaway.dashboard import invites
from giveaway.draws import followup, freeze, service as draws
from giveaway.draws.commitment import EUROMILLIONS_SOURCES, BeaconChoice
from giveaway.draws.forms import DEFAULT_SOURCES_TEXT
from giveaway.eligibility import blocklist, decisions, rules_doc
from giveaway.extensions import db
from giveaway.harvest.imports import import_comments
from giveaway.harvest.models import Comment, HarvestRun
from conftest import PASSWORD, after_beacon, make_contest
from i18n_check import Page, catalogue_fragments, problems_of

DECLARED = [[3, 17, 22, 40, 48], [2, 9]]  # EuroMillions: 5 numbers, 2 stars
TITLES = {"noel": "Coffret de Noël", "ouvert": "Panier gourmand", "brouillon": "Jeu d'été"}


# ---------------------------------------------------------------------------------------------
def comments_csv(contest) -> bytes:
    """Realistic comments: most count, the others each have one reason to be excluded."""
    start, end = contest.opens_at, contest.closes_at
    rows = [(f"9{i:03d}", str(1000 + i), f"participant_{i:02d}",
             f"Je participe #noel @ami_{i:02d} 🎄", start + timedelta(minutes=i + 1), "")
            for i in range(24)]
    rows += [
        ("9100", "2000", "sans_hashtag", "Je participe @ami_00", start + timedelta(minutes=2), ""),
        ("9101", "2001", "sans_mention", "Je participe #noel", start + timedelta(minutes=3), ""),
        ("9102", "2002", "reponse", "Bonne chance #noel @ami_01", start + timedelta(minutes=4),
         "9000"),
        ("9103", "1000", "participant_00", "Encore moi #noel @ami_02",
         start + timedelta(minutes=30), ""),
        ("9104", "2004", "trop_tot", "Déjà là #noel @ami_03", start - timedelta(minutes=5), ""),
        ("9105", "2005", "trop_tard", "Trop tard #noel @ami_04", end + timedelta(minutes=5), ""),
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id"])
    for row in rows:
        writer.writerow([*row[:4], row[4].isoformat(), row[5]])
    return out.getvalue().encode()


RULES = {"min_mentions": 1, "required_hashtags": ["noel"], "recent_winner_days": 30,
         "must_follow": "organiser", "staff_handles": ["cm_gers"]}


def build_state() -> dict:
    """Three contests of partner « vins-du-gers » (draft, open, drawn) and what the URLs name."""
    beacon = BeaconChoice(kind="rfc3797", description="EuroMillions, tirage suivant la clôture")
    make_contest(public_id="brouillon", title=TITLES["brouillon"])
    ouvert = make_contest(public_id="ouvert", title=TITLES["ouvert"])
    noel = make_contest(public_id="noel", title=TITLES["noel"], alternates=3, alcohol_prize=True)
    for contest in (ouvert, noel):
        rules_doc.set_rules(contest, RULES, "test")
        lifecycle.open_contest(contest, "test", beacon=beacon)
        import_comments(contest, io.BytesIO(comments_csv(contest)), "commentaires.csv", "test")
    db.session.add(HarvestRun(contest_id=ouvert.id, status="paused", started_by="staff@test.fr",
                              end_reason="login_required"))
    excluded = db.session.scalar(sa.select(Comment.id).filter_by(contest_id=noel.id,
                                                                 comment_id="9005"))
    decisions.decide(noel, excluded, "exclude", "Faux profil créé la veille.", "staff@test.fr")
    lifecycle.close_contest(noel, "test")
    freeze.freeze_contest(noel, "test")
    with after_beacon(noel):
        draws.run_draw(noel, "staff@test.fr", declared=DECLARED)
    people = followup.candidates(noel)
    followup.set_status(noel, people[0], "contacted", "", "staff@test.fr")
    followup.set_status(noel, people[0], "declined", "ne boit pas de vin", "staff@test.fr")
    followup.set_status(noel, people[1], "contacted", "", "staff@test.fr")
    blocklist.block("@spam_bot", "faux comptes en série", "admin@test.fr")
    partner_user = db.session.scalar(sa.select(User).filter_by(email="wine@test.fr"))
    db.session.commit()
    comment_of = {c.public_id: db.session.scalar(sa.select(Comment.id).filter_by(
        contest_id=c.id, comment_id="9100")) for c in (ouvert, noel)}
    comment_of["noel"] = excluded
    return {"contests": ["brouillon", "ouvert", "noel"], "comment_of": comment_of,
            "slug": "vins-du-gers", "user_id": partner_user.id,
            "token": invites.create_invite(partner_user, "test"),
            "candidates": [p.id for p in people]}


def user_text() -> list[str]:
    """What staff typed (titles, names, notes…) and the declared names of the lottery values:
    data, that may be French on an English page."""
    return [*TITLES.values(), "Vins du Gers", "Canard gascon", "Un coffret", "Règlement",
            "Un gagnant.", "Faux profil créé la veille.", "faux comptes en série",
            "ne boit pas de vin", "EuroMillions, tirage suivant la clôture", "Je participe",
            "Bonne chance", "Encore moi", "Déjà là", "Trop tard",
            # the names of the declared lottery values: sealed in the declaration as typed
            *(name for name, _count in EUROMILLIONS_SOURCES), *DEFAULT_SOURCES_TEXT.splitlines()]


# ---------------------------------------------------------------------------------------------
def login(app, email: str | None, lang: str):
    client = app.test_client()
    if email:
        assert client.post("/login", data={"email": email, "password": PASSWORD}
                           ).status_code == 302
    if lang == "en":
        client.post("/language/en")
    return client


def pages(app, state: dict) -> list[tuple[str, str]]:
    """(who, URL) for every GET route, each path parameter filled from the state."""
    out = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in access.OTHER_ENDPOINTS:
                continue
            needed = rule.arguments - set(rule.defaults or ())
            declared = access.rule_for(rule.endpoint)
            if declared == access.PUBLIC:
                who = ["admin"] if rule.endpoint == "auth.reauthenticate" else [None]
            elif declared == access.LOGIN and "slug" not in needed:
                who = ["wine@test.fr", "admin"]
            else:
                who = ["admin"]
            if rule.endpoint == "dashboard.invite":
                who = [None]
            contests = state["contests"] if "public_id" in needed else [None]
            for public_id in contests:
                values = {"public_id": public_id, "slug": state["slug"],
                          "user_id": state["user_id"], "token": state["token"],
                          "comment_pk": state["comment_of"].get(public_id)}
                if "comment_pk" in needed and values["comment_pk"] is None:
                    continue
                url = app.url_for(rule.endpoint, **{k: values[k] for k in needed})
                out += [(person, url) for person in who]
    return out


EMAILS = {"admin": "admin@test.fr"}


def render_everything(app, state, lang: str) -> list[tuple[str, str]]:
    """(label, HTML) of every page in ``lang``, then of the pages a few invalid posts lead to."""
    clients = {}
    rendered = []
    for who, url in pages(app, state):
        email = EMAILS.get(who, who)
        if email not in clients:
            clients[email] = login(app, email, lang)
        try:
            response = clients[email].get(url, follow_redirects=True)
        except Exception as exc:  # TESTING propagates: a crash is a 500, reported with the rest
            rendered.append((f"GET {url}", f"<p>500 {type(exc).__name__}: {exc}</p>"))
            continue
        if response.mimetype == "text/html":
            rendered.append((f"GET {url} as {who or 'visitor'}", response.get_data(as_text=True)))
        elif response.mimetype == "text/csv" and url.startswith("/dashboard/"):  # for partners
            rendered.append((f"GET {url} as {who}", "<p>{}</p>".format(
                escape(response.get_data(as_text=True).replace(",", " , ")))))
    admin = clients["admin@test.fr"]
    alternate = state["candidates"][1]
    entry = f"/contests/noel/entries/{state['comment_of']['noel']}"
    winners = "/contests/noel/winners"
    posts = [  # (URL, form, the page it shows): each must bring up a message that page lacks
        (f"{winners}/{alternate}", {"status": "claimed"}, winners),  # alcohol: 18+ unchecked
        (f"{winners}/{alternate}", {"status": "declined", "reason": ""}, winners),
        (f"{winners}/{alternate}", {"status": "no_such_status"}, winners),
        ("/contests/brouillon/eligibility", {"counting": "per_account", "min_mentions": "0",
                                             "recent_winner_days": "0", "must_follow": "none",
                                             "required_hashtags": "#pas-un-hashtag!",
                                             "staff_handles": "pas un compte"}, None),
        ("/contests/ouvert/import", {"file": (io.BytesIO(
            b"comment_id,user_id,username,text,created_at,parent_id\n"
            b"1,2,bob,Salut,2026-13-01,\n"), "commentaires.csv")}, None),
        (entry, {"decision": "include", "justification": "Finalement, ce compte est réel."},
         None),
        ("/admin/blocklist", {"value": "pas un compte !", "reason": "x"}, None),
    ]
    for url, data, shown in posts:
        before = set(Page(admin.get(shown or url).get_data(as_text=True), lang).messages)
        try:
            response = admin.post(url, data=data, follow_redirects=True,
                                  content_type="multipart/form-data")
        except Exception as exc:
            rendered.append((f"POST {url}", f"<p>500 {type(exc).__name__}: {exc}</p>"))
            continue
        html = response.get_data(as_text=True)
        if not set(Page(html, lang).messages) - before:
            html += "<p>500 nothing tells the user what was refused</p>"  # reported as a problem
        rendered.append((f"POST {url} {sorted(data)}", html))
    stale = login(app, "admin@test.fr", lang)  # the password asked again before the draw
    with stale.session_transaction() as session:
        session[LOGIN_TIME_KEY] -= app.config["FRESH_LOGIN_SECONDS"] + 1
    prompts = [("GET /contests/ouvert/draw with an old login", stale.get(
        "/contests/ouvert/draw", follow_redirects=True).get_data(as_text=True)),
        ("GET /contests/new logged out", app.test_client().get(
            "/contests/new", follow_redirects=True,
            headers={"Accept-Language": lang}).get_data(as_text=True))]
    for label, html in prompts:  # Flask-Login's prompts, flashed on the page it leads to
        assert Page(html, lang).messages, label
    return rendered + prompts


@pytest.fixture
def state(app):
    return build_state()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_speaks_the_visitors_language(app, state, lang):
    fragments = catalogue_fragments()
    rendered = render_everything(app, state, lang)
    assert len(rendered) > 60  # every page was reached, not a login page over and over
    found = []
    for label, html in rendered:
        found += problems_of(label, lang, html, fragments, user_text())
    assert not found, f"{len(found)} problems:\n" + "\n".join(found)


def test_the_checks_catch_what_they_look_for(app):
    """The detector itself: a page with a code, English and a prefixed flash fails."""
    fragments = catalogue_fragments()
    bad = ("<title>x</title><div class='alert alert-danger'>age_confirmed: Confirmez l'âge."
           "</div><p>Motif : too_few_mentions · drawn</p><p>Eligibility rules saved.</p>"
           "<script>var s = 'exclude';</script>"
           "<input type='hidden' name='decision' value='exclude'><a href='/c/drawn'>lien</a>")
    found = problems_of("test", "fr", bad, fragments, [])
    assert any("too_few_mentions" in line for line in found)
    assert any("« drawn »" in line for line in found)
    assert any("English text" in line for line in found)
    assert any("field-name prefix" in line for line in found)
    assert not any("exclude" in line for line in found)  # scripts, hidden values: not read
    assert problems_of("test", "fr", "<p>La clé <code>no_answer</code> du JSON</p>", fragments,
                       []) == []
    assert problems_of("test", "fr", "<p>Motif : trop peu de mentions · tiré au sort</p>"
                                     "<div class='alert'>Confirmez l'âge.</div>", fragments,
                       []) == []
    assert problems_of("test", "fr", "<p>1 exclusions manuelles</p>", fragments, [])
    assert problems_of("test", "fr", "<p>21 exclusions manuelles, 1 exclusion ; 5 et 1 valeurs</p>",
                       fragments, []) == []
    english_page = "<p>Counted entries: 1,956 — les participations retenues</p>"
    assert problems_of("test", "en", english_page, fragments, [])
    assert problems_of("test", "en", "<p>closed · drawn · staff@test.fr</p>", fragments, []) == []
    english_part = ("<html lang='fr'><p>Le protocole :</p><article lang='en'>A no_answer is "
                    "<code>no_answer</code>; yes or no.</article></html>")
    assert [line for line in problems_of("test", "fr", english_part, fragments, [])
            if "no_answer" in line] and not [
        line for line in problems_of("test", "fr", english_part, fragments, [])
        if "« yes »" in line]  # an English part: English words are fine, codes still are not
    assert problems_of("test", "en", "<html lang='fr'><p>Counted</p></html>", fragments, [])
