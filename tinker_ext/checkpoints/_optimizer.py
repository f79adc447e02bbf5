"""Is the optimizer state really restored? A resumed run's next step must equal the uninterrupted run's.

No server reports whether `load_state_with_optimizer` restored the Adam moments: a server that drops them
answers the same success, and the run continues with fresh moments (a visibly different update, a silently
different run). `verify_resume` measures it: it takes the live client's next step (the one it takes anyway)
and the same step on a client resumed from the state checkpoint saved just before, and compares the
logprobs after the step. As a control it also steps a client that loaded the weights only (fresh moments):
when the resumed step differs from the live one but equals that control, the optimizer state was not
restored, and `OptimizerStateNotRestoredError` is raised (`strict=False`: an `OptimizerStateWarning` instead).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tinker_ext._core.exceptions import InvalidInputError, TinkerError
from tinker_ext.types.checkpoint_path import ParsedCheckpointTinkerPath

__all__ = [
    "OptimizerRestoreCheck",
    "OptimizerStateNotRestoredError",
    "OptimizerStateWarning",
    "verify_resume",
]


class OptimizerStateNotRestoredError(TinkerError):
    """A run resumed with its optimizer state does not take the uninterrupted run's next step."""


class OptimizerStateWarning(UserWarning):
    """`verify_resume(strict=False)` found the optimizer state not restored."""


@dataclass(frozen=True)
class OptimizerRestoreCheck:
    """Max |Δ logprob| after one step: resumed vs live (`resumed_diff`, ~0 when restored), weights-only vs
    live (`weights_only_diff`, > 0 after a run that has stepped), and the verdict."""

    restored: bool
    resumed_diff: float
    weights_only_diff: float | None
    loss_live: float
    loss_resumed: float
    tolerance: float


def _resolved(value: Any) -> Any:
    result = getattr(value, "result", None)
    return result() if callable(result) else value


def _logprobs(output: Any) -> list[float]:
    values: list[float] = []
    for item in output.loss_fn_outputs:
        values.extend(float(v) for v in item["logprobs"].data)
    return values


def _loss(output: Any) -> float:
    metrics = getattr(output, "metrics", None) or {}
    for key in ("loss:sum", "loss:mean", "loss"):
        if key in metrics:
            return float(metrics[key])
    return -sum(_logprobs(output))


def step_and_score(
    client: Any, data: Sequence[Any], loss_fn: str, adam_params: Any
) -> tuple[float, list[float]]:
    """One forward_backward + optim_step; (the step's loss, logprobs of `data` after it)."""
    step = _resolved(client.forward_backward(list(data), loss_fn))
    _resolved(client.optim_step(adam_params))
    after = _resolved(client.forward(list(data), loss_fn))
    return _loss(step), _logprobs(after)


def _max_diff(a: Sequence[float], b: Sequence[float]) -> float:
    if len(a) != len(b):
        return math.inf
    return max((abs(x - y) for x, y in zip(a, b, strict=True)), default=0.0)


def verify_resume(
    service_client: Any,
    live_client: Any,
    state_path: str,
    data: Sequence[Any],
    adam_params: Any,
    *,
    loss_fn: str = "cross_entropy",
    tolerance: float = 1e-4,
    control: bool = True,
    strict: bool = True,
) -> OptimizerRestoreCheck:
    """Step `live_client` (which saved `state_path` with `save_state` and has not stepped since) and a
    client resumed from `state_path` on `data`; compare their logprobs after the step (max |Δ| <=
    `tolerance`). With `control`, a weights-only client steps too, to tell "optimizer state not restored"
    (`OptimizerStateNotRestoredError`, or a warning with `strict=False`) from any other difference (a
    `TinkerError` in strict mode). Returns the measurements."""
    parsed = ParsedCheckpointTinkerPath.from_tinker_path(state_path)
    if parsed.checkpoint_type != "training":
        raise InvalidInputError(f"{state_path} is not a state checkpoint (tinker://RUN/weights/NAME)")
    if not data:
        raise InvalidInputError("verify_resume needs at least one datum")
    resumed = _resolved(service_client.create_training_client_from_state_with_optimizer(state_path))
    weights_only = None
    if control:
        weights_only = _resolved(service_client.create_training_client_from_state(state_path))
    loss_live, live = step_and_score(live_client, data, loss_fn, adam_params)
    loss_resumed, after_resume = step_and_score(resumed, data, loss_fn, adam_params)
    fresh = None if weights_only is None else step_and_score(weights_only, data, loss_fn, adam_params)[1]
    control_diff = None if fresh is None else _max_diff(fresh, live)
    diff = _max_diff(after_resume, live)
    check = OptimizerRestoreCheck(diff <= tolerance, diff, control_diff, loss_live, loss_resumed, tolerance)
    if check.restored:
        return check
    same_as_fresh = fresh is not None and _max_diff(after_resume, fresh) <= tolerance
    message = (
        f"the run resumed from {state_path} does not take the uninterrupted run's next step (max |Δ logprob| "
        f"{diff:.3g} > {tolerance:g})"
    )
    if same_as_fresh:
        message += (
            ": it equals a step with fresh Adam moments, so the server did not restore the optimizer state"
        )
    if not strict:
        warnings.warn(message, OptimizerStateWarning, stacklevel=2)
        return check
    if same_as_fresh:
        raise OptimizerStateNotRestoredError(message)
    raise TinkerError(message)
