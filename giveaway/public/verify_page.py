"""What « Verify a draw yourself » shows: commands that run as printed, for one contest
when the page is opened from it (``/c/verify?c=<public id>``), else for any."""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

CLI = "python -m giveaway.verify"
#: docs/PROTOCOL.md of the checkout the app runs from (absent from a bare wheel install).
PROTOCOL_FILE = Path(__file__).resolve().parents[2] / "docs" / "PROTOCOL.md"


@dataclass(frozen=True)
class Commands:
    """``certificate``: the certificate's file name; ``downloads``: (file name, URL) pairs
    (empty when no contest is named: the page then says where to find the files);
    ``verify``: the check; ``entry``: the check of one's own entry, with ``placeholder``
    to replace; ``followup``: the check of the follow-up records (None before any)."""

    certificate: str
    downloads: list[tuple[str, str]] = field(default_factory=list)
    verify: str = ""
    entry: str = ""
    followup: Optional[str] = None


def verify_commands(link: Callable[[str], str], certificate: str, placeholder: str,
                    public_id: Optional[str] = None, caption: Optional[str] = None,
                    has_followups: bool = False) -> Commands:
    """The commands for the certificate file ``certificate``; ``link(path)`` makes an
    absolute URL of a path of this site; with ``public_id`` (a drawn contest), the
    download commands and its ``caption`` code check too."""
    base = f"{CLI} {shlex.quote(certificate)} --leaves leaves.txt"
    if public_id is None:
        return Commands(certificate, verify=f"{base} --public-key key.pem",
                        entry=f"{base} --entry ig:{placeholder}")
    downloads = [(certificate, link(f"/c/{public_id}.json")),
                 ("leaves.txt", link(f"/c/{public_id}/leaves.txt")),
                 ("key.pem", link("/c/key.pem"))]
    verify = f"{base} --public-key key.pem"
    if caption:
        verify += f" --caption {shlex.quote(caption)}"
    followup = None
    if has_followups:
        downloads.append(("followup.json", link(f"/c/{public_id}/followup.json")))
        followup = f"{base} --public-key key.pem --followup followup.json"
    return Commands(certificate, downloads=downloads, verify=verify,
                    entry=f"{base} --entry ig:{placeholder}", followup=followup)


def download_line(name: str, url: str) -> str:
    """``curl -o NAME URL``, quoted for a shell."""
    return f"curl -o {shlex.quote(name)} {shlex.quote(url)}"


def protocol_text() -> Optional[str]:
    """docs/PROTOCOL.md as text, or None when this installation has no copy."""
    try:
        return PROTOCOL_FILE.read_text(encoding="utf-8")
    except OSError:
        return None
