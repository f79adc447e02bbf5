"""Regularizers for client-side custom losses (`TrainingClient.forward_backward_custom(..., regularizers=)`).

A custom loss only ever sees per-token logprobs ℓ_t = log π(y_t | context) of the target tokens y_t, one
tensor per datum (the full next-token distribution never leaves the server). Every regularizer here is
therefore a function of those logprobs (and of the datums' weights with `mask_by_weights`), and its
gradient flows into the weights sent to the server.

The total loss minimised is

    loss = base_loss + Σ_i weight_i · value_i

All values are **sums** over every counted position of every datum (matching the server's `loss:sum`).
With `mask_by_weights=True` position t of a datum counts with factor `weights[t]` of that datum's
`loss_fn_inputs["weights"]` (e.g. 0 on prompt tokens); otherwise every target position counts with
factor 1.

| regularizer | value (per datum, summed) |
|---|---|
| `L1`, `L2`, `ElasticNet` | Σ |ℓ|, Σ ℓ², Σ α|ℓ| + (1−α)ℓ² |
| `Entropy` | Σ −ℓ (sample estimate of the entropy; score-function gradient) |
| `KL` (`KLToReference`) | KL(π‖π_ref), KL(π_ref‖π) or both, estimators k1/k2/k3, from reference logprobs |
| `Consistency` | Σ over given datum pairs of (ℓ^i − ℓ^j)² (or |·|): two views of the same targets |
| `Orthogonality` | Σ_{i≠j} cos²(ℓ_i, ℓ_j): decorrelated per-datum logprob profiles |
| `GradientPenalty` | (‖∂base_loss/∂ℓ‖ − target)² (double backward) |
| `Callable` | a user function of (data, logprobs) |

Each class documents its math exactly. Parameters are checked when it is built, and its fit to the
call's datums (`check(data)`, where a regularizer has one) before anything is sent: `InvalidInputError`.

For each regularizer the custom loss reports two metrics (keys are `name:reduction`):

    reg/<name>:sum            value_i (unweighted)
    reg/<name>_grad_norm:sum  ‖∂(weight_i · value_i)/∂logprobs‖₂ over all datums' positions

Regularizers need PyTorch (the `torch` extra); it is imported only when one is evaluated.
"""

from ._base import Regularizer, metric_keys
from ._divergence import KL, KLDirection, KLEstimator, KLToReference
from ._elementwise import L1, L2, Callable, ElasticNet, Entropy
from ._structure import Consistency, ConsistencyMetric, GradientPenalty, Orthogonality

__all__ = [
    "KL",
    "L1",
    "L2",
    "Callable",
    "Consistency",
    "ConsistencyMetric",
    "ElasticNet",
    "Entropy",
    "GradientPenalty",
    "KLDirection",
    "KLEstimator",
    "KLToReference",
    "Orthogonality",
    "Regularizer",
    "metric_keys",
]
