"""The partner dashboard's pages, thin over :mod:`.service`, :mod:`.charts` and :mod:`.invites`.

Each page has two URLs: ``/dashboard/...`` for the partner user (their own
partner) and ``/dashboard/partners/<slug>/...`` for staff viewing as a partner.
"""
from __future__ import annotations

from flask import (Blueprint, Flask, Response, abort, flash, redirect, render_template, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from giveaway.auth.access import LOGIN, PUBLIC, STAFF, declare_access
from giveaway.auth.guards import mark_login_time, staff_required
from giveaway.auth.service import actor_of, get_user
from giveaway.dashboard import chart_svg, charts, invites, service
from giveaway.dashboard.access import refuse_partner_writes, viewed_partner
from giveaway.dashboard.forms import SetPasswordForm
from giveaway.eligibility.labels import reason_sentence
from giveaway.errors import NotFound, ServiceError
from giveaway.main.forms_support import show_service_error
from giveaway.partners.service import list_partners

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
# who may enter: giveaway.auth.access
declare_access(bp, LOGIN, invite=PUBLIC, users=STAFF, create_invite=STAFF)

#: The chart is a standalone SVG document: it needs pygal's inline <style>, never a script.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def init_app(app: Flask) -> None:
    """Register the blueprint and, first of all hooks, the partner read-only rule."""
    app.register_blueprint(bp)
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_partner_writes)


def _contest_or_404(partner, public_id: str):
    try:
        return service.partner_contest(partner, public_id)
    except NotFound:
        abort(404)


@bp.route("/", defaults={"slug": None})
@bp.route("/partners/<slug>/")
@login_required
def home(slug):
    """A partner's contests with their counts; staff without a slug get the list of partners.

    :raise 403: partner user on a staff URL. :raise 404: unknown partner.
    """
    if slug is None and current_user.is_staff:
        return render_template("dashboard/partners.html", partners=list_partners())
    partner = viewed_partner(slug)
    return render_template("dashboard/home.html", partner=partner, slug=slug,
                           rows=service.summaries(partner))


@bp.route("/contests/<public_id>", defaults={"slug": None})
@bp.route("/partners/<slug>/contests/<public_id>")
@login_required
def contest(public_id: str, slug):
    """One contest's counts, completeness, latest harvest and chart.

    :raise 404: when the contest is not this partner's. :raise 403: as :func:`home`.
    """
    partner = viewed_partner(slug)
    board = service.contest_dashboard(_contest_or_404(partner, public_id))
    return render_template("dashboard/contest.html", partner=partner, slug=slug, board=board,
                           line=charts.timeline(board.contest), describe=chart_svg.describe,
                           reason_sentence=reason_sentence)


@bp.route("/contests/<public_id>/chart.svg", defaults={"slug": None})
@bp.route("/partners/<slug>/contests/<public_id>/chart.svg")
@login_required
def chart(public_id: str, slug):
    """The contest's comments over time as an SVG image. :raise 404: as :func:`contest`."""
    contest = _contest_or_404(viewed_partner(slug), public_id)
    svg = chart_svg.render_svg(charts.timeline(contest), _("Comments over time"))
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_CSP
    return response


@bp.route("/export.csv", defaults={"slug": None})
@bp.route("/partners/<slug>/export.csv")
@login_required
def export(slug):
    """The summary table as CSV: one row per contest, counts only. :raise 403/404: as home."""
    partner = viewed_partner(slug)
    return Response(service.export_csv(partner), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{partner.slug}-counts.csv"'})


@bp.route("/partners/<slug>/users")
@staff_required
def users(slug):
    """Staff: a partner's user accounts, each with a button that makes an invite link."""
    partner = viewed_partner(slug)
    return render_template("dashboard/users.html", partner=partner,
                           users=service.partner_users(partner))


@bp.route("/users/<int:user_id>/invite", methods=["POST"])
@staff_required
def create_invite(user_id: int):
    """Staff: make a one-time invite link for a partner user and show it once.

    :raise 404: unknown user.
    """
    try:
        user = get_user(user_id)
        made = invites.invite(user, actor_of(current_user))
    except NotFound:
        abort(404)
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for(".home"))
    return render_template("dashboard/invite_link.html", invite=made, created=False,
                           link=url_for(".invite", token=made.token, _external=True))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite(token: str):
    """The invited partner sets a password, then is logged in and sent to the dashboard.

    A forged, expired or used link gets a 400 page saying which.
    """
    if current_user.is_authenticated:
        return render_template("dashboard/invite.html", form=None, user=None,
                               logged_in=True), 400
    try:
        user = invites.read_invite(token)
    except invites.InvalidInvite as exc:
        return render_template("dashboard/invite.html", form=None, user=None,
                               error=exc.message), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = invites.accept_invite(token, form.password.data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            session.clear()
            login_user(user)
            mark_login_time()
            flash(_("Your password is set. Welcome!"), "success")
            return redirect(url_for(".home"))
    return render_template("dashboard/invite.html", form=form, user=user)
