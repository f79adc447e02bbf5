"""The direct path of `HttpClient`: one attempt sent on aiohttp's session, without httpx's request,
auth-flow, redirect and response machinery (about a quarter of the client CPU of a sample, issue 20).

Taken when the client's transport is the default `AiohttpTransport` and the request has no query
parameters and a plain path (`DirectSender.accepts`); everything else goes through httpx as before. The
rules are the same ones, applied here: the key header only to the configured origin (the URL is the base
URL plus the endpoint's path; a redirect elsewhere is refused by `redirect_target` before anything is sent
there), the default and per-request headers merged as httpx merges them (case-insensitively, the request's
winning), redirects checked hop by hop, bodies read raw within `Limits` (`read_stream`: sizes, bounded
inflation, the result budget) and transport errors mapped to httpx's (`_wire.transport`), so the retry
rules in `HttpClient.send` read them unchanged. No cookies are kept (as the transport's cookie jar).

The answer is a `DirectResponse`: an `httpx.Response` whose request (method and URL, no headers, so no
credential) is built only if something reads it (errors do; a decoded 2xx answer never does).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx
import yarl

from tinker_ext._wire.credentials import REDACTED, ApiKey
from tinker_ext._wire.http_errors import SECRET_HEADERS
from tinker_ext._wire.limits import Limits, check_declared_length, read_stream
from tinker_ext._wire.origin import API_KEY_HEADER, is_redirect_status, origin_of, redirect_target
from tinker_ext._wire.transport import AiohttpTransport

__all__ = ["DirectResponse", "DirectSender", "KeyedHeaders"]

# An already percent-encoded absolute path (what `Endpoint.url` makes): sent as it is.
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*")
_DROPPED = frozenset({"content-encoding", "content-length", "transfer-encoding"})


class DirectResponse(httpx.Response):
    """An answer of the direct path, read and closed; `request` (method and URL only) is made on first read.

    It sets the state `httpx.Response.__init__` leaves for `Response(status, headers=..., content=...)`
    directly: that constructor re-encodes and re-reads the body through httpx's stream and decoder
    machinery (20-60 us, twice per sample). tests/unit/test_direct_path.py checks the state matches."""

    def __init__(
        self, status_code: int, headers: list[tuple[str, str]], content: bytes, method: str, url: str
    ) -> None:
        headers.append(("Content-Length", str(len(content))))  # as Response(content=...) adds it
        self.status_code = status_code
        self.headers = httpx.Headers(headers)
        self._request = None
        self.next_request = None
        self.extensions = {}
        self.history = []
        self.is_closed = True
        self.is_stream_consumed = True
        self.default_encoding = "utf-8"
        self.stream = httpx.ByteStream(content)
        self._content = content
        self._num_bytes_downloaded = len(content)
        self._method = method
        self._url = url

    @property
    def request(self) -> httpx.Request:
        if self._request is None:
            self._request = httpx.Request(self._method, self._url)
        return self._request

    @request.setter
    def request(self, value: httpx.Request) -> None:
        self._request = value


class KeyedHeaders(dict[str, str]):
    """The headers of a direct request, the key header among them: shown redacted (they sit in the locals
    of the frames an error passes through)."""

    def __repr__(self) -> str:
        return repr({k: REDACTED if k.lower() in SECRET_HEADERS else v for k, v in self.items()})


class DirectSender:
    """What the direct attempts of one `HttpClient` share: the transport, base URL, headers and limits."""

    def __init__(
        self,
        transport: AiohttpTransport,
        base_url: str,
        api_key: ApiKey,
        headers: Mapping[str, str],
        limits: Limits,
    ) -> None:
        url = httpx.URL(base_url)  # normalised as httpx would send it (IDNA host, percent-encoding)
        self._transport = transport
        self._base = str(url.copy_with(query=None, fragment=None)).rstrip("/")
        self._base_path = url.path.rstrip("/")
        self._origin = origin_of(url)
        self._api_key = api_key
        self._limits = limits
        # lower-case name -> (name as given, value), in httpx's precedence: later wins
        self._headers = {name.lower(): (name, value) for name, value in headers.items()}

    @staticmethod
    def accepts(path: str, params: Mapping[str, object] | None) -> bool:
        return not params and _PLAIN_PATH.fullmatch(path) is not None

    def what(self, method: str, path: str) -> str:
        """ "METHOD /path" as the httpx path names a request in messages."""
        return f"{method} {self._base_path}{path}"

    def headers(self, extra: Mapping[str, str]) -> KeyedHeaders:
        """The headers of one request: the client's, then `extra` (case-insensitively), then the key."""
        merged = dict(self._headers)
        for name, value in extra.items():
            merged[name.lower()] = (name, value)
        headers = KeyedHeaders(merged.values())
        headers[API_KEY_HEADER] = self._api_key.reveal()
        return headers

    async def attempt(
        self,
        method: str,
        path: str,
        headers: KeyedHeaders,
        content: bytes | None,
        timeout: httpx.Timeout,
    ) -> httpx.Response:
        """Send, follow same-origin redirects (checked as `redirect_target` says), read the body within the
        limits. Transport failures raise httpx's errors; limits raise `LimitExceededError`."""
        what = self.what(method, path)
        url = self._base + path
        for hops in range(1 << 16):  # bounded by redirect_target's MAX_REDIRECTS
            current = url

            def request(current: str = current) -> httpx.Request:
                return httpx.Request(method, current)

            answer = await self._transport.open(
                method, yarl.URL(current, encoded=True), headers, content, timeout, request
            )
            try:
                status = answer.status
                if is_redirect_status(status):
                    location = answer.headers.get("Location")
                    hop = httpx.Response(
                        status, headers=[("Location", location)] if location else [], request=request()
                    )
                    # raises RedirectError for any other origin: the key header stays on this one
                    url = str(redirect_target(hop, allowed_origin=self._origin, hops=hops, what=what))
                    continue
                check_declared_length(status, answer.headers, self._limits, what)
                body = await read_stream(
                    AiohttpTransport.raw_chunks(answer, request),
                    status,
                    answer.headers.get("Content-Encoding", ""),
                    self._limits,
                    what,
                )
            finally:
                answer.release()
            kept = [
                (k.decode("latin-1"), v.decode("latin-1"))
                for k, v in answer.raw_headers
                if k.decode("latin-1").lower() not in _DROPPED
            ]
            return DirectResponse(status, kept, body, method, current)
        raise AssertionError("unreachable")
