"""Behaviour of the sampling types: SamplingParams range checks (0.38 leaves them to the server, done
before sending), the SampleRequest body, numpy views and field kinds of the sample result."""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from tinker_ext._behaviour._fields import Bad, Kind
from tinker_ext._exceptions import InvalidInputError

__all__ = [
    "Floats",
    "OptionalFloats",
    "SampleRequestBehaviour",
    "SampleResponseBehaviour",
    "SampledSequenceBehaviour",
    "SamplingParamsBehaviour",
    "TopkRows",
]


def _check_finite(name: str, value: Any) -> None:
    if not math.isfinite(value):
        raise InvalidInputError(f"SamplingParams.{name} must be a finite number, got {value!r}")


def _check_stop(value: Any) -> None:
    """`stop` is None (EOS), a string, a list of strings or a list of non-negative token ids."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    for item in items:
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise InvalidInputError("SamplingParams.stop: the string is not valid UTF-8") from None
        elif item < 0:
            raise InvalidInputError(
                "SamplingParams.stop must be a str, a list of str or a list of non-negative int token ids"
            )


class SamplingParamsBehaviour:
    __slots__ = ()
    max_tokens: int | None
    seed: int | None
    stop: Any
    temperature: float
    top_k: int
    top_p: float

    def _validate(self) -> None:
        if self.max_tokens is not None and self.max_tokens < 0:
            raise InvalidInputError(f"SamplingParams.max_tokens must be >= 0, got {self.max_tokens}")
        if self.seed is not None and not -(2**63) <= self.seed < 2**63:
            raise InvalidInputError(f"SamplingParams.seed must fit in a signed 64-bit int, got {self.seed}")
        _check_stop(self.stop)
        _check_finite("temperature", self.temperature)
        if self.temperature < 0:
            raise InvalidInputError(f"SamplingParams.temperature must be >= 0, got {self.temperature}")
        if self.top_k != -1 and self.top_k < 1:
            raise InvalidInputError(f"SamplingParams.top_k must be -1 (no limit) or >= 1, got {self.top_k}")
        _check_finite("top_p", self.top_p)
        if not 0.0 < self.top_p <= 1.0:
            raise InvalidInputError(f"SamplingParams.top_p must be in (0, 1], got {self.top_p}")


# ----- the sample request and its result


class SampleRequestBehaviour:
    """The /asample body: the 0.38 options go on the wire only when set, so older servers see the bodies
    they know (`topk_prompt_logprobs` is always sent, as 0.24 does)."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = super().to_json()  # type: ignore[misc]
        for key in ("topk_sample_logprobs", "prompt_alt_tokens_k"):
            if not body.get(key):
                body.pop(key, None)
        return body


_NUMBERS = frozenset({float, int})
_NUMBERS_OR_NONE = frozenset({float, int, type(None)})


class Floats(Kind):
    """Logprobs: a new list of numbers (ints kept as given, as 0.38's dataclasses do no conversion)."""

    __slots__ = ()
    label = "a list of numbers"
    plain = True
    nullable_items = False

    def check(self, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return value.reshape(-1).tolist()
        if not isinstance(value, list | tuple):
            raise Bad(self.label, value)
        out = list(value)
        if set(map(type, out)) <= (_NUMBERS_OR_NONE if self.nullable_items else _NUMBERS):
            return out  # the usual answer: one pass in C, no per-item Python code
        for index, item in enumerate(out):
            kind = type(item)
            if kind is float or kind is int or (item is None and self.nullable_items):
                continue
            if isinstance(item, bool) or not isinstance(item, int | float):
                raise Bad("a number" + (" or null" if self.nullable_items else ""), item, f"/{index}")
        return out


class OptionalFloats(Floats):
    """Prompt logprobs: numbers, None where a position has none."""

    __slots__ = ()
    label = "a list of numbers or nulls"
    nullable_items = True


class TopkRows(Kind):
    """Top-k logprob rows: per position None or a list of (token id, logprob) tuples ([id, lp] on the wire)."""

    __slots__ = ()
    label = "a list of top-k rows"

    def check(self, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise Bad(self.label, value)
        out: list[list[tuple[int, float]] | None] = []
        for index, row in enumerate(value):
            if row is None:
                out.append(None)
                continue
            try:
                out.append([_pair(pair) for pair in row])
            except (TypeError, ValueError, IndexError):
                raise Bad("null or a list of [token_id, logprob] pairs", row, f"/{index}") from None
        return out


def _pair(pair: Any) -> tuple[int, float]:
    token, logprob = pair  # not two items: ValueError / TypeError
    if isinstance(pair, str | bytes) or isinstance(token, bool) or isinstance(logprob, bool):
        raise ValueError(pair)
    if isinstance(token, float):
        if not token.is_integer():
            raise ValueError(pair)
        token = int(token)
    return operator.index(token), float(logprob)


def _topk_matrices(rows: list[list[tuple[int, float]] | None] | None) -> Any:
    """A top-k table as 0.38's `TopkLogprobs`: int32 token ids and float32 logprobs, both [len, k], short
    rows and None rows padded with token 0 / MASK_LOGPROB (what `topk_to_lists` turns back into rows)."""
    from tinker_ext.types.topk_logprobs import MASK_LOGPROB, TopkLogprobs

    if rows is None:
        return None
    k = max((len(r) for r in rows if r is not None), default=0)
    ids = np.zeros((len(rows), k), dtype=np.int32)
    logprobs = np.full((len(rows), k), MASK_LOGPROB, dtype=np.float32)
    for i, row in enumerate(rows):
        for j, (token, logprob) in enumerate(row or []):
            ids[i, j] = token
            logprobs[i, j] = logprob
    return TopkLogprobs(token_ids=ids, logprobs=logprobs)


def _exclusive(owner: str, np_name: str, np_value: Any, list_name: str, list_value: Any) -> None:
    if np_value is not None and list_value is not None:
        raise TypeError(f"{owner}() takes {np_name} or {list_name}, not both")


def _topk_rows(matrices: Any) -> Any:
    """0.38's TopkLogprobs (or our rows) as the rows the field keeps."""
    from tinker_ext.types.topk_logprobs import TopkLogprobs, topk_to_lists

    return topk_to_lists(matrices) if isinstance(matrices, TopkLogprobs) else matrices


class SampledSequenceBehaviour:
    """0.38's constructor and numpy views of a sampled sequence (0.38 names).

    `SampledSequence(stop_reason, sequence_id, tokens_np=None, logprobs_np=None, topk_logprobs_np=None)` as
    0.38's; the list forms (`tokens=`, `logprobs=`, `topk_logprobs=`, what `dataclasses.replace` passes)
    are accepted as keywords. The fields hold lists (what the decoders produce); the `*_np` names are views.
    """

    __slots__ = ()
    tokens: list[int]
    logprobs: list[float] | None
    topk_logprobs: Any  # (token id, logprob) tuples per row (the generated annotation says lists)

    def __init__(
        self,
        stop_reason: Literal["length", "stop"],
        sequence_id: str | None,
        tokens_np: Any = None,
        logprobs_np: Any = None,
        topk_logprobs_np: Any = None,
        *,
        tokens: Sequence[int] | None = None,
        logprobs: Sequence[float] | None = None,
        topk_logprobs: Any = None,
    ) -> None:
        _exclusive("SampledSequence", "tokens_np", tokens_np, "tokens", tokens)
        _exclusive("SampledSequence", "logprobs_np", logprobs_np, "logprobs", logprobs)
        _exclusive("SampledSequence", "topk_logprobs_np", topk_logprobs_np, "topk_logprobs", topk_logprobs)
        values = {
            "stop_reason": stop_reason,
            "sequence_id": sequence_id,
            "tokens": tokens if tokens_np is None else np.asarray(tokens_np).tolist(),
            "logprobs": logprobs if logprobs_np is None else np.asarray(logprobs_np).tolist(),
            "topk_logprobs": topk_logprobs if topk_logprobs_np is None else _topk_rows(topk_logprobs_np),
        }
        if values["tokens"] is None:
            values["tokens"] = []  # 0.38: a sequence built without tokens has `tokens == []`
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self.__post_init__()  # type: ignore[attr-defined]  # PublicDataclass: the field checks

    @property
    def tokens_np(self) -> Any:
        return np.asarray(self.tokens, dtype=np.int64)

    @property
    def logprobs_np(self) -> Any:
        return None if self.logprobs is None else np.asarray(self.logprobs, dtype=np.float32)

    @property
    def topk_logprobs_np(self) -> Any:
        """`TopkLogprobs` (token_ids int32 [len, k], logprobs float32 [len, k]) as 0.38, or None."""
        return _topk_matrices(self.topk_logprobs)


class SampleResponseBehaviour:
    """0.38's constructor and numpy views of the prompt logprobs (0.38 names).

    `SampleResponse(sequences, prompt_logprobs_np=None, topk_prompt_logprobs_np=None,
    target_prompt_logprobs=None, prompt_cache_hit_tokens=0, prompt_alt_tokens=None)` as 0.38's (NaN in
    `prompt_logprobs_np` = no logprob); the list forms are accepted as keywords.
    """

    __slots__ = ()
    prompt_logprobs: list[float | None] | None
    topk_prompt_logprobs: Any  # as SampledSequence.topk_logprobs

    def __init__(
        self,
        sequences: Sequence[Any],
        prompt_logprobs_np: Any = None,
        topk_prompt_logprobs_np: Any = None,
        target_prompt_logprobs: Any = None,
        prompt_cache_hit_tokens: int = 0,
        prompt_alt_tokens: Any = None,
        *,
        prompt_logprobs: Sequence[float | None] | None = None,
        topk_prompt_logprobs: Any = None,
        type: Literal["sample"] = "sample",
    ) -> None:
        owner = "SampleResponse"
        _exclusive(owner, "prompt_logprobs_np", prompt_logprobs_np, "prompt_logprobs", prompt_logprobs)
        _exclusive(
            owner,
            "topk_prompt_logprobs_np",
            topk_prompt_logprobs_np,
            "topk_prompt_logprobs",
            topk_prompt_logprobs,
        )
        if prompt_logprobs_np is not None:
            array = np.asarray(prompt_logprobs_np, dtype=np.float64)
            prompt_logprobs = [None if np.isnan(v) else v for v in array.tolist()]
        values = {
            "sequences": sequences,
            "prompt_logprobs": prompt_logprobs,
            "topk_prompt_logprobs": (
                topk_prompt_logprobs
                if topk_prompt_logprobs_np is None
                else _topk_rows(topk_prompt_logprobs_np)
            ),
            "prompt_cache_hit_tokens": prompt_cache_hit_tokens,
            "type": type,
            "target_prompt_logprobs": target_prompt_logprobs,
            "prompt_alt_tokens": prompt_alt_tokens,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self.__post_init__()  # type: ignore[attr-defined]  # PublicDataclass: the field checks

    @property
    def prompt_logprobs_np(self) -> Any:
        """float32 array, NaN where a position has no logprob (None)."""
        if self.prompt_logprobs is None:
            return None
        return np.asarray([np.nan if v is None else v for v in self.prompt_logprobs], dtype=np.float32)

    @property
    def topk_prompt_logprobs_np(self) -> Any:
        """`TopkLogprobs` (token_ids int32 [len, k], logprobs float32 [len, k]) as 0.38, or None."""
        return _topk_matrices(self.topk_prompt_logprobs)
