"""Provenance spans (0.38): which prompt/sampled tokens a Datum's positions came from.

They are client-side metadata here: the official SDK carries them only in its protobuf encoding,
so they never appear in the JSON wire (`Datum.to_json()` leaves them out).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import attrs

from .._exceptions import InvalidInputError

__all__ = [
    "PromptProvenanceSpan",
    "ProvenanceSpan",
    "ProvenanceSpans",
    "SampledProvenanceSpan",
    "check_tiling",
]


def _check_span(instance: Any) -> None:
    if not isinstance(instance.sequence_id, str) or not instance.sequence_id:
        raise InvalidInputError(f"{type(instance).__name__}.sequence_id must be a non-empty string")
    for name in ("offset", "length"):
        value = getattr(instance, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInputError(f"{type(instance).__name__}.{name} must be an int >= 0, got {value!r}")


@attrs.frozen(kw_only=True)
class PromptProvenanceSpan:
    """Positions `[offset, offset + length)` of the named sequence's request prompt."""

    sequence_id: str
    length: int
    offset: int = 0

    def __attrs_post_init__(self) -> None:
        _check_span(self)


@attrs.frozen(kw_only=True)
class SampledProvenanceSpan:
    """Positions `[offset, offset + length)` of the named sequence's sampled tokens
    (`sequence_id` = `SampledSequence.sequence_id`)."""

    sequence_id: str
    length: int
    offset: int = 0

    def __attrs_post_init__(self) -> None:
        _check_span(self)


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
