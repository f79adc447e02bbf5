"""The tiny deterministic model: a bigram logit table in numpy (float64).

`logits(next | prev) = W[prev] + D[prev]`: `W` is the base model (normal(0, 1), seeded by the base model's
name, shared and never trained), `D` the trainable LoRA-like delta of one training client (zeros at
creation, so every fresh model starts from the base model's logprobs). Gradients accumulate over
forward_backward calls until `optim_step` applies real Adam (bias-corrected, decoupled weight decay,
optional global-norm clipping) and clears them. Sampling reads a snapshot of `D` taken at save time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._losses import loss_value_and_grad
from ._tokenizer import VOCAB_SIZE

__all__ = ["AdamState", "DatumResult", "Lora", "base_table", "log_softmax"]

Array = np.ndarray
_tables: dict[str, Array] = {}


def base_table(base_model: str) -> Array:
    """The base model's logit table (read-only), the same for a name in every process."""
    table = _tables.get(base_model)
    if table is None:
        seed = int.from_bytes(hashlib.sha256(base_model.encode()).digest()[:8], "little")
        table = np.random.default_rng(seed).standard_normal((VOCAB_SIZE, VOCAB_SIZE))
        table.setflags(write=False)
        _tables[base_model] = table
    return table


def log_softmax(logits: Array) -> Array:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    result: Array = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return result


@dataclass
class AdamState:
    m: Array
    v: Array
    step: int = 0

    def copy(self) -> AdamState:
        return AdamState(self.m.copy(), self.v.copy(), self.step)


@dataclass
class DatumResult:
    logprobs: Array
    elementwise_loss: Array
    loss: float


@dataclass
class Lora:
    """One training client's trainable state."""

    base_model: str
    rank: int
    delta: Array = field(default_factory=lambda: np.zeros((VOCAB_SIZE, VOCAB_SIZE)))
    grad: Array = field(default_factory=lambda: np.zeros((VOCAB_SIZE, VOCAB_SIZE)))
    adam: AdamState = field(
        default_factory=lambda: AdamState(
            np.zeros((VOCAB_SIZE, VOCAB_SIZE)), np.zeros((VOCAB_SIZE, VOCAB_SIZE))
        )
    )

    def table(self) -> Array:
        table: Array = base_table(self.base_model) + self.delta
        return table

    def run(
        self,
        tokens: Sequence[int],
        inputs: Mapping[str, Array],
        loss_fn: str,
        config: Mapping[str, float | str],
        backward: bool,
    ) -> DatumResult:
        """One datum through the model: per-target logprobs, the loss, and (backward) its gradient added
        to the accumulated gradient."""
        prev = np.asarray(tokens, dtype=np.int64)
        targets = np.asarray(inputs["target_tokens"], dtype=np.int64)
        if targets.shape[:1] != prev.shape:
            raise ValueError(
                f"target_tokens has {targets.shape[0] if targets.ndim else 0} positions, the model input "
                f"{prev.size} tokens"
            )
        if prev.size and (prev.min() < 0 or prev.max() >= VOCAB_SIZE):
            raise ValueError(f"model input token ids must be in [0, {VOCAB_SIZE})")
        if targets.size and (targets.min() < 0 or targets.max() >= VOCAB_SIZE):
            raise ValueError(f"target_tokens must be in [0, {VOCAB_SIZE})")
        logp_rows = log_softmax(self.table()[prev])  # [T, V]
        index = np.arange(prev.size).reshape((-1,) + (1,) * (targets.ndim - 1))
        flat_rows = np.broadcast_to(index, targets.shape)
        lp = logp_rows[flat_rows, targets]
        loss, dlp, elementwise = loss_value_and_grad(loss_fn, lp, inputs, config)
        if backward:
            probs = np.exp(logp_rows)
            grad_rows = np.zeros_like(logp_rows)
            weight_per_row = dlp.reshape(prev.size, -1).sum(axis=1)
            grad_rows -= weight_per_row[:, None] * probs
            np.add.at(grad_rows, (flat_rows.ravel(), targets.ravel()), dlp.ravel())
            np.add.at(self.grad, prev, grad_rows)
        return DatumResult(lp.astype(np.float32), elementwise.astype(np.float32), loss)

    def adam_step(self, params: Mapping[str, float]) -> dict[str, float]:
        lr = params.get("learning_rate", 1e-4)
        beta1, beta2 = params.get("beta1", 0.9), params.get("beta2", 0.95)
        eps, weight_decay = params.get("eps", 1e-12), params.get("weight_decay", 0.0)
        clip = params.get("grad_clip_norm", 0.0)
        grad = self.grad
        norm = float(np.sqrt(np.sum(grad * grad)))
        if clip and clip > 0 and norm > clip:
            grad = grad * (clip / norm)
        state = self.adam
        state.step += 1
        state.m = beta1 * state.m + (1 - beta1) * grad
        state.v = beta2 * state.v + (1 - beta2) * grad * grad
        m_hat = state.m / (1 - beta1**state.step)
        v_hat = state.v / (1 - beta2**state.step)
        self.delta = self.delta - lr * (m_hat / (np.sqrt(v_hat) + eps) + weight_decay * self.delta)
        self.grad = np.zeros_like(self.grad)
        return {"grad_norm:mean": norm, "learning_rate:mean": float(lr)}
