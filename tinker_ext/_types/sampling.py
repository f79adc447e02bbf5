"""Behaviour of the sampling types: SamplingParams range checks (0.38 leaves them to the server, done
before sending), the SampleRequest body, and the sample result in 0.38's layout.

A SampledSequence / SampleResponse holds numpy arrays (`tokens_np`, `logprobs_np`, `prompt_logprobs_np`, the
top-k matrices), as 0.38: the protobuf decoder hands over views of the message bytes and nothing per token
runs until a list name (`tokens`, `logprobs`, ...) is read; that converts once and is cached
(functools.cached_property). 0.38's list construction path (`_tokens_list=...`) is kept as is.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import operator
from typing import Any, Self

import numpy as np

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._types._kind import Bad, Kind
from tinker_ext._types.topk import MASK_LOGPROB, TopkLogprobs, topk_to_lists

__all__ = [
    "Logprobs",
    "PromptLogprobs",
    "SampleRequestBehaviour",
    "SampleResponseBehaviour",
    "SampledSequenceBehaviour",
    "SamplingParamsBehaviour",
    "TokenIds",
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


_INT32 = np.iinfo(np.int32)


class TokenIds(Kind):
    """Sampled token ids: an int32 numpy array (a JSON list, or the array tinker_ext._wire.json_arrays read)."""

    __slots__ = ()
    label = "a list of int token ids"
    plain = True

    def check(self, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            array = value.reshape(-1)
            if array.dtype.kind not in "iu":
                raise Bad(f"integers, not numpy dtype {array.dtype}", value)
        elif isinstance(value, list | tuple):
            if not set(map(type, value)) <= {int}:  # one pass in C; a bool or float is refused
                bad = next((i for i, v in enumerate(value) if type(v) is not int), 0)
                raise Bad("an int token id", value[bad], f"/{bad}")
            try:
                array = np.array(value, dtype=np.int64)
            except OverflowError:
                raise Bad("token ids that fit in 64 bits", value) from None
        else:
            raise Bad(self.label, value)
        if array.dtype != np.int32:
            if array.size and (array.min() < _INT32.min or array.max() > _INT32.max):
                raise Bad("int32 token ids", value)
            array = array.astype(np.int32)
        return array

    def json_value(self, value: Any) -> Any:
        return value.tolist() if isinstance(value, np.ndarray) else value


class Logprobs(Kind):
    """Sampled logprobs: a float numpy array (float64 from JSON: the server's values unchanged)."""

    __slots__ = ()
    label = "a list of numbers"
    plain = True

    def check(self, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in "fiu":
                raise Bad(f"numbers, not numpy dtype {value.dtype}", value)
            return value.reshape(-1)
        if not isinstance(value, list | tuple):
            raise Bad(self.label, value)
        if not set(map(type, value)) <= {float, int}:
            bad = next(i for i, v in enumerate(value) if type(v) not in (float, int))
            raise Bad("a number", value[bad], f"/{bad}")
        return np.array(value, dtype=np.float64)


class PromptLogprobs(Kind):
    """Prompt logprobs: a new list of numbers, None where a position has none."""

    __slots__ = ()
    label = "a list of numbers or nulls"
    plain = True

    def check(self, value: Any) -> Any:
        if isinstance(value, np.ndarray):
            return _prompt_list(value)
        if not isinstance(value, list | tuple):
            raise Bad(self.label, value)
        out = list(value)
        if set(map(type, out)) <= {float, int, type(None)}:
            return out
        bad = next(i for i, v in enumerate(out) if type(v) not in (float, int, type(None)))
        raise Bad("a number or null", out[bad], f"/{bad}")


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


def topk_matrices(rows: list[list[tuple[int, float]] | None] | None) -> TopkLogprobs | None:
    """Top-k rows as 0.38's `TopkLogprobs`: int32 token ids and float32 logprobs, both [len, k], short
    rows and None rows padded with token 0 / MASK_LOGPROB (what `topk_to_lists` turns back into rows)."""
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


def _prompt_list(array: Any) -> list[float | None]:
    """0.38's prompt_logprobs list: the array's values, None where NaN."""
    result: list[float | None] = array.tolist()
    for i in np.flatnonzero(np.isnan(array)):
        result[i] = None
    return result


def _prompt_array(values: list[float | None]) -> Any:
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


class _ResultLayout:
    """What both result types share: 0.38 checks nothing at construction (the decoders check the
    answer), and a copy with list values given by their list names (`_replaced(tokens=[...])`)."""

    __slots__ = ()

    def __post_init__(self) -> None:
        pass

    @classmethod
    def _trusted(cls, **values: Any) -> Any:
        """An instance from values a decoder produced (list names allowed); required fields not given
        are None."""
        fields = cls._fields_of(values)
        for field in dataclasses.fields(cls):  # type: ignore[arg-type]
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
                fields.setdefault(field.name, None)
        return cls(**fields)

    def _replaced(self, **changes: Any) -> Self:
        # a list read back unchanged (the cached property itself) keeps the arrays it came from
        unchanged = [k for k, v in changes.items() if k in self.__dict__ and v is self.__dict__[k]]
        for name in unchanged:
            del changes[name]
        replaced: Self = dataclasses.replace(self, **self._fields_of(changes))  # type: ignore[type-var]
        return replaced

    @classmethod
    def _fields_of(cls, changes: dict[str, Any]) -> dict[str, Any]:
        return dict(changes)


class SampledSequenceBehaviour(_ResultLayout):
    """A sampled sequence in 0.38's layout: `tokens_np` (int32), `logprobs_np`, `topk_logprobs_np`
    (TopkLogprobs) are the fields; `tokens`, `logprobs`, `topk_logprobs` convert on first read."""

    __slots__ = ()
    tokens_np: Any
    logprobs_np: Any
    topk_logprobs_np: Any
    _tokens_list: list[int] | None
    _logprobs_list: list[float] | None
    _topk_logprobs_list: list[list[tuple[int, float]] | None] | None

    @functools.cached_property
    def tokens(self) -> list[int]:
        """The token ids as a list (converted from `tokens_np` on first read)."""
        if self._tokens_list is not None:
            return self._tokens_list
        if self.tokens_np is not None:
            tokens: list[int] = self.tokens_np.tolist()
            return tokens
        return []

    @functools.cached_property
    def logprobs(self) -> list[float] | None:
        """The logprobs as a list, None when not requested."""
        if self._logprobs_list is not None:
            return self._logprobs_list
        if self.logprobs_np is not None:
            logprobs: list[float] = self.logprobs_np.tolist()
            return logprobs
        return None

    @functools.cached_property
    def topk_logprobs(self) -> list[list[tuple[int, float]] | None] | None:
        """Per sampled position the (token id, logprob) pairs, None when top-k was not requested."""
        if self._topk_logprobs_list is not None:
            return self._topk_logprobs_list
        if self.topk_logprobs_np is not None:
            return topk_to_lists(self.topk_logprobs_np)
        return None

    @classmethod
    def _build(cls, values: dict[str, Any]) -> Any:
        """From checked wire values (a JSON answer): arrays stay arrays."""
        rows = values.get("topk_logprobs")
        return cls(  # type: ignore[call-arg]
            values["stop_reason"],
            None,
            tokens_np=values.get("tokens", np.zeros(0, dtype=np.int32)),
            logprobs_np=values.get("logprobs"),
            topk_logprobs_np=topk_matrices(rows),
            _topk_logprobs_list=rows,
        )

    @classmethod
    def _fields_of(cls, changes: dict[str, Any]) -> dict[str, Any]:
        fields = dict(changes)
        if "tokens" in fields:
            fields["tokens_np"] = TokenIds().check(fields.pop("tokens"))
        if "logprobs" in fields:
            logprobs = fields.pop("logprobs")
            fields["logprobs_np"] = None if logprobs is None else Logprobs().check(logprobs)
        if "topk_logprobs" in fields:
            rows = fields.pop("topk_logprobs")
            fields["_topk_logprobs_list"] = rows
            fields["topk_logprobs_np"] = topk_matrices(rows)
        return fields


class SampleResponseBehaviour(_ResultLayout):
    """A sample result in 0.38's layout: `prompt_logprobs_np` (NaN = none) and `topk_prompt_logprobs_np`
    are the fields; `prompt_logprobs` / `topk_prompt_logprobs` convert on first read."""

    __slots__ = ()
    prompt_logprobs_np: Any
    topk_prompt_logprobs_np: Any
    _prompt_logprobs_list: list[float | None] | None
    _topk_prompt_logprobs_list: list[list[tuple[int, float]] | None] | None

    @property
    def type(self) -> str:
        """The result's tag on the wire (`sample`); 0.38 has no such field."""
        return "sample"

    @functools.cached_property
    def prompt_logprobs(self) -> list[float | None] | None:
        """Per prompt token its logprob, None where none was computed; None when not requested."""
        if self._prompt_logprobs_list is not None:
            return self._prompt_logprobs_list
        if self.prompt_logprobs_np is not None:
            return _prompt_list(self.prompt_logprobs_np)
        return None

    @functools.cached_property
    def topk_prompt_logprobs(self) -> list[list[tuple[int, float]] | None] | None:
        """Per prompt position the (token id, logprob) pairs, None when top-k was not requested."""
        if self._topk_prompt_logprobs_list is not None:
            return self._topk_prompt_logprobs_list
        if self.topk_prompt_logprobs_np is not None:
            return topk_to_lists(self.topk_prompt_logprobs_np)
        return None

    @classmethod
    def _build(cls, values: dict[str, Any]) -> Any:
        """From checked wire values (a JSON answer)."""
        prompt = values.get("prompt_logprobs")
        rows = values.get("topk_prompt_logprobs")
        return cls(  # type: ignore[call-arg]
            values["sequences"],
            prompt_logprobs_np=None if prompt is None else _prompt_array(prompt),
            topk_prompt_logprobs_np=topk_matrices(rows),
            target_prompt_logprobs=values.get("target_prompt_logprobs"),
            prompt_cache_hit_tokens=values.get("prompt_cache_hit_tokens", 0),
            prompt_alt_tokens=values.get("prompt_alt_tokens"),
            _prompt_logprobs_list=prompt,
            _topk_prompt_logprobs_list=rows,
        )

    @classmethod
    def _fields_of(cls, changes: dict[str, Any]) -> dict[str, Any]:
        fields = dict(changes)
        fields.pop("type", None)  # a constant
        if "prompt_logprobs" in fields:
            prompt = fields.pop("prompt_logprobs")
            fields["_prompt_logprobs_list"] = prompt
            fields["prompt_logprobs_np"] = None if prompt is None else _prompt_array(prompt)
        if "topk_prompt_logprobs" in fields:
            rows = fields.pop("topk_prompt_logprobs")
            fields["_topk_prompt_logprobs_list"] = rows
            fields["topk_prompt_logprobs_np"] = topk_matrices(rows)
        return fields
