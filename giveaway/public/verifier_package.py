"""The command-line verifier as a wheel this site serves itself: ``pip install <its URL>``.

``python -m giveaway.verify`` needs only ``giveaway.core`` (pure Python) and three
libraries, so a participant can install it from the organiser's own site, which may
be the only place it is published. The wheel holds ``giveaway/verify.py``,
``giveaway/core/`` (Python files only) and a ``giveaway/__init__.py`` of its own (the
app's would need Flask), with metadata naming the three dependencies. It is built
once per process, the same bytes for the same code (sorted names, fixed times).
"""
from __future__ import annotations

import base64
import functools
import hashlib
import io
import zipfile
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "giveaway_verify"
REQUIRES = ("cryptography>=42", "py_ecc>=7.0", "rfc3161-client>=1.0")
PACKAGE = Path(__file__).resolve().parents[1]
_STUB = ('"""The draw verifier of giveaway, alone: python -m giveaway.verify '
         'certificate.json --leaves leaves.txt"""\n')
_FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def version() -> str:
    """The app's version (the verifier is the app's own code), "0" when not installed."""
    try:
        return metadata.version("giveaway")
    except metadata.PackageNotFoundError:
        return "0"


def wheel_name() -> str:
    """The wheel's file name, as pip requires it: ``giveaway_verify-<version>-py3-none-any.whl``."""
    return f"{DISTRIBUTION}-{version()}-py3-none-any.whl"


def _sources() -> dict[str, bytes]:
    files = {"giveaway/__init__.py": _STUB.encode(),
             "giveaway/verify.py": (PACKAGE / "verify.py").read_bytes()}
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        files[path.relative_to(PACKAGE.parent).as_posix()] = path.read_bytes()
    return files


def _metadata() -> dict[str, bytes]:
    info = f"{DISTRIBUTION}-{version()}.dist-info"
    lines = ["Metadata-Version: 2.1", f"Name: {DISTRIBUTION.replace('_', '-')}",
             f"Version: {version()}",
             "Summary: Standalone verifier of giveaway draw certificates (gdraw-v1, gdraw-v2)",
             "License: AGPL-3.0-or-later", "Requires-Python: >=3.11",
             *(f"Requires-Dist: {requirement}" for requirement in REQUIRES)]
    wheel = ["Wheel-Version: 1.0", "Generator: giveaway", "Root-Is-Purelib: true",
             "Tag: py3-none-any"]
    return {f"{info}/METADATA": ("\n".join(lines) + "\n").encode(),
            f"{info}/WHEEL": ("\n".join(wheel) + "\n").encode()}


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


@functools.cache
def verifier_wheel() -> bytes:
    """The wheel's bytes (a zip with a RECORD of every file's SHA-256, as pip checks it)."""
    files = {**_sources(), **_metadata()}
    record_name = f"{DISTRIBUTION}-{version()}.dist-info/RECORD"
    record = "\n".join([*(_record_line(n, d) for n, d in files.items()), f"{record_name},,"])
    files[record_name] = (record + "\n").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            entry = zipfile.ZipInfo(name, _FIXED_TIME)
            entry.external_attr = 0o644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, data)
    return out.getvalue()
