"""PostgreSQL stays bounded and well planned: a statement timeout per web request,
statistics refreshed after bulk writes. (On SQLite both are no-ops.)"""
import sqlalchemy as sa

from giveaway import db_maintenance
from giveaway.extensions import db


def _on_postgres() -> bool:
    return db.session.connection().dialect.name == "postgresql"


def test_a_slow_web_statement_is_cancelled_with_a_clear_page(app, client):
    app.config["WEB_STATEMENT_TIMEOUT_MS"] = 100
    sleep = "SELECT pg_sleep(2)" if _on_postgres() else "SELECT 1"

    @app.route("/slow-query-for-test")
    def slow():
        db.session.execute(sa.text(sleep))
        return "done"

    response = client.get("/slow-query-for-test")
    if _on_postgres():
        assert response.status_code == 503
        assert "trop de temps" in response.data.decode()
    else:
        assert response.data == b"done"
    # Outside a request (the CLI, the worker) there is no ceiling.
    assert db.session.execute(sa.text("SELECT 1")).scalar() == 1
    if _on_postgres():
        timeout = db.session.execute(sa.text("SHOW statement_timeout")).scalar()
        assert timeout in ("0", "0ms")


def test_analyze_refreshes_the_statistics_of_a_bulk_written_table(app):
    from conftest import make_contest
    make_contest()
    db_maintenance.analyze("comment", "contest")
    if _on_postgres():
        analysed = db.session.execute(sa.text(
            "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'contest'")).scalar()
        assert analysed is not None
    db.session.rollback()
