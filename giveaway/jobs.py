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
from flask import Flask, current_app
from huey import Huey, RedisHuey, SqliteHuey, crontab

from giveaway.draws import tasks as draws_tasks
from giveaway.eligibility import tasks as eligibility_tasks
from giveaway.harvest import tasks as harvest_tasks

#: Job name → service function run by the worker.
JOBS: dict[str, Callable[..., Any]] = {
    "harvest.run": harvest_tasks.run_harvest_job,
    "eligibility.evaluate": eligibility_tasks.evaluate_job,
    "draws.timestamps": draws_tasks.fetch_timestamps_job,
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
    huey.periodic_task(crontab(minute="*/10"), name="draws.timestamps.retry")(
        _in_app_context(app, draws_tasks.retry_timestamps_job))
    from giveaway.draws.retention import purge_due
    huey.periodic_task(crontab(minute="17", hour="3"), name="draws.purge")(
        _in_app_context(app, purge_due))
    app.extensions["huey"] = huey
    app.extensions["huey_tasks"] = tasks


def enqueue(name: str, *args: Any, delay: Optional[float] = None) -> None:
    """Queue job ``name`` (after ``delay`` seconds, if given)."""
    task = current_app.extensions["huey_tasks"][name]
    if delay:
        task.schedule(args, delay=delay)
    else:
        task(*args)


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def worker_command(workers: int) -> None:
    """Run the background job consumer (harvests) until interrupted."""
    huey: Huey = current_app.extensions["huey"]
    huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()
