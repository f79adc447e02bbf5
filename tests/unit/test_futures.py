"""retrieve_future polling (docs/PROTOCOL.md, Futures and polling) and the APIFuture calling styles."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from typing import Any

import httpx
import pytest
from _fault_server import FakeTiming, json_response

from tinker_ext._core.exceptions import (
    APIConnectionError,
    APITimeoutError,
    FutureTimeoutError,
    InternalServerError,
    NotFoundError,
    PromiseExpiredError,
    RequestFailedError,
)
from tinker_ext._session.futures import APIFuture, background_loop
from tinker_ext._session.polling import MAX_CONNECTION_OUTAGE_S, QueueStateChange, poll_future
from tinker_ext._wire.http import ApiKey, HttpClient
from tinker_ext.types import RequestErrorCategory


class Poll:
    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[httpx.Headers] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        import orjson

        self.bodies.append(orjson.loads(request.content))
        self.headers.append(request.headers)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def poll(script: Poll, fake: FakeTiming | None = None, **kw: Any) -> Any:
    fake = fake or FakeTiming()
    client = HttpClient(
        base_url="http://t", api_key=ApiKey("k"), transport=httpx.MockTransport(script), timing=fake.timing()
    )
    return asyncio.run(poll_future(client, "req-1", lambda d: d, request_type="OptimStep", **kw))


TRY_AGAIN = {"type": "try_again", "request_id": "req-1", "queue_state": "active"}


def test_completed_result_and_request_body() -> None:
    script = Poll(json_response(200, {"metrics": {"a:sum": 1.0}}))
    assert poll(script) == {"metrics": {"a:sum": 1.0}}
    assert script.bodies == [{"request_id": "req-1", "allow_metadata_only": True}]
    assert script.headers[0]["x-tinker-request-type"] == "OptimStep"


def test_try_again_storm_repolls_until_done_with_bounded_backoff() -> None:
    fake = FakeTiming()
    script = Poll(*([json_response(200, TRY_AGAIN)] * 50), json_response(200, {"ok": 1}))
    assert poll(script, fake) == {"ok": 1}
    assert len(script.bodies) == 51
    assert [h["x-tinker-request-iteration"] for h in script.headers[:3]] == ["0", "1", "2"]
    assert len(fake.sleeps) == 47 and max(fake.sleeps) <= 1.0  # first 3 immediate, then capped backoff


def test_queue_state_changes_reported_to_callback_and_log(caplog: pytest.LogCaptureFixture) -> None:
    changes: list[QueueStateChange] = []
    paused = {
        "type": "try_again",
        "request_id": "req-1",
        "queue_state": "paused_capacity",
        "queue_state_reason": "GPUs busy",
    }
    script = Poll(json_response(200, paused), json_response(200, paused), json_response(200, {"ok": 1}))
    with caplog.at_level(logging.INFO, logger="tinker_ext"):
        assert poll(script, on_queue_state_change=changes.append) == {"ok": 1}
    assert changes == [
        QueueStateChange("req-1", "paused_capacity", "GPUs busy"),
        QueueStateChange("req-1", "active", None),
    ]
    assert any("paused" in r.getMessage() and "GPUs busy" in r.getMessage() for r in caplog.records)


def test_metadata_only_then_payload() -> None:
    script = Poll(
        json_response(200, {"status": "complete_metadata", "response_payload_size": 10}),
        json_response(200, {"x": 1}),
    )
    assert poll(script) == {"x": 1}
    assert [b["allow_metadata_only"] for b in script.bodies] == [True, False]


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("user", RequestErrorCategory.USER),
        ("server", RequestErrorCategory.SERVER),
        ("weird", RequestErrorCategory.UNKNOWN),
    ],
)
def test_request_failed_categories(category: str, expected: RequestErrorCategory) -> None:
    script = Poll(json_response(200, {"error": "bad batch", "category": category}))
    with pytest.raises(RequestFailedError) as info:
        poll(script)
    assert info.value.category is expected
    assert info.value.request_id == "req-1"
    assert "bad batch" in str(info.value)
    assert len(script.bodies) == 1


def test_skyrl_style_400_detail_is_a_user_failure_not_retried() -> None:
    script = Poll(json_response(400, {"detail": "Model not found"}))
    with pytest.raises(RequestFailedError) as info:
        poll(script)
    assert info.value.category is RequestErrorCategory.USER
    assert "Model not found" in str(info.value)
    assert len(script.bodies) == 1


def test_bare_400_retried_three_times() -> None:
    script = Poll(httpx.Response(400))
    with pytest.raises(Exception) as info:
        poll(script)
    assert getattr(info.value, "status_code", None) == 400
    assert len(script.bodies) == 4


def test_408_and_5xx_repoll_then_succeed() -> None:
    fake = FakeTiming()
    script = Poll(
        json_response(408, {"detail": "Timeout waiting for result"}),
        json_response(500, {"detail": "x"}),
        json_response(502, {}),
        json_response(200, {"ok": 1}),
    )
    assert poll(script, fake) == {"ok": 1}
    assert fake.sleeps == [0.5, 1.0]  # 408 re-polls immediately, 5xx with backoff


def test_endless_5xx_gives_up() -> None:
    script = Poll(json_response(500, {"detail": "Unknown error"}))
    with pytest.raises(InternalServerError):
        poll(script)
    assert len(script.bodies) == 11


def test_429_and_connection_errors_back_off_exponentially() -> None:
    fake = FakeTiming()
    script = Poll(
        json_response(429, {}),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        json_response(200, {"ok": 1}),
    )
    assert poll(script, fake) == {"ok": 1}
    assert fake.sleeps == [1.0, 2.0, 4.0]


def test_a_server_that_stays_unreachable_is_given_up_after_the_outage_bound() -> None:
    fake = FakeTiming()
    script = Poll(httpx.ConnectError("refused"))
    with pytest.raises(APIConnectionError) as info:
        poll(script, fake)
    assert not isinstance(info.value, APITimeoutError)
    # it kept trying for the whole bound (backoff capped at 30 s), then stopped within one more backoff
    assert MAX_CONNECTION_OUTAGE_S < fake.now - 1000.0 <= MAX_CONNECTION_OUTAGE_S + 30.0
    assert len(script.bodies) > 5


def test_long_poll_read_timeouts_do_not_count_as_an_outage() -> None:
    fake = FakeTiming()
    # a server that keeps holding the long poll past the client's read timeout is busy, not gone
    script = Poll(*[httpx.ReadTimeout("slow")] * 20, json_response(200, {"ok": 1}))
    assert poll(script, fake) == {"ok": 1}
    assert fake.now - 1000.0 > MAX_CONNECTION_OUTAGE_S


def test_an_answer_ends_an_outage() -> None:
    fake = FakeTiming()
    refusals = [httpx.ConnectError("refused")] * 8  # about 120 s of backoff each
    script = Poll(
        *refusals,
        json_response(200, TRY_AGAIN),
        *refusals,
        json_response(200, TRY_AGAIN),
        *refusals,
        json_response(200, {"ok": 1}),
    )
    assert poll(script, fake) == {"ok": 1}
    assert fake.now - 1000.0 > MAX_CONNECTION_OUTAGE_S  # longer in total than one allowed outage


def test_410_is_promise_expired_and_404_raises() -> None:
    with pytest.raises(PromiseExpiredError):
        poll(Poll(json_response(410, {"detail": "gone"})))
    with pytest.raises(NotFoundError):
        poll(Poll(json_response(404, {"detail": "Future not found"})))


def test_deadline_stops_slow_future() -> None:
    fake = FakeTiming()
    script = Poll(json_response(200, TRY_AGAIN))
    with pytest.raises(FutureTimeoutError):
        poll(script, fake, deadline=fake.now + 5.0)
    assert fake.now <= 1005.0 + 1e-9


def test_deadline_caps_long_poll_read_timeout() -> None:
    fake = FakeTiming()
    timeouts: list[Any] = []

    def answer(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        return json_response(200, {"ok": 1})

    class Handler(Poll):
        def __call__(self, request: httpx.Request) -> httpx.Response:
            return answer(request)

    poll(Handler(), fake, deadline=fake.now + 3.0)
    assert timeouts == [3.0]
    poll(Handler(), fake)
    assert timeouts[1] == 45.0


# ----------------------------------------------------------------------------------- APIFuture styles


async def _slow(value: int, delay: float = 0.05) -> int:
    await asyncio.sleep(delay)
    return value


def test_result_blocking_and_timeout() -> None:
    fut = APIFuture.submit(_slow(7))
    assert fut.result() == 7
    slow = APIFuture.submit(_slow(1, 5.0))
    with pytest.raises(FutureTimeoutError):
        slow.result(timeout=0.01)
    assert isinstance(FutureTimeoutError("x"), TimeoutError)
    slow.cancel()


def test_await_result_async_coroutine_future() -> None:
    async def main() -> tuple[int, int, int]:
        a = await APIFuture.submit(_slow(1))
        b = await APIFuture.submit(_slow(2)).result_async()
        c = await APIFuture.submit(_slow(3)).coroutine()
        return a, b, c

    assert asyncio.run(main()) == (1, 2, 3)
    cf = APIFuture.submit(_slow(4)).future()
    assert isinstance(cf, concurrent.futures.Future)
    assert cf.result(timeout=5) == 4


def test_result_async_timeout_does_not_cancel_operation() -> None:
    fut = APIFuture.submit(_slow(5, 0.2))

    async def main() -> None:
        with pytest.raises(FutureTimeoutError):
            await fut.result_async(timeout=0.01)

    asyncio.run(main())
    assert fut.result(timeout=5) == 5


def test_result_on_sdk_loop_raises_instead_of_deadlocking() -> None:
    inner = APIFuture.submit(_slow(1, 1.0))

    async def block_on_loop() -> str:
        try:
            inner.result()
        except RuntimeError as exc:
            return str(exc)
        return "no error"

    message = APIFuture.submit(block_on_loop()).result(timeout=5)
    assert "deadlock" in message
    inner.cancel()


def test_exceptions_propagate_to_every_style() -> None:
    async def boom() -> int:
        raise RequestFailedError("bad", request_id="r", category=RequestErrorCategory.USER)

    fut = APIFuture.submit(boom())
    with pytest.raises(RequestFailedError):
        fut.result()

    async def main() -> None:
        with pytest.raises(RequestFailedError):
            await fut

    asyncio.run(main())


def test_one_background_daemon_thread() -> None:
    loop = background_loop()
    assert loop is background_loop()
    assert loop.thread.daemon
    names = [t.name for t in threading.enumerate()].count("tinker-ext-loop")
    assert names == 1


def test_cancel_via_concurrent_future_cancels_operation() -> None:
    started = threading.Event()
    cancelled = threading.Event()

    async def op() -> int:
        started.set()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return 1

    fut = APIFuture.submit(op())
    started.wait(5)
    fut.future().cancel()
    deadline = time.monotonic() + 5
    while not cancelled.is_set() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert cancelled.is_set()
