"""``flask audit …`` commands."""
import click

from giveaway.audit import service


@click.group("audit")
def audit_cli() -> None:
    """Inspect the audit log."""


@audit_cli.command("verify")
def verify_command() -> None:
    """Walk the hash chain and name the first broken record (exit 1 if any)."""
    report = service.verify_chain()
    if report.ok:
        click.echo(f"✓ audit log intact: {report.records} records, head {report.head}")
        return
    click.echo(f"✗ audit log broken at record {report.broken_seq}: {report.problem} "
               f"({report.records} records verified before it)", err=True)
    raise SystemExit(1)
