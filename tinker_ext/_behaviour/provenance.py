"""Behaviour of the provenance spans (0.38): which prompt / sampled tokens a Datum's positions came from."""

from __future__ import annotations

from typing import Any

from tinker_ext._exceptions import InvalidInputError

__all__ = ["SpanBehaviour"]


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
