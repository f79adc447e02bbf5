"""`ServiceClient.close()` / context-manager exit: `POST /sessions/{id}/finish` with the first reason
given, tolerated when the server has no such route (skyrl-tx: 404) or fails, then heartbeat and HTTP
are shut down."""

from __future__ import annotations

import asyncio
import logging

import pytest
from _fault_server import FakeTiming, FakeTinker, Fault, Recorded, json_response

import tinker_ext as tinker

API_KEY = "tml-finish-secret-1234"
FINISH = "/api/v1/sessions/sess0/finish"


def make(server: FakeTinker) -> tinker.ServiceClient:
    return tinker.ServiceClient(
        api_key=API_KEY, base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )


def accept_finish(server: FakeTinker) -> None:
    server.handlers[FINISH] = lambda rec: json_response(200, {})


def finishes(server: FakeTinker) -> list[Recorded]:
    return [r for r in server.requests if r.path.endswith("/finish")]


def assert_shut_down(sc: tinker.ServiceClient) -> None:
    ctx = sc._ctx
    assert ctx.closed and ctx._heartbeat is None and ctx.http._client is None
    with pytest.raises(tinker.TinkerError, match="closed"):
        sc.create_sampling_client(base_model="tiny/model")


def test_clean_exit_finishes_with_success() -> None:
    server = FakeTinker()
    accept_finish(server)
    with make(server) as sc:
        sc.create_sampling_client(base_model="tiny/model")
    [finish] = finishes(server)
    assert (finish.method, finish.path) == ("POST", FINISH)
    assert finish.body == {"reason": {"type": "success"}, "detail": None}
    assert finish.headers["x-api-key"] == API_KEY and finish.headers["content-type"] == "application/json"
    assert server.requests[-1] is finish  # nothing is sent after the finish
    assert_shut_down(sc)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ValueError("bad batch"), "errored"),
        (KeyboardInterrupt(), "interrupted"),
        (SystemExit(3), "interrupted"),
    ],
)
def test_exit_by_exception_reports_its_kind(error: BaseException, reason: str) -> None:
    server = FakeTinker()
    accept_finish(server)
    with pytest.raises(type(error)), make(server) as sc:
        sc.create_sampling_client(base_model="tiny/model")
        raise error
    assert [f.body for f in finishes(server)] == [{"reason": {"type": reason}, "detail": None}]
    assert_shut_down(sc)


def test_first_reason_wins_and_close_is_idempotent() -> None:
    server = FakeTinker()
    accept_finish(server)
    with make(server) as sc:
        sc.create_sampling_client(base_model="tiny/model")
        sc.close("interrupted", "user pressed stop")
        sc.close("errored", "later reason")
    assert [f.body for f in finishes(server)] == [
        {"reason": {"type": "interrupted"}, "detail": "user pressed stop"}
    ]


def test_reason_recorded_before_close_wins_over_a_clean_exit() -> None:
    server = FakeTinker()
    accept_finish(server)
    sc = make(server)
    sc.create_sampling_client(base_model="tiny/model")
    sc._ctx.record_finish_reason("errored", "disk full")
    sc.__exit__(None, None, None)
    assert [f.body for f in finishes(server)] == [{"reason": {"type": "errored"}, "detail": "disk full"}]


def test_404_from_a_server_without_the_route_is_tolerated(caplog: pytest.LogCaptureFixture) -> None:
    server = FakeTinker()  # no finish route: 404 like skyrl-tx
    sc = make(server)
    sc.create_sampling_client(base_model="tiny/model")
    with caplog.at_level(logging.DEBUG, logger="tinker_ext"):
        sc.close()
    assert len(finishes(server)) == 1  # a 404 is not retried
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert_shut_down(sc)


@pytest.mark.parametrize(
    "faults",
    [
        [Fault(status=500, body={"detail": f"boom {API_KEY}"})] * 3,
        [Fault(status=None)] * 3,
        [Fault(status=403, body={"detail": f"forbidden for key {API_KEY}"})],
    ],
    ids=["5xx", "dropped", "403"],
)
def test_failed_finish_never_raises_and_never_logs_the_key(
    faults: list[Fault], caplog: pytest.LogCaptureFixture
) -> None:
    server = FakeTinker()
    accept_finish(server)
    server.inject(FINISH, *faults)
    sc = make(server)
    sc.create_sampling_client(base_model="tiny/model")
    with caplog.at_level(logging.DEBUG):
        sc.close()
    # retried (5xx, transport errors: 1 + 2 retries) or not (403), then given up on
    assert len(finishes(server)) == len(faults)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "Finishing session sess0 failed" in warnings[0]
    assert API_KEY not in caplog.text
    assert_shut_down(sc)


def test_lazy_client_that_never_made_a_session_sends_nothing() -> None:
    server = FakeTinker()
    with make(server):
        pass
    assert server.requests == []


def test_async_context_manager_finishes() -> None:
    server = FakeTinker()
    accept_finish(server)

    async def main() -> tinker.ServiceClient:
        async with make(server) as sc:
            await sc.create_sampling_client_async(base_model="tiny/model")
            raise RuntimeError("stop")
        raise AssertionError("unreachable")

    with pytest.raises(RuntimeError, match="stop"):
        asyncio.run(main())
    assert [f.body for f in finishes(server)] == [{"reason": {"type": "errored"}, "detail": None}]


def test_close_async_and_invalid_status() -> None:
    server = FakeTinker()
    accept_finish(server)
    sc = make(server)
    with pytest.raises(tinker.InvalidInputError):
        sc.close("crashed")  # type: ignore[arg-type]
    sc.create_sampling_client(base_model="tiny/model")
    asyncio.run(sc.close_async("success", "done"))
    assert [f.body for f in finishes(server)] == [{"reason": {"type": "success"}, "detail": "done"}]
    assert_shut_down(sc)
