"""Pipelined training requests reach the server in call order, even when earlier sends are slow."""

from __future__ import annotations

import time

import httpx
from _fault_server import FakeTiming, FakeTinker, Fault

import tinker_ext as tinker


class SlowFirst(httpx.AsyncBaseTransport):
    """Delays the first forward_backward submission so a naive client would let later ones overtake it."""

    def __init__(self, server: FakeTinker) -> None:
        self.server = server
        self.delayed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        import asyncio

        if request.url.path == "/api/v1/forward_backward" and not self.delayed:
            self.delayed = True
            await asyncio.sleep(0.3)
        await request.aread()
        return self.server.handle(request)


def datum() -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2]), loss_fn_inputs={"target_tokens": [2, 3]}
    )


def test_pipelined_requests_arrive_in_submission_order() -> None:
    server = FakeTinker()
    sc = tinker.ServiceClient(
        api_key="k", base_url="http://t", _transport=SlowFirst(server), _timing=FakeTiming().timing()
    )
    tc = sc.create_lora_training_client("tiny/model")
    futures = []
    for _ in range(3):
        futures.append(tc.forward_backward([datum()], "cross_entropy"))
        futures.append(tc.optim_step(tinker.AdamParams()))
    for f in futures:
        f.result(timeout=10)
    training = [r for r in server.applied if r.path in ("/api/v1/forward_backward", "/api/v1/optim_step")]
    assert [r.body["seq_id"] for r in training] == [1, 2, 3, 4, 5, 6]
    assert [r.path.rsplit("/", 1)[1] for r in training] == ["forward_backward", "optim_step"] * 3
    sc.close()


def test_failed_request_advances_the_turn() -> None:
    server = FakeTinker()
    server.inject("/api/v1/optim_step", Fault(status=400, body={"detail": "bad"}))
    sc = tinker.ServiceClient(
        api_key="k", base_url="http://t", _transport=server.transport(), _timing=FakeTiming().timing()
    )
    tc = sc.create_lora_training_client("tiny/model")
    failing = tc.optim_step(tinker.AdamParams())
    after = tc.forward_backward([datum()], "cross_entropy")
    start = time.monotonic()
    assert after.result(timeout=10).metrics
    assert time.monotonic() - start < 10
    try:
        failing.result(timeout=10)
        raise AssertionError("expected BadRequestError")
    except tinker.BadRequestError:
        pass
    sc.close()
