"""Issue 9, findings 1-4: redirects never carry the key off-origin; responses are bounded in size,
inflation and time. Hostile servers run on 127.0.0.1 (or as MockTransport handlers for redirects)."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import socket
import tarfile
import time
import tracemalloc
import zlib
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from _fault_server import FakeTiming, json_response
from _hostile_server import RawRequest, RawServer, chunked, json_answer, response_head, rss_bytes

import tinker_ext as tinker
from tinker_ext._core.exceptions import LimitExceededError, RedirectError
from tinker_ext._wire.http import ApiKey, ApiRequest, HttpClient
from tinker_ext._wire.limits import Limits

KEY = "tml-MARKER-redirect-9f3a"
MiB = 1 << 20


class Hosts:
    """A MockTransport handler serving several origins; records (origin, method, path, key header)."""

    def __init__(self, routes: dict[tuple[str, str], Any]) -> None:
        self.routes = routes
        self.seen: list[tuple[str, str, str, str | None]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        origin = f"{request.url.scheme}://{request.url.host}:{request.url.port or 80}"
        self.seen.append((origin, request.method, request.url.path, request.headers.get("x-api-key")))
        answer = self.routes.get((origin, request.url.path))
        if answer is None:
            return json_response(404, {"detail": "no route"})
        return answer(request) if callable(answer) else answer

    def keys_sent_to(self, origin: str) -> list[str | None]:
        return [key for o, _, _, key in self.seen if o == origin]


BASE = "http://api.test:80"
EVIL = "http://evil.test:80"


def redirect(status: int, location: str) -> httpx.Response:
    return httpx.Response(status, headers={"Location": location})


def http_client(handler: Any, **kw: Any) -> HttpClient:
    return HttpClient(
        base_url="http://api.test",
        api_key=ApiKey(KEY),
        transport=httpx.MockTransport(handler),
        timing=FakeTiming().timing(),
        **kw,
    )


# ------------------------------------------------------------------------------------ 1. redirects


@pytest.mark.parametrize(("method", "status"), [("POST", 307), ("POST", 308), ("GET", 302), ("GET", 301)])
def test_finding1_redirect_to_another_origin_is_refused_and_never_gets_the_key(
    method: str, status: int
) -> None:
    hosts = Hosts({(BASE, "/api/v1/create_session"): redirect(status, f"{EVIL}/steal")})
    client = http_client(hosts)
    body = {"type": "create_session"} if method == "POST" else None
    with pytest.raises(RedirectError) as info:
        asyncio.run(client.send(ApiRequest(method, "/api/v1/create_session", body=body)))
    assert info.value.target_origin == EVIL
    assert "evil.test" in str(info.value)
    assert hosts.keys_sent_to(EVIL) == []  # zero requests reached the other origin
    assert hosts.keys_sent_to(BASE) == [KEY]  # one attempt, not retried


def test_finding1_service_client_does_not_adopt_the_other_hosts_session() -> None:
    hosts = Hosts(
        {
            (BASE, "/api/v1/create_session"): redirect(307, f"{EVIL}/api/v1/create_session"),
            (EVIL, "/api/v1/create_session"): json_response(200, {"session_id": "evil"}),
        }
    )
    sc = tinker.ServiceClient(api_key=KEY, base_url="http://api.test", _transport=httpx.MockTransport(hosts))
    try:
        with pytest.raises(RedirectError):
            sc.create_sampling_client(base_model="m")
        assert sc.session_id is None
        assert hosts.keys_sent_to(EVIL) == []
    finally:
        sc.close()


def test_finding1_same_origin_redirect_is_followed_with_method_and_body() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        return json_response(200, {"got": orjson.loads(request.content), "method": request.method})

    hosts = Hosts(
        {
            (BASE, "/api/v1/x"): redirect(307, "/api/v1/x/"),
            (BASE, "/api/v1/x/"): echo,
        }
    )
    client = http_client(hosts)
    answer = asyncio.run(client.send_json(ApiRequest("POST", "/api/v1/x", body={"a": 1})))
    assert answer == {"got": {"a": 1}, "method": "POST"}
    assert hosts.keys_sent_to(BASE) == [KEY, KEY]


def test_finding1_redirect_loops_and_method_changing_redirects_are_refused() -> None:
    loop = Hosts({(BASE, "/api/v1/x"): redirect(307, "/api/v1/x")})
    with pytest.raises(RedirectError, match="more than 5 redirects"):
        asyncio.run(http_client(loop).send(ApiRequest("POST", "/api/v1/x", body={})))
    assert len(loop.seen) == 6
    to_get = Hosts({(BASE, "/api/v1/x"): redirect(302, "/api/v1/y")})
    with pytest.raises(RedirectError, match="turn it into a GET"):
        asyncio.run(http_client(to_get).send(ApiRequest("POST", "/api/v1/x", body={})))
    assert len(to_get.seen) == 1


# ------------------------------------------------------------------- 2. checkpoint download redirects


def _archive() -> bytes:
    buf = BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = b"weights"
        info = tarfile.TarInfo("adapter.bin")
        info.size = len(data)
        tar.addfile(info, BytesIO(data))
    return buf.getvalue()


def test_finding2_download_rechecks_the_origin_on_every_hop(tmp_path: Path) -> None:
    archive_path = "/api/v1/training_runs/run/checkpoints/sampler_weights/s1/archive"
    hosts = Hosts(
        {
            (BASE, archive_path): redirect(302, "/api/v1/hop"),  # same origin: fine
            (BASE, "/api/v1/hop"): redirect(302, f"{EVIL}/bucket/a.tar"),  # then elsewhere
            (EVIL, "/bucket/a.tar"): httpx.Response(200, content=_archive()),
        }
    )
    target = tinker.download_checkpoint(
        "http://api.test",
        "tinker://run/sampler_weights/s1",
        tmp_path,
        api_key=KEY,
        transport=httpx.MockTransport(hosts),
    )
    assert (target / "adapter.bin").read_bytes() == b"weights"
    assert hosts.keys_sent_to(EVIL) == [None]
    assert hosts.keys_sent_to(BASE) == [KEY, KEY]


def test_finding2_download_redirect_loop_is_a_typed_error(tmp_path: Path) -> None:
    archive_path = "/api/v1/training_runs/run/checkpoints/sampler_weights/s1/archive"
    hosts = Hosts(
        {
            (BASE, archive_path): redirect(302, f"{EVIL}/a"),
            (EVIL, "/a"): redirect(302, f"{EVIL}/a"),
        }
    )
    with pytest.raises(tinker.CheckpointDownloadError, match="redirects"):
        tinker.download_checkpoint(
            "http://api.test",
            "tinker://run/sampler_weights/s1",
            tmp_path,
            api_key=KEY,
            transport=httpx.MockTransport(hosts),
        )
    assert len(hosts.seen) <= 7 and set(hosts.keys_sent_to(EVIL)) == {None}


# ------------------------------------------------------------------------ 3. response size limits


def _real_client(url: str, **kw: Any) -> HttpClient:
    return HttpClient(base_url=url, api_key=ApiKey(KEY), timing=FakeTiming().timing(), **kw)


def _serve_endless_json(server_ref: list[RawServer]) -> Any:
    def handler(conn: socket.socket, request: RawRequest) -> None:
        server = server_ref[0]
        server.send(
            conn, response_head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"})
        )
        server.send(conn, b"5\r\n[1.0,\r\n")
        for piece in chunked(itertools.repeat(b"1.0," * 16384)):  # 64 KiB per chunk, forever
            server.send(conn, piece)
            if server.sent > 400 * MiB:
                return

    return handler


def test_finding3_oversized_body_stops_after_the_limit() -> None:
    ref: list[RawServer] = []
    with RawServer(_serve_endless_json(ref)) as server:
        ref.append(server)
        client = _real_client(server.url, limits=Limits(max_response_bytes=4 * MiB))
        rss_before = rss_bytes()
        with pytest.raises(LimitExceededError) as info:
            asyncio.run(client.send(ApiRequest("POST", "/api/v1/x", body={})))
        growth = rss_bytes() - rss_before
    assert info.value.limit == "max_response_bytes"
    assert "max_response_bytes" in str(info.value) and "Limits(max_response_bytes=" in str(info.value)
    assert len(server.requests) == 1  # not retried
    assert server.sent < 64 * MiB  # the client stopped reading (socket buffers aside)
    assert growth < 128 * MiB


def test_finding3_declared_oversized_body_is_refused_before_reading() -> None:
    def handler(conn: socket.socket, request: RawRequest) -> None:
        conn.sendall(
            response_head(200, {"Content-Type": "application/json", "Content-Length": str(300 * MiB)})
        )
        time.sleep(1)

    with RawServer(handler) as server, pytest.raises(LimitExceededError, match="announces"):
        asyncio.run(_real_client(server.url).send(ApiRequest("GET", "/api/v1/x")))


def _bomb_handler(encoding: str, ref: list[RawServer]) -> Any:
    def handler(conn: socket.socket, request: RawRequest) -> None:
        server = ref[0]
        wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
        packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
        head = {
            "Content-Type": "application/json",
            "Content-Encoding": encoding,
            "Transfer-Encoding": "chunked",
        }
        server.send(conn, response_head(200, head))
        zeros = b"0" * MiB
        for _ in range(1024):  # 1 GiB unpacked, ~1 MiB packed
            piece = packer.compress(zeros)
            if piece:
                server.send(conn, f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        tail = packer.flush()
        server.send(conn, f"{len(tail):x}\r\n".encode() + tail + b"\r\n0\r\n\r\n")

    return handler


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_finding3_compression_bomb_is_stopped_while_streaming(encoding: str) -> None:
    ref: list[RawServer] = []
    with RawServer(_bomb_handler(encoding, ref)) as server:
        ref.append(server)
        client = _real_client(server.url)  # default limits
        tracemalloc.start()
        try:
            with pytest.raises(LimitExceededError) as info:
                asyncio.run(client.send(ApiRequest("GET", "/api/v1/x")))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert info.value.limit == "max_decompression_ratio"
    assert "max_decompression_ratio" in str(info.value)
    assert peak < 48 * MiB  # the bomb inflates to 1 GiB; we held a few MB of it


def test_finding3_inflated_size_limit_holds_for_poorly_compressible_bodies() -> None:
    body = orjson.dumps([float(i) * 1.37 for i in range(200_000)])  # ~ 4 MB of varied JSON
    packed = gzip.compress(body)

    def handler(conn: socket.socket, request: RawRequest) -> None:
        conn.sendall(json_answer(packed, headers={"Content-Encoding": "gzip"}))

    with RawServer(handler) as server:
        client = _real_client(server.url, limits=Limits(max_decompressed_bytes=2 * MiB))
        with pytest.raises(LimitExceededError) as info:
            asyncio.run(client.send(ApiRequest("GET", "/api/v1/x")))
        assert info.value.limit == "max_decompressed_bytes"
        assert asyncio.run(
            _real_client(server.url).send_json(ApiRequest("GET", "/api/v1/x"))
        ) == orjson.loads(body)


@pytest.mark.parametrize(
    ("encoding", "payload", "match"),
    [("gzip", b"\x1f\x8bnot gzip at all", "corrupt"), ("br", b"\x00\x01", "was not requested")],
)
def test_finding3_corrupt_or_unrequested_encodings_are_typed_errors(
    encoding: str, payload: bytes, match: str
) -> None:
    def handler(conn: socket.socket, request: RawRequest) -> None:
        conn.sendall(json_answer(payload, headers={"Content-Encoding": encoding}))

    with RawServer(handler) as server:
        with pytest.raises(tinker.APIResponseValidationError, match=match):
            asyncio.run(_real_client(server.url).send(ApiRequest("GET", "/api/v1/x")))
        assert len(server.requests) == 1


def test_finding3_we_advertise_only_what_we_inflate_and_gzip_answers_decode() -> None:
    body = orjson.dumps({"values": list(range(1000))})

    def handler(conn: socket.socket, request: RawRequest) -> None:
        packed = gzip.compress(body)
        conn.sendall(json_answer(packed, headers={"Content-Encoding": "gzip"}))

    with RawServer(handler) as server:
        assert asyncio.run(
            _real_client(server.url).send_json(ApiRequest("GET", "/api/v1/x"))
        ) == orjson.loads(body)
        assert server.requests[0].headers["accept-encoding"] == "gzip, deflate"


def test_finding3_limits_apply_to_binary_answers_too() -> None:
    payload = b"\x00\x01" * (3 * MiB)

    def handler(conn: socket.socket, request: RawRequest) -> None:
        conn.sendall(
            response_head(
                200, {"Content-Type": "application/x-protobuf", "Content-Length": str(len(payload))}
            )
            + payload
        )

    with RawServer(handler) as server:
        client = _real_client(server.url, limits=Limits(max_response_bytes=MiB))
        with pytest.raises(LimitExceededError, match="max_response_bytes"):
            asyncio.run(client.send(ApiRequest("POST", "/api/v1/forward_backward", content=b"\x08\x01")))


# ---------------------------------------------------------------------------- 4. time per attempt


def _trickle_body(conn: socket.socket, request: RawRequest) -> None:
    conn.sendall(response_head(200, {"Content-Type": "application/json", "Content-Length": "100000"}))
    for _ in range(600):
        conn.sendall(b"  ")
        time.sleep(0.05)


def _slowloris_headers(conn: socket.socket, request: RawRequest) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for index in range(600):
        conn.sendall(b"X-Slow-%d: 1\r\n" % index)
        time.sleep(0.05)


@pytest.mark.parametrize("handler", [_trickle_body, _slowloris_headers], ids=["trickle", "slowloris"])
def test_finding4_attempt_deadline_bounds_trickling_servers(handler: Any) -> None:
    with RawServer(handler) as server:
        client = _real_client(server.url, limits=Limits(attempt_timeout=1.0))
        started = time.monotonic()
        with pytest.raises(LimitExceededError) as info:
            asyncio.run(client.send(ApiRequest("POST", "/api/v1/optim_step", body={})))
        elapsed = time.monotonic() - started
    assert info.value.limit == "attempt_timeout"
    assert "Limits(attempt_timeout=" in str(info.value)
    assert len(server.requests) == 1  # a breach is not retried
    assert elapsed < 20  # hang guard only


def test_finding4_silent_server_is_retried_a_bounded_number_of_times() -> None:
    def silent(conn: socket.socket, request: RawRequest) -> None:
        time.sleep(5)

    with RawServer(silent) as server:
        client = _real_client(server.url, timeout=httpx.Timeout(0.3, connect=1.0))
        with pytest.raises(tinker.APITimeoutError) as info:
            asyncio.run(client.send(ApiRequest("POST", "/api/v1/optim_step", body={})))
    assert len(server.requests) == 1 + client.retry_policy.max_timeout_retries == 3
    assert "max_timeout_retries" in str(info.value)


def test_finding4_result_timeout_leaves_the_operation_running_and_cancel_stops_it() -> None:
    polls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/v1/create_session":
            return json_response(200, {"session_id": "s"})
        if path == "/api/v1/create_sampling_session":
            return json_response(200, {"sampling_session_id": "ss"})
        if path == "/api/v1/asample":
            return json_response(200, {"request_id": "r1"})
        if path == "/api/v1/retrieve_future":
            polls.append(1)
            return json_response(200, {"type": "try_again", "queue_state": "active"})
        return json_response(200, {})

    sc = tinker.ServiceClient(
        api_key=KEY, base_url="http://api.test", _transport=httpx.MockTransport(handler)
    )
    try:
        sampler = sc.create_sampling_client(base_model="m")
        future = sampler.sample(tinker.ModelInput.from_ints([1]), 1, tinker.SamplingParams(max_tokens=1))
        with pytest.raises(tinker.FutureTimeoutError, match=r"keeps running.*cancel\(\)"):
            future.result(timeout=0.2)
        assert not future.done()  # documented: a bounded wait does not abandon the request
        assert future.cancel()
        time.sleep(0.3)
        settled = len(polls)
        time.sleep(1.2)
        assert len(polls) == settled  # polling stopped
    finally:
        sc.close()


def test_finding4_a_trickling_checkpoint_download_is_abandoned(tmp_path: Path) -> None:
    def handler(conn: socket.socket, request: RawRequest) -> None:
        if request.path.endswith("/archive"):
            conn.sendall(json_answer(orjson.dumps({"url": "/blob"})))
            return
        conn.sendall(response_head(200, {"Content-Length": str(MiB)}))
        for _ in range(600):
            conn.sendall(b"..")
            time.sleep(0.05)

    with RawServer(handler) as server:
        started = time.monotonic()
        with pytest.raises(tinker.CheckpointDownloadError, match=r"stalled.*gave up after 1 retries"):
            tinker.download_checkpoint(
                server.url,
                "tinker://run/sampler_weights/s1",
                tmp_path,
                api_key=KEY,
                stall_window=0.5,
                stall_min_bytes=1024,
                max_retries=1,
                retry_delay=0,
            )
        assert time.monotonic() - started < 20  # hang guard only
    # a stall is retried (resuming from the bytes received), once here; then abandoned
    assert [r.path.rsplit("/", 1)[-1] for r in server.requests] == ["archive", "blob", "blob"]
    # nothing extracted; the bytes received stay in the documented .part for the next call to resume
    part = ".run_sampler_weights_s1.tar.part"
    assert sorted(p.name for p in tmp_path.iterdir()) == [part, part + ".json"]  # the .part and its sidecar


@pytest.mark.parametrize("slow_path", ["archive", "blob"])
def test_finding4_slowloris_headers_on_a_checkpoint_download_are_bounded(
    tmp_path: Path, slow_path: str
) -> None:
    def handler(conn: socket.socket, request: RawRequest) -> None:
        if not request.path.endswith(slow_path):
            conn.sendall(json_answer(orjson.dumps({"url": "/blob"})))
            return
        _slowloris_headers(conn, request)  # a header line every 50 ms: no single read ever times out

    with RawServer(handler) as server:
        started = time.monotonic()
        with pytest.raises(tinker.CheckpointDownloadError, match=r"head_timeout=0\.5") as info:
            tinker.download_checkpoint(
                server.url,
                "tinker://run/sampler_weights/s1",
                tmp_path,
                api_key=KEY,
                head_timeout=0.5,
                max_retries=1,
                retry_delay=0,
            )
        assert time.monotonic() - started < 20  # hang guard only
    assert KEY not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_download_head_timeout_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(tinker.InvalidInputError, match="head_timeout"):
        tinker.download_checkpoint(
            "http://127.0.0.1:9", "tinker://run/sampler_weights/s1", tmp_path, api_key=KEY, head_timeout=0
        )
