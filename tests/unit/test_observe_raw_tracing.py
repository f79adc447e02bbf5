"""Issue 22 parts 2, 3 and 6: OpenTelemetry spans (one per logical call, children per poll and per HTTP
attempt, W3C traceparent on the wire), raw responses in 0.38's `APIResponse` shape (from
`with_raw_response` and from every APIFuture), and futures that say what they wait for."""

from __future__ import annotations

import asyncio
import datetime
import logging
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from _fault_server import FakeTinker, Fault, json_response

import tinker_ext as tinker
from tinker_ext._observe.waits import WaitReporter


def datum(n: int = 3) -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(list(range(n))),
        loss_fn_inputs={"target_tokens": list(range(1, n + 1)), "weights": [1.0] * n},
    )


# ------------------------------------------------------------------------------------------ raw responses


def test_future_raw_responses_in_the_official_shape(server: FakeTinker, make_service: Any) -> None:
    service = make_service(keep_raw_responses=2)
    tc = service.create_lora_training_client("tiny/model", rank=4)
    server.inject("/api/v1/optim_step", Fault(503))
    future = tc.optim_step(tinker.AdamParams(learning_rate=1e-3))
    result = future.result()
    raws = future.raw_responses
    assert [r.operation for r in raws] == ["optim_step", "retrieve_future"]
    submit, last = raws
    assert isinstance(submit, tinker.APIResponse)
    assert submit.status_code == 200 and submit.method == "POST" and submit.url.path == "/api/v1/optim_step"
    assert submit.retries_taken == 1  # the 503 was retried once
    assert isinstance(submit.elapsed, datetime.timedelta) and submit.elapsed.total_seconds() >= 0
    assert submit.headers["content-type"] == "application/json"
    assert submit.json() == submit.parse() and "request_id" in submit.json()  # type: ignore[operator]
    assert submit.read() == submit.http_response.content
    assert last.parse() is result and last.retries_taken == 0
    assert "X-API-Key" not in submit.http_request.headers and "tml-test" not in repr(submit)
    service.close()


def test_futures_keep_no_responses_by_default(server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model", rank=4)
    future = tc.optim_step(tinker.AdamParams(learning_rate=1e-3))
    future.result()
    assert future.raw_responses == []
    with pytest.raises(ValueError, match="keep_raw_responses"):
        tinker.ServiceClient(api_key="tml-test", base_url="http://t", keep_raw_responses=-1)


def _capabilities(server: FakeTinker) -> None:
    server.handlers["/api/v1/get_server_capabilities"] = lambda rec: json_response(
        200, {"supported_models": [{"model_name": "tiny/model"}]}, {"x-request-id": "r-1"}
    )


def test_with_raw_response_on_clients(server: FakeTinker, service: tinker.ServiceClient) -> None:
    _capabilities(server)
    tc = service.create_lora_training_client("tiny/model", rank=4)
    raw = service.with_raw_response.get_server_capabilities()
    assert isinstance(raw, tinker.APIResponse) and raw.status_code == 200
    assert (
        raw.parse() == service.get_server_capabilities() and raw.url.path == "/api/v1/get_server_capabilities"
    )
    assert raw.headers["x-request-id"] == "r-1" and raw.retries_taken == 0
    fut = tc.with_raw_response.optim_step(tinker.AdamParams(learning_rate=1e-3))
    response = fut.result()
    assert isinstance(response, tinker.APIResponse) and response.operation == "retrieve_future"
    assert response.parse().__class__.__name__ == "OptimStepResponse"
    with pytest.raises(tinker.TinkerError, match="no raw response"):
        tc.with_raw_response.get_info()  # known since creation: nothing was sent
    with pytest.raises(AttributeError, match="optim_step"):
        _ = tc.with_raw_response.optim_step_async


def test_async_api_response_has_awaitable_readers(server: FakeTinker, service: tinker.ServiceClient) -> None:
    from tinker_ext._observe.raw import as_async

    _capabilities(server)
    raw = service.with_raw_response.get_server_capabilities()
    araw = as_async(raw)
    assert isinstance(araw, tinker.AsyncAPIResponse)

    async def read() -> tuple[Any, bytes, Any]:
        return await araw.parse(), await araw.read(), await araw.json()

    parsed, body, data = asyncio.run(read())
    assert parsed == raw.parse() and body == raw.read() and data == raw.json()


# ------------------------------------------------------------------------------------------------ tracing


@pytest.fixture
def spans() -> Iterator[Any]:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace._TRACER_PROVIDER_SET_ONCE._done = False  # type: ignore[attr-defined]  # a fresh provider per test
    trace.set_tracer_provider(provider)
    yield exporter
    exporter.clear()


def test_span_tree_and_traceparent(spans: Any, server: FakeTinker, service: tinker.ServiceClient) -> None:
    tc = service.create_lora_training_client("tiny/model", rank=4)
    spans.clear()
    start = len(server.requests)
    tc.forward_backward([datum()], "cross_entropy").result()
    finished = spans.get_finished_spans()
    by_id = {s.context.span_id: s for s in finished}
    (root,) = [s for s in finished if s.parent is None]
    assert (
        root.name == "tinker_ext forward_backward"
        and root.attributes["tinker.operation"] == "forward_backward"
    )
    attempts = [s for s in finished if s.name.startswith("HTTP ")]
    polls = [s for s in finished if s.name.startswith("tinker_ext poll")]
    assert polls and all(by_id[p.parent.span_id] is root for p in polls)
    submit = next(s for s in attempts if s.name == "HTTP POST forward_backward")
    assert by_id[submit.parent.span_id] is root
    assert submit.attributes["tinker.model_id"] == tc.model_id and submit.attributes["tinker.seq_id"] == 1
    assert (
        submit.attributes["http.response.status_code"] == 200 and submit.attributes["tinker.wire"] == "json"
    )
    for poll in polls:
        children = [s for s in attempts if s.parent.span_id == poll.context.span_id]
        assert [c.name for c in children] == ["HTTP POST retrieve_future"]
    assert {s.context.trace_id for s in finished} == {root.context.trace_id}
    sent = [
        r
        for r in server.requests[start:]
        if r.path in ("/api/v1/forward_backward", "/api/v1/retrieve_future")
    ]
    for recorded, attempt in zip(sent, sorted(attempts, key=lambda s: s.start_time), strict=True):
        _version, trace_id, span_id, _flags = recorded.headers["traceparent"].split("-")
        assert int(trace_id, 16) == root.context.trace_id and int(span_id, 16) == attempt.context.span_id


def test_failed_call_span_has_error_status(
    spans: Any, server: FakeTinker, service: tinker.ServiceClient
) -> None:
    tc = service.create_lora_training_client("tiny/model", rank=4)
    spans.clear()
    server.inject("/api/v1/optim_step", Fault(400, {"detail": "bad"}))
    with pytest.raises(tinker.BadRequestError):
        tc.optim_step(tinker.AdamParams(learning_rate=1e-3)).result()
    (root,) = [s for s in spans.get_finished_spans() if s.parent is None]
    assert root.status.status_code.name == "ERROR" and root.name == "tinker_ext optim_step"


def test_no_tracing_without_a_provider_and_no_import(server: FakeTinker, make_service: Any) -> None:
    """Default: opentelemetry is not imported by tinker_ext; without a configured provider no header."""
    code = (
        "import sys, tinker_ext as t\n"
        "from tinker_ext._observe.tracing import Tracing\n"
        "assert Tracing().tracer() is None\n"
        "t.ServiceClient(api_key='tml-x', base_url='http://t')\n"
        "assert not any(m.startswith('opentelemetry') for m in sys.modules), sorted(sys.modules)\n"
    )
    import subprocess

    subprocess.run([sys.executable, "-c", code], check=True)
    with make_service(tracing=False) as sc:
        sc.create_lora_training_client("tiny/model", rank=4)
    assert all("traceparent" not in r.headers for r in server.requests)


# ------------------------------------------------------------------------------------------- silent waits


def test_a_long_wait_is_reported_with_backoff(caplog: pytest.LogCaptureFixture) -> None:
    async def wait() -> WaitReporter:
        reporter = WaitReporter("ForwardBackward", "req-9", interval=0.02)
        reporter.start()
        reporter.polled("paused_capacity")
        await asyncio.sleep(0.2)
        reporter.stop()
        return reporter

    with caplog.at_level(logging.INFO, logger="tinker_ext.futures"):
        reporter = asyncio.run(wait())
    messages = [r.getMessage() for r in caplog.records if "Still waiting" in r.getMessage()]
    # 0.02, +0.04, +0.08 s: 3 reports in 0.2 s (backoff doubles the interval), not 10
    assert 2 <= len(messages) <= 4 and reporter.reports == len(messages)
    assert "ForwardBackward req-9: queue state paused_capacity, 1 poll(s)" in messages[0]


def test_one_watch_reports_on_time_across_loops_and_earlier_deadlines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tinker_ext._observe.waits import WaitWatch

    watch = WaitWatch()

    async def wait(request_id: str, interval: float, seconds: float) -> WaitReporter:
        reporter = WaitReporter("Sample", request_id, interval=interval, watch=watch)
        watch.add(reporter)
        await asyncio.sleep(seconds)
        reporter.stop()
        return reporter

    async def slow_then_fast() -> tuple[WaitReporter, WaitReporter]:
        slow = asyncio.create_task(wait("slow", 30.0, 0.3))  # sets the timer 30 s out
        await asyncio.sleep(0.01)
        fast = await wait("fast", 0.05, 0.3)  # due long before that timer: it must re-arm it
        return await slow, fast

    with caplog.at_level(logging.INFO, logger="tinker_ext.futures"):
        slow, fast = asyncio.run(slow_then_fast())
        assert slow.reports == 0 and 1 <= fast.reports <= 2  # at 0.05 s and 0.15 s (backoff)
        # The timer left by the first loop (closed now) never fires: the next loop must set its own.
        assert asyncio.run(wait("next-loop", 0.05, 0.2)).reports >= 1
    assert not watch.active
    assert "Still waiting for Sample next-loop" in caplog.text


def test_polled_future_reports_what_it_waits_for(
    server: FakeTinker, caplog: pytest.LogCaptureFixture
) -> None:
    import threading

    release = threading.Event()
    hold = threading.Event()
    original = server.handle

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/retrieve_future" and hold.is_set() and not release.is_set():
            release.wait(0.01)
            return json_response(
                200, {"type": "try_again", "queue_state": "paused_rate_limit", "request_id": "x"}
            )
        return original(request)

    with (
        tinker.ServiceClient(
            api_key="tml-test",
            base_url="http://t",
            _transport=httpx.MockTransport(handle),
            wait_report_interval=0.05,
        ) as sc,
        caplog.at_level(logging.INFO, logger="tinker_ext.futures"),
    ):
        tc = sc.create_lora_training_client("tiny/model", rank=4)
        hold.set()
        future = tc.optim_step(tinker.AdamParams(learning_rate=1e-3))
        deadline = __import__("time").monotonic() + 5
        while "Still waiting" not in caplog.text and __import__("time").monotonic() < deadline:
            __import__("time").sleep(0.01)
        state = future.wait_state()
        release.set()
        future.result()
    assert state is not None and state["queue_state"] == "paused_rate_limit" and state["polls"] >= 1
    assert "Still waiting for OptimStep" in caplog.text and "paused_rate_limit" in caplog.text
    assert future.wait_state() is None


def test_cli_spinner_shows_the_wait_state() -> None:
    import concurrent.futures
    import io
    import time

    from rich.console import Console

    from tinker_ext._session.futures import APIFuture
    from tinker_ext.cli._spinner import describe_wait, wait_with_spinner

    inner: concurrent.futures.Future[int] = concurrent.futures.Future()
    future = APIFuture(inner)
    states = iter(
        [
            None,
            {
                "request_type": "OptimStep",
                "request_id": "r7",
                "queue_state": "paused_capacity",
                "polls": 3,
                "started": time.monotonic(),
            },
        ]
    )
    seen: list[str] = []

    def state() -> Any:
        value = next(states, None)
        seen.append(describe_wait(value))
        if len(seen) >= 2:
            inner.set_result(42)
        return value

    future.wait_state = state  # type: ignore[method-assign]
    out = io.StringIO()
    assert wait_with_spinner(future, Console(file=out, force_terminal=True)) == 42
    assert seen[0] == "Waiting for the server..."
    assert seen[1].startswith("Waiting for OptimStep r7: queue state paused_capacity, 3 poll(s)")
    assert "Waiting for" in out.getvalue()
