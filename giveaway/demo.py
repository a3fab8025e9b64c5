"""``flask demo``: a demo partner, contest and staff login for a fresh install."""
from __future__ import annotations

import io
import os
import secrets
from datetime import timedelta
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from giveaway.auth.models import User
from giveaway.auth.service import create_user
from giveaway.contests import lifecycle
from giveaway.contests.rules_template import french_rules
from giveaway.contests.service import ContestData, create_contest
from giveaway.db_types import utcnow
from giveaway.demo_comments import demo_comments_csv
from giveaway.draws.commitment import BeaconChoice
from giveaway.draws.followup import candidates, set_status
from giveaway.draws.freeze import freeze_contest
from giveaway.draws.service import run_draw
from giveaway.eligibility.rules_doc import set_rules
from giveaway.extensions import db
from giveaway.harvest.imports import import_comments
from giveaway.partners.service import PartnerData, create_partner

DEMO_EMAIL = "demo@giveaway.test"
CREDENTIALS_FILE = "demo-login.txt"


def database_is_empty() -> bool:
    """True when no account exists yet."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def load_demo() -> str:
    """Create the demo data and return the staff password (also kept in ``instance/``)."""
    password = secrets.token_urlsafe(9)
    create_user(DEMO_EMAIL, password, "admin", actor="demo")
    partner = create_partner(PartnerData(
        slug="vignerons-du-gers", name="Les Vignerons du Gers (démo)",
        contact="contact@vignerons-du-gers.test", instagram_handle="vignerons_du_gers_demo",
        description="Coopérative viticole fictive, pour la démonstration."), actor="demo")
    now = utcnow().replace(microsecond=0)
    opens, closes = now - timedelta(days=2), now + timedelta(days=5)
    prize = "Un coffret de 6 bouteilles de Côtes de Gascogne et deux visites du chai."
    data = ContestData(
        title="Gagnez un coffret des Vignerons du Gers", public_id="coffret-vignerons-du-gers",
        organiser_handle="gers_tourisme_demo", opens_at=opens, closes_at=closes,
        partner_slugs=[partner.slug], post_urls=["https://www.instagram.com/p/DemoGers01/"],
        prize_description=prize, winners=1, alternates=3, alcohol_prize=True)
    rules = french_rules(data.title, data.organiser_handle, [partner.name], opens, closes,
                         prize, 1, 3, True)
    contest = create_contest(data, actor="demo", rules_text=rules)
    lifecycle.open_contest(contest, actor="demo")
    sample = demo_comments_csv(opens, now)
    import_comments(contest, io.BytesIO(sample), "demo-commentaires.csv", actor="demo")
    load_drawn_demo(now)
    path = Path(current_app.instance_path) / CREDENTIALS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(f"{DEMO_EMAIL} {password}\n")
    return password


def load_drawn_demo(now) -> None:
    """A contest already drawn (declared lottery numbers, so it works offline)."""
    partner = create_partner(PartnerData(
        slug="ferme-du-canard", name="La Ferme du Canard (démo)", instagram_handle="ferme_canard_demo",
        description="Producteur fictif de foie gras, pour la démonstration."), actor="demo")
    opens, closes = now - timedelta(days=20), now - timedelta(days=13)
    prize = "Un panier gourmand (foie gras, confits, pastis gascon)."
    data = ContestData(
        title="Gagnez un panier gourmand de la Ferme du Canard", public_id="panier-gourmand",
        organiser_handle="gers_tourisme_demo", opens_at=opens, closes_at=closes,
        partner_slugs=[partner.slug], post_urls=["https://www.instagram.com/p/DemoCanard1/"],
        prize_description=prize, winners=2, alternates=3)
    rules = french_rules(data.title, data.organiser_handle, [partner.name], opens, closes,
                         prize, 2, 3, False)
    contest = create_contest(data, actor="demo", rules_text=rules)
    set_rules(contest, {"min_mentions": 1}, "demo")
    draw_time = closes + timedelta(days=1)
    lifecycle.open_contest(contest, "demo", now=opens - timedelta(hours=1), beacon=BeaconChoice(
        kind="rfc3797", draw_time=draw_time,
        description="Loto du lendemain de la clôture (numéro chance / 5 numéros)",
        sources=[("Loto : numéro chance", 1), ("Loto : les 5 numéros", 5)]))
    sample = demo_comments_csv(opens, closes, count=400, seed=77)
    import_comments(contest, io.BytesIO(sample), "demo-panier.csv", actor="demo")
    lifecycle.close_contest(contest, "demo", now=closes)
    freeze_contest(contest, "demo", now=closes + timedelta(hours=2))
    run_draw(contest, "demo", declared=[[7], [3, 14, 22, 35, 41]])
    first = candidates(contest)[0]
    set_status(contest, first, "no_answer", "Pas de réponse sous 7 jours au message privé.", "demo")


@click.command("demo")
def demo_command() -> None:
    """Load demo data when the database is empty, and print the demo login."""
    if database_is_empty():
        load_demo()
        click.echo("Demo data loaded.")
    path = Path(current_app.instance_path) / CREDENTIALS_FILE
    if path.exists():
        email, password = path.read_text().split()
        click.echo(f"Demo login: {email} / {password}")
    else:
        click.echo("The database already has accounts; no demo data was loaded.")
