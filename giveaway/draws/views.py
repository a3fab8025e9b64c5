"""Staff pages: freeze, the draw (fresh login, confirmation), winners' follow-up."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from giveaway.auth.access import STAFF, declare_access
from giveaway.auth.guards import recent_login_required, staff_required
from giveaway.auth.service import actor_of
from giveaway.core.paris import NonexistentLocalTime, paris_to_utc
from giveaway.draws import followup, freeze, service
from giveaway.draws.commitment import setup_of
from giveaway.draws.forms import (DrawForm, FollowForm, RedeclareForm, StatusForm,
                                  parse_declared_values)
from giveaway.draws.messages import announcement, direct_message
from giveaway.errors import NotFound, ServiceError, ValidationFailed
from giveaway.harvest.tasks import make_instagram_client
from giveaway.main.forms_support import show_service_error
from giveaway.main.lookups import contest_or_404

bp = Blueprint("draws", __name__, url_prefix="/contests")
declare_access(bp, STAFF)  # who may enter: giveaway.auth.access




@bp.route("/<public_id>/freeze", methods=["GET", "POST"])
@staff_required
@recent_login_required
def freeze_entries(public_id: str):
    """Confirm, then freeze the counted entries (irreversible)."""
    contest = contest_or_404(public_id)
    form = DrawForm()
    if form.validate_on_submit():
        try:
            frozen = freeze.freeze_contest(contest, actor_of(current_user))
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(_("%(n)d entries frozen; root %(r)s.", n=frozen.count, r=frozen.merkle_root),
                  "success")
        return redirect(url_for("contests.detail", public_id=public_id))
    return render_template("draws/confirm_freeze.html", contest=contest, form=form,
                           setup=setup_of(contest))


@bp.route("/<public_id>/draw", methods=["GET", "POST"])
@staff_required
@recent_login_required
def run(public_id: str):
    """Confirm, then run the one draw of the contest."""
    contest = contest_or_404(public_id)
    form, setup = DrawForm(), setup_of(contest)
    if form.validate_on_submit():
        try:  # a form sent without the field, or with nothing in it, is refused here
            declared = parse_declared_values(form.values.data or "") \
                if setup and setup.beacon_kind == "rfc3797" else None
        except ValueError:
            form.values.errors = [_("Type the values as published (numbers such as 08 or "
                                    "13.6875, or a text), sources separated by « / ».")]
        else:
            try:
                service.run_draw(contest, actor_of(current_user), declared)
            except service.BeaconPending as exc:
                flash(exc.message, "warning")
            except ServiceError as exc:
                show_service_error(form, exc)
            else:
                flash(_("The draw is done. The certificate is public."), "success")
                return redirect(url_for(".winners", public_id=public_id))
    return render_template("draws/confirm_draw.html", contest=contest, form=form, setup=setup,
                           wait=service.wait_before_draw(setup))


@bp.route("/<public_id>/redeclare", methods=["GET", "POST"])
@staff_required
def redeclare(public_id: str):
    """Declare a later draw time after a late freeze (shown as an anomaly)."""
    contest = contest_or_404(public_id)
    form = RedeclareForm()
    if form.validate_on_submit():
        try:
            freeze.redeclare_beacon(contest, paris_to_utc(form.draw_time.data), form.reason.data,
                                    actor_of(current_user))
        except NonexistentLocalTime:
            form.draw_time.errors = [_("This time does not exist in Paris.")]
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("New draw time declared."), "success")
            return redirect(url_for("contests.detail", public_id=public_id))
    return render_template("draws/redeclare.html", contest=contest, form=form)


@bp.route("/<public_id>/winners")
@staff_required
def winners(public_id: str):
    """Winners and alternates (real handles, staff only) and their follow-up."""
    contest = contest_or_404(public_id)
    people = followup.candidates(contest)
    return render_template("draws/winners.html", contest=contest, people=people,
                           status_form=StatusForm(), follow_form=FollowForm(),
                           message=direct_message(contest), announcement=announcement(contest,
                                                                                      people))


@bp.route("/<public_id>/winners/<int:candidate_id>", methods=["POST"])
@staff_required
def set_status(public_id: str, candidate_id: int):
    """Move one candidate's follow-up on."""
    contest = contest_or_404(public_id)
    form = StatusForm()
    try:
        candidate = followup.get_candidate(contest, candidate_id)
        if not form.validate_on_submit():
            raise ValidationFailed({"status": _("Invalid form.")})
        followup.set_status(contest, candidate, form.status.data, form.reason.data or "",
                            actor_of(current_user), form.age_confirmed.data,
                            public_reason=form.public_reason.data or None)
    except NotFound:
        abort(404)
    except ServiceError as exc:
        flash(exc.message, "danger")
    return redirect(url_for(".winners", public_id=public_id))


@bp.route("/<public_id>/winners/<int:candidate_id>/follow", methods=["POST"])
@staff_required
def record_follow(public_id: str, candidate_id: int):
    """Staff's own follow check, with how they checked."""
    contest = contest_or_404(public_id)
    form = FollowForm()
    try:
        candidate = followup.get_candidate(contest, candidate_id)
        if not form.validate_on_submit():
            raise ValidationFailed({"justification": _("Say how you checked.")})
        followup.record_follow_check(contest, candidate, form.follows.data == "yes",
                                     actor_of(current_user), form.justification.data)
    except NotFound:
        abort(404)
    except ServiceError as exc:
        flash(exc.message, "danger")
    return redirect(url_for(".winners", public_id=public_id))


@bp.route("/<public_id>/winners/check-follows", methods=["POST"])
@staff_required
def check_follows(public_id: str):
    """Ask Instagram, in draw order, whether the candidates follow the organiser."""
    contest = contest_or_404(public_id)
    try:
        checked = followup.check_follows(contest, actor_of(current_user), make_instagram_client)
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("%(n)d candidates checked.", n=len(checked)), "info")
    return redirect(url_for(".winners", public_id=public_id))
