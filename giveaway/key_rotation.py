"""``flask keys rotate``: re-encrypt the secrets at rest with the newest key.

After a new key is put first in ``SEED_KEYS`` (or a new ``SECRET_KEY`` with the
old one in ``OLD_SECRET_KEYS``), every draw seed and the Instagram session are
still readable, through the older keys. This command re-encrypts them with the
newest key, so the older keys can then be removed from the configuration.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import click
import sqlalchemy as sa

from giveaway.audit import service as audit
from giveaway.contests.models import Contest
from giveaway.draws.models import DrawSetup
from giveaway.extensions import db
from giveaway.harvest.models import InstagramSession
from giveaway.secretbox import SEED, InvalidToken, rotate


@dataclass
class Rotation:
    """What :func:`rotate_secrets` re-encrypted, and the contests whose seed no key opens."""

    seeds: int = 0
    sessions: int = 0
    unreadable_seeds: list[str] = field(default_factory=list)
    unreadable_sessions: int = 0


def rotate_secrets(actor: str) -> Rotation:
    """Re-encrypt every draw seed and Instagram session with the newest key (audit-logged,
    committed). What no configured key opens is left as it is and listed."""
    done = Rotation()
    rows = db.session.execute(sa.select(DrawSetup, Contest.public_id)
                              .join(Contest, Contest.id == DrawSetup.contest_id)
                              .order_by(DrawSetup.contest_id))
    for setup, public_id in rows:
        try:
            setup.seed_sealed = rotate(SEED, setup.seed_sealed)
            done.seeds += 1
        except InvalidToken:
            done.unreadable_seeds.append(public_id)
    for record in db.session.scalars(sa.select(InstagramSession)):
        try:
            record.settings_encrypted = rotate("instagram-session", record.settings_encrypted)
            done.sessions += 1
        except InvalidToken:
            done.unreadable_sessions += 1
    audit.append(actor, "keys.rotate", "instance", "secrets",
                 {"seeds": done.seeds, "sessions": done.sessions,
                  "unreadable_seeds": done.unreadable_seeds,
                  "unreadable_sessions": done.unreadable_sessions})
    db.session.commit()
    return done


@click.group("keys")
def keys_cli() -> None:
    """Encryption keys of the secrets kept in the database."""


@keys_cli.command("rotate")
def rotate_command() -> None:
    """Re-encrypt draw seeds and the Instagram session with the newest key."""
    done = rotate_secrets("cli")
    click.echo(f"re-encrypted {done.seeds} draw seed(s) and {done.sessions} Instagram "
               "session(s) with the newest key")
    if done.unreadable_seeds or done.unreadable_sessions:
        names = ", ".join(done.unreadable_seeds) or "-"
        raise click.ClickException(
            f"no configured key opens the seed of: {names}; Instagram sessions: "
            f"{done.unreadable_sessions}. Put the key they were sealed with in SEED_KEYS or "
            "OLD_SECRET_KEYS and run this command again (the rest was re-encrypted).")
