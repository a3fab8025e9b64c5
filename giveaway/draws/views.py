"""Staff pages: freeze, the draw (fresh login, confirmation), winners' follow-up."""
from __future__ import annotations

from typing import Optional

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from giveaway.auth.access import STAFF, declare_access
from giveaway.auth.guards import recent_login_required, staff_required
from giveaway.auth.service import actor_of
from giveaway.core.paris import NonexistentLocalTime, paris_to_utc
from giveaway.draws import followup, freeze, service
from giveaway.draws.commitment import setup_of
from giveaway.draws.forms import (DrawForm, FollowForm, RedeclareForm, StatusForm,
                                  parse_declared_values)
from giveaway.draws.labels import follow_check_label
from giveaway.draws.messages import announcement, direct_message
from giveaway.errors import NotFound, ServiceError, ValidationFailed
from giveaway.extensions import db
from giveaway.harvest.tasks import make_instagram_client
from giveaway.i18n import format_number
from giveaway.main.forms_support import show_service_error
from giveaway.main.lookups import contest_or_404

bp = Blueprint("draws", __name__, url_prefix="/contests")
declare_access(bp, STAFF)  # who may enter: giveaway.auth.access

#: Languages offered for the winners' messages, each named in itself.
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


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
            flash(ngettext("%(count)s entry frozen; root %(r)s.",
                           "%(count)s entries frozen; root %(r)s.", frozen.count,
                           count=format_number(frozen.count), r=frozen.merkle_root), "success")
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
    """Winners and alternates (real handles, staff only), their follow-up and the texts to send.

    ``?message_lang=fr|en`` words the direct message and the announcement in
    that language (default: the page's).
    """
    return _winners_page(contest_or_404(public_id))


def _winners_page(contest, row: Optional[int] = None, status_form: Optional[StatusForm] = None,
                  follow_form: Optional[FollowForm] = None):
    """The winners page; the forms of candidate ``row``, when given, show their errors."""
    people = followup.candidates(contest)
    languages = current_app.config["LANGUAGES"]
    language = request.args.get("message_lang")
    if language not in languages:
        language = str(get_locale())
    with force_locale(language):
        message, announce = direct_message(contest), announcement(contest, people)
    return render_template(
        "draws/winners.html", contest=contest, people=people, row=row,
        status_form=StatusForm(formdata=None), follow_form=FollowForm(formdata=None),
        row_status_form=status_form, row_follow_form=follow_form,
        follow_required=followup.follow_check_required(contest),
        automatic_check=followup.automatic_check_available(contest),
        pending=followup.PENDING, message=message, announcement=announce,
        message_language=language, languages=languages, language_name=LANGUAGE_NAMES.get,
        follow_check_label=follow_check_label)


def _invalid(contest, candidate_id: int, **forms):
    """A form that did not validate: an expired CSRF token is flashed, field errors shown."""
    form = next(iter(forms.values()))
    token = getattr(form, "csrf_token", None)
    if token is not None and token.errors:
        flash(_("The form expired or was sent from elsewhere. Reload the page and send it again."),
              "danger")
        return redirect(url_for(".winners", public_id=contest.public_id))
    return _winners_page(contest, row=candidate_id, **forms)


@bp.route("/<public_id>/winners/<int:candidate_id>", methods=["POST"])
@staff_required
def set_status(public_id: str, candidate_id: int):
    """Move one candidate's follow-up on; a refusal shows on the candidate's form."""
    contest = contest_or_404(public_id)
    form = StatusForm()
    try:
        candidate = followup.get_candidate(contest, candidate_id)
    except NotFound:
        abort(404)
    if not form.validate_on_submit():
        return _invalid(contest, candidate_id, status_form=form)
    try:
        followup.set_status(contest, candidate, form.status.data, form.reason.data or "",
                            actor_of(current_user), form.age_confirmed.data,
                            public_reason=form.public_reason.data or None)
    except ValidationFailed as exc:
        db.session.rollback()
        show_service_error(form, exc)
        return _winners_page(contest, row=candidate_id, status_form=form)
    except ServiceError as exc:
        flash(exc.message, "danger")
    return redirect(url_for(".winners", public_id=public_id,
                            _anchor=f"candidate-{candidate.position + 1}"))


@bp.route("/<public_id>/winners/<int:candidate_id>/follow", methods=["POST"])
@staff_required
def record_follow(public_id: str, candidate_id: int):
    """Staff's own follow check (yes or no), with how and when they checked."""
    contest = contest_or_404(public_id)
    form = FollowForm()
    try:
        candidate = followup.get_candidate(contest, candidate_id)
    except NotFound:
        abort(404)
    if not form.validate_on_submit():
        return _invalid(contest, candidate_id, follow_form=form)
    answer = {"yes": True, "no": False}.get(form.follows.data)
    try:
        followup.record_staff_check(contest, candidate, answer, actor_of(current_user),
                                    form.justification.data or "")
    except ValidationFailed as exc:
        db.session.rollback()
        show_service_error(form, exc)
        return _winners_page(contest, row=candidate_id, follow_form=form)
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("Your follow check is recorded."), "success")
    return redirect(url_for(".winners", public_id=public_id,
                            _anchor=f"candidate-{candidate.position + 1}"))


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
        flash(ngettext("%(count)s winner checked.", "%(count)s winners checked.", len(checked),
                       count=format_number(len(checked))), "info")
    return redirect(url_for(".winners", public_id=public_id))
