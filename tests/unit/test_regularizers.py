"""Regularizer values and gradients against hand-computed numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from tinker_ext._core.exceptions import InvalidInputError  # noqa: E402
from tinker_ext.regularizers import (  # noqa: E402
    L1,
    L2,
    Callable,
    Entropy,
    KLToReference,
    Regularizer,
    metric_keys,
)
from tinker_ext.types import Datum, ModelInput, TensorData  # noqa: E402


def datum(weights: list[float] | None, n: int) -> Datum:
    inputs = {"target_tokens": TensorData.from_numpy(np.arange(n, dtype=np.int64))}
    if weights is not None:
        inputs["weights"] = TensorData.from_numpy(np.array(weights, dtype=np.float32))
    return Datum(model_input=ModelInput.from_ints(list(range(n))), loss_fn_inputs=inputs)


DATA = [datum([1.0, 0.0], 2), datum(None, 1)]


def leaves(*values: list[float]) -> list[torch.Tensor]:
    return [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]


def value_and_grads(reg: Regularizer, logprobs: list[torch.Tensor]) -> tuple[float, list[list[float]]]:
    value = reg.value(DATA, logprobs)
    grads = torch.autograd.grad(value, logprobs, allow_unused=True)
    return float(value.detach()), [
        [0.0] * lp.numel() if g is None else g.tolist() for g, lp in zip(grads, logprobs, strict=True)
    ]


def test_l1():
    value, grads = value_and_grads(L1(), leaves([-0.5, -2.0], [-1.0]))
    assert value == pytest.approx(3.5)
    assert grads == [[-1.0, -1.0], [-1.0]]


def test_l2():
    value, grads = value_and_grads(L2(), leaves([-0.5, -2.0], [-1.0]))
    assert value == pytest.approx(0.25 + 4.0 + 1.0)
    assert grads == [[-1.0, -4.0], [-2.0]]


def test_mask_by_weights_uses_datum_weights_and_ones_when_absent():
    # Datum 0 has weights [1, 0] (second position masked); datum 1 has no weights -> counted fully.
    value, grads = value_and_grads(L2(mask_by_weights=True), leaves([-0.5, -2.0], [-1.0]))
    assert value == pytest.approx(0.25 + 1.0)
    assert grads == [[-1.0, 0.0], [-2.0]]


def test_entropy_value_is_nll_and_gradient_is_score_function():
    value, grads = value_and_grads(Entropy(), leaves([-0.5, -2.0], [-1.0]))
    assert value == pytest.approx(3.5)
    assert grads == [[0.5, 2.0], [1.0]]


def test_entropy_score_function_gradient_is_unbiased_for_a_categorical():
    """E_y[−log p(y) ∇_θ log p(y)] equals ∇_θ H(softmax θ): the estimator the gradient encodes."""
    theta = torch.tensor([0.3, -1.0, 1.2], dtype=torch.float64, requires_grad=True)
    log_p = torch.log_softmax(theta, dim=0)
    exact = torch.autograd.grad(-(log_p.exp() * log_p).sum(), theta)[0]
    estimate = torch.zeros(3, dtype=torch.float64)
    for y in range(3):
        lp = torch.log_softmax(theta, dim=0)[y].reshape(1)
        leaf = lp.detach().clone().requires_grad_(True)
        (dvalue_dlp,) = torch.autograd.grad(Entropy().value([datum(None, 1)], [leaf]), leaf)
        # chain rule through the model: ∂value/∂θ = ∂value/∂ℓ · ∂ℓ/∂θ, weighted by p(y)
        (dlp_dtheta,) = torch.autograd.grad(lp.sum(), theta)
        estimate += float(log_p[y].detach().exp()) * dvalue_dlp * dlp_dtheta
    torch.testing.assert_close(estimate, exact)


@pytest.mark.parametrize(
    ("estimator", "per_token", "derivative"),
    [
        ("k1", lambda r: -r, lambda r: 1.0),
        ("k2", lambda r: 0.5 * r * r, lambda r: -r),
        ("k3", lambda r: math.expm1(r) - r, lambda r: 1.0 - math.exp(r)),
    ],
)
def test_kl_to_reference(estimator, per_token, derivative):
    logprobs = [[-0.5, -2.0], [-1.0]]
    reference = [np.array([-0.7, -1.5]), TensorData.from_numpy(np.array([-1.0], dtype=np.float32))]
    value, grads = value_and_grads(KLToReference(reference, estimator=estimator), leaves(*logprobs))
    ratios = [
        [ref - lp for ref, lp in zip(refs, lps, strict=True)]
        for refs, lps in zip([[-0.7, -1.5], [-1.0]], logprobs, strict=True)
    ]
    assert value == pytest.approx(sum(per_token(r) for rs in ratios for r in rs))
    assert [g for gs in grads for g in gs] == pytest.approx([derivative(r) for rs in ratios for r in rs])


def test_kl_k3_is_zero_at_reference_and_nonnegative():
    logprobs = leaves([-0.5, -2.0], [-1.0])
    reg = KLToReference([[-0.5, -2.0], [-1.0]])
    assert float(reg.value(DATA, logprobs).detach()) == pytest.approx(0.0)
    assert float(KLToReference([[-3.0, 0.0], [-0.1]]).value(DATA, logprobs).detach()) > 0


def test_kl_rejects_mismatched_reference():
    with pytest.raises(InvalidInputError, match="reference logprobs for 1 datums"):
        KLToReference([[-1.0, -1.0]]).value(DATA, leaves([-0.5, -2.0], [-1.0]))
    with pytest.raises(InvalidInputError, match="datum 1 have 2 values"):
        KLToReference([[-1.0, -1.0], [-1.0, -2.0]]).value(DATA, leaves([-0.5, -2.0], [-1.0]))
    with pytest.raises(InvalidInputError, match="estimator"):
        KLToReference([[-1.0]], estimator="k4")  # type: ignore[arg-type]


def test_callable_regularizer():
    reg = Callable(lambda data, lps: lps[0].sum() * lps[1].sum(), weight=0.3, name="prod")
    value, grads = value_and_grads(reg, leaves([-0.5, -2.0], [-1.0]))
    assert value == pytest.approx(2.5)
    assert grads == [[-1.0, -1.0], [-2.5]]
    assert (reg.name, reg.weight) == ("prod", 0.3)
    with pytest.raises(InvalidInputError, match="scalar torch tensor"):
        Callable(lambda data, lps: lps[0], name="vec").value(DATA, leaves([-0.5, -2.0], [-1.0]))


def test_names_and_weights_validated_and_metric_keys():
    assert metric_keys("l2") == ("reg/l2:sum", "reg/l2_grad_norm:sum")
    assert (L1().name, L2().name, Entropy().name, KLToReference([]).name) == ("l1", "l2", "entropy", "kl")
    with pytest.raises(InvalidInputError, match="name"):
        L2(name="bad:name")
    with pytest.raises(InvalidInputError, match="finite"):
        L1(weight=float("nan"))
    assert isinstance(L2(), Regularizer)
