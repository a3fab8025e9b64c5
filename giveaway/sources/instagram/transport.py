"""A requests transport adapter that routes Instagram traffic and bounds it in time.

instagrapi's private session has no network timeout, retries 429/5xx
invisibly, and silently sleeps and retries a truncated body. This adapter
replaces its adapters: it rewrites every ``*.instagram.com`` URL to a
configured base (the fake server in tests), applies a real timeout, never
retries, and reads the whole body itself so that a truncated one surfaces as
:class:`TruncatedResponse` carrying the partial bytes.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

__all__ = ["RoutingAdapter", "TruncatedResponse", "is_instagram_host"]


class TruncatedResponse(Exception):
    """The answer's body ended early; ``partial`` holds what arrived."""

    def __init__(self, url: str, status: int, partial: bytes):
        super().__init__(f"truncated answer ({len(partial)} bytes, HTTP {status}) from {url}")
        self.status = status
        self.partial = partial


def is_instagram_host(host: str | None) -> bool:
    """True for ``instagram.com`` and its subdomains (i., www., b.i., …)."""
    host = (host or "").lower().rstrip(".")
    return host == "instagram.com" or host.endswith(".instagram.com")


def _is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


class RoutingAdapter(HTTPAdapter):
    """Send Instagram requests to ``api_base`` (if given) with ``timeout`` seconds.

    ``api_base`` is a URL such as ``http://127.0.0.1:8123/``; ``None`` keeps
    the real hosts.
    """

    def __init__(self, api_base: str | None, timeout: float):
        super().__init__(max_retries=0)
        self.timeout = float(timeout)
        self.base = urlsplit(api_base.rstrip("/")) if api_base else None
        if self.base is not None and (self.base.scheme not in ("http", "https")
                                      or not self.base.netloc):
            raise ValueError(f"api_base must be an http(s) URL, not {api_base!r}")

    def _route(self, request: requests.PreparedRequest) -> bool:
        url = urlsplit(request.url)
        if self.base is None or not is_instagram_host(url.hostname):
            return False
        path = self.base.path + url.path
        request.url = urlunsplit((self.base.scheme, self.base.netloc, path, url.query, ""))
        request.headers["Host"] = self.base.netloc
        return True

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        """Send ``request``; :raises TruncatedResponse: if the body is cut short."""
        if self._route(request) and _is_loopback(self.base.hostname):
            proxies = {}
        response = super().send(request, stream=True, timeout=timeout or self.timeout,
                                verify=verify, cert=cert, proxies=proxies)
        if not stream:
            self._read_body(response)
        return response

    @staticmethod
    def _read_body(response: requests.Response) -> None:
        chunks: list[bytes] = []
        raw = response.raw
        try:
            if hasattr(raw, "read1"):  # urllib3 >= 2.3: keeps what arrived before a cut
                while chunk := raw.read1(65536, decode_content=True):
                    chunks.append(chunk)
            else:
                chunks.extend(raw.stream(65536, decode_content=True))
        except ReadTimeoutError as exc:
            response.close()
            raise requests.exceptions.ReadTimeout(exc, request=response.request) from exc
        except (ProtocolError, DecodeError, SSLError) as exc:
            response.close()
            raise TruncatedResponse(response.url, response.status_code, b"".join(chunks)) from exc
        response._content = b"".join(chunks)
        response._content_consumed = True
        response.raw.release_conn()
