"""`TrainingClient.forward_backward_custom` on the wire, against the in-process fake server.

The fake server answers the forward pass with known logprobs; the test recomputes the gradient of the
custom loss independently with torch autograd and compares it with the backward request's weights."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from _fault_server import FakeTinker, Recorded

import tinker_ext as tinker
from tinker_ext import regularizers

torch = pytest.importorskip("torch")

FORWARD = "/api/v1/forward"
BACKWARD = "/api/v1/forward_backward"
OPTIM = "/api/v1/optim_step"
L2_WEIGHT = 0.3


def known_logprobs(target_tokens: Sequence[int]) -> list[float]:
    """What the fake model 'computes' for each target token (deterministic, distinct per token)."""
    return [-0.05 * (token % 17) - 0.1 for token in target_tokens]


@pytest.fixture
def server() -> FakeTinker:
    fake = FakeTinker()

    def forward_result(rec: Recorded) -> Any:
        return {
            "loss_fn_output_type": "scalar",
            "loss_fn_outputs": [
                {
                    "logprobs": {
                        "data": known_logprobs(d["loss_fn_inputs"]["target_tokens"]["data"]),
                        "dtype": "float32",
                    }
                }
                for d in rec.body["forward_input"]["data"]
            ],
            "metrics": {"loss:sum": 123.0},
        }

    fake.result_for[FORWARD] = forward_result
    return fake


def make_data(count: int) -> list[tinker.Datum]:
    data = []
    for i in range(count):
        n = 3 + i % 4
        tokens = [(7 * i + 3 * t) % 50 for t in range(n + 1)]
        inputs: dict[str, Any] = {
            "target_tokens": tokens[1:],
            "advantages": [((i + t) % 5 - 2) / 2.0 for t in range(n)],
            "mask": np.ones(n, dtype=np.float32),
        }
        if i % 2 == 0:  # half the datums carry weights; the others must get zeros on the forward pass
            inputs["weights"] = [0.5 + 0.1 * t for t in range(n)]
        data.append(tinker.Datum(model_input=tinker.ModelInput.from_ints(tokens[:-1]), loss_fn_inputs=inputs))
    return data


def squared_advantage_loss(data: list[tinker.Datum], logprobs: list[Any]) -> tuple[Any, dict[str, Any]]:
    """A nontrivial loss: Σ_i (Σ_t A_it·ℓ_it)² (its gradient couples the positions of a datum)."""
    total = torch.zeros(())
    for datum, lp in zip(data, logprobs, strict=True):
        advantages = datum.loss_fn_inputs["advantages"].to_torch()
        total = total + (lp * advantages).sum() ** 2
    return total, {"custom_score:mean": 1.5, "datums": float(len(data))}


def expected_backward(data: list[tinker.Datum]) -> tuple[list[np.ndarray], float, float, float, float]:
    """Independently: −∂C/∂ℓ per datum with C = loss + 0.3·Σℓ², and the loss values."""
    leaves = [
        torch.tensor(
            known_logprobs(d.loss_fn_inputs["target_tokens"].tolist()), dtype=torch.float64
        ).requires_grad_()
        for d in data
    ]
    base = sum(
        ((lp * torch.tensor(d.loss_fn_inputs["advantages"].tolist(), dtype=torch.float64)).sum()) ** 2
        for d, lp in zip(data, leaves, strict=True)
    )
    l2 = sum((lp**2).sum() for lp in leaves)
    total = base + L2_WEIGHT * l2
    total.backward()
    l2_grad_norm = float(torch.sqrt(sum(((L2_WEIGHT * 2 * lp.detach()) ** 2).sum() for lp in leaves)))
    weights = [-lp.grad.numpy() for lp in leaves]
    return weights, float(total.detach()), float(base.detach()), float(l2.detach()), l2_grad_norm


def run_custom(
    tc: tinker.TrainingClient, data: list[tinker.Datum], loss_fn: Any = squared_advantage_loss
) -> Any:
    return tc.forward_backward_custom(data, loss_fn, regularizers=[regularizers.L2(weight=L2_WEIGHT)])


def test_forward_request_carries_only_target_tokens_and_weights(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    data = make_data(4)
    tc = service.create_lora_training_client("tiny/model")
    run_custom(tc, data).result(timeout=30)
    [forward] = server.bodies(FORWARD)
    assert forward["forward_input"]["loss_fn"] == "cross_entropy"
    assert "loss_fn_config" not in forward["forward_input"]
    sent = forward["forward_input"]["data"]
    assert len(sent) == 4
    for datum, wire in zip(data, sent, strict=True):
        inputs = wire["loss_fn_inputs"]
        assert set(inputs) == {"target_tokens", "weights"}
        assert inputs["target_tokens"]["data"] == datum.loss_fn_inputs["target_tokens"].tolist()
        assert inputs["target_tokens"]["dtype"] == "int64" and inputs["weights"]["dtype"] == "float32"
        original = datum.loss_fn_inputs.get("weights")
        expected = original.tolist() if original is not None else [0.0] * len(inputs["target_tokens"]["data"])
        assert inputs["weights"]["data"] == pytest.approx(expected)
        assert wire["model_input"] == datum.model_input.to_json()


def test_backward_weights_are_minus_the_gradient_and_metrics_are_merged(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    data = make_data(5)
    tc = service.create_lora_training_client("tiny/model")
    out = run_custom(tc, data).result(timeout=30)

    weights, total, base, l2, l2_grad_norm = expected_backward(data)
    [backward] = server.bodies(BACKWARD)
    assert backward["forward_backward_input"]["loss_fn"] == "cross_entropy"
    sent = backward["forward_backward_input"]["data"]
    assert len(sent) == 5
    for datum, wire, expected in zip(data, sent, weights, strict=True):
        assert set(wire["loss_fn_inputs"]) == {"target_tokens", "weights"}
        assert (
            wire["loss_fn_inputs"]["target_tokens"]["data"] == datum.loss_fn_inputs["target_tokens"].tolist()
        )
        assert wire["model_input"] == datum.model_input.to_json()
        got = np.asarray(wire["loss_fn_inputs"]["weights"]["data"], dtype=np.float64)
        assert np.abs(expected).max() > 0.1  # the gradient is not trivially zero
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)

    metrics = out.metrics
    assert metrics["loss:sum"] == pytest.approx(total, rel=1e-5)
    assert metrics["base_loss:sum"] == pytest.approx(base, rel=1e-5)
    assert metrics["surrogate_loss:sum"] == 5.0  # the fake server's cross-entropy loss:sum for 5 datums
    assert metrics["custom_score:mean"] == 1.5 and metrics["datums"] == 5.0
    assert metrics["reg/l2:sum"] == pytest.approx(l2, rel=1e-5)
    assert metrics["reg/l2_grad_norm:sum"] == pytest.approx(l2_grad_norm, rel=1e-5)
    assert len(out.loss_fn_outputs) == 5  # those of the backward pass


class SlowLossRecorder:
    """A custom loss that takes a while, so a pipelined optim_step would overtake a naive client."""

    def __call__(self, data: list[tinker.Datum], logprobs: list[Any]) -> tuple[Any, dict[str, Any]]:
        time.sleep(0.3)
        return squared_advantage_loss(data, logprobs)


@pytest.mark.parametrize(("count", "chunks"), [(3, 1), (130, 2)])
def test_ids_are_reserved_at_call_time_so_a_pipelined_optim_step_comes_after_the_backward(
    server: FakeTinker, service: tinker.ServiceClient, count: int, chunks: int
) -> None:
    tc = service.create_lora_training_client("tiny/model")
    custom = run_custom(tc, make_data(count), SlowLossRecorder())
    optim = tc.optim_step(tinker.AdamParams(learning_rate=1e-4))  # submitted without waiting
    optim.result(timeout=30)
    custom.result(timeout=30)

    training = [r for r in server.applied if r.path in (FORWARD, BACKWARD, OPTIM)]
    kinds = [r.path.rsplit("/", 1)[1] for r in training]
    assert kinds == ["forward"] * chunks + ["forward_backward"] * chunks + ["optim_step"]
    assert [r.body["seq_id"] for r in training] == list(range(1, 2 * chunks + 2))
    # backward chunks reuse the forward chunk boundaries
    sizes = [
        len(r.body.get("forward_input", r.body.get("forward_backward_input", {})).get("data", []))
        for r in training
    ]
    assert sizes[:chunks] == sizes[chunks : 2 * chunks]


def test_failing_loss_sends_no_backward_and_does_not_block_later_requests(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    def broken(data: list[tinker.Datum], logprobs: list[Any]) -> tuple[Any, dict[str, Any]]:
        raise RuntimeError("loss exploded")

    tc = service.create_lora_training_client("tiny/model")
    custom = tc.forward_backward_custom(make_data(2), broken)
    optim = tc.optim_step(tinker.AdamParams())
    with pytest.raises(RuntimeError, match="loss exploded"):
        custom.result(timeout=30)
    optim.result(timeout=30)
    assert server.bodies(BACKWARD) == []
    # The forward pass was seq 1; the backward pass was never sent, so the optim_step takes seq 2: the
    # server sees contiguous seq_ids (servers like tuft answer 409 to a gap).
    assert [b["seq_id"] for b in server.bodies(OPTIM)] == [2]


def test_no_request_is_sent_for_data_without_target_tokens(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    tc = service.create_lora_training_client("tiny/model")
    before = len(server.requests)
    bad = tinker.Datum(
        model_input=tinker.ModelInput.from_ints([1, 2]), loss_fn_inputs={"weights": [1.0, 1.0]}
    )
    with pytest.raises(tinker.InvalidInputError):
        tc.forward_backward_custom([bad], squared_advantage_loss)
    assert len(server.requests) == before
    # no id was consumed: the next request is seq 1
    tc.optim_step(tinker.AdamParams()).result(timeout=30)
    assert server.bodies(OPTIM)[0]["seq_id"] == 1
