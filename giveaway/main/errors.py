"""Friendly error pages."""
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from giveaway.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Access denied"), _l("Your account does not give access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or it is not yours to see.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("The file is larger than this server accepts.")),
    429: (_l("Too many attempts"), _l("Please wait a moment before trying again.")),
    500: (_l("Server error"), _l("Something went wrong on our side. Nothing was saved; "
                                 "please try again.")),
}


def _page(code: int, detail=None):
    title, message = MESSAGES[code]
    return render_template("errors/error.html", code=code, title=title,
                           message=detail or message), code


def register(app: Flask) -> None:
    """Install the handlers on ``app``."""
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, lambda exc, code=code: _page(code))

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return _page(400, _l("The form expired or was sent from elsewhere. "
                             "Reload the page and send it again."))

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return _page(500)
