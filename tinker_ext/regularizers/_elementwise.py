"""Regularizers that are a sum of one term per position: L1, L2, ElasticNet, Entropy, and a user's
function (`Callable`)."""

from __future__ import annotations

import collections.abc as cabc
from typing import TYPE_CHECKING

import attrs

from tinker_ext._core.exceptions import InvalidInputError

from ._base import check_finite, check_name, check_weight, require_torch, weighted_sum

if TYPE_CHECKING:
    import torch

    from tinker_ext.types import Datum

__all__ = ["L1", "L2", "Callable", "ElasticNet", "Entropy"]


@attrs.frozen
class L1:
    """value = Σ_t |ℓ_t|  (= Σ_t −ℓ_t, since logprobs are ≤ 0); ∂value/∂ℓ_t = sign(ℓ_t)."""

    weight: float = attrs.field(default=1.0, validator=check_weight)
    name: str = attrs.field(default="l1", validator=check_name)
    mask_by_weights: bool = False

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        return weighted_sum(data, logprobs, lambda _i, lp: lp.abs(), self.mask_by_weights)


@attrs.frozen
class L2:
    """value = Σ_t ℓ_t²; ∂value/∂ℓ_t = 2ℓ_t."""

    weight: float = attrs.field(default=1.0, validator=check_weight)
    name: str = attrs.field(default="l2", validator=check_name)
    mask_by_weights: bool = False

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        return weighted_sum(data, logprobs, lambda _i, lp: lp * lp, self.mask_by_weights)


def _check_ratio(_instance: object, _attribute: object, value: float) -> None:
    check_finite("ElasticNet l1_ratio", value)
    if not 0.0 <= value <= 1.0:
        raise InvalidInputError(f"ElasticNet l1_ratio must be in [0, 1], got {value!r}")


@attrs.frozen
class ElasticNet:
    """L1 and L2 mixed by `l1_ratio` = α ∈ [0, 1]:

        value = Σ_t α·|ℓ_t| + (1 − α)·ℓ_t²;   ∂value/∂ℓ_t = α·sign(ℓ_t) + 2(1 − α)·ℓ_t

    α = 1 is `L1`, α = 0 is `L2` (same scale as those two: no ½ on the square). The L1 part pulls every
    counted logprob's magnitude down at a constant rate, the L2 part in proportion to its size.
    """

    weight: float = attrs.field(default=1.0, validator=check_weight)
    l1_ratio: float = attrs.field(default=0.5, validator=_check_ratio)
    name: str = attrs.field(default="elastic_net", validator=check_name)
    mask_by_weights: bool = False

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        alpha = float(self.l1_ratio)
        return weighted_sum(
            data, logprobs, lambda _i, lp: alpha * lp.abs() + (1.0 - alpha) * lp * lp, self.mask_by_weights
        )


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

    weight: float = attrs.field(default=1.0, validator=check_weight)
    name: str = attrs.field(default="entropy", validator=check_name)
    mask_by_weights: bool = False

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        def per_position(_index: int, lp: torch.Tensor) -> torch.Tensor:
            fixed = lp.detach()
            # value −ℓ (the estimate) with gradient −ℓ: the second term is zero but carries the gradient.
            return -fixed - fixed * (lp - fixed)

        return weighted_sum(data, logprobs, per_position, self.mask_by_weights)


@attrs.frozen
class Callable:
    """A user function `fn(data, logprobs_list) -> scalar tensor` used as a regularizer term."""

    fn: cabc.Callable[[cabc.Sequence[Datum], cabc.Sequence[torch.Tensor]], torch.Tensor]
    weight: float = attrs.field(default=1.0, validator=check_weight)
    name: str = attrs.field(default="callable", validator=check_name)

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        require_torch()
        import torch

        result = self.fn(data, logprobs)
        if not isinstance(result, torch.Tensor) or result.numel() != 1:
            raise InvalidInputError(
                f"Regularizer {self.name!r} must return a scalar torch tensor, got {type(result).__name__}"
                + (f" with shape {tuple(result.shape)}" if isinstance(result, torch.Tensor) else "")
            )
        return result.reshape(())
