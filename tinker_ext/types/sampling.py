"""Sampling parameters, the sample request and its response (generated from openapi.yaml; behaviour in
tinker_ext._types.sampling)."""

from __future__ import annotations

from typing import Literal, TypeAlias

from tinker_ext_raw.public import (
    PromptAltTokens,
    SampledSequence,
    SampleRequest,
    SampleResponse,
    SamplingParams,
)

__all__ = [
    "PromptAltTokens",
    "SampleRequest",
    "SampleResponse",
    "SampledSequence",
    "SamplingParams",
    "StopReason",
]

StopReason: TypeAlias = Literal["length", "stop"]
