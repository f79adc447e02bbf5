"""End to end against the real local server: training steps, forward vs forward_backward, pipelining.

The loss the server computes for cross_entropy is -sum(weights * logprobs) over each datum's targets.
Tinker reports it as the metric `loss:sum`; skyrl-tx reports no metrics but returns the per-token
`elementwise_loss` (= -weights * logprobs), so the server's own loss is read from whichever is there.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import pytest
from _recording import RecordingTransport

import tinker_ext as tinker

pytestmark = pytest.mark.integration

STEPS = 3
ADAM = tinker.AdamParams(learning_rate=1e-2)


def make_data(n: int = 4, length: int = 15, seed: int = 0) -> list[tinker.Datum]:
    """Random token sequences; the first 3 target positions carry no weight (a 'prompt')."""
    rng = np.random.default_rng(seed)
    data = []
    for _ in range(n):
        tokens = rng.integers(1, 1000, size=length + 1).tolist()
        weights = [0.0] * 3 + [1.0] * (length - 3)
        data.append(
            tinker.Datum(
                model_input=tinker.ModelInput.from_ints(tokens[:-1]),
                loss_fn_inputs={"target_tokens": tokens[1:], "weights": weights},
            )
        )
    return data


def logprobs_of(output: tinker.ForwardBackwardOutput) -> list[np.ndarray]:
    return [out["logprobs"].to_numpy().astype(np.float64) for out in output.loss_fn_outputs]


def weighted_nll(logprobs: list[np.ndarray], data: list[tinker.Datum]) -> float:
    """-sum(weights * logprobs): the cross_entropy loss computed on the client."""
    return -sum(
        float(np.dot(d.loss_fn_inputs["weights"].to_numpy(), lp))
        for d, lp in zip(data, logprobs, strict=True)
    )


def server_loss(output: tinker.ForwardBackwardOutput) -> float:
    """The summed loss as the server reports it (`loss:sum`, else the sum of `elementwise_loss`)."""
    if "loss:sum" in output.metrics:
        return float(output.metrics["loss:sum"])
    return float(
        sum(np.sum(out["elementwise_loss"].to_numpy(), dtype=np.float64) for out in output.loss_fn_outputs)
    )


@pytest.fixture(scope="module")
def service(tinker_server) -> Iterator[tinker.ServiceClient]:
    with tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key) as client:
        yield client


@pytest.fixture(scope="module")
def data() -> list[tinker.Datum]:
    return make_data()


@pytest.fixture(scope="module")
def sequential_run(service, tinker_server, data):
    """A fresh model trained STEPS steps, waiting for each result: (client, losses, step seconds)."""
    training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=0)
    losses, seconds = [], []
    for _ in range(STEPS):
        started = time.perf_counter()
        output = training.forward_backward(data, loss_fn="cross_entropy").result()
        training.optim_step(ADAM).result()
        seconds.append(time.perf_counter() - started)
        losses.append(server_loss(output))
    return training, losses, seconds


def test_forward_backward_outputs_one_record_per_datum(sequential_run, data):
    training, _, _ = sequential_run
    output = training.forward_backward(data[:2], loss_fn="cross_entropy").result()
    assert len(output.loss_fn_outputs) == 2
    for datum, record in zip(data[:2], output.loss_fn_outputs, strict=True):
        logprobs = record["logprobs"].to_numpy()
        assert logprobs.shape == (datum.loss_fn_inputs["target_tokens"].size,)
        assert np.all(np.isfinite(logprobs)) and np.all(logprobs < 0)


def test_loss_decreases_over_steps(sequential_run):
    _, losses, seconds = sequential_run
    assert all(np.isfinite(losses)), losses
    assert losses[-1] < losses[0] * 0.99, f"loss did not go down: {losses}"
    print(f"\nforward_backward+optim_step per step: {[round(s, 2) for s in seconds]} s; losses {losses}")


def test_forward_logprobs_agree_with_forward_backward_loss(service, tinker_server, data):
    """Same weights, same data: forward's logprobs give exactly the loss forward_backward computed."""
    training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=3)
    forward = training.forward(data, loss_fn="cross_entropy").result()
    backward = training.forward_backward(data, loss_fn="cross_entropy").result()
    for fwd, bwd in zip(logprobs_of(forward), logprobs_of(backward), strict=True):
        np.testing.assert_allclose(fwd, bwd, rtol=1e-5, atol=1e-5)
    expected = weighted_nll(logprobs_of(forward), data)
    assert server_loss(backward) == pytest.approx(expected, rel=1e-5)
    # The zero-weight positions really are excluded: the unweighted sum is larger.
    unweighted = -sum(float(np.sum(lp)) for lp in logprobs_of(forward))
    assert unweighted > expected


@pytest.fixture(scope="module")
def pipelined_run(tinker_server, data):
    """A fresh model (same seed as `sequential_run`) with every step submitted before any result is
    read: (results in call order, what went over the wire)."""
    transport = RecordingTransport()
    with tinker.ServiceClient(
        base_url=tinker_server.base_url, api_key=tinker_server.api_key, _transport=transport
    ) as service:
        training = service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=0)
        futures: list[tinker.APIFuture] = []
        for _ in range(STEPS):
            futures.append(training.forward_backward(data, loss_fn="cross_entropy"))
            futures.append(training.optim_step(ADAM))
        results = [f.result() for f in futures]
    return results, transport.sent


def test_pipelined_requests_reach_the_server_in_call_order(pipelined_run):
    results, sent = pipelined_run
    assert all(isinstance(r, tinker.ForwardBackwardOutput) for r in results[0::2])
    assert all(isinstance(r, tinker.OptimStepResponse) for r in results[1::2])
    submitted = [(s.endpoint, s.seq_id) for s in sent if s.endpoint in ("forward_backward", "optim_step")]
    assert [name for name, _ in submitted] == ["forward_backward", "optim_step"] * STEPS
    seq_ids = [seq for _, seq in submitted]
    assert seq_ids == sorted(seq_ids) and len(set(seq_ids)) == len(seq_ids), seq_ids


def test_pipelined_training_equals_sequential_training(request, tinker_server, pipelined_run, sequential_run):
    if tinker_server.kind == "skyrl-tx":
        # Not strict: whether skyrl reorders depends on how many requests its engine loop finds
        # queued at once (timing). The wire order itself is asserted deterministically above; against
        # any other server (TINKER_BASE_URL) this test is a hard assertion.
        request.applymarker(pytest.mark.xfail(strict=False, reason=SKYRL_PIPELINING_BUG))
    results, _ = pipelined_run
    _, sequential_losses, _ = sequential_run
    pipelined_losses = [server_loss(r) for r in results[0::2]]
    np.testing.assert_allclose(
        pipelined_losses,
        sequential_losses,
        rtol=1e-4,
        err_msg="each forward_backward must see the weights after the previous optim_step",
    )


# skyrl-tx 0.3.0, tx/tinker/engine.py `process_pending_requests`: each loop iteration snapshots the
# batchable forward_backward requests (those before the model's first pending optim_step), runs them,
# then runs *every* pending optim_step of the model in a row. With fb1, opt1, fb2, opt2, ... queued at
# once, opt2 runs right after opt1 ("No accumulated gradients ..., skipping optimizer step" in the
# server log) and fb2/fb3 are batched together on the same weights. The SDK sends them in order
# (test above); the server reorders them.
SKYRL_PIPELINING_BUG = (
    "skyrl-tx 0.3.0 engine runs all pending optim_steps of a model back to back, overtaking the "
    "forward_backward calls queued between them (pipelined steps are not applied in order)"
)
