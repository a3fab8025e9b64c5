"""The named steps of :func:`giveaway.create_app`, one concern each."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from giveaway import production
from giveaway.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")


def ensure_instance_folder(app: Flask) -> None:
    """Create ``instance/`` (config, SQLite file, job store and keys live there)."""
    os.makedirs(app.instance_path, exist_ok=True)


def fill_derived_settings(app: Flask) -> None:
    """Fill the settings whose default depends on the instance folder."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        path = Path(app.instance_path) / "giveaway.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app, "secret_key")
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]


def _instance_secret(app: Flask, name: str) -> str:
    """Return a random secret kept in ``instance/<name>`` (created 0600 on first use)."""
    path = Path(app.instance_path) / name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        value = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(value)
        return value


def _select_locale() -> str:
    """The session's chosen language, else the browser's, else French (also outside requests)."""
    languages = list(current_app.config["LANGUAGES"])
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    wanted = session.get("lang")
    if wanted in languages:
        return wanted
    return request.accept_languages.best_match(languages) or languages[0]


def register_extensions(app: Flask) -> None:
    """Bind the extensions created in :mod:`giveaway.extensions`."""
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))
    bootstrap.init_app(app)
    login_manager.init_app(app)
    from giveaway.auth import throttle
    throttle.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.refresh_view = "auth.reauthenticate"
    from giveaway.auth import service as auth_service
    login_manager.user_loader(auth_service.load_user)
    login_manager.localize_callback = _translate
    # Marked for extraction only (N_): Flask-Login translates them when it flashes them,
    # in the visitor's language, through localize_callback.
    login_manager.login_message = N_("Please log in to access this page.")
    login_manager.needs_refresh_message = N_("Please confirm your password to continue.")
    login_manager.login_message_category = "warning"
    login_manager.needs_refresh_message_category = "warning"


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, where it is shown."""
    return message


def _translate(message: str) -> str:
    from flask_babel import gettext
    return gettext(message)


def register_jobs(app: Flask) -> None:
    """Create the background job queue (Huey) and register the jobs."""
    from giveaway import jobs
    jobs.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Attach every feature's views."""
    from giveaway.admin.views import bp as admin_bp
    from giveaway.auth.views import bp as auth_bp
    from giveaway.contests.views import bp as contests_bp
    from giveaway.draws.views import bp as draws_bp
    from giveaway.eligibility.views import bp as eligibility_bp
    from giveaway.public.views import bp as public_bp
    from giveaway.harvest.views import bp as harvest_bp
    from giveaway.main.help import bp as help_bp
    from giveaway.main.views import bp as main_bp
    from giveaway.partners.views import bp as partners_bp

    for blueprint in (main_bp, auth_bp, admin_bp, partners_bp, contests_bp, harvest_bp,
                      eligibility_bp, draws_bp, public_bp, help_bp):
        app.register_blueprint(blueprint)
    from giveaway.dashboard.views import init_app as init_dashboard
    init_dashboard(app)  # blueprint + the partners' read-only hook
    from giveaway.auth import access
    access.check_declarations(app)  # deny by default: every route says who may enter
    app.before_request(access.enforce)


def register_cli(app: Flask) -> None:
    """Attach every feature's ``flask`` commands."""
    from giveaway.audit.cli import audit_cli
    from giveaway.auth.cli import create_user_command
    from giveaway.contests.cli import contest_cli
    from giveaway.demo import demo_command
    from giveaway.draws.cli import (draw_command, freeze_command, purge_command,
                                    redeclare_command)
    from giveaway.eligibility.cli import eligibility_command, entries_cli
    from giveaway.harvest.cli import harvest_command, ig_session_cli, import_command
    from giveaway.jobs import worker_command
    from giveaway.key_rotation import keys_cli
    from giveaway.partners.cli import partner_cli

    for subcommand in (eligibility_command, freeze_command, redeclare_command):
        contest_cli.add_command(subcommand)
    for command in (audit_cli, create_user_command, contest_cli, demo_command, partner_cli,
                    harvest_command, import_command, ig_session_cli, worker_command,
                    entries_cli, draw_command, purge_command, keys_cli):
        app.cli.add_command(command)


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for 400, 403, 404, 429 and 500; logs without personal data; input
    no database could store (a NUL, a 70-digit id in a path) refused before any view."""
    from giveaway.main.errors import register
    from giveaway.main.validation import refuse_unstorable_input
    register(app)
    app.before_request(refuse_unstorable_input)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals shared by every template."""
    from giveaway.main import template_helpers
    template_helpers.register(app)


def register_security_headers(app: Flask) -> None:
    """Send conservative security headers with every response."""

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: https:; style-src 'self'; "
            "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'",
        )
        if current_user and getattr(current_user, "is_authenticated", False):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def limit_web_statements(app: Flask) -> None:
    """PostgreSQL: a statement timeout on every transaction a web request begins."""
    from giveaway import db_maintenance
    db_maintenance.limit_web_statements(app)


PROXY_FIX_SETTINGS = ("PROXY_FIX_X_FOR", "PROXY_FIX_X_PROTO", "PROXY_FIX_X_HOST",
                      "PROXY_FIX_X_PORT", "PROXY_FIX_X_PREFIX")


def trust_proxy_headers(app: Flask) -> None:
    """Behind a reverse proxy, take the client's address (and scheme, host…) from the
    ``X-Forwarded-*`` headers the ``PROXY_FIX_*`` settings name, each set by that many
    proxies (werkzeug's ``ProxyFix``). All 0, the default: headers are ignored, since
    anyone can send them. The login limits count per address: set ``PROXY_FIX_X_FOR``
    behind a proxy, or every visitor shares the proxy's address."""
    counts = {name: int(app.config.get(name) or 0) for name in PROXY_FIX_SETTINGS}
    if any(counts.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **{name.removeprefix("PROXY_FIX_").lower(): n
                                                  for name, n in counts.items()})


class MissingSetting(SystemExit):
    """A production server cannot start: the message says which setting to add or change,
    and how."""


def require_production_settings(app: Flask) -> None:
    """Refuse to serve in production without the settings public proofs and accounts
    depend on (:mod:`giveaway.production`): ``PUBLIC_URL`` an absolute http(s) URL, debug
    mode off, ``SECRET_KEY`` (and the newest ``SEED_KEYS``) at least 32 bytes, shared
    rate-limit storage when several workers serve.

    :raise MissingSetting: listing every problem, one a line.
    """
    problems = production.problems(app)
    if problems:
        raise MissingSetting("\n".join(problems))
