"""Staff pages for contests. Thin: every decision is in the service modules."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from wtforms.fields.choices import SelectChoice

from giveaway.auth.access import STAFF, declare_access
from giveaway.auth.guards import recent_login_required, staff_required
from giveaway.auth.service import actor_of
from giveaway.contests import lifecycle, service
from giveaway.contests.checks import ContestData, contest_errors
from giveaway.contests.forms import ConfirmForm, ContestForm, NewContestForm, RulesForm
from giveaway.contests.models import Contest
from giveaway.contests.rules_template import french_rules, rules_for_contest
from giveaway.core.paris import NonexistentLocalTime, paris_to_utc, to_paris
from giveaway.draws.commitment import BeaconChoice, caption_code, setup_of
from giveaway.draws.forms import OpenForm, parse_sources
from giveaway.errors import ServiceError
from giveaway.harvest.forms import HarvestForm
from giveaway.harvest.service import harvest_panel
from giveaway.main.forms_support import merge_errors, show_service_error
from giveaway.main.lookups import contest_or_404
from giveaway.partners.service import list_partners

bp = Blueprint("contests", __name__, url_prefix="/contests")
declare_access(bp, STAFF)  # who may enter: giveaway.auth.access


def _partner_choices(form: ContestForm) -> None:
    form.partner_slugs.choices = [SelectChoice(p.slug, p.name) for p in list_partners()]


def _time_of(field) -> Optional[datetime]:
    """The field's Paris time in UTC; None (with the error on the field) when unusable."""
    if field.errors or field.data is None:
        return None
    try:
        return paris_to_utc(field.data)
    except NonexistentLocalTime:
        field.errors = [*field.errors, _("This time does not exist in Paris "
                                         "(daylight-saving change).")]
        return None


def _data_from(form: ContestForm) -> service.ContestData:
    """What the form holds as ContestData; what it could not read (a date, a number) is None."""
    def number(field) -> Optional[int]:
        return None if field.errors else field.data
    return service.ContestData(
        title=form.title.data or "", public_id=(form.public_id.data or "").strip(),
        organiser_handle=form.organiser_handle.data or "",
        partner_slugs=list(form.partner_slugs.data or []),
        post_urls=(form.post_urls.data or "").splitlines(),
        prize_description=form.prize_description.data or "",
        prize_delivery=form.prize_delivery.data or "pickup",
        prize_pickup_place=form.prize_pickup_place.data or "",
        winners=number(form.winners), alternates=number(form.alternates),
        alcohol_prize=bool(form.alcohol_prize.data),
        opens_at=_time_of(form.opens_at), closes_at=_time_of(form.closes_at))


def _checked(form: ContestForm, contest: Optional[Contest] = None) -> Optional[ContestData]:
    """Run every check at once, the form's and the service's, each error on its field.

    :return: the data to save, or None when the form now shows errors.
    """
    if not form.is_submitted():
        return None
    form.validate()
    data = service.normalise(_data_from(form), contest)
    checked = contest_errors(data, unique_public_id=contest is None)
    return None if merge_errors(form, checked.errors) else data


def _fill_rules(form: NewContestForm) -> None:
    """Put the French rules template, filled from what the form holds, in the rules field."""
    data = _data_from(form)
    names = {choice.value: choice.label for choice in form.partner_slugs.choices}
    form.rules_text.data = french_rules(
        data.title, data.organiser_handle, [names[s] for s in data.partner_slugs if s in names],
        data.opens_at, data.closes_at, data.prize_description, data.winners, data.alternates,
        data.alcohol_prize, prize_delivery=data.prize_delivery,
        pickup_place=data.prize_pickup_place)
    form.rules_text.render_kw = {**(form.rules_text.render_kw or {}), "autofocus": True}


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def create():
    """Register a draft contest; « Fill with the template » fills the rules and saves nothing."""
    form = NewContestForm()
    _partner_choices(form)
    if not form.is_submitted():
        form.organiser_handle.data = current_app.config.get("ORGANISER_HANDLE", "")
    elif form.fill_rules.data:
        _fill_rules(form)
        flash(_("The rules template is filled in from the form. Check it, complete it, "
                "then save."), "info")
        return render_template("contests/form.html", form=form, contest=None)
    if (data := _checked(form)) is not None:
        try:
            contest = service.create_contest(data, actor_of(current_user),
                                             rules_text=form.rules_text.data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Contest %(title)s created as a draft.", title=contest.title), "success")
            return redirect(url_for(".detail", public_id=contest.public_id))
    return render_template("contests/form.html", form=form, contest=None)


@bp.route("/<public_id>")
@staff_required
def detail(public_id: str):
    """A contest's settings, rules and state, with the actions its status allows."""
    contest = contest_or_404(public_id)
    setup = setup_of(contest)
    return render_template("contests/detail.html", contest=contest, confirm=ConfirmForm(),
                           problems=lifecycle.opening_problems(contest),
                           harvest=harvest_panel(contest), harvest_form=HarvestForm(),
                           setup=setup,
                           caption=caption_code(setup, contest.public_id) if setup else None)


@bp.route("/<public_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(public_id: str):
    """Edit a draft contest's settings."""
    contest = contest_or_404(public_id)
    form = ContestForm(obj=contest)
    _partner_choices(form)
    if not form.is_submitted():
        form.partner_slugs.data = [p.slug for p in contest.partners]
        form.post_urls.data = "\n".join(p.url for p in contest.posts)
        form.opens_at.data = to_paris(contest.opens_at).replace(tzinfo=None)
        form.closes_at.data = to_paris(contest.closes_at).replace(tzinfo=None)
    form.public_id.render_kw = {"readonly": True}
    if (data := _checked(form, contest)) is not None:
        try:
            service.update_contest(contest, data, actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Contest saved."), "success")
            return redirect(url_for(".detail", public_id=public_id))
    return render_template("contests/form.html", form=form, contest=contest)


@bp.route("/<public_id>/rules", methods=["GET", "POST"])
@staff_required
def rules(public_id: str):
    """Write a new version of the rules document (draft contests only)."""
    contest = contest_or_404(public_id)
    form = RulesForm()
    templated = not form.is_submitted() and (request.args.get("template") == "1"
                                             or contest.current_rules is None)
    if templated:
        form.text.data = rules_for_contest(contest)
    elif not form.is_submitted() and contest.current_rules:
        form.text.data = contest.current_rules.text
    if form.validate_on_submit():
        try:
            version = service.add_rules_version(contest, form.text.data, actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Rules saved as version %(v)d.", v=version.version), "success")
            return redirect(url_for(".detail", public_id=public_id))
    return render_template("contests/rules.html", form=form, contest=contest, templated=templated)


@bp.route("/<public_id>/open", methods=["GET", "POST"])
@staff_required
@recent_login_required
def open_(public_id: str):
    """Confirm, then open the contest (irreversible: needs a recent login)."""
    contest = contest_or_404(public_id)
    form = OpenForm()
    choice = _beacon_choice(form) if form.validate_on_submit() else None
    if choice is not None:
        try:
            lifecycle.open_contest(contest, actor_of(current_user), beacon=choice)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            setup = setup_of(contest)
            if setup is None:
                flash(_("The contest is open. Its rules are now frozen."), "success")
            else:
                flash(_("The contest is open and its rules are frozen. Now paste this code "
                        "into the Instagram caption of each post, before the close: %(code)s",
                        code=caption_code(setup, contest.public_id)), "success")
            return redirect(url_for(".detail", public_id=public_id))
    return render_template("contests/confirm_open.html", contest=contest, form=form,
                           problems=lifecycle.opening_problems(contest))


def _beacon_choice(form: OpenForm) -> BeaconChoice | None:
    """The randomness chosen on the opening form, or None with the bad field's error set."""
    try:
        sources = parse_sources(form.sources.data or "") if form.beacon.data == "rfc3797" else []
    except ValueError as exc:
        form.sources.errors = [_("Line %(n)s: write how many values (1 to 1,000), then the "
                                 "name, e.g. « 5 numéros de l'EuroMillions ».", n=exc.args[0])]
        return None
    try:
        draw_time = paris_to_utc(form.draw_time.data) if form.draw_time.data else None
    except NonexistentLocalTime:
        form.draw_time.errors = [_("This time does not exist in Paris (daylight-saving "
                                   "change).")]
        return None
    return BeaconChoice(kind=form.beacon.data, description=form.description.data or "",
                        draw_time=draw_time, sources=sources, method=form.method.data,
                        commit_only_confirmed=current_user.is_admin and form.commit_only.data)


def _confirm_transition(public_id: str, transition, done: str, template: str):
    """A confirmation page that, once confirmed, moves the contest on with ``transition``."""
    contest = contest_or_404(public_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            transition(contest, actor_of(current_user))
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(done, "success")
        return redirect(url_for(".detail", public_id=public_id))
    return render_template(template, contest=contest, form=form)


@bp.route("/<public_id>/close", methods=["GET", "POST"])
@staff_required
def close(public_id: str):
    """Confirm, then close the contest to entries."""
    return _confirm_transition(public_id, lifecycle.close_contest, _("The contest is closed."),
                               "contests/confirm_close.html")


@bp.route("/<public_id>/archive", methods=["GET", "POST"])
@staff_required
def archive(public_id: str):
    """Confirm, then archive a drawn contest (the last state: nothing of it changes any more)."""
    return _confirm_transition(public_id, lifecycle.archive_contest,
                               _("The contest is archived."), "contests/confirm_archive.html")
