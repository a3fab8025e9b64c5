"""What a production server checks before serving (called by ``wsgi.py``, never by ``make run``).

Each check returns the message to print, naming the setting to change and how.
"""
from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Optional, Sequence

from flask import Flask

from giveaway.secretbox import key_list

MIN_KEY_BYTES = 32


def problems(app: Flask) -> list[str]:
    """Every reason ``app`` may not serve in production (empty: it may)."""
    found = [_public_url(app), _debug(app), _secret_key(app), _rate_limit_storage(app),
             _operator_label(app)]
    return [message for message in found if message]


def _public_url(app: Flask) -> Optional[str]:
    url = app.config.get("PUBLIC_URL") or ""
    if url.startswith(("https://", "http://")):
        return None
    return ("giveaway: PUBLIC_URL is not set. Certificates link to the public pages through "
            "it (never through the request's Host header). Set it to the address the public "
            "uses, e.g. GIVEAWAY_PUBLIC_URL=https://jeux.example.fr, or PUBLIC_URL in "
            "instance/config.py.")


def _operator_label(app: Flask) -> Optional[str]:
    if "@" not in (app.config.get("OPERATOR_PUBLIC_LABEL") or ""):
        return None
    return ("giveaway: OPERATOR_PUBLIC_LABEL looks like an e-mail address. It is printed on "
            "every public certificate: use a role or a service (e.g. \"Service communication "
            "du Département\").")


def _debug(app: Flask) -> Optional[str]:
    if not app.debug:
        return None
    return ("giveaway: debug mode is on (FLASK_DEBUG or GIVEAWAY_DEBUG). It shows tracebacks "
            "and lets a browser run code on the server: it is for `make run` only. Unset "
            "FLASK_DEBUG and GIVEAWAY_DEBUG (or DEBUG in instance/config.py).")


def _length(secret) -> int:
    return len(secret.encode() if isinstance(secret, str) else secret or b"")


def _secret_key(app: Flask) -> Optional[str]:
    advice = ("Generate one with: python -c 'import secrets; print(secrets.token_hex(32))'. "
              "Changing it logs everyone out; put the old one in GIVEAWAY_OLD_SECRET_KEYS "
              "(a JSON list) so stored draw seeds can still be decrypted.")
    if _length(app.config.get("SECRET_KEY")) < MIN_KEY_BYTES:
        return (f"giveaway: SECRET_KEY is shorter than {MIN_KEY_BYTES} bytes: sessions and "
                f"stored secrets would be guessable. {advice}")
    seed_keys = key_list(app.config.get("SEED_KEYS"))
    if seed_keys and _length(seed_keys[0]) < MIN_KEY_BYTES:
        return (f"giveaway: the first key of SEED_KEYS (it encrypts new draw seeds) is shorter "
                f"than {MIN_KEY_BYTES} bytes. Put a longer key first, keeping the old ones "
                "after it.")
    return None


def _rate_limit_storage(app: Flask) -> Optional[str]:
    if not str(app.config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        return None
    workers = web_workers(app)
    if workers == 1:
        return None
    told = f"{workers} workers serve" if workers else "the number of workers is unknown " \
        "(gunicorn reads a configuration file)"
    return (f"giveaway: {told}, but the rate limits (failed logins) are kept in each "
            "worker's memory, so each worker counts on its own. Set GIVEAWAY_REDIS_URL "
            "(e.g. redis://127.0.0.1:6379/0) or GIVEAWAY_RATELIMIT_STORAGE_URI to a shared "
            "storage, or, with a single worker, GIVEAWAY_WEB_WORKERS=1.")


def web_workers(app: Flask, argv: Sequence[str] | None = None,
                environ: dict[str, str] | None = None) -> Optional[int]:
    """How many processes serve the app.

    ``WEB_WORKERS`` when set; else, under gunicorn, ``-w``/``--workers`` from its command
    line, then from ``GUNICORN_CMD_ARGS``; else ``WEB_CONCURRENCY`` (gunicorn's default);
    else 1. None when gunicorn reads a configuration file this cannot see (``-c``, or a
    ``gunicorn.conf.py`` in the current folder) and nothing else says.
    """
    if app.config.get("WEB_WORKERS"):
        return int(app.config["WEB_WORKERS"])
    argv = list(sys.argv if argv is None else argv)
    environ = os.environ if environ is None else environ
    under_gunicorn = bool(argv) and "gunicorn" in Path(argv[0]).as_posix()
    sources = [shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))]
    if under_gunicorn:
        sources.insert(0, argv[1:])
    for args in sources:
        count = _option(args, ("-w", "--workers"))
        if count is not None:
            return count
    config_file = any(_option(args, ("-c", "--config"), int_value=False) for args in sources)
    if under_gunicorn and (config_file or Path("gunicorn.conf.py").exists()):
        return None
    if environ.get("WEB_CONCURRENCY", "").strip().isdigit():
        return int(environ["WEB_CONCURRENCY"])
    return 1


def _option(args: Sequence[str], names: tuple[str, ...], int_value: bool = True):
    """The last value of the option ``names`` in ``args`` (``-w 4``, ``-w4``, ``--workers=4``)."""
    found = None
    for i, arg in enumerate(args):
        value = None
        for name in names:
            if arg == name and i + 1 < len(args):
                value = args[i + 1]
            elif arg.startswith(name + "=") and name.startswith("--"):
                value = arg[len(name) + 1:]
            elif not name.startswith("--") and arg.startswith(name) and len(arg) > len(name):
                value = arg[len(name):]
        if value is not None:
            found = value
    if found is None or not int_value:
        return found
    return int(found) if found.strip().isdigit() else None
