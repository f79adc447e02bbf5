"""Regularizer values and gradients against hand-computed numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from tinker_ext._core.exceptions import InvalidInputError  # noqa: E402
from tinker_ext.regularizers import (  # noqa: E402
    KL,
    L1,
    L2,
    Callable,
    Consistency,
    ElasticNet,
    Entropy,
    GradientPenalty,
    KLToReference,
    Orthogonality,
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


# ---------------------------------------------------------------- ElasticNet, KL, Consistency, Orthogonality,
# GradientPenalty: hand-computed values, autograd against the closed-form derivative, and finite
# differences (torch.autograd.gradcheck in float64)

DATA3 = [datum([1.0, 0.0, 0.5], 3), datum(None, 3), datum([1.0, 1.0], 2)]
LPS3 = ([-0.5, -2.0, -0.3], [-1.0, -0.2, -1.7], [-0.9, -0.4])


def flat(grads):
    return [g for gs in grads for g in gs]


def gradcheck(reg, data, values, **kwargs):
    """Finite differences (central, float64) agree with autograd for `reg.value`."""
    inputs = tuple(torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values)
    assert torch.autograd.gradcheck(
        lambda *lps: reg.value(data, list(lps), **kwargs), inputs, eps=1e-6, atol=1e-5
    )


def test_elastic_net_mixes_l1_and_l2_and_is_them_at_the_ends():
    lps = leaves([-0.5, -2.0], [-1.0])
    value, grads = value_and_grads(ElasticNet(l1_ratio=0.25), lps)
    assert value == pytest.approx(0.25 * 3.5 + 0.75 * 5.25)
    assert flat(grads) == pytest.approx([-0.25 - 0.75, -0.25 - 3.0, -0.25 - 1.5])
    for ratio, plain in ((1.0, L1()), (0.0, L2())):
        assert value_and_grads(ElasticNet(l1_ratio=ratio), lps) == value_and_grads(plain, lps)
    masked, _ = value_and_grads(ElasticNet(l1_ratio=0.5, mask_by_weights=True), lps)
    assert masked == pytest.approx(0.5 * (0.5 + 1.0) + 0.5 * (0.25 + 1.0))
    gradcheck(ElasticNet(l1_ratio=0.3, mask_by_weights=True), DATA3, LPS3)


@pytest.mark.parametrize("ratio", [-0.1, 1.5, float("nan"), True, "0.5"])
def test_elastic_net_refuses_a_ratio_outside_0_1(ratio):
    with pytest.raises(InvalidInputError, match="l1_ratio"):
        ElasticNet(l1_ratio=ratio)


REVERSE = {
    "k1": (lambda r: math.exp(r) * r, lambda r: -(math.exp(r) * r + math.exp(r))),
    "k2": (lambda r: 0.5 * math.exp(r) * r * r, lambda r: -(0.5 * math.exp(r) * r * r + math.exp(r) * r)),
    "k3": (lambda r: 1 - math.exp(r) + math.exp(r) * r, lambda r: -(math.exp(r) * r)),
}
FORWARD = {
    "k1": (lambda r: -r, lambda r: 1.0),
    "k2": (lambda r: 0.5 * r * r, lambda r: -r),
    "k3": (lambda r: math.expm1(r) - r, lambda r: 1.0 - math.exp(r)),
}


@pytest.mark.parametrize("estimator", ["k1", "k2", "k3"])
@pytest.mark.parametrize("direction", ["forward", "reverse", "symmetric"])
def test_kl_directions_and_estimators(direction, estimator):
    logprobs = [[-0.5, -2.0], [-1.0]]
    reference = [[-0.7, -1.5], [-1.3]]
    parts = {"forward": [FORWARD], "reverse": [REVERSE], "symmetric": [FORWARD, REVERSE]}[direction]
    ratios = [
        ref - lp
        for refs, lps in zip(reference, logprobs, strict=True)
        for ref, lp in zip(refs, lps, strict=True)
    ]
    reg = KL(reference, estimator=estimator, direction=direction)
    value, grads = value_and_grads(reg, leaves(*logprobs))
    assert value == pytest.approx(sum(p[estimator][0](r) for p in parts for r in ratios))
    assert [g for gs in grads for g in gs] == pytest.approx(
        [sum(p[estimator][1](r) for p in parts) for r in ratios]
    )
    gradcheck(
        KL(
            [[-0.6, -1.9, -0.1], [-1.1, -0.5, -1.2], [-0.2, -0.9]],
            estimator=estimator,
            direction=direction,
            mask_by_weights=True,
        ),
        DATA3,
        LPS3,
    )


def test_kl_estimates_are_unbiased_for_a_categorical():
    """E_{y~π}[k(r_y)] is the exact KL for k1 and k3, in both directions: the estimators are what they claim."""
    pi = torch.tensor([0.5, 0.3, 0.2], dtype=torch.float64)
    ref = torch.tensor([0.2, 0.5, 0.3], dtype=torch.float64)
    exact = {
        "forward": float((pi * (pi / ref).log()).sum()),
        "reverse": float((ref * (ref / pi).log()).sum()),
    }
    exact["symmetric"] = exact["forward"] + exact["reverse"]
    for direction, kl in exact.items():
        for estimator in ("k1", "k3"):
            expectation = sum(
                float(pi[y])
                * float(
                    KL([[float(ref[y].log())]], estimator=estimator, direction=direction).value(
                        [datum(None, 1)], [pi[y].log().reshape(1)]
                    )
                )
                for y in range(3)
            )
            assert expectation == pytest.approx(kl), (direction, estimator)


def test_kl_to_reference_is_the_forward_kl():
    lps = leaves([-0.5, -2.0], [-1.0])
    reference = [[-0.7, -1.5], [-1.3]]
    assert isinstance(KLToReference(reference), KL)
    for estimator in ("k1", "k2", "k3"):
        assert value_and_grads(KLToReference(reference, estimator=estimator), lps) == value_and_grads(
            KL(reference, estimator=estimator, direction="forward"), lps
        )


def test_kl_parameters_and_fit_checked_before_sending():
    with pytest.raises(InvalidInputError, match="direction"):
        KL([[-1.0]], direction="backward")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="NaN or infinity"):
        KL([[-1.0, float("nan")]])
    with pytest.raises(InvalidInputError, match="not numbers"):
        KL([["a"]])
    with pytest.raises(InvalidInputError, match="for 1 datums but the custom loss got 2"):
        KL([[-1.0, -1.0]]).check(DATA)
    with pytest.raises(InvalidInputError, match="datum 0 have 3 values but the datum has 2 target tokens"):
        KL([[-1.0, -1.0, -1.0], [-1.0]]).check(DATA)
    KL([[-1.0, -1.0], [-1.0]]).check(DATA)


def test_consistency_pairs_views_and_its_options():
    lps = leaves([-0.5, -2.0, -0.3], [-1.0, -0.2, -1.7], [-0.9, -0.4])
    diffs = [0.5, -1.8, 1.4]
    value, grads = value_and_grads_on(DATA3, Consistency([(0, 1)]), lps)
    assert value == pytest.approx(sum(d * d for d in diffs))
    assert flat(grads) == pytest.approx([*(2 * d for d in diffs), *(-2 * d for d in diffs), 0.0, 0.0])
    value, grads = value_and_grads_on(DATA3, Consistency([(0, 1)], metric="l1", symmetric=False), lps)
    assert value == pytest.approx(sum(abs(d) for d in diffs))
    assert flat(grads) == pytest.approx([1.0, -1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    masked, _ = value_and_grads_on(DATA3, Consistency([(0, 1)], mask_by_weights=True), lps)
    assert masked == pytest.approx(0.25 + 0.5 * 1.96)  # datum 0's weights [1, 0, .5]; datum 1 has none
    gradcheck(Consistency([(0, 1), (1, 0)], mask_by_weights=True), DATA3, LPS3)


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([], "at least one"),
        ([(0, 0)], "two different"),
        ([(0, -1)], "non-negative"),
        ([(0, 1, 2)], "two different"),
        (5, "sequence"),
        ([(0, True)], "non-negative"),
    ],
)
def test_consistency_refuses_bad_pairs(pairs, message):
    with pytest.raises(InvalidInputError, match=message):
        Consistency(pairs)


def test_consistency_fit_checked_before_sending():
    with pytest.raises(InvalidInputError, match="names datum 3 but the call has 3 datums"):
        Consistency([(0, 3)]).check(DATA3)
    with pytest.raises(InvalidInputError, match="3 and 2 target tokens"):
        Consistency([(0, 2)]).check(DATA3)
    with pytest.raises(InvalidInputError, match="metric"):
        Consistency([(0, 1)], metric="cosine")  # type: ignore[arg-type]


def test_orthogonality_is_the_squared_off_diagonal_of_the_cosine_gram_matrix():
    lps = leaves([-0.5, -2.0, -0.3], [-1.0, -0.2, -1.7], [-0.9, -0.4])
    rows = np.zeros((3, 3))
    for i, v in enumerate(LPS3):
        rows[i, : len(v)] = v
    unit = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    gram = unit @ unit.T
    value, _ = value_and_grads_on(DATA3, Orthogonality(), lps)
    assert value == pytest.approx(float((gram**2).sum() - 3.0))
    # orthogonal profiles (disjoint positions) cost nothing; one datum alone has nothing to be orthogonal to
    disjoint = leaves([-1.0, 0.0, 0.0], [0.0, -2.0, 0.0], [0.0, 0.0])
    assert value_and_grads_on(DATA3, Orthogonality(), disjoint)[0] == pytest.approx(0.0, abs=1e-12)
    assert float(Orthogonality().value([DATA3[0]], [lps[0]])) == 0.0
    gradcheck(Orthogonality(mask_by_weights=True), DATA3, LPS3)
    gradcheck(Orthogonality(), DATA3, LPS3)


def curved_loss(lps):
    """A base loss curved in ℓ (squared error to -1), so its gradient depends on ℓ."""
    return sum(((lp + 1.0) ** 2).sum() for lp in lps)


def test_gradient_penalty_two_sided_and_squared_norm():
    lps = leaves(*LPS3)
    base = curved_loss(lps)
    grad = [2 * (v + 1.0) for vs in LPS3 for v in vs]
    norm = math.sqrt(sum(g * g for g in grad))
    value = GradientPenalty(target=1.0).value(DATA3, lps, base_loss=base)
    assert float(value.detach()) == pytest.approx((norm - 1.0) ** 2)
    # ∂/∂ℓ of (‖g‖ − 1)² with g = 2(ℓ + 1): 2(‖g‖ − 1)/‖g‖ · 2g
    (dvalue,) = torch.autograd.grad(value, [lps[0]])
    assert dvalue.tolist() == pytest.approx([2 * (norm - 1.0) / norm * 2 * g for g in grad[:3]])
    squared = GradientPenalty(target=None).value(DATA3, lps, base_loss=base)
    assert float(squared.detach()) == pytest.approx(norm**2)
    for reg in (GradientPenalty(target=0.5, mask_by_weights=True), GradientPenalty(target=None)):
        inputs = tuple(torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in LPS3)
        assert torch.autograd.gradcheck(
            lambda *x, reg=reg: reg.value(DATA3, list(x), base_loss=curved_loss(x)),
            inputs,
            eps=1e-6,
            atol=1e-5,
        )


def test_gradient_penalty_of_a_linear_loss_is_constant_and_needs_the_base_loss():
    lps = leaves(*LPS3)
    linear = -sum(lp.sum() for lp in lps)  # cross-entropy-like: g = -1 everywhere
    value = GradientPenalty(target=None).value(DATA3, lps, base_loss=linear)
    assert float(value) == pytest.approx(8.0)
    assert not value.requires_grad
    with pytest.raises(InvalidInputError, match="needs the base loss"):
        GradientPenalty().value(DATA3, lps)
    with pytest.raises(InvalidInputError, match="target must be >= 0"):
        GradientPenalty(target=-1.0)
    with pytest.raises(InvalidInputError, match="target must be a finite"):
        GradientPenalty(target=float("inf"))


def value_and_grads_on(data, reg, logprobs):
    value = reg.value(data, logprobs)
    grads = torch.autograd.grad(value, logprobs, allow_unused=True)
    return float(value.detach()), [
        [0.0] * lp.numel() if g is None else g.tolist() for g, lp in zip(grads, logprobs, strict=True)
    ]


def test_the_new_regularizers_are_regularizers_with_default_names():
    regs = [ElasticNet(), KL([]), Consistency([(0, 1)]), Orthogonality(), GradientPenalty()]
    assert all(isinstance(r, Regularizer) for r in regs)
    assert [r.name for r in regs] == ["elastic_net", "kl", "consistency", "orthogonality", "gradient_penalty"]
    for cls in (ElasticNet, Orthogonality, GradientPenalty):
        with pytest.raises(InvalidInputError, match="name"):
            cls(name="a:b")
        with pytest.raises(InvalidInputError, match="finite"):
            cls(weight=float("inf"))
