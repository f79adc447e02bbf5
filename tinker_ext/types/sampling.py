"""Sampling parameters, the sample request and its response."""

from __future__ import annotations

from typing import Any, Literal, TypeAlias

import attrs
from tinker_ext_raw.public import SamplingParams

from ._wire import (
    ResponseFormatError,
    WireModel,
    expect_mapping,
    opt_int,
    opt_list,
    req_items,
    req_list,
    req_str,
)
from .model_input import ModelInput
from .tensor_data import TensorData

__all__ = [
    "PromptAltTokens",
    "SampleRequest",
    "SampleResponse",
    "SampledSequence",
    "SamplingParams",
    "StopReason",
]

StopReason: TypeAlias = Literal["length", "stop"]
_STOP_REASONS = ("length", "stop")


@attrs.frozen
class SampleRequest(WireModel):
    """The /asample body (0.24 field set; `None` fields omitted)."""

    prompt: ModelInput
    sampling_params: SamplingParams
    num_samples: int = 1
    base_model: str | None = None
    model_path: str | None = None
    sampling_session_id: str | None = None
    seq_id: int | None = None
    prompt_logprobs: bool | None = None
    topk_prompt_logprobs: int = 0
    # 0.38 options (sent only when set, so older servers see the bodies they know)
    topk_sample_logprobs: int = 0
    target_prompt_logprobs: TensorData | None = None
    prompt_alt_tokens_k: int = 0
    prompt_logprobs_last_n: int | None = None
    record_stability_info: bool | None = None
    type: Literal["sample"] = "sample"

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "num_samples": self.num_samples,
            "prompt": self.prompt.to_json(),
            "sampling_params": self.sampling_params.to_json(),
        }
        for key in ("base_model", "model_path", "sampling_session_id", "seq_id", "prompt_logprobs"):
            value = getattr(self, key)
            if value is not None:
                body[key] = value
        body["topk_prompt_logprobs"] = self.topk_prompt_logprobs
        if self.topk_sample_logprobs:
            body["topk_sample_logprobs"] = self.topk_sample_logprobs
        if self.target_prompt_logprobs is not None:
            body["target_prompt_logprobs"] = self.target_prompt_logprobs.to_json()
        if self.prompt_alt_tokens_k:
            body["prompt_alt_tokens_k"] = self.prompt_alt_tokens_k
        if self.prompt_logprobs_last_n is not None:
            body["prompt_logprobs_last_n"] = self.prompt_logprobs_last_n
        if self.record_stability_info is not None:
            body["record_stability_info"] = self.record_stability_info
        body["type"] = "sample"
        return body


def _stop_reason(value: Any) -> StopReason:
    if value not in _STOP_REASONS:
        raise ResponseFormatError(f"SampledSequence.stop_reason: unknown value {value!r}")
    reason: StopReason = value
    return reason


TopkLogprobs: TypeAlias = list[list[tuple[int, float]] | None]


def _topk_array(rows: TopkLogprobs | None, column: int, dtype: Any) -> Any:
    """One column (token ids or logprobs) of a top-k table as a [len, k] numpy array (None rows: -1/NaN)."""
    import numpy as np

    if rows is None:
        return None
    k = max((len(r) for r in rows if r is not None), default=0)
    out = np.full((len(rows), k), -1 if column == 0 else np.nan, dtype=dtype)
    for i, row in enumerate(rows):
        for j, pair in enumerate(row or []):
            out[i, j] = pair[column]
    return out


@attrs.frozen
class SampledSequence(WireModel):
    stop_reason: StopReason
    tokens: list[int]
    logprobs: list[float] | None = None
    # 0.38 (topk_sample_logprobs > 0): the top-k (token id, logprob) pairs of each sampled position.
    topk_logprobs: TopkLogprobs | None = None
    # 0.38: stamped client-side from the asample promise's sample_sequence_ids; never on the wire.
    sequence_id: str | None = attrs.field(default=None, metadata={"wire": False})

    @property
    def tokens_np(self) -> Any:
        import numpy as np

        return np.asarray(self.tokens, dtype=np.int64)

    @property
    def logprobs_np(self) -> Any:
        import numpy as np

        return None if self.logprobs is None else np.asarray(self.logprobs, dtype=np.float32)

    @property
    def topk_logprobs_np(self) -> Any:
        """(token ids int64 [len, k], logprobs float32 [len, k]) or None."""
        import numpy as np

        if self.topk_logprobs is None:
            return None
        return _topk_array(self.topk_logprobs, 0, np.int64), _topk_array(self.topk_logprobs, 1, np.float32)

    @classmethod
    def from_json(cls, data: Any) -> SampledSequence:
        what = "SampledSequence"
        body = expect_mapping(data, what)
        return cls(
            stop_reason=_stop_reason(req_str(body, "stop_reason", what)),
            tokens=req_list(body, "tokens", what),
            logprobs=opt_list(body, "logprobs", what),
        )


@attrs.frozen
class PromptAltTokens(WireModel):
    """0.38 (`prompt_alt_tokens_k`): per prompt position, the k alternative tokens and their logprobs."""

    tokens: TensorData
    logprobs: TensorData


@attrs.frozen
class SampleResponse(WireModel):
    sequences: list[SampledSequence]
    prompt_logprobs: list[float | None] | None = None
    topk_prompt_logprobs: TopkLogprobs | None = None
    prompt_cache_hit_tokens: int = 0
    type: Literal["sample"] = "sample"
    # 0.38: logprobs of the `target_prompt_logprobs` token ids, and the prompt's alternative tokens.
    target_prompt_logprobs: TensorData | None = None
    prompt_alt_tokens: PromptAltTokens | None = None

    @property
    def prompt_logprobs_np(self) -> Any:
        """float32 array, NaN where a position has no logprob (None)."""
        import numpy as np

        if self.prompt_logprobs is None:
            return None
        return np.asarray([np.nan if v is None else v for v in self.prompt_logprobs], dtype=np.float32)

    @property
    def topk_prompt_logprobs_np(self) -> Any:
        """(token ids int64 [len, k], logprobs float32 [len, k]) or None."""
        import numpy as np

        if self.topk_prompt_logprobs is None:
            return None
        return (
            _topk_array(self.topk_prompt_logprobs, 0, np.int64),
            _topk_array(self.topk_prompt_logprobs, 1, np.float32),
        )

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"sequences": [s.to_json() for s in self.sequences], "type": "sample"}
        if self.prompt_logprobs is not None:
            body["prompt_logprobs"] = self.prompt_logprobs
        if self.topk_prompt_logprobs is not None:
            body["topk_prompt_logprobs"] = [
                None if row is None else [[tok, lp] for tok, lp in row] for row in self.topk_prompt_logprobs
            ]
        body["prompt_cache_hit_tokens"] = self.prompt_cache_hit_tokens
        return body

    @classmethod
    def from_json(cls, data: Any) -> SampleResponse:
        what = "SampleResponse"
        body = expect_mapping(data, what)
        topk_raw = opt_list(body, "topk_prompt_logprobs", what)
        topk: TopkLogprobs | None = None
        if topk_raw is not None:
            try:
                topk = [
                    None if row is None else [(int(pair[0]), float(pair[1])) for pair in row]
                    for row in topk_raw
                ]
            except (TypeError, ValueError, IndexError) as exc:
                raise ResponseFormatError(f"{what}.topk_prompt_logprobs: malformed") from exc
        return cls(
            sequences=req_items(body, "sequences", what, SampledSequence.from_json),
            prompt_logprobs=opt_list(body, "prompt_logprobs", what),
            topk_prompt_logprobs=topk,
            prompt_cache_hit_tokens=opt_int(body, "prompt_cache_hit_tokens", what, 0) or 0,
        )
