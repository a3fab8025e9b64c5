"""``flask draw``, ``flask purge``, and ``contest freeze|redeclare`` (added in the factory)."""
from __future__ import annotations

import time

import click

from giveaway.cli_support import service_errors
from giveaway.contests.cli import ParisDateTime
from giveaway.contests.service import get_contest
from giveaway.db_types import utcnow
from giveaway.draws import freeze, retention, service
from giveaway.draws.forms import parse_declared_values


@click.command("freeze")
@click.argument("public_id")
def freeze_command(public_id: str) -> None:
    """Recompute the verdicts and freeze a closed contest's entries (irreversible)."""
    with service_errors():
        frozen = freeze.freeze_contest(get_contest(public_id), "cli")
    click.echo(f"{frozen.count} entries frozen, merkle root {frozen.merkle_root}")


@click.command("redeclare")
@click.argument("public_id")
@click.option("--draw-time", type=ParisDateTime(), required=True)
@click.option("--reason", required=True, help="Shown on the certificate as an anomaly.")
def redeclare_command(public_id: str, draw_time, reason: str) -> None:
    """Declare a later draw time (drand round) after a late freeze."""
    with service_errors():
        setup = freeze.redeclare_beacon(get_contest(public_id), draw_time, reason, "cli")
    click.echo(f"draw time {setup.draw_time.isoformat()} round {setup.drand_round}")


class _Pending(Exception):
    def __init__(self, pending: "service.BeaconPending"):
        super().__init__(pending.message)
        self.pending = pending


@click.command("draw")
@click.argument("public_id")
@click.option("--values", default=None,
              help='Declared public values as published, sources separated by /, '
                   'e.g. "03 17 22 40 48 / 02 09".')
@click.option("--wait", is_flag=True, help="Wait for the drand round if it is not out yet.")
def draw_command(public_id: str, values: str | None, wait: bool) -> None:
    """Run a frozen contest's one draw and print the result."""
    try:
        declared = parse_declared_values(values) if values else None
    except ValueError:
        raise click.BadParameter("values as published (numbers such as 08 or 13.6875, or a "
                                 "text), sources separated by /", param_hint="--values")
    while True:
        try:
            with service_errors():
                try:
                    record = service.run_draw(get_contest(public_id), "cli", declared)
                except service.BeaconPending as pending:
                    raise _Pending(pending) from None
            break
        except _Pending as wrapper:
            exc = wrapper.pending
            if not wait or exc.available_at is None:
                raise click.ClickException(exc.message) from None
            delay = max(1.0, (exc.available_at - utcnow()).total_seconds() + 1)
            click.echo(f"waiting {delay:.0f} s for the drand round…")
            time.sleep(delay)
    for role in ("winners", "alternates"):
        for rank, item in enumerate(record.result[role], 1):
            click.echo(f"{role[:-1]} {rank}: entry {item['index']} leaf {item['leaf']}")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list the contests that are due.")
def purge_command(dry_run: bool) -> None:
    """Delete non-winners' personal data of contests past their claim window + retention."""
    if dry_run:
        for contest in retention.due_contests():
            click.echo(contest.public_id)
        return
    for public_id, deleted in retention.purge_due("cli").items():
        click.echo(f"{public_id}: {deleted} comments deleted")
