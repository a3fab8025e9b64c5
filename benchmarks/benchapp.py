"""What the app benchmarks share: a throw-away app on a SQLite file, and peak memory."""
from __future__ import annotations

import resource


def bench_app(folder: str, **config):
    """An app on ``<folder>/bench.sqlite``: CSRF off, jobs inline, cheap password hashing."""
    from giveaway import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                       "TSA_URLS": (), "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                       "HUEY_IMMEDIATE": True, "PASSWORD_HASH_PROFILE": "CHEAPEST",
                       "SESSION_COOKIE_SECURE": False, **config},
                      instance_path=f"{folder}/instance")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
