"""Provenance spans (0.38): which prompt/sampled tokens a Datum's positions came from.

They are client-side metadata here: the official SDK carries them only in its protobuf encoding,
so they never appear in the JSON wire (`Datum.to_json()` leaves them out).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

from tinker_ext_raw.public import PromptProvenanceSpan, SampledProvenanceSpan

from tinker_ext._types.provenance import check_tiling

__all__ = [
    "PromptProvenanceSpan",
    "ProvenanceSpan",
    "ProvenanceSpans",
    "SampledProvenanceSpan",
    "check_tiling",
]


ProvenanceSpan: TypeAlias = PromptProvenanceSpan | SampledProvenanceSpan
ProvenanceSpans: TypeAlias = Sequence[ProvenanceSpan]
