"""Throttled sampling (issue 12): thousands of samples against a server on 127.0.0.1 that answers some
asample POSTs with 429 (the answer to `X-Tinker-Sampling-Backpressure: 1`).

The server itself measures what the SDK promises: every sample answered exactly once with its own
answer (its result echoes the prompt), no asample applied twice, the number of samples in flight
(accepted, result not yet fetched) never above `max_in_flight`, and round-robin fairness between two
sampling clients of one ServiceClient. No timing is asserted.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

import tinker_ext as tinker
from tinker_ext import types
from tinker_ext._session.sample_dispatch import SampleDispatcher, SamplingDispatch, prompt_byte_estimate
from tinker_ext._wire.retry import Timing

MAX_IN_FLIGHT = 16


class SamplingServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def __init__(self, throttle_every: int) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.throttle_every = throttle_every  # every n-th asample POST gets a 429
        self.asample_posts = 0
        self.throttled = 0
        self.backpressure_headers = 0
        self.accepted: list[tuple[str, int]] = []  # (sampling session, seq_id), in acceptance order
        self.results: dict[str, list[int]] = {}  # request_id -> the prompt's tokens, until fetched
        self.max_outstanding = 0
        self.open = 0
        self.max_open = 0
        self.connections = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SamplingServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        server = self.server
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        with server.lock:
            server.open += 1
            server.max_open = max(server.max_open, server.open)
        try:
            status, answer = self._route(self.path.removeprefix("/api/v1/"), body)
        finally:
            with server.lock:
                server.open -= 1
        self._answer(status, answer)

    def _route(self, route: str, body: Any) -> tuple[int, Any]:
        server = self.server
        if route == "create_session":
            return 200, {"type": "create_session", "session_id": "s0"}
        if route == "create_sampling_session":
            return 200, {"sampling_session_id": f"samp{body['sampling_session_seq_id']}"}
        if route == "asample":
            with server.lock:
                server.asample_posts += 1
                if self.headers.get("X-Tinker-Sampling-Backpressure") == "1":
                    server.backpressure_headers += 1
                if server.asample_posts % server.throttle_every == 0:
                    server.throttled += 1
                    return 429, {"detail": "busy, try later"}
                request_id = f"r{len(server.accepted)}"
                server.accepted.append((body["sampling_session_id"], body["seq_id"]))
                server.results[request_id] = body["prompt"]["chunks"][0]["tokens"]
                server.max_outstanding = max(server.max_outstanding, len(server.results))
            return 200, {"request_id": request_id}
        if route == "retrieve_future":
            with server.lock:
                tokens = server.results.pop(body["request_id"], None)
            if tokens is None:
                return 404, {"detail": "unknown or already fetched"}
            return 200, {"sequences": [{"tokens": tokens, "stop_reason": "length"}], "type": "sample"}
        return 404, {"detail": "no route"}


@pytest.fixture
def sampling_server() -> Iterator[SamplingServer]:
    server = SamplingServer(throttle_every=23)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _service(server: SamplingServer, changes: list[tinker.QueueStateChange]) -> tinker.ServiceClient:
    dispatch = SamplingDispatch(
        max_in_flight=MAX_IN_FLIGHT,
        min_in_flight=2,
        backoff=0.002,
        large_request_backoff=0.002,
        spare_connections=4,
    )
    return tinker.ServiceClient(
        api_key="tml-dispatch",
        base_url=server.url,
        wire="json",
        sampling_dispatch=dispatch,
        on_queue_state_change=changes.append,
    )


def _prompt(i: int) -> types.ModelInput:
    return types.ModelInput.from_ints([i, i + 1, i + 2])


PARAMS = types.SamplingParams(max_tokens=3)


@pytest.mark.timeout(240)
def test_thousands_of_throttled_samples_each_answered_once(sampling_server: SamplingServer) -> None:
    changes: list[tinker.QueueStateChange] = []
    with _service(sampling_server, changes) as service:
        sampler = service.create_sampling_client(base_model="tiny/model")
        futures = [sampler.sample(_prompt(i), 1, PARAMS) for i in range(3000)]
        tokens = [list(f.result(timeout=200).sequences[0].tokens) for f in futures]

    assert tokens == [[i, i + 1, i + 2] for i in range(3000)]  # each its own answer
    server = sampling_server
    assert server.throttled > 100  # the backoff path really ran
    assert server.asample_posts == 3000 + server.throttled  # every 429 resent once, nothing more
    assert len(server.accepted) == 3000
    assert len(set(server.accepted)) == 3000  # no seq_id applied twice
    assert not server.results  # every accepted sample was fetched
    assert server.backpressure_headers == server.asample_posts
    assert 1 < server.max_outstanding <= MAX_IN_FLIGHT  # the bound, as the server saw it
    assert server.connections <= MAX_IN_FLIGHT + 4 + 1  # the pool (+1: the session's first call)
    states = [c.queue_state for c in changes]
    assert "paused_rate_limit" in states and states[-1] == "active"


@pytest.mark.timeout(240)
def test_two_sampling_clients_are_served_round_robin(sampling_server: SamplingServer) -> None:
    with _service(sampling_server, []) as service:
        busy = service.create_sampling_client(base_model="tiny/model")
        light = service.create_sampling_client(base_model="tiny/model")
        busy_futures = [busy.sample(_prompt(i), 1, PARAMS) for i in range(1500)]
        light_futures = [light.sample(_prompt(i), 1, PARAMS) for i in range(150)]
        for f in busy_futures + light_futures:
            f.result(timeout=200)
    order = [session for session, _ in sampling_server.accepted]
    light_session = light.sampling_session_id
    last_light = max(i for i, s in enumerate(order) if s == light_session)
    busy_before = Counter(order[:last_light])[busy.sampling_session_id]
    # First come first served would accept all 1,500 busy samples before the light client's last;
    # round-robin alternates once both wait, so the light client is done after ~1 busy sample each.
    assert busy_before < 150 + 2 * MAX_IN_FLIGHT + 100
    assert len(order) == 1650


# ---------------------------------------------------------------------------------- the dispatcher


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    async def sleep(self, seconds: float) -> None:
        self.now += seconds

    def timing(self) -> Timing:
        return Timing(sleep=self.sleep, clock=lambda: self.now)


def test_429_halves_the_cap_once_per_backoff_and_acceptances_grow_it_back() -> None:
    clock = _Clock()
    dispatcher = SampleDispatcher(SamplingDispatch(max_in_flight=64, min_in_flight=4), clock.timing())
    dispatcher.on_throttled(100)
    dispatcher.on_throttled(100)  # same backoff period: no second halving
    assert dispatcher.limit == 32 and dispatcher.backoff_until == 1.0
    clock.now = 2.0
    for _ in range(5):
        dispatcher.on_throttled(1 << 20)  # large prompt: the long pause
        clock.now = dispatcher.backoff_until
    assert dispatcher.limit == 4  # never below min_in_flight
    for _ in range(10_000):
        dispatcher.on_accepted()
    assert dispatcher.limit == 64


def test_byte_budget_admits_one_oversized_prompt_alone() -> None:
    import asyncio

    async def scenario() -> list[str]:
        dispatcher = SampleDispatcher(SamplingDispatch(max_in_flight_bytes=1000), _Clock().timing())
        events: list[str] = []
        await dispatcher.acquire("a", 5000)  # over the budget, but nothing in flight: goes
        events.append("big")

        async def small() -> None:
            await dispatcher.acquire("b", 10)
            events.append("small")

        task = asyncio.ensure_future(small())
        await asyncio.sleep(0)
        assert events == ["big"]  # waits while the oversized one holds the budget
        dispatcher.release(5000)
        await task
        return events

    assert asyncio.run(scenario()) == ["big", "small"]


def test_cancelled_waiter_gives_its_place_back() -> None:
    import asyncio

    async def scenario() -> int:
        dispatcher = SampleDispatcher(SamplingDispatch(max_in_flight=1, min_in_flight=1), _Clock().timing())
        await dispatcher.acquire("a", 1)
        waiting = asyncio.ensure_future(dispatcher.acquire("b", 1))
        await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        dispatcher.release(1)
        await dispatcher.acquire("c", 1)  # the cancelled waiter did not keep the slot
        return dispatcher.in_flight

    assert asyncio.run(scenario()) == 1


def test_prompt_estimate_and_config_checks() -> None:
    assert prompt_byte_estimate(types.ModelInput.from_ints(list(range(7)))) == 70
    with pytest.raises(tinker.InvalidInputError, match="min_in_flight"):
        SamplingDispatch(max_in_flight=4, min_in_flight=8)
    with pytest.raises(tinker.InvalidInputError, match="max_in_flight"):
        SamplingDispatch(max_in_flight=0)
    with pytest.raises(tinker.InvalidInputError, match="sampling_dispatch"):
        tinker.ServiceClient(api_key="tml-x", base_url="http://127.0.0.1:1", sampling_dispatch=3)  # type: ignore[arg-type]
