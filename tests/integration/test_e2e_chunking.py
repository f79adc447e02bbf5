"""Chunking for real: a batch split over several requests gives the same merged result as one request.

The chunk limits live on the ServiceClient's shared context (`_ctx.chunk_limits`, read from the
server's `client/config` when it has one; skyrl-tx has none, so the defaults apply). The test lowers
them on a dedicated ServiceClient and counts the requests with a recording transport.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from _recording import RecordingTransport

import tinker_ext as tinker
from tinker_ext._training.chunking import ChunkLimits

pytestmark = pytest.mark.integration


def make_data(n: int, length: int = 15) -> list[tinker.Datum]:
    rng = np.random.default_rng(42)
    data = []
    for i in range(n):
        tokens = rng.integers(1, 1000, size=length + 1).tolist()
        data.append(
            tinker.Datum(
                model_input=tinker.ModelInput.from_ints(tokens[:-1]),
                loss_fn_inputs={"target_tokens": tokens[1:], "weights": [1.0 + (i % 3)] * length},
            )
        )
    return data


def summed_loss(output: tinker.ForwardBackwardOutput) -> float:
    if "loss:sum" in output.metrics:
        return float(output.metrics["loss:sum"])
    return float(
        sum(np.sum(o["elementwise_loss"].to_numpy(), dtype=np.float64) for o in output.loss_fn_outputs)
    )


@pytest.fixture(scope="module")
def chunked(tinker_server) -> Iterator[tuple[tinker.TrainingClient, RecordingTransport]]:
    transport = RecordingTransport()
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, _transport=transport
    ) as service:
        training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=5)
        yield training, transport


def set_limits(training: tinker.TrainingClient, limits: ChunkLimits) -> None:
    training._ctx.chunk_limits = limits


@pytest.mark.parametrize("method", ["forward", "forward_backward"])
def test_several_chunks_give_the_one_chunk_result(chunked, method):
    training, transport = chunked
    data = make_data(7)

    def datums_per_request() -> list[int]:  # forward passes go to /forward or /forward_backward by wire
        return [sent.datums for sent in transport.passes(forward_only=method == "forward")]

    set_limits(training, ChunkLimits())  # 7 datums of 45 numbers (15 tokens, targets, weights): one chunk
    before = len(datums_per_request())
    whole = getattr(training, method)(data, loss_fn="cross_entropy").result()
    assert datums_per_request()[before:] == [7]

    set_limits(training, ChunkLimits(max_datums=3))
    before = len(datums_per_request())
    split = getattr(training, method)(data, loss_fn="cross_entropy").result()
    assert datums_per_request()[before:] == [3, 3, 1]

    # A number budget instead of a datum count: 2 datums (2 x 45 numbers) fit under 100, 3 do not.
    set_limits(training, ChunkLimits(max_numbers=100))
    before = len(datums_per_request())
    by_numbers = getattr(training, method)(data, loss_fn="cross_entropy").result()
    assert datums_per_request()[before:] == [2, 2, 2, 1]
    set_limits(training, ChunkLimits())

    for merged in (split, by_numbers):
        assert len(merged.loss_fn_outputs) == len(data)
        for a, b in zip(whole.loss_fn_outputs, merged.loss_fn_outputs, strict=True):
            # datum order is preserved across chunks (each datum has its own random tokens)
            np.testing.assert_allclose(
                a["logprobs"].to_numpy(), b["logprobs"].to_numpy(), rtol=1e-5, atol=1e-5
            )
        assert summed_loss(merged) == pytest.approx(summed_loss(whole), rel=1e-5)
        assert set(merged.metrics) == set(whole.metrics)
        for key, value in whole.metrics.items():
            if key.endswith(":sum"):
                assert merged.metrics[key] == pytest.approx(value, rel=1e-5), key
