"""What PostgreSQL needs to stay fast and bounded: fresh statistics, and a ceiling per request.

* After a bulk write (an import, a harvest, an evaluation) the touched tables
  are analysed, so the planner never plans a million-row table from the
  statistics of an empty one (that turned a 100,000-comment freeze into minutes).
* Inside a web request every transaction gets ``SET LOCAL statement_timeout``
  (``WEB_STATEMENT_TIMEOUT_MS``): a query gone wrong answers « try again » in
  seconds instead of holding a worker. The CLI and the background worker, which
  run the long bulk work, have no ceiling.

SQLite needs neither: both are no-ops there.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context

from giveaway.extensions import db


def analyze(*tables: str) -> None:
    """Refresh the planner's statistics of ``tables`` (PostgreSQL; in the current session).

    ANALYZE takes a sample, so it costs about the same for a table of a thousand
    rows or of ten million (a fraction of a second).
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        if table not in db.metadata.tables:
            raise ValueError(f"unknown table {table!r}")
        connection.exec_driver_sql(f'ANALYZE "{table}"')


def limit_web_statements(app: Flask) -> None:
    """Give every transaction begun inside a web request a PostgreSQL statement timeout."""
    if not app.config.get("WEB_STATEMENT_TIMEOUT_MS"):
        return
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return

    @sa.event.listens_for(engine, "begin")
    def _bounded(connection) -> None:
        if has_request_context():
            milliseconds = int(current_app.config["WEB_STATEMENT_TIMEOUT_MS"])
            connection.exec_driver_sql(f"SET LOCAL statement_timeout = {milliseconds}")
