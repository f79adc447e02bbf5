"""Every way of waiting for a result gives the same answer from the real server."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Iterator

import numpy as np
import pytest

import tinker_ext as tinker

pytestmark = pytest.mark.integration

TOKENS = [int(t) for t in np.random.default_rng(9).integers(1, 1000, size=16)]
DATA = [
    tinker.Datum(
        model_input=tinker.ModelInput.from_ints(TOKENS[:-1]),
        loss_fn_inputs={"target_tokens": TOKENS[1:], "weights": [1.0] * (len(TOKENS) - 1)},
    )
]


def logprobs(output: tinker.ForwardBackwardOutput) -> np.ndarray:
    return output.loss_fn_outputs[0]["logprobs"].to_numpy()


@pytest.fixture(scope="module")
def service(tinker_server) -> Iterator[tinker.ServiceClient]:
    with tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key) as client:
        yield client


@pytest.fixture(scope="module")
def training(service, tinker_server) -> tinker.TrainingClient:
    return service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=41)


@pytest.fixture(scope="module")
def reference(training) -> np.ndarray:
    fut = training.forward(DATA, loss_fn="cross_entropy")
    assert isinstance(fut, tinker.APIFuture)
    return logprobs(fut.result())


def test_result_blocks_and_done_reports_it(training, reference):
    fut = training.forward(DATA, loss_fn="cross_entropy")
    output = fut.result(timeout=120)
    assert fut.done()
    np.testing.assert_array_equal(logprobs(output), reference)


def test_concurrent_future(training, reference):
    inner = training.forward(DATA, loss_fn="cross_entropy").future()
    assert isinstance(inner, concurrent.futures.Future)
    done, _ = concurrent.futures.wait([inner], timeout=120)
    assert inner in done
    np.testing.assert_array_equal(logprobs(inner.result()), reference)


def test_await_and_result_async(training, reference):
    async def main() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        awaited = await training.forward(DATA, loss_fn="cross_entropy")
        via_result_async = await training.forward(DATA, loss_fn="cross_entropy").result_async(timeout=120)
        # *_async methods return the future (official double-await style): await the call, then it.
        fut = await training.forward_async(DATA, loss_fn="cross_entropy")
        assert isinstance(fut, tinker.APIFuture)
        return logprobs(awaited), logprobs(via_result_async), logprobs(await fut)

    for got in asyncio.run(main()):
        np.testing.assert_array_equal(got, reference)


def test_async_clients_end_to_end(tinker_server):
    """The whole flow in one event loop: create, train one step, save, sample."""

    async def main() -> tinker.SampleResponse:
        async with tinker.ServiceClient(
            base_url=tinker_server.base_url, api_key=tinker_server.api_key
        ) as service:
            training = await service.create_lora_training_client_async(
                base_model=tinker_server.base_model, rank=4, seed=42
            )
            fwd_bwd = await training.forward_backward_async(DATA, loss_fn="cross_entropy")
            optim = await training.optim_step_async(tinker.AdamParams(learning_rate=1e-2))
            assert isinstance(await fwd_bwd, tinker.ForwardBackwardOutput)
            assert isinstance(await optim, tinker.OptimStepResponse)
            sampler = await training.save_weights_and_get_sampling_client_async()
            return await sampler.sample_async(
                tinker.ModelInput.from_ints(TOKENS[:8]),
                num_samples=1,
                sampling_params=tinker.SamplingParams(max_tokens=8, seed=1),
            )

    response = asyncio.run(main())
    assert len(response.sequences) == 1
    sequence = response.sequences[0]
    assert 1 <= len(sequence.tokens) <= 8
    assert sequence.stop_reason == ("length" if len(sequence.tokens) == 8 else "stop")


def test_result_timeout_raises_and_the_operation_keeps_running(training, reference):
    fut = training.forward(DATA, loss_fn="cross_entropy")
    with pytest.raises(tinker.FutureTimeoutError):
        fut.result(timeout=1e-6)
    np.testing.assert_array_equal(logprobs(fut.result(timeout=120)), reference)


def test_map_converts_on_completion(training, reference):
    total = training.forward(DATA, loss_fn="cross_entropy").map(lambda out: float(np.sum(logprobs(out))))
    assert total.result(timeout=120) == pytest.approx(float(np.sum(reference)))
