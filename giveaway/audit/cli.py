"""``flask audit …`` commands."""
import click

from giveaway.audit import service


@click.group("audit")
def audit_cli() -> None:
    """Inspect the audit log."""


@audit_cli.command("verify")
def verify_command() -> None:
    """Walk the hash chain, cross-check frozen entry lists; exit 1 naming what is broken."""
    from giveaway.draws.integrity import frozen_data_problems
    from giveaway.draws.sealed_integrity import sealed_proof_problems
    report = service.verify_chain()
    if report.ok:
        click.echo(f"✓ audit log intact: {report.records} records, head {report.head}")
    else:
        click.echo(f"✗ audit log broken at record {report.broken_seq}: {report.problem} "
                   f"({report.records} records verified before it)", err=True)
    problems = frozen_data_problems()
    for problem in problems:
        click.echo(f"✗ {problem}", err=True)
    if not problems:
        click.echo("✓ frozen entry lists match the audit log")
    sealed = sealed_proof_problems()
    for problem in sealed:
        click.echo(f"✗ {problem}", err=True)
    if not sealed:
        click.echo("✓ sealed certificates and follow-up records match the audit log")
    problems += sealed
    if problems or not report.ok:
        raise SystemExit(1)
