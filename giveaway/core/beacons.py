"""gdraw-v1 step 4: the three kinds of beacon and their document form.

Each beacon gives the transcript its ``beacon_id``, round ``R`` and value
``B``.  Commit-only draws carry a plain-words warning (:func:`beacon_warning`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Union

from .drand import DrandChain, chain_for, check_round
from .encoding import parse_hex, sha256, utf8
from .errors import InvalidDocument, InvalidInput
from .rfc3797 import Value, source_values
from .rfc3797 import key_string as make_key_string


@dataclass(frozen=True)
class BeaconWarning:
    """A warning to show with a certificate: ``code`` to translate, ``text`` in English."""

    code: str
    text: str


COMMIT_ONLY_WARNING = BeaconWarning(
    code="commit_only",
    text=("This draw used no external randomness (commit-only). The seed was fixed "
          "before the entries were known, but the organiser, who knew the seed, could "
          "still have added or removed entries to choose the winner. It is weaker than "
          "a draw tied to a public beacon."),
)


@dataclass(frozen=True)
class NoBeacon:
    """Commit-only: ``beacon_id = ""``, ``R = 0``, ``B = ""``."""

    kind: ClassVar[str] = "none"
    beacon_id: ClassVar[str] = ""
    round: ClassVar[int] = 0
    value: ClassVar[bytes] = b""

    def to_document(self) -> dict[str, Any]:
        """Return the ``beacon`` member, with the commit-only warning in plain words."""
        return {"kind": self.kind, "warning": COMMIT_ONLY_WARNING.text}


@dataclass(frozen=True)
class DrandBeacon:
    """A drand round: ``beacon_id = "drand:<chain hash>"``, ``R`` = round, ``B = H(signature)``."""

    chain_hash: bytes
    round: int
    signature: bytes
    kind: ClassVar[str] = "drand"

    @property
    def beacon_id(self) -> str:
        return "drand:" + self.chain_hash.hex()

    @property
    def randomness(self) -> bytes:
        """Return ``H(signature)``, drand's published randomness."""
        return sha256(self.signature)

    @property
    def value(self) -> bytes:
        return self.randomness

    @property
    def chain(self) -> DrandChain:
        """Return the pinned chain; raise InvalidInput("beacon.chain_hash") if unknown."""
        return chain_for(self.chain_hash)

    def verify(self) -> None:
        """Check the round's BLS signature; raise BeaconVerificationError if it fails."""
        self.chain.verify(self.round, self.signature)

    def to_document(self) -> dict[str, Any]:
        """Return the ``beacon`` member of the certificate."""
        return {"kind": self.kind, "chain_hash": self.chain_hash.hex(), "round": self.round,
                "signature": self.signature.hex(), "randomness": self.randomness.hex()}


@dataclass(frozen=True)
class DeclaredValuesBeacon:
    """Public values declared in advance: ``beacon_id = "rfc3797"``, ``B = H(key string)``.

    ``sources`` keeps the values as published: ints, and strings such as
    ``"08285182"``, ``"13.6875"`` or ``"W 4-1"`` (see :mod:`.rfc3797`).
    """

    key_string: str
    sources: tuple[tuple[Value, ...], ...] | None = None
    description: str = ""
    kind: ClassVar[str] = "rfc3797"
    beacon_id: ClassVar[str] = "rfc3797"
    round: ClassVar[int] = 0

    @classmethod
    def from_sources(cls, sources: Iterable[Iterable[Value]],
                     description: str = "") -> DeclaredValuesBeacon:
        """Return the beacon of ``sources`` with its canonical RFC 3797 key string.

        The values are kept as given (``"08"`` stays a string).  Raises
        InvalidInput("beacon.sources[i]") for an unusable source or value.
        """
        frozen = tuple(tuple(source_values(source, i)) for i, source in enumerate(sources))
        return cls(make_key_string(frozen), frozen, description)

    @property
    def value(self) -> bytes:
        return sha256(self.key_string.encode("utf-8"))

    def to_document(self) -> dict[str, Any]:
        """Return the ``beacon`` member of the certificate."""
        doc: dict[str, Any] = {"kind": self.kind, "key_string": self.key_string}
        if self.sources is not None:
            doc["sources"] = [list(source) for source in self.sources]
        if self.description:
            doc["description"] = self.description
        return doc


Beacon = Union[NoBeacon, DrandBeacon, DeclaredValuesBeacon]


def beacon_warning(beacon: Beacon) -> BeaconWarning | None:
    """Return the warning a certificate must show for ``beacon``, or None."""
    return COMMIT_ONLY_WARNING if isinstance(beacon, NoBeacon) else None


def beacon_from_document(doc: Any) -> Beacon:
    """Return the beacon described by a certificate's ``beacon`` member.

    Only the shape is checked here (the BLS signature and the key string's
    consistency are verification steps).  Raises InvalidDocument naming the
    field for a missing or malformed member, an unknown kind or drand chain.
    """
    if not isinstance(doc, dict):
        raise InvalidDocument("beacon", "must be an object")
    kind = doc.get("kind")
    try:
        if kind == "none":
            return NoBeacon()
        if kind == "drand":
            return _drand_from_document(doc)
        if kind == "rfc3797":
            return _declared_from_document(doc)
    except InvalidDocument:
        raise
    except InvalidInput as exc:
        raise InvalidDocument(exc.field, exc.reason) from None
    if kind is None:
        raise InvalidDocument("beacon.kind", "is missing")
    raise InvalidDocument("beacon.kind", f"unknown beacon kind {kind!r} "
                                         "(expected none, drand or rfc3797)")


def _drand_from_document(doc: dict[str, Any]) -> DrandBeacon:
    for name in ("chain_hash", "round", "signature", "randomness"):
        if name not in doc:
            raise InvalidDocument(f"beacon.{name}", "is missing")
    chain = chain_for(parse_hex(doc["chain_hash"], "beacon.chain_hash", 32))
    parse_hex(doc["randomness"], "beacon.randomness", 32)
    signature = parse_hex(doc["signature"], "beacon.signature", 48)
    return DrandBeacon(chain.chain_hash, check_round(doc["round"]), signature)


def _declared_from_document(doc: dict[str, Any]) -> DeclaredValuesBeacon:
    raw_sources = doc.get("sources")
    sources = None
    if raw_sources is not None:
        if not isinstance(raw_sources, list) or not all(isinstance(s, list) for s in raw_sources):
            raise InvalidDocument("beacon.sources", "must be a list of lists of integers "
                                                    "and strings")
        make_key_string(raw_sources)  # form check only: the values stay as published
        sources = tuple(tuple(s) for s in raw_sources)
    text = doc.get("key_string")
    if text is None:
        if sources is None:
            raise InvalidDocument("beacon.key_string", "is missing (and there are no sources)")
        text = make_key_string(sources)
    utf8(text, "beacon.key_string")
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise InvalidDocument("beacon.description", "must be a string")
    return DeclaredValuesBeacon(text, sources, description)
