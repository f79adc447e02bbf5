"""Behaviour of the provenance spans (0.38): which prompt / sampled tokens a Datum's positions came from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tinker_ext._core.exceptions import InvalidInputError

__all__ = ["SpanBehaviour", "check_tiling"]


class SpanBehaviour:
    """Checks of PromptProvenanceSpan and SampledProvenanceSpan (0.38 raises ValueError; ours is typed)."""

    __slots__ = ()
    sequence_id: Any
    offset: Any
    length: Any

    def _validate(self) -> None:
        name = type(self).__name__
        if not self.sequence_id:
            raise InvalidInputError(f"{name}.sequence_id must be a non-empty string")
        for field in ("offset", "length"):
            if getattr(self, field) < 0:
                raise InvalidInputError(f"{name}.{field} must be an int >= 0, got {getattr(self, field)!r}")


def check_tiling(field_name: str, spans: Sequence[Any], expected_length: int) -> None:
    """The spans must be provenance spans whose lengths add up to `expected_length` (any sequence is
    accepted here: what each item is gets checked, not assumed)."""
    for span in spans:
        if not isinstance(span, SpanBehaviour):  # the behaviour of exactly the two span types
            raise InvalidInputError(
                f"{field_name} spans must be PromptProvenanceSpan or SampledProvenanceSpan, got {type(span).__name__}"
            )
    total = sum(span.length for span in spans)
    if total != expected_length:
        raise InvalidInputError(f"{field_name} spans cover {total} positions, expected {expected_length}")
