"""Chunk planning for forward/forward_backward and merging of the per-chunk results.

Planning (greedy, input order): a chunk closes when it already holds `max_datums` datums, or when
adding the next datum would push its number count over `max_numbers` (and, when the server publishes
a byte budget, its byte estimate over `max_bytes`). A datum that alone exceeds a limit goes in a
chunk of its own. Defaults are the mission limits: 128 datums, 500,000 numbers.

Number count of a datum: text chunk -> token count; ImageChunk -> length of its base64 `data`
string; ImageAssetPointerChunk -> length of `location`; DmelChunk -> length of its base64 text;
plus the number of stored values of every `loss_fn_inputs` tensor.

Byte estimate (what servers publishing `fwdbwd_max_chunk_bytes_count` budget for): text 4 bytes per
token, image/dmel raw byte length, pointer `len(location)`, tensors their numpy byte size plus
8 bytes per sparse index.

Merging: `loss_fn_outputs` concatenated in chunk order; metrics reduced by the suffix after the
colon of `name:reduction` (see `combine_forward_backward_outputs`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tinker_ext._core.exceptions import InvalidInputError
from tinker_ext._wire.limits import DEFAULT_MAX_CHUNK_DATUMS, DEFAULT_MAX_CHUNK_NUMBERS, ChunkLimits
from tinker_ext.types._wire import ResponseFormatError
from tinker_ext.types.datum import Datum
from tinker_ext.types.model_input import DmelChunk, EncodedTextChunk, ImageAssetPointerChunk, ImageChunk
from tinker_ext.types.outputs import ForwardBackwardOutput, LossFnOutput

__all__ = [
    "DEFAULT_MAX_CHUNK_DATUMS",
    "DEFAULT_MAX_CHUNK_NUMBERS",
    "METRIC_REDUCTIONS",
    "ChunkLimits",
    "combine_forward_backward_outputs",
    "datum_byte_estimate",
    "datum_number_count",
    "plan_chunk_bounds",
    "plan_chunks",
]

_UINT64_MASK = 0xFFFF_FFFF_FFFF_FFFF


def _base64_length(num_bytes: int) -> int:
    return 4 * ((num_bytes + 2) // 3)


def datum_number_count(datum: Datum) -> int:
    """How many numbers a datum puts on the wire (see module docstring)."""
    total = 0
    for chunk in datum.model_input.chunks:
        if isinstance(chunk, EncodedTextChunk):
            total += len(chunk.tokens)
        elif isinstance(chunk, ImageChunk):
            total += _base64_length(len(chunk.data))
        elif isinstance(chunk, ImageAssetPointerChunk):
            total += len(chunk.location)
        elif isinstance(chunk, DmelChunk):
            total += _base64_length(len(chunk.dmel))
    for tensor in datum.loss_fn_inputs.values():
        total += tensor.size
    return total


def datum_byte_estimate(datum: Datum) -> int:
    """Estimated encoded size in bytes (the estimate servers' byte budgets are written against)."""
    total = 0
    for chunk in datum.model_input.chunks:
        if isinstance(chunk, EncodedTextChunk):
            total += 4 * len(chunk.tokens)
        elif isinstance(chunk, ImageChunk):
            total += len(chunk.data)
        elif isinstance(chunk, ImageAssetPointerChunk):
            total += len(chunk.location)
        elif isinstance(chunk, DmelChunk):
            total += len(chunk.dmel)
    for tensor in datum.loss_fn_inputs.values():
        total += tensor.size * (8 if tensor.dtype == "int64" else 4)
        total += 8 * len(tensor.sparse_crow_indices or ()) + 8 * len(tensor.sparse_col_indices or ())
    return total


def plan_chunk_bounds(data: Sequence[Datum], limits: ChunkLimits | None = None) -> list[tuple[int, int]]:
    """The chunks as half-open `(start, stop)` index ranges into `data`."""
    if not data:
        raise InvalidInputError("No data provided: forward/forward_backward needs at least one Datum")
    limits = limits or ChunkLimits()
    max_bytes = limits.max_bytes
    bounds: list[tuple[int, int]] = []
    start = 0
    numbers = 0
    nbytes = 0
    for index, datum in enumerate(data):
        datum_numbers = datum_number_count(datum)
        datum_bytes = datum_byte_estimate(datum) if max_bytes is not None else 0
        size = index - start
        if size and (
            size >= limits.max_datums
            or numbers + datum_numbers > limits.max_numbers
            or (max_bytes is not None and nbytes + datum_bytes > max_bytes)
        ):
            bounds.append((start, index))
            start, numbers, nbytes = index, 0, 0
        numbers += datum_numbers
        nbytes += datum_bytes
    bounds.append((start, len(data)))
    return bounds


def plan_chunks(
    data: Sequence[Datum],
    *,
    max_datums: int = DEFAULT_MAX_CHUNK_DATUMS,
    max_numbers: int = DEFAULT_MAX_CHUNK_NUMBERS,
    max_bytes: int | None = None,
) -> list[list[Datum]]:
    """Split `data` into request-sized chunks, keeping input order."""
    limits = ChunkLimits(max_datums=max_datums, max_numbers=max_numbers, max_bytes=max_bytes)
    return [list(data[start:stop]) for start, stop in plan_chunk_bounds(data, limits)]


# ----- merging -----

METRIC_REDUCTIONS = frozenset({"mean", "sum", "min", "max", "slack", "hash2", "unique"})


def _weighted_mean(values: list[float], weights: list[int]) -> float:
    total_weight = sum(weights)
    if total_weight == 0:  # chunks without per-datum outputs: every chunk counts the same
        return math.fsum(values) / len(values)
    return math.fsum(v * w for v, w in zip(values, weights, strict=True)) / total_weight


def _split_metric_key(key: str) -> tuple[str, str]:
    parts = key.split(":")
    if len(parts) != 2:
        raise ResponseFormatError(f"metric key {key!r} must have the form 'name:reduction' (exactly one ':')")
    return parts[0], parts[1]


def combine_forward_backward_outputs(outputs: Sequence[ForwardBackwardOutput]) -> ForwardBackwardOutput:
    """Merge the results of the chunks of one forward/forward_backward call.

    `loss_fn_output_type` comes from the first chunk; `loss_fn_outputs` are concatenated. Metrics:
    only the first chunk's keys are considered, each must be `name:reduction`; a key missing from
    some chunk or with an unknown reduction is dropped. `mean` is weighted by each chunk's datum
    count, `slack` = max - weighted mean, `sum`/`min`/`max` are plain, `hash2` is the 64-bit
    wrapping sum of the integer values, `unique` keeps every value (`key`, `key_1`, `key_2`, ...).
    """
    if not outputs:
        return ForwardBackwardOutput(loss_fn_output_type="", loss_fn_outputs=[], metrics={})
    first = outputs[0]

    merged_outputs: list[LossFnOutput] = []
    for output in outputs:
        merged_outputs.extend(output.loss_fn_outputs)
    weights = [len(output.loss_fn_outputs) for output in outputs]
    chunk_metrics = [output.metrics for output in outputs]

    metrics: dict[str, float] = {}
    for key in first.metrics:
        _, reduction = _split_metric_key(key)
        if reduction not in METRIC_REDUCTIONS:
            continue
        try:
            values = [m[key] for m in chunk_metrics]
        except KeyError:
            continue
        if reduction == "mean":
            metrics[key] = _weighted_mean(values, weights)
        elif reduction == "sum":
            metrics[key] = math.fsum(values)
        elif reduction == "min":
            metrics[key] = min(values)
        elif reduction == "max":
            metrics[key] = max(values)
        elif reduction == "slack":
            metrics[key] = max(values) - _weighted_mean(values, weights)
        elif reduction == "hash2":
            metrics[key] = sum(int(v) & _UINT64_MASK for v in values) & _UINT64_MASK
        else:  # unique
            metrics[key] = values[0]
            for index, value in enumerate(values[1:], start=1):
                metrics[f"{key}_{index}"] = value
    return ForwardBackwardOutput(
        loss_fn_output_type=first.loss_fn_output_type,
        loss_fn_outputs=merged_outputs,
        metrics=metrics,
    )
