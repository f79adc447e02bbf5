"""The built-in losses of the test server, as functions of the per-token logprobs of the targets.

Each returns (loss value, dL/dlogprob per target, elementwise loss). Linear by construction: the loss is a
sum over tokens and datums (never normalised), so 2w trains twice as far as w and a datum sent twice is
its weights doubled. With `r = exp(logprob - sampling logprob)` and advantages `A`:

- cross_entropy: `-Σ w·logprob` (weights default 1)
- importance_sampling: `-Σ r·A`
- ppo: `-Σ min(r·A, clip(r, low, high)·A)`, `clip_low_threshold` / `clip_high_threshold` (0.8 / 1.2)
- cispo: gradient `-clip(r)·A` per token, reported value `-Σ clip(r)·A` (the same thresholds)
- dro: `-Σ (A·logprob - beta/2·(logprob - sampling logprob)²)`, `beta` (0.05)
- gspo: the sequence ratio `s = exp(mean(logprob - sampling logprob))` in place of `r`, clipped as ppo
- stable_reinforce: `-Σ min(r, clip_high_threshold)·A` with the gradient of the unclipped tokens only
At ratio 1 every policy loss is `-Σ A` with the gradient of cross_entropy with weights = advantages.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

__all__ = ["LOSSES", "LossError", "loss_value_and_grad"]

Array = np.ndarray
Inputs = Mapping[str, Array]
Config = Mapping[str, float | str]
LossFn = Callable[[Array, Inputs, Config], tuple[float, Array, Array]]


class LossError(ValueError):
    """A loss input is missing or has the wrong shape (answered 400)."""


def _need(inputs: Inputs, key: str, like: Array) -> Array:
    if key not in inputs:
        raise LossError(f"loss_fn_inputs[{key!r}] is required by this loss")
    value = np.asarray(inputs[key], dtype=np.float64)
    if value.shape != like.shape:
        raise LossError(f"loss_fn_inputs[{key!r}] has shape {list(value.shape)}, expected {list(like.shape)}")
    return value


def _num(config: Config, key: str, default: float) -> float:
    value = config.get(key, default)
    try:
        return float(value)
    except (TypeError, ValueError):
        raise LossError(f"loss_fn_config[{key!r}] must be a number, not {value!r}") from None


def _ratio(lp: Array, inputs: Inputs) -> tuple[Array, Array]:
    old = _need(inputs, "logprobs", lp)
    return np.exp(lp - old), _need(inputs, "advantages", lp)


def cross_entropy(lp: Array, inputs: Inputs, config: Config) -> tuple[float, Array, Array]:
    weights = _need(inputs, "weights", lp) if "weights" in inputs else np.ones_like(lp)
    elementwise = -weights * lp
    return float(elementwise.sum()), -weights, elementwise


def importance_sampling(lp: Array, inputs: Inputs, config: Config) -> tuple[float, Array, Array]:
    ratio, adv = _ratio(lp, inputs)
    elementwise = -ratio * adv
    return float(elementwise.sum()), elementwise, elementwise


def _bounds(config: Config) -> tuple[float, float]:
    return _num(config, "clip_low_threshold", 0.8), _num(config, "clip_high_threshold", 1.2)


def ppo(lp: Array, inputs: Inputs, config: Config) -> tuple[float, Array, Array]:
    ratio, adv = _ratio(lp, inputs)
    low, high = _bounds(config)
    unclipped, clipped = ratio * adv, np.clip(ratio, low, high) * adv
    active = unclipped <= clipped  # min picks the unclipped term: its gradient flows
    elementwise = -np.minimum(unclipped, clipped)
    return float(elementwise.sum()), np.where(active, -ratio * adv, 0.0), elementwise


def cispo(lp: Array, inputs: Inputs, config: Config) -> tuple[float, Array, Array]:
    ratio, adv = _ratio(lp, inputs)
    low, high = _bounds(config)
    elementwise = -np.clip(ratio, low, high) * adv
    return float(elementwise.sum()), elementwise, elementwise


def dro(lp: Array, inputs: Inputs, config: Config) -> tuple[float, Array, Array]:
    old = _need(inputs, "logprobs", lp)
    adv = _need(inputs, "advantages", lp)
    beta = _num(config, "beta", 0.05)
    elementwise = -(adv * lp - beta / 2 * (lp - old) ** 2)
    return float(elementwise.sum()), -(adv - beta * (lp - old)), elementwise


def gspo(lp: Array, inputs: Inputs, config: Config) -> tuple[float, Array, Array]:
    old = _need(inputs, "logprobs", lp)
    adv = _need(inputs, "advantages", lp)
    low, high = _bounds(config)
    n = max(lp.size, 1)
    seq = float(np.exp(np.mean(lp - old))) if lp.size else 1.0
    unclipped, clipped = seq * adv, float(np.clip(seq, low, high)) * adv
    elementwise = -np.minimum(unclipped, clipped)
    flowing = float(np.sum(np.where(unclipped <= clipped, adv, 0.0)))
    return float(elementwise.sum()), np.full_like(lp, -seq / n * flowing), elementwise


def stable_reinforce(lp: Array, inputs: Inputs, config: Config) -> tuple[float, Array, Array]:
    ratio, adv = _ratio(lp, inputs)
    high = _num(config, "clip_high_threshold", 1.2)
    elementwise = -np.minimum(ratio, high) * adv
    return float(elementwise.sum()), np.where(ratio < high, -ratio * adv, 0.0), elementwise


LOSSES: dict[str, LossFn] = {
    "cross_entropy": cross_entropy,
    "importance_sampling": importance_sampling,
    "ppo": ppo,
    "cispo": cispo,
    "dro": dro,
    "gspo": gspo,
    "stable_reinforce": stable_reinforce,
}


def loss_value_and_grad(name: str, lp: Array, inputs: Inputs, config: Config) -> tuple[float, Array, Array]:
    fn = LOSSES.get(name)
    if fn is None:
        raise LossError(f"unknown loss_fn {name!r} (the test server offers {sorted(LOSSES)})")
    return fn(lp, inputs, config)
