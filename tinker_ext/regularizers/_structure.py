"""Regularizers of the relations between datums (Consistency, Orthogonality) and of the base loss's
gradient (GradientPenalty)."""

from __future__ import annotations

import collections.abc as cabc
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import attrs

from tinker_ext._core.exceptions import InvalidInputError

from ._base import check_finite, check_name, check_weight, position_factors, require_torch, target_count

if TYPE_CHECKING:
    import torch

    from tinker_ext.types import Datum

__all__ = ["Consistency", "ConsistencyMetric", "GradientPenalty", "Orthogonality"]

ConsistencyMetric = Literal["mse", "l1"]
# Inside square roots (normalisation, gradient norm): keeps the derivative finite at a zero vector.
_EPS = 1e-12


def _pairs(value: Any) -> tuple[tuple[int, int], ...]:
    """Datum index pairs: each two distinct non-negative ints."""
    try:
        pairs = tuple(tuple(pair) for pair in value)
    except TypeError as exc:
        raise InvalidInputError(
            f"Consistency pairs must be a sequence of (i, j) datum indices: {exc}"
        ) from exc
    for pair in pairs:
        valid = len(pair) == 2 and all(
            isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in pair
        )
        if not valid or pair[0] == pair[1]:
            raise InvalidInputError(
                f"Consistency pairs must be (i, j) with two different non-negative datum indices, got {pair!r}"
            )
    if not pairs:
        raise InvalidInputError("Consistency needs at least one (i, j) pair of datum indices")
    return pairs


def _check_metric(_instance: object, _attribute: object, value: str) -> None:
    if value not in ("mse", "l1"):
        raise InvalidInputError(f"Consistency metric must be 'mse' or 'l1', got {value!r}")


@attrs.frozen
class Consistency:
    """Agreement of the logprobs of paired datums: two views of the same targets (another prompt
    wording, an augmented context, a paraphrased system message), the pairs given by datum index.

    For each pair (i, j) the two datums must have the same number of target tokens; with
    d_t = ℓ^i_t − ℓ^j_t:

        value = Σ_(i,j) Σ_t f^i_t·f^j_t · d_t²     (metric="mse", default; ∂/∂ℓ^i_t = 2·f·d_t)
        value = Σ_(i,j) Σ_t f^i_t·f^j_t · |d_t|    (metric="l1";           ∂/∂ℓ^i_t = f·sign(d_t))

    and ∂/∂ℓ^j_t is the opposite. f are the datums' weights with `mask_by_weights` (a position counts
    where both views count it), else 1. `symmetric=False` makes the second datum of each pair a fixed
    target (no gradient flows into it: the first view is pulled towards the second).
    """

    pairs: tuple[tuple[int, int], ...] = attrs.field(converter=_pairs)
    weight: float = attrs.field(default=1.0, validator=check_weight)
    name: str = attrs.field(default="consistency", validator=check_name)
    metric: ConsistencyMetric = attrs.field(default="mse", validator=_check_metric)
    symmetric: bool = True
    mask_by_weights: bool = False

    def check(self, data: cabc.Sequence[Datum]) -> None:
        """Every index names a datum and both datums of a pair have as many target tokens."""
        for i, j in self.pairs:
            if max(i, j) >= len(data):
                raise InvalidInputError(
                    f"Consistency pair ({i}, {j}) names datum {max(i, j)} but the call has {len(data)} datums"
                )
            counts = target_count(data[i]), target_count(data[j])
            if None not in counts and counts[0] != counts[1]:
                raise InvalidInputError(
                    f"Consistency pair ({i}, {j}): the datums have {counts[0]} and {counts[1]} target tokens; "
                    "paired views must have the same targets"
                )

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        require_torch()
        import torch

        self.check(data)
        total = torch.zeros((), dtype=logprobs[0].dtype if logprobs else torch.float32)
        for i, j in self.pairs:
            first, second = logprobs[i].reshape(-1), logprobs[j].reshape(-1)
            if first.numel() != second.numel():
                raise InvalidInputError(
                    f"Consistency pair ({i}, {j}): {first.numel()} and {second.numel()} logprobs"
                )
            difference = first - (second if self.symmetric else second.detach())
            terms = difference * difference if self.metric == "mse" else difference.abs()
            for index in (i, j):
                factors = position_factors(data[index], logprobs[index], self.mask_by_weights)
                if factors is not None:
                    terms = terms * factors.reshape(-1)
            total = total + terms.sum()
        return total


@attrs.frozen
class Orthogonality:
    """Decorrelation of the datums' logprob profiles (a soft orthogonality constraint).

    Each datum i gives a vector u_i = f_i ⊙ ℓ_i (its masked logprobs; f as for every regularizer here),
    zero-padded at the end to the longest datum's length T, then normalised:
    v_i = u_i / sqrt(‖u_i‖² + ε) (ε = 1e-12). With the Gram matrix G = V Vᵀ (G_ij the cosine similarity of
    datums i and j, G_ii = 1):

        value = Σ_{i≠j} G_ij²     (the squared Frobenius norm of G − I; 0 for fewer than two datums)

    Minimising it pushes the per-position loss profiles of different datums apart (which positions are
    hard for one datum should not be hard for every datum). Logprobs are ≤ 0, so G_ij ≥ 0 here.
    """

    weight: float = attrs.field(default=1.0, validator=check_weight)
    name: str = attrs.field(default="orthogonality", validator=check_name)
    mask_by_weights: bool = False

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        require_torch()
        import torch

        dtype = logprobs[0].dtype if logprobs else torch.float32
        if len(logprobs) < 2:
            return torch.zeros((), dtype=dtype)
        length = max(lp.numel() for lp in logprobs)
        rows = []
        for datum, lp in zip(data, logprobs, strict=True):
            factors = position_factors(datum, lp, self.mask_by_weights)
            masked = (lp if factors is None else lp * factors).reshape(-1)
            padded = torch.nn.functional.pad(masked, (0, length - masked.numel()))
            rows.append(padded / torch.sqrt((padded * padded).sum() + _EPS))
        unit = torch.stack(rows)
        gram = unit @ unit.T
        off_diagonal = gram - torch.diag(torch.diagonal(gram))
        return (off_diagonal * off_diagonal).sum()


def _check_target(_instance: object, _attribute: object, value: float | None) -> None:
    if value is None:
        return
    check_finite("GradientPenalty target", value)
    if value < 0:
        raise InvalidInputError(f"GradientPenalty target must be >= 0 (a norm), got {value!r}")


@attrs.frozen
class GradientPenalty:
    """Penalty on the size of the base loss's gradient w.r.t. the logprobs (a smoothness constraint in
    logprob space, the WGAN-GP idea applied to what a custom loss can see).

    With g = ∂base_loss/∂ℓ over every datum's positions (masked: f ⊙ g), base_loss the loss function's
    value before regularizers, and ‖g‖ = sqrt(Σ (f·g)² + ε) (ε = 1e-12):

        value = (‖g‖ − target)²      (target a number, default 1.0: the two-sided penalty)
        value = Σ (f·g)²             (target=None: the squared norm)

    g is computed with `create_graph=True`, so the penalty's gradient w.r.t. ℓ is the double-backward
    one (∂value/∂ℓ = 2(‖g‖ − target)/‖g‖ · Hᵀ(f²⊙g), H the Hessian of the base loss in ℓ). A base loss
    that is linear in the logprobs (cross-entropy, importance sampling) has a constant g: the penalty
    is then a constant and adds no gradient (its grad-norm metric is 0); it acts on losses curved in ℓ
    (PPO-clip, DPO's log-sigmoid, squared errors). `forward_backward_custom` passes the base loss;
    called directly, pass `base_loss=` (a scalar built from `logprobs`).
    """

    needs_base_loss: ClassVar[bool] = True

    weight: float = attrs.field(default=1.0, validator=check_weight)
    target: float | None = attrs.field(default=1.0, validator=_check_target)
    name: str = attrs.field(default="gradient_penalty", validator=check_name)
    mask_by_weights: bool = False

    def value(
        self,
        data: cabc.Sequence[Datum],
        logprobs: cabc.Sequence[torch.Tensor],
        base_loss: torch.Tensor | None = None,
    ) -> torch.Tensor:
        require_torch()
        import torch

        if base_loss is None or not isinstance(base_loss, torch.Tensor):
            raise InvalidInputError(
                "GradientPenalty needs the base loss (a scalar tensor built from the logprobs): "
                "forward_backward_custom passes it; called directly, pass base_loss="
            )
        dtype = logprobs[0].dtype if logprobs else torch.float32
        squared = torch.zeros((), dtype=dtype)
        if base_loss.requires_grad:
            grads = torch.autograd.grad(
                base_loss.reshape(()), list(logprobs), create_graph=True, allow_unused=True
            )
            for datum, lp, grad in zip(data, logprobs, grads, strict=True):
                if grad is None:
                    continue
                factors = position_factors(datum, lp, self.mask_by_weights)
                masked = grad if factors is None else grad * factors
                squared = squared + (masked * masked).sum()
        if self.target is None:
            return squared
        return (torch.sqrt(squared + _EPS) - float(self.target)) ** 2
