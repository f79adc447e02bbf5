"""Pipelined forward_backward chunks over real sockets (127.0.0.1): several chunks in flight, never more than
the byte budget allows, seq_ids in order on the wire, results merged in input order and equal to sending
one chunk at a time. No timing: the server holds results until the expected number of chunks is in flight
(see `_pipeline_server`)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import numpy as np
import pytest
from _pipeline_server import LoopbackServer, PipelineFake

import tinker_ext as tinker
from tinker_ext._session.byte_budget import ByteBudget

TOKENS = 8
DATUMS = 14
CHUNK_DATUMS = 2
CHUNKS = DATUMS // CHUNK_DATUMS
# Estimated bytes of one datum: tokens 4 B each, int64 targets 8 B, float32 weights 4 B (`_training.chunking`).
CHUNK_BYTES = CHUNK_DATUMS * TOKENS * (4 + 8 + 4)


def datums(numpy_tokens: bool = False) -> list[tinker.Datum]:
    rng = np.random.default_rng(7)
    out = []
    for _ in range(DATUMS):
        seq = rng.integers(1, 30_000, size=TOKENS + 1, dtype=np.int64)
        tokens = seq[:-1]
        out.append(
            tinker.Datum(
                model_input=(
                    tinker.ModelInput.from_numpy(tokens)
                    if numpy_tokens
                    else tinker.ModelInput.from_ints(tokens.tolist())
                ),
                loss_fn_inputs={
                    "target_tokens": tinker.TensorData.from_numpy(seq[1:].copy()),
                    "weights": tinker.TensorData.from_numpy(rng.random(TOKENS, dtype=np.float32)),
                },
            )
        )
    return out


def expected(data: list[tinker.Datum]) -> tuple[list[np.ndarray], float]:
    logprobs = [(-d.loss_fn_inputs["target_tokens"].to_numpy() / 1000).astype(np.float32) for d in data]
    return logprobs, float(sum(float(d.loss_fn_inputs["weights"].to_numpy().sum()) for d in data))


@pytest.fixture
def run() -> Iterator[object]:
    servers: list[LoopbackServer] = []
    clients: list[tinker.ServiceClient] = []

    def start(budget: int, release_at: int) -> tuple[PipelineFake, tinker.TrainingClient]:
        fake = PipelineFake(release_at=release_at, chunks_per_call=CHUNKS, max_chunk_datums=CHUNK_DATUMS)
        server = LoopbackServer(fake)
        servers.append(server)
        service = tinker.ServiceClient(
            api_key="tml-test",
            base_url=server.url,
            limits=tinker.Limits(max_fwdbwd_bytes_in_flight=budget),
        )
        clients.append(service)
        return fake, service.create_lora_training_client("tiny/model")

    yield start
    for service in clients:
        service.close()
    for server in servers:
        server.close()


def _check(fake: PipelineFake, result: tinker.ForwardBackwardOutput, data: list[tinker.Datum]) -> None:
    # Wire order: the chunks' seq_ids 1..CHUNKS in order, then the optim_step called right after.
    assert fake.seq_order == [("/api/v1/forward_backward", s) for s in range(1, CHUNKS + 1)] + [
        ("/api/v1/optim_step", CHUNKS + 1)
    ]
    logprobs, weight_sum = expected(data)
    assert len(result.loss_fn_outputs) == DATUMS
    for got, want in zip(result.loss_fn_outputs, logprobs, strict=True):
        np.testing.assert_array_equal(got["logprobs"].to_numpy(), want)
    assert result.metrics["loss:sum"] == pytest.approx(weight_sum, rel=1e-6)


@pytest.mark.parametrize("chunks_in_flight", [1, 3, CHUNKS])
def test_in_flight_chunks_reach_and_never_exceed_the_budget(run, chunks_in_flight: int) -> None:  # type: ignore[no-untyped-def]
    fake, training = run(chunks_in_flight * CHUNK_BYTES, release_at=chunks_in_flight)
    data = datums()
    fb = training.forward_backward(data, "cross_entropy")
    optim = training.optim_step(tinker.AdamParams(learning_rate=1e-4))  # queued behind every chunk
    result = fb.result(timeout=60)
    optim.result(timeout=60)
    assert fake.max_in_flight == chunks_in_flight
    _check(fake, result, data)


def test_budget_smaller_than_a_chunk_sends_one_at_a_time(run) -> None:  # type: ignore[no-untyped-def]
    fake, training = run(CHUNK_BYTES // 3, release_at=1)
    data = datums()
    fb = training.forward_backward(data, "cross_entropy")
    optim = training.optim_step(tinker.AdamParams(learning_rate=1e-4))
    result = fb.result(timeout=60)
    optim.result(timeout=60)
    assert fake.in_flight_at_post == [1] * CHUNKS  # each chunk sent only after the previous one's result
    _check(fake, result, data)


def test_pipelined_result_equals_sequential_and_numpy_tokens_equal_lists(run) -> None:  # type: ignore[no-untyped-def]
    outputs = []
    sent = []
    for budget, release_at, numpy_tokens in [(1, 1, False), (10 * CHUNK_BYTES, CHUNKS, True)]:
        fake, training = run(budget, release_at)
        fb = training.forward_backward(datums(numpy_tokens), "cross_entropy")
        training.optim_step(tinker.AdamParams(learning_rate=1e-4)).result(timeout=60)
        outputs.append(fb.result(timeout=60))
        sent.append(
            [r.body.SerializeToString() for r in fake.requests if r.path == "/api/v1/forward_backward"]
        )
    sequential, pipelined = outputs
    assert sent[0] == sent[1]  # the same bytes on the wire, chunk by chunk (tokens from lists or numpy)
    assert sequential.metrics == pipelined.metrics
    assert len(sequential.loss_fn_outputs) == len(pipelined.loss_fn_outputs) == DATUMS
    for a, b in zip(sequential.loss_fn_outputs, pipelined.loss_fn_outputs, strict=True):
        np.testing.assert_array_equal(a["logprobs"].to_numpy(), b["logprobs"].to_numpy())


def test_a_refused_chunk_fails_the_call_without_blocking_later_requests(run) -> None:  # type: ignore[no-untyped-def]
    fake, training = run(CHUNK_BYTES, release_at=1)  # one chunk in flight: the later ones wait for budget
    fake.refuse_chunk = 2
    fb = training.forward_backward(datums(), "cross_entropy")
    optim = training.optim_step(tinker.AdamParams(learning_rate=1e-4))
    with pytest.raises(tinker.BadRequestError):
        fb.result(timeout=60)
    optim.result(timeout=60)  # not stuck behind the chunks that were never sent
    # Chunk 2 was refused (not applied: its seq_id is not used up); the chunks after it were abandoned
    # before being sent, so the optim_step gets seq_id 2 (this server refuses gaps with a 409).
    assert fake.seq_order == [("/api/v1/forward_backward", 1), ("/api/v1/optim_step", 2)]
    assert len([r for r in fake.requests if r.path == "/api/v1/forward_backward"]) == 2


# --------------------------------------------------------------------------------------- ByteBudget


def test_budget_admits_in_order_and_lets_an_oversize_holder_go_alone() -> None:
    async def main() -> list[str]:
        budget = ByteBudget(10)
        events: list[str] = []
        release = {name: asyncio.Event() for name in "abcd"}

        async def holder(name: str, nbytes: int) -> None:
            async with budget.hold(nbytes):
                events.append(f"+{name}:{budget.in_flight}")
                await release[name].wait()
            events.append(f"-{name}")

        tasks = [asyncio.create_task(holder(n, b)) for n, b in [("a", 6), ("b", 25), ("c", 1), ("d", 4)]]
        await asyncio.sleep(0)
        release["a"].set()  # b (larger than the budget) waits for a, then goes alone; c waits behind b
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        release["b"].set()
        for _ in range(4):
            await asyncio.sleep(0)
        release["c"].set()
        release["d"].set()
        await asyncio.gather(*tasks)
        assert budget.in_flight == 0 and budget.holders == 0
        return events

    events = asyncio.run(asyncio.wait_for(main(), 10))
    assert events[:4] == ["+a:6", "-a", "+b:25", "-b"]
    assert events[4:6] == ["+c:5", "+d:5"]  # c and d fit together: both admitted when b left, c first


def test_a_cancelled_waiter_gives_its_place_to_the_next() -> None:
    async def main() -> None:
        budget = ByteBudget(10)
        await budget.acquire(8)
        big = asyncio.create_task(budget.acquire(5))  # does not fit: waits
        small = asyncio.create_task(budget.acquire(2))  # would fit, but waits behind `big` (FIFO)
        await asyncio.sleep(0)
        assert not big.done() and not small.done()
        big.cancel()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert small.done() and budget.in_flight == 10
        budget.release(2)
        budget.release(8)
        assert budget.in_flight == 0 and budget.holders == 0

    asyncio.run(asyncio.wait_for(main(), 10))


@pytest.mark.parametrize("capacity", [0, -1, 1.5, True])
def test_budget_must_be_a_positive_int(capacity: object) -> None:
    with pytest.raises(tinker.InvalidInputError):
        ByteBudget(capacity)  # type: ignore[arg-type]
