"""Client-side custom loss: the transport-free math behind `TrainingClient.forward_backward_custom`.

The server only knows built-in losses, so a custom loss C(ℓ) of the per-token logprobs ℓ runs in
three steps (the TrainingClient does the two requests):

1. `build_forward_data(data)`  -> datums for a forward pass with `cross_entropy` (only `target_tokens`
   and `weights` are sent; every other `loss_fn_inputs` key stays client-side for the loss function);
2. `compute_backward(data, forward_output, loss_fn, regularizers)` -> datums for a `forward_backward`
   with `cross_entropy`, whose weights are w = −∂C/∂ℓ. The server's loss is L = Σ −ℓ·w, so
   ∂L/∂θ = Σ −w·∂ℓ/∂θ = ∂C/∂θ: the update equals the custom loss's update;
3. `merge_custom_metrics(backward_output, metrics, loss_value, backward_data)` -> the result returned
   to the user: `loss:sum` = C, `surrogate_loss:sum` = the cross-entropy surrogate Σ −ℓ·w (the
   server's `loss:sum`, or computed client-side when the server reports no metrics, as skyrl-tx).

C = base_loss + Σ_i weight_i · regularizer_i (see `tinker_ext.regularizers`).

Step 2 needs cross_entropy to be linear in the weights. On a server that `tinker-ext contract` measured
dividing each datum's cross_entropy by its Σ w (skyrl 0.4.0, skyrl-tx 0.3.0: DPO's ± weights then give
no update or an exploding one), `policy_backward_data` sends the same gradient as importance_sampling
instead: sampling logprobs = the forward logprobs (ratio 1, so ∂L/∂ℓ = −advantage) and advantages
= −∂C/∂ℓ × (token count × datums), undoing that server's per-datum token mean and batch mean. Where the
policy loss's reduction is not known either, the call is refused (`ServerDeviationError`).
"""

from __future__ import annotations

import collections.abc as cabc
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from tinker_ext._core.exceptions import InvalidInputError, ServerDeviationError
from tinker_ext.regularizers import Regularizer, metric_keys
from tinker_ext.regularizers._base import require_torch as _require_torch

if TYPE_CHECKING:
    import torch

    from tinker_ext._session.server_facts import ServerFacts
    from tinker_ext.types import Datum, ForwardBackwardOutput

__all__ = [
    "CustomLossFn",
    "backward_loss_for",
    "build_forward_data",
    "check_regularizers",
    "compute_backward",
    "merge_custom_metrics",
    "policy_backward_data",
    "surrogate_loss",
]

CustomLossFn = cabc.Callable[
    [list["Datum"], list["torch.Tensor"]], tuple["torch.Tensor", cabc.Mapping[str, Any]]
]

# Key of the user's loss value before regularizers, reported next to `loss:sum`.
BASE_LOSS_KEY = "base_loss:sum"
SURROGATE_LOSS_KEY = "surrogate_loss:sum"
LOSS_KEY = "loss:sum"


def check_regularizers(data: cabc.Sequence[Datum], regularizers: cabc.Sequence[Regularizer] | None) -> None:
    """Unique names, and each regularizer's own `check(data)` when it has one (before anything is sent)."""
    regularizers = list(regularizers or ())
    names = [getattr(reg, "name", None) for reg in regularizers]
    duplicates = sorted({str(name) for name in names if names.count(name) > 1})
    if duplicates:
        raise InvalidInputError(f"regularizer names must be unique, repeated: {duplicates}")
    for reg in regularizers:
        if not isinstance(reg, Regularizer):
            raise InvalidInputError(
                f"a regularizer needs a name, a weight and value(data, logprobs); got {type(reg).__name__}"
            )
        check = getattr(reg, "check", None)
        if callable(check):
            check(data)


def build_forward_data(
    data: cabc.Sequence[Datum], regularizers: cabc.Sequence[Regularizer] | None = None
) -> list[Datum]:
    """Datums for the forward pass: per datum only `target_tokens` and `weights` (zeros if absent).
    The regularizers are checked against `data` first (`check_regularizers`)."""
    from tinker_ext.types import Datum, TensorData

    if len(data) == 0:
        raise InvalidInputError("forward_backward_custom needs at least one datum")
    check_regularizers(data, regularizers)
    forward_data: list[Datum] = []
    for index, datum in enumerate(data):
        target_tokens = datum.loss_fn_inputs.get("target_tokens")
        if target_tokens is None:
            raise InvalidInputError(
                f"datum {index} has no loss_fn_inputs['target_tokens']: a custom loss needs the target "
                "tokens to compute their logprobs"
            )
        weights = datum.loss_fn_inputs.get("weights")
        if weights is None:
            shape = (
                tuple(target_tokens.shape) if target_tokens.shape is not None else (len(target_tokens.data),)
            )
            weights = TensorData.from_numpy(np.zeros(shape, dtype=np.float32))
        forward_data.append(
            Datum(
                model_input=datum.model_input,
                loss_fn_inputs={"target_tokens": target_tokens, "weights": weights},
            )
        )
    return forward_data


def _logprobs_tensors(forward_output: ForwardBackwardOutput, count: int) -> list[torch.Tensor]:
    """Each datum's forward logprobs as a fresh float32 leaf tensor that requires grad."""
    _require_torch()
    import torch

    outputs = forward_output.loss_fn_outputs
    if len(outputs) != count:
        raise InvalidInputError(
            f"the forward pass returned outputs for {len(outputs)} datums, expected {count}"
        )
    tensors: list[torch.Tensor] = []
    for index, output in enumerate(outputs):
        logprobs = output.get("logprobs")
        if logprobs is None:
            raise InvalidInputError(
                f"the forward output of datum {index} has no 'logprobs' (keys: {sorted(output)})"
            )
        tensor = torch.as_tensor(np.asarray(logprobs.data, dtype=np.float32))
        if logprobs.shape is not None:
            tensor = tensor.reshape(tuple(logprobs.shape))
        tensors.append(tensor.detach().clone().requires_grad_(True))
    return tensors


def _as_float(value: Any, what: str) -> float:
    _require_torch()
    import torch

    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            raise InvalidInputError(f"{what} must be a scalar, got a tensor of shape {tuple(value.shape)}")
        return float(value.detach().reshape(()).item())
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{what} must be a number, got {type(value).__name__}") from exc


def _grad_norm(term: torch.Tensor, logprobs: list[torch.Tensor]) -> float:
    """‖∂term/∂logprobs‖₂ over every datum (unused logprobs count as zero gradient)."""
    _require_torch()
    import torch

    if not term.requires_grad:
        return 0.0
    grads = torch.autograd.grad(term, logprobs, retain_graph=True, allow_unused=True)
    squared = sum(float((g.double() ** 2).sum()) for g in grads if g is not None)
    return math.sqrt(squared)


def compute_backward(
    data: cabc.Sequence[Datum],
    forward_output: ForwardBackwardOutput,
    loss_fn: CustomLossFn,
    regularizers: cabc.Sequence[Regularizer] | None = None,
) -> tuple[list[Datum], dict[str, float], float]:
    """Evaluate the custom loss on the forward logprobs and build the backward datums.

    Returns `(backward_data, metrics, loss_value)`: backward datums carry the original
    `target_tokens` and weights = −∂loss/∂logprobs; metrics are the user's plus `base_loss:sum` and,
    per regularizer, `reg/<name>:sum` and `reg/<name>_grad_norm:sum`; loss_value is the total loss.
    """
    _require_torch()
    import torch

    from tinker_ext.types import Datum, TensorData

    regularizers = list(regularizers or ())
    check_regularizers(data, regularizers)

    logprobs = _logprobs_tensors(forward_output, len(data))
    result = loss_fn(list(data), logprobs)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise InvalidInputError("the custom loss function must return a tuple (loss, metrics)")
    base_loss, user_metrics = result
    if not isinstance(base_loss, torch.Tensor) or base_loss.numel() != 1:
        raise InvalidInputError(
            "the custom loss function must return a scalar torch tensor as its loss, got "
            + (
                f"shape {tuple(base_loss.shape)}"
                if isinstance(base_loss, torch.Tensor)
                else type(base_loss).__name__
            )
        )
    base_loss = base_loss.reshape(())

    metrics: dict[str, float] = {
        str(key): _as_float(value, f"metric {key!r}") for key, value in dict(user_metrics or {}).items()
    }
    metrics[BASE_LOSS_KEY] = float(base_loss.detach())

    total = base_loss
    for reg in regularizers:
        if getattr(reg, "needs_base_loss", False):
            value = reg.value(list(data), logprobs, base_loss=base_loss).reshape(())  # type: ignore[call-arg]
        else:
            value = reg.value(list(data), logprobs).reshape(())
        weighted = reg.weight * value
        value_key, grad_norm_key = metric_keys(reg.name)
        metrics[value_key] = float(value.detach())
        metrics[grad_norm_key] = _grad_norm(weighted, logprobs)
        total = total + weighted

    if not total.requires_grad:
        raise InvalidInputError(
            "the custom loss does not depend on the logprobs (no gradient): build it from the "
            "logprobs tensors passed to the loss function without detaching them"
        )
    grads = torch.autograd.grad(total, logprobs, allow_unused=True)
    if all(grad is None for grad in grads):
        raise InvalidInputError("the custom loss produced no gradient for any datum's logprobs")

    backward_data: list[Datum] = []
    for datum, lp, grad in zip(data, logprobs, grads, strict=True):
        weights = torch.zeros_like(lp) if grad is None else -grad.detach()
        backward_data.append(
            Datum(
                model_input=datum.model_input,
                loss_fn_inputs={
                    "target_tokens": datum.loss_fn_inputs["target_tokens"],
                    "weights": TensorData.from_torch(weights.to(torch.float32)),
                },
            )
        )
    return backward_data, metrics, float(total.detach())


def _surrogate_from_weights(
    backward_data: cabc.Sequence[Datum], backward_output: ForwardBackwardOutput
) -> float | None:
    """−Σ w·ℓ over the backward datums: the weights the SDK sent and the logprobs the server returned.
    None when the outputs do not line up with the datums (then another source is tried)."""
    outputs = backward_output.loss_fn_outputs
    if len(outputs) != len(backward_data):
        return None
    total = 0.0
    for datum, output in zip(backward_data, outputs, strict=True):
        weights_td = datum.loss_fn_inputs.get("weights")
        logprobs_td = output.get("logprobs")
        if weights_td is None or logprobs_td is None:
            return None
        weights = np.asarray(weights_td.data, dtype=np.float64).reshape(-1)
        logprobs = np.asarray(logprobs_td.data, dtype=np.float64).reshape(-1)
        if weights.shape != logprobs.shape:
            return None
        total -= float(np.dot(weights, logprobs))
    return total


def _surrogate_from_elementwise(backward_output: ForwardBackwardOutput) -> float | None:
    """Σ elementwise_loss over every datum (skyrl-tx reports −ℓ·w per token there), if all have it."""
    total = 0.0
    for output in backward_output.loss_fn_outputs:
        elementwise = output.get("elementwise_loss")
        if elementwise is None:
            return None
        total += float(np.asarray(elementwise.data, dtype=np.float64).sum())
    return total


def surrogate_loss(
    backward_output: ForwardBackwardOutput, backward_data: cabc.Sequence[Datum] | None = None
) -> float | None:
    """The cross-entropy surrogate Σ −ℓ·w of the backward pass.

    Sources, first that answers: the server's `loss:sum`; −Σ w·ℓ from the weights the SDK sent
    (`backward_data`) and the returned `logprobs`; Σ `elementwise_loss`; else None. Servers such as
    skyrl-tx return `metrics: {}`, hence the client-side fallbacks.
    """
    reported = backward_output.metrics.get(LOSS_KEY)
    if reported is not None:
        return float(reported)
    if backward_data is not None:
        from_weights = _surrogate_from_weights(backward_data, backward_output)
        if from_weights is not None:
            return from_weights
    return _surrogate_from_elementwise(backward_output)


def merge_custom_metrics(
    backward_output: ForwardBackwardOutput,
    metrics: cabc.Mapping[str, float],
    loss_value: float,
    backward_data: cabc.Sequence[Datum] | None = None,
) -> ForwardBackwardOutput:
    """The backward result as the user sees it: `loss:sum` is the custom loss, the cross-entropy
    surrogate goes to `surrogate_loss:sum`, and the custom metrics are merged in.

    The surrogate is the server's `loss:sum` when it reports one; otherwise it is computed client-side
    (see `surrogate_loss`: −Σ w·ℓ from `backward_data`, the datums sent, or Σ `elementwise_loss`), and
    left out only when the outputs carry neither.
    """
    from tinker_ext.types import ForwardBackwardOutput

    surrogate = surrogate_loss(backward_output, backward_data)
    merged = dict(backward_output.metrics)
    merged.pop(LOSS_KEY, None)
    merged.update(metrics)
    merged[LOSS_KEY] = float(loss_value)
    if surrogate is not None:
        merged[SURROGATE_LOSS_KEY] = surrogate
    return ForwardBackwardOutput(
        loss_fn_output_type=backward_output.loss_fn_output_type,
        loss_fn_outputs=list(backward_output.loss_fn_outputs),
        metrics=merged,
    )


def policy_backward_data(
    backward_data: cabc.Sequence[Datum], forward_output: ForwardBackwardOutput
) -> list[Datum]:
    """The cross_entropy backward datums as importance_sampling datums with the same gradient on a server
    whose policy loss is a token mean per datum and a mean over the datums (see the module docstring)."""
    from tinker_ext.types import Datum, TensorData

    count = len(backward_data)
    converted: list[Datum] = []
    for datum, output in zip(backward_data, forward_output.loss_fn_outputs, strict=True):
        weights = np.asarray(datum.loss_fn_inputs["weights"].data, dtype=np.float64)
        logprobs = output["logprobs"]
        advantages = (weights * weights.size * count).astype(np.float32)
        converted.append(
            Datum(
                model_input=datum.model_input,
                loss_fn_inputs={
                    "target_tokens": datum.loss_fn_inputs["target_tokens"],
                    "logprobs": TensorData(data=list(logprobs.data), dtype="float32", shape=logprobs.shape),
                    "advantages": TensorData.from_numpy(advantages.reshape(weights.shape)),
                },
            )
        )
    return converted


def backward_loss_for(facts: ServerFacts | None) -> str:
    """The built-in loss that carries a custom loss's gradient on this server (checked before sending)."""
    if facts is None or facts.ce_weights in ("sum", "unknown"):
        return "cross_entropy"
    if facts.advantages == "token_mean_batch_mean":
        return "importance_sampling"
    raise ServerDeviationError(
        f"forward_backward_custom refused: this server's cross_entropy is not linear in the weights "
        f"({facts.ce_weights}) and the reduction of its importance_sampling loss is {facts.advantages} "
        f"(measured by {facts.measured_by or 'tinker-ext contract'}), so no request it accepts carries "
        "the custom loss's gradient"
    )
