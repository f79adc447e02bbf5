"""Sampling from a bigram table: every SamplingParams option and the prompt logprob options.

Returned logprobs are the model's (temperature 1, before top-k/top-p), so a sampler's logprobs equal the
trainer's for the same weights (what importance sampling needs). A seed makes a request deterministic;
without one each request draws fresh randomness. Stop tokens and stop strings end a sequence with
stop_reason "stop" (the stop token is kept); else it ends at max_tokens with "length".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._model import log_softmax
from ._tokenizer import TinyTokenizer

__all__ = ["MAX_TOKENS_LIMIT", "PromptScores", "SampledSeq", "SamplingError", "prompt_scores", "sample"]

Array = np.ndarray
MAX_TOKENS_LIMIT = 4096
_DEFAULT_MAX_TOKENS = 16
_decoder = TinyTokenizer()


class SamplingError(ValueError):
    """Sampling parameters the server refuses (answered 400)."""


@dataclass
class SampledSeq:
    tokens: list[int]
    logprobs: list[float]
    stop_reason: str
    topk: list[list[tuple[int, float]]] = field(default_factory=list)


@dataclass
class PromptScores:
    logprobs: list[float | None] | None = None
    topk: list[list[tuple[int, float]] | None] | None = None
    target: Array | None = None  # [T, K] float32
    alt_tokens: Array | None = None  # [T, K] int64
    alt_logprobs: Array | None = None


def _topk(row: Array, k: int) -> list[tuple[int, float]]:
    order = np.argsort(-row, kind="stable")[:k]
    return [(int(t), float(row[t])) for t in order]


def _choose(logp: Array, params: Mapping[str, Any], rng: np.random.Generator) -> int:
    temperature = float(params.get("temperature", 1.0))
    if temperature <= 0:
        return int(np.argmax(logp))
    scores = logp / temperature
    top_k = int(params.get("top_k", -1) or -1)
    if 0 < top_k < scores.size:
        cutoff = np.sort(scores)[-top_k]
        scores = np.where(scores >= cutoff, scores, -np.inf)
    probs = np.exp(log_softmax(scores))
    top_p = float(params.get("top_p", 1.0))
    if top_p < 1.0:
        order = np.argsort(-probs, kind="stable")
        keep = np.cumsum(probs[order]) - probs[order] < top_p  # the smallest prefix reaching top_p
        mask = np.zeros_like(probs, dtype=bool)
        mask[order[keep]] = True
        probs = np.where(mask, probs, 0.0)
        probs /= probs.sum()
    return int(rng.choice(probs.size, p=probs))


def _stops(params: Mapping[str, Any]) -> tuple[set[int], list[str]]:
    stop = params.get("stop")
    if stop is None:
        return set(), []
    if isinstance(stop, str):
        return set(), [stop]
    if all(isinstance(s, int) and not isinstance(s, bool) for s in stop):
        return {int(s) for s in stop}, []
    if all(isinstance(s, str) for s in stop):
        return set(), list(stop)
    raise SamplingError("sampling_params.stop must be a string, a list of strings or a list of token ids")


def check_params(params: Mapping[str, Any]) -> int:
    max_tokens = params.get("max_tokens")
    max_tokens = _DEFAULT_MAX_TOKENS if max_tokens is None else int(max_tokens)
    if not 0 <= max_tokens <= MAX_TOKENS_LIMIT:
        raise SamplingError(f"sampling_params.max_tokens must be in [0, {MAX_TOKENS_LIMIT}]")
    if float(params.get("temperature", 1.0)) < 0:
        raise SamplingError("sampling_params.temperature must be >= 0")
    if not 0 < float(params.get("top_p", 1.0)) <= 1:
        raise SamplingError("sampling_params.top_p must be in (0, 1]")
    _stops(params)
    return max_tokens


def sample(
    table: Array, prompt: Sequence[int], num_samples: int, params: Mapping[str, Any], topk_sample: int
) -> list[SampledSeq]:
    max_tokens = check_params(params)
    stop_tokens, stop_strings = _stops(params)
    seed = params.get("seed")
    rng = np.random.default_rng(None if seed is None else int(seed))
    logp_table = log_softmax(table)
    out = []
    for _ in range(num_samples):
        prev = prompt[-1] if prompt else 0
        seq = SampledSeq([], [], "length")
        for _ in range(max_tokens):
            row = logp_table[prev]
            token = _choose(row, params, rng)
            seq.tokens.append(token)
            seq.logprobs.append(float(row[token]))
            if topk_sample:
                seq.topk.append(_topk(row, topk_sample))
            prev = token
            if token in stop_tokens or (
                stop_strings and any(s in _decoder.decode(seq.tokens) for s in stop_strings)
            ):
                seq.stop_reason = "stop"
                break
        out.append(seq)
    return out


def prompt_scores(table: Array, prompt: Sequence[int], request: Mapping[str, Any]) -> PromptScores:
    """The prompt logprob options of a sample request (position 0 has none: nothing precedes it)."""
    tokens = np.asarray(prompt, dtype=np.int64)
    logp = log_softmax(table[tokens[:-1]]) if tokens.size > 1 else np.zeros((0, table.shape[1]))
    scores = PromptScores()
    last_n = request.get("prompt_logprobs_last_n")
    first = 1 if last_n is None else max(1, tokens.size - int(last_n))
    if request.get("prompt_logprobs"):
        values: list[float | None] = [None] * tokens.size
        for i in range(first, tokens.size):
            values[i] = float(logp[i - 1, tokens[i]])
        scores.logprobs = values
    k = int(request.get("topk_prompt_logprobs") or 0)
    if k > 0:
        scores.topk = [None] + [_topk(logp[i - 1], k) for i in range(1, tokens.size)]
    target = request.get("target_prompt_logprobs")
    if target is not None:
        ids = np.asarray(target, dtype=np.int64).reshape(tokens.size, -1)
        rows = np.vstack([np.full((1, table.shape[1]), np.nan), logp]) if tokens.size else logp
        scores.target = np.take_along_axis(rows, np.clip(ids, 0, table.shape[1] - 1), axis=1).astype(
            np.float32
        )
    alt_k = int(request.get("prompt_alt_tokens_k") or 0)
    if alt_k > 0:
        pairs = [[(0, float("nan"))] * alt_k] + [_topk(logp[i - 1], alt_k) for i in range(1, tokens.size)]
        scores.alt_tokens = np.asarray([[t for t, _ in row] for row in pairs], dtype=np.int64)
        scores.alt_logprobs = np.asarray([[v for _, v in row] for row in pairs], dtype=np.float32)
    return scores
