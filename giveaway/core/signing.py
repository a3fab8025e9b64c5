"""Ed25519 signing of certificate documents (``cryptography``).

The signature covers the canonical JSON of the document without its
``signature`` member.  ``key_id`` is the hex SHA-256 of the 32-byte raw
public key (all 32 bytes: short ids invite confusion and cost nothing).
The raw public key is also embedded as ``signature.public_key``: checking
against it proves the document is intact, not who signed it.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .encoding import canonical_json, sha256
from .errors import KeyFileError

ALGORITHM = "Ed25519"
_RAW_HEX = re.compile(r"[0-9a-fA-F]{64}")
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


def load_or_create_signing_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """Return the Ed25519 private key kept at ``path``, creating it on first use.

    A new key is written as unencrypted PKCS#8 PEM with mode 0600, to a
    temporary file then hard-linked into place, so a concurrent reader never
    sees a half-written key and two processes racing both keep the winner's.
    Raises KeyFileError if an existing file is not an Ed25519 private key, or
    the key cannot be written.
    """
    path = Path(path)
    if path.exists():
        return load_signing_key(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
    except FileExistsError:
        return load_signing_key(path)
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot write the signing key ({exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return key


def load_signing_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """Return the Ed25519 private key in the PEM file ``path``; raise KeyFileError."""
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise KeyFileError(f"{path}: cannot load the signing key ({exc})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path}: not an Ed25519 private key")
    return key


def public_key_raw(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """Return the 32-byte raw public key of ``key``."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(*_RAW)


def public_key_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Return the raw public key as 64 lowercase hex digits."""
    return public_key_raw(key).hex()


def public_key_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Return the public key as SubjectPublicKeyInfo PEM text."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def key_id(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """Return the key id: hex SHA-256 of the raw public key."""
    return sha256(public_key_raw(key)).hex()


def parse_public_key(data: bytes | str) -> Ed25519PublicKey:
    """Return the Ed25519 public key in ``data``: PEM, or 64 hex digits (raw key).

    Raises KeyFileError when it is neither.
    """
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    text = text.strip()
    if _RAW_HEX.fullmatch(text):
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
    try:
        key = serialization.load_pem_public_key(text.encode("utf-8"))
    except (ValueError, TypeError):
        raise KeyFileError("not an Ed25519 public key (PEM, or 64 hex digits)") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError("the key is not an Ed25519 public key")
    return key


def load_public_key(path: str | os.PathLike[str]) -> Ed25519PublicKey:
    """Return the Ed25519 public key in file ``path``; raise KeyFileError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: {exc.strerror or exc}") from None
    try:
        return parse_public_key(data)
    except KeyFileError as exc:
        raise KeyFileError(f"{path}: {exc}") from None


def signing_payload(doc: dict[str, Any]) -> bytes:
    """Return the bytes that are signed: canonical JSON of ``doc`` minus ``signature``.

    Raises InvalidInput("document…") when ``doc`` holds a float.
    """
    return canonical_json({k: v for k, v in doc.items() if k != "signature"})


def sign_document(doc: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """Return a copy of ``doc`` with a ``signature`` member by ``key``.

    Any previous signature is replaced.  Raises InvalidInput for a float.
    """
    value = key.sign(signing_payload(doc))
    signed = {k: v for k, v in doc.items() if k != "signature"}
    signed["signature"] = {"alg": ALGORITHM, "key_id": key_id(key),
                           "public_key": public_key_hex(key),
                           "value": base64.b64encode(value).decode("ascii")}
    return signed


def signature_is_valid(doc: dict[str, Any], value_b64: str, key: Ed25519PublicKey) -> bool:
    """Return True when base64 ``value_b64`` is ``key``'s signature of ``doc``.

    Returns False for undecodable base64 or a document that cannot be canonicalised.
    """
    try:
        value = base64.b64decode(value_b64, validate=True)
        key.verify(value, signing_payload(doc))
    except (binascii.Error, ValueError, InvalidSignature):
        return False
    return True
