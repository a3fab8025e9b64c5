"""Friendly error pages, and logs that never carry what people wrote.

The engine hides SQL parameters (``hide_parameters``), but a database's own
message may still quote a row (PostgreSQL's ``DETAIL: Failing row contains
(…)``, ``Key (…)=(…)``); :class:`RedactDatabaseErrors` logs such an error as
its class, first line and statement only.
"""
import logging
import re

import sqlalchemy.exc
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from giveaway.extensions import db
from giveaway.main.validation import RefusedInput

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Access denied"), _l("Your account does not give access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or it is not yours to see.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("The file is larger than this server accepts.")),
    429: (_l("Too many attempts"), _l("Please wait a moment before trying again.")),
    500: (_l("Server error"), _l("Something went wrong on our side. Nothing was saved; "
                                 "please try again.")),
    503: (_l("Busy"), _l("The service is busy; please try again in a moment.")),
}
#: Loggers whose records may carry a database error: ours, and the job queue's.
LOGGER_PREFIXES = ("giveaway", "huey", "flask", "werkzeug")
_QUOTED_INPUT = re.compile(r'(:\s*)".*"')
log = logging.getLogger(__name__)


def _page(code: int, detail=None):
    title, message = MESSAGES[code]
    return render_template("errors/error.html", code=code, title=title,
                           message=detail or message), code


class RedactedDatabaseError(Exception):
    """Stands in, in a log record, for a database error whose message could quote data."""


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def database_error_summary(exc: sqlalchemy.exc.StatementError) -> str:
    """``exc`` in one line without data: classes, SQLSTATE, first line, SQL statement."""
    orig = getattr(exc, "orig", None)
    first = str(orig).strip().splitlines()[0] if orig is not None and str(orig).strip() else ""
    state = getattr(orig, "sqlstate", None)
    kind = type(orig).__name__ + (f", SQLSTATE {state}" if state else "")
    first = _QUOTED_INPUT.sub(r'\1"…"', first)  # "invalid input syntax …: "<the input>""
    return f"{type(exc).__name__} ({kind}): {first} [SQL: {(exc.statement or '')[:2000]}]"


class RedactDatabaseErrors(logging.Filter):
    """Replace a logged exception chain holding a database error by a summary without data."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return True
        chain = list(_chain(exc))
        wrapped = [e for e in chain if isinstance(e, sqlalchemy.exc.StatementError)]
        if not wrapped:
            return True
        drivers = {id(e.orig) for e in wrapped}  # the driver's own error: summarised with it
        lines = [database_error_summary(e) if isinstance(e, sqlalchemy.exc.StatementError)
                 else f"{type(e).__name__}: {e}" for e in reversed(chain) if id(e) not in drivers]
        record.exc_info = (RedactedDatabaseError, RedactedDatabaseError(
            "\n  caused ".join(lines)), exc.__traceback__)
        record.exc_text = None
        return True


def redact_logs(app: Flask) -> None:
    """Put the filter on the app's logger, on every logger of ours and the job queue's
    already created, and on the handlers they and the root logger write to."""
    redact = RedactDatabaseErrors()
    loggers = [app.logger, logging.getLogger(), *(
        logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
        if name.split(".")[0] in LOGGER_PREFIXES)]
    for logger in loggers:
        for target in (logger, *logger.handlers):
            if not any(isinstance(f, RedactDatabaseErrors) for f in target.filters):
                target.addFilter(redact)


def register(app: Flask) -> None:
    """Install the handlers on ``app``."""
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, lambda exc, code=code: _page(code))

    @app.errorhandler(RefusedInput)
    def refused_input(exc):
        return _page(400, exc.description)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return _page(400, _l("The form expired or was sent from elsewhere. "
                             "Reload the page and send it again."))

    @app.errorhandler(sqlalchemy.exc.DataError)
    def data_error(exc):
        # A value the database refuses (too long, a NUL…) that no check caught first.
        db.session.rollback()
        log.warning("refused by the database: %s", database_error_summary(exc))
        return _page(400, _l("What you sent cannot be stored (a text too long, or a "
                             "character that is not accepted). Nothing was saved."))

    @app.errorhandler(sqlalchemy.exc.OperationalError)
    def database_busy(exc):
        # PostgreSQL cancelled a statement past WEB_STATEMENT_TIMEOUT_MS (SQLSTATE 57014).
        db.session.rollback()
        if getattr(getattr(exc, "orig", None), "sqlstate", None) != "57014":
            log.error("database error: %s", database_error_summary(exc))
            return _page(500)
        log.warning("statement cancelled after the web time limit: %s",
                    database_error_summary(exc))
        return _page(503, _l("The database took too long to answer; nothing was changed. "
                             "Try again in a moment."))

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return _page(500)

    redact_logs(app)
