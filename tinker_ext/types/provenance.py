"""Provenance spans (0.38): which prompt/sampled tokens a Datum's positions came from.

They are client-side metadata here: the official SDK carries them only in its protobuf encoding,
so they never appear in the JSON wire (`Datum.to_json()` leaves them out).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from tinker_ext_raw.public import PromptProvenanceSpan, SampledProvenanceSpan

from .._exceptions import InvalidInputError

__all__ = [
    "PromptProvenanceSpan",
    "ProvenanceSpan",
    "ProvenanceSpans",
    "SampledProvenanceSpan",
    "check_tiling",
]


ProvenanceSpan: TypeAlias = PromptProvenanceSpan | SampledProvenanceSpan
ProvenanceSpans: TypeAlias = Sequence[ProvenanceSpan]


def check_tiling(field_name: str, spans: ProvenanceSpans, expected_length: int) -> None:
    """The spans must be provenance spans whose lengths add up to `expected_length`."""
    for span in spans:
        if not isinstance(span, PromptProvenanceSpan | SampledProvenanceSpan):
            raise InvalidInputError(
                f"{field_name} spans must be PromptProvenanceSpan or SampledProvenanceSpan, got {type(span).__name__}"
            )
    total = sum(span.length for span in spans)
    if total != expected_length:
        raise InvalidInputError(f"{field_name} spans cover {total} positions, expected {expected_length}")
