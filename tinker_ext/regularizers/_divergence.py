"""KL divergence to a reference model, from the logprobs both give the same target tokens."""

from __future__ import annotations

import collections.abc as cabc
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np

from tinker_ext._core.exceptions import InvalidInputError

from ._base import check_name, check_weight, require_torch, target_count, weighted_sum

if TYPE_CHECKING:
    import torch

    from tinker_ext.types import Datum

__all__ = ["KL", "KLDirection", "KLEstimator", "KLToReference"]

KLEstimator = Literal["k1", "k2", "k3"]
KLDirection = Literal["forward", "reverse", "symmetric"]
_ESTIMATORS = ("k1", "k2", "k3")
_DIRECTIONS = ("forward", "reverse", "symmetric")


def _reference_array(reference: Any, index: int, owner: str) -> np.ndarray:
    """One datum's reference logprobs as a flat float64 array (checked finite)."""
    try:
        if hasattr(reference, "detach"):  # a torch tensor
            values = np.asarray(reference.detach().cpu().numpy(), dtype=np.float64)
        elif hasattr(reference, "data") and hasattr(reference, "dtype") and hasattr(reference, "to_numpy"):
            values = np.asarray(reference.data, dtype=np.float64)  # TensorData
        else:
            values = np.asarray(reference, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{owner}: reference logprobs of datum {index} are not numbers ({type(reference).__name__})"
        ) from exc
    values = values.reshape(-1)
    if not np.all(np.isfinite(values)):
        raise InvalidInputError(f"{owner}: reference logprobs of datum {index} contain NaN or infinity")
    return values


def _kl_terms(log_ratio: torch.Tensor, estimator: str, direction: str) -> torch.Tensor:
    """Per-position KL estimate from r = ℓ_ref − ℓ (see `KL`)."""
    import torch

    r = log_ratio
    forward = reverse = None
    if direction in ("forward", "symmetric"):
        if estimator == "k1":
            forward = -r
        elif estimator == "k2":
            forward = 0.5 * r * r
        else:
            forward = torch.expm1(r) - r
    if direction in ("reverse", "symmetric"):
        ratio = torch.exp(r)  # π_ref/π at the target: the importance weight of a sample of π
        if estimator == "k1":
            reverse = ratio * r
        elif estimator == "k2":
            reverse = 0.5 * ratio * r * r
        else:
            reverse = -torch.expm1(r) + ratio * r
    if forward is None:
        assert reverse is not None
        return reverse
    return forward if reverse is None else forward + reverse


@attrs.frozen
class KL:
    """Sample-based estimate of a KL divergence between the model π and a reference π_ref, summed over
    positions.

    `reference_logprobs[i]` holds, per target token of datum i, the reference model's logprob ℓ^ref_t
    (e.g. from a `forward` of a reference model on the same datums); a list, numpy array, torch tensor
    or `TensorData`. With the log ratio r_t = ℓ^ref_t − ℓ_t and ρ_t = e^{r_t} = π_ref/π at the target,
    the targets treated as samples of π, the estimators of Schulman ("Approximating KL divergence",
    2020) per position are:

        direction="forward", KL(π ‖ π_ref):
            k1 = −r_t                   unbiased, high variance, can be negative
            k2 = ½ r_t²                 biased, low variance, ≥ 0
            k3 = (e^{r_t} − 1) − r_t    unbiased, low variance, ≥ 0 (default)
        direction="reverse", KL(π_ref ‖ π): the same estimators for samples of π_ref, importance-weighted
        by ρ_t (so they stay functions of samples of π):
            k1 = ρ_t·r_t
            k2 = ½ ρ_t·r_t²
            k3 = ρ_t·((e^{−r_t} − 1) + r_t) = 1 − ρ_t + ρ_t·r_t   (≥ 0)
        direction="symmetric": forward + reverse (Jeffreys divergence).

    value = Σ_t factor_t · k(r_t); the gradient is the pathwise derivative of that expression w.r.t. ℓ_t
    (the "KL in the loss" form used by GRPO-style training; e.g. forward k3: 1 − e^{r_t}, reverse k3:
    −r_t·e^{r_t}). The reference is a constant (no gradient). Every estimate is 0 where π = π_ref.
    """

    reference_logprobs: cabc.Sequence[Any] = attrs.field(converter=tuple)
    weight: float = attrs.field(default=1.0, validator=check_weight)
    name: str = attrs.field(default="kl", validator=check_name)
    estimator: KLEstimator = attrs.field(default="k3")
    direction: KLDirection = attrs.field(default="forward")
    mask_by_weights: bool = False

    @estimator.validator
    def _check_estimator(self, _attribute: object, value: str) -> None:
        if value not in _ESTIMATORS:
            raise InvalidInputError(
                f"{type(self).__name__} estimator must be 'k1', 'k2' or 'k3', got {value!r}"
            )

    @direction.validator
    def _check_direction(self, _attribute: object, value: str) -> None:
        if value not in _DIRECTIONS:
            raise InvalidInputError(
                f"{type(self).__name__} direction must be 'forward', 'reverse' or 'symmetric', got {value!r}"
            )

    def __attrs_post_init__(self) -> None:
        for index, reference in enumerate(self.reference_logprobs):
            _reference_array(reference, index, type(self).__name__)

    def check(self, data: cabc.Sequence[Datum]) -> None:
        """One reference per datum, one reference logprob per target token (before anything is sent)."""
        self._check_count(len(data))
        for index, datum in enumerate(data):
            expected = target_count(datum)
            got = _reference_array(self.reference_logprobs[index], index, type(self).__name__).size
            if expected is not None and got != expected:
                raise InvalidInputError(
                    f"{type(self).__name__}: reference logprobs of datum {index} have {got} values but the "
                    f"datum has {expected} target tokens (one reference logprob per target token expected)"
                )

    def _check_count(self, count: int) -> None:
        if len(self.reference_logprobs) != count:
            raise InvalidInputError(
                f"{type(self).__name__} has reference logprobs for {len(self.reference_logprobs)} datums but "
                f"the custom loss got {count} datums"
            )

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        self._check_count(len(logprobs))
        require_torch()
        import torch

        def per_position(index: int, lp: torch.Tensor) -> torch.Tensor:
            reference = _reference_array(self.reference_logprobs[index], index, type(self).__name__)
            if reference.size != lp.numel():
                raise InvalidInputError(
                    f"{type(self).__name__}: reference logprobs of datum {index} have {reference.size} values "
                    f"but the model produced {lp.numel()} logprobs for it (one per target token expected)"
                )
            ref = torch.as_tensor(reference, dtype=lp.dtype).reshape(lp.shape)
            return _kl_terms(ref - lp, self.estimator, self.direction)

        return weighted_sum(data, logprobs, per_position, self.mask_by_weights)


@attrs.frozen
class KLToReference(KL):
    """`KL` under its first name: the forward direction by default (`KL(π ‖ π_ref)`, estimator k3)."""
