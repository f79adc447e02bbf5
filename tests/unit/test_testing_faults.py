"""Fault injection of tinker_ext.testing (`server.faults`), as users' resilience tests use it: the SDK rides
out 5xx, 429, dropped connections, slow answers and paused queues, and a retried request is applied once;
an injected failed result reaches the caller as RequestFailedError."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import tinker_ext as tinker
from tinker_ext.testing import Faults, TinkerTestServer

TEXT = list(b"abcdefghij")
FAST_RETRIES = tinker.RetryPolicy(initial_delay=0.01, max_delay=0.05)


@pytest.fixture
def server() -> Iterator[TinkerTestServer]:
    with TinkerTestServer() as running:
        yield running


@pytest.fixture
def service(server: TinkerTestServer) -> Iterator[tinker.ServiceClient]:
    with tinker.ServiceClient(
        base_url=server.base_url, api_key=server.api_key, retry_policy=FAST_RETRIES
    ) as client:
        yield client


def _datum() -> tinker.Datum:
    return tinker.Datum(
        model_input=tinker.ModelInput.from_ints(TEXT[:-1]),
        loss_fn_inputs={"target_tokens": TEXT[1:], "weights": [1.0] * (len(TEXT) - 1)},
    )


def _one_step(training: tinker.TrainingClient) -> np.ndarray:
    """One forward_backward + optim_step; the logprobs after it."""
    training.forward_backward([_datum()], "cross_entropy").result()
    training.optim_step(tinker.AdamParams(learning_rate=0.1)).result()
    out = training.forward([_datum()], "cross_entropy").result()
    return np.asarray(out.loss_fn_outputs[0]["logprobs"].data)


def test_5xx_429_and_dropped_connections_are_retried_and_applied_once(
    server: TinkerTestServer, service: tinker.ServiceClient
) -> None:
    reference = _one_step(service.create_lora_training_client(base_model=server.base_model, rank=4))
    training = service.create_lora_training_client(base_model=server.base_model, rank=4)
    server.faults.fail_next("forward_backward", status=503, times=2)
    server.faults.drop_next("optim_step")
    server.faults.drop_next("forward_backward", after_apply=True)  # after the two 503s
    server.faults.fail_next("retrieve_future", status=429, retry_after=0.01)
    before = [path for _, path in server.requests].count("/api/v1/optim_step")
    np.testing.assert_allclose(_one_step(training), reference)  # each request applied exactly once
    assert server.faults.injected == {
        "status:forward_backward": 2,
        "drop_after:forward_backward": 1,
        "drop:optim_step": 1,
        "status:retrieve_future": 1,
    }
    assert [path for _, path in server.requests].count("/api/v1/optim_step") == before + 2  # dropped, resent


def test_slow_answers_and_paused_queues_only_delay(
    server: TinkerTestServer, service: tinker.ServiceClient
) -> None:
    sampler = service.create_sampling_client(base_model=server.base_model)
    server.faults.slow("asample", seconds=0.2)
    server.faults.pause_queue("paused_rate_limit", polls=3, reason="testing")
    response = sampler.sample(
        tinker.ModelInput.from_ints([1, 2]), 2, tinker.SamplingParams(max_tokens=3, seed=0)
    ).result()
    assert [len(s.tokens) for s in response.sequences] == [3, 3]
    assert server.faults.injected == {"slow:asample": 1, "pause:retrieve_future": 3}


def test_a_failed_result_reaches_the_caller(server: TinkerTestServer, service: tinker.ServiceClient) -> None:
    training = service.create_lora_training_client(base_model=server.base_model, rank=4)
    server.faults.fail_results("forward_backward", error="injected: the GPU caught fire", category="server")
    with pytest.raises(tinker.RequestFailedError, match="GPU caught fire"):
        training.forward_backward([_datum()], "cross_entropy").result()
    # only the next one fails
    assert training.forward_backward([_datum()], "cross_entropy").result().metrics["loss:sum"] > 0


def test_faults_are_checked_and_cleared() -> None:
    faults = Faults()
    with pytest.raises(ValueError, match="HTTP error status"):
        faults.fail_next("asample", status=200)
    with pytest.raises(ValueError, match="times"):
        faults.drop_next("asample", times=0)
    faults.fail_next("*", status=500, times=5)
    assert faults.take("anything", ("status",)) is not None
    faults.clear()
    assert faults.take("anything", ("status",)) is None
