"""A refused, cancelled or failed call never holds the request order of its TrainingClient.

Each refusal (every InvalidInputError a TrainingClient method raises, see `_refusals`) sends nothing and
takes no turn: the next call is sent at once with the next contiguous seq_id. A call cancelled before
its coroutine ever ran, or one that fails on the loop before sending, releases its turn as well.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest
from _fault_server import FakeTinker
from _refusals import REFUSALS, datum

import tinker_ext as tinker

TRAINING_PATHS = {"/api/v1/forward_backward", "/api/v1/forward", "/api/v1/optim_step", "/api/v1/save_weights"}
# The bound on a wedged call (it would otherwise wait the 2 h future_timeout); never reached when it works.
HANG_BOUND_S = 30


def training_seq_ids(server: FakeTinker, since: int = 0) -> list[int]:
    return [
        r.body["seq_id"]
        for r in server.requests[since:]
        if r.path in TRAINING_PATHS or r.path.startswith("/api/v1/save_weights")
    ]


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refused_call_sends_nothing_and_takes_no_turn(
    case: str, service: tinker.ServiceClient, server: FakeTinker
) -> None:
    tc = service.create_lora_training_client("tiny/model")
    before = len(server.requests)
    with pytest.raises(tinker.InvalidInputError):
        REFUSALS[case](tc)
    assert len(server.requests) == before  # refused before anything was sent
    tc.optim_step(tinker.AdamParams()).result(timeout=HANG_BOUND_S)
    sent = [r.path for r in server.requests[before:]]
    assert sent[0] == "/api/v1/optim_step"  # the next call went out first, alone
    assert set(sent) <= {"/api/v1/optim_step", "/api/v1/retrieve_future", "/api/v1/session_heartbeat"}
    assert training_seq_ids(server, before) == [1]  # no seq_id was used up


@contextlib.contextmanager
def loop_held(service: tinker.ServiceClient) -> Iterator[None]:
    """The SDK loop thread blocked for the body of the `with`: calls made inside queue behind it."""
    loop_free = threading.Event()
    loop_busy = threading.Event()

    async def hold_loop() -> None:
        loop_busy.set()
        loop_free.wait()  # blocks the loop thread on purpose

    holder = service._ctx.loop.submit(hold_loop())
    loop_busy.wait()
    try:
        yield
    finally:
        loop_free.set()
        holder.result()


def test_call_cancelled_before_its_turn_releases_it(
    service: tinker.ServiceClient, server: FakeTinker
) -> None:
    """Calls queued while the SDK loop was busy; the middle one is cancelled before its turn came (its
    coroutine may then never run at all: on main 580627b this wedged the client)."""
    tc = service.create_lora_training_client("tiny/model")
    with loop_held(service):
        first = tc.optim_step(tinker.AdamParams())
        cancelled = tc.forward_backward([datum()], "cross_entropy")
        after = tc.save_state("after-cancel")
        assert cancelled.cancel()
    first.result(timeout=HANG_BOUND_S)
    assert after.result(timeout=HANG_BOUND_S).path.endswith("/after-cancel")
    sent = [r.path for r in server.requests if r.path in TRAINING_PATHS]
    assert sent == ["/api/v1/optim_step", "/api/v1/save_weights"]
    assert training_seq_ids(server) == [1, 2]  # the cancelled call used no seq_id


def test_a_call_cancelled_before_it_started_is_never_sent(
    service: tinker.ServiceClient, server: FakeTinker
) -> None:
    """Its ids are released at once; its coroutine may still start (asyncio runs a task cancelled from
    another thread up to its first suspension) and must then not send out of turn."""
    tc = service.create_lora_training_client("tiny/model")
    with loop_held(service):
        cancelled = tc.optim_step(tinker.AdamParams())
        assert cancelled.cancel()
        after = tc.save_state("after-cancel")
    after.result(timeout=HANG_BOUND_S)
    assert [r.path for r in server.requests if r.path in TRAINING_PATHS] == ["/api/v1/save_weights"]
    assert training_seq_ids(server) == [1]


def test_a_call_whose_coroutine_never_ran_releases_its_ids() -> None:
    """`release_when_done`: the ids and admissions of a call whose future ended without its coroutine
    running (no `finally` of it ran) are released; releasing ids twice changes nothing."""
    import asyncio
    import concurrent.futures

    from tinker_ext._training.request_order import RequestOrder

    order = RequestOrder()
    loop = asyncio.new_event_loop()
    try:
        first, admission = order.reserve_chunks(2)
        never_ran: concurrent.futures.Future[None] = concurrent.futures.Future()
        order.release_when_done(never_ran, loop, range(first, first + 2), range(admission, admission + 2))
        never_ran.cancel()
        next_id, next_admission = order.reserve_chunks(1)

        async def next_call() -> tuple[str, str]:
            admitted = await order.admission.run(next_admission, _answer("admitted"))
            order.gate.finish(first)  # a late second release of an id already released
            posted = await order.post_in_turn(next_id, lambda seq_id: _answer(f"seq {seq_id}")())
            return admitted, posted

        assert loop.run_until_complete(asyncio.wait_for(next_call(), HANG_BOUND_S)) == ("admitted", "seq 1")
    finally:
        loop.close()


def _answer(value: str):  # type: ignore[no-untyped-def]
    async def answer() -> str:
        return value

    return answer


def test_call_failing_on_the_loop_before_sending_releases_its_turn(
    service: tinker.ServiceClient, server: FakeTinker
) -> None:
    """forward_backward_custom holds 2 turns; its loss function fails after the forward phase, before
    the backward chunk is sent: the backward turn is released."""
    tc = service.create_lora_training_client("tiny/model")
    failing = tc.forward_backward_custom([datum()], lambda data, logprobs: "not a tuple")
    following = tc.optim_step(tinker.AdamParams())
    with pytest.raises(tinker.InvalidInputError):
        failing.result(timeout=HANG_BOUND_S)
    following.result(timeout=HANG_BOUND_S)
    paths = [r.path for r in server.requests if r.path in TRAINING_PATHS]
    assert paths == ["/api/v1/forward", "/api/v1/optim_step"]
    assert training_seq_ids(server) == [1, 2]
