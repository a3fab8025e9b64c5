"""Staff pages: the Instagram account, harvests and file imports."""
from __future__ import annotations

import os
import tempfile

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from giveaway.auth.access import STAFF, declare_access
from giveaway.auth.guards import staff_required
from giveaway.auth.service import actor_of
from giveaway.errors import NotFound, ServiceError
from giveaway.extensions import db
from giveaway.harvest import ig_session, import_jobs, import_progress, imports, service
from giveaway.harvest.forms import ConnectForm, HarvestForm, ImportForm, SessionFileForm
from giveaway.i18n import format_number
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
    """Upload a CSV or JSON file of comments (another network, another tool).

    A small file is imported within the request; a large one (``IMPORT_BACKGROUND_ROWS``)
    is saved and imported by the worker while this page shows its progress.
    """
    contest = contest_or_404(public_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or "upload"
        try:
            rows = import_jobs.estimate_rows(upload.stream, filename)
            if import_jobs.wants_background(rows):
                _queue(contest, upload.stream, filename, rows)
                flash(_("The file is being imported in the background: its progress shows "
                        "below."), "success")
                return redirect(url_for(".import_file", public_id=public_id))
            record = imports.import_comments(contest, upload.stream, filename,
                                             actor_of(current_user))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(ngettext("%(count)s comment imported (%(new)s new, %(seen)s already stored).",
                           "%(count)s comments imported (%(new)s new, %(seen)s already stored).",
                           record.rows, count=format_number(record.rows),
                           new=format_number(record.comments_new),
                           seen=format_number(record.comments_seen)), "success")
            return redirect(url_for("contests.detail", public_id=public_id))
    job = import_jobs.latest_job(contest)
    progress = (import_progress.progress_of(job, service.evaluation_state(contest))
                if job is not None else None)
    return render_template("harvest/import.html", contest=contest, form=form, job=job,
                           progress=progress, progress_text=import_progress.progress_text,
                           error_text=import_progress.error_text,
                           busy=service.active_import_job(contest) is not None)


def _queue(contest, stream, filename: str, rows: int) -> None:
    """Save the upload, commit its job, then queue it (the upload is deleted if that fails)."""
    job = import_jobs.queue_import(contest, stream, filename, actor_of(current_user), rows)
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        import_jobs.discard_upload(job)
        raise
    import_jobs.launch(job)


@bp.route("/contests/<public_id>/import/progress")
@staff_required
def progress(public_id: str):
    """JSON: the contest's latest background import (phase, counts, a sentence) and whether
    its verdicts are being recomputed. Polled by the import and review pages."""
    contest = contest_or_404(public_id)
    return jsonify(import_progress.progress_payload(contest, import_jobs.latest_job(contest)))
