"""Login, logout, re-authentication and language choice."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (Blueprint, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import confirm_login, current_user, login_required, login_user, logout_user

from giveaway.auth import service
from giveaway.auth.forms import LoginForm, ReauthenticateForm
from giveaway.auth.guards import mark_login_time
from giveaway.extensions import limiter

bp = Blueprint("auth", __name__)


def _safe_next(default: str) -> str:
    """Return ``?next=`` when it is a path on this site, else ``default`` (no open redirect)."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc \
            and not parts.scheme and "\\" not in target:
        return target
    return default


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Show the login form; on success go to ``next`` or home."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.email.data, form.password.data)
        if user is None:
            flash(_("Wrong e-mail or password."), "danger")
        else:
            session.clear()
            login_user(user, remember=form.remember.data)
            mark_login_time()
            return redirect(_safe_next(url_for("main.home")))
    return render_template("auth/login.html", form=form)


@bp.route("/reauthenticate", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])
def reauthenticate():
    """Ask for the password again before an irreversible action."""
    form = ReauthenticateForm()
    if form.validate_on_submit():
        if service.check_password(current_user, form.password.data):
            confirm_login()
            mark_login_time()
            return redirect(_safe_next(url_for("main.home")))
        flash(_("Wrong password."), "danger")
    return render_template("auth/reauthenticate.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Log out (POST only, so a link or an image cannot log anyone out)."""
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
