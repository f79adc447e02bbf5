"""Client-side custom loss math: the weights sent to the server are −∂loss/∂logprobs."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from tinker_ext._core.exceptions import InvalidInputError  # noqa: E402
from tinker_ext._training.custom_loss import (  # noqa: E402
    build_forward_data,
    compute_backward,
    merge_custom_metrics,
)
from tinker_ext.regularizers import (  # noqa: E402
    KL,
    L2,
    Consistency,
    ElasticNet,
    Entropy,
    GradientPenalty,
    Orthogonality,
)
from tinker_ext.types import Datum, ForwardBackwardOutput, ModelInput, TensorData  # noqa: E402

LOGPROBS = [np.array([-0.5, -1.25, -2.0], dtype=np.float32), np.array([-0.1, -3.0], dtype=np.float32)]


def make_datum(targets: list[int], **extra: np.ndarray) -> Datum:
    inputs = {"target_tokens": TensorData.from_numpy(np.array(targets, dtype=np.int64))}
    inputs.update({key: TensorData.from_numpy(value) for key, value in extra.items()})
    return Datum(model_input=ModelInput.from_ints([1, *targets[:-1]]), loss_fn_inputs=inputs)


def make_data() -> list[Datum]:
    return [
        make_datum([5, 6, 7], weights=np.array([1.0, 0.5, 2.0], dtype=np.float32)),
        make_datum([8, 9], weights=np.array([0.0, 1.0], dtype=np.float32)),
    ]


def forward_output(logprobs: list[np.ndarray] = LOGPROBS) -> ForwardBackwardOutput:
    return ForwardBackwardOutput(
        loss_fn_output_type="ArrayRecord",
        loss_fn_outputs=[{"logprobs": TensorData.from_numpy(lp)} for lp in logprobs],
        metrics={"loss:sum": 0.0},
    )


def sent_weights(backward_data: list[Datum]) -> list[np.ndarray]:
    return [np.asarray(d.loss_fn_inputs["weights"].data, dtype=np.float64) for d in backward_data]


def weighted_nll(data, logprobs):
    loss = sum(
        (-lp * d.loss_fn_inputs["weights"].to_torch()).sum() for d, lp in zip(data, logprobs, strict=True)
    )
    return loss, {"tokens:sum": float(sum(lp.numel() for lp in logprobs))}


def test_build_forward_data_sends_only_targets_and_weights():
    data = [
        make_datum([5, 6, 7], advantages=np.array([1.0, 2.0, 3.0], dtype=np.float32)),
        make_datum([8, 9], weights=np.array([0.25, 1.0], dtype=np.float32)),
    ]
    forward = build_forward_data(data)
    assert [sorted(d.loss_fn_inputs) for d in forward] == [["target_tokens", "weights"]] * 2
    assert forward[0].loss_fn_inputs["weights"].data == [0.0, 0.0, 0.0]
    assert forward[0].loss_fn_inputs["weights"].dtype == "float32"
    assert forward[1].loss_fn_inputs["weights"].data == [0.25, 1.0]
    assert forward[0].loss_fn_inputs["target_tokens"].data == [5, 6, 7]
    assert forward[1].model_input.to_ints() == [1, 8]


def test_build_forward_data_requires_target_tokens():
    datum = Datum(
        model_input=ModelInput.from_ints([1, 2]),
        loss_fn_inputs={"weights": TensorData.from_numpy(np.ones(2, dtype=np.float32))},
    )
    with pytest.raises(InvalidInputError, match=r"datum 1 has no loss_fn_inputs\['target_tokens'\]"):
        build_forward_data([make_datum([3, 4]), datum])
    with pytest.raises(InvalidInputError, match="at least one datum"):
        build_forward_data([])


def test_weighted_nll_gives_back_the_weights():
    """Analytic case: loss = −Σ w·ℓ has ∂loss/∂ℓ = −w, so the server receives exactly w."""
    data = make_data()
    backward, metrics, loss_value = compute_backward(data, forward_output(), weighted_nll)
    for datum, weights in zip(data, sent_weights(backward), strict=True):
        np.testing.assert_allclose(weights, datum.loss_fn_inputs["weights"].data)
    expected = -sum(
        float(np.dot(lp, d.loss_fn_inputs["weights"].data)) for lp, d in zip(LOGPROBS, data, strict=True)
    )
    assert loss_value == pytest.approx(expected)
    assert metrics["base_loss:sum"] == pytest.approx(expected)
    assert metrics["tokens:sum"] == 5.0
    assert [d.loss_fn_inputs["target_tokens"].data for d in backward] == [[5, 6, 7], [8, 9]]
    assert [d.model_input.to_ints() for d in backward] == [[1, 5, 6], [1, 8]]


def nonlinear_loss(data, logprobs):
    # Couples datums and positions: softplus of a weighted total plus a product term.
    total = sum((lp * torch.arange(1, lp.numel() + 1, dtype=lp.dtype)).sum() for lp in logprobs)
    loss = (
        torch.nn.functional.softplus(total / 3) + (logprobs[0] * logprobs[0].exp()).sum() * logprobs[1].mean()
    )
    return loss, {}


def test_weights_match_finite_difference_gradient():
    backward, _, loss_value = compute_backward(make_data(), forward_output(), nonlinear_loss)

    def loss_at(values: list[np.ndarray]) -> float:
        tensors = [torch.tensor(v, dtype=torch.float64) for v in values]
        return float(nonlinear_loss(make_data(), tensors)[0])

    eps = 1e-6
    base = [lp.astype(np.float64) for lp in LOGPROBS]
    for datum_index, weights in enumerate(sent_weights(backward)):
        for position in range(len(weights)):
            plus = [v.copy() for v in base]
            minus = [v.copy() for v in base]
            plus[datum_index][position] += eps
            minus[datum_index][position] -= eps
            derivative = (loss_at(plus) - loss_at(minus)) / (2 * eps)
            assert weights[position] == pytest.approx(-derivative, rel=1e-4, abs=1e-5)
    assert loss_value == pytest.approx(loss_at(base), rel=1e-6)


def test_regularizers_add_weighted_terms_and_report_metrics():
    data = make_data()
    backward, metrics, loss_value = compute_backward(
        data, forward_output(), weighted_nll, regularizers=[L2(weight=0.1), Entropy(weight=-0.5, name="ent")]
    )
    all_lp = np.concatenate(LOGPROBS).astype(np.float64)
    l2 = float((all_lp**2).sum())
    entropy = float(-all_lp.sum())
    base = metrics["base_loss:sum"]
    assert metrics["reg/l2:sum"] == pytest.approx(l2)
    assert metrics["reg/ent:sum"] == pytest.approx(entropy)
    assert loss_value == pytest.approx(base + 0.1 * l2 - 0.5 * entropy)
    # ∂(0.1·Σℓ²)/∂ℓ = 0.2ℓ; the entropy score-function gradient is −ℓ, times −0.5 → 0.5ℓ.
    assert metrics["reg/l2_grad_norm:sum"] == pytest.approx(0.2 * math.sqrt(l2), rel=1e-6)
    assert metrics["reg/ent_grad_norm:sum"] == pytest.approx(0.5 * math.sqrt(l2), rel=1e-6)
    for datum, lp, weights in zip(data, LOGPROBS, sent_weights(backward), strict=True):
        expected = np.asarray(datum.loss_fn_inputs["weights"].data) - 0.2 * lp - 0.5 * lp
        np.testing.assert_allclose(weights, expected, rtol=1e-6, atol=1e-6)
    assert all(key.count(":") == 1 for key in metrics if key.startswith("reg/"))


def test_duplicate_regularizer_names_rejected():
    with pytest.raises(InvalidInputError, match="unique"):
        compute_backward(make_data(), forward_output(), weighted_nll, regularizers=[L2(), L2(weight=2.0)])


def test_loss_must_depend_on_logprobs():
    def constant(data, logprobs):
        return torch.tensor(1.0), {}

    with pytest.raises(InvalidInputError, match="does not depend on the logprobs"):
        compute_backward(make_data(), forward_output(), constant)


def test_loss_must_be_scalar_tuple():
    with pytest.raises(InvalidInputError, match="scalar"):
        compute_backward(make_data(), forward_output(), lambda data, lps: (lps[0] * 2, {}))
    with pytest.raises(InvalidInputError, match="tuple"):
        compute_backward(make_data(), forward_output(), lambda data, lps: lps[0].sum())


def test_datum_without_gradient_gets_zero_weights():
    backward, _, _ = compute_backward(make_data(), forward_output(), lambda data, lps: (-lps[0].sum(), {}))
    weights = sent_weights(backward)
    np.testing.assert_allclose(weights[0], [1.0, 1.0, 1.0])
    np.testing.assert_allclose(weights[1], [0.0, 0.0])


def test_forward_output_count_mismatch():
    with pytest.raises(InvalidInputError, match="outputs for 1 datums, expected 2"):
        compute_backward(make_data(), forward_output(LOGPROBS[:1]), weighted_nll)


def test_merge_custom_metrics_moves_server_loss_to_surrogate():
    backward = ForwardBackwardOutput(
        loss_fn_output_type="ArrayRecord",
        loss_fn_outputs=[{"logprobs": TensorData.from_numpy(LOGPROBS[0])}],
        metrics={"loss:sum": 7.5, "tokens:mean": 3.0},
    )
    merged = merge_custom_metrics(backward, {"reg/l2:sum": 1.5, "accuracy": 0.5}, loss_value=2.25)
    assert merged.metrics == {
        "loss:sum": 2.25,
        "surrogate_loss:sum": 7.5,
        "tokens:mean": 3.0,
        "reg/l2:sum": 1.5,
        "accuracy": 0.5,
    }
    assert merged.loss_fn_outputs[0]["logprobs"].data == backward.loss_fn_outputs[0]["logprobs"].data
    assert backward.metrics["loss:sum"] == 7.5  # the input is left untouched


def squared_error(data, logprobs):
    """A base loss curved in ℓ, so GradientPenalty has a gradient."""
    return sum(((lp + 1.0) ** 2).sum() for lp in logprobs), {}


def test_the_new_regularizers_through_compute_backward():
    """Each term's value and grad norm are in the metrics, and the weights sent are −∂(total)/∂ℓ with the
    total recomputed here by autograd in float64 (GradientPenalty gets the base loss)."""
    data = make_data()
    regs = [
        ElasticNet(weight=0.2, l1_ratio=0.4),
        KL([[-0.4, -1.0, -2.5], [-0.3, -2.0]], weight=0.3, direction="symmetric", name="kl_sym"),
        Orthogonality(weight=0.7),
        GradientPenalty(weight=0.05, target=1.0),
    ]
    backward, metrics, loss_value = compute_backward(data, forward_output(), squared_error, regularizers=regs)
    lps = [torch.tensor(lp, dtype=torch.float64, requires_grad=True) for lp in LOGPROBS]
    base = squared_error(data, lps)[0]
    total = base
    for reg in regs:
        kwargs = {"base_loss": base} if isinstance(reg, GradientPenalty) else {}
        value = reg.value(data, lps, **kwargs)
        weighted = reg.weight * value
        grads = torch.autograd.grad(weighted, lps, retain_graph=True, allow_unused=True)
        norm = math.sqrt(sum(float((g**2).sum()) for g in grads if g is not None))
        assert metrics[f"reg/{reg.name}:sum"] == pytest.approx(float(value.detach()), rel=1e-5)
        assert metrics[f"reg/{reg.name}_grad_norm:sum"] == pytest.approx(norm, rel=1e-4, abs=1e-7)
        assert norm > 0  # every term moves the weights here
        total = total + weighted
    assert loss_value == pytest.approx(float(total.detach()), rel=1e-5)
    expected = torch.autograd.grad(total, lps)
    for weights, grad in zip(sent_weights(backward), expected, strict=True):
        np.testing.assert_allclose(weights, -grad.detach().numpy(), rtol=1e-4, atol=1e-6)


def test_a_regularizer_that_does_not_fit_the_data_is_refused_before_the_forward_pass():
    data = make_data()  # 3 and 2 target tokens
    with pytest.raises(InvalidInputError, match="3 and 2 target tokens"):
        build_forward_data(data, [Consistency([(0, 1)])])
    with pytest.raises(InvalidInputError, match="names datum 2"):
        build_forward_data(data, [Consistency([(0, 2)])])
    with pytest.raises(InvalidInputError, match="for 1 datums"):
        build_forward_data(data, [KL([[-1.0, -1.0, -1.0]])])
    with pytest.raises(InvalidInputError, match="unique"):
        build_forward_data(data, [L2(), ElasticNet(name="l2")])
    with pytest.raises(InvalidInputError, match="needs a name, a weight"):
        build_forward_data(data, [object()])
    assert len(build_forward_data(data, [KL([[-1.0] * 3, [-1.0] * 2]), Orthogonality()])) == 2
