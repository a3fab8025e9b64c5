"""Deny by default: every route of ``app.url_map`` has an explicit expectation for each of
anonymous, partner A, partner B, staff and admin, and gets it.

A route added without a line in ``EXPECTED`` fails :func:`test_every_route_has_an_expectation`;
a blueprint added without ``declare_access`` cannot start, and would be denied to all.

Expectations, in the order of ``ROLES``: a status code; ``LOGIN`` (302 to the login page);
``OK`` for an action an allowed role may post (any answer below 500 that is neither the
login page nor 403: what the empty form then says is the view's business).
"""
import pytest
from flask import Blueprint

from giveaway.auth import access
from giveaway.dashboard import invites
from giveaway.draws.models import Candidate
from giveaway.eligibility import blocklist
from giveaway.extensions import db
from giveaway.harvest.models import Comment
from giveaway.auth.models import User
from conftest import PASSWORD
from test_draws import drawn_contest

ROLES = ("anonymous", "partner_a", "partner_b", "staff", "admin")
EMAILS = {"partner_a": "wine@test.fr", "partner_b": "duck@test.fr", "staff": "staff@test.fr",
          "admin": "admin@test.fr"}
LOGIN, OK = "login", "ok"

STAFF_PAGE = (LOGIN, 403, 403, 200, 200)
STAFF_ACTION = (LOGIN, 403, 403, OK, OK)
ADMIN_PAGE = (LOGIN, 403, 403, 403, 200)
ADMIN_ACTION = (LOGIN, 403, 403, 403, OK)
PUBLIC_PAGE = (200, 200, 200, 200, 200)

#: (endpoint, method) -> expected answer per role (ROLES order). URL values: ``values()``.
EXPECTED = {
    ("static", "GET"): PUBLIC_PAGE,
    ("bootstrap.static", "GET"): PUBLIC_PAGE,
    ("main.home", "GET"): (LOGIN, 302, 302, 200, 200),  # partners go to their dashboard
    ("help.guide", "GET"): STAFF_PAGE,  # the guide « Premier jeu-concours »
    # auth: public, except what needs an account
    ("auth.login", "GET"): (200, 302, 302, 302, 302),  # logged in: sent home
    ("auth.login", "POST"): (200, 403, 403, 302, 302),  # partners may not post but to log out
    ("auth.logout", "POST"): (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    ("auth.set_language", "POST"): (302, 302, 302, 302, 302),
    ("auth.reauthenticate", "GET"): (LOGIN, 200, 200, 200, 200),
    ("auth.reauthenticate", "POST"): (LOGIN, 403, 403, OK, OK),  # partners: read-only
    ("auth.change_password", "GET"): STAFF_PAGE,  # partners get a new password by invite
    ("auth.change_password", "POST"): STAFF_ACTION,
    # admin
    ("admin.users", "GET"): ADMIN_PAGE,
    ("admin.create_user", "GET"): ADMIN_PAGE,
    ("admin.create_user", "POST"): ADMIN_ACTION,
    ("admin.edit_user", "GET"): ADMIN_PAGE,
    ("admin.edit_user", "POST"): ADMIN_ACTION,
    ("eligibility.blocked", "GET"): ADMIN_PAGE,
    ("eligibility.blocked", "POST"): ADMIN_ACTION,
    ("eligibility.unblock", "POST"): ADMIN_ACTION,
    # staff
    ("partners.index", "GET"): STAFF_PAGE,
    ("partners.create", "GET"): STAFF_PAGE,
    ("partners.create", "POST"): STAFF_ACTION,
    ("partners.edit", "GET"): STAFF_PAGE,
    ("partners.edit", "POST"): STAFF_ACTION,
    ("contests.create", "GET"): STAFF_PAGE,
    ("contests.create", "POST"): STAFF_ACTION,
    ("contests.detail", "GET"): STAFF_PAGE,
    ("contests.edit", "GET"): STAFF_PAGE,
    ("contests.edit", "POST"): STAFF_ACTION,
    ("contests.rules", "GET"): STAFF_PAGE,
    ("contests.rules", "POST"): STAFF_ACTION,
    ("contests.open_", "GET"): STAFF_PAGE,
    ("contests.open_", "POST"): STAFF_ACTION,
    ("contests.close", "GET"): STAFF_PAGE,
    ("contests.close", "POST"): STAFF_ACTION,
    ("contests.archive", "GET"): STAFF_PAGE,
    ("contests.archive", "POST"): STAFF_ACTION,
    ("harvest.account", "GET"): STAFF_PAGE,
    ("harvest.account", "POST"): STAFF_ACTION,
    ("harvest.start", "POST"): STAFF_ACTION,
    ("harvest.resume", "POST"): STAFF_ACTION,
    ("harvest.import_file", "GET"): STAFF_PAGE,
    ("harvest.import_file", "POST"): STAFF_ACTION,
    ("harvest.progress", "GET"): STAFF_PAGE,  # JSON: a background import's progress
    ("eligibility.rules", "GET"): STAFF_PAGE,
    ("eligibility.rules", "POST"): STAFF_ACTION,
    ("eligibility.entries", "GET"): STAFF_PAGE,
    ("eligibility.export", "GET"): STAFF_PAGE,
    ("eligibility.evaluate", "POST"): STAFF_ACTION,
    ("eligibility.entry", "GET"): STAFF_PAGE,
    ("eligibility.entry", "POST"): STAFF_ACTION,
    ("draws.freeze_entries", "GET"): STAFF_PAGE,
    ("draws.freeze_entries", "POST"): STAFF_ACTION,
    ("draws.run", "GET"): STAFF_PAGE,
    ("draws.run", "POST"): STAFF_ACTION,
    ("draws.redeclare", "GET"): STAFF_PAGE,
    ("draws.redeclare", "POST"): STAFF_ACTION,
    ("draws.winners", "GET"): STAFF_PAGE,
    ("draws.set_status", "POST"): STAFF_ACTION,
    ("draws.record_follow", "POST"): STAFF_ACTION,
    ("draws.check_follows", "POST"): STAFF_ACTION,
    # the partners' dashboard: partner A's contest, seen by A and by staff (through its slug)
    ("dashboard.home", "GET"): (LOGIN, 200, 200, 200, 200),
    ("dashboard.home/slug", "GET"): (LOGIN, 403, 403, 200, 200),
    ("dashboard.contest", "GET"): (LOGIN, 200, 404, 404, 404),
    ("dashboard.contest/slug", "GET"): (LOGIN, 403, 403, 200, 200),
    ("dashboard.chart", "GET"): (LOGIN, 200, 404, 404, 404),
    ("dashboard.chart/slug", "GET"): (LOGIN, 403, 403, 200, 200),
    ("dashboard.export", "GET"): (LOGIN, 200, 200, 404, 404),
    ("dashboard.export/slug", "GET"): (LOGIN, 403, 403, 200, 200),
    ("dashboard.users/slug", "GET"): STAFF_PAGE,
    ("dashboard.create_invite", "POST"): STAFF_ACTION,
    ("dashboard.invite", "GET"): (200, 400, 400, 400, 400),  # logged in: not for you
    ("dashboard.invite", "POST"): (200, 403, 403, 400, 400),
    # public pages of a drawn contest
    ("public.page", "GET"): PUBLIC_PAGE,
    ("public.page", "POST"): (200, 403, 403, 200, 200),  # the « Suis-je compté ? » lookup
    ("public.certificate_json", "GET"): PUBLIC_PAGE,
    ("public.certificate_pdf_view", "GET"): PUBLIC_PAGE,
    ("public.certificate_timestamp", "GET"): (404, 404, 404, 404, 404),  # no TSA in tests
    ("public.declaration", "GET"): PUBLIC_PAGE,
    ("public.followup", "GET"): PUBLIC_PAGE,
    ("public.leaves", "GET"): PUBLIC_PAGE,
    ("public.key", "GET"): PUBLIC_PAGE,
    ("public.how_to_verify", "GET"): PUBLIC_PAGE,
    ("public.protocol", "GET"): PUBLIC_PAGE,
    ("public.verifier_wheel", "GET"): PUBLIC_PAGE,
}


def _key(rule) -> tuple[str, ...]:
    """The ``EXPECTED`` keys of one URL rule (the dashboard's staff URLs get ``/slug``)."""
    endpoint = rule.endpoint
    if endpoint.startswith("dashboard.") and "<slug>" in rule.rule:
        endpoint += "/slug"
    return tuple((endpoint, method) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))


def _seed() -> dict:
    """A drawn contest of partner A (vins-du-gers) and one of everything the URLs name."""
    contest = drawn_contest()
    partner_a = db.session.scalar(db.select(User).where(User.email == "wine@test.fr"))
    return {
        "public_id": contest.public_id, "slug": "vins-du-gers", "code": "fr",
        "user_id": partner_a.id,
        "candidate_id": db.session.scalar(db.select(Candidate.id).limit(1)),
        "comment_pk": db.session.scalar(db.select(Comment.id).limit(1)),
        "entry_id": blocklist.block("@someone_blocked", "test", "test").id,
        "run_id": 999,
        "token": invites.create_invite(partner_a, "test"),
        "filename": "css/app.css",
    }


def _url(app, rule, values: dict) -> str:
    if rule.endpoint == "bootstrap.static":
        values = {**values, "filename": "css/bootstrap.min.css"}
    names = rule.arguments - set(rule.defaults or ())  # so the rule itself is built
    with app.test_request_context():
        return app.url_for(rule.endpoint, **{name: values[name] for name in names})


def _answer(response) -> object:
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/login"):
        return LOGIN
    return response.status_code


def _matches(expected, response) -> bool:
    if expected == OK:
        return response.status_code < 500 and _answer(response) not in (LOGIN, 403)
    return _answer(response) == expected


def _walk(app, role: str, values: dict) -> list[str]:
    """Request every route as ``role``; GETs first, then POSTs, logout last (it ends the
    session). Returns a line per answer that differs from ``EXPECTED``."""
    client = app.test_client()
    if role != "anonymous":
        assert client.post("/login", data={"email": EMAILS[role],
                                           "password": PASSWORD}).status_code == 302
    column = ROLES.index(role)
    requests = []
    for rule in app.url_map.iter_rules():
        for key in _key(rule):
            requests.append((key[1] != "GET", key == ("auth.logout", "POST"), key, rule))
    wrong = []
    for _post, _last, key, rule in sorted(requests, key=lambda r: r[:3]):
        url = _url(app, rule, values)
        if key not in EXPECTED:
            wrong.append(f"{role} {key[1]} {url}: no expectation for {key[0]}")
            continue
        try:
            response = client.open(url, method=key[1], data={} if key[1] == "POST" else None)
        except Exception as exc:  # TESTING propagates: a crash is a 500
            wrong.append(f"{role} {key[1]} {url}: expected {EXPECTED[key][column]}, "
                         f"got 500 ({type(exc).__name__}: {exc})")
            continue
        if not _matches(EXPECTED[key][column], response):
            wrong.append(f"{role} {key[1]} {url}: expected {EXPECTED[key][column]}, "
                         f"got {_answer(response)}")
    return wrong


def test_every_route_has_an_expectation(app):
    keys = {key for rule in app.url_map.iter_rules() for key in _key(rule)}
    missing = sorted(keys - EXPECTED.keys())
    assert not missing, f"routes without an access expectation: {missing}"
    assert not EXPECTED.keys() - keys, "expectations for routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_is_declared(app, role):
    values = _seed()
    wrong = _walk(app, role, values)
    assert not wrong, "\n".join(wrong)


def test_a_blueprint_without_a_declared_rule_is_refused(app, client, auth):
    stray = Blueprint("stray", __name__)
    stray.add_url_rule("/stray", "page", lambda: "secret")
    app.register_blueprint(stray)
    with pytest.raises(RuntimeError, match="no access rule declared for stray.page"):
        access.check_declarations(app)  # what create_app runs: such an app does not start
    assert client.get("/stray").status_code == 403  # and were it served: denied to all
    auth.login("admin@test.fr")
    assert client.get("/stray").status_code == 403


def test_the_guard_applies_the_blueprint_rule_before_the_view(app, client, auth):
    """A view added to a staff blueprint without any decorator is still staff-only."""
    from giveaway.contests.views import bp
    app.view_functions["contests.detail"], original = (lambda public_id: "no decorator here",
                                                       app.view_functions["contests.detail"])
    try:
        assert client.get("/contests/x").headers["Location"].startswith("/login")
        auth.login("wine@test.fr")
        assert client.get("/contests/x").status_code == 403
        auth.logout()
        auth.login()
        assert client.get("/contests/x").data == b"no decorator here"
    finally:
        app.view_functions["contests.detail"] = original
    assert access.rule_for("contests.detail") == access.STAFF and bp.name == "contests"
