"""A real RFC 3161 time-stamping authority for the tests, on 127.0.0.1.

:class:`TestCA` makes a throw-away root CA and a TSA certificate carrying the
critical ``timeStamping`` extended key usage (with ``cryptography``).
:class:`LocalTSA` serves ``POST /`` with :mod:`http.server` in a thread and
answers each query by running ``openssl ts -reply`` on it: the replies are
real, signed by a real implementation, nothing is mocked.

Behaviours a test can ask for: :meth:`LocalTSA.fail` (answer HTTP 503),
:meth:`LocalTSA.reject` (openssl itself answers "rejection": the reply
configuration accepts only SHA-512 imprints), :meth:`LocalTSA.leaf_only`
(the reply carries the TSA certificate but not the CA), :meth:`LocalTSA.down`
/ :meth:`LocalTSA.up` (close and reopen the listening port), :meth:`reset`.
"""
from __future__ import annotations

import datetime as dt
import socket
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OPENSSL = "/usr/bin/openssl"
_MAX_QUERY = 16 * 1024

_CONFIG = """\
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.4146.2.3
digests = {digests}
accuracy = secs:1, millisecs:500, microsecs:100
clock_precision_digits = 0
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _name(common_name: str, unit: str = "") -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Giveaway tests"),
                  x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if unit:
        attributes.insert(1, x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    return x509.Name(attributes)


# openssl ts -reply writes the signer's certificate first, then the -chain ones, without
# sorting them, while DER (which rfc3161-client enforces) wants a SET OF sorted by encoding.
# A CA certificate longer than the TSA's one (its name carries an OU) sorts after it.
_CA_UNIT = "Throw-away root certification authority of the giveaway test suite"


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


class TestCA:
    """A self-signed root CA and one TSA certificate it issued, as PEM files in ``folder``."""

    __test__ = False  # not a pytest test class

    def __init__(self, folder: Path, name: str = "Giveaway Test Root CA") -> None:
        now = dt.datetime.now(dt.timezone.utc)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = _name(name, _CA_UNIT)
        self.ca_cert = (
            x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
            .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
        tsa_key = ec.generate_private_key(ec.SECP256R1())
        self.tsa_cert = (
            x509.CertificateBuilder().subject_name(_name(f"{name} TSA"))
            .issuer_name(self.ca_cert.subject)
            .public_key(tsa_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=29))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                           critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
        assert _der(self.tsa_cert) < _der(self.ca_cert), "see _CA_UNIT"
        folder.mkdir(parents=True, exist_ok=True)
        self.ca_pem = _pem(self.ca_cert)
        self.ca_path = folder / "ca.pem"
        self.ca_path.write_bytes(self.ca_pem)
        self.tsa_cert_path = folder / "tsa.pem"
        self.tsa_cert_path.write_bytes(_pem(self.tsa_cert))
        self.tsa_key_path = folder / "tsa.key"
        self.tsa_key_path.write_bytes(tsa_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))


class LocalTSA:
    """An RFC 3161 endpoint on 127.0.0.1 backed by ``openssl ts -reply``.

    ``url`` is its address, ``ca_pem`` the root certificate that signs its
    certificate, ``requests`` how many queries reached it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.ca = TestCA(folder / "ca")
        (folder / "serial").write_text("01\n")
        self._config = folder / "tsa.cnf"
        self._config.write_text(_CONFIG.format(serial=folder / "serial",
                                               digests="sha256, sha384, sha512"))
        self._reject_config = folder / "tsa-reject.cnf"
        self._reject_config.write_text(_CONFIG.format(serial=folder / "serial",
                                                      digests="sha512"))
        self._lock = threading.Lock()  # openssl updates the serial file
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.reset()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tsr"

    @property
    def ca_pem(self) -> bytes:
        return self.ca.ca_pem

    def reset(self) -> None:
        """Answer normally again, with the full chain, be listening, count from zero."""
        self.requests = 0
        self.status = 200
        self.rejecting = False
        self.with_chain = True
        if self._server is None:
            self.up()

    def fail(self, status: int = 503) -> None:
        """Answer every query with HTTP ``status`` and no body."""
        self.status = status

    def reject(self) -> None:
        """Let openssl answer with a PKIStatus rejection (SHA-256 imprints refused)."""
        self.rejecting = True

    def leaf_only(self) -> None:
        """Carry only the TSA certificate in replies, not the CA that issued it."""
        self.with_chain = False

    def up(self) -> None:
        """Listen (again, on the same port once one was chosen)."""
        if self._server is not None:
            return
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def down(self) -> None:
        """Stop listening: connections to ``url`` are refused until :meth:`up`."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def reply(self, query: bytes) -> bytes:
        """Return the DER reply that ``openssl ts -reply`` gives to ``query``.

        Raises subprocess.CalledProcessError when openssl cannot answer at all.
        """
        with self._lock, tempfile.TemporaryDirectory(dir=self.folder) as tmp:
            query_path, reply_path = Path(tmp) / "q.tsq", Path(tmp) / "r.tsr"
            query_path.write_bytes(query)
            command = [OPENSSL, "ts", "-reply", "-config",
                       str(self._reject_config if self.rejecting else self._config),
                       "-queryfile", str(query_path), "-out", str(reply_path),
                       "-inkey", str(self.ca.tsa_key_path),
                       "-signer", str(self.ca.tsa_cert_path)]
            if self.with_chain:
                command += ["-chain", str(self.ca.ca_path)]
            subprocess.run(command, check=True, capture_output=True, timeout=30)
            return reply_path.read_bytes()


def _handler(tsa: LocalTSA) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            tsa.requests += 1
            length = int(self.headers.get("Content-Length") or 0)
            query = self.rfile.read(min(length, _MAX_QUERY))
            if tsa.status != 200:
                self._send(tsa.status, b"")
                return
            if self.headers.get("Content-Type") != "application/timestamp-query":
                self._send(415, b"")
                return
            try:
                body = tsa.reply(query)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                self._send(400, b"")
                return
            self._send(200, body, "application/timestamp-reply")

        def _send(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # keep the test output clean

    return Handler


def closed_port_url() -> str:
    """Return an http URL on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsr"
