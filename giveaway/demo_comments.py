"""Sample comments for the demo contest: French, with mentions, hashtags and the usual mess.

Deterministic (a fixed seed) so every fresh install shows the same contest.
Not part of any draw: this only generates demo input.
"""
from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta

FIRST = ["camille", "lea", "manon", "chloe", "ines", "louise", "jade", "emma", "hugo", "lucas",
         "theo", "nathan", "louis", "arthur", "jules", "zoe", "lina", "mael", "noemie",
         "clement", "mathilde", "baptiste", "oceane", "romain", "elodie", "maxime", "pauline"]
LAST = ["martin", "bernard", "dubois", "thomas", "robert", "richard", "petit", "durand",
        "leroy", "moreau", "simon", "laurent", "lefebvre", "michel", "garcia", "roux",
        "daguerre", "lafitte", "castaing", "dupouy"]
TEXTS = [
    "Je participe avec plaisir ! {m} #concours #gers",
    "Trop beau ce coffret 😍 {m}",
    "Merci pour ce jeu-concours ! {m} #vigneronsdugers",
    "J'adore les Côtes de Gascogne, je tente ma chance {m}",
    "Ça serait génial de gagner 🙏 {m} #concours",
    "Partagé en story ✨ {m} #Gers",
    "Bonne chance à tous ! {m}",
    "Coucou {m}, on tente ? 🍷 #jeuconcours",
    "Je joue ! {m} #GÉRS",
    "Tentée ! {m} #concours",
]
HOSTILE = ["<script>alert('gagné')</script> {m}", "\u202eruojnob\u202c {m} #concours"]


def _handle(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}{rng.randint(1, 99)}"


def demo_comments_csv(opens_at: datetime, until: datetime, count: int = 1000,
                      seed: int = 32) -> bytes:
    """Return a CSV export (the import format) of ``count`` comments between the two times.

    About 6 % are posted before the opening, a fifth of the accounts comment
    several times, some comments have too few mentions, a few are replies or
    come from Facebook, and two carry hostile text.
    """
    rng = random.Random(seed)
    users = [(str(40_000_000_000 + i * 7919), _handle(rng)) for i in range(760)]
    span = int((until - opens_at).total_seconds())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["comment_id", "user_id", "username", "text", "created_at", "parent_id",
                     "network"])
    previous: list[str] = []
    for i in range(count):
        user_id, username = users[i] if i < len(users) else rng.choice(users[:200])
        mentions = " ".join(f"@{_handle(rng)}" for _ in range(rng.choice((0, 1, 2, 2, 2, 3))))
        template = HOSTILE[i % 2] if i in (137, 642) else rng.choice(TEXTS)
        created = opens_at + timedelta(seconds=rng.randint(0, span))
        if rng.random() < 0.06:
            created = opens_at - timedelta(minutes=rng.randint(5, 600))
        network = "facebook" if rng.random() < 0.04 else "ig"
        parent = rng.choice(previous) if previous and rng.random() < 0.05 else ""
        comment_id = str(18_000_000_000_000_000 + i * 104_729)
        writer.writerow([comment_id if network == "ig" else f"fb-{i}", user_id, username,
                         template.format(m=mentions), created.isoformat(), parent, network])
        if network == "ig":
            previous.append(comment_id)
    return out.getvalue().encode("utf-8")
