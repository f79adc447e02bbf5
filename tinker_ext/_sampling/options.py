"""The 0.38 sampling options: their checks before anything is sent, their request body entries, and the
checks of the response (a server that predates an option leaves its field out: that is an error, not a
silently smaller result)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import attrs

from tinker_ext._core.exceptions import InvalidInputError, TinkerError

if TYPE_CHECKING:
    from tinker_ext._wire.answer_checks import SampleExpectation
    from tinker_ext._wire.limits import Limits
    from tinker_ext.types import ModelInput, SampleResponse, SamplingParams, TensorData

__all__ = ["SamplingOptions", "check_sampling_options"]


def _count(name: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidInputError(f"{name} must be an integer >= 0, got {value!r}")
    return value


@attrs.frozen
class SamplingOptions:
    topk_sample_logprobs: int = 0
    target_prompt_logprobs: TensorData | None = None
    prompt_alt_tokens_k: int = 0
    prompt_logprobs_last_n: int | None = None
    record_stability_info: bool = False

    def request_fields(self) -> dict[str, Any]:
        """The SampleRequest fields of these options (SampleRequest.to_json leaves defaults off the wire)."""
        return {
            "topk_sample_logprobs": self.topk_sample_logprobs,
            "target_prompt_logprobs": self.target_prompt_logprobs,
            "prompt_alt_tokens_k": self.prompt_alt_tokens_k,
            "prompt_logprobs_last_n": self.prompt_logprobs_last_n,
            "record_stability_info": True if self.record_stability_info else None,
        }

    def expectation(
        self,
        prompt: ModelInput,
        num_samples: int,
        sampling_params: SamplingParams,
        topk_prompt_logprobs: int,
        vocab_size: int | None,
        limits: Limits,
    ) -> SampleExpectation:
        """What a sample request with these options can be answered with (`_wire.answer_checks`)."""
        from tinker_ext._wire.answer_checks import SampleExpectation

        target = self.target_prompt_logprobs
        return SampleExpectation.of(
            prompt=prompt,
            finish=self.check_response,
            num_samples=num_samples,
            max_tokens=sampling_params.max_tokens,
            topk_sample=self.topk_sample_logprobs,
            topk_prompt=topk_prompt_logprobs,
            target_shape=target.shape if target is not None else None,
            alt_k=self.prompt_alt_tokens_k,
            vocab_size=vocab_size,
            limits=limits,
        )

    def check_response(self, response: SampleResponse) -> SampleResponse:
        if self.prompt_alt_tokens_k > 0 and response.prompt_alt_tokens is None:
            raise TinkerError(
                "prompt_alt_tokens_k was requested but the server returned no prompt_alt_tokens "
                "(the server may predate this feature)"
            )
        if self.target_prompt_logprobs is not None and response.target_prompt_logprobs is None:
            raise TinkerError(
                "target_prompt_logprobs was requested but the server returned none "
                "(the server may predate this feature)"
            )
        if self.topk_sample_logprobs > 0 and any(s.topk_logprobs is None for s in response.sequences):
            raise TinkerError(
                "topk_sample_logprobs was requested but the server returned no topk_logprobs "
                "(the server may predate this feature)"
            )
        last_n = self.prompt_logprobs_last_n
        logprobs = response.prompt_logprobs
        if last_n is not None and logprobs is not None:
            head = logprobs[: max(len(logprobs) - last_n, 0)]
            if any(v is not None and not math.isnan(v) for v in head[1:]):
                raise TinkerError(
                    f"prompt_logprobs_last_n={last_n} was requested but the server returned logprobs "
                    "before that suffix (the server may predate this feature)"
                )
        return response


def check_sampling_options(
    *,
    include_prompt_logprobs: bool,
    topk_sample_logprobs: Any,
    target_prompt_logprobs: Any,
    prompt_alt_tokens_k: Any,
    prompt_logprobs_last_n: Any,
    record_stability_info: bool,
) -> SamplingOptions:
    from tinker_ext.types import TensorData

    if target_prompt_logprobs is not None:
        if not isinstance(target_prompt_logprobs, TensorData):
            raise InvalidInputError("target_prompt_logprobs must be a TensorData (int64, 2-D)")
        if target_prompt_logprobs.dtype != "int64":
            raise InvalidInputError(
                f"target_prompt_logprobs must be int64, got {target_prompt_logprobs.dtype}"
            )
        shape = target_prompt_logprobs.shape
        if shape is None or len(shape) != 2:
            raise InvalidInputError(f"target_prompt_logprobs must be 2-D [prompt_len, n], got shape {shape}")
    if prompt_logprobs_last_n is not None:
        if not isinstance(prompt_logprobs_last_n, int) or isinstance(prompt_logprobs_last_n, bool):
            raise InvalidInputError(
                f"prompt_logprobs_last_n must be an int >= 1, got {prompt_logprobs_last_n!r}"
            )
        if prompt_logprobs_last_n < 1:
            raise InvalidInputError(f"prompt_logprobs_last_n must be >= 1, got {prompt_logprobs_last_n}")
        if not include_prompt_logprobs:
            raise InvalidInputError("prompt_logprobs_last_n requires include_prompt_logprobs=True")
    return SamplingOptions(
        topk_sample_logprobs=_count("topk_sample_logprobs", topk_sample_logprobs),
        target_prompt_logprobs=target_prompt_logprobs,
        prompt_alt_tokens_k=_count("prompt_alt_tokens_k", prompt_alt_tokens_k),
        prompt_logprobs_last_n=prompt_logprobs_last_n,
        record_stability_info=record_stability_info,
    )
