"""`merge_custom_metrics` with and without the server's `loss:sum` (skyrl-tx returns `metrics: {}`):
the cross-entropy surrogate is then computed client-side, and forward_backward_custom never KeyErrors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _fault_server import FakeTinker, Recorded

import tinker_ext as tinker
from tinker_ext._training.custom_loss import merge_custom_metrics, surrogate_loss
from tinker_ext.types import Datum, ForwardBackwardOutput, ModelInput, TensorData

torch = pytest.importorskip("torch")

WEIGHTS = [np.array([0.5, -2.0, 1.5]), np.array([0.0, 3.0])]
LOGPROBS = [np.array([-0.25, -1.0, -2.0]), np.array([-4.0, -0.5])]
# −Σ w·ℓ = −(−0.125 + 2.0 − 3.0) − (0.0 − 1.5) = 1.125 + 1.5
EXPECTED_SURROGATE = 2.625


def backward_data() -> list[Datum]:
    return [
        Datum(
            model_input=ModelInput.from_ints([1] * len(w)),
            loss_fn_inputs={
                "target_tokens": TensorData.from_numpy(np.arange(len(w), dtype=np.int64)),
                "weights": TensorData.from_numpy(w.astype(np.float32)),
            },
        )
        for w in WEIGHTS
    ]


def output(metrics: dict[str, float], *, elementwise: bool = False) -> ForwardBackwardOutput:
    outputs = []
    for w, lp in zip(WEIGHTS, LOGPROBS, strict=True):
        out = {"logprobs": TensorData.from_numpy(lp.astype(np.float32))}
        if elementwise:
            out["elementwise_loss"] = TensorData.from_numpy((-lp * w).astype(np.float32))
        outputs.append(out)
    return ForwardBackwardOutput(loss_fn_output_type="scalar", loss_fn_outputs=outputs, metrics=metrics)


def test_server_loss_becomes_the_surrogate() -> None:
    merged = merge_custom_metrics(output({"loss:sum": 7.5}), {"mine:sum": 1.0}, 2.25, backward_data())
    assert merged.metrics == {"loss:sum": 2.25, "surrogate_loss:sum": 7.5, "mine:sum": 1.0}


def test_without_server_loss_the_surrogate_comes_from_the_sent_weights() -> None:
    backward = output({})
    merged = merge_custom_metrics(backward, {"mine:sum": 1.0}, 2.25, backward_data())
    assert merged.metrics["loss:sum"] == 2.25
    assert merged.metrics["surrogate_loss:sum"] == pytest.approx(EXPECTED_SURROGATE)
    assert merged.metrics["mine:sum"] == 1.0
    assert backward.metrics == {}  # the input is left untouched
    assert merged.loss_fn_outputs == backward.loss_fn_outputs


def test_without_server_loss_or_data_elementwise_loss_is_summed() -> None:
    merged = merge_custom_metrics(output({}, elementwise=True), {}, 2.25)
    assert merged.metrics["surrogate_loss:sum"] == pytest.approx(EXPECTED_SURROGATE)
    assert merged.metrics["loss:sum"] == 2.25


def test_without_any_source_the_surrogate_is_left_out() -> None:
    merged = merge_custom_metrics(output({}), {"mine:sum": 1.0}, 2.25)
    assert merged.metrics == {"loss:sum": 2.25, "mine:sum": 1.0}
    # outputs that do not line up with the datums (one datum too few) are not used either
    assert surrogate_loss(output({}), backward_data()[:1]) is None
    assert surrogate_loss(output({}, elementwise=True), backward_data()[:1]) == pytest.approx(
        EXPECTED_SURROGATE
    )


@pytest.fixture
def server() -> FakeTinker:
    """Like skyrl-tx: `metrics: {}` and per-token `elementwise_loss` = −ℓ·w."""
    fake = FakeTinker()

    def result(rec: Recorded) -> Any:
        key = "forward_backward_input" if rec.path.endswith("backward") else "forward_input"
        outputs = []
        for d in rec.body[key]["data"]:
            targets = d["loss_fn_inputs"]["target_tokens"]["data"]
            weights = d["loss_fn_inputs"]["weights"]["data"]
            logprobs = [-0.1 - 0.05 * (t % 7) for t in targets]
            outputs.append(
                {
                    "logprobs": {"data": logprobs, "dtype": "float32"},
                    "elementwise_loss": {
                        "data": [-lp * w for lp, w in zip(logprobs, weights, strict=True)],
                        "dtype": "float32",
                    },
                }
            )
        return {"loss_fn_output_type": "scalar", "loss_fn_outputs": outputs, "metrics": {}}

    fake.result_for["/api/v1/forward"] = result
    fake.result_for["/api/v1/forward_backward"] = result
    return fake


def test_forward_backward_custom_against_a_server_without_metrics(
    server: FakeTinker, service: tinker.ServiceClient
) -> None:
    data = [
        tinker.Datum(
            model_input=tinker.ModelInput.from_ints([1, 2, 3]),
            loss_fn_inputs={"target_tokens": [2, 3, 9], "weights": [0.0, 1.0, 2.0]},
        ),
        tinker.Datum(
            model_input=tinker.ModelInput.from_ints([4, 5]),
            loss_fn_inputs={"target_tokens": [5, 6], "weights": [1.0, 1.0]},
        ),
    ]

    def squared_nll(data: list[tinker.Datum], logprobs: list[Any]) -> tuple[Any, dict[str, Any]]:
        loss = sum(
            ((lp * d.loss_fn_inputs["weights"].to_torch()) ** 2).sum()
            for d, lp in zip(data, logprobs, strict=True)
        )
        return loss, {}

    tc = service.create_lora_training_client("tiny/model")
    out = tc.forward_backward_custom(data, squared_nll).result(timeout=30)

    lps = [
        np.array([-0.1 - 0.05 * (t % 7) for t in d.loss_fn_inputs["target_tokens"].tolist()]) for d in data
    ]
    ws = [np.asarray(d.loss_fn_inputs["weights"].data, dtype=np.float64) for d in data]
    assert out.metrics["loss:sum"] == pytest.approx(
        sum(float(((lp * w) ** 2).sum()) for lp, w in zip(lps, ws, strict=True))
    )
    # backward weights = −∂C/∂ℓ = −2·w²·ℓ, so the surrogate −Σ w'·ℓ = Σ 2·w²·ℓ²
    sent = [
        np.asarray(d["loss_fn_inputs"]["weights"]["data"])
        for d in server.bodies("/api/v1/forward_backward")[0]["forward_backward_input"]["data"]
    ]
    for s, lp, w in zip(sent, lps, ws, strict=True):
        np.testing.assert_allclose(s, -2 * w**2 * lp, rtol=1e-5)
    expected_surrogate = sum(float((2 * w**2 * lp**2).sum()) for lp, w in zip(lps, ws, strict=True))
    assert out.metrics["surrogate_loss:sum"] == pytest.approx(expected_surrogate, rel=1e-5)
