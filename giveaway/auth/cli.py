"""``flask create-user``."""
import secrets
import sys

import click

from giveaway.auth import service
from giveaway.auth.models import ROLES
from giveaway.cli_support import service_errors
from giveaway.partners import service as partners


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--partner", "partner_slug", help="The partner a partner user belongs to.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from standard input instead of generating one.")
def create_user_command(email: str, role: str, partner_slug: str | None,
                        password_stdin: bool) -> None:
    """Create an account. Without --password-stdin a random password is printed once."""
    with service_errors():
        partner = partners.get_partner(partner_slug) if partner_slug else None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = secrets.token_urlsafe(12)
        user = service.create_user(email, password, role, partner)
    click.echo(f"created {user.role} {user.email}")
    if not password_stdin:
        click.echo(f"password: {password}")
