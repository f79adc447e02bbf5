"""forward_backward_custom against the real local server: a hand-written cross-entropy must give the same
loss and the same update as the built-in cross_entropy from identical starting points.

Not skipped when pieces are missing: if the clients are not wired this fails loudly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinker_ext as tinker  # noqa: E402

pytestmark = pytest.mark.integration


def resolved(value: Any) -> Any:
    result = getattr(value, "result", None)
    return result() if callable(result) else value


def make_data() -> list[tinker.Datum]:
    sequences = [[3, 17, 42, 8, 99, 5], [11, 12, 13, 14, 15]]
    data = []
    for tokens in sequences:
        weights = np.ones(len(tokens) - 1, dtype=np.float32)
        weights[0] = 0.0  # a "prompt" position the loss must ignore
        data.append(
            tinker.Datum(
                model_input=tinker.ModelInput.from_ints(tokens[:-1]),
                loss_fn_inputs={
                    "target_tokens": tinker.TensorData.from_numpy(np.array(tokens[1:], dtype=np.int64)),
                    "weights": tinker.TensorData.from_numpy(weights),
                },
            )
        )
    return data


def hand_written_cross_entropy(data, logprobs_list):
    loss = sum(
        (-lp * d.loss_fn_inputs["weights"].to_torch()).sum()
        for d, lp in zip(data, logprobs_list, strict=True)
    )
    return loss, {"hand_written:sum": 1.0}


def builtin_loss(output: Any, data: list[tinker.Datum]) -> float:
    """The built-in cross_entropy loss: the server's `loss:sum` when reported, else computed from the
    outputs (skyrl-tx returns `metrics: {}`): Σ elementwise_loss when present, else −Σ w·logprobs."""
    if "loss:sum" in output.metrics:
        return float(output.metrics["loss:sum"])
    assert len(output.loss_fn_outputs) == len(data)
    total = 0.0
    for out, datum in zip(output.loss_fn_outputs, data, strict=True):
        if "elementwise_loss" in out:
            total += float(np.asarray(out["elementwise_loss"].data, dtype=np.float64).sum())
        else:
            weights = np.asarray(datum.loss_fn_inputs["weights"].data, dtype=np.float64)
            total -= float(np.dot(weights, np.asarray(out["logprobs"].data, dtype=np.float64)))
    return total


def logprobs(training_client: Any, data: list[tinker.Datum]) -> list[np.ndarray]:
    output = resolved(training_client.forward(data, "cross_entropy"))
    return [np.asarray(o["logprobs"].data, dtype=np.float64) for o in output.loss_fn_outputs]


def test_custom_cross_entropy_matches_builtin(tinker_server):
    service = tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    try:
        builtin = resolved(
            service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=7)
        )
        custom = resolved(
            service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=7)
        )
        data = make_data()

        start_builtin, start_custom = logprobs(builtin, data), logprobs(custom, data)
        for a, b in zip(start_builtin, start_custom, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)  # identical starting points

        out_builtin = resolved(builtin.forward_backward(data, "cross_entropy"))
        out_custom = resolved(custom.forward_backward_custom(data, hand_written_cross_entropy))
        expected_loss = builtin_loss(out_builtin, data)
        # the hand-written loss from the start logprobs, independent of either client's output
        from_start = -sum(
            float(np.dot(np.asarray(d.loss_fn_inputs["weights"].data, dtype=np.float64), lp))
            for d, lp in zip(data, start_builtin, strict=True)
        )
        assert expected_loss == pytest.approx(from_start, rel=1e-4)
        assert out_custom.metrics["loss:sum"] == pytest.approx(expected_loss, rel=1e-4)
        # the surrogate (Σ −ℓ·w with w = −∂C/∂ℓ = the datum weights; the server's loss:sum or computed
        # client-side when the server reports no metrics) equals the same loss here
        assert out_custom.metrics["surrogate_loss:sum"] == pytest.approx(expected_loss, rel=1e-4)
        assert out_custom.metrics["hand_written:sum"] == 1.0

        adam = tinker.AdamParams(learning_rate=0.05)
        resolved(builtin.optim_step(adam))
        resolved(custom.optim_step(adam))
        after_builtin, after_custom = logprobs(builtin, data), logprobs(custom, data)
        for before, a, b in zip(start_builtin, after_builtin, after_custom, strict=True):
            assert not np.allclose(before, a, atol=1e-6), "the optimizer step changed nothing"
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    finally:
        service.close()


def curved_cross_entropy(data, logprobs_list):
    """Cross-entropy plus a squared term: curved in the logprobs, so GradientPenalty has a gradient."""
    loss = sum(
        ((-lp + 0.1 * (lp + 1.0) ** 2) * d.loss_fn_inputs["weights"].to_torch()).sum()
        for d, lp in zip(data, logprobs_list, strict=True)
    )
    return loss, {}


def test_the_five_new_regularizers_on_the_real_server(tinker_server):
    """ElasticNet, KL (symmetric), Consistency, Orthogonality and GradientPenalty in one
    forward_backward_custom: every term's value and gradient norm comes back in the metrics, `loss:sum` is
    the base loss plus the weighted terms recomputed here from the start logprobs, and the step trains."""
    regs = tinker.regularizers
    service = tinker.ServiceClient(base_url=tinker_server.base_url, api_key=tinker_server.api_key)
    try:
        client = resolved(
            service.create_lora_training_client(base_model=tinker_server.base_model, rank=4, seed=7)
        )
        data = make_data()
        view = data[0].model_input.to_ints()
        data.append(  # a second view of datum 0: another first token, the same targets and weights
            tinker.Datum(
                model_input=tinker.ModelInput.from_ints([4, *view[1:]]), loss_fn_inputs=data[0].loss_fn_inputs
            )
        )
        start = logprobs(client, data)
        reference = [lp - 0.05 * (i + 1) for i, lp in enumerate(start)]
        chosen = [
            regs.ElasticNet(weight=0.01, l1_ratio=0.5, mask_by_weights=True),
            regs.KL(reference, weight=0.1, direction="symmetric", estimator="k3"),
            regs.Consistency([(0, 2)], weight=0.1),
            regs.Orthogonality(weight=0.1),
            regs.GradientPenalty(weight=0.01, target=1.0),
        ]
        out = resolved(client.forward_backward_custom(data, curved_cross_entropy, regularizers=chosen))

        lps = [torch.tensor(lp, dtype=torch.float64, requires_grad=True) for lp in start]
        base = curved_cross_entropy(data, lps)[0]
        expected_total = float(base.detach())
        for reg in chosen:
            kwargs = {"base_loss": base} if isinstance(reg, regs.GradientPenalty) else {}
            value = float(reg.value(data, lps, **kwargs).detach())
            value_key, norm_key = regs.metric_keys(reg.name)
            assert out.metrics[value_key] == pytest.approx(value, rel=1e-3, abs=1e-5), reg.name
            assert out.metrics[norm_key] > 0, reg.name
            expected_total += reg.weight * value
        assert out.metrics["base_loss:sum"] == pytest.approx(float(base.detach()), rel=1e-3)
        assert out.metrics["loss:sum"] == pytest.approx(expected_total, rel=1e-3)

        resolved(client.optim_step(tinker.AdamParams(learning_rate=0.05)))
        for before, after in zip(start, logprobs(client, data), strict=True):
            assert not np.allclose(before, after, atol=1e-6), "the optimizer step changed nothing"
    finally:
        service.close()
