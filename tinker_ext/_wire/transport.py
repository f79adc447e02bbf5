"""The transport under `HttpClient`: httpx's API on aiohttp's connection pool and HTTP/1.1 parser.

Why (issue 12, measured on this 2-core machine against benchmarks/fake_server.py, asample +
retrieve_future pairs): httpx's own transport (httpcore) costs 3-8 ms of CPU per pair, aiohttp
0.4-0.6 ms. httpcore sends headers and body in two socket writes, and on every request start and end
walks all pooled connections (an expiry check per connection asks the socket for its peer and polls it
for readability), so its cost grows with the pool; aiohttp keeps idle connections per host in a deque,
parses in C (llhttp) and writes a request in one go. HTTP/2 was not chosen: no server we can reach offers
it (the local servers run uvicorn, HTTP/1.1 only; httpx speaks h2 only over TLS with ALPN), and it would
not remove the per-request cost above.

Everything above the transport stays in `_wire.http` and `_wire.limits`: the key only for the configured origin,
redirects checked hop by hop, bodies read raw (aiohttp's decompression is off, so the bounded inflater
of `_wire.limits.read_body` sees the bytes on the wire), and the per-attempt deadline. aiohttp's errors
become httpx's, so the retry rules (was the request possibly applied?) read them unchanged.

An aiohttp session left open warns "Unclosed client session" when collected. The session of a
transport is closed by `aclose` (the clients' `close`), and otherwise when the transport is dropped
(a client never closed, e.g. after its first call failed) or at interpreter exit: nothing the SDK opened
outlives it unclosed, whichever way a program ends.

`TINKER_EXT_HTTP_TRANSPORT=httpx` selects httpx's own transport instead; it is also used when a proxy
is configured in the environment (httpx honours HTTP(S)_PROXY/ALL_PROXY, this transport does not).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import functools
import itertools
import os
import weakref
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import aiohttp
import httpx
import yarl

__all__ = ["AiohttpTransport", "default_transport"]

_READ_CHUNK = 1 << 16
_KEEPALIVE_S = 5.0  # httpx's default keep-alive expiry
_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")
_EXIT_CLOSE_WAIT_S = 2.0  # at interpreter exit, how long to wait for each open session to close


def _uses_proxy() -> bool:
    return any(os.environ.get(name) or os.environ.get(name.upper()) for name in _PROXY_VARIABLES)


def default_transport(pool_size: int) -> httpx.AsyncBaseTransport:
    """The transport of an `HttpClient` built without one (see the module docstring)."""
    choice = os.environ.get("TINKER_EXT_HTTP_TRANSPORT", "").strip().lower()
    if choice == "httpx" or _uses_proxy():
        limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size)
        return httpx.AsyncHTTPTransport(limits=limits)
    return AiohttpTransport(pool_size)


def _mapped(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    """aiohttp's error as the httpx error that means the same thing to the retry rules: only a failed
    connect (ConnectError, ConnectTimeout) means the request was certainly not applied."""
    message = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message, request=request)
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError(message, request=request)
    if isinstance(exc, aiohttp.ServerTimeoutError | asyncio.TimeoutError):
        return httpx.ReadTimeout(message, request=request)
    if isinstance(exc, aiohttp.ClientResponseError | aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(message, request=request)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return httpx.RemoteProtocolError(message, request=request)
    if isinstance(exc, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol(message, request=request)
    return httpx.ReadError(message, request=request)


_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)


@functools.lru_cache(maxsize=64)
def _client_timeout(pool: float | None, connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    """httpx's timeouts as aiohttp's (cached: a client uses a handful of them)."""
    return aiohttp.ClientTimeout(
        total=None,
        connect=pool,  # waiting for a pooled connection, then connecting
        sock_connect=connect,
        sock_read=read,
    )


class _Body(httpx.AsyncByteStream):
    """A response body streamed from aiohttp, raw (not decoded)."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_chunked(_READ_CHUNK):
                yield chunk
        except _ERRORS as exc:
            raise _mapped(exc, self._request) from None

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An httpx transport over one aiohttp session (created on first use, on the running loop)."""

    def __init__(self, pool_size: int) -> None:
        self.pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None
        self._closer: weakref.finalize[..., Any] | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self.pool_size, limit_per_host=0, keepalive_timeout=_KEEPALIVE_S, ttl_dns_cache=300
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                auto_decompress=False,  # _limits.read_body inflates, within its limits
                cookie_jar=aiohttp.DummyCookieJar(),  # no cookies kept between requests
                trust_env=False,  # no proxy or .netrc credentials from the environment
                timeout=aiohttp.ClientTimeout(total=None),
                # httpx already set every header we send; aiohttp must not add its own.
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
            )
            self._closer = _closer_for(self, self._session)
        return self._session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeouts: dict[str, Any] = request.extensions.get("timeout", {})
        timeout = _client_timeout(timeouts.get("pool"), timeouts.get("connect"), timeouts.get("read"))
        content = await request.aread()
        try:
            response = await self._get_session().request(
                request.method,
                str(request.url),
                headers=list(request.headers.multi_items()),
                data=content or None,
                allow_redirects=False,
                timeout=timeout,
            )
        except _ERRORS as exc:
            raise _mapped(exc, request) from None
        return httpx.Response(
            response.status,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers],
            stream=_Body(response, request),
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": (response.reason or "").encode()},
        )

    # -- the direct path of `_wire.direct`: no httpx request or response objects

    async def open(
        self,
        method: str,
        url: yarl.URL,
        headers: Mapping[str, str],
        content: bytes | None,
        timeout: httpx.Timeout,
        request: Callable[[], httpx.Request],
    ) -> aiohttp.ClientResponse:
        """Send one request and return the answer with its body unread (`release` it when done).
        `headers` are all the headers sent (aiohttp adds only Host and Content-Length); `request` builds
        the httpx request an error names (only when there is one)."""
        try:
            return await self._get_session().request(
                method,
                url,
                headers=headers,
                data=content,
                allow_redirects=False,
                timeout=_client_timeout(timeout.pool, timeout.connect, timeout.read),
            )
        except _ERRORS as exc:
            raise _mapped(exc, request()) from None

    @staticmethod
    async def raw_chunks(
        response: aiohttp.ClientResponse, request: Callable[[], httpx.Request]
    ) -> AsyncIterator[bytes]:
        """The body of an answer of `open`, raw (not decoded)."""
        try:
            async for chunk in response.content.iter_chunked(_READ_CHUNK):
                yield chunk
        except _ERRORS as exc:
            raise _mapped(exc, request()) from None

    async def aclose(self) -> None:
        if self._closer is not None:
            detached = self._closer.detach()
            if detached is not None:
                _closers.pop(detached[2][0], None)
            self._closer = None
        if self._session is not None:
            await self._session.close()
            self._session = None


# ------------------------------------------------------------------ sessions nobody closed

# Closers of sessions still open; each holds its session (not its transport) and runs when the transport
# is collected, or at exit.
_closers: dict[int, weakref.finalize[..., Any]] = {}  # by a token that is never reused
_tokens = itertools.count()
_closing: set[concurrent.futures.Future[None]] = set()
_exiting = False


def _closer_for(transport: AiohttpTransport, session: aiohttp.ClientSession) -> weakref.finalize[..., Any]:
    token = next(_tokens)
    loop = asyncio.get_running_loop()
    closer = weakref.finalize(transport, _close_left_open, token, session, loop, os.getpid())
    closer.atexit = False  # `_close_at_exit` runs it, while the SDK loop still runs
    _closers[token] = closer
    return closer


def _close_left_open(
    token: int, session: aiohttp.ClientSession, loop: asyncio.AbstractEventLoop, pid: int
) -> None:
    """Close `session` on its loop: waited for at exit, scheduled otherwise (this may run inside a
    garbage collection, where blocking is not an option)."""
    _closers.pop(token, None)
    if session.closed:
        return
    if loop.is_closed() or not loop.is_running() or os.getpid() != pid:
        # A loop that ended (asyncio.run), or the parent's loop in a forked child (its thread does not
        # exist here): nothing can be awaited on it; mark the session closed.
        session.detach()
        return
    future = asyncio.run_coroutine_threadsafe(session.close(), loop)
    if _exiting:
        with contextlib.suppress(Exception):  # exiting anyway; the sockets close with the process
            future.result(timeout=_EXIT_CLOSE_WAIT_S)
        return
    _closing.add(future)  # kept until done, so the close is not collected half-way
    future.add_done_callback(_closing.discard)


@atexit.register
def _close_at_exit() -> None:
    global _exiting
    _exiting = True
    for closer in list(_closers.values()):
        # detach, not call: weakref.finalize's own exit hook may already have disabled every finalizer
        detached = closer.detach()
        if detached is not None:
            _close_left_open(*detached[2])
