"""giveaway: Instagram contests with an auditable draw.

:func:`create_app` is the only place an application is built; the web server
(``wsgi.py``), the ``flask`` command and the background worker all call it.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from flask import Flask

from giveaway import config, factory

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: The factory's steps, in order; each takes the app and returns nothing.
SETUP_STEPS = (
    factory.ensure_instance_folder,
    factory.fill_derived_settings,
    factory.register_extensions,
    factory.register_jobs,
    factory.register_blueprints,
    factory.register_cli,
    factory.register_error_handlers,
    factory.register_template_helpers,
    factory.register_security_headers,
    factory.trust_proxy_headers,
    factory.limit_web_statements,
)


def create_app(test_config: Mapping[str, Any] | None = None,
               instance_path: str | None = None) -> Flask:
    """Build the application.

    Settings come from :class:`giveaway.config.DefaultConfig`, then
    ``instance/config.py``, then ``GIVEAWAY_*`` environment variables. A
    ``test_config`` replaces the last two, so a test never reads the shell's
    environment (and never touches a database named there).
    """
    app = Flask(
        __name__,
        instance_path=instance_path or os.environ.get("GIVEAWAY_INSTANCE_PATH")
        or str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_object(config.DefaultConfig)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("GIVEAWAY")
    else:
        app.config.from_mapping(test_config)
    for step in SETUP_STEPS:
        step(app)
    return app
