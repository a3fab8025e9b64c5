"""``flask partner …`` commands."""
import click

from giveaway.cli_support import service_errors
from giveaway.partners import service


@click.group("partner")
def partner_cli() -> None:
    """Manage partners (local producers)."""


@partner_cli.command("add")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--contact", default="")
@click.option("--description", default="")
@click.option("--instagram", "instagram_handle", default=None, help="The partner's account.")
def add_command(slug: str, name: str, contact: str, description: str,
                instagram_handle: str | None) -> None:
    """Register a partner under SLUG."""
    with service_errors():
        partner = service.create_partner(service.PartnerData(
            slug=slug, name=name, contact=contact, description=description,
            instagram_handle=instagram_handle), actor="cli")
    click.echo(partner.slug)
