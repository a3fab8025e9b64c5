from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from giveaway import create_app
from giveaway.audit.service import verify_chain
from giveaway.contests.service import get_contest
from giveaway.extensions import db


def test_migrations_build_the_models_schema(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}",
                      "SECRET_KEY": "x"}, instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert diff == []
        db.engine.dispose()


def test_demo_loads_once_on_an_empty_database(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'd.sqlite'}",
                      "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False}, instance_path=str(tmp_path))
    with app.app_context():
        upgrade()
        runner = app.test_cli_runner()
        first = runner.invoke(args=["demo"])
        assert first.exit_code == 0 and "Demo login: demo@giveaway.test" in first.output
        contest = get_contest("coffret-vignerons-du-gers")
        assert contest.status == "open" and contest.alcohol_prize
        assert "Instagram" in contest.current_rules.text
        from giveaway.harvest.service import comment_counts
        counts = comment_counts(contest)
        assert counts["comments"] == 1000 and 600 < counts["accounts"] < 1000
        drawn = get_contest("panier-gourmand")
        assert drawn.status == "drawn"
        client = app.test_client()
        document = client.get("/c/panier-gourmand.json").get_json()
        from giveaway.core import parse_leaf_list, verify_certificate
        leaves = parse_leaf_list(client.get("/c/panier-gourmand/leaves.txt").data)
        assert all(c.status.name != "FAIL" for c in verify_certificate(document, leaves))
        assert document["protocol"] == "gdraw-v2"  # the demo shows a v2 contest
        followups = client.get("/c/panier-gourmand/followup.json").get_json()
        assert followups[0]["event"]["status"] == "no_answer"
        second = runner.invoke(args=["demo"])
        assert "Demo data loaded" not in second.output
        assert first.output.split("Demo login: ")[1] == second.output.split("Demo login: ")[1]
        assert verify_chain().ok
        password = first.output.split(" / ")[1].strip()
        client = app.test_client()
        response = client.post("/login", data={"email": "demo@giveaway.test",
                                                "password": password})
        assert response.status_code == 302
        db.engine.dispose()


def test_verdict_reasons_migration_copies_existing_verdicts(tmp_path):
    """Upgrading a database evaluated before 0006 keeps the review's reason and flag filters."""
    import sqlalchemy as sa

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.sqlite'}",
                      "SECRET_KEY": "x"}, instance_path=str(tmp_path))
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            run = connection.execute
            # (SQLite does not enforce the foreign keys: no contest row needed)
            for pk, created, reasons in ((1, "2026-05-02 10:00:00.000000", ",late,too_few_mentions,"),
                                         (2, "2026-05-03 10:00:00.000000", ","),
                                         (3, "2026-05-01 09:00:00.000000", ",too_few_mentions,")):
                run(sa.text("INSERT INTO comment (id, contest_id, network, comment_id, user_id, "
                            "username, text, created_at, first_seen_at, last_seen_at) VALUES "
                            "(:pk, 1, 'ig', :pk, '7', 'u', 't', :created, :created, :created)"),
                    {"pk": pk, "created": created})
                flags = ",burst:burst:ig:7,same_text:same_text:00ff," if pk == 2 else ","
                run(sa.text("INSERT INTO verdict (comment_pk, contest_id, counted, reasons, flags) "
                            "VALUES (:pk, 1, :counted, :reasons, :flags)"),
                    {"pk": pk, "counted": reasons == ",", "reasons": reasons, "flags": flags})
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT reason, comment_pk FROM verdict_reason ORDER BY reason, created_at")).all()
            flags = connection.execute(sa.text(
                "SELECT code, flag_group, comment_pk FROM verdict_flag ORDER BY code")).all()
        assert [tuple(row) for row in rows] == [("late", 1), ("too_few_mentions", 3),
                                                ("too_few_mentions", 1)]
        assert [tuple(row) for row in flags] == [("burst", "burst:ig:7", 2),
                                                 ("same_text", "same_text:00ff", 2)]
        db.engine.dispose()
