"""Regularizers for client-side custom losses (`TrainingClient.forward_backward_custom(..., regularizers=)`).

A custom loss only ever sees per-token logprobs ℓ_t = log π(y_t | context) of the target tokens y_t, one
tensor per datum (the full next-token distribution never leaves the server). Every regularizer here is
therefore a function of those logprobs, and its gradient flows into the weights sent to the server.

The total loss minimised is

    loss = base_loss + Σ_i weight_i · value_i

All values are **sums** over every counted position of every datum (matching the server's `loss:sum`).
With `mask_by_weights=True` position t of a datum counts with factor `weights[t]` of that datum's
`loss_fn_inputs["weights"]` (e.g. 0 on prompt tokens); otherwise every target position counts with
factor 1.

For each regularizer the custom loss reports two metrics (keys are `name:reduction`):

    reg/<name>:sum            value_i (unweighted)
    reg/<name>_grad_norm:sum  ‖∂(weight_i · value_i)/∂logprobs‖₂ over all datums' positions

Regularizers need PyTorch (the `torch` extra); it is imported only when one is evaluated.
"""

from __future__ import annotations

import collections.abc as cabc
import math
import re
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import attrs

from tinker_ext._core.exceptions import InvalidInputError

if TYPE_CHECKING:
    import torch

    from .types import Datum

__all__ = [
    "L1",
    "L2",
    "Callable",
    "Entropy",
    "KLEstimator",
    "KLToReference",
    "Regularizer",
    "metric_keys",
]

# A name becomes part of metric keys `reg/<name>:sum`, so it must not contain the reduction separator.
_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-/]{1,64}$")

KLEstimator = Literal["k1", "k2", "k3"]


def _require_torch() -> None:
    """Fail with an actionable message when the optional torch extra is missing."""
    try:
        import torch  # noqa: F401
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "Custom losses and regularizers need PyTorch: pip install 'tinker-ext[torch]'"
        ) from exc


def _check_name(_instance: object, _attribute: object, value: str) -> None:
    if not _NAME_PATTERN.match(value):
        raise InvalidInputError(
            f"Regularizer name {value!r} is invalid: use 1-64 characters from letters, digits and '_.-/' "
            "(it becomes the metric key 'reg/<name>:sum')"
        )


def _check_weight(_instance: object, _attribute: object, value: float) -> None:
    if not math.isfinite(value):
        raise InvalidInputError(f"Regularizer weight must be a finite number, got {value!r}")


def metric_keys(name: str) -> tuple[str, str]:
    """The (value, gradient-norm) metric keys reported for a regularizer called `name`."""
    return f"reg/{name}:sum", f"reg/{name}_grad_norm:sum"


@runtime_checkable
class Regularizer(Protocol):
    """What `forward_backward_custom` needs from a regularizer: a name, a weight, and its value."""

    @property
    def name(self) -> str: ...

    @property
    def weight(self) -> float: ...

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        """A scalar tensor, differentiable w.r.t. `logprobs` (one tensor per datum)."""
        ...


def _position_factors(datum: Datum, logprobs: torch.Tensor, mask_by_weights: bool) -> torch.Tensor | None:
    """Per-position factors for a datum: its `weights` input when masking, else None (all ones)."""
    if not mask_by_weights:
        return None
    weights = datum.loss_fn_inputs.get("weights")
    if weights is None:
        return None
    factors = weights.to_torch().to(dtype=logprobs.dtype)
    if factors.shape != logprobs.shape:
        factors = factors.reshape(logprobs.shape)
    return factors


def _weighted_sum(
    data: cabc.Sequence[Datum],
    logprobs: cabc.Sequence[torch.Tensor],
    per_position: cabc.Callable[[int, torch.Tensor], torch.Tensor],
    mask_by_weights: bool,
) -> torch.Tensor:
    """Σ over datums and positions of factor_t · per_position(i, ℓ)_t."""
    _require_torch()
    import torch

    total = torch.zeros((), dtype=logprobs[0].dtype if logprobs else torch.float32)
    for index, (datum, lp) in enumerate(zip(data, logprobs, strict=True)):
        terms = per_position(index, lp)
        factors = _position_factors(datum, lp, mask_by_weights)
        total = total + (terms.sum() if factors is None else (terms * factors).sum())
    return total


@attrs.frozen
class L1:
    """value = Σ_t |ℓ_t|  (= Σ_t −ℓ_t, since logprobs are ≤ 0); ∂value/∂ℓ_t = sign(ℓ_t)."""

    weight: float = attrs.field(default=1.0, validator=_check_weight)
    name: str = attrs.field(default="l1", validator=_check_name)
    mask_by_weights: bool = False

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        return _weighted_sum(data, logprobs, lambda _i, lp: lp.abs(), self.mask_by_weights)


@attrs.frozen
class L2:
    """value = Σ_t ℓ_t²; ∂value/∂ℓ_t = 2ℓ_t."""

    weight: float = attrs.field(default=1.0, validator=_check_weight)
    name: str = attrs.field(default="l2", validator=_check_name)
    mask_by_weights: bool = False

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        return _weighted_sum(data, logprobs, lambda _i, lp: lp * lp, self.mask_by_weights)


@attrs.frozen
class Entropy:
    """Sample-based estimate of the summed per-position entropy of the model's token distribution.

    Only the logprob ℓ_t of the target token is known, so the distribution's entropy
    H_t = E_{y~π_t}[−log π_t(y)] is estimated from the one token at each position:

        value = Σ_t −ℓ_t                  (unbiased for Σ_t H_t when the targets were sampled from π)
        ∂value/∂ℓ_t := −ℓ_t               (score-function / REINFORCE estimator of ∇H_t:
                                           ∇H = E[−log π(y) · ∇log π(y)], the "−1" term has mean zero)

    The reported value is the estimate; the gradient is the score-function one (not the pathwise −1,
    which would just rescale cross-entropy). Losses are minimised, so an entropy *bonus* needs a
    negative weight, e.g. `Entropy(weight=-0.01)`.
    """

    weight: float = attrs.field(default=1.0, validator=_check_weight)
    name: str = attrs.field(default="entropy", validator=_check_name)
    mask_by_weights: bool = False

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        def per_position(_index: int, lp: torch.Tensor) -> torch.Tensor:
            fixed = lp.detach()
            # value −ℓ (the estimate) with gradient −ℓ: the second term is zero but carries the gradient.
            return -fixed - fixed * (lp - fixed)

        return _weighted_sum(data, logprobs, per_position, self.mask_by_weights)


def _reference_tensor(reference: Any, like: torch.Tensor, index: int) -> torch.Tensor:
    _require_torch()
    import torch

    tensor: torch.Tensor
    if hasattr(reference, "to_torch"):
        tensor = reference.to_torch()
    elif isinstance(reference, torch.Tensor):
        tensor = reference
    else:
        tensor = torch.as_tensor(reference)
    tensor = tensor.detach().to(dtype=like.dtype)
    if tensor.numel() != like.numel():
        raise InvalidInputError(
            f"KLToReference: reference logprobs of datum {index} have {tensor.numel()} values but the model "
            f"produced {like.numel()} logprobs for it (one per target token expected)"
        )
    return tensor.reshape(like.shape)


@attrs.frozen
class KLToReference:
    """Sample-based estimate of KL(π ‖ π_ref), summed over positions.

    `reference_logprobs[i]` holds, per target token of datum i, the reference model's logprob ℓ^ref_t
    (e.g. from a `forward` of a reference model on the same datums); a list, numpy array, torch tensor
    or `TensorData`. With r_t = ℓ^ref_t − ℓ_t (log ratio) and the targets treated as samples of π,
    the estimators of Schulman ("Approximating KL divergence", 2020) are:

        k1 = −r_t                 unbiased, high variance, can be negative;  ∂k1/∂ℓ_t = 1
        k2 = ½ r_t²               biased, low variance, ≥ 0;                 ∂k2/∂ℓ_t = −r_t
        k3 = (e^{r_t} − 1) − r_t  unbiased, low variance, ≥ 0 (default);    ∂k3/∂ℓ_t = 1 − e^{r_t}

    value = Σ_t k(r_t); the gradient is the pathwise derivative shown above (the "KL in the loss"
    form used by GRPO-style training). The reference is a constant (no gradient).
    """

    reference_logprobs: cabc.Sequence[Any] = attrs.field(converter=tuple)
    weight: float = attrs.field(default=1.0, validator=_check_weight)
    name: str = attrs.field(default="kl", validator=_check_name)
    estimator: KLEstimator = attrs.field(default="k3")
    mask_by_weights: bool = False

    @estimator.validator
    def _check_estimator(self, _attribute: object, value: str) -> None:
        if value not in ("k1", "k2", "k3"):
            raise InvalidInputError(f"KLToReference estimator must be 'k1', 'k2' or 'k3', got {value!r}")

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        if len(self.reference_logprobs) != len(logprobs):
            raise InvalidInputError(
                f"KLToReference has reference logprobs for {len(self.reference_logprobs)} datums but the "
                f"custom loss got {len(logprobs)} datums"
            )
        _require_torch()
        import torch

        def per_position(index: int, lp: torch.Tensor) -> torch.Tensor:
            log_ratio = _reference_tensor(self.reference_logprobs[index], lp, index) - lp
            if self.estimator == "k1":
                return -log_ratio
            if self.estimator == "k2":
                return 0.5 * log_ratio * log_ratio
            return torch.expm1(log_ratio) - log_ratio

        return _weighted_sum(data, logprobs, per_position, self.mask_by_weights)


@attrs.frozen
class Callable:
    """A user function `fn(data, logprobs_list) -> scalar tensor` used as a regularizer term."""

    fn: cabc.Callable[[cabc.Sequence[Datum], cabc.Sequence[torch.Tensor]], torch.Tensor]
    weight: float = attrs.field(default=1.0, validator=_check_weight)
    name: str = attrs.field(default="callable", validator=_check_name)

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        _require_torch()
        import torch

        result = self.fn(data, logprobs)
        if not isinstance(result, torch.Tensor) or result.numel() != 1:
            raise InvalidInputError(
                f"Regularizer {self.name!r} must return a scalar torch tensor, got {type(result).__name__}"
                + (f" with shape {tuple(result.shape)}" if isinstance(result, torch.Tensor) else "")
            )
        return result.reshape(())
