"""What every regularizer shares: the `Regularizer` protocol, parameter validators, metric keys and the
masked sum over datums and positions."""

from __future__ import annotations

import collections.abc as cabc
import math
import re
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from tinker_ext._core.exceptions import InvalidInputError

if TYPE_CHECKING:
    import torch

    from tinker_ext.types import Datum

__all__ = [
    "Regularizer",
    "check_finite",
    "check_name",
    "check_weight",
    "metric_keys",
    "position_factors",
    "require_torch",
    "target_count",
    "weighted_sum",
]

# A name becomes part of metric keys `reg/<name>:sum`, so it must not contain the reduction separator.
_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_.\-/]{1,64}$")


def require_torch() -> None:
    """Fail with an actionable message when the optional torch extra is missing."""
    try:
        import torch  # noqa: F401
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "Custom losses and regularizers need PyTorch: pip install 'tinker-ext[torch]'"
        ) from exc


def check_name(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not _NAME_PATTERN.match(value):
        raise InvalidInputError(
            f"Regularizer name {value!r} is invalid: use 1-64 characters from letters, digits and '_.-/' "
            "(it becomes the metric key 'reg/<name>:sum')"
        )


def check_finite(what: str, value: Any) -> None:
    """`value` is a real finite number (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(f"{what} must be a finite number, got {value!r}")


def check_weight(_instance: object, _attribute: object, value: float) -> None:
    check_finite("Regularizer weight", value)


def metric_keys(name: str) -> tuple[str, str]:
    """The (value, gradient-norm) metric keys reported for a regularizer called `name`."""
    return f"reg/{name}:sum", f"reg/{name}_grad_norm:sum"


@runtime_checkable
class Regularizer(Protocol):
    """What `forward_backward_custom` needs from a regularizer: a name, a weight, and its value.

    Optional: `check(data)`, called before anything is sent (raise `InvalidInputError` for data the
    regularizer cannot use), and `needs_base_loss = True`, to be called as
    `value(data, logprobs, base_loss=...)` with the user's loss before regularizers (`GradientPenalty`).
    """

    @property
    def name(self) -> str: ...

    @property
    def weight(self) -> float: ...

    def value(self, data: cabc.Sequence[Datum], logprobs: cabc.Sequence[torch.Tensor]) -> torch.Tensor:
        """A scalar tensor, differentiable w.r.t. `logprobs` (one tensor per datum)."""
        ...


def position_factors(datum: Datum, logprobs: torch.Tensor, mask_by_weights: bool) -> torch.Tensor | None:
    """Per-position factors for a datum: its `weights` input when masking, else None (all ones)."""
    if not mask_by_weights:
        return None
    weights = datum.loss_fn_inputs.get("weights")
    if weights is None:
        return None
    factors = weights.to_torch().to(dtype=logprobs.dtype)
    if factors.numel() != logprobs.numel():
        raise InvalidInputError(
            f"mask_by_weights: a datum has {factors.numel()} weights but {logprobs.numel()} logprobs"
        )
    return factors.reshape(logprobs.shape)


def weighted_sum(
    data: cabc.Sequence[Datum],
    logprobs: cabc.Sequence[torch.Tensor],
    per_position: cabc.Callable[[int, torch.Tensor], torch.Tensor],
    mask_by_weights: bool,
) -> torch.Tensor:
    """Σ over datums and positions of factor_t · per_position(i, ℓ)_t."""
    require_torch()
    import torch

    total = torch.zeros((), dtype=logprobs[0].dtype if logprobs else torch.float32)
    for index, (datum, lp) in enumerate(zip(data, logprobs, strict=True)):
        terms = per_position(index, lp)
        factors = position_factors(datum, lp, mask_by_weights)
        total = total + (terms.sum() if factors is None else (terms * factors).sum())
    return total


def target_count(datum: Datum) -> int | None:
    """How many logprobs the forward pass returns for `datum` (its target tokens), if it says."""
    targets = datum.loss_fn_inputs.get("target_tokens")
    if targets is None:
        return None
    if targets.shape is not None:
        return int(math.prod(targets.shape))
    return len(targets.data)
