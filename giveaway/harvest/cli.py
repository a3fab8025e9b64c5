"""``flask harvest``, ``flask import-comments`` and ``flask ig-session``."""
from __future__ import annotations

import threading
import time

import click
from flask import current_app
from flask_babel import gettext as _

from giveaway.cli_support import service_errors
from giveaway.contests.service import get_contest
from giveaway.extensions import db
from giveaway.harvest import ig_session, imports, runner, service
from giveaway.harvest.labels import RUN_STATUS_LABELS
from giveaway.harvest.models import ACTIVE_RUN_STATUSES, HarvestRun
from giveaway.harvest.tasks import run_harvest_job

POLL_SECONDS = 10.0  # while another process holds the harvest, look again this often


def _progress_line(run: HarvestRun) -> str:
    announced = sum(s.get("announced") or 0 for s in run.post_stats or [])
    done = run.comments_new + run.comments_seen
    line = f"{run.status}: {run.pages} pages, {done} comments ({run.comments_new} new)"
    if announced:
        line += f" of {announced} announced"
    return line + (f" — {run.last_error}" if run.last_error else "")


@click.command("harvest")
@click.argument("public_id")
@click.option("--wait", is_flag=True, help="Run here and show progress instead of queuing; "
                                           "takes over a run whose process died.")
@click.option("--replies", is_flag=True, help="Also harvest replies to comments.")
def harvest_command(public_id: str, wait: bool, replies: bool) -> None:
    """Harvest the comments of a contest's posts (queued for the worker by default)."""
    if not wait:
        with service_errors():
            run = service.start_harvest(get_contest(public_id), "cli", replies)
        click.echo(f"harvest {run.id} queued; follow it on the contest page")
        return
    claimed = _claim_when_possible(public_id, replies)
    if isinstance(claimed, runner.Claimed):
        _run_here(claimed)
        run_id = claimed.run_id
    else:
        run_id = claimed  # the run waited for ended elsewhere
    db.session.expire_all()
    run = db.session.get(HarvestRun, run_id)
    click.echo("\r" + _progress_line(run).ljust(100))
    for line in service.completeness(get_contest(public_id)):
        click.echo(f"{line.url}: {line.announced if line.announced is not None else '?'} "
                   f"announced, {line.harvested} harvested")
    if run.status != "complete":
        raise SystemExit(1)


def _claim_when_possible(public_id: str, replies: bool) -> runner.Claimed | int:
    """Start or take over the contest's harvest here, polling while a live process holds it.

    Returns what was claimed, or the id of the run waited for if it ended meanwhile.
    """
    waited_for = None
    while True:
        if waited_for is not None:
            db.session.expire_all()
            if db.session.get(HarvestRun, waited_for).status not in ACTIVE_RUN_STATUSES:
                return waited_for
        busy = None
        with service_errors():
            try:
                claimed = runner.claim_here(get_contest(public_id), "cli", replies)
            except runner.HarvestBusy as exc:
                busy = exc
        if busy is None:
            if claimed.previous == "queued":
                click.echo(_("harvest %(id)d was waiting for a worker: it runs here",
                             id=claimed.run_id))
            elif claimed.previous is not None:
                click.echo(_("harvest %(id)d taken over here: the process that ran it no longer "
                             "answered (state: %(state)s)", id=claimed.run_id,
                             state=RUN_STATUS_LABELS.get(claimed.previous, claimed.previous)))
            return claimed
        click.echo(busy.message)
        waited_for = busy.run_id
        time.sleep(min(busy.seconds + 0.2, POLL_SECONDS))


def _run_here(claimed: runner.Claimed) -> None:
    """Run the claimed harvest in a thread (its own app context), showing progress."""
    app = current_app._get_current_object()

    def work():
        with app.app_context():
            run_harvest_job(claimed.run_id, claimed.token)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.5)
        db.session.expire_all()
        click.echo("\r" + _progress_line(db.session.get(HarvestRun, claimed.run_id)).ljust(100),
                   nl=False)


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
