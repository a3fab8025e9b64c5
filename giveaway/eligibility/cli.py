"""``flask entries …`` and ``contest eligibility`` (added in the factory)."""
from __future__ import annotations

import json

import click

from giveaway.cli_support import service_errors
from giveaway.contests.service import get_contest
from giveaway.eligibility import review, rules_doc, service

MAX_RULES_CHARS = 64 * 1024  # a rules document is a few hundred characters


@click.command("eligibility")
@click.argument("public_id")
@click.argument("document", type=click.File("r", encoding="utf-8"))
def eligibility_command(public_id: str, document) -> None:
    """Load a draft contest's eligibility rules from a JSON document (keys in the README)."""
    text = document.read(MAX_RULES_CHARS + 1)
    if len(text) > MAX_RULES_CHARS:
        raise click.ClickException(f"the rules document is over {MAX_RULES_CHARS:,} characters")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"not valid JSON: {exc}") from None
    except RecursionError:
        raise click.ClickException("not a rules document: the JSON is nested too deeply") \
            from None
    with service_errors():
        rules = rules_doc.set_rules(get_contest(public_id), data, "cli")
    click.echo(json.dumps(rules.to_dict(), indent=2, ensure_ascii=False))


@click.group("entries")
def entries_cli() -> None:
    """Verdicts on a contest's comments."""


@entries_cli.command("evaluate")
@click.argument("public_id")
def evaluate_command(public_id: str) -> None:
    """Recompute and store every verdict; print the totals."""
    with service_errors():
        evaluation = service.evaluate_contest(get_contest(public_id), "cli")
    totals = evaluation.totals
    click.echo(f"{totals['comments']} comments: {totals['counted']} counted "
               f"({totals['entries']} entries), {totals['excluded']} excluded")
    for code, count in totals["by_reason"].items():
        click.echo(f"  {code}: {count}")


@entries_cli.command("export")
@click.argument("public_id")
@click.option("--csv", "path", type=click.Path(dir_okay=False, writable=True), required=True)
def export_command(public_id: str, path: str) -> None:
    """Write one CSV row per comment: ids, username, verdict, reasons, flags."""
    with service_errors():
        contest = get_contest(public_id)
    lines = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        for chunk in review.export_rows(contest):
            out.write(chunk)
            lines += 1
    click.echo(f"{lines - 1} comments written to {path}")
