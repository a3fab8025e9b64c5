"""Helpers of the browser tests: a local site serving the verifier, headless Chromium.

The site serves ``giveaway/static/verify/`` at ``/static/verify/`` and any page,
certificate or leaf list a test registers, with the strict Content-Security-Policy
of the app plus ``require-trusted-types-for 'script'`` (so any use of innerHTML
or eval by the verifier would be refused and show up as a console error).
"""

from __future__ import annotations

import html
import itertools
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Playwright

from giveaway.core import (InvalidDocument, Status, load_document, parse_leaf_list,
                           verify_certificate)
from giveaway.core.leaflist import format_leaf_list
from giveaway.public.verifier_words import catalogue_words

STATIC = Path(__file__).resolve().parents[2] / "giveaway" / "static" / "verify"
CHROMIUM = os.environ.get("GIVEAWAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
       "require-trusted-types-for 'script'")
TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".html": "text/html; charset=utf-8", ".json": "application/json",
         ".txt": "text/plain; charset=utf-8", ".ico": "image/x-icon"}
UNUSABLE = "unusable"


def launch(playwright: Playwright) -> Browser:
    """Return headless Debian Chromium (path overridable by GIVEAWAY_CHROMIUM)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                      headless=True)


class Site:
    """A local HTTP server on 127.0.0.1 (a secure context for WebCrypto), in a thread."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {"/favicon.ico": b""}
        self._ids = itertools.count(1)
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                body = files.get(path)
                if body is None and path.startswith("/static/verify/"):
                    target = STATIC / path.removeprefix("/static/verify/")
                    if target.parent == STATIC and target.is_file():
                        body = target.read_bytes()
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", TYPES.get(Path(path).suffix,
                                                           "application/octet-stream"))
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Content-Security-Policy", CSP)
                self.send_header("X-Content-Type-Options", "nosniff")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def script_page(self) -> str:
        """Return the URL of a page that only loads the verifier (for its internals)."""
        self.files["/script.html"] = PAGE.format(attributes="").replace(
            "<button", "<button hidden").encode()
        return f"{self.base}/script.html"

    def publish(self, certificate: bytes, leaves: bytes, *, public_key: str | None = None,
                leaves_attribute: bool = True) -> str:
        """Serve a certificate, its leaf list and a page with the verify button; return its URL."""
        folder = f"/draw/{next(self._ids)}"
        self.files[f"{folder}/certificate.json"] = certificate
        self.files[f"{folder}/leaves.txt"] = leaves
        attributes = f' data-certificate-url="{folder}/certificate.json"'
        if leaves_attribute:
            attributes += ' data-leaves-url="leaves.txt"'
        if public_key is not None:
            attributes += f' data-public-key="{html.escape(public_key)}"'
        self.files[f"{folder}/index.html"] = PAGE.format(attributes=attributes).encode()
        return f"{self.base}{folder}/index.html"


def words_block(lang: str) -> str:
    """The verifier's words in ``lang`` as the app's certificate page gives them to the script."""
    text = json.dumps(catalogue_words(lang), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return f'<script type="application/json" id="gdraw-messages">{text}</script>'


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Verify a draw</title>
<link rel="stylesheet" href="/static/verify/gdraw-verify.css">
<script src="/static/verify/gdraw-verify.js" defer></script>
</head><body>
<button type="button" data-gdraw-verify{attributes}>Verify in this browser</button>
<div id="gdraw-verify-results" aria-live="polite"></div>
""" + words_block("en").replace("{", "{{").replace("}", "}}") + """
</body></html>
"""


@dataclass
class BrowserReport:
    """What the page showed: one (step, status, message) per line, the verdict, the rest."""

    lines: list[tuple[str, str, str]]
    verdict: str
    text: str
    console_errors: list[str] = field(default_factory=list)

    @property
    def statuses(self) -> list[tuple[str, str]]:
        if len(self.lines) == 1 and self.lines[0][:2] == ("document", "fail"):
            return [(UNUSABLE, "fail")]
        return [(step, status) for step, status, _ in self.lines]

    @property
    def failed(self) -> set[str]:
        return {step for step, status in self.statuses if status == "fail"}


def document_bytes(doc: dict[str, Any] | bytes) -> bytes:
    """Return the certificate file content for ``doc`` (as the app writes it)."""
    if isinstance(doc, bytes):
        return doc
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def leaves_bytes(leaves: list[bytes] | bytes) -> bytes:
    return leaves if isinstance(leaves, bytes) else format_leaf_list(leaves)


class Driver:
    """One Chromium page that opens a verify page per call and clicks its button.

    Console errors and warnings, uncaught exceptions and dialogs (an ``alert``
    from injected markup) are collected for each call into its report.
    """

    def __init__(self, browser: Browser, site: Site) -> None:
        self.site = site
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text)
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"),
                                          d.dismiss()))

    def close(self) -> None:
        self.context.close()

    def open(self, doc: dict[str, Any] | bytes, leaves: list[bytes] | bytes, *,
             public_key: str | None = None, leaves_attribute: bool = True) -> str:
        """Publish ``doc`` and ``leaves`` and open their verify page; return its URL."""
        url = self.site.publish(document_bytes(doc), leaves_bytes(leaves),
                                public_key=public_key, leaves_attribute=leaves_attribute)
        self.errors.clear()
        self.page.goto(url, wait_until="domcontentloaded")
        return url

    def run(self, *, mouse: bool = False, timeout_ms: int = 20_000) -> BrowserReport:
        """Click the verify button of the open page and return what the page then shows.

        ``mouse`` clicks like a user (slower: Playwright's actionability checks);
        otherwise the button's click() is called.
        """
        page = self.page  # the click handler drops any previous verdict at once
        if mouse:
            page.click("button[data-gdraw-verify]")
        else:
            page.evaluate("document.querySelector('button[data-gdraw-verify]').click()")
        results = page.wait_for_selector("#gdraw-verify-results[data-gdraw-verdict]",
                                         timeout=timeout_ms)
        assert results is not None
        lines = page.eval_on_selector_all(
            "#gdraw-verify-results li[data-step]",
            "items => items.map(li => [li.getAttribute('data-step'),"
            " li.getAttribute('data-status'),"
            " li.querySelector('.gdraw-verify-message').textContent])")
        verdict = results.get_attribute("data-gdraw-verdict") or ""
        return BrowserReport([tuple(line) for line in lines], verdict, results.inner_text(),
                             list(self.errors))

    def verify(self, doc: dict[str, Any] | bytes, leaves: list[bytes] | bytes, *,
               public_key: str | None = None, leaves_attribute: bool = True,
               mouse: bool = False) -> BrowserReport:
        """Publish, open, click; return what the page shows."""
        self.open(doc, leaves, public_key=public_key, leaves_attribute=leaves_attribute)
        return self.run(mouse=mouse)


def python_statuses(doc: dict[str, Any] | bytes, leaves: list[bytes] | bytes,
                    public_key: Any = None) -> list[tuple[str, str]]:
    """Return [(step, status)] from giveaway.core.verify_certificate, as the CLI reads its input.

    An unusable input (InvalidDocument) gives [("unusable", "fail")].
    """
    try:
        parsed = load_document(document_bytes(doc))
        leaf_list = parse_leaf_list(leaves_bytes(leaves))
        results = verify_certificate(parsed, leaf_list, public_key)
    except InvalidDocument:
        return [(UNUSABLE, "fail")]
    status = {Status.OK: "ok", Status.FAIL: "fail", Status.NOTE: "note"}
    return [(r.step, status[r.status]) for r in results]


def expected_in_browser(python: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The browser reports what Python does, except the drand BLS check: not run (a note)."""
    return [(step, "note" if step == "beacon-signature" else status) for step, status in python]
