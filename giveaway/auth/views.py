"""Login, logout, password change, re-authentication and language choice."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (Blueprint, current_app, flash, make_response, redirect, render_template,
                   request, session, url_for)
from flask_babel import gettext as _
from flask_login import confirm_login, current_user, login_required, login_user, logout_user

from giveaway.auth import service, throttle
from giveaway.auth.access import LOGIN, PUBLIC, STAFF, declare_access
from giveaway.auth.forms import ChangePasswordForm, LoginForm, ReauthenticateForm
from giveaway.auth.guards import mark_login_time
from giveaway.errors import ValidationFailed
from giveaway.extensions import db
from giveaway.main.forms_support import show_service_error

bp = Blueprint("auth", __name__)
# Partner users are read-only (giveaway.dashboard.access): their password comes by invite.
declare_access(bp, PUBLIC, reauthenticate=LOGIN, change_password=STAFF)


def _safe_next(default: str) -> str:
    """Return ``?next=`` when it is a path on this site, else ``default`` (no open redirect)."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc \
            and not parts.scheme and "\\" not in target:
        return target
    return default


def _wait_message(seconds: int) -> str:
    return _("Too many attempts: try again in %(n)d min.", n=throttle.minutes(seconds))


def _too_many(template: str, form, seconds: int):
    """The form again, with the remaining wait, as a 429 with ``Retry-After``."""
    response = make_response(render_template(template, form=form,
                                             wait_message=_wait_message(seconds)), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


def _failed(email: str, message: str) -> None:
    """Count a wrong password for this account and address; say so, and any wait it causes."""
    throttle.record_failure(email)
    flash(message, "danger")
    seconds = throttle.seconds_to_wait(email)
    if seconds:
        flash(_wait_message(seconds), "warning")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; on success go to ``next`` or home.

    Failed attempts are counted per account and per address
    (:mod:`giveaway.auth.throttle`); over a limit the form answers 429 with the wait.
    """
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        seconds = throttle.seconds_to_wait(form.email.data)
        if seconds:
            return _too_many("auth/login.html", form, seconds)
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            _failed(form.email.data, _("Wrong e-mail or password."))
        else:
            session.clear()
            login_user(user, remember=form.remember.data)
            mark_login_time()
            return redirect(_safe_next(url_for("main.home")))
    return render_template("auth/login.html", form=form)


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
def reauthenticate():
    """Ask for the password again before an irreversible action."""
    form = ReauthenticateForm()
    if form.validate_on_submit():
        seconds = throttle.seconds_to_wait(current_user.email)
        if seconds:
            return _too_many("auth/reauthenticate.html", form, seconds)
        if service.check_password(current_user, form.password.data):
            confirm_login()
            mark_login_time()
            return redirect(_safe_next(url_for("main.home")))
        _failed(current_user.email, _("Wrong password."))
    return render_template("auth/reauthenticate.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; every other browser logged in to the account is logged out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        seconds = throttle.seconds_to_wait(user.email)
        if seconds:
            return _too_many("auth/change_password.html", form, seconds)
        try:
            service.change_own_password(user, form.current_password.data,
                                        form.new_password.data)
        except ValidationFailed as exc:
            db.session.rollback()
            if "current_password" in exc.errors:
                throttle.record_failure(user.email)
            show_service_error(form, exc)
        else:
            remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            login_user(user, remember=remember_cookie in request.cookies)  # this browser stays
            mark_login_time()
            flash(_("Your password is changed. Every other browser is logged out."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out everywhere (POST only, so a link or an image cannot log anyone out).

    The account's session version is bumped: this browser's cookies, copies of them and
    every other browser's session and remember-me cookie stop working.
    """
    if current_user.is_authenticated:
        service.end_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the interface language for this browser session."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(_safe_next(url_for("main.home")))
