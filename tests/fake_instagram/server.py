"""A local HTTP server answering the private-API endpoints the harvester uses."""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .data import FakePost, generate_post, media_item
from .faults import ERRORS, Faults
from .pages import BadCursor, comments_page, replies_page

ROUTES = [
    ("info", re.compile(r"^/api/v1/media/(?P<media>[0-9_]+)/info/$")),
    ("comments", re.compile(r"^/api/v1/media/(?P<media>[0-9_]+)/comments/$")),
    ("replies", re.compile(
        r"^/api/v1/media/(?P<media>[0-9_]+)/comments/(?P<cid>\d+)/inline_child_comments/$")),
    ("friendship", re.compile(r"^/api/v1/friendships/show/(?P<user>\d+)/$")),
]


class Stats:
    """Requests served per endpoint and the server's own time spent answering them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: dict[str, int] = {}
        self.server_seconds = 0.0
        self.paths: list[str] = []

    def next_number(self, endpoint: str) -> int:
        with self.lock:
            self.requests[endpoint] = self.requests.get(endpoint, 0) + 1
            return self.requests[endpoint]

    def record_path(self, path: str) -> None:
        with self.lock:
            if len(self.paths) < 10_000:
                self.paths.append(path)

    def add_time(self, seconds: float) -> None:
        with self.lock:
            self.server_seconds += seconds


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeInstagram/1.0"
    disable_nagle_algorithm = True  # headers and body go out in two writes
    timeout = 10
    fake: "FakeInstagram"

    def log_message(self, format, *args):  # noqa: A002 - silence per-request logging
        pass

    def do_POST(self):  # noqa: N802 - nothing we fake is a POST (login, or a cursor sent as body)
        self.fake.stats.record_path("POST " + urlsplit(self.path).path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._send(405, {"message": "method not allowed", "status": "fail"})

    def do_GET(self):  # noqa: N802
        started = time.perf_counter()
        url = urlsplit(self.path)
        if url.path == "/__fake__/stats":  # for a benchmark driving a server in another process
            stats = self.fake.stats
            self._send(200, {"requests": stats.requests, "server_seconds": stats.server_seconds})
            return
        self.fake.stats.record_path("GET " + url.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        for endpoint, pattern in ROUTES:
            match = pattern.match(url.path)
            if match:
                break
        else:
            self._send(404, {"message": f"unknown endpoint {url.path}", "status": "fail"})
            return
        fake = self.fake
        number = fake.stats.next_number(endpoint)
        kinds = fake.faults.take(endpoint, number)
        if "slow" in kinds:
            time.sleep(fake.faults.slow_seconds)
        error = next((k for k in kinds if k in ERRORS), None)
        if error:
            status, body = ERRORS[error]
            self._send(status, body, kinds)
        else:
            status, body = self._answer(endpoint, match.groupdict(), query, kinds, number)
            self._send(status, body, kinds)
        fake.stats.add_time(time.perf_counter() - started)

    def _answer(self, endpoint, groups, query, kinds, number):
        fake = self.fake
        if endpoint == "friendship":
            followed = int(groups["user"]) in fake.followers
            return 200, dict(fake.relationship_defaults, followed_by=followed, status="ok")
        post = fake.posts.get(int(groups["media"].split("_")[0]))
        if post is None:
            return 404, {"message": "Media not found or unavailable", "status": "fail"}
        if endpoint == "info":
            return 200, {"items": [media_item(post)], "num_results": 1, "status": "ok"}
        try:
            if endpoint == "comments":
                return 200, comments_page(post, query.get("min_id", ""), query.get("max_id", ""),
                                          kinds, number)
            if groups["cid"] not in post.replies:
                return 404, {"message": "Comment not found", "status": "fail"}
            return 200, replies_page(post, groups["cid"], query.get("min_id", ""),
                                     query.get("max_id", ""), kinds, number)
        except BadCursor as exc:
            return 400, {"message": f"Invalid cursor: {exc}", "status": "fail"}

    def _send(self, status: int, body: dict | bytes, kinds=()):
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        gzipped = self.fake.gzip and "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            data = gzip.compress(data, mtime=0)
        length = len(data)
        if "truncated" in kinds:
            data = data[: len(data) // 2]
            length = len(data)
        elif "cut" in kinds:
            data = data[: len(data) // 2]
            self.close_connection = True
        self.send_response(status)
        ctype = "application/json; charset=utf-8" if not isinstance(body, bytes) else "text/html"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        if "cut" in kinds:
            self.send_header("Connection", "close")
        self.end_headers()
        try:
            self.wfile.write(data)
        except ConnectionError:
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that time out (the "slow" fault) leave broken pipes behind: not our concern.
        pass


class FakeInstagram:
    """A fake private API on 127.0.0.1; use as a context manager.

    ``base_url`` is what to pass as ``api_base``; :meth:`post` creates posts;
    ``faults`` configures faults; ``followers`` holds the user pks that follow
    the logged-in account; ``stats`` counts requests and server time.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, gzip: bool = False) -> None:
        self.gzip = gzip  # compress answers when asked to, as Instagram does
        self.posts: dict[int, FakePost] = {}
        self.faults = Faults()
        self.stats = Stats()
        self.followers: set[int] = set()
        self.relationship_defaults = {
            "blocking": False, "following": False, "incoming_request": False, "is_bestie": False,
            "is_blocking_reel": False, "is_muting_reel": False, "is_private": False,
            "is_restricted": False, "muting": False, "outgoing_request": False,
        }
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = _Server((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def post(self, n_comments: int, **options) -> FakePost:
        """Create and serve a generated post (see :func:`generate_post` for options)."""
        post = generate_post(n_comments, **options)
        self.posts[post.media_pk] = post
        return post

    def start(self) -> "FakeInstagram":
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join()

    def __enter__(self) -> "FakeInstagram":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
