"""``flask contest …`` commands."""
from __future__ import annotations

import json
from datetime import datetime

import click

from giveaway.cli_support import service_errors
from giveaway.contests import lifecycle, service
from giveaway.contests.serialise import contest_document
from giveaway.core.paris import NonexistentLocalTime, paris_to_utc
from giveaway.textfields import date_error


class ParisDateTime(click.ParamType):
    """ISO 8601; without an offset the time is read as Paris time."""

    name = "ISO-DATETIME"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = paris_to_utc(datetime.fromisoformat(value))
        except NonexistentLocalTime:
            self.fail(f"{value} does not exist in Paris (daylight-saving change)", param, ctx)
        except (ValueError, OverflowError):
            self.fail(f"{value!r} is not an ISO 8601 date and time", param, ctx)
        problem = date_error(moment)
        if problem:
            self.fail(problem, param, ctx)
        return moment


@click.group("contest")
def contest_cli() -> None:
    """Register, open, close and inspect contests."""


@contest_cli.command("add")
@click.option("--partner", "partners", multiple=True, required=True, help="Partner slug.")
@click.option("--title", required=True)
@click.option("--public-id", default="", help="Stable id for public URLs (default: from title).")
@click.option("--organiser", default="", help="Organiser's Instagram account.")
@click.option("--post", "posts", multiple=True, required=True, help="Instagram post link.")
@click.option("--opens", type=ParisDateTime(), required=True)
@click.option("--closes", type=ParisDateTime(), required=True)
@click.option("--winners", type=int, default=1, show_default=True)
@click.option("--alternates", type=int, default=0, show_default=True)
@click.option("--prize", default="", help="Prize description.")
@click.option("--alcohol", is_flag=True, help="The prize is alcohol (Loi Evin: 18+).")
@click.option("--rules", type=click.File("r", encoding="utf-8"), help="Rules (Markdown) file.")
def add_command(partners, title, public_id, organiser, posts, opens, closes, winners,
                alternates, prize, alcohol, rules) -> None:
    """Register a draft contest and print its public id."""
    from flask import current_app
    organiser = organiser or current_app.config.get("ORGANISER_HANDLE", "")
    data = service.ContestData(
        title=title, public_id=public_id, organiser_handle=organiser, opens_at=opens,
        closes_at=closes, partner_slugs=list(partners), post_urls=list(posts),
        prize_description=prize, winners=winners, alternates=alternates, alcohol_prize=alcohol)
    with service_errors():
        contest = service.create_contest(data, actor="cli",
                                         rules_text=rules.read() if rules else None)
    click.echo(contest.public_id)


@contest_cli.command("rules")
@click.argument("public_id")
@click.argument("rules", type=click.File("r", encoding="utf-8"))
def rules_command(public_id: str, rules) -> None:
    """Save a new version of a draft contest's rules from a Markdown file."""
    with service_errors():
        version = service.add_rules_version(service.get_contest(public_id), rules.read(), "cli")
    click.echo(f"version {version.version} sha256 {version.sha256}")


@contest_cli.command("open")
@click.argument("public_id")
@click.option("--beacon", type=click.Choice(("drand", "rfc3797", "none")), default="drand",
              show_default=True, help="Public randomness of the draw.")
@click.option("--draw-time", type=ParisDateTime(), default=None,
              help="When the randomness exists, Paris time (drand default: 24 h after the "
                   "close; declared values default: the first EuroMillions draw after that).")
@click.option("--beacon-description", default="", help="Which declared public values.")
@click.option("--source", "sources", multiple=True, metavar="'COUNT NAME'",
              help="A declared source and how many values it gives, e.g. '5 numéros' "
                   "(repeat; default: EuroMillions' 5 numbers and 2 stars).")
@click.option("--method", type=click.Choice(("gdraw", "rfc3797")), default="gdraw",
              show_default=True, help="Selection method, fixed at opening.")
@click.option("--commit-only", is_flag=True, help="Confirm a draw without public randomness.")
def open_command(public_id: str, beacon: str, draw_time, beacon_description: str,
                 sources: tuple[str, ...], method: str, commit_only: bool) -> None:
    """Open a draft contest: rules frozen, draw committed with its declaration (gdraw-v2)."""
    from giveaway.draws.commitment import BeaconChoice, caption_code, setup_of
    from giveaway.draws.forms import parse_sources
    try:
        parsed = parse_sources("\n".join(sources))
    except ValueError as exc:
        raise click.UsageError(f"--source n°{exc.args[0]}: write 'COUNT NAME', e.g. "
                               "'5 numéros'") from None
    choice = BeaconChoice(kind=beacon, draw_time=draw_time, description=beacon_description,
                          commit_only_confirmed=commit_only, sources=parsed, method=method)
    with service_errors():
        contest = lifecycle.open_contest(service.get_contest(public_id), actor="cli",
                                         beacon=choice)
    click.echo(f"{contest.public_id} is open")
    click.echo(f"caption code: {caption_code(setup_of(contest), contest.public_id)}")


@contest_cli.command("close")
@click.argument("public_id")
def close_command(public_id: str) -> None:
    """Close an open contest to entries."""
    with service_errors():
        contest = lifecycle.close_contest(service.get_contest(public_id), actor="cli")
    click.echo(f"{contest.public_id} is closed")


@contest_cli.command("archive")
@click.argument("public_id")
def archive_command(public_id: str) -> None:
    """Archive a drawn contest (the last state)."""
    with service_errors():
        contest = lifecycle.archive_contest(service.get_contest(public_id), actor="cli")
    click.echo(f"{contest.public_id} is archived")


@contest_cli.command("show")
@click.argument("public_id")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON document.")
def show_command(public_id: str, as_json: bool) -> None:
    """Show a contest's settings and state."""
    with service_errors():
        document = contest_document(service.get_contest(public_id))
    if as_json:
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    for key in ("public_id", "title", "status", "partners", "posts", "opens_at_paris",
                "closes_at_paris", "winners", "alternates", "rules"):
        click.echo(f"{key}: {document[key]}")
