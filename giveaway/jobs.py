"""The background job queue: Huey on SQLite under ``instance/`` or, if configured, Redis.

Jobs are plain service functions registered here by name; each runs inside an
app context of the app that the worker (``flask --app giveaway worker``) built
with the factory. Nothing builds an app at import time.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, Optional

import click
import sqlalchemy as sa
from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab

from giveaway.draws import tasks as draws_tasks
from giveaway.extensions import db
from giveaway.eligibility import tasks as eligibility_tasks
from giveaway.harvest import tasks as harvest_tasks

#: Job name → service function run by the worker.
JOBS: dict[str, Callable[..., Any]] = {
    "harvest.run": harvest_tasks.run_harvest_job,
    "harvest.import": harvest_tasks.run_import_job,
    "eligibility.evaluate": eligibility_tasks.evaluate_job,
    "draws.timestamps": draws_tasks.fetch_timestamps_job,
}

#: Job name → what is recorded (and committed) when it is queued, with the job's arguments:
#: a queued evaluation shows its contest's totals as being recomputed.
ON_QUEUE: dict[str, Callable[..., Any]] = {
    "eligibility.evaluate": harvest_tasks.evaluation_queued,
}


def _make_huey(app: Flask) -> Huey:
    immediate = bool(app.config.get("HUEY_IMMEDIATE"))
    if app.config.get("REDIS_URL"):
        return RedisHuey("giveaway", url=app.config["REDIS_URL"], immediate=immediate)
    return SqliteHuey("giveaway", filename=str(Path(app.instance_path) / "jobs.sqlite"),
                      immediate=immediate)


def _in_app_context(app: Flask, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def run(*args, **kwargs):
        with app.app_context():
            return func(*args, **kwargs)
    return run


def init_app(app: Flask) -> None:
    """Create the queue for ``app`` and register its jobs."""
    huey = _make_huey(app)
    tasks = {name: huey.task(name=name)(_in_app_context(app, func))
             for name, func in JOBS.items()}
    recover = _in_app_context(app, harvest_tasks.recover_orphaned_runs)
    huey.periodic_task(crontab(minute="*"), name="harvest.recover")(recover)
    huey.on_startup("harvest.recover")(recover)
    huey.periodic_task(crontab(minute="*"), name="harvest.imports.recover")(
        _in_app_context(app, harvest_tasks.recover_import_jobs))
    huey.periodic_task(crontab(minute="*"), name="eligibility.recover")(
        _in_app_context(app, harvest_tasks.recover_evaluations))
    huey.periodic_task(crontab(minute="*/10"), name="draws.timestamps.retry")(
        _in_app_context(app, draws_tasks.retry_timestamps_job))
    from giveaway.draws.retention import purge_due
    huey.periodic_task(crontab(minute="17", hour="3"), name="draws.purge")(
        _in_app_context(app, purge_due))
    app.extensions["huey"] = huey
    app.extensions["huey_tasks"] = tasks


def enqueue(name: str, *args: Any, delay: Optional[float] = None) -> None:
    """Queue job ``name`` (after ``delay`` seconds, if given). Call it after committing: what
    ``ON_QUEUE`` records for the job is committed here."""
    task = current_app.extensions["huey_tasks"][name]
    if name in ON_QUEUE:
        ON_QUEUE[name](*args)
    if delay:
        task.schedule(args, delay=delay)
    else:
        task(*args)


#: SQLite: dirty pages a worker's write transaction may keep in memory (4 KiB each, so up
#: to 256 MiB) before spilling them into the database file.
SQLITE_SPILL_PAGES = 65_536


def _spill_late(dbapi_connection, _record) -> None:
    """SQLite lets readers in while a transaction writes, until the writer spills its page
    cache into the file: that takes an exclusive lock, and every page of the app (an
    import's own progress) waits for the commit, then fails « database is locked ». The
    worker's long writes (a 60,000-comment import, the evaluation after it) keep their
    pages in memory instead, up to ``SQLITE_SPILL_PAGES``."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA cache_spill = {SQLITE_SPILL_PAGES}")
    cursor.close()


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker_command(workers: int) -> None:
    """Run the background job consumer (harvests, large imports, evaluations) until
    interrupted."""
    if db.engine.dialect.name == "sqlite":
        sa.event.listen(db.engine, "connect", _spill_late)
        db.engine.dispose()  # so that every connection of the worker gets it
    huey: Huey = current_app.extensions["huey"]
    # An idle consumer looks at the SQLite queue at least every second (Huey's default backs
    # off to 10 s): an import sent from the page starts at once. Redis is waited on, not polled.
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True,
                         max_delay=1.0).run()
