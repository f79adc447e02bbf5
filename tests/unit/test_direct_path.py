"""The direct path of `HttpClient` (`_wire/direct.py`) and its connection gate (`_wire/connection_gate.py`),
against real sockets on 127.0.0.1: retries, the key only to the configured origin, redirects, limits,
connection reuse from many threads, and the per-attempt hook."""

from __future__ import annotations

import asyncio
import gzip
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

import tinker_ext as tinker
from tinker_ext._session.loop import background_loop
from tinker_ext._wire.connection_gate import ConnectionGate
from tinker_ext._wire.credentials import ApiKey
from tinker_ext._wire.direct import DirectResponse
from tinker_ext._wire.http import ApiRequest, HttpClient
from tinker_ext._wire.retry import RetryPolicy, Timing

KEY = "tml-direct-path-test-key-0123456789"

Answer = tuple[int, dict[str, str], bytes]


class Server(ThreadingHTTPServer):
    """Answers each request with `script(path, headers)`; records what it saw; counts connections."""

    daemon_threads = True
    request_queue_size = 512

    def __init__(self, script: Callable[[str, dict[str, str]], Answer]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.script = script
        self.seen: list[tuple[str, str, dict[str, str]]] = []
        self.connections = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def _any(self) -> None:
        length = int(self.headers.get("Content-Length", "0") or 0)
        if length:
            self.rfile.read(length)
        headers = {k.lower(): v for k, v in self.headers.items()}
        with self.server.lock:
            self.server.seen.append((self.command, self.path, headers))
        status, extra, body = self.server.script(self.path, headers)
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        if "Content-Length" not in extra:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _any


def ok(body: bytes = b'{"ok":true}') -> Answer:
    return 200, {"Content-Type": "application/json"}, body


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[str, dict[str, str]], Answer]], Server]]:
    servers: list[Server] = []

    def start(script: Callable[[str, dict[str, str]], Answer]) -> Server:
        server = Server(script)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


class NoSleep:
    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)

    def timing(self) -> Timing:
        return Timing(sleep=self.sleep)


def client(url: str, **kwargs: Any) -> HttpClient:
    return HttpClient(base_url=url, api_key=ApiKey(KEY), timing=NoSleep().timing(), **kwargs)


def send(http: HttpClient, req: ApiRequest) -> httpx.Response:
    return background_loop().run(http.send(req))


def close(http: HttpClient) -> None:
    background_loop().run(http.aclose())


def test_a_plain_call_goes_direct_with_the_client_headers_and_the_key(serve: Any) -> None:
    server = serve(lambda path, headers: ok())
    http = client(server.url, default_headers={"X-Extra": "1"})
    try:
        response = send(http, ApiRequest("POST", "/api/v1/thing", content=b"{}", headers={"Accept": "x/y"}))
    finally:
        close(http)
    assert isinstance(response, DirectResponse) and response.json() == {"ok": True}
    method, path, headers = server.seen[0]
    assert (method, path) == ("POST", "/api/v1/thing")
    assert headers["x-api-key"] == KEY and headers["x-extra"] == "1"
    assert headers["accept"] == "x/y"  # the request's header wins over the client's, whatever its case
    assert headers["content-type"] == "application/json" and headers["x-idempotency-key"]
    assert response.request.method == "POST" and "x-api-key" not in response.request.headers


def test_query_parameters_take_the_httpx_path(serve: Any) -> None:
    server = serve(lambda path, headers: ok())
    http = client(server.url)
    try:
        response = send(http, ApiRequest("GET", "/api/v1/list", params={"limit": 3}))
    finally:
        close(http)
    assert not isinstance(response, DirectResponse)
    assert server.seen[0][1] == "/api/v1/list?limit=3"


def test_5xx_then_success_is_retried_with_the_same_idempotency_key(serve: Any) -> None:
    answers = iter([(503, {}, b'{"detail":"busy"}'), (500, {}, b"{}"), ok()])
    server = serve(lambda path, headers: next(answers))
    http = client(server.url)
    try:
        assert send(http, ApiRequest("POST", "/api/v1/x", content=b"{}")).status_code == 200
    finally:
        close(http)
    keys = {headers["x-idempotency-key"] for _, _, headers in server.seen}
    assert len(server.seen) == 3 and len(keys) == 1
    # every attempt reached the client's metrics (the one per-attempt hook, both paths)
    seen = http.observer.metrics.snapshot()["POST /api/v1/x"]
    assert seen.attempts.count == 3 and seen.bytes_sent == 3 * len(b"{}")
    assert seen.bytes_received == len(b'{"detail":"busy"}') + 2 + len(b'{"ok":true}')
    assert dict(seen.retries) == {"status_503": 1, "status_500": 1}


def test_a_refused_connection_is_retried_then_named(serve: Any) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    http = client(
        f"http://127.0.0.1:{port}", retry_policy=RetryPolicy(max_retries=2, first_contact_timeout=5)
    )
    try:
        with pytest.raises(tinker.APIConnectionError, match="Nothing answered"):
            send(http, ApiRequest("POST", "/api/v1/x", content=b"{}"))
    finally:
        close(http)
    seen = http.observer.metrics.snapshot()["POST /api/v1/x"]
    assert seen.attempts.count == 3 and seen.bytes_received == 0
    assert dict(seen.retries) == {"APIConnectionError": 2}


def test_same_origin_redirect_is_followed_and_another_origin_never_sees_the_key(serve: Any) -> None:
    elsewhere = serve(lambda path, headers: ok())
    server = serve(
        lambda path, headers: (
            (307, {"Location": "/api/v1/moved"}, b"")
            if path == "/api/v1/old"
            else (307, {"Location": f"{elsewhere.url}/steal"}, b"")
            if path == "/api/v1/away"
            else ok()
        )
    )
    http = client(server.url)
    try:
        assert send(http, ApiRequest("POST", "/api/v1/old", content=b"{}")).json() == {"ok": True}
        with pytest.raises(tinker.RedirectError, match="another origin"):
            send(http, ApiRequest("POST", "/api/v1/away", content=b"{}"))
    finally:
        close(http)
    assert [path for _, path, _ in server.seen] == ["/api/v1/old", "/api/v1/moved", "/api/v1/away"]
    assert all(headers["x-api-key"] == KEY for _, _, headers in server.seen)
    assert elsewhere.seen == []


def test_a_method_changing_redirect_is_refused(serve: Any) -> None:
    server = serve(lambda path, headers: (302, {"Location": "/api/v1/y"}, b""))
    http = client(server.url)
    try:
        with pytest.raises(tinker.RedirectError, match="turn it into a GET"):
            send(http, ApiRequest("POST", "/api/v1/x", content=b"{}"))
    finally:
        close(http)
    assert len(server.seen) == 1


def test_bodies_are_read_within_the_limits(serve: Any) -> None:
    bomb = gzip.compress(b"0" * (3 << 20))
    server = serve(
        lambda path, headers: (
            ok(b"x" * 5000)
            if path == "/big"
            else (200, {"Content-Length": "999999999"}, b"")
            if path == "/announced"
            else (200, {"Content-Encoding": "gzip"}, bomb)
        )
    )
    limits = tinker.Limits(max_response_bytes=4096, max_decompressed_bytes=1 << 20)
    http = client(server.url, limits=limits)
    try:
        for path, limit in (
            ("/big", "max_response_bytes"),
            ("/announced", "max_response_bytes"),
            ("/bomb", "max_decompressed_bytes"),
        ):
            with pytest.raises(tinker.LimitExceededError) as caught:
                send(http, ApiRequest("GET", path))
            assert caught.value.limit == limit
    finally:
        close(http)


def test_a_gzip_answer_is_inflated(serve: Any) -> None:
    server = serve(lambda path, headers: (200, {"Content-Encoding": "gzip"}, gzip.compress(b'{"a":1}')))
    http = client(server.url)
    try:
        response = send(http, ApiRequest("GET", "/x"))
    finally:
        close(http)
    assert response.json() == {"a": 1} and "content-encoding" not in response.headers


def test_an_echoed_key_is_scrubbed_from_the_answer(serve: Any) -> None:
    server = serve(lambda path, headers: (400, {}, b'{"detail":"bad key ' + KEY.encode() + b'"}'))
    http = client(server.url)
    try:
        with pytest.raises(tinker.BadRequestError) as caught:
            send(http, ApiRequest("POST", "/api/v1/x", content=b"{}"))
    finally:
        close(http)
    assert KEY not in str(caught.value) and KEY.encode() not in caught.value.response.content


def test_threads_share_a_few_connections_under_the_gate(serve: Any) -> None:
    server = serve(lambda path, headers: ok())
    http = client(server.url)
    # a long grace: the cap cannot grow during the test, whatever the machine's load
    http.gate = ConnectionGate(http.pool_size, start=4, grace=3600.0)
    barrier = threading.Barrier(64)
    errors: list[BaseException] = []

    def one() -> None:
        barrier.wait()
        try:
            send(http, ApiRequest("POST", "/api/v1/asample", content=b"{}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(64)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        close(http)
    assert errors == [] and len(server.seen) == 64
    assert http.gate.peak <= 4 and server.connections <= 4


def test_the_gate_grows_when_the_server_holds_every_slot_and_not_otherwise() -> None:
    async def scenario() -> tuple[int, int]:
        gate = ConnectionGate(16, start=2, grace=0.05)
        for _ in range(20):  # quick requests, one after the other: the cap stays
            await gate.acquire(None)
            gate.release()
        quick_cap = gate.cap
        held = asyncio.Event()

        async def hold() -> None:
            await gate.acquire(None)
            try:
                await held.wait()
            finally:
                gate.release()

        holders = [asyncio.create_task(hold()) for _ in range(2)]
        await asyncio.sleep(0)
        waiter = asyncio.create_task(gate.acquire(None))  # both slots held: waits, then the cap doubles
        await asyncio.wait_for(waiter, 5.0)
        gate.release()
        held.set()
        await asyncio.gather(*holders)
        return quick_cap, gate.cap

    assert asyncio.run(scenario()) == (2, 4)


def test_waiting_for_a_slot_is_bounded_by_the_pool_timeout_and_leaves_no_slot_taken() -> None:
    async def scenario() -> int:
        gate = ConnectionGate(1, start=1, grace=0.01)  # at its limit: it cannot grow
        await gate.acquire(None)
        with pytest.raises(httpx.PoolTimeout):
            await gate.acquire(0.05)
        waiter = asyncio.create_task(gate.acquire(None))
        await asyncio.sleep(0)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        gate.release()
        await asyncio.wait_for(gate.acquire(None), 1.0)  # the slot is free again
        return gate.in_use

    assert asyncio.run(scenario()) == 1


def test_the_hook_sees_attempts_of_the_httpx_path_too() -> None:
    answers = iter([httpx.Response(429, json={}), httpx.Response(200, json={"a": 1})])
    http = HttpClient(
        base_url="http://api.test",
        api_key=ApiKey(KEY),
        timing=NoSleep().timing(),
        transport=httpx.MockTransport(lambda request: next(answers)),
    )
    try:
        assert send(http, ApiRequest("GET", "/x")).json() == {"a": 1}
    finally:
        close(http)
    seen = http.observer.metrics.snapshot()["GET /x"]
    assert seen.attempts.count == 2 and dict(seen.retries) == {"status_429": 1}


def test_a_direct_answer_has_the_state_of_an_httpx_response_built_from_its_content() -> None:
    body = b'{"a": [1, 2]}'
    direct = DirectResponse(200, [("Content-Type", "application/json")], body, "POST", "http://h/x")
    plain = httpx.Response(200, headers=[("Content-Type", "application/json")], content=body)
    plain.close()
    # httpx's own state (a new httpx adding some fails here); `_decoder` is made lazily when httpx decodes
    assert set(vars(plain)) - {"_decoder"} <= set(vars(direct))
    for name in ("status_code", "is_closed", "is_stream_consumed", "default_encoding", "content"):
        assert getattr(direct, name) == getattr(plain, name), name
    assert dict(direct.headers) == dict(plain.headers)
    assert direct.json() == plain.json() and direct.text == plain.text and direct.read() == body
    assert (direct.request.method, str(direct.request.url)) == ("POST", "http://h/x")


def test_the_gate_is_configured_by_sampling_dispatch() -> None:
    dispatch = tinker.SamplingDispatch(initial_connections=2, connection_grace=0.5)
    with tinker.ServiceClient(api_key=KEY, base_url="http://127.0.0.1:9", sampling_dispatch=dispatch) as sc:
        gate = sc._ctx.http.gate
        assert (gate.cap, gate.grace, gate.limit) == (2, 0.5, dispatch.pool_size)
    for bad in ({"initial_connections": 0}, {"connection_grace": 0}, {"initial_connections": True}):
        with pytest.raises(tinker.InvalidInputError):
            tinker.SamplingDispatch(**bad)  # type: ignore[arg-type]
