"""``flask harvest``, ``flask import-comments`` and ``flask ig-session``."""
from __future__ import annotations

import threading
import time

import click
from flask import current_app

from giveaway.cli_support import service_errors
from giveaway.contests.service import get_contest
from giveaway.extensions import db
from giveaway.harvest import ig_session, imports, service
from giveaway.harvest.models import HarvestRun
from giveaway.harvest.tasks import run_harvest_job


def _progress_line(run: HarvestRun) -> str:
    announced = sum(s.get("announced") or 0 for s in run.post_stats or [])
    done = run.comments_new + run.comments_seen
    line = f"{run.status}: {run.pages} pages, {done} comments ({run.comments_new} new)"
    if announced:
        line += f" of {announced} announced"
    return line + (f" — {run.last_error}" if run.last_error else "")


@click.command("harvest")
@click.argument("public_id")
@click.option("--wait", is_flag=True, help="Run here and show progress instead of queuing.")
@click.option("--replies", is_flag=True, help="Also harvest replies to comments.")
def harvest_command(public_id: str, wait: bool, replies: bool) -> None:
    """Harvest the comments of a contest's posts (queued for the worker by default)."""
    with service_errors():
        run = service.start_harvest(get_contest(public_id), "cli", replies, queue=not wait)
    run_id = run.id
    if not wait:
        click.echo(f"harvest {run_id} queued; follow it on the contest page")
        return
    app = current_app._get_current_object()

    def work():
        with app.app_context():
            run_harvest_job(run_id)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.5)
        db.session.expire_all()
        click.echo("\r" + _progress_line(db.session.get(HarvestRun, run_id)).ljust(100),
                   nl=False)
    db.session.expire_all()
    run = db.session.get(HarvestRun, run_id)
    click.echo("\r" + _progress_line(run).ljust(100))
    for line in service.completeness(get_contest(public_id)):
        click.echo(f"{line.url}: {line.announced if line.announced is not None else '?'} "
                   f"announced, {line.harvested} harvested")
    if run.status != "complete":
        raise SystemExit(1)


@click.command("import-comments")
@click.argument("public_id")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(public_id: str, path: str) -> None:
    """Import comments from a CSV or JSON file into a contest (whole or not at all)."""
    started = time.monotonic()

    def progress(rows: int) -> None:
        click.echo(f"\r{rows} rows read", nl=False, err=True)

    with service_errors(), open(path, "rb") as handle:
        record = imports.import_comments(get_contest(public_id), handle, path, "cli", progress)
    click.echo(f"\rimported {record.rows} comments ({record.comments_new} new, "
               f"{record.comments_seen} already stored) in {time.monotonic() - started:.1f} s; "
               f"sha256 {record.sha256}")


@click.group("ig-session")
def ig_session_cli() -> None:
    """The Instagram account used to harvest."""


@ig_session_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def ig_import_command(path: str) -> None:
    """Store an instagrapi settings file (dump_settings) as the connected session."""
    with service_errors():
        record = ig_session.import_settings_file(path, "cli")
    click.echo(f"Instagram session stored for {record.username} (encrypted)")


@ig_session_cli.command("status")
def ig_status_command() -> None:
    """Show which account is connected and whether it needs attention."""
    record = ig_session.current_session()
    if record is None:
        click.echo("no Instagram account connected")
        return
    click.echo(f"{record.username}: {record.status} {record.status_detail}".rstrip())
