"""Staff pages: the Instagram account, harvests and file imports."""
from __future__ import annotations

import os
import tempfile

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from giveaway.auth.access import STAFF, declare_access
from giveaway.auth.guards import staff_required
from giveaway.auth.service import actor_of
from giveaway.errors import NotFound, ServiceError
from giveaway.harvest import ig_session, imports, service
from giveaway.harvest.forms import ConnectForm, HarvestForm, ImportForm, SessionFileForm
from giveaway.main.forms_support import show_service_error
from giveaway.main.lookups import contest_or_404

bp = Blueprint("harvest", __name__)
declare_access(bp, STAFF)  # who may enter: giveaway.auth.access




@bp.route("/instagram", methods=["GET", "POST"])
@staff_required
def account():
    """The connected Instagram account: connect with a password or a session file."""
    connect_form, file_form = ConnectForm(prefix="connect"), SessionFileForm(prefix="file")
    if connect_form.submit.data and connect_form.validate_on_submit():
        try:
            ig_session.connect(connect_form.username.data, connect_form.password.data,
                               connect_form.code.data, actor_of(current_user))
        except ServiceError as exc:
            show_service_error(connect_form, exc)
        else:
            flash(_("Instagram account connected."), "success")
            return redirect(url_for(".account"))
    if file_form.submit.data and file_form.validate_on_submit():
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "settings.json")
            file_form.settings.data.save(path)
            try:
                ig_session.import_settings_file(path, actor_of(current_user))
            except ServiceError as exc:
                show_service_error(file_form, exc)
            else:
                flash(_("Instagram session imported."), "success")
                return redirect(url_for(".account"))
    return render_template("harvest/account.html", session=ig_session.current_session(),
                           connect_form=connect_form, file_form=file_form)


@bp.route("/contests/<public_id>/harvest", methods=["POST"])
@staff_required
def start(public_id: str):
    """Queue a harvest of the contest's posts."""
    contest = contest_or_404(public_id)
    form = HarvestForm()
    if form.validate_on_submit():
        try:
            service.start_harvest(contest, actor_of(current_user), form.replies.data)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(_("Harvest queued: progress shows below."), "success")
    return redirect(url_for("contests.detail", public_id=public_id))


@bp.route("/contests/<public_id>/harvest/<int:run_id>/resume", methods=["POST"])
@staff_required
def resume(public_id: str, run_id: int):
    """Resume a paused or stopped harvest from its checkpoint."""
    contest = contest_or_404(public_id)
    try:
        run = service.get_run(run_id)
    except NotFound:
        abort(404)
    if run.contest_id != contest.id:
        abort(404)
    if HarvestForm().validate_on_submit():
        try:
            service.resume_harvest(run, actor_of(current_user))
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(_("Harvest resumed from its last page."), "success")
    return redirect(url_for("contests.detail", public_id=public_id))


@bp.route("/contests/<public_id>/import", methods=["GET", "POST"])
@staff_required
def import_file(public_id: str):
    """Upload a CSV or JSON file of comments (another network, another tool)."""
    contest = contest_or_404(public_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            record = imports.import_comments(contest, upload.stream, upload.filename or "upload",
                                             actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("%(rows)d comments imported (%(new)d new, %(seen)d already stored).",
                    rows=record.rows, new=record.comments_new, seen=record.comments_seen),
                  "success")
            return redirect(url_for("contests.detail", public_id=public_id))
    return render_template("harvest/import.html", contest=contest, form=form)
